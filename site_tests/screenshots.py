"""Full-page screenshots of a few pages at phone and desktop width, for a human to look at.

    .venv/bin/python site_tests/screenshots.py            # builds the site into a temporary folder
    TRYGGT_SITE_DIR=site .venv/bin/python site_tests/screenshots.py

Writes site_tests/screenshots/<page>-<width>.png (the folder is git-ignored) and prints the
paths. Nothing is asserted: this is for looking at layout, contrast and the acute strip.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from site_support import DESKTOP, PHONE, launch_options, run_on_site, serve_site  # noqa: E402

OUT = Path(__file__).resolve().parent / "screenshots"
PAGES = ["index.html", "under/hot-telefon.html"]
VIEWPORTS = {PHONE["width"]: PHONE, DESKTOP["width"]: DESKTOP}


def take(site_dir: Path, pages=PAGES, out: Path = OUT) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with serve_site(site_dir) as base_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options())
        try:
            for width, viewport in VIEWPORTS.items():
                context = browser.new_context(viewport=viewport, locale="sv-SE")
                page = context.new_page()
                for path in pages:
                    page.goto(base_url + path, wait_until="networkidle")
                    name = path.removesuffix(".html").replace("/", "-")
                    for suffix, full in (("", True), ("-fold", False)):
                        target = out / f"{name}-{width}{suffix}.png"
                        page.screenshot(path=str(target), full_page=full)
                        written.append(target)
                context.close()
        finally:
            browser.close()
    return written


def main() -> int:
    return run_on_site(take, "tryggt-screenshots-")


if __name__ == "__main__":
    sys.exit(main())
