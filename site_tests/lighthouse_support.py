"""Lighthouse against the built site: the pages, the budget, one run, and its figures.

Used by site_tests/test_lighthouse.py (one run per page, the budget fails the test) and by
benchmarks/lighthouse.py (medians of several runs, before and after). Lighthouse is the npm
package pinned in package.json (`npm ci`); it drives the same Chromium as the other browser tests
(TRYGGT_CHROMIUM, else /usr/bin/chromium, else Playwright's own). Its default profile is the
mobile one: a Moto G Power screen, simulated slow 4G (150 ms RTT, 1.6 Mbit/s down) and a 4x
slower CPU. Simulated throttling computes the metrics from a fast local load, so they depend far
less on this machine than a really throttled load would; the CPU part still scales with how busy
the machine is (see the budget).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from site_support import CHROMIUM_ARGS, REPO_ROOT, launch_options

LIGHTHOUSE = REPO_ROOT / "node_modules" / ".bin" / "lighthouse"
# The start page, the acute page, one content page and both default flows.
PAGES = ["index.html", "akut.html", "under/hot-telefon.html",
         "floden/vad-gor-jag-nu.html", "floden/riskinventering.html"]
CATEGORIES = ["performance", "accessibility", "best-practices"]

# The budget: the one place its numbers are kept. Accessibility and best practices have no
# slack. Performance has much, because Lighthouse scales the CPU time it observes by four: on a
# busy two-core machine (other test runs beside this one; Lighthouse's benchmark index fell from
# about 1,700 to 260-760) the total blocking time grows to seconds and the score of the same page
# falls from about 0.9 to 0.5-0.75 (benchmarks/RESULTS.md). The first contentful paint moves far
# less, so it is the tight one: a script that holds the first paint again (110 KB in the head,
# tried once) puts the start page's first contentful paint at 1.8 s and fails it.
# The flow pages carry their whole flow (the static steps and the tree for the engine): their
# HTML is two to three times a plain page's, and their first paint has more to wait for.
BUDGET = {
    "performance": 0.50,  # score, at least: a guard against gross regressions on a busy machine
    "accessibility": 1.0,  # score, at least
    "best-practices": 1.0,  # score, at least
    "first-contentful-paint": 1500,  # ms, at most
}
PAGE_BUDGET = {page: {"first-contentful-paint": 2000} for page in PAGES if page.startswith("floden/")}


def budget_for(page: str) -> dict:
    return {**BUDGET, **PAGE_BUDGET.get(page, {})}


def chromium_path() -> str:
    executable = launch_options().get("executable_path")
    if executable:
        return executable
    from playwright.sync_api import sync_playwright  # no system Chromium: Playwright's own

    with sync_playwright() as playwright:
        return playwright.chromium.executable_path


def run(url: str, report_base: Path, *, timeout: int = 240) -> dict:
    """One Lighthouse run of `url`; writes `<report_base>.report.json` and `.report.html` and
    returns the figures (see `figures`)."""
    if not LIGHTHOUSE.exists():
        raise FileNotFoundError(f"{LIGHTHOUSE} is missing: run `npm ci` in the project folder")
    report_base.parent.mkdir(parents=True, exist_ok=True)
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    command = [str(LIGHTHOUSE), url, f"--chrome-flags={flags}", "--quiet",
               f"--only-categories={','.join(CATEGORIES)}", "--output=json", "--output=html", f"--output-path={report_base}"]
    env = {**os.environ, "CHROME_PATH": chromium_path()}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)
    json_path = report_base.parent / f"{report_base.name}.report.json"
    if done.returncode != 0 or not json_path.exists():
        raise RuntimeError(f"lighthouse failed (exit {done.returncode}) on {url}:\n{done.stderr[-3000:]}")
    return figures(json.loads(json_path.read_text(encoding="utf-8")))


def figures(report: dict) -> dict:
    """The scores, the metrics in ms, the bytes, and the audits that cost accessibility or best
    practices a point (with what they found), from a Lighthouse JSON report."""
    audits = report["audits"]
    failing = {}
    for category in ("accessibility", "best-practices"):
        for ref in report["categories"][category]["auditRefs"]:
            audit = audits[ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                items = (audit.get("details") or {}).get("items") or []
                failing[ref["id"]] = [str(item.get("node", {}).get("snippet") or item.get("url") or item)[:200]
                                      for item in items[:5]]

    def metric(name: str) -> float:
        return round(audits[name]["numericValue"], 3 if name == "cumulative-layout-shift" else 0)

    return {
        **{category: report["categories"][category]["score"] for category in CATEGORIES},
        "first-contentful-paint": metric("first-contentful-paint"),
        "largest-contentful-paint": metric("largest-contentful-paint"),
        "speed-index": metric("speed-index"),
        "total-blocking-time": metric("total-blocking-time"),
        "cumulative-layout-shift": metric("cumulative-layout-shift"),
        "bytes": int(audits["total-byte-weight"]["numericValue"]),
        "benchmark-index": report["environment"]["benchmarkIndex"],
        "failing-audits": failing,
    }


def over_budget(result: dict, budget: dict = BUDGET) -> list[str]:
    """What in one run's figures breaks the budget, in words (empty: within budget)."""
    problems = []
    for name, limit in budget.items():
        value = result[name]
        if name == "first-contentful-paint":
            if value is None or value > limit:
                problems.append(f"first contentful paint {value} ms > {limit} ms")
        elif value is None or value < limit:
            problems.append(f"{name} {value} < {limit}")
    for audit, found in result["failing-audits"].items():
        problems.append(f"audit {audit}: {found}")
    return problems


def better(first: dict, second: dict) -> dict:
    """The better figures of two runs: the higher score and the lower time of each (load on the
    machine only lowers scores and lengthens times). Audits count as failing only when both fail."""
    best = {}
    for name, value in first.items():
        other = second[name]
        if name == "failing-audits":
            best[name] = {audit: found for audit, found in value.items() if audit in other}
        elif name in CATEGORIES or name == "benchmark-index":
            best[name] = max(v for v in (value, other) if v is not None) if (value, other) != (None, None) else None
        else:
            best[name] = min(value, other)
    return best
