"""Path enumeration: exhaustiveness, cycles, dead ends, the reviewable text."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest

from engine_tree_builders import (
    FORD_ITEMS,
    GRUND_ITEMS,
    checklist,
    choice,
    info,
    outcome,
    rating,
    risk_tree,
    sample_tree,
    tree,
)
from generator.engine import EngineError, Flow, enumerate_paths, format_paths
from generator.engine.paths import count_vectors, representative

LEVELS = ["lag", "mattlig", "hog"]


def test_sample_tree_paths():
    paths = list(enumerate_paths(sample_tree()))
    assert all(set(p) == {"answers", "path", "outcome", "problem"} for p in paths)
    assert all(p["problem"] is None for p in paths)
    # hot-telefon: 2 (sista), annat: 1, skada: 4 subsets, of which 2 tick skadade -> ring-112,
    # 2 go on to sista -> 2 each
    assert len(paths) == 2 + 1 + 2 + 2 * 2
    outcomes = Counter(p["outcome"] for p in paths)
    assert outcomes == {"dokumentera": 6, "ring-112": 2, "annat-utfall": 1}
    # every path replays through Flow.run to the same outcome with exactly those answers
    flow = Flow(sample_tree())
    for p in paths:
        result = flow.run(p["answers"])
        assert result["status"] == "outcome" and result["node"] == p["outcome"]
        assert result["path"] == p["path"]
        assert result["answers"] == p["answers"]


def test_count_vectors_and_representatives():
    vectors = list(count_vectors(3, 3))
    assert len(vectors) == 10 and len(set(vectors)) == 10
    assert all(sum(v) == 3 for v in vectors)
    assert vectors == sorted(vectors)
    assert representative(["a", "b", "c", "d"], LEVELS, (1, 1, 2)) == {
        "a": "hog", "b": "hog", "c": "mattlig", "d": "lag"}
    assert representative(["a", "b"], LEVELS, (2, 0, 0)) == {"a": "lag", "b": "lag"}


def test_rating_paths_are_count_vectors():
    paths = list(enumerate_paths(risk_tree()))
    # C(5+2, 2) * C(3+2, 2) = 21 * 10
    assert len(paths) == 21 * 10
    assert all(p["problem"] is None for p in paths)


def test_count_vector_enumeration_matches_brute_force():
    """For every one of the 3^n ratings, Flow.run reaches the outcome that the enumerated
    representative of its count vector reaches: one rating per vector is exhaustive."""
    grund, ford = GRUND_ITEMS[:3], FORD_ITEMS[:2]
    compiled = risk_tree(grund, ford)
    flow = Flow(compiled)

    def vector(rating_):
        counts = Counter(rating_.values())
        return tuple(counts[level] for level in LEVELS)

    by_vector = {}
    for p in enumerate_paths(compiled):
        key = (vector(p["answers"]["grundfragor"]), vector(p["answers"]["fordjupning"]))
        assert key not in by_vector
        by_vector[key] = p["outcome"]
    assert len(by_vector) == 10 * 6

    brute = {}
    seen_outcomes = Counter()
    for g in itertools.product(LEVELS, repeat=len(grund)):
        for f in itertools.product(LEVELS, repeat=len(ford)):
            answers = {"grundfragor": dict(zip(grund, g)), "fordjupning": dict(zip(ford, f))}
            result = flow.run(answers)
            assert result["status"] == "outcome"
            key = (vector(answers["grundfragor"]), vector(answers["fordjupning"]))
            brute.setdefault(key, set()).add(result["node"])
            seen_outcomes[result["node"]] += 1
    assert sum(seen_outcomes.values()) == 3 ** 5
    assert set(brute) == set(by_vector)
    for key, outcomes in brute.items():
        assert outcomes == {by_vector[key]}
    assert set(seen_outcomes) == {"overvag-atgarder", "fortsatt-vaksamhet"}


def test_cycle_is_reported():
    compiled = tree(
        choice("a", [("vidare", "b"), ("klar", "slut")]),
        info("b", "c"),
        info("c", "a"),
        outcome("slut"),
    )
    paths = list(enumerate_paths(compiled))
    problems = [p for p in paths if p["problem"]]
    assert [(p["problem"], p["path"]) for p in problems] == [("cycle", ["a", "b", "c", "a"])]
    assert [p["outcome"] for p in paths if not p["problem"]] == ["slut"]
    text = format_paths(compiled)
    assert "a=vidare > b > c -> cycle back to a" in text
    assert "cycle: 1 paths" in text


def test_dead_end_is_reported():
    compiled = tree(
        checklist("c", ["x", "y"], [('"x" in c', "slut"), ('count(c) == 2', "slut")]),
        outcome("slut"),
    )
    paths = list(enumerate_paths(compiled))
    dead = [p for p in paths if p["problem"] == "dead end"]
    assert [p["answers"]["c"] for p in dead] == [[], ["y"]]
    assert all(p["path"] == ["c"] and p["outcome"] is None for p in dead)
    text = format_paths(compiled)
    assert "c={} -> dead end" in text and "c={y} -> dead end" in text
    assert "dead end: 2 paths" in text


def test_runtime_expression_error_is_reported():
    compiled = tree(info("a", [("1000000 * 1000000 * 10 > 0", "slut"), (None, "slut")]), outcome("slut"))
    (p,) = list(enumerate_paths(compiled))
    assert p["problem"].startswith("error: ") and "out of range" in p["problem"]
    assert "error: 1 paths" in format_paths(compiled)


def test_large_checklist_is_refused():
    options = [f"o{i}" for i in range(13)]
    compiled = tree(checklist("c", options, "slut"), outcome("slut"))
    with pytest.raises(EngineError, match="too large to prove"):
        list(enumerate_paths(compiled))
    ok = tree(checklist("c", options[:12], "slut"), outcome("slut"))
    assert len(list(enumerate_paths(ok))) == 4096


def test_path_limit():
    compiled = tree(
        checklist("c1", [f"a{i}" for i in range(10)], "c2"),
        checklist("c2", [f"b{i}" for i in range(10)], "slut"),
        outcome("slut"),
    )
    with pytest.raises(EngineError, match="more than 1000 paths"):
        list(enumerate_paths(compiled, limit=1000))
    with pytest.raises(EngineError, match="more than 100000 paths"):
        for _ in enumerate_paths(compiled):
            pass


def test_format_paths_exact():
    compiled = tree(
        info("start", "val"),
        choice("val", [("risk", "r"), ("lista", "c"), ("direkt", "klart")]),
        rating("r", ["i1", "i2"], [('count(r, "hog") >= 1', "hog-risk"), (None, "klart")]),
        checklist("c", ["x", "y"], [('"y" in c', "hog-risk"), (None, "klart")]),
        outcome("klart"),
        outcome("hog-risk"),
        outcome("aldrig"),
        id_="liten",
    )
    assert format_paths(compiled) == (
        "tree liten: 11 paths\n"
        "start > val=direkt -> outcome klart\n"
        "start > val=lista > c={x,y} -> outcome hog-risk\n"
        "start > val=lista > c={x} -> outcome klart\n"
        "start > val=lista > c={y} -> outcome hog-risk\n"
        "start > val=lista > c={} -> outcome klart\n"
        "start > val=risk > r=[lag:0 mattlig:0 hog:2] -> outcome hog-risk\n"
        "start > val=risk > r=[lag:0 mattlig:1 hog:1] -> outcome hog-risk\n"
        "start > val=risk > r=[lag:0 mattlig:2 hog:0] -> outcome klart\n"
        "start > val=risk > r=[lag:1 mattlig:0 hog:1] -> outcome hog-risk\n"
        "start > val=risk > r=[lag:1 mattlig:1 hog:0] -> outcome klart\n"
        "start > val=risk > r=[lag:2 mattlig:0 hog:0] -> outcome klart\n"
        "\n"
        "outcome aldrig: 0 paths\n"
        "outcome hog-risk: 5 paths\n"
        "outcome klart: 6 paths\n"
    )


def test_format_paths_is_deterministic_and_order_independent():
    compiled = sample_tree()
    first = format_paths(compiled)
    assert first == format_paths(compiled)
    reordered = dict(compiled)
    reordered["nodes"] = dict(reversed(list(compiled["nodes"].items())))
    assert format_paths(reordered) == first
    assert first.startswith("tree sample: 9 paths\n")
    assert "fore-du-borjar > vad-har-hant=hot-telefon > hot-steg > sista=ja -> outcome dokumentera" in first
    assert first.endswith("outcome annat-utfall: 1 paths\noutcome dokumentera: 6 paths\noutcome ring-112: 2 paths\n")


def test_format_paths_for_the_risk_tree():
    text = format_paths(risk_tree())
    lines = text.splitlines()
    assert lines[0] == "tree riskinventering: 210 paths"
    assert ("grundfragor=[lag:5 mattlig:0 hog:0] > fordjupning=[lag:3 mattlig:0 hog:0] "
            "-> outcome fortsatt-vaksamhet") in lines
    assert ("grundfragor=[lag:3 mattlig:0 hog:2] > fordjupning=[lag:2 mattlig:0 hog:1] "
            "-> outcome overvag-atgarder") in lines
    counts = {l.split(":")[0]: int(l.split(": ")[1].split()[0]) for l in lines if l.startswith("outcome ")}
    assert sum(counts.values()) == 210
