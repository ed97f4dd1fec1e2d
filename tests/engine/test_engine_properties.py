"""Property tests: random answers never crash Flow.run on an acyclic tree."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from engine_tree_builders import FORD_ITEMS, GRUND_ITEMS, risk_tree, sample_tree
from generator.engine import Flow, run_json
from generator.engine.evaluation import FlowInfo, evaluate
from generator.engine.expressions import parse

SAMPLE = sample_tree()
RISK = risk_tree()
FLOWS = [Flow(SAMPLE), Flow(RISK)]
NODE_IDS = sorted(set(SAMPLE["nodes"]) | set(RISK["nodes"]))
WORDS = sorted({"skadade", "kvar", "hot-telefon", "skada", "annat", "ja", "nej", "lag", "mattlig",
                "hog", "extrem", *GRUND_ITEMS, *FORD_ITEMS})

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=True),
    st.sampled_from(WORDS), st.text(max_size=5),
)
ratings = st.one_of(
    st.fixed_dictionaries({i: st.sampled_from(["lag", "mattlig", "hog"]) for i in GRUND_ITEMS}),
    st.fixed_dictionaries({i: st.sampled_from(["lag", "mattlig", "hog"]) for i in FORD_ITEMS}),
    st.dictionaries(st.sampled_from(WORDS), st.one_of(st.sampled_from(WORDS), scalars), max_size=6),
)
values = st.recursive(
    st.one_of(scalars, ratings, st.lists(st.sampled_from(WORDS), max_size=4)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=3), inner, max_size=3)),
    max_leaves=8,
)
keys = st.one_of(st.sampled_from(NODE_IDS), st.text(max_size=8))
answer_dicts = st.dictionaries(keys, values, max_size=12)


@settings(max_examples=400, deadline=None)
@given(answers=answer_dicts, which=st.integers(0, 1))
def test_random_answers_never_crash(answers, which):
    flow = FLOWS[which]
    result = flow.run(answers)
    assert result["status"] in ("question", "outcome")
    assert result["path"][0] == flow.start and result["path"][-1] == result["node"]
    assert set(result["answers"]) <= set(result["path"])
    assert (result["outcome"] is not None) == (result["status"] == "outcome")
    assert list(result["answers"]) == [n for n in result["path"] if n in result["answers"]]
    # the kept answers are valid, and replaying them gives the same result
    assert flow.run(result["answers"]) == result
    json.dumps(result)  # JSON-compatible


@settings(max_examples=200, deadline=None)
@given(answers=answer_dicts)
def test_run_json_never_raises(answers):
    try:
        text = json.dumps(answers, allow_nan=False)
    except ValueError:
        return
    out = json.loads(run_json(json.dumps(SAMPLE), text))
    assert out["status"] in ("question", "outcome")


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from(list("ab-()\"' =!<>+*,.[]_0123456789") + [
    "count", "atleast", "answered", " and ", " or ", " not ", " in ", "true"]), max_size=40).map("".join))
def test_parser_either_parses_or_raises_expression_error(text):
    from generator.engine import ExpressionError

    try:
        expr = parse(text)
    except ExpressionError as err:
        assert err.position is None or 0 <= err.position <= len(text)
        return
    info = FlowInfo({"a": ["lag", "hog"]})
    for answers in ({}, {"a": {"x": "hog"}, "b": ["a"]}, {"a": "a", "b": 3}):
        try:
            evaluate(expr, answers, info)
        except ExpressionError as err:  # only arithmetic out of range may raise
            assert "out of range" in str(err)
