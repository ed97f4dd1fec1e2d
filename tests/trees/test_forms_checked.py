"""Form steps and account templates as a publisher writes them: a sound one compiles and its
path file lists the combinations conditions can see; a bad field or template is reported at
its file and line, with a fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.engine import Flow
from generator.trees import load_tree, write_path_files

from .helpers import CONTACTS, SOURCES
from generator.language import vocabulary

WORDS = vocabulary("sv")  # the trees here are a Swedish site's

TREE = """\
id: prov
title: Prov
sources: [handlingsplan]
reviewed: 2026-11-22
start: hande
nodes:
  - id: hande
    kind: form
    title: Vad hände?
    fields:
      - {id: nar, label: "När hände det?", type: datetime, required: true}
      - {id: vad, label: "Vad hände?", type: text, hint: "Skriv ordagrant det som sades"}
      - {id: vittnen, label: "Fanns det vittnen?", type: yesno}
    next:
      - if: 'yes(hande, "vittnen")'
        goto: vittne
      - goto: klart
  - id: vittne
    kind: form
    title: Vittnen
    fields:
      - {id: vem, label: "Vilka såg det?", type: text}
    next: klart
  - id: klart
    kind: outcome
    title: Din redogörelse
    actions:
      - Spara texten.
    template:
      title: Redogörelse
      sections:
        - heading: Före
          text: "När: [[svar:hande.nar]]"
        - heading: Vittnen
          text: "[[svar:hande.vittnen]] [[svar:vittne.vem]]"
"""


def load(tmp_path: Path, text: str):
    path = tmp_path / "prov.yml"
    path.write_text(text, encoding="utf-8")
    return load_tree(path, tmp_path, CONTACTS, SOURCES, words=WORDS)


def test_a_sound_form_compiles_and_its_path_file_lists_what_conditions_see(tmp_path):
    compiled, problems = load(tmp_path, TREE)
    assert [p.format() for p in problems] == []
    fields = compiled["nodes"]["hande"]["fields"]
    assert fields[0] == {"id": "nar", "label": "När hände det?", "type": "datetime", "required": True, "hint": ""}
    assert fields[1]["hint"] == "Skriv ordagrant det som sades"
    assert compiled["nodes"]["klart"]["template"]["sections"][1]["text"] == "[[answer:hande.vittnen]] [[answer:vittne.vem]]"  # the engine's word, whichever the site's
    Flow(compiled)  # the engine takes what the checker compiled
    [written] = write_path_files(tmp_path, {"prov": compiled}, ".")
    listing = written.read_text(encoding="utf-8")
    assert "tree prov: 3 paths" in listing
    assert "hande={nar,vittnen:yes} > vittne={} -> outcome klart" in listing


@pytest.mark.parametrize("old, new, line, message", [
    ("type: datetime, required: true}", "type: datum, required: true}", 11, 'unknown type "datum" (did you mean "datetime"?)'),
    ("{id: vad, label", "{id: nar, label", 12, 'the field id "nar" appears twice'),
    ("required: true}", "required: ja}", 11, '"required" of field 1 of node "hande" must be true or false'),
    ("[[svar:hande.nar]]", "[[svar:hande.nr]]", 33, 'names the field "nr", which "hande" does not have (did you mean "nar"?)'),
    ("[[svar:vittne.vem]]", "[[svar:klart.vem]]", 35, 'names "klart", which is not a form step'),
    ("[[svar:hande.nar]]", "[[nummer:larm]]", 33, "a template names only answers"),
    ("[[svar:hande.nar]]", "[[svar:hande]]", 33, 'names the form step "hande" without a field'),
    ("[[svar:vittne.vem]]", "[[svar:klart]]", 35, 'names "klart", which is not a choice or checklist step'),
    ('yes(hande, "vittnen")', 'yes(hande, "vad")', 15, 'needs a yes/no field, but "vad" is written in words'),
    ('yes(hande, "vittnen")', 'filled(hande, "vem")', 15, 'the field "vem" in "filled(hande, \"vem\")" is not a field of "hande"'),
    ('yes(hande, "vittnen")', 'filled(klart, "vem")', 15, 'needs a form step, but "klart" is of kind outcome'),
    ("          text: \"När: [[svar:hande.nar]]\"\n", "", 32, 'missing the required key "text"'),
])
def test_a_bad_form_or_template_is_reported_at_its_line(tmp_path, old, new, line, message):
    text = TREE.replace(old, new, 1)
    assert text != TREE
    compiled, problems = load(tmp_path, text)
    assert compiled is None
    found = [p for p in problems if p.is_error]
    assert any(message in p.message and p.line == line for p in found), [p.format() for p in found]


OPTIONS_TREE = TREE.replace("""start: hande
nodes:
""", """start: var
nodes:
  - id: var
    kind: choice
    title: Var hände det?
    options:
      - {id: mote, label: "På ett möte", next: gjort}
      - {id: natet, label: "På nätet", next: gjort}
  - id: gjort
    kind: checklist
    title: Vad har du gjort?
    options:
      - {id: polis, label: "Polisanmält"}
      - {id: tib, label: "Ringt TiB"}
    next: hande
""").replace("När: [[svar:hande.nar]]", "När: [[svar:hande.nar]] [[svar:var]] [[svar:gjort]]")


def test_a_template_names_a_choices_and_a_checklists_answer(tmp_path):
    compiled, problems = load(tmp_path, OPTIONS_TREE)
    assert [p.format() for p in problems] == []
    account = Flow(compiled).outcome("klart", {"var": "natet", "gjort": ["polis", "tib"]})["account"]
    assert [p["value"] for p in account["sections"][0]["parts"] if "field" in p] == [None, "På nätet", ["Polisanmält", "Ringt TiB"]]


@pytest.mark.parametrize("new, message, fix", [
    ("[[svar:var.mote]]", 'names "var", which is not a form step', "[[svar:var]]"),
    ("[[svar:hande]]", 'names the form step "hande" without a field', "[[svar:hande.FIELD]] with one of its fields: nar, vad, vittnen"),
    ("[[svar:gjortt]]", 'which is not a choice or checklist step (did you mean "gjort"?)', "choice or checklist step"),
])
def test_a_broken_answer_of_a_choice_or_checklist_is_reported_at_its_line_with_a_fix(tmp_path, new, message, fix):
    text = OPTIONS_TREE.replace("[[svar:gjort]]", new, 1)
    compiled, problems = load(tmp_path, text)
    assert compiled is None
    line = 1 + next(i for i, row in enumerate(text.split("\n")) if new in row)
    assert any(message in p.message and fix in p.fix and p.line == line for p in problems if p.is_error), \
        [p.format() for p in problems]
