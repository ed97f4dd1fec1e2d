"""Layout shift on each flow page while its engine starts: how far the page moves under a finger.

Run through benchmarks/run.py (`--only shift`). Each flow page of the built site, cold (a new
browser context, so nothing cached), at a phone's size (390 × 844), on loopback and at 1.6 Mbit/s
with 150 ms latency (Chromium's network emulation, as benchmarks/network.py throttles). The page's
own PerformanceObserver sums its layout shifts as Lighthouse's cumulative layout shift counts them
(shifts right after input left out; no input is given) from navigation until the engine is ready
(`data-engine="ready"`) and a moment after, when a shift caused by the ready state is reported.
Each figure is the median of the runs; the largest run is kept too, and the elements that moved.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import network  # noqa: E402

PROFILES = {"loopback": None, "1.6 Mbit/s, 150 ms": (1.6e6, 150)}
RUNS = {"loopback": 3, "1.6 Mbit/s, 150 ms": 2}  # a throttled cold start takes half a minute a page
VIEWPORT = {"width": 390, "height": 844}
SETTLE_MS = 300
GOOD = 0.1  # Lighthouse's "good"; the browser test holds each flow page to 0.01
HELD_TO = 0.01

OBSERVER = """(() => { self.tryggtShifts = [];
  new PerformanceObserver((list) => { for (const entry of list.getEntries()) if (!entry.hadRecentInput)
    self.tryggtShifts.push({ value: entry.value, at: entry.startTime,
      moved: (entry.sources || []).map((s) => s.node && s.node.className ? String(s.node.className) : (s.node ? s.node.nodeName : "")) }); })
  .observe({ type: "layout-shift", buffered: true }); })();"""


def flow_pages(site: Path) -> list[str]:
    """Every flow page of the built site (the flows' folder holds their pages only)."""
    return sorted(f"{network.FLOW.split('/')[0]}/{page.name}" for page in (site / network.FLOW).parent.glob("*.html"))


def _visit(browser, url: str, profile) -> dict:
    context = browser.new_context(viewport=VIEWPORT, locale="sv-SE", has_touch=True, is_mobile=True)
    try:
        context.add_init_script(OBSERVER)
        page = context.new_page()
        network._throttle(context, page, profile)
        page.goto(url, wait_until="commit")
        page.wait_for_selector(".flow[data-engine=ready]", state="attached", timeout=network.WAIT_MS)
        page.wait_for_timeout(SETTLE_MS)
        shifts = page.evaluate("self.tryggtShifts")
        ready = page.evaluate("performance.getEntriesByName('tryggt-flow-engine-ready')[0]?.startTime ?? null")
    finally:
        context.close()
    return {"cls": sum(s["value"] for s in shifts), "shifts": len(shifts), "ready_ms": ready,
            "moved": sorted({name for s in shifts for name in s["moved"] if name})}


def measure(built_site: Path, runs: int, profiles: dict[str, int]) -> dict:
    """`profiles`: profile name -> runs, each at most `runs`."""
    from playwright.sync_api import sync_playwright

    profiles = {name: min(count, runs) for name, count in profiles.items()}
    pages = flow_pages(built_site)
    results: dict = {"viewport": VIEWPORT, "runs": profiles, "pages": {}}
    with network.serve(built_site, network.Wire(), compress=False) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(**network.launch_options())
        try:
            for name, count in profiles.items():
                for _ in range(count):
                    for path in pages:  # taking turns, so a busy moment falls on every page alike
                        sample = _visit(browser, base + path, PROFILES[name])
                        results["pages"].setdefault(path, {}).setdefault(name, []).append(sample)
        finally:
            browser.close()
    for path, by_profile in results["pages"].items():
        for name, samples in by_profile.items():
            by_profile[name] = {
                "cls": statistics.median(s["cls"] for s in samples),
                "cls_max": max(s["cls"] for s in samples),
                "ready_ms": statistics.median(s["ready_ms"] for s in samples if s["ready_ms"] is not None),
                "moved": sorted({name for s in samples for name in s["moved"]}),
                "samples": samples,
            }
    return results


def render(section: dict) -> list[str]:
    names = list(section["runs"])
    lines = [
        f"Each flow page cold (a new browser context) at {section['viewport']['width']} × "
        f"{section['viewport']['height']}, from navigation to the engine ready and {SETTLE_MS} ms after; "
        "runs per profile: " + ", ".join(f"{name} {count}" for name, count in section["runs"].items())
        + ". Cumulative layout shift as Lighthouse counts it (the page's own PerformanceObserver; no input "
        f"given), median and largest run. Lighthouse calls {GOOD} good; the browser test "
        f"(`site_tests/test_flows_live.py`) holds each flow page to {HELD_TO}.",
        "",
        "| flow page | " + " | ".join(f"{name}: layout shift (largest) | {name}: engine ready" for name in names)
        + " | what moved |",
        "|---|" + "---|---|" * len(names) + "---|",
    ]
    for path, by_profile in section["pages"].items():
        cells = []
        for name in names:
            entry = by_profile.get(name)
            cells += ["–", "–"] if entry is None else [f"**{entry['cls']:.4f}** ({entry['cls_max']:.4f})",
                                                      f"{entry['ready_ms'] / 1000:.1f} s"]
        moved = sorted({m for entry in by_profile.values() for m in entry["moved"]})
        lines.append(f"| `{path}` | " + " | ".join(cells) + f" | {', '.join(f'`{m}`' for m in moved) or 'nothing'} |")
    return lines
