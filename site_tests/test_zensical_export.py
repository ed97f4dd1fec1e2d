"""The way off MkDocs (issue 28): `handbok export`, built by Zensical, walked in Chromium.

Zensical (pinned: ZENSICAL) is installed from the package registry into a virtual environment of its
own in the cache folder (TRYGGT_CACHE_DIR, else ~/.cache/tryggt), once; on a machine with empty
caches the first run installs it. The export is built with `zensical build` and served under a
sub-path with the Content-Security-Policy header `handbok csp` gives for it (the export has no CSP
meta: docs/zensical.md). Every request to another host is recorded and refused.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
from playwright.sync_api import expect

from flow_driver import engine_ready, shortest_path_to_each_outcome, tree_in_site, walk_by_mouse
from site_support import BUILD_ENV, DESKTOP, PHONE, REPO_ROOT, SUB_PATH, serve_site

sys.path.insert(0, str(REPO_ROOT))
from generator.runtime import cache_dir  # noqa: E402

ZENSICAL = "0.0.73"  # the newest that installs here; docs/zensical.md says which were tried
INSTALL_TIMEOUT = 300  # waiting for the registry, not asserting how fast it is
FLOW = "vad-gor-jag-nu"


def zensical_python() -> Path:
    """The Python of a virtual environment with Zensical ZENSICAL in it, made once in the cache."""
    venv = cache_dir() / f"zensical-{ZENSICAL}"
    python, done = venv / "bin" / "python", venv / ".installed"
    if done.is_file():
        return python
    shutil.rmtree(venv, ignore_errors=True)  # a half-made one from an interrupted run
    venv.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=INSTALL_TIMEOUT)
    result = subprocess.run([str(python), "-m", "pip", "install", "--quiet", f"zensical=={ZENSICAL}"],
                            capture_output=True, text=True, timeout=INSTALL_TIMEOUT)
    assert result.returncode == 0, f"zensical {ZENSICAL} did not install:\n{result.stdout}{result.stderr}"
    done.write_text(ZENSICAL, encoding="utf-8")
    return python


def run(command: list[str], cwd: Path) -> str:
    result = subprocess.run(command, cwd=cwd, env=BUILD_ENV, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"$ {' '.join(command)}\n{result.stdout}{result.stderr}"
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory) -> Path:
    python = zensical_python()
    exported = tmp_path_factory.mktemp("zensical") / "export"
    run([sys.executable, "-m", "generator.cli", "export", str(exported)], REPO_ROOT)
    output = run([str(python), "-m", "zensical", "build"], exported)
    assert "No issues found" in output, output
    return exported / "site"


@pytest.fixture(scope="module")
def zensical_url(zensical_site) -> str:
    csp = run([sys.executable, "-m", "generator.cli", "csp", "--site-dir", str(zensical_site)], REPO_ROOT).strip().splitlines()[-1]
    with serve_site(zensical_site, SUB_PATH, headers={"Content-Security-Policy": csp}) as url:
        yield url


@pytest.fixture
def reader(new_context, watch, zensical_url):
    """open(path, viewport) -> page; after the test: no console or page error, no bad response,
    and no request to another host (each one is refused, and listed) but those to the addresses
    in `open.neutral` (where the quick exit leads), answered here with a neutral page."""
    opened, foreign = [], []
    host = urllib.parse.urlsplit(zensical_url).netloc

    def refuse(route):
        if route.request.url in open_page.neutral:
            return route.fulfill(status=200, content_type="text/html", body="<p>ok</p>")
        foreign.append(route.request.url)
        return route.abort()

    def open_page(path: str, viewport: dict = DESKTOP):
        context = new_context(viewport)
        context.route(lambda url: urllib.parse.urlsplit(url).scheme in ("http", "https")
                      and urllib.parse.urlsplit(url).netloc != host, refuse)
        page = context.new_page()
        opened.append(watch(page))
        page.goto(zensical_url + path)
        return page

    open_page.neutral = set()
    yield open_page
    assert not foreign, f"requests to other hosts: {foreign}"
    assert not [p for w in opened for p in w.problems()], [p for w in opened for p in w.problems()]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_the_header_search_reaches_zensicals_search_in_swedish(reader, viewport):
    page = reader("index.html", viewport)
    header = page.locator("header.md-header")
    expect(header.locator(".header-call")).to_have_attribute("href", "tel:112")
    expect(header.locator("[data-quick-exit]")).to_be_visible()
    expect(page.locator(".acute-bar")).to_be_visible()
    # Zensical's search opens from its button (wide) or the magnifier (narrow, where the button is hidden).
    button = page.locator(".md-search__button")
    (button if button.is_visible() else header.locator("label[for='__search']")).click()
    page.keyboard.type("polisanmälan")
    # Zensical's results: a list in its dialog (in a shadow root, which the locator enters).
    found = page.locator("dialog li a[href$='/efter/polisanmalan.html']").first
    expect(found).to_be_visible()
    found.click()
    expect(page).to_have_url(f"{page.url.split(SUB_PATH)[0]}{SUB_PATH}efter/polisanmalan.html")


# The contrast of an element's text on what is behind it (the first opaque background up the tree).
CONTRAST = """element => {
  const rgb = (text) => text.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  let back = element;
  while (back && (rgb(getComputedStyle(back).backgroundColor)[3] ?? 1) === 0) back = back.parentElement;
  const fore = lum(rgb(getComputedStyle(element).color)), behind = lum(rgb(getComputedStyle(back).backgroundColor));
  return (Math.max(fore, behind) + 0.05) / (Math.min(fore, behind) + 0.05) * Number(getComputedStyle(element).opacity);
}"""


def test_the_start_pages_buttons_read_as_buttons(reader):
    page = reader("index.html", PHONE)
    for button in page.locator(".md-typeset .md-button").all():
        assert button.evaluate(CONTRAST) >= 4.5, button.inner_text()


def test_a_flow_reaches_an_outcome_with_its_engine(reader, zensical_site):
    tree = tree_in_site(zensical_site, FLOW)
    route = min(shortest_path_to_each_outcome(tree).values(), key=lambda found: len(found["path"]))
    page = reader(f"floden/{FLOW}.html", PHONE)
    engine_ready(page)
    walk_by_mouse(page, tree, route["answers"], route["path"])


def test_the_quick_exit_leaves_the_site(reader):
    page = reader("akut.html", PHONE)
    link = page.locator("header [data-quick-exit]")
    target = urllib.parse.urljoin(page.url, link.get_attribute("href"))  # the test server answers its own (BUILD_ENV)
    reader.neutral.add(target)  # a neutral page of another host, answered here
    link.click()
    page.wait_for_url(target)
    assert SUB_PATH not in page.url


def test_the_export_keeps_the_pdfs(zensical_site):
    for name in ("handbok.pdf", "fickkort.pdf"):
        assert (zensical_site / name).read_bytes().startswith(b"%PDF"), name


def test_the_plugins_page_step_runs_inside_zensical(tmp_path):
    """Issue 28, item 4: generator/zensical_pages.py, a Markdown extension, expands a page's
    references and lists its sources when Zensical renders the site itself (no export)."""
    site = tmp_path / "site"
    for folder in ("content", "decision_trees"):
        shutil.copytree(REPO_ROOT / folder, site / folder)
    config = (REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "\nmarkdown_extensions:\n" in config
    config = config.replace("\nmarkdown_extensions:\n", "\nmarkdown_extensions:\n  - generator.zensical_pages:\n      root: .\n", 1)
    (site / "mkdocs.yml").write_text(config, encoding="utf-8")
    # As a publisher would install the generator into Zensical's environment: its code and libraries,
    # the installed package's own import hooks included (generator.theme is theme/, mapped by the
    # editable install's .pth file, which only a site folder runs: PYTHONPATH alone would skip it).
    libraries = subprocess.run([sys.executable, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip()
    bridge = tmp_path / "bridge"
    bridge.mkdir()
    (bridge / "sitecustomize.py").write_text(f"import site\nsite.addsitedir({libraries!r})\n", encoding="utf-8")
    result = subprocess.run([str(zensical_python()), "-m", "zensical", "build"], cwd=site, capture_output=True, text=True,
                            env={**BUILD_ENV, "PYTHONPATH": str(bridge)}, timeout=600)
    built = next((site / "site").glob("under/hot-telefon*.html"), None) or site / "site" / "under" / "hot-telefon" / "index.html"
    assert built.is_file(), result.stdout + result.stderr
    page = built.read_text(encoding="utf-8")
    article = page[page.index("<article"):page.index("</article>")]
    assert 'href="tel:11414"' in article and "[[nummer:" not in article and 'class="page-sources' in article
