"""Does holding the search index until the reader turns to search make search slower to use?

    .venv/bin/python benchmarks/search_latency.py SITE_DIR [--runs 3]

Serves SITE_DIR (built) twice, as built (the index is fetched when the reader points at, taps or
focuses search: search-lazy.js) and with search-lazy.js left out (the index fetched at page load,
as Material does), on Lighthouse's slow-4G figures (150 ms latency, 1.6 Mbit/s down, 4x slower CPU),
phone width. Each run: load the start page, wait 3 s (the reader reads), tap the search button,
type a word (key by key, no pauses), and time from the tap to the first result shown; also the bytes the page
load fetched before the tap. Prints the medians.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "site_tests"))
from site_support import PHONE, launch_options, serve_site  # noqa: E402

SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1.6 * 1024 * 1024 / 8,
           "uploadThroughput": 750 * 1024 / 8}
QUERY = "polisanmälan"


def eager_copy(site: Path, target: Path) -> Path:
    shutil.copytree(site, target, symlinks=True)
    for page in target.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        page.write_text("\n".join(line for line in text.split("\n") if "search-lazy.js" not in line)
                        .replace('<script defer src="assets/javascripts/search-lazy.js"></script>', ""), encoding="utf-8")
    return target


def one_run(browser, url: str) -> tuple[float, int]:
    context = browser.new_context(viewport=PHONE, locale="sv-SE")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_4G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    fetched = []
    page.on("requestfinished", lambda request: fetched.append(request.sizes()["responseBodySize"]))
    page.goto(url + "index.html", wait_until="load")
    page.wait_for_timeout(3000)
    before_tap = sum(fetched)
    start = page.evaluate("() => performance.now()")
    page.locator("label.md-header__button[for='__search']").click()
    page.locator("input.md-search__input").press_sequentially(QUERY)  # keyup events, as Material listens for
    page.wait_for_function("() => document.querySelector('.md-search-result__item')", timeout=60_000)
    took = page.evaluate("() => performance.now()") - start
    context.close()
    return took, before_tap


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options())
        sites = {"lazy (as built)": args.site, "eager (index at load)": eager_copy(args.site, Path(tmp) / "eager")}
        results: dict[str, list] = {name: [] for name in sites}
        with serve_site(sites["lazy (as built)"]) as lazy, serve_site(sites["eager (index at load)"]) as eager:
            urls = {"lazy (as built)": lazy, "eager (index at load)": eager}
            for _ in range(args.runs):
                for name, url in urls.items():
                    results[name].append(one_run(browser, url))
        browser.close()
    for name, runs in results.items():
        print(f"{name}: tap to first result {statistics.median(r[0] for r in runs):.0f} ms "
              f"(runs {', '.join(f'{r[0]:.0f}' for r in runs)}); page load fetched "
              f"{statistics.median(r[1] for r in runs) / 1024:.0f} KiB before the tap")
    return 0


if __name__ == "__main__":
    sys.exit(main())
