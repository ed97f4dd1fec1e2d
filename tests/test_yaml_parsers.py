"""libyaml parses the publisher's YAML (generator/yamlsource.py) with the same result as PyYAML's own
parser: the same values, the same line and column of every key, value and item, the same refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator import yamlsource
from generator.yamlsource import YamlProblem, parse_yaml

REPO = Path(__file__).resolve().parents[1]
FILES = sorted([*REPO.glob("decision_trees/*.yml"), *REPO.glob("content/**/*.yml"), REPO / "mkdocs.yml",
                *REPO.glob("examples/*/content/**/*.yml")])


def shape(value):
    """A parsed value with every position in it, for comparing two parses."""
    if isinstance(value, yamlsource.Node):
        return ("map", value.line, value.column, value.key_positions, value.value_positions,
                [(key, shape(item)) for key, item in value.items()])
    if isinstance(value, yamlsource.NodeList):
        return ("list", value.line, value.column, value.item_lines, [shape(item) for item in value])
    return (type(value).__name__, value)


def pure(text: str, display: str, line_offset: int = 0):
    try:
        return yamlsource._parse_pure(text, display, line_offset)
    except YamlProblem as exc:
        return exc.problem


def either(text: str, display: str, line_offset: int = 0):
    try:
        return parse_yaml(text, display, line_offset)
    except YamlProblem as exc:
        return exc.problem


def test_libyaml_is_used_when_pyyaml_has_it(monkeypatch):
    if not yaml.__with_libyaml__:
        pytest.skip("PyYAML without libyaml")
    monkeypatch.setattr(yamlsource, "_parse_pure", lambda *args: pytest.fail("the pure parser was used"))
    assert parse_yaml("a: [1, 2]\n", "x.yml") == {"a": [1, 2]}


@pytest.mark.parametrize("path", FILES, ids=[str(path.relative_to(REPO)) for path in FILES])
def test_every_yaml_file_of_the_sites_parses_alike(path):
    text = yamlsource.read_text(path, path.name)
    assert shape(parse_yaml(text, path.name, 3)) == shape(pure(text, path.name, 3))


BROKEN = {
    "an alias": "a: &x 1\nb: *x\n",
    "an anchor deep down": "a:\n  b:\n    - &x c\n",
    "a syntax error": "a: b: c\n",
    "an unclosed quote": 'a: "open\nb: 2\n',
    "a tab": "a:\n\tb: 1\n",
    "a duplicate key": "a: 1\nb: 2\na: 3\n",
    "a merge key": "a:\n  <<: {b: 1}\n",
    "deep nesting": "[" * 60 + "]" * 60 + "\n",
    "too many values": "[" + ", ".join(["1"] * (yamlsource.MAX_NODES + 1)) + "]\n",
    "a C1 control character": "a: b\u0085\u0086c\n",
    "a non-character": "a: \ufffe\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "a bad timestamp": "a: 2026-13-45\n",
    "non-ASCII before the error": "namn: Åsa Öberg\nb: [ö, ä\n",
}


@pytest.mark.parametrize("text", BROKEN.values(), ids=list(BROKEN))
def test_each_refusal_is_the_same_problem_at_the_same_place(text):
    found = either(text, "x.yml", 2)
    assert found == pure(text, "x.yml", 2)
