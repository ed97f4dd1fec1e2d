"""Contacts in the steps of the printed handbook: a step's first word never stands alone on its line
(WeasyPrint missed the break before an inline element, such as a contact, that starts where the
line must end), and a contact's `how:` that ends in a full stop gives no "..", on paper and on the site.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from weasyprint import CSS, HTML

from generator import pdf
from generator.cli import main, mkdocs_config, settings_for
from generator.pdf.document import Assembler, anchor_for, load_page
from generator.project import Project

CONTACTS = """
rapport:
  name: Rapportvägen
  how: Rapportera på samverkanswebben under Politisk organisation › Personsäkerhet.
vaxel:
  name: Växeln
  phone: "070-174 06 30"
tib:
  name: Tjänsteman i beredskap (TiB)
  via: vaxel
samordnare:
  name: Säkerhetssamordnaren på kommunledningskontorets avdelning för trygghet
  phone: "070-174 06 40"
"""
# Steps as a municipality writes them: the first word, a run of words, then a contact (or a number).
STEPS = [
    "Anmäl du hotet växel dygnet om eller samband ordförande genast informera samband [[kontakt:polis-ej-akut]] om hotet genast ring hotet och partiet rapportera du hotet.",
    "Berätta genast är genast eller vardagar du du händelsen händelsen via samband [[kontakt:rapport]] genast genast samband.",
    "Ring genast och utan dröjsmål eller vänta inte alls med att ta kontakt med [[kontakt:samordnare]] och berätta.",
    "Kontakta om det behövs och så snart du kan under kvällen eller natten [[kontakt:tib]] och berätta vad som hänt.",
    "Larma om någon är i fara eller om du är osäker på om det finns en fara och ring då [[nummer:nodnummer]] genast.",
    "Informera partiet och nämndens ordförande om vad som hänt och vad du har gjort hittills, och [[kontakt:sakerhetsfunktion]].",
]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Project:
    root = tmp_path_factory.mktemp("kontakter") / "site"
    assert main(["init", str(root), "--no-runtime"]) == 0
    with (root / "content" / "kontakter.yml").open("a", encoding="utf-8") as contacts:
        contacts.write(CONTACTS)
    page = root / "content" / "under" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n" + "".join(f"{n}. {s}\n" for n, s in enumerate(STEPS, 4))
                    + "\nRapportera [[kontakt:rapport]]. Hur: [[nummer:rapport]].\n", encoding="utf-8")
    tree = root / "decision_trees" / "vad-har-hant.yml"
    actions = "".join(f"      - {s!r}\n".replace("'", '"') for s in STEPS)
    tree.write_text(tree.read_text(encoding="utf-8").replace(
        "    actions:\n      - text: Ring säkerhetsfunktionen", f"    actions:\n{actions}      - text: Ring säkerhetsfunktionen"),
        encoding="utf-8")
    assert main(["--root", str(root), "paths"]) == 0
    loaded = Project.load(settings_for(root))
    assert not loaded.report.errors, [p.format() for p in loaded.report.errors]
    return loaded


@pytest.fixture(scope="module")
def assembler(project) -> Assembler:
    config = mkdocs_config(project.settings.root)
    return Assembler(pdf.Book(project, config["nav"], config.get("markdown_extensions") or [], config["site_name"]))


def printed(assembler: Assembler, doc: str) -> str:
    """A page's HTML as the handbook prints it."""
    page = load_page(assembler.project, doc, assembler.generated)
    anchors = {doc: anchor_for(doc, assembler.project.words) for doc in [*assembler.project.pages, *assembler.generated]}
    return assembler.page_html(page, anchors)


def first_lines(assembler: Assembler, widths: range) -> dict[int, list[str]]:
    """The first line of every step (the page's list and the flow's actions), at each text width."""
    steps = re.search(r"<ol>.*?</ol>", printed(assembler, "under/index.md"), re.S).group(0)
    flow = printed(assembler, "floden/vad-har-hant.md")
    actions = re.search(r'<ol class="flow-actions">(?:(?!</ol>).)*?Anmäl du hotet.*?</ol>', flow, re.S).group(0)
    body = "".join(f'<div class="at" data-width="{w}" style="width: {w}mm">{steps}'
                   f'<section class="flow-outcome">{actions}</section></div>' for w in widths)
    body = re.sub(r'\sid="[^"]*"', "", body)  # the copies would repeat the page's ids
    style = pdf.font_faces(pdf.FONTS) + (Path(pdf.__file__).parent / "handbok.css").read_text(encoding="utf-8")
    rendered = HTML(string=f"<html><body>{body}</body></html>").render(stylesheets=[CSS(string=style)])
    lines: dict[int, list[str]] = {}
    width, seen = None, set()
    for page in rendered.pages:
        for box in page._page_box.descendants():
            if box.element_tag == "div" and box.element.get("data-width"):
                width = int(box.element.get("data-width"))
            if box.element_tag != "li" or box.element in seen:  # a step's first box, not where it goes on over a page
                continue
            line = next((child for child in getattr(box, "children", []) if type(child).__name__ == "LineBox"), None)
            if line is not None:
                seen.add(box.element)
                words = " ".join(t.text for t in line.descendants()
                                 if isinstance(getattr(t, "text", None), str) and "::" not in (t.element_tag or ""))
                lines.setdefault(width, []).append(" ".join(words.split()))
    return lines


def test_no_step_has_its_first_word_alone_on_its_line_at_any_width(assembler):
    widths = range(110, 171)
    lines = first_lines(assembler, widths)
    assert sorted(lines) == list(widths)
    alone = [(width, line) for width, found in lines.items() for line in found if len(line.split()) == 1]
    assert alone == [], "the first word of a step alone on its line"
    assert all(len(found) >= 2 * len(STEPS) for found in lines.values()), "every step of the page and the flow is read"


def test_words_of_a_contact_that_end_in_a_full_stop_give_no_double_stop(project, assembler):
    page = printed(assembler, "under/index.md")
    flow = printed(assembler, "floden/vad-har-hant.md")
    site = project.render_page_markdown("under/index.md", project.pages["under/index.md"].body)
    for html in (page, flow, site):
        text = re.sub(r"<[^>]+>", "", html)
        assert "Personsäkerhet" in text and ".." not in text
    assert "Politisk organisation › Personsäkerhet</span>." in re.sub(r"<span> </span>", " ", page)
    assert "(Rapportera på samverkanswebben under Politisk organisation › Personsäkerhet)" in flow
