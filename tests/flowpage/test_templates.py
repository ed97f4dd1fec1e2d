"""The generator's HTML templates (generator/site/templates.py, theme/tryggt/): a site overrides one
from its custom_dir and sees it on its pages and in its PDF; every template escapes what it is given."""

from __future__ import annotations

import copy
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator import cli, pdf
from generator.site.charts import render_bar_chart
from generator.site.contacts import contact_html, contacts_page, number_html
from generator.site.errorpage import render_error_page
from generator.flowpage import render_flow_html
from generator.language import Text
from generator.pdf import document
from generator.problems import Problem
from generator.project import Project
from generator.siteconfig import mkdocs_config, settings_for
from generator.site.templates import Templates, template_names
from generator.theme import THEME_DIR
from .conftest import CONTACTS, TREE

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "kommun"
EVIL = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&"
MARK = "Exempelbys egen utfallsruta"


# --- a site's own outcome box ---------------------------------------------------------------


@pytest.fixture(scope="module")
def local_site(tmp_path_factory) -> Path:
    """The example local site on a copy of the base, with its own tryggt/flow/outcome.html."""
    base = tmp_path_factory.mktemp("mallar") / "base"
    for name in ("content", "decision_trees"):
        shutil.copytree(REPO / name, base / name)
    shutil.copy(REPO / "mkdocs.yml", base / "mkdocs.yml")
    (base / "node_modules").symlink_to(REPO / "node_modules")  # the base's Pyodide, as its npm ci installs it
    site = base / "examples" / "kommun"
    shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns("site"))
    config = site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("theme:\n", "theme:\n  custom_dir: overrides\n", 1), encoding="utf-8")
    packaged = (THEME_DIR / "tryggt" / "flow" / "outcome.html").read_text(encoding="utf-8")
    own = packaged.replace('<h2 id="{{ outcome.heading_id }}">{{ outcome.title }}</h2>',
                           '<h2 id="{{ outcome.heading_id }}">{{ outcome.title }}</h2>\n'
                           f'<p class="egen-ruta">{MARK}: {{{{ outcome.title }}}}</p>')
    assert own != packaged, "the packaged outcome box has changed: update the override here"
    (site / "overrides" / "tryggt" / "flow").mkdir(parents=True)
    (site / "overrides" / "tryggt" / "flow" / "outcome.html").write_text(own, encoding="utf-8")
    return site


def test_a_site_overrides_the_outcome_box_on_its_flow_pages(local_site, tmp_path):
    target = tmp_path / "site"
    assert cli.main(["--root", str(local_site), "build", "--no-pdf", "--site-dir", str(target)]) == 0
    flow = (target / "floden" / "vad-gor-jag-nu.html").read_text(encoding="utf-8")
    outcomes = re.findall(r'<section class="flow-outcome"', flow)
    marks = re.findall(rf'<p class="egen-ruta">{MARK}: [^<]+</p>', flow)
    assert outcomes and len(marks) == len(outcomes)
    # The rest of the page still comes from the packaged templates.
    assert '<section class="flow-step' in flow and '<div class="flow-acute" role="note">' in flow
    # The template is a theme file of the generator, never a page or an asset of the site.
    assert not list(target.rglob("outcome.html"))


def test_a_site_overrides_the_outcome_box_in_its_printed_handbook(local_site, tmp_path):
    settings = settings_for(local_site)
    project = Project.load(settings)
    config = mkdocs_config(local_site)
    book = pdf.Book(project, settings.nav_tree, config.get("markdown_extensions") or [], config.get("site_name", ""),
                    settings.organisation)
    data, _ = pdf.make_pdf(book)
    (tmp_path / "handbok.pdf").write_bytes(data)
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(tmp_path / "handbok.pdf").pages)
    assert f"{MARK}: " in text
    # The packaged site, without the override, prints no such box.
    packaged = Project.load(settings_for(REPO))
    assert MARK not in document.Assembler(pdf.Book(packaged, None)).handbook()


def test_without_a_custom_dir_the_packaged_templates_are_used(tmp_path):
    assert Templates(tmp_path).render("flow/diagram.html", diagram={"svg": None, "label": "", "caption": "x"}) == \
        Templates().render("flow/diagram.html", diagram={"svg": None, "label": "", "caption": "x"})


# --- escaping in every template -------------------------------------------------------------


def _evil_tree() -> dict:
    tree = copy.deepcopy(TREE)
    tree["title"] += EVIL
    tree["flows"] = {"annat": "Annat" + EVIL}
    for node in tree["nodes"].values():
        node["title"] += EVIL
        node["text"] = f"{EVIL} [[nummer:sakerhetshandlaggare]] [[kontakt:rapportwebb]] [[flode:annat|{EVIL}]]\n\n{EVIL}"
        for option in node.get("options", []) or []:
            option["label"] += EVIL
        for item in node.get("items", []) or []:
            item["label"] += EVIL
        for key in ("document", "inform"):
            node[key] = [entry + EVIL for entry in node.get(key) or []] + [EVIL]
        node["actions"] = [{**action, "text": action["text"] + EVIL, "steps": [EVIL]} if isinstance(action, dict) else action + EVIL
                           for action in node.get("actions") or []]
        if node.get("kind") == "outcome":
            node["actions"].append({"text": EVIL, "contact": "vaxel", "if": 'answered(vad-har-hant) and 1 + "<b>" == 2'})
    for level in tree["scales"]["risk"]:
        level["label"] += EVIL
    # A form step and an outcome's account (tryggt/flow/form.html, account.html).
    outcome = next(key for key, node in tree["nodes"].items() if node["kind"] == "outcome")
    tree["nodes"]["skriv"] = {"id": "skriv", "kind": "form", "title": EVIL, "text": EVIL, "next": [{"if": None, "goto": outcome}],
                              "fields": [{"id": kind, "label": EVIL, "type": kind, "required": kind == "line", "hint": EVIL}
                                         for kind in ("line", "text", "datetime", "yesno")]}
    tree["nodes"][outcome]["template"] = {"title": EVIL, "sections": [
        {"heading": EVIL, "text": f"{EVIL} [[answer:skriv.text]]\n[[answer:skriv.yesno]] {EVIL}"}]}
    return tree


def _evil_contacts() -> dict:
    contacts = {key: {**contact, "name": contact["name"] + EVIL, "when": (contact.get("when") or "") + EVIL}
                for key, contact in copy.deepcopy(CONTACTS).items()}
    contacts["ord"] = {"name": "Ord" + EVIL, "phone": None, "url": None, "via": None, "how": EVIL, "when": None}
    contacts["farlig"] = {"name": "Farlig" + EVIL, "phone": None, "url": "javascript:alert(3)", "via": None, "when": None}
    return contacts


def _render_everything(templates: Templates) -> list[str]:
    """Every packaged template, each given hostile text wherever its context holds text."""
    text = Text("sv")
    contacts = _evil_contacts()
    out = [render_flow_html(_evil_tree(), contacts, "", {"data-pyodide": EVIL}, text, templates)]
    out.append(contacts_page(contacts, contacts["larm"], text, templates))
    out += [number_html(contact, contacts, templates) + contact_html(contact, contacts, templates) for contact in contacts.values()]
    out.append(render_bar_chart({"title": EVIL, "unit": "", "series": [EVIL, "b"], "rows": [{"label": EVIL, "values": [10, None]}]},
                                "x", templates))
    out.append(render_error_page([Problem(EVIL, 1, 1, EVIL, EVIL)], templates, text))
    head = {"lang": EVIL, "title": EVIL, "author": EVIL, "description": EVIL, "date": EVIL}
    out.append(templates.render("pdf/handbook.html", head=head, chapters=[{"part": EVIL, "id": EVIL, "classes": EVIL, "body": EVIL}],
                                cover={"kicker": EVIL, "title": EVIL, "lead": EVIL, "acute_words": EVIL, "acute_number": EVIL,
                                       "organisation": EVIL, "published": EVIL},
                                contents={"title": EVIL, "entries": [{"section": True, "href": EVIL, "title": EVIL, "children": [
                                    {"section": False, "href": EVIL, "title": EVIL, "children": []}]}]}))
    out.append(templates.render("pdf/pocket.html", head=head, cards=[{"id": EVIL, "body": EVIL}], origin=EVIL))
    out.append(templates.render("pdf/elsewhere.html", content=EVIL))
    out.append(templates.render("sources.html", t=text.strings, sources=[{"title": EVIL, "url": EVIL, "details": [EVIL, EVIL]},
                                                                         {"title": EVIL, "url": None, "details": [EVIL]}],
                                reviewed=EVIL))
    return out


class _Elements(HTMLParser):
    """Every start tag and its attributes (the JSON data blocks aside)."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        if not (tag == "script" and dict(attrs).get("type") == "application/json"):
            self.found.append((tag, attrs))


def test_every_template_escapes_what_it_is_given(tmp_path):
    templates = Templates(tmp_path)  # an environment of its own: its cache shows what was loaded
    rendered = "\n".join(_render_everything(templates))
    loaded = {name for _, name in templates.environment.cache.keys()}
    assert loaded >= set(template_names()), f"not rendered by this test: {set(template_names()) - loaded}"
    elements = _Elements()
    elements.feed(rendered)
    assert not [tag for tag, _ in elements.found if tag in ("img", "script")], "markup from text"
    assert not [name for _, attrs in elements.found for name, _ in attrs if name.startswith("on")], "an event attribute from text"
    assert not [value for _, attrs in elements.found for name, value in attrs if name == "href" and "javascript:" in (value or "")]
    assert rendered.count("&lt;script&gt;alert(1)&lt;/script&gt;") > 50
    # The data block: no text can close the element.
    data = re.search(r'<script type="application/json" class="flow-tree"[^>]*>(.*?)</script>', rendered, re.S).group(1)
    assert "<" not in data and "\\u003cscript\\u003e" in data


def test_no_template_turns_escaping_off():
    for name in template_names():
        source = (THEME_DIR / name).read_text(encoding="utf-8")
        assert not re.search(r"\|\s*safe\b|autoescape\s+false|\{%-?\s*autoescape", source), name


def test_a_number_in_a_page_is_drawn_by_the_sites_own_template(local_site):
    """[[nummer:KEY]] in a page goes through the site's custom_dir like every generated piece of HTML."""
    own = local_site / "overrides" / "tryggt" / "contacts" / "number.html"
    own.parent.mkdir(parents=True, exist_ok=True)
    own.write_text('<span class="egen-nummer">{{ number.tel.text if number.tel else number.text }}</span>', encoding="utf-8")
    try:
        project = Project.load(settings_for(local_site))
        doc, page = next((doc, p) for doc, p in project.pages.items() if "[[nummer:" in p.body)
        html = project.render_page_markdown(doc, page.body)
        assert '<span class="egen-nummer">' in html and 'class="tel"' not in html
    finally:
        own.unlink()


def test_the_sources_block_of_a_page_is_drawn_by_the_sites_own_template(small_project):
    """The sources and the day of the last review that close every page come from tryggt/sources.html."""
    config = small_project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("theme:\n", "theme:\n  custom_dir: overrides\n", 1), encoding="utf-8")
    own = small_project / "overrides" / "tryggt" / "sources.html"
    own.parent.mkdir(parents=True)
    own.write_text('<aside class="egna-kallor">{% for source in sources %}<cite>{{ source.title }}</cite>{% endfor %}'
                   '{{ reviewed }}</aside>', encoding="utf-8")
    project = Project.load(settings_for(small_project))
    footer = project.sources_footer(project.pages["index.md"].meta)
    assert footer == '\n\n<aside class="egna-kallor"><cite>Handlingsplan</cite>2026-11-01</aside>\n'
