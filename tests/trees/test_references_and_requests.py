"""References in tree texts, actions with a condition, and the check that a step asking the
reader to call or report shows the number (issue 17)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from generator.trees import contacts_used, load_tree, load_trees

from .helpers import CONTACTS, DEFAULT_TREES, ROOT, SOURCES, TERMS
from generator.language import vocabulary

WORDS = vocabulary("sv")  # the trees here are a Swedish site's

HEAD = """\
id: {id}
title: {title}
sources: [handlingsplan]
reviewed: 2026-11-22
start: {start}
nodes:
"""
END = """\
  - id: klart
    kind: outcome
    title: Klart
    actions:
      - Gör så här.
"""


def write(folder: Path, tree_id: str, nodes: str, start: str = "steg", title: str = "Prov") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{tree_id}.yml"
    path.write_text(HEAD.format(id=tree_id, title=title, start=start) + nodes, encoding="utf-8")
    return path


def load(path: Path):
    return load_tree(path, path.parent, CONTACTS, SOURCES, terms=TERMS, words=WORDS)


def info(text: str) -> str:
    lines = "\n".join("      " + line if line else "" for line in text.split("\n"))
    return f"""\
  - id: steg
    kind: info
    title: Ett steg
    text: |-
{lines}
    next: klart
""" + END


def warnings(problems) -> list[str]:
    assert not [p for p in problems if p.is_error], [p.format() for p in problems]
    return [f"{p.line}:{p.message}" for p in problems if not p.is_error]


# ---- the check: a step or action that says to call or report and shows no contact ----------


@pytest.mark.parametrize("text, word, kind", [
    ("Ring larmnumret nu.", "Ring", "call"),
    ("Det går fort.\n\nLarma vaktbolaget vid behov.", "Larma", "raise the alarm"),
    ("Polisanmäl händelsen.", "Polisanmäl", "report"),
    ("Alla händelser ska rapporteras till organisationen.", "rapporteras", "report"),
    ("Anmäl kontot till plattformen.", "Anmäl", "report"),
])
def test_a_step_that_asks_to_call_or_report_without_a_number_is_a_warning(tmp_path, text, word, kind):
    compiled, problems = load(write(tmp_path, "prov", info(text)))
    assert compiled is not None, "a warning: the tree still compiles"
    found = warnings(problems)
    assert len(found) == 1, found
    # A text of several lines: the line of the word; of one line: the line of "text:".
    line = 11 + text.split(word)[0].count("\n") if "\n" in text else 10
    assert found[0] == f'{line}:the step "steg" asks the reader to {kind} ("{word}") but shows no number or address'


@pytest.mark.parametrize("text", [
    "Ring [[nummer:larm]] nu.",
    "Polisanmäl händelsen hos [[kontakt:polisen]].",
    "Ring inga andra samtal. Vänta.",   # a negation is no request
    "Skriv ner vad som hände.",
])
def test_a_step_with_a_number_or_without_a_request_passes(tmp_path, text):
    _, problems = load(write(tmp_path, "prov", info(text)))
    assert warnings(problems) == []


def test_an_action_needs_its_own_contact(tmp_path):
    nodes = """\
  - id: steg
    kind: outcome
    title: Gör så här
    call: [larm]
    actions:
      - Larma kollegorna.
      - text: Larma polisen.
        contact: larm
      - text: Polisanmäl, är det akut ring [[nummer:larm]].
      - text: Rapportera händelsen.
        steps:
          - Gör det på [[nummer:polisen]].
      - text: Polisanmäl.
        steps:
          - Ring inte i onödan.
"""
    _, problems = load(write(tmp_path, "prov", nodes))
    assert warnings(problems) == [
        '12:action 1 of the outcome "steg" asks the reader to raise the alarm ("Larma") but shows no number or address',
        '19:action 5 of the outcome "steg" asks the reader to report ("Polisanmäl") but shows no number or address',
    ]


def test_an_outcome_title_is_covered_by_its_call_box_or_any_contact(tmp_path):
    nodes = """\
  - id: steg
    kind: outcome
    title: Fly, sök skydd, larma
    text: Larma när du är i säkerhet.
    actions:
      - FLY.
"""
    _, problems = load(write(tmp_path, "prov", nodes))
    assert warnings(problems) == ['9:the outcome "steg" asks the reader to raise the alarm ("larma") but shows no number or address']
    _, problems = load(write(tmp_path, "prov", nodes.replace("      - FLY.\n", "      - text: LARMA.\n        contact: larm\n")))
    assert warnings(problems) == []


def test_the_default_trees_pass_the_check_and_strict_check_is_clean(capsys):
    trees, problems = load_trees(ROOT, CONTACTS, SOURCES, terms=TERMS, words=WORDS)
    assert sorted(trees) == DEFAULT_TREES
    assert [p.format() for p in problems] == []
    assert main(["--root", str(ROOT), "check", "--strict"]) == 0, capsys.readouterr().out


# ---- references --------------------------------------------------------------------------------


def test_a_flow_reference_takes_the_title_of_the_other_flow(tmp_path):
    write(tmp_path, "annat", END, start="klart", title="Ett  annat flöde")
    path = write(tmp_path, "prov", info("Gå till [[flode:annat]] eller [[flode:annat|dit]]."))
    compiled, problems = load(path)
    assert [p.format() for p in problems] == []
    assert compiled["flows"] == {"annat": "Ett annat flöde"}
    trees, problems = load_trees(tmp_path, CONTACTS, SOURCES, terms=TERMS, trees_dir=".", words=WORDS)
    assert trees["prov"]["flows"] == {"annat": "Ett annat flöde"} and trees["annat"]["flows"] == {}


@pytest.mark.parametrize("text, message", [
    ("Se [[flode:prov]].", "the reference [[flode:prov]] in \"text\" of node \"steg\" leads to this flow itself"),
    ("Se [[flode:annat|]].", 'the link text after "|" in [[flode:annat|]] ("text" of node "steg") is empty'),
    ("Ring [[nummer:larm|112]].", 'has a link text after "|", which only [[flode:...]] takes'),
    ("Ring [[nummer:larm]", 'a reference in "text" of node "steg" cannot be read'),
    ("Ring [[kontakt:larm polisen]].", 'a reference in "text" of node "steg" cannot be read'),
])
def test_a_broken_reference_is_an_error_at_its_line(tmp_path, text, message):
    write(tmp_path, "annat", END, start="klart")
    compiled, problems = load(write(tmp_path, "prov", info("Första raden.\n\n" + text)))
    assert compiled is None
    errors = [p for p in problems if p.is_error]
    assert len(errors) == 1 and message in errors[0].message, [p.format() for p in problems]
    assert errors[0].line == 13


@pytest.mark.parametrize("place", ["title", "label", "description"])
def test_references_are_refused_in_titles_labels_and_descriptions(tmp_path, place):
    nodes = """\
  - id: steg
    kind: choice
    title: Vad nu?
    options:
      - {id: ja, label: "Ja", next: klart}
""" + END
    path = write(tmp_path, "prov", nodes)
    text = path.read_text(encoding="utf-8")
    text = {"title": text.replace("title: Vad nu?", "title: Ring [[nummer:larm]]?"),
            "label": text.replace('label: "Ja"', 'label: "Ring [[nummer:larm]]"'),
            "description": text.replace("start: steg", "description: Ring [[nummer:larm]].\nstart: steg")}[place]
    path.write_text(text, encoding="utf-8")
    compiled, problems = load(path)
    assert compiled is None
    assert any("cannot stand in" in p.message for p in problems), [p.format() for p in problems]


# ---- actions with a condition ----------------------------------------------------------------


CONDITIONAL = """\
  - id: fraga
    kind: choice
    title: Vad hände?
    options:
      - {{id: a, label: A, next: gjort}}
      - {{id: b, label: B, next: klart}}
  - id: gjort
    kind: checklist
    title: Vad har du gjort?
    options:
      - {{id: anmalt, label: Anmält}}
    next: klart
  - id: klart
    kind: outcome
    title: Kvar att göra
    actions:
      - Gör så här.
      - text: Polisanmäl.
        contact: polisen
        if: '{condition}'
"""


def test_an_action_condition_is_compiled_and_evaluated(tmp_path):
    compiled, problems = load(write(tmp_path, "prov", CONDITIONAL.format(condition='"anmalt" not in gjort'), start="fraga"))
    assert warnings(problems) == ['24:the "if" of action 2 of the outcome "klart" names the node "gjort", which some '
                                  "paths to the outcome do not pass, so there it has no answer "
                                  "(for example: fraga=b -> outcome klart, actions 1)"]
    assert compiled["nodes"]["klart"]["actions"][1]["if"] == '"anmalt" not in gjort'
    assert compiled["nodes"]["klart"]["actions"][0]["if"] is None


def test_an_action_condition_that_guards_with_answered_passes(tmp_path):
    condition = 'answered(gjort) and "anmalt" not in gjort'
    _, problems = load(write(tmp_path, "prov", CONDITIONAL.format(condition=condition), start="fraga"))
    assert warnings(problems) == []


@pytest.mark.parametrize("condition, message", [
    ("count(fraga) >= 1", 'count(fraga) in "count(fraga) >= 1" counts ticked options, but "fraga" is a choice node'),
    ('"x" in gjort', 'names the option "x", which node "gjort" does not have'),
    ("gjort ==", "cannot be read"),
])
def test_an_action_condition_is_checked_like_a_rule(tmp_path, condition, message):
    compiled, problems = load(write(tmp_path, "prov", CONDITIONAL.format(condition=condition), start="fraga"))
    assert compiled is None
    assert [p.line for p in problems if message in p.message] == [26], [p.format() for p in problems]


def test_a_flow_of_another_folder_can_be_named_through_flow_files(tmp_path):
    """A site whose flows come from several folders (a local site on a shared base)."""
    base = write(tmp_path / "grund", "efter", END, start="klart", title="Efter en händelse")
    path = write(tmp_path / "lokalt", "prov", info("Se [[flode:efter]]."))
    compiled, problems = load(path)
    assert compiled is None and 'names the flow "efter", which does not exist' in problems[0].message
    compiled, problems = load_tree(path, tmp_path, CONTACTS, SOURCES, terms=TERMS, flow_files={"efter": base}, words=WORDS)
    assert [p.format() for p in problems] == []
    assert compiled["flows"] == {"efter": "Efter en händelse"}


def test_contacts_used_counts_the_references_in_texts(tmp_path):
    text = "Ring [[nummer:larm]] eller [[kontakt:polisen]]. Se [[flode:annat]]."
    write(tmp_path, "annat", END, start="klart")
    compiled, problems = load(write(tmp_path, "prov", info(text)))
    assert [p.format() for p in problems] == []
    assert contacts_used(compiled) == {"larm", "polisen"}
    trees, _ = load_trees(ROOT, CONTACTS, SOURCES, terms=TERMS, words=WORDS)
    assert "plattform" in contacts_used(trees["vad-gor-jag-nu"])
    assert {"larm", "vaktbolag", "polisen", "rapportwebb", "tib"} <= contacts_used(trees["efter-en-handelse"])
