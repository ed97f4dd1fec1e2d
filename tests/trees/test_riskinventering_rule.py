"""The risk inventory implements the source's rule, read as in PRODUCT.md:

recommend measures when at least four items are rated MÅTTLIG or higher, or when three or
more are rated HÖG (a HÖG never counts for less than a MÅTTLIG).
"""

from __future__ import annotations

import pytest

from generator.engine import Flow, enumerate_paths
from generator.trees import load_tree

from .helpers import CONTACTS, ROOT, SOURCES, TERMS
from generator.language import vocabulary

WORDS = vocabulary("sv")  # the trees here are a Swedish site's

GRUND = ["vem", "vad", "hur", "nar-var"]
FORDJUPNING = ["spanningar", "tidigare-hot", "politiska-spanningar", "mediadiskussion", "grupperingar", "fortroende", "okand-plats"]


@pytest.fixture(scope="module")
def tree():
    compiled, problems = load_tree(ROOT / "decision_trees" / "riskinventering.yml", ROOT, CONTACTS, SOURCES, terms=TERMS, words=WORDS)
    assert problems == []
    return compiled


def expected(mattlig: int, hog: int) -> str:
    return "overvag-atgarder" if mattlig + hog >= 4 or hog >= 3 else "fortsatt-vaksamhet"


def answers_for(levels: list[str], order: str) -> dict:
    """Rate the items with the given non-LÅG levels, placed in the order named; the rest LÅG."""
    if order == "grund-first":
        slots = GRUND + FORDJUPNING
    elif order == "fordjupning-only":
        slots = FORDJUPNING + GRUND
    else:  # alternate between the two rating nodes
        slots = [x for pair in zip(GRUND, FORDJUPNING) for x in pair] + FORDJUPNING[len(GRUND):]
    rating = {item: "lag" for item in GRUND + FORDJUPNING}
    for item, level in zip(slots, levels):
        rating[item] = level
    return {
        "om-sjalvskattningen": True,
        "grundfragor": {i: rating[i] for i in GRUND},
        "fordjupning": {i: rating[i] for i in FORDJUPNING},
    }


CASES = [
    # (non-LÅG levels, expected outcome)
    (["mattlig"] * 3, "fortsatt-vaksamhet"),
    (["mattlig"] * 4, "overvag-atgarder"),
    (["hog", "hog", "mattlig", "mattlig"], "overvag-atgarder"),
    (["hog", "hog"], "fortsatt-vaksamhet"),
    (["hog", "hog", "mattlig"], "fortsatt-vaksamhet"),
    (["hog"] * 3, "overvag-atgarder"),
    (["hog", "mattlig", "mattlig", "mattlig"], "overvag-atgarder"),
    ([], "fortsatt-vaksamhet"),
    (["hog"] * 11, "overvag-atgarder"),
]


@pytest.mark.parametrize("order", ["grund-first", "fordjupning-only", "spread"])
@pytest.mark.parametrize("levels, outcome", CASES)
def test_boundary_cases(tree, levels, outcome, order):
    result = Flow(tree).run(answers_for(levels, order))
    assert result["status"] == "outcome"
    assert result["outcome"]["id"] == outcome
    assert outcome == expected(levels.count("mattlig"), levels.count("hog"))


def test_every_count_vector_follows_the_rule(tree):
    """Over every path (one rating per count vector of each node) the outcome matches the rule."""
    seen = 0
    for path in enumerate_paths(tree):
        ratings = list(path["answers"]["grundfragor"].values()) + list(path["answers"]["fordjupning"].values())
        assert path["outcome"] == expected(ratings.count("mattlig"), ratings.count("hog")), path
        seen += 1
    assert seen == 15 * 36  # C(4+2, 2) vectors for grundfragor times C(7+2, 2) for fordjupning
