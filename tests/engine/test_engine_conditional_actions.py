"""Outcome actions with an `if:` (issue 17): the engine lists only the actions that apply."""

from __future__ import annotations

import json

import pytest

from generator.engine import EngineError, ExpressionError, Flow, enumerate_paths, format_paths, run_json

from engine_tree_builders import checklist, choice, tree


def kvar(*actions):
    return {"id": "kvar", "kind": "outcome", "title": "Kvar att göra", "text": "", "call": [],
            "actions": list(actions), "document": [], "inform": []}


def sample(*actions):
    return tree(
        choice("nar", [("nyss", "gjort"), ("tidigare", "gjort")]),
        checklist("gjort", ["tib", "anmalt"], "kvar"),
        kvar(*actions) if actions else kvar(
            {"text": "TiB.", "contact": "tib", "if": '"tib" not in gjort'},
            {"text": "Anmäl.", "contact": "polisen", "if": '"anmalt" not in gjort'},
            {"text": "Stöd.", "contact": None},
            {"text": "Bara i går.", "if": 'nar == "tidigare"'},
        ),
    )


@pytest.mark.parametrize("done, nar, shown", [
    ([], "nyss", [0, 1, 2]),
    (["tib"], "nyss", [1, 2]),
    (["tib", "anmalt"], "tidigare", [2, 3]),
    (["anmalt"], "tidigare", [0, 2, 3]),
])
def test_only_the_actions_whose_condition_holds_are_listed(done, nar, shown):
    result = Flow(sample()).run({"nar": nar, "gjort": done})
    assert result["status"] == "outcome"
    actions = result["outcome"]["actions"]
    assert [a["index"] for a in actions] == shown
    assert [a["text"] for a in actions] == [["TiB.", "Anmäl.", "Stöd.", "Bara i går."][i] for i in shown]
    assert all("if" in a or a["text"] == "Stöd." for a in actions), "the action comes as written, plus its index"


def test_actions_without_conditions_keep_their_order_and_get_an_index():
    result = Flow(sample({"text": "Ett."}, {"text": "Två.", "if": None})).run({"nar": "nyss", "gjort": []})
    assert result["outcome"]["actions"] == [{"text": "Ett.", "index": 0}, {"text": "Två.", "if": None, "index": 1}]


def test_the_browser_gets_the_same_through_run_json():
    compiled = sample()
    out = json.loads(run_json(json.dumps(compiled), json.dumps({"nar": "nyss", "gjort": ["anmalt"]})))
    assert [a["index"] for a in out["outcome"]["actions"]] == [0, 2]


@pytest.mark.parametrize("condition, message", [
    ('"tib" in okand', "refers to unknown node 'okand'"),
    ("count(nar) >= 1", "count(nar) needs a checklist node"),
    ("gjort ==", "outcome 'kvar', action 1"),
    (3, "'if' must be an expression string or null"),
])
def test_a_bad_action_condition_is_refused_when_the_flow_is_made(condition, message):
    with pytest.raises(EngineError) as info:
        Flow(sample({"text": "X.", "if": condition}))
    assert message in str(info.value)


def test_an_action_condition_failing_at_run_time_is_an_error_result_and_a_path_problem():
    compiled = sample({"text": "X."}, {"text": "Y.", "if": "999999 * 999999 * 999999 > 1"})
    result = Flow(compiled).run({"nar": "nyss", "gjort": []})
    assert result["status"] == "error" and result["outcome"] is None
    assert result["message"].startswith("outcome 'kvar': arithmetic result is out of range")
    problems = [p for p in enumerate_paths(compiled) if p["problem"]]
    assert problems and all(p["problem"].startswith("error: arithmetic") for p in problems)
    assert all(p["path"][-1] == "kvar" for p in problems)
    assert "-> error: arithmetic" in format_paths(compiled)


def test_the_path_listing_names_the_actions_each_path_shows():
    text = format_paths(sample())
    assert "nar=nyss > gjort={} -> outcome kvar, actions 1-3\n" in text
    assert "nar=tidigare > gjort={tib} -> outcome kvar, actions 2-4\n" in text
    assert "nar=tidigare > gjort={anmalt} -> outcome kvar, actions 1,3-4\n" in text
    plain = format_paths(sample({"text": "X."}))
    assert "nar=nyss > gjort={} -> outcome kvar\n" in plain, "without conditions the listing is as before"


def test_run_with_the_result_answers_is_stable():
    flow = Flow(sample())
    first = flow.run({"nar": "tidigare", "gjort": ["tib"], "x": 1})
    assert flow.run(first["answers"]) == first


def test_expression_errors_are_engine_errors():
    assert issubclass(ExpressionError, EngineError)
