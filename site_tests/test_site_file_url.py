"""The built folder works when opened straight from the disk (file://), search included."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from search_helpers import search


def test_site_works_from_file_url(page, site_dir, watch):
    seen = watch(page)
    start = (site_dir / "index.html").as_uri()
    page.goto(start)
    expect(page.locator("h1").first).to_have_text("Personsäkerhet för förtroendevalda")

    link = page.locator(".md-sidebar--primary nav.md-nav--primary").get_by_role("link", name="Före", exact=True)
    link.click()
    expect(page).to_have_url((site_dir / "fore" / "index.html").as_uri())
    expect(page.locator("h1").first).to_have_text("Före")

    # The offline plugin's iframe-worker shim runs the search worker without a server.
    hrefs = search(page, "polisanmälan")
    target = (site_dir / "efter" / "polisanmalan.html").as_uri()
    assert any(href.partition("#")[0] == target for href in hrefs), (
        f"search from file:// did not show {target}; it showed {hrefs or 'no results'}")
    # ... and the result is a working link.
    page.locator(".md-search-result__list a.md-search-result__link", has_text=re.compile("Polisanmälan")).first.click()
    expect(page.locator("h1").first).to_have_text("Polisanmälan")

    assert not seen.page_errors, f"page errors from file://: {seen.page_errors}"
