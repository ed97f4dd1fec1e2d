"""The engine on small hand-written compiled trees."""

from __future__ import annotations

import copy
import json

import pytest

from engine_tree_builders import (
    FORD_ITEMS,
    GRUND_ITEMS,
    RISK,
    checklist,
    choice,
    info,
    outcome,
    rating,
    risk_tree,
    sample_tree,
    tree,
)
from generator.engine import EngineError, ExpressionError, Flow, run_json

RESULT_KEYS = {"status", "node", "path", "answers", "outcome", "message"}


def test_start_is_the_first_question():
    result = Flow(sample_tree()).run({})
    assert set(result) == RESULT_KEYS
    assert result["status"] == "question"
    assert result["node"] == "fore-du-borjar"
    assert result["path"] == ["fore-du-borjar"]
    assert result["answers"] == {} and result["outcome"] is None
    assert result["message"] is None


def test_every_node_kind_routes():
    flow = Flow(sample_tree())
    answers = {"fore-du-borjar": True, "vad-har-hant": "skada", "skador": ["kvar"], "sista": "nej"}
    result = flow.run(answers)
    assert result["status"] == "outcome"
    assert result["node"] == "dokumentera"
    assert result["path"] == ["fore-du-borjar", "vad-har-hant", "skador", "sista", "dokumentera"]
    assert result["answers"] == answers
    assert result["outcome"] == {
        "id": "dokumentera", "title": "DOKUMENTERA", "text": "Lead.", "call": ["larm"],
        "actions": [{"text": "Gör så här.", "contact": None, "index": 0}, {"text": "Ring.", "contact": "larm", "index": 1}],
        "document": ["Vad hände"], "inform": ["Partiet"],
    }


def test_checklist_rule_and_normalised_answer():
    flow = Flow(sample_tree())
    base = {"fore-du-borjar": True, "vad-har-hant": "skada"}
    result = flow.run({**base, "skador": ["kvar", "skadade"]})
    assert result["status"] == "outcome" and result["node"] == "ring-112"
    # normalised to option order
    assert result["answers"]["skador"] == ["skadade", "kvar"]
    result = flow.run({**base, "skador": []})
    assert result["node"] == "sista" and result["status"] == "question"
    assert result["answers"]["skador"] == []


def test_choice_option_without_next_uses_node_rules():
    result = Flow(sample_tree()).run({"fore-du-borjar": True, "vad-har-hant": "annat"})
    assert result["status"] == "outcome" and result["node"] == "annat-utfall"


def test_rating_answer_kept_in_item_order():
    flow = Flow(risk_tree())
    grund = dict(zip(GRUND_ITEMS, ["lag", "mattlig", "hog", "lag", "lag"]))
    result = flow.run({"grundfragor": grund})
    assert result["status"] == "question" and result["node"] == "fordjupning"
    assert list(result["answers"]["grundfragor"].items()) == list(grund.items())


def test_changing_an_earlier_answer_drops_only_answers_that_no_longer_apply():
    flow = Flow(sample_tree())
    answers = {"fore-du-borjar": True, "vad-har-hant": "hot-telefon", "hot-steg": True, "sista": "ja"}
    first = flow.run(answers)
    assert first["node"] == "dokumentera"
    assert first["answers"] == answers
    # change the choice: hot-steg is off the new path and dropped; sista is still on it and kept
    changed = flow.answer(first["answers"], "vad-har-hant", "skada")
    changed = flow.answer(changed, "skador", [])
    second = flow.run(changed)
    assert second["status"] == "outcome" and second["node"] == "dokumentera"
    assert second["answers"] == {"fore-du-borjar": True, "vad-har-hant": "skada", "skador": [], "sista": "ja"}
    assert "hot-steg" not in second["answers"]
    # the pruned answers are a fixed point
    assert flow.run(second["answers"]) == second


def test_answers_past_an_unanswered_node_are_dropped():
    flow = Flow(sample_tree())
    result = flow.run({"vad-har-hant": "skada", "skador": ["kvar"], "sista": "ja"})
    assert result["node"] == "fore-du-borjar" and result["answers"] == {}


def test_unknown_node_ids_and_outcome_answers_are_dropped():
    flow = Flow(sample_tree())
    result = flow.run({"fore-du-borjar": True, "vad-har-hant": "annat", "okand": 1, "annat-utfall": True})
    assert result["answers"] == {"fore-du-borjar": True, "vad-har-hant": "annat"}


@pytest.mark.parametrize(
    "node, bad",
    [
        ("fore-du-borjar", False), ("fore-du-borjar", 1), ("fore-du-borjar", "true"), ("fore-du-borjar", None),
        ("vad-har-hant", "okand"), ("vad-har-hant", ["skada"]), ("vad-har-hant", 1), ("vad-har-hant", None),
        ("skador", "skadade"), ("skador", ["skadade", "skadade"]), ("skador", ["okand"]),
        ("skador", [1]), ("skador", {"skadade": True}), ("skador", None),
    ],
)
def test_invalid_answers_count_as_unanswered(node, bad):
    flow = Flow(sample_tree())
    good = {"fore-du-borjar": True, "vad-har-hant": "skada", "skador": ["kvar"], "sista": "ja"}
    answers = {**good, node: bad}
    result = flow.run(answers)
    assert result["status"] == "question"
    assert result["node"] == node
    assert node not in result["answers"]
    assert "sista" not in result["answers"]
    with pytest.raises(EngineError):
        flow.answer(good, node, bad)


@pytest.mark.parametrize(
    "bad",
    [
        None, "lag", [], {},
        dict(zip(GRUND_ITEMS[:-1], ["lag"] * 4)),                 # an item missing
        {**dict(zip(GRUND_ITEMS, ["lag"] * 5)), "extra": "lag"},  # an unknown item
        dict(zip(GRUND_ITEMS, ["lag"] * 4 + ["extrem"])),          # an unknown level
        dict(zip(GRUND_ITEMS, ["lag"] * 4 + [2])),                 # not a level id
        dict(zip(GRUND_ITEMS, ["lag"] * 4 + [None])),
    ],
)
def test_invalid_rating_answers(bad):
    flow = Flow(risk_tree())
    result = flow.run({"grundfragor": bad})
    assert result["status"] == "question" and result["node"] == "grundfragor" and result["answers"] == {}
    with pytest.raises(EngineError):
        flow.answer({}, "grundfragor", bad)


def test_answer_validates_and_returns_a_new_dict():
    flow = Flow(sample_tree())
    old = {"fore-du-borjar": True}
    new = flow.answer(old, "vad-har-hant", "skada")
    assert new == {"fore-du-borjar": True, "vad-har-hant": "skada"}
    assert old == {"fore-du-borjar": True}
    assert flow.answer(None, "skador", ["kvar", "skadade"]) == {"skador": ["skadade", "kvar"]}
    with pytest.raises(EngineError, match="unknown node"):
        flow.answer({}, "okand", True)
    with pytest.raises(EngineError, match="outcome"):
        flow.answer({}, "dokumentera", True)
    with pytest.raises(EngineError, match="not an option"):
        flow.answer({}, "vad-har-hant", "okand")
    with pytest.raises(EngineError, match="appears twice"):
        flow.answer({}, "skador", ["kvar", "kvar"])
    with pytest.raises(EngineError, match="must be a dict"):
        flow.answer([], "skador", [])
    rflow = Flow(risk_tree())
    with pytest.raises(EngineError, match="every item must be rated"):
        rflow.answer({}, "grundfragor", {"vem": "lag"})
    rating_answer = dict(zip(reversed(GRUND_ITEMS), ["hog"] * 5))
    assert list(rflow.answer({}, "grundfragor", rating_answer)["grundfragor"]) == GRUND_ITEMS


def test_run_does_not_mutate_its_input_or_the_tree():
    compiled = sample_tree()
    before = copy.deepcopy(compiled)
    flow = Flow(compiled)
    answers = {"fore-du-borjar": True, "vad-har-hant": "skada", "skador": ["kvar", "skadade"], "x": 1}
    saved = copy.deepcopy(answers)
    result = flow.run(answers)
    result["outcome"]["actions"].append("mutated")
    result["answers"]["skador"].append("mutated")
    assert answers == saved
    assert compiled == before
    shown = flow.run(answers)["outcome"]["actions"]
    assert [{k: v for k, v in a.items() if k != "index"} for a in shown] == before["nodes"]["ring-112"]["actions"]
    assert [a["index"] for a in shown] == list(range(len(shown)))


def test_non_dict_answers_are_treated_as_none():
    flow = Flow(sample_tree())
    for answers in (None, [], "x", 3):
        assert flow.run(answers)["node"] == "fore-du-borjar"


# ----------------------------------------------------------------- the risk rule


def rate(grund_levels, ford_levels):
    return {
        "grundfragor": dict(zip(GRUND_ITEMS, grund_levels)),
        "fordjupning": dict(zip(FORD_ITEMS, ford_levels)),
    }


@pytest.mark.parametrize(
    "grund, ford, expected",
    [
        (["lag"] * 5, ["lag"] * 3, "fortsatt-vaksamhet"),
        # three mattlig -> fortsatt-vaksamhet
        (["mattlig", "mattlig", "lag", "lag", "lag"], ["mattlig", "lag", "lag"], "fortsatt-vaksamhet"),
        (["mattlig"] * 3 + ["lag"] * 2, ["lag"] * 3, "fortsatt-vaksamhet"),
        # four mattlig -> overvag-atgarder (across both nodes, and within one)
        (["mattlig", "mattlig", "lag", "lag", "lag"], ["mattlig", "mattlig", "lag"], "overvag-atgarder"),
        (["mattlig"] * 4 + ["lag"], ["lag"] * 3, "overvag-atgarder"),
        # two hog + two mattlig -> overvag-atgarder (hog counts as "at least mattlig")
        (["hog", "mattlig", "lag", "lag", "lag"], ["hog", "mattlig", "lag"], "overvag-atgarder"),
        # two hog alone -> fortsatt-vaksamhet
        (["hog", "hog", "lag", "lag", "lag"], ["lag"] * 3, "fortsatt-vaksamhet"),
        (["hog", "lag", "lag", "lag", "lag"], ["hog", "lag", "lag"], "fortsatt-vaksamhet"),
        # three hog -> overvag-atgarder
        (["hog", "hog", "lag", "lag", "lag"], ["hog", "lag", "lag"], "overvag-atgarder"),
        (["lag"] * 5, ["hog"] * 3, "overvag-atgarder"),
        # two hog + one mattlig: atleast = 3, hog = 2 -> fortsatt-vaksamhet
        (["hog", "hog", "mattlig", "lag", "lag"], ["lag"] * 3, "fortsatt-vaksamhet"),
    ],
)
def test_risk_rule_boundaries(grund, ford, expected):
    result = Flow(risk_tree()).run(rate(grund, ford))
    assert result["status"] == "outcome"
    assert result["node"] == expected
    assert result["path"] == ["grundfragor", "fordjupning", expected]


def test_risk_rule_on_a_single_rating_node():
    compiled = tree(
        rating("grundfragor", GRUND_ITEMS, [
            ('atleast(grundfragor, "mattlig") >= 4', "overvag-atgarder"),
            ('count(grundfragor, "hog") >= 3', "overvag-atgarder"),
            (None, "fortsatt-vaksamhet"),
        ]),
        outcome("overvag-atgarder"), outcome("fortsatt-vaksamhet"),
    )
    flow = Flow(compiled)
    cases = [
        (["mattlig"] * 3 + ["lag"] * 2, "fortsatt-vaksamhet"),
        (["mattlig"] * 4 + ["lag"], "overvag-atgarder"),
        (["hog"] * 2 + ["mattlig"] * 2 + ["lag"], "overvag-atgarder"),
        (["hog"] * 2 + ["lag"] * 3, "fortsatt-vaksamhet"),
        (["hog"] * 3 + ["lag"] * 2, "overvag-atgarder"),
    ]
    for levels, expected in cases:
        assert flow.run({"grundfragor": dict(zip(GRUND_ITEMS, levels))})["node"] == expected


# ----------------------------------------------------------------- run-time errors


def test_cycle_at_run_time_is_an_error_result():
    compiled = tree(info("a", "b"), info("b", "a"))
    result = Flow(compiled).run({"a": True, "b": True})
    assert result["status"] == "error"
    assert result["node"] == "a"
    assert result["path"] == ["a", "b", "a"]
    assert "loops" in result["message"]


def test_dead_end_at_run_time_is_an_error_result():
    compiled = tree(checklist("c", ["x"], [('"x" in c', "slut")]), outcome("slut"))
    flow = Flow(compiled)
    assert flow.run({"c": ["x"]})["status"] == "outcome"
    result = flow.run({"c": []})
    assert result["status"] == "error" and result["node"] == "c"
    assert "dead end" in result["message"]


def test_arithmetic_overflow_at_run_time_is_an_error_result():
    compiled = tree(info("a", [("1000000 * 1000000 * 10 > 0", "slut"), (None, "slut")]), outcome("slut"))
    result = Flow(compiled).run({"a": True})
    assert result["status"] == "error" and "out of range" in result["message"]


# ----------------------------------------------------------------- malformed trees


def broken(mutate):
    compiled = sample_tree()
    mutate(compiled)
    return compiled


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda t: t.pop("format"), "'format' must be 1"),
        (lambda t: t.update(start="okand"), "'start' names a missing node"),
        (lambda t: t.update(nodes={}), "'nodes' must be a non-empty dict"),
        (lambda t: t["nodes"]["hot-steg"]["next"][0].update(goto="okand"), "goto to missing node 'okand'"),
        (lambda t: t["nodes"]["vad-har-hant"]["options"][0].update(next="okand"), "leads to missing node 'okand'"),
        (lambda t: t["nodes"]["vad-har-hant"].update(next=[]), "has no 'next' and the node has no rules"),
        (lambda t: t["nodes"]["hot-steg"].update(next=[]), "info node 'hot-steg' needs 'next'"),
        (lambda t: t["nodes"]["hot-steg"].update(kind="fraga"), "unknown kind 'fraga'"),
        (lambda t: t["nodes"]["hot-steg"].update(id="annat"), "the key and the id must agree"),
        (lambda t: t["nodes"]["skador"]["options"].append({"id": "kvar", "label": "x"}), "'kvar' appears twice"),
        (lambda t: t["nodes"]["skador"].update(options=[]), "non-empty list of options"),
        (lambda t: t["nodes"]["dokumentera"].update(actions=[]), "at least one action"),
        (lambda t: t["nodes"]["dokumentera"].update(actions=["text"]), "must be a dict with 'text'"),
        (lambda t: t["nodes"]["dokumentera"].update(next=[{"if": None, "goto": "sista"}]), "must not have 'next'"),
        (lambda t: t["nodes"]["skador"]["next"][0].update({"if": '"x" in okand'}), "unknown node 'okand'"),
        (lambda t: t["nodes"]["skador"]["next"][0].update({"if": 5}), "'if' must be an expression string"),
        (lambda t: t["nodes"]["skador"]["next"][0].update({"if": 'count(sista) > 0'}), "needs a checklist node"),
        (lambda t: t["nodes"]["hot-steg"]["next"][0].update(goto="hot-steg"), "back to the node itself"),
        (lambda t: t["nodes"].update(x="not a dict"), "node 'x' must be a dict"),
    ],
)
def test_malformed_trees_are_rejected(mutate, message):
    with pytest.raises(EngineError) as info_:
        Flow(broken(mutate))
    assert message in str(info_.value)
    assert "tree 'sample'" in str(info_.value)


def test_malformed_rating_trees():
    def with_scale(scale, rules=None):
        t = risk_tree()
        t["nodes"]["grundfragor"]["scale"] = scale
        if rules:
            t["nodes"]["fordjupning"]["next"] = rules
        return t

    with pytest.raises(EngineError, match="unknown scale 'okand'"):
        Flow(with_scale("okand"))
    bad_level = [{"if": 'atleast(fordjupning, "extrem") > 0', "goto": "overvag-atgarder"},
                 {"if": None, "goto": "fortsatt-vaksamhet"}]
    with pytest.raises(EngineError, match="level 'extrem' is not on the scale"):
        Flow(with_scale("risk", bad_level))
    wrong_kind = [{"if": 'count(fordjupning) > 0', "goto": "overvag-atgarder"}]
    with pytest.raises(EngineError, match="needs a checklist node"):
        Flow(with_scale("risk", wrong_kind))
    t = risk_tree()
    t["scales"] = {"risk": []}
    with pytest.raises(EngineError, match="non-empty list of steps"):
        Flow(t)
    t = risk_tree()
    t["nodes"]["grundfragor"]["items"] = []
    with pytest.raises(EngineError, match="non-empty list of items"):
        Flow(t)
    with pytest.raises(EngineError, match="must be a dict"):
        Flow([])


def test_expression_errors_in_a_tree_name_the_rule():
    t = sample_tree()
    t["nodes"]["skador"]["next"][0]["if"] = '"skadade" in skador.__class__'
    with pytest.raises(ExpressionError) as info_:
        Flow(t)
    text = str(info_.value)
    assert "node 'skador', rule 1" in text and "attribute access" in text and "at character 20" in text
    assert info_.value.position == 19


def test_minimal_tree_with_optional_fields_missing():
    compiled = {"format": 1, "id": "mini", "start": "a",
                "nodes": {"a": {"id": "a", "kind": "info", "next": [{"if": None, "goto": "b"}]},
                          "b": {"id": "b", "kind": "outcome", "actions": [{"text": "Gör."}]}}}
    result = Flow(compiled).run({"a": True})
    assert result["outcome"] == {"id": "b", "title": "", "text": "", "call": [],
                                 "actions": [{"text": "Gör.", "index": 0}], "document": [], "inform": []}


# ----------------------------------------------------------------- run_json


def test_run_json_round_trip():
    compiled = sample_tree()
    out = json.loads(run_json(json.dumps(compiled), json.dumps({"fore-du-borjar": True})))
    assert out == Flow(compiled).run({"fore-du-borjar": True})
    assert json.loads(run_json(json.dumps(compiled), ""))["node"] == "fore-du-borjar"


def test_run_json_reports_errors_as_json():
    out = json.loads(run_json("{not json", "{}"))
    assert out["status"] == "error" and out["message"]
    out = json.loads(run_json(json.dumps({"format": 1}), "{}"))
    assert out["status"] == "error" and "'id'" in out["message"]
    out = json.loads(run_json(json.dumps(sample_tree()), "[[["))
    assert out["status"] == "error"
    assert set(out) == RESULT_KEYS
