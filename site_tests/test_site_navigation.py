"""The navigation follows Före / Under / Efter and works by clicking, on a desktop and on a phone."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from site_support import PHONE


def _sidebar_link(page, name: str):
    return page.locator(".md-sidebar--primary nav.md-nav--primary").get_by_role("link", name=name, exact=True)


def _expect_page(page, base_url: str, path: str, heading: str) -> None:
    expect(page).to_have_url(re.compile(re.escape(base_url + path) + r"(#.*)?$"))
    expect(page.locator("h1").first).to_have_text(heading)


def test_desktop_sidebar_leads_to_fore_and_efter(page, base_url, watch):
    seen = watch(page)
    page.goto(base_url + "index.html")
    sidebar = page.locator(".md-sidebar--primary")
    expect(sidebar).to_be_visible()

    # The three phases are sections of the main navigation, in this order.
    sections = sidebar.locator("nav.md-nav--primary > ul > li.md-nav__item--section")
    names = [section.locator("a.md-nav__link, label.md-nav__link").first.inner_text().strip()
             for section in sections.all()]
    assert [n for n in names if n in ("Före", "Under", "Efter")] == ["Före", "Under", "Efter"], names

    link = _sidebar_link(page, "Före")
    expect(link).to_be_visible()
    link.click()
    _expect_page(page, base_url, "fore/index.html", "Före")

    link = _sidebar_link(page, "Polisanmälan")
    expect(link).to_be_visible()
    link.click()
    _expect_page(page, base_url, "efter/polisanmalan.html", "Polisanmälan")
    # The page is marked as the current one in the navigation.
    expect(_sidebar_link(page, "Polisanmälan")).to_have_class(re.compile(r"\bmd-nav__link--active\b"))

    assert not seen.page_errors, seen.page_errors


def test_phone_drawer_leads_to_fore_and_efter(new_context, base_url, watch):
    page = new_context(PHONE).new_page()
    seen = watch(page)
    page.goto(base_url + "index.html")
    # On a phone the sidebar is a drawer behind the hamburger button.
    drawer = page.locator("nav.md-nav--primary")
    expect(page.locator(".md-sidebar--primary")).not_to_be_in_viewport()
    hamburger = page.locator("header label.md-header__button[for='__drawer']")
    expect(hamburger).to_be_visible()

    hamburger.click()
    expect(page.locator(".md-sidebar--primary")).to_be_in_viewport()
    link = drawer.get_by_role("link", name="Före", exact=True)
    expect(link).to_be_in_viewport()
    link.click()
    _expect_page(page, base_url, "fore/index.html", "Före")

    page.locator("header label.md-header__button[for='__drawer']").click()
    # The drawer opens on the current section's panel; its title leads back to the top level.
    back = drawer.locator("li.md-nav__item--active.md-nav__item--section > nav > label.md-nav__title")
    expect(back).to_have_text(re.compile(r"^\s*Före\s*$"))
    back.click()
    # Open the "Efter" section (the chevron beside its name), then its page "Polisanmälan".
    efter = drawer.locator("li.md-nav__item--section", has=page.get_by_role("link", name="Efter", exact=True))
    efter.locator("label.md-nav__link[for^='__nav_']").first.click()
    link = efter.get_by_role("link", name="Polisanmälan", exact=True)
    expect(link).to_be_in_viewport()
    link.click()
    _expect_page(page, base_url, "efter/polisanmalan.html", "Polisanmälan")

    assert not seen.page_errors, seen.page_errors
