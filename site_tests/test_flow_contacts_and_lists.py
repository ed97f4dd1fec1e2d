"""Issue 17, in the built site: every step that asks the reader to call or report shows the
number or address in the step itself; links to other flows lead somewhere; the conditional
actions of an outcome carry what the live flow needs to show the engine's list; the flows'
text-form diagrams stay out of the search index; checklists on pages are a plain list on screen
and boxes on paper; and the changed flow pages have no axe violations on a phone.

Most of it reads the built HTML (no browser): the static flow is what the live flow shows.
"""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from flow_driver import FLOWS, tree_in_site
from site_support import PHONE

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from generator.engine import Flow, enumerate_paths  # noqa: E402
from generator.language import vocabulary  # noqa: E402

REQUEST_RE = vocabulary("sv").request_re  # the handbook is Swedish: its words that ask a reader to call

SECTION = re.compile(r'<section class="flow-(step|outcome)[^"]*" id="([^"]+)".*?</section>', re.S)
ACTION = re.compile(r'^<li data-action-index="(\d+)"([^>]*)>.*$', re.M)
TAG = re.compile(r"<[^>]+>")
SHOWS_CONTACT = re.compile(r'href="(tel:|https?:)|class="flow-contact-how"')


def words(fragment: str) -> str:
    return " ".join(html.unescape(TAG.sub(" ", fragment)).split())


def flow_html(site_dir: Path, flow: str) -> str:
    return (site_dir / "floden" / f"{flow}.html").read_text(encoding="utf-8")


def requests_without_contact(page: str) -> list[str]:
    """Each step text, outcome lead or action that asks to call or report and shows no number."""
    missing = []
    for match in SECTION.finditer(page):
        kind, section_id, section = match.group(1), match.group(2), match.group(0)
        own = section.split("<h3>")[0] if kind == "outcome" else section
        # The step's own words: its heading and its paragraphs (not the option and rule links).
        texts = re.findall(r"<h2[^>]*>.*?</h2>|<p>.*?</p>", own, re.S)
        if any(REQUEST_RE.search(words(t)) for t in texts):
            shown = SHOWS_CONTACT.search("".join(texts)) or (kind == "outcome" and SHOWS_CONTACT.search(section))
            if not shown:
                missing.append(f"{section_id}: {words(''.join(texts))[:120]}")
        for action in ACTION.finditer(section):
            line = action.group(0)
            if REQUEST_RE.search(words(line)) and not SHOWS_CONTACT.search(line):
                missing.append(f"{section_id}, action {action.group(1)}: {words(line)[:120]}")
    return missing


@pytest.mark.parametrize("flow", FLOWS)
def test_every_step_that_asks_to_call_or_report_shows_the_number(site_dir, flow):
    assert requests_without_contact(flow_html(site_dir, flow)) == []


def test_the_after_incident_steps_named_in_the_issue_carry_their_links(site_dir):
    page = flow_html(site_dir, "efter-en-handelse")
    sections = {m.group(2): m.group(0) for m in SECTION.finditer(page)}
    assert 'href="tel:112"' in sections["steg-larma-forst"]
    assert 'href="tel:+46104705564"' in sections["steg-larma-forst"]  # the guard company
    assert 'href="tel:112"' in sections["steg-polisanmal"] and 'href="tel:11414"' in sections["steg-polisanmal"]
    assert 'href="https://samverkan.regionormland.se/"' in sections["steg-rapportera"]
    assert 'href="tel:+4616103000"' in sections["steg-informera-tib"]
    other = flow_html(site_dir, "vad-gor-jag-nu")
    outcome = next(m.group(0) for m in SECTION.finditer(other) if m.group(2) == "utfall-det-har-hant")
    assert '<a class="flow-link" href="efter-en-handelse.html">Efter en händelse</a>' in outcome


@pytest.mark.parametrize("flow", FLOWS)
def test_links_to_other_flows_lead_to_a_flow_page(site_dir, flow):
    for target in re.findall(r'<a class="flow-link" href="([^"]+)"', flow_html(site_dir, flow)):
        assert (site_dir / "floden" / target).is_file(), target


def test_the_conditional_actions_carry_what_the_live_flow_needs(site_dir):
    """data-action-index on every action, data-if-node on the conditional ones, and the engine's
    outcome.actions[].index names exactly the actions to show."""
    page = flow_html(site_dir, "efter-en-handelse")
    tree = tree_in_site(site_dir, "efter-en-handelse")
    outcome = next(m.group(0) for m in SECTION.finditer(page) if m.group(2) == "utfall-kvar-att-gora")
    items = [(int(m.group(1)), "data-if-node" in m.group(2)) for m in ACTION.finditer(outcome)]
    actions = tree["nodes"]["kvar-att-gora"]["actions"]
    assert items == [(index, bool(action["if"])) for index, action in enumerate(actions)]
    flow = Flow(tree)
    seen = set()
    for path in enumerate_paths(tree):
        if path["outcome"] != "kvar-att-gora":  # violence still going on ends before the ticks
            continue
        shown = [a["index"] for a in flow.run(path["answers"])["outcome"]["actions"]]
        ticked = path["answers"]["redan-gjort"]
        assert len([i for i in shown if actions[i]["if"]]) == 5 - len(ticked)
        seen.add(tuple(shown))
    assert len(seen) == 32, "each set of ticks gives its own list"


def test_the_text_form_diagrams_are_not_in_the_search_index(site_dir):
    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    flow_docs = [doc for doc in index["docs"] if doc["location"].startswith("floden/")]
    assert flow_docs, "the flows' steps are still searchable"
    for doc in flow_docs:
        assert "Diagrammet i textform" not in doc["text"], doc["location"]
        assert "Möjliga utfall" not in doc["text"], doc["location"]
        assert "Flödesschema" not in doc["text"], doc["location"]


def test_checklists_on_pages_are_a_list_on_screen_and_boxes_on_paper(new_context, base_url):
    page = new_context(PHONE, java_script_enabled=False).new_page()
    page.goto(base_url + "efter/checklista.html")
    items = page.locator("article li.task-list-item")
    assert items.count() >= 8
    expect(page.locator("article .task-box").first).to_be_hidden()
    assert page.locator("article input[type=checkbox]").count() == 0, "nothing that looks tickable but is not"
    assert items.first.evaluate("e => getComputedStyle(e).listStyleType") == "disc"
    page.emulate_media(media="print")
    expect(page.locator("article .task-box").first).to_be_visible()
    assert items.first.evaluate("e => getComputedStyle(e).listStyleType") == "none"


@pytest.mark.parametrize("flow_page", ["floden/efter-en-handelse.html", "floden/riskinventering.html"])
def test_no_axe_violations_on_the_changed_flows_on_a_phone(visits, flow_page):
    visit = visits(flow_page, PHONE)
    assert not visit.violations, json.dumps(visit.violations, ensure_ascii=False)[:2000]
