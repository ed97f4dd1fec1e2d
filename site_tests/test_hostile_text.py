"""Text that looks like markup is shown as text and runs nothing: in a page (in backticks, where a
page may hold it), in a flow's steps and in a contact; in the built HTML, in the live flow, in search.

`handbok check` refuses a `<` followed by a letter in tree texts and contacts. The hostile project
here is built with those two checks switched off, to show that everything that renders the texts
escapes them anyway. Titles are left out: Material prints page titles as raw HTML, so for titles
the check's refusal is the defence. The browser bypasses the site's Content-Security-Policy, so
that what is tested is the escaping alone. Each payload would set `window.__pwned` if it ran.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from search_helpers import search
from site_support import BUILD_ENV, REPO_ROOT, SUB_PATH, TODAY, serve_site

ENGINE_WAIT_MS = 120_000  # a cold Pyodide start on a busy two-core machine; waiting, not asserting

PAGE_SCRIPT = '<script>window.__pwned = "sida"</script>'
PAGE_IMG = "<img src=x onerror=\"window.__pwned = 'sida-bild'\">"
PAGE_BLOCK = '<script>window.__pwned = "kodblock"</script>'
NODE_TITLE = "<img src=x onerror=\"window.__pwned = 'fraga'\">"
NODE_TEXT = '<script>window.__pwned = "fragetext"</script>'
OPTION = '<script>window.__pwned = "svar"</script>'
ACTION = "<img src=x onerror=\"window.__pwned = 'atgard'\">"
CONTACT_NAME = "<img src=x onerror=\"window.__pwned = 'kontakt'\">"
CONTACT_WHEN = '<script>window.__pwned = "kontakt-nar"</script>'

# The check's HTML tests, switched off for this build only (see the module's docstring).
BUILD = """\
import re, sys
from generator.site import contacts
from generator.trees import texts
contacts.HTML_PATTERN = texts.HTML_RE = re.compile(r"(?!)")
from generator.cli import main
root, site = sys.argv[1:]
sys.exit(main(["--root", root, "paths"]) or main(["--root", root, "build", "--site-dir", site]))
"""


def _q(text: str) -> str:
    """A YAML scalar holding `text` exactly (JSON strings are YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _hostile_project(root: Path) -> None:
    for name in ("content", "decision_trees", "theme"):
        shutil.copytree(REPO_ROOT / name, root / name)
    shutil.copy(REPO_ROOT / "mkdocs.yml", root / "mkdocs.yml")
    (root / "node_modules").symlink_to(REPO_ROOT / "node_modules")  # the flows' runtime: the installed Pyodide
    today = TODAY  # the build takes it for today (BUILD_ENV)
    with open(root / "content" / "kontakter.yml", "a", encoding="utf-8") as contacts:
        contacts.write(f'hostil:\n  name: {_q(CONTACT_NAME)}\n  phone: "010-123 45 67"\n  when: {_q(CONTACT_WHEN)}\n')
    (root / "content" / "prov.md").write_text(f"""\
---
title: Prov med kod
description: Text som ser ut som HTML.
sources: [handlingsplan]
reviewed: {today}
---

# Prov med kod

Skriv aldrig `{PAGE_SCRIPT}` i en sida.

Inte heller `{PAGE_IMG}`.

```
{PAGE_BLOCK}
```

Ring [[kontakt:hostil]].
""", encoding="utf-8")
    (root / "decision_trees" / "hostil.yml").write_text(f"""\
id: hostil
title: Prov med text som ser ut som HTML
sources: [handlingsplan]
reviewed: {today}
start: fraga
nodes:
  - id: fraga
    kind: choice
    title: {_q(NODE_TITLE)}
    text: {_q(NODE_TEXT)}
    options:
      - {{id: ja, label: {_q(OPTION)}, next: klart}}
      - {{id: nej, label: Nej, next: klart}}
  - id: klart
    kind: outcome
    title: Klart
    call: [hostil]
    actions:
      - {_q(ACTION)}
""", encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_url():
    folder = Path(tempfile.mkdtemp(prefix="tryggt-hostile-"))
    try:
        _hostile_project(folder / "repo")
        result = subprocess.run([sys.executable, "-c", BUILD, str(folder / "repo"), str(folder / "site")],
                                cwd=REPO_ROOT, env=BUILD_ENV, capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            pytest.fail(f"the hostile project did not build:\n{result.stdout}{result.stderr}", pytrace=False)
        with serve_site(folder / "site", SUB_PATH) as url:
            yield url
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def open_page(new_context):
    def go(url: str, javascript: bool = True):
        page = new_context(bypass_csp=True, java_script_enabled=javascript).new_page()
        page.goto(url)
        page.wait_for_load_state("networkidle")
        return page

    return go


def ran_nothing(page) -> None:
    assert page.evaluate("() => window.__pwned") is None
    # No element was made from the payloads: no <img src=x>, no script that mentions the flag.
    assert page.locator('img[src="x"]').count() == 0
    assert page.evaluate("""() => [...document.scripts].filter(s => !s.type || /javascript|module/.test(s.type))
                                  .filter(s => s.textContent.includes('__pwned')).length""") == 0


def shown(page, text: str, within: str = "body"):
    """The first visible element under `within` whose text holds `text` literally."""
    found = page.locator(within).get_by_text(text, exact=False)
    expect(found.first).to_be_visible()
    return found.first


def test_a_page_shows_markup_in_backticks_as_code(hostile_url, open_page):
    page = open_page(hostile_url + "prov.html")
    for text in (PAGE_SCRIPT, PAGE_IMG, PAGE_BLOCK):
        assert shown(page, text, "article").evaluate("e => e.closest('code, pre') !== null")
    shown(page, CONTACT_NAME, "article .contact")
    ran_nothing(page)


def test_the_contacts_page_shows_a_contact_as_text(hostile_url, open_page):
    page = open_page(hostile_url + "kontakter.html")
    shown(page, CONTACT_NAME, "table.contacts")
    shown(page, CONTACT_WHEN, "table.contacts")
    ran_nothing(page)


def test_the_static_flow_shows_its_texts_as_text(hostile_url, open_page):
    page = open_page(hostile_url + "floden/hostil.html", javascript=False)
    body = page.locator("article").text_content()
    for text in (NODE_TITLE, NODE_TEXT, OPTION, ACTION, CONTACT_NAME):
        assert text in body
    shown(page, NODE_TITLE, "article")
    ran_nothing(page)


def test_the_live_flow_shows_its_texts_as_text(hostile_url, open_page):
    page = open_page(hostile_url + "floden/hostil.html")
    expect(page.locator(".flow")).to_have_attribute("data-engine", "ready", timeout=ENGINE_WAIT_MS)
    step = page.locator('section[data-node="fraga"]')
    shown(page, NODE_TITLE, 'section[data-node="fraga"]')
    shown(page, NODE_TEXT, 'section[data-node="fraga"]')
    step.locator('a.flow-option[data-option="ja"]').click()
    expect(page.locator('section[data-outcome="klart"]')).to_be_visible()
    shown(page, ACTION, 'section[data-outcome="klart"]')
    shown(page, CONTACT_NAME, 'section[data-outcome="klart"]')
    ran_nothing(page)


def test_search_results_show_the_texts_as_text(hostile_url, open_page):
    page = open_page(hostile_url + "index.html")
    results = search(page, "onerror")
    assert results, "the search finds the pages with the texts"
    ran_nothing(page)
