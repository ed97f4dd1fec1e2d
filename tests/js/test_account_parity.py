"""The account the browser assembles before the outcome (flow-model.js `assemble`, for "Ladda ner
det du har skrivit") and the engine's (forms.fill, in the run result at the outcome) are the
same data for the same answers: the default flow's template, filled, partly filled and empty; and
a template naming every choice and checklist of a default flow, answered in several ways."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from generator.engine import Flow
from generator.trees import load_trees
from generator.language import vocabulary

WORDS = vocabulary("sv")  # the trees here are a Swedish site's

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "theme" / "assets" / "javascripts" / "flow-model.js"
SCRIPT = """
const Model = require(process.argv[1]);
const { tree, cases, outcome: given } = JSON.parse(require("fs").readFileSync(0, "utf8"));
const outcome = given || Model.accountOutcome(tree);
process.stdout.write(JSON.stringify(cases.map((answers) => Model.assemble(tree, outcome, answers))));
"""
HOSTILE = "<script>alert(1)</script> \u202e\u00e5\u00e4\u00f6 &amp;\n" + "x" * 10_000


def answers_for(tree: dict, fill: str) -> dict:
    """Every form field filled with text naming it (a yes/no alternately yes and no), or some."""
    answers = {}
    for index, (node_id, node) in enumerate(tree["nodes"].items()):
        if node["kind"] != "form" or (fill == "some" and index % 2):
            continue
        answers[node_id] = {
            f["id"]: (index % 4 == 0) if f["type"] == "yesno" else f"{node_id}.{f['id']} {HOSTILE}"
            for f in node["fields"]
        }
    return answers


def default_tree(tree_id: str) -> dict:
    contacts = set(yaml.safe_load((ROOT / "content/kontakter.yml").read_text("utf-8")))
    sources = set(yaml.safe_load((ROOT / "content/kallor.yml").read_text("utf-8")))
    terms = {key: str(value) for key, value in yaml.safe_load((ROOT / "content/termer.yml").read_text("utf-8")).items()}
    return load_trees(ROOT, contacts, sources, terms=terms, words=WORDS)[0][tree_id]


def both_accounts(tree: dict, outcome: str, cases: list[dict]) -> tuple[list, list]:
    """The engine's accounts at `outcome` for each case of answers, and the browser's."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node is not installed")
    flow = Flow(json.loads(json.dumps(tree)))
    engine = [flow.outcome(outcome, answers)["account"] for answers in cases]
    page_tree = {**tree, "accounts": flow.accounts}  # as the flow page carries it (flowpage/page.py)
    done = subprocess.run([node, "-e", SCRIPT, str(MODEL)], input=json.dumps({"tree": page_tree, "cases": cases, "outcome": outcome}),
                          capture_output=True, text=True, timeout=60, check=True)
    return engine, json.loads(done.stdout)


def test_the_browser_assembles_the_engines_account():
    tree = default_tree("dokumentera-handelsen")
    outcome = next(n for n, v in tree["nodes"].items() if v["kind"] == "outcome" and v.get("template"))
    cases = [answers_for(tree, "all"), answers_for(tree, "some"), {}]
    engine, browser = both_accounts(tree, outcome, cases)
    assert browser == engine
    filled = [p for s in engine[0]["sections"] for p in s["parts"] if "field" in p]
    assert filled and all(p["value"] is not None for p in filled), "every field of the template was filled"
    assert any(p["value"] is None for s in engine[1]["sections"] for p in s["parts"] if "field" in p)


def test_the_browser_assembles_a_choices_and_a_checklists_answer_as_the_engine():
    tree = copy.deepcopy(default_tree("efter-en-handelse"))
    picked = [n for n, v in tree["nodes"].items() if v["kind"] in ("choice", "checklist")]
    kinds = {tree["nodes"][n]["kind"] for n in picked}
    assert kinds == {"choice", "checklist"}, "the flow has both kinds to name"
    # A template for the test only: the default trees' content stays as it is.
    outcome = next(n for n, v in tree["nodes"].items() if v["kind"] == "outcome")
    tree["nodes"][outcome]["template"] = {"title": "Redogörelse", "sections": [
        {"heading": n, "text": f"{n}: [[answer:{n}]]."} for n in picked]}

    def answered(pick) -> dict:
        """Each checklist's options `pick` keeps, and each choice's first of them."""
        answers = {}
        for n in picked:
            kept = [o["id"] for o in pick(tree["nodes"][n]["options"])]
            answers[n] = kept if tree["nodes"][n]["kind"] == "checklist" else kept[0]
        return answers

    # all ticked (given backwards), the last alone, two, none ticked and nothing chosen, nothing
    cases = [answered(lambda o: o[::-1]), answered(lambda o: o[-1:]), answered(lambda o: o[1:3]),
             {n: [] for n in picked if tree["nodes"][n]["kind"] == "checklist"}, {}]
    engine, browser = both_accounts(tree, outcome, cases)
    assert browser == engine
    values = [[p["value"] for s in account["sections"] for p in s["parts"] if "field" in p] for account in engine]
    assert any(isinstance(v, list) and len(v) > 2 for v in values[0]) and any(isinstance(v, str) for v in values[0])
    assert all(v is None for v in values[3] + values[4])
