"""Driving Material for MkDocs' search box the way a reader does."""

from __future__ import annotations

import re

from playwright.sync_api import expect

# Material's Swedish texts in the result list's header.
READY = re.compile(r"Skriv sökord")
ANSWERED = re.compile(r"sökresultat")  # "Inga sökresultat", "1 sökresultat", "7 sökresultat"


# The same in English, Material's texts on a site whose theme.language is en.
READY_EN = re.compile(r"Type to start searching")
ANSWERED_EN = re.compile(r"matching document|No matching")


def search(page, query: str, ready: re.Pattern = READY, answered: re.Pattern = ANSWERED) -> list[str]:
    """Type `query` into the header's search box; return the hrefs of the results shown.

    The hrefs are absolute URLs, in the order shown, with the sections of each page
    ("N till på denna sida") after the page itself. `ready`, `answered`: the result list's
    header before and after the query, in the site's language.
    """
    box = page.locator("input.md-search__input")
    # Which control opens search depends on the theme's full sheets, switched on late
    # (late-styles.js): ask only once they are on, or a loaded machine sees the first screen's.
    expect(page.locator("link[data-tryggt-later]")).to_have_count(0)
    # Phone width: the magnifier in the header opens the search (the closed box may still count as
    # visible, under the acute strip, so ask the magnifier, which only a narrow header shows).
    magnifier = page.locator("header label.md-header__button[for='__search']")
    if magnifier.is_visible() and not page.evaluate("document.getElementById('__search').checked"):
        magnifier.click()
    box.click()
    if box.input_value():
        box.fill("")
        box.press("End")
    meta = page.locator(".md-search-result__meta")
    # Wait for the worker to load the index, then send the whole query at once (Material reacts on keyup).
    expect(meta).to_have_text(ready)
    box.fill(query)
    box.press("End")
    expect(meta).to_have_text(answered)
    return _settled_results(page)


def _settled_results(page, rounds: int = 20) -> list[str]:
    """The result links once the list has stopped changing (Material renders in steps)."""
    snapshot = "(meta => [meta.textContent, ...[...document.querySelectorAll("
    snapshot += "'.md-search-result__list a.md-search-result__link')].map(a => a.href)])"
    previous = None
    for _ in range(rounds):
        current = page.evaluate(snapshot + "(document.querySelector('.md-search-result__meta'))")
        if current == previous:
            break
        previous = current
        page.wait_for_timeout(250)
    return previous[1:]
