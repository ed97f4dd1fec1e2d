"""The first paint (issue 16): what a page shows before Material's stylesheets and any script have
arrived is what it shows once they have, on the first screen, at phone and desktop width. The
page's own first-screen rules (generator/firstscreen.py) must be enough for that; the late sheets
are then switched on together. Screenshots of both states go to site_tests/screenshots/
(first-paint-*.png, git-ignored) for a person to look at."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from site_support import DESKTOP, PHONE

PAGES = ["index.html", "akut.html", "floden/vad-gor-jag-nu.html"]
SHOTS = Path(__file__).resolve().parent / "screenshots"
LATE_SHEET = re.compile(r"/assets/stylesheets/(main|palette)\.[0-9a-f]+\.min\.css$")

# Every element in the first screen: its box and the look of its text and background.
_FIRST_SCREEN = """() => [...document.body.querySelectorAll('*')].map((el, i) => {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    if (r.bottom <= 0 || r.top >= innerHeight || r.width === 0 || r.height === 0 || s.visibility === 'hidden') return null;
    return {i, tag: el.tagName.toLowerCase(), cls: el.className.baseVal ?? el.className,
            box: [r.left, Math.max(r.top, 0), r.right, Math.min(r.bottom, innerHeight)].map(Math.round),  // the part in view
            look: [s.color, s.backgroundColor, s.fontSize, s.fontWeight, s.display, s.borderTopWidth].join(' ')};
}).filter(Boolean)"""


def _first_screen(new_context, url: str, viewport: dict, late_sheets: bool, shot: Path) -> list[dict]:
    context = new_context(viewport=viewport)
    page = context.new_page()
    # No script runs in either state (scripts change the page; here only the styles are compared),
    # except late-styles.js where the late sheets may arrive, which switches them on.
    page.route(re.compile(r"\.m?js$"), lambda route: route.continue_()
               if late_sheets and route.request.url.endswith("/late-styles.js") else route.abort())
    if not late_sheets:
        page.route(LATE_SHEET, lambda route: route.abort())
    page.goto(url, wait_until="load")
    if late_sheets:
        expect(page.locator("link[data-tryggt-later]")).to_have_count(0)  # switched on, all at once
    page.screenshot(path=str(shot))
    return page.evaluate(_FIRST_SCREEN)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("painted", PAGES)
def test_first_paint_looks_as_the_finished_page(new_context, base_url, painted, viewport):
    SHOTS.mkdir(exist_ok=True)
    name = f"first-paint-{painted.removesuffix('.html').replace('/', '-')}-{viewport['width']}"
    first = _first_screen(new_context, base_url + painted, viewport, False, SHOTS / f"{name}.png")
    full = _first_screen(new_context, base_url + painted, viewport, True, SHOTS / f"{name}-finished.png")
    assert len(first) > 10, f"{painted}: nearly nothing in the first screen"
    finished = {element["i"]: element for element in full}
    differences = [f"<{e['tag']} class='{e['cls']}'> first {e['box']} {e['look']!r}, finished "
                   + (f"{finished[e['i']]['box']} {finished[e['i']]['look']!r}" if e["i"] in finished else "not in view")
                   for e in first if finished.get(e["i"], {}).get("box") != e["box"]
                   or finished[e["i"]]["look"] != e["look"]]
    missing = [f"<{e['tag']} class='{e['cls']}'> {e['box']}" for e in full if e["i"] not in {f["i"] for f in first}]
    assert not differences and not missing, (
        f"{painted} at {viewport['width']} px: the first paint differs from the finished page\n  "
        + "\n  ".join((differences + [f"only when finished: {m}" for m in missing])[:15]))
