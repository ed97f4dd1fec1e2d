"""Fixtures for the browser tests: one build, one local server under a sub-path, one browser.

Environment:
  TRYGGT_SITE_DIR  test an already built site instead of building one into a temporary folder.
  TRYGGT_CHROMIUM  the Chromium binary to drive (default /usr/bin/chromium if it exists,
                   otherwise the browser Playwright installed).
"""

from __future__ import annotations

import os
import urllib.parse
import shutil
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from site_support import (AXE_JS, DESKTOP, SUB_PATH, TIMEOUT_MS, WCAG_TAGS, build_site, launch_options,
                          page_paths, serve_site)

# Waiting is not asserting: generous waits keep a busy two-core machine from failing tests.
expect.set_options(timeout=TIMEOUT_MS)

_SITE = pytest.StashKey[tuple]()
_SELECTED_PAGES = pytest.StashKey[set]()


def _site(config: pytest.Config) -> tuple[Path, bool, str]:
    """Build the site once per session (or take TRYGGT_SITE_DIR): (folder, ok, message)."""
    if _SITE not in config.stash:
        given = os.environ.get("TRYGGT_SITE_DIR")
        if given:
            folder = Path(given).resolve()
            ok = (folder / "index.html").is_file()
            message = f"TRYGGT_SITE_DIR={given} has no index.html: build the site there first"
        else:
            tmp = Path(tempfile.mkdtemp(prefix="tryggt-site-tests-"))
            config.add_cleanup(lambda: shutil.rmtree(tmp, ignore_errors=True))
            folder = tmp / "site"
            ok, message = build_site(folder)
        config.stash[_SITE] = (folder, ok, message)
    return config.stash[_SITE]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # The per-page tests are parametrised over the built site's pages; the build happens here,
    # at collection, once, and the site_dir fixture hands the same folder to every test.
    if "page_path" in metafunc.fixturenames:
        folder, ok, _ = _site(metafunc.config)
        paths = page_paths(folder) if ok else ["(the site did not build)"]
        metafunc.parametrize("page_path", paths)


def pytest_collection_finish(session: pytest.Session) -> None:
    # The pages the selected per-page tests need (after -k / -m / node ids): visited up front.
    session.config.stash[_SELECTED_PAGES] = {
        item.callspec.params["page_path"] for item in session.items
        if hasattr(item, "callspec") and "page_path" in item.callspec.params
    }


@pytest.fixture(scope="session")
def site_dir(pytestconfig) -> Path:
    folder, ok, message = _site(pytestconfig)
    if not ok:
        pytest.fail(f"the site could not be built:\n{message}", pytrace=False)
    return folder


@pytest.fixture(scope="session")
def base_url(site_dir) -> str:
    """http://127.0.0.1:<port>/intranat/handbok/ : the site, served under a sub-path."""
    with serve_site(site_dir, SUB_PATH) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options())
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser):
    """A factory of fresh browser contexts (closed after the test); desktop width by default."""
    contexts = []

    def make(viewport: dict = DESKTOP, **options):
        context = browser.new_context(viewport=viewport, locale="sv-SE", **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def context(new_context):
    return new_context()


@pytest.fixture
def page(context):
    return context.new_page()


class PageWatch:
    """Collects what went wrong while a page loaded: console errors, page errors, bad responses."""

    def __init__(self, page):
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.bad_responses: list[str] = []
        self.failed_requests: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("response", self._response)
        page.on("requestfailed", lambda request: self.failed_requests.append(
            f"{request.url}: {request.failure}"))

    def _console(self, message) -> None:
        if message.type == "error":
            where = message.location or {}
            self.console_errors.append(f"{message.text} (at {where.get('url', '?')}:{where.get('lineNumber', '?')})")

    def _response(self, response) -> None:
        if response.status >= 400:
            self.bad_responses.append(f"HTTP {response.status} {response.url}")
        elif response.url.startswith("http") and response.status == 200:
            kind = (response.headers.get("content-type") or "").split(";")[0].strip()
            binary = urllib.parse.urlsplit(response.url).path.endswith(".bin")  # documented as octet-stream
            if kind == "" or (kind == "application/octet-stream" and not binary):
                self.bad_responses.append(f"no known MIME type ({kind or 'none'}) for {response.url}")

    def problems(self) -> list[str]:
        return ([f"console error: {e}" for e in self.console_errors]
                + [f"page error: {e}" for e in self.page_errors]
                + [f"bad response: {e}" for e in self.bad_responses]
                + [f"request failed: {e}" for e in self.failed_requests])


@pytest.fixture
def watch():
    return PageWatch


class Visit:
    """What one visit of one page showed: facts, errors, requests, links and axe's verdict."""

    def __init__(self, page_path: str, viewport: dict):
        self.page_path = page_path
        self.viewport = viewport
        self.status: int | None = None
        self.lang: str | None = None
        self.title = ""
        self.h1: list[str] = []
        self.links: list[dict] = []
        self.requests: list[str] = []
        self.problems: list[str] = []
        self.violations: list[dict] = []
        self.error: BaseException | None = None

    def check(self) -> "Visit":
        if self.error is not None:
            pytest.fail(f"{self.page_path}: the page could not be visited: {self.error}", pytrace=False)
        return self


_FACTS = """() => ({
    lang: document.documentElement.getAttribute('lang'),
    title: document.title,
    h1: [...document.querySelectorAll('h1')].map(h => h.textContent.trim()),
    links: [...document.querySelectorAll('a[href]')].map(a => ({
        href: a.href, raw: a.getAttribute('href'), text: a.textContent.trim().slice(0, 60)})),
})"""

_AXE_RUN = "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"


def visit_pages(browser, base_url: str, page_paths: list[str], viewport: dict = DESKTOP,
                batch: int = 4) -> dict[str, Visit]:
    """Load pages, each in a fresh context, wait for the network to be idle, and record everything.

    A few pages load at the same time (the browser loads them while Python waits on the first),
    which roughly halves the time of the per-page tests on two cores.

    axe-core is injected from node_modules (no request) with page.evaluate rather than a
    <script> tag, so the site's own Content-Security-Policy stays on (no bypass_csp) and any
    CSP violation of the site shows up as a console error of this same visit.
    """
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS} is missing: run `npm ci` in the project folder", pytrace=False)
    axe_source = AXE_JS.read_text(encoding="utf-8")
    results: dict[str, Visit] = {}
    for first in range(0, len(page_paths), batch):
        started = []
        for page_path in page_paths[first:first + batch]:
            result = results[page_path] = Visit(page_path, viewport)
            context = browser.new_context(viewport=viewport, locale="sv-SE")
            context.set_default_timeout(TIMEOUT_MS)
            context.set_default_navigation_timeout(TIMEOUT_MS)
            # The context sees the requests of every page, frame and worker it owns.
            context.on("request", lambda request, result=result: result.requests.append(request.url))
            page = context.new_page()
            seen = PageWatch(page)
            try:
                response = page.goto(base_url + page_path, wait_until="commit")
                result.status = response.status if response else None
            except Exception as error:
                result.error = error
            started.append((result, context, page, seen))
        for result, context, page, seen in started:
            try:
                if result.error is None:
                    page.wait_for_load_state("networkidle")
                    facts = page.evaluate(_FACTS)
                    result.lang, result.title = facts["lang"], facts["title"]
                    result.h1, result.links = facts["h1"], facts["links"]
                    result.problems = seen.problems()
                    page.evaluate(axe_source)
                    result.violations = page.evaluate(_AXE_RUN, WCAG_TAGS)["violations"]
            except Exception as error:  # reported by each test that uses this visit
                result.error = error
            finally:
                context.close()
    return results


@pytest.fixture(scope="session")
def visits(browser, base_url, pytestconfig):
    """visits(page_path[, viewport]) -> Visit. Each page is loaded once at desktop width (every
    page the selected tests need, on the first call) and the visit is shared by the per-page
    tests: renders, requests, links and axe."""
    cache: dict[tuple, Visit] = {}
    selected = sorted(pytestconfig.stash.get(_SELECTED_PAGES, set()))

    def get(page_path: str, viewport: dict = DESKTOP) -> Visit:
        size = (viewport["width"], viewport["height"])
        if (page_path, *size) not in cache:
            wanted = list(selected) if viewport == DESKTOP else []
            wanted = [path for path in wanted if (path, *size) not in cache] or [page_path]
            if page_path not in wanted:
                wanted.append(page_path)
            for path, visit in visit_pages(browser, base_url, wanted, viewport).items():
                cache[(path, *size)] = visit
        return cache[(page_path, *size)].check()

    return get
