"""No request leaves the site: not to another host, not even outside the site's own sub-path."""

from __future__ import annotations

import pytest

from search_helpers import search

LOCAL_SCHEMES = ("data:", "blob:", "about:")

# Pages where the search is also opened and used (a nested page resolves the worker's URLs differently).
SEARCH_PAGES = ["index.html", "under/hot-telefon.html"]


def _foreign(urls: list[str], base_url: str) -> list[str]:
    return sorted({url for url in urls if not url.startswith(LOCAL_SCHEMES) and not url.startswith(base_url)})


def test_no_request_leaves_the_site(visits, base_url, page_path):
    # Recorded on the browser context, so requests from frames and workers count too.
    # (Playwright never reports requests for */favicon.ico; one outside the sub-path would
    # still fail test_page_renders, as the server answers it with 404.)
    visit = visits(page_path)
    assert visit.requests, "no request was recorded at all: the recorder is broken"
    foreign = _foreign(visit.requests, base_url)
    assert not foreign, (f"{page_path} made {len(foreign)} request(s) outside {base_url}:\n  "
                         + "\n  ".join(foreign))


@pytest.mark.parametrize("start", SEARCH_PAGES)
def test_search_makes_no_foreign_request(context, base_url, start):
    urls: list[str] = []
    # The context sees the requests of every page, frame and worker it owns.
    context.on("request", lambda request: urls.append(request.url))
    page = context.new_page()
    page.goto(base_url + start, wait_until="networkidle")
    hrefs = search(page, "polisanmälan")
    assert hrefs, "the search showed no result, so it may not have loaded everything it needs"
    page.wait_for_load_state("networkidle")
    assert any("search_index" in url for url in urls), "the search index was never requested"
    foreign = _foreign(urls, base_url)
    assert not foreign, (f"{start} with the search open made {len(foreign)} request(s) outside {base_url}:\n  "
                         + "\n  ".join(foreign))
