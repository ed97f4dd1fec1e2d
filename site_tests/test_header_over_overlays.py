"""112 and the quick exit over everything the reader opens (issue 29): with search open (a query
typed, results shown) and with the menu drawer open, on a phone and on a tablet in landscape, the
header's call link and the quick exit are in view, at least 44 × 44 px, on top (the tap reaches
them) and in the accessibility tree, axe finds nothing, and the quick exit leaves."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from search_helpers import ANSWERED, READY
from site_support import AXE_JS, REPO_ROOT, WCAG_TAGS, quick_exit_url

PAGE = "efter/polisanmalan.html"  # a long content page, opened at its top: the red strip in view
QUICK_EXIT = json.loads((REPO_ROOT / "generator/languages/sv.json").read_text(encoding="utf-8"))["quick_exit"]
CONTROLS = {"call link": ".md-header .header-call", "quick exit": ".md-header .quick-exit"}

# Where each control is, and what the screen has on top at its centre.
_ON_TOP = """selector => {
    const el = document.querySelector(selector), r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    return {x: r.x, y: r.y, w: r.width, h: r.height, href: el.getAttribute('href'),
            onTop: hit === el || el.contains(hit), hit: hit ? hit.outerHTML.slice(0, 120) : null};
}"""


def _open_search(page) -> None:
    box = page.locator("input.md-search__input")
    magnifier = page.locator("header label.md-header__button[for='__search']")
    # Below 60em the magnifier opens search; wider, the field is in the header.
    opener = magnifier if magnifier.is_visible() else box
    where = opener.bounding_box()
    assert where["x"] + where["width"] <= page.viewport_size["width"], f"search is pushed out of view: {where}"
    opener.tap()
    meta = page.locator(".md-search-result__meta")
    expect(meta).to_have_text(READY)
    box.fill("hot")
    box.press("End")  # Material searches on keyup
    expect(meta).to_have_text(ANSWERED)
    expect(page.locator(".md-search-result__item").first).to_be_visible()


def _open_drawer(page) -> None:
    page.locator("header label.md-header__button[for='__drawer']").tap()
    drawer = page.locator(".md-sidebar--primary")
    # Open once it has slid in whole (Material's transition).
    page.wait_for_function("el => el.getBoundingClientRect().left >= 0", arg=drawer.element_handle())


def _check_controls(page, viewport: dict, state: str) -> None:
    for name, selector in CONTROLS.items():
        box = page.evaluate(_ON_TOP, selector)
        where = f"{state} at {viewport['width']} px: the {name} {box}"
        assert 0 <= box["x"] and box["x"] + box["w"] <= viewport["width"], f"{where} is cut off"
        assert 0 <= box["y"] and box["y"] + box["h"] <= viewport["height"], f"{where} is out of view"
        assert box["w"] >= 44 and box["h"] >= 44, f"{where} is smaller than 44 × 44 px"
        assert box["onTop"], f"{where} is covered by {box['hit']}"
    assert page.evaluate(_ON_TOP, CONTROLS["call link"])["href"] == "tel:112"


def _accessible_links(page) -> list[str]:
    """The names of the links in Chromium's own accessibility tree that a screen reader reaches."""
    session = page.context.new_cdp_session(page)
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    session.detach()
    return [node.get("name", {}).get("value", "") for node in nodes
            if node.get("role", {}).get("value") == "link" and not node.get("ignored")]


def _axe_violations(page) -> list[str]:
    """axe-core on the page as it is now (the per-page tests never open search or the drawer)."""
    # Material's sheets switched on (late-styles.js), or axe may judge the first screen's colours.
    page.wait_for_function("() => !document.querySelector('link[data-tryggt-later]')")
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    found = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
                          "resultTypes: ['violations']})", WCAG_TAGS)["violations"]
    return [f"{v['id']}: {[node['target'] for node in v['nodes']]}" for v in found]


def _tap_call_link(page) -> None:
    """Tap the call link; the tap must reach it (the phone would dial; here the dial is stopped)."""
    page.evaluate("""() => { window.__tapped = null; document.addEventListener('click', event => {
        window.__tapped = event.target.closest('a') && event.target.closest('a').getAttribute('href');
        event.preventDefault(); }, {capture: true, once: true}); }""")
    page.locator(CONTROLS["call link"]).tap()
    assert page.evaluate("window.__tapped") == "tel:112"


@pytest.mark.parametrize("width", [390, 320, 1000])
def test_call_link_and_quick_exit_stay_on_top_of_search_and_the_drawer(new_context, base_url, width):
    viewport = {"width": width, "height": 800}
    page = new_context(viewport=viewport, has_touch=True, is_mobile=width < 1000).new_page()
    page.goto(base_url + "index.html")
    page.goto(base_url + PAGE)

    _open_search(page)
    _check_controls(page, viewport, "search open")
    dialog = page.locator(".md-search[role=dialog]")
    assert dialog.get_attribute("aria-modal") is None, "a modal search dialog hides the header from screen readers"
    links = _accessible_links(page)
    assert any("112" in name for name in links), f"no call link in the accessibility tree: {links}"
    assert QUICK_EXIT in links, f"no quick exit in the accessibility tree: {links}"
    assert _axe_violations(page) == []
    _tap_call_link(page)
    page.locator(CONTROLS["quick exit"]).tap()
    page.wait_for_url(quick_exit_url(base_url))
    # The search page's entry is replaced: Back reaches the page before it, no address with a query.
    page.go_back()
    expect(page).to_have_url(base_url + "index.html")

    page.goto(base_url + PAGE)
    _open_drawer(page)
    _check_controls(page, viewport, "drawer open")
    assert _axe_violations(page) == []
    _tap_call_link(page)
    page.locator(CONTROLS["quick exit"]).tap()
    page.wait_for_url(quick_exit_url(base_url))
