"""Every page of the built site renders, in Swedish, without errors, and its links lead somewhere."""

from __future__ import annotations

import html.parser
import urllib.error
import urllib.parse
import urllib.request
from functools import lru_cache

import pytest
from playwright.sync_api import expect

from site_support import PHONE, quick_exit_url


def test_page_renders(visits, page_path):
    """HTTP 200, <html lang="sv">, a title, an h1 with text, and no console or page errors."""
    visit = visits(page_path)
    assert visit.status == 200, f"{page_path}: HTTP {visit.status}"
    assert visit.lang == "sv", f"{page_path}: <html lang={visit.lang!r}>, expected 'sv'"
    assert visit.title.strip(), f"{page_path}: the <title> is empty"
    assert visit.h1, f"{page_path}: no <h1>"
    assert visit.h1[0], f"{page_path}: the first <h1> has no text"
    assert not visit.problems, f"{page_path}: errors while loading:\n  " + "\n  ".join(visit.problems)


class _Ids(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("id", "name") and value:
                self.ids.add(value)


@lru_cache(maxsize=None)
def _fetch(url: str) -> tuple[int, frozenset[str]]:
    """Status and element ids of a page of the local server."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            body = response.read()
            status = response.status
            kind = response.headers.get_content_type()
    except urllib.error.HTTPError as error:
        return error.code, frozenset()
    ids = _Ids()
    if kind == "text/html":
        ids.feed(body.decode("utf-8", "replace"))
    return status, frozenset(ids.ids)


def test_internal_links_resolve(visits, base_url, page_path):
    """Every link into the site reaches an existing file, and every #anchor exists on its page."""
    broken = []
    for link in visits(page_path).links:
        href = link["href"]
        if href.startswith("file:"):
            broken.append(f"{link['raw']!r} ({link['text']!r}) points at the local disk: {href}")
            continue
        if not href.startswith(("http://", "https://")):
            continue  # tel:, mailto: are not files
        if not href.startswith(base_url):
            if href == quick_exit_url(base_url):
                continue  # the quick exit's everyday page: another website, on the test server here
            if urllib.parse.urlsplit(href).hostname in ("127.0.0.1", "localhost"):
                broken.append(f"{link['raw']!r} ({link['text']!r}) leaves the site's sub-path: {href}")
            continue  # a link to another website is allowed; only requests are not
        target, _, fragment = href.partition("#")
        status, ids = _fetch(target)
        if status != 200:
            broken.append(f"{link['raw']!r} ({link['text']!r}) -> HTTP {status}")
        elif fragment and urllib.parse.unquote(fragment) not in ids:
            broken.append(f"{link['raw']!r} ({link['text']!r}) -> no element with id {fragment!r} on the target page")
    assert not broken, f"{page_path}: {len(broken)} broken link(s):\n  " + "\n  ".join(sorted(set(broken)))


@pytest.mark.parametrize("phone_page", ["index.html", "under/hot-telefon.html"])
def test_acute_call_is_above_the_fold_on_a_phone(new_context, base_url, phone_page):
    """The "Akut fara? Ring 112" strip is the first thing on a phone, and its call is a tel: link."""
    page = new_context(PHONE).new_page()
    page.goto(base_url + phone_page)
    call = page.locator(".acute-bar a[href^='tel:']").first
    expect(call).to_be_visible()
    expect(call).to_be_in_viewport(ratio=1)
    box = call.bounding_box()
    assert box and box["height"] >= 44 and box["width"] >= 44, f"the call link is smaller than 44 px: {box}"
