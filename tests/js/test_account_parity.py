"""The account the browser assembles before the outcome (flow-model.js `assemble`, for "Ladda ner
det du har skrivit") and the engine's (forms.assemble, in the run result at the outcome) are the
same data for the same answers: the default flow's template, filled, partly filled and empty."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from generator.engine import Flow
from generator.trees import load_trees

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "theme" / "assets" / "javascripts" / "flow-model.js"
SCRIPT = """
const Model = require(process.argv[1]);
const { tree, cases } = JSON.parse(require("fs").readFileSync(0, "utf8"));
const outcome = Model.accountOutcome(tree);
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


def test_the_browser_assembles_the_engines_account():
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node is not installed")
    contacts = set(yaml.safe_load((ROOT / "content/kontakter.yml").read_text("utf-8")))
    sources = set(yaml.safe_load((ROOT / "content/kallor.yml").read_text("utf-8")))
    terms = {key: str(value) for key, value in yaml.safe_load((ROOT / "content/termer.yml").read_text("utf-8")).items()}
    tree = load_trees(ROOT, contacts, sources, terms=terms)[0]["dokumentera-handelsen"]
    flow = Flow(json.loads(json.dumps(tree)))
    outcome = next(n for n, v in tree["nodes"].items() if v["kind"] == "outcome" and v.get("template"))
    cases = [answers_for(tree, "all"), answers_for(tree, "some"), {}]
    engine = [flow.outcome(outcome, answers)["account"] for answers in cases]
    done = subprocess.run([node, "-e", SCRIPT, str(MODEL)], input=json.dumps({"tree": tree, "cases": cases}),
                          capture_output=True, text=True, timeout=60, check=True)
    browser = json.loads(done.stdout)
    assert browser == engine
    filled = [p for s in engine[0]["sections"] for p in s["parts"] if "field" in p]
    assert filled and all(p["value"] is not None for p in filled), "every field of the template was filled"
    assert any(p["value"] is None for s in engine[1]["sections"] for p in s["parts"] if "field" in p)
