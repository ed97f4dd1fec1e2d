"""A corpus of broken trees: each file shows one kind of problem, found at an exact line."""

from __future__ import annotations

import shutil

import pytest

from generator.trees import load_tree, load_trees

from .helpers import BROKEN, CONTACTS, ROOT, SOURCES, TERMS
from generator.language import vocabulary

WORDS = vocabulary("sv")  # the trees here are a Swedish site's

# file (without .yml) -> (line, fragments of the message); the path is tests/trees/broken/<file>.yml
EXPECTED: dict[str, tuple[int, tuple[str, ...]]] = {
    "syntax-error": (9, ("YAML syntax error", "mapping values are not allowed")),
    "tab-indentation": (8, ("a tab character is used for indentation",)),
    "duplicate-yaml-key": (10, ('the key "title" appears twice (first on line 9)',)),
    "unknown-key": (10, ('unknown key "nxt"', 'did you mean "next"')),
    "unknown-tree-key": (6, ('unknown key "scale" in the tree', 'did you mean "scales"')),
    "unknown-kind": (8, ('unknown node kind "choise"', 'did you mean "choice"')),
    "missing-required-key": (7, ('missing the required key "title"',)),
    "wrong-type": (3, ('"sources" of the tree must be a list, not text',)),
    "tree-id-mismatch": (1, ('the tree id "annat-namn" differs from the file name "tree-id-mismatch.yml"',)),
    "id-uppercase": (7, ('the node id "Fraga" is not a valid id',)),
    "duplicate-node-id": (15, ('the node id "klart" appears twice (first on line 11)',)),
    "duplicate-option-id": (12, ('the option id "ja" appears twice in node "fraga" (first on line 11)',)),
    "missing-node": (12, ('names the node "klar", which does not exist', 'did you mean "klart"')),
    "self-loop": (15, ('leads from the node "fraga" back to itself',)),
    "missing-contact": (15, ('unknown contact "vaktbolget"', 'did you mean "vaktbolag"')),
    "missing-source": (3, ('unknown source "handlingsplanen"', 'did you mean "handlingsplan"')),
    "unknown-scale": (14, ('uses the unknown scale "risker"', 'did you mean "risk"')),
    "option-without-next": (12, ('option "nej" of node "fraga" has no "next"',)),
    "outcome-without-actions": (11, ('missing the required key "actions"',)),
    "outcome-with-next": (11, ('the key "next" does not belong in node "klart" (outcome)',)),
    "reviewed-not-date": (4, ('"reviewed" must be a date',)),
    "rule-after-default": (14, ("rule 2 of node \"fraga\" can never be used",)),
    "unreachable-node": (15, ('the node "glomd" cannot be reached from the start node "fraga"',)),
    "dead-end": (7, ('dead end at node "fraga"',)),
    "cycle": (13, ('cycle with no way out: node "las-mer" leads back to "fraga"',)),
    "expression-syntax": (13, ("cannot be read", "expected ')' to close count(")),
    "expression-unknown-node": (13, ('names the node "fragan", which does not exist', 'did you mean "fraga"')),
    "expression-import": (13, ("cannot be read", "unknown character '_'")),
    "expression-attribute": (14, ("cannot be read", "'.' is not allowed (no attribute access")),
    "function-wrong-kind": (13, ('needs a rating node, but "fraga" is a checklist node',)),
    "level-not-in-scale": (19, ('the level "medel"', 'is not in the scale "risk"')),
    "option-not-in-checklist": (13, ('names the option "skadade", which node "fraga" does not have', 'did you mean "skadad"')),
    "html-in-text": (10, ("HTML is not allowed in tree texts",)),
    "html-in-action": (12, ("HTML is not allowed in tree texts",)),
    "checklist-too-large": (11, ('node "fraga" has 13 options; a checklist can have at most 12',)),
    # references in texts, and conditions of actions
    "reference-unknown-contact": (13, ('unknown contact "vaktbolget"', 'did you mean "vaktbolag"')),
    "reference-in-title": (9, ("the reference [[nummer:larm]] cannot stand in \"title\" of node \"fraga\"",)),
    "reference-unknown-kind": (12, ('unknown reference "[[numer:...]]"', 'did you mean "nummer"')),
    "reference-unknown-flow": (10, ('names the flow "cykel", which does not exist',)),
    "reference-unreadable": (13, ("a reference in entry 1 of \"document\" in node \"klart\" cannot be read",)),
    "action-condition-unknown-node": (20, ('names the node "fragan", which does not exist', 'did you mean "fraga"')),
    "action-condition-all-false": (14, ('the outcome "klart" shows no action for some answers',
                                        "fraga={anmalt,skrivit} -> outcome klart, actions none")),
}

# Every problem of one file is reported, not just the first.
MULTIPLE = {
    (3, 'unknown source "kallan"'),
    (9, "HTML is not allowed in tree texts"),
    (11, 'the option id "Ja" is not a valid id'),
    (12, 'unknown key "nxet" in option 2 of node "fraga" (did you mean "next"?)'),
    (14, 'names the node "svar", which does not exist'),
    (20, 'unknown contact "polis" (did you mean "polisen"?)'),
}


def load(name: str):
    return load_tree(BROKEN / f"{name}.yml", ROOT, CONTACTS, SOURCES, terms=TERMS, words=WORDS)


def test_the_table_covers_the_corpus():
    files = {p.stem for p in BROKEN.glob("*.yml")}
    assert files == set(EXPECTED) | {"multiple-problems"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_tree_is_reported_at_the_exact_line(name):
    line, fragments = EXPECTED[name]
    compiled, problems = load(name)
    assert compiled is None
    shown = "\n".join(p.format() for p in problems)
    assert len(problems) == 1, shown
    problem = problems[0]
    assert problem.path == f"tests/trees/broken/{name}.yml"
    assert problem.is_error
    assert problem.line == line, shown
    for fragment in fragments:
        assert fragment in problem.message, shown
    assert problem.fix, "every problem says how to fix it"
    assert problem.column >= 1


def test_every_problem_of_a_file_is_reported():
    compiled, problems = load("multiple-problems")
    assert compiled is None
    found = {(p.line, f) for p in problems for _, f in MULTIPLE if f in p.message}
    assert found == MULTIPLE, "\n".join(p.format() for p in problems)
    assert len(problems) == len(MULTIPLE), "\n".join(p.format() for p in problems)


def test_load_trees_keeps_good_trees_and_reports_broken_ones(tmp_path):
    (tmp_path / "decision_trees").mkdir()
    # infor-mote links to riskinventering ([[flode:riskinventering]]), so both come along
    shutil.copy(ROOT / "decision_trees" / "infor-mote.yml", tmp_path / "decision_trees")
    shutil.copy(ROOT / "decision_trees" / "riskinventering.yml", tmp_path / "decision_trees")
    shutil.copy(BROKEN / "missing-node.yml", tmp_path / "decision_trees")
    shutil.copy(BROKEN / "cycle.yml", tmp_path / "decision_trees")
    (tmp_path / "decision_trees" / "notes.txt").write_text("not a tree", encoding="utf-8")
    trees, problems = load_trees(tmp_path, CONTACTS, SOURCES, terms=TERMS, words=WORDS)
    assert list(trees) == ["infor-mote", "riskinventering"]
    assert [(p.path, p.line) for p in problems] == [
        ("decision_trees/cycle.yml", 13),
        ("decision_trees/missing-node.yml", 12),
    ]


def test_a_file_that_is_not_a_mapping(tmp_path):
    (tmp_path / "decision_trees").mkdir()
    path = tmp_path / "decision_trees" / "lista.yml"
    path.write_text("- id: lista\n- title: Prov\n", encoding="utf-8")
    compiled, problems = load_tree(path, tmp_path, CONTACTS, SOURCES, terms=TERMS, words=WORDS)
    assert compiled is None
    assert [(p.path, p.line) for p in problems] == [("decision_trees/lista.yml", 1)]
    assert "must be a mapping" in problems[0].message


def test_an_empty_file(tmp_path):
    path = tmp_path / "tom.yml"
    path.write_text("", encoding="utf-8")
    compiled, problems = load_tree(path, tmp_path, CONTACTS, SOURCES, terms=TERMS, words=WORDS)
    assert compiled is None and len(problems) == 1 and problems[0].path == "tom.yml"


def test_a_yaml_extension_is_a_warning(tmp_path):
    (tmp_path / "decision_trees").mkdir()
    shutil.copy(ROOT / "decision_trees" / "infor-mote.yml", tmp_path / "decision_trees" / "infor-mote.yaml")
    trees, problems = load_trees(tmp_path, CONTACTS, SOURCES, terms=TERMS, words=WORDS)
    assert trees == {}
    assert [(p.path, p.severity) for p in problems] == [("decision_trees/infor-mote.yaml", "warning")]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_handbok_check_reports_the_broken_tree_and_exits_1(name, repo_copy, capsys):
    from generator.cli import main

    shutil.copy(BROKEN / f"{name}.yml", repo_copy / "decision_trees" / f"{name}.yml")
    code = main(["--root", str(repo_copy), "check"])
    out = capsys.readouterr().out
    line, fragments = EXPECTED[name]
    assert code == 1
    assert f"decision_trees/{name}.yml:{line}:" in out
    assert all(fragment in out for fragment in fragments), out


def test_a_call_of_a_contact_without_a_number_is_a_warning_at_its_line(tmp_path):
    """A contact known only in words is not one to ring: the check says so where `call:` names it."""
    tree = (BROKEN / "missing-contact.yml").read_text(encoding="utf-8")
    tree = tree.replace("id: missing-contact", "id: ring-utan-nummer").replace("call: [larm]", "call: [larm, handlaggare]")
    tree = tree.replace("contact: vaktbolget", "contact: larm")
    path = tmp_path / "ring-utan-nummer.yml"
    path.write_text(tree, encoding="utf-8")
    contacts = {"larm": {"name": "SOS Alarm", "phone": "112"},
                "handlaggare": {"name": "Handläggaren", "how": "står i planen"}}
    compiled, problems = load_tree(path, tmp_path, contacts, SOURCES, terms=TERMS, words=WORDS)
    assert compiled is not None
    assert [(p.line, p.column, p.is_error) for p in problems] == [(11, 11, False)], [p.format() for p in problems]
    assert 'asks to call contact "handlaggare", which has no phone number' in problems[0].message
    contacts["handlaggare"] = {"name": "Handläggaren", "via": "larm"}  # reached via a number: one to ring
    assert load_tree(path, tmp_path, contacts, SOURCES, terms=TERMS, words=WORDS)[1] == []
