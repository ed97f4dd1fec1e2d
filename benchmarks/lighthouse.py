"""Lighthouse benchmark: the pages of the Lighthouse budget, medians of several runs, before and after.

    .venv/bin/python benchmarks/lighthouse.py                 # 3 runs; before = BEFORE, after = this tree
    .venv/bin/python benchmarks/lighthouse.py --runs 1 --variants after
    .venv/bin/python benchmarks/lighthouse.py --url gzip=http://127.0.0.1:8081/ --variants gzip

Variants, measured side by side (runs interleaved, so a busy moment of the machine falls on all):
  before     the site as built at commit BEFORE (git archive of that commit, built with this
             virtual environment), served by the plain static server of the browser tests;
  after      the site as built from this working tree, the same server;
  blocking   `after` with Material's stylesheets put back as ordinary links in the head (what the
             first-screen rules of generator/firstscreen.py change);
  NAME=URL   any server already running (nginx with the compression of docs/publicera.md, say),
             the site at URL.
Lighthouse's mobile profile with simulated throttling (see site_tests/lighthouse_support.py).
Writes benchmarks/lighthouse.json (every run's figures and the medians) and the section
"Lighthouse" of benchmarks/RESULTS.md; the reports go to benchmarks/lighthouse/ (git-ignored).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from contextlib import ExitStack
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "site_tests"))
from lighthouse_support import PAGES, run  # noqa: E402
from site_support import BUILD_ENV, serve_site  # noqa: E402

BEFORE = "786d04d"  # the last commit before issue 16's changes to the theme
REPORTS = HERE / "lighthouse"
METRICS = ["performance", "first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
           "cumulative-layout-shift", "speed-index", "accessibility", "best-practices", "bytes", "benchmark-index"]
START, END = "<!-- lighthouse: written by benchmarks/lighthouse.py -->", "<!-- /lighthouse -->"


def build(source: Path, site: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "generator.cli", "build", "--no-pdf", "--site-dir", str(site)],
                          cwd=source, env=BUILD_ENV, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"the build in {source} failed:\n{done.stdout}{done.stderr}")


def build_commit(commit: str, tmp: Path) -> Path:
    """The site as built from `commit`'s files (the package imported from there, not this tree)."""
    source = tmp / f"src-{commit}"
    source.mkdir()
    archive = subprocess.run(["git", "archive", "--format=tar", commit], cwd=REPO, capture_output=True, check=True).stdout
    archive_path = tmp / "source.tar"
    archive_path.write_bytes(archive)
    with tarfile.open(archive_path) as tar:
        tar.extractall(source, filter="data")
    (source / "node_modules").symlink_to(REPO / "node_modules")
    build(source, tmp / f"site-{commit}")
    return tmp / f"site-{commit}"


_LATE = re.compile(r'<link rel="stylesheet" href="([^"]+)" media="print" data-tryggt-later>')


def with_blocking_sheets(site: Path, target: Path) -> Path:
    """A copy of the built site whose pages load Material's sheets as ordinary links again."""
    shutil.copytree(site, target, symlinks=True)
    for page in target.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if "data-tryggt-later" in text:
            text = re.sub(r"<style>[^<]*</style>(?=<link rel=\"stylesheet\" href=\"[^\"]+\" media=\"print\" data-tryggt-later>)", "", text)
            text = re.sub(r"<noscript>(?:<link rel=\"stylesheet\" href=\"[^\"]+\">)+</noscript>", "", text)
            page.write_text(_LATE.sub(r'<link rel="stylesheet" href="\1">', text), encoding="utf-8")
    return target


def medians(runs: list[dict]) -> dict:
    return {name: statistics.median(r[name] for r in runs) for name in METRICS}


def kib(value: float) -> str:
    return f"{value / 1024:,.0f} KiB" if value < 1024 ** 2 else f"{value / 1024 ** 2:.1f} MB"


def render(results: dict) -> list[str]:
    lines = [START, "## Lighthouse: the first paint on a slow phone", "",
             f"Measured {results['date']} with Lighthouse {results['lighthouse']} (npm), its default mobile profile "
             "(simulated slow 4G: 150 ms RTT, 1.6 Mbit/s; 4x CPU slowdown), Debian's Chromium, medians of "
             f"{results['runs']} runs per page and variant, runs interleaved (load average {results['load'][0]:.1f} "
             f"at the start, {results['load'][1]:.1f} at the end: other test runs shared the two cores). "
             "`before` is the site at commit "
             f"`{results['before']}`, `after` this tree; both on the browser tests' plain static server (no "
             "compression, no cache headers). `blocking` is `after` with Material's stylesheets put back in the "
             "head as ordinary links. Other variants are named servers (`gzip`: nginx with the compression of "
             "docs/publicera.md). Budget of the CI test: `site_tests/lighthouse_support.py`. Reproduce: "
             f"`{results['command']}`.", "",
             *([f"Measured at another time: " + ", ".join(f"`{v}` {d}" for v, d in results["dates"].items()
                                                         if d[:13] != results["date"][:13]) + ".", ""]
               if any(d[:13] != results["date"][:13] for d in results["dates"].values()) else []),
             "| page | variant | performance | first contentful paint | LCP | TBT | CLS | accessibility | best practices | bytes |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for page in results["pages"]:
        for variant, by_page in results["medians"].items():
            m = by_page.get(page)
            if m is None:
                continue
            lines.append(f"| `{page}` | {variant} | {m['performance']:.2f} | {m['first-contentful-paint'] / 1000:.1f} s | "
                         f"{m['largest-contentful-paint'] / 1000:.1f} s | {m['total-blocking-time']:.0f} ms | "
                         f"{m['cumulative-layout-shift']:.3f} | {m['accessibility']:.2f} | {m['best-practices']:.2f} | "
                         f"{kib(m['bytes'])} |")
    notes = results.get("notes", [])
    return lines + (["", "Other measurements (by hand, kept in `lighthouse.json` under `notes`):", ""]
                    + [f"- {note}" for note in notes] if notes else []) + ["", END]


def write_results_section(lines: list[str]) -> None:
    """The Lighthouse section of RESULTS.md, in place (benchmarks/run.py keeps it when it rewrites the file)."""
    path = HERE / "RESULTS.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    block = "\n".join(lines)
    if START in text and END in text:
        text = text[:text.index(START)] + block + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", default=BEFORE, help="the commit of the `before` site")
    parser.add_argument("--variants", default="before,after,blocking", help="comma-separated: before, after, blocking, and names given with --url")
    parser.add_argument("--url", action="append", default=[], metavar="NAME=URL", help="a running server to measure too")
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--no-write", action="store_true", help="print the table; leave RESULTS.md and lighthouse.json as they are")
    args = parser.parse_args(argv)
    pages = args.pages.split(",")
    wanted = args.variants.split(",")
    given = dict(item.split("=", 1) for item in args.url)
    load_start = os.getloadavg()[0]
    runs: dict[str, dict[str, list[dict]]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-lighthouse-") as tmp_name, ExitStack() as stack:
        tmp = Path(tmp_name)
        urls = {}
        if {"after", "blocking"} & set(wanted):
            build(REPO, tmp / "site-after")
        for variant in wanted:
            if variant in given:
                urls[variant] = given[variant]
                continue
            site = {"before": lambda: build_commit(args.before, tmp),
                    "after": lambda: tmp / "site-after",
                    "blocking": lambda: with_blocking_sheets(tmp / "site-after", tmp / "site-blocking")}[variant]()
            urls[variant] = stack.enter_context(serve_site(site))
        for number in range(args.runs):
            for page in pages:
                for variant, url in urls.items():
                    name = f"{variant}-{page.removesuffix('.html').replace('/', '-')}-{number + 1}"
                    result = run(url + page, REPORTS / name)
                    runs.setdefault(variant, {}).setdefault(page, []).append(result)
                    print(f"{variant:9} {page:30} run {number + 1}: performance {result['performance']:.2f}, "
                          f"FCP {result['first-contentful-paint']:.0f} ms, LCP {result['largest-contentful-paint']:.0f} ms, "
                          f"TBT {result['total-blocking-time']:.0f} ms", file=sys.stderr, flush=True)
    version = json.loads((REPO / "node_modules" / "lighthouse" / "package.json").read_text())["version"]
    results = {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "python benchmarks/lighthouse.py" + "".join(f" {a}" for a in (argv if argv is not None else sys.argv[1:])),
        "lighthouse": version, "runs": args.runs, "before": args.before, "pages": pages,
        "load": [load_start, os.getloadavg()[0]],
        "dates": {variant: dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC") for variant in runs},
        "medians": {variant: {page: medians(r) for page, r in by_page.items()} for variant, by_page in runs.items()},
        "all": runs,
    }
    previous = HERE / "lighthouse.json"
    if not args.no_write and previous.exists():  # variants not measured this time stay, with their date
        earlier = json.loads(previous.read_text(encoding="utf-8"))
        results["notes"] = earlier.get("notes", [])
        for variant, by_page in earlier["medians"].items():
            if variant not in results["medians"]:
                results["medians"][variant] = by_page
                results["all"][variant] = earlier["all"].get(variant, {})
                results["dates"][variant] = earlier.get("dates", {}).get(variant, earlier["date"])
    lines = render(results)
    print("\n".join(lines))
    if not args.no_write:
        (HERE / "lighthouse.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
        write_results_section(lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
