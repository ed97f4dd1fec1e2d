"""A compiled tree's nodes as the flow page orders and names them: steps and outcomes, their ids
on the page, and their words with whitespace collapsed (no text can open a blank line)."""

from __future__ import annotations

from typing import Any, Optional

from generator.language import Text, Vocabulary


def inline(value: Any) -> str:
    """Collapse whitespace (incl. newlines) so no text can introduce a blank line."""
    return " ".join(("" if value is None else str(value)).split())


def anchor(compiled: dict, node_id: str, words: Vocabulary) -> str:
    """The link to a node on its flow page: its step's section, or its outcome's."""
    node = compiled.get("nodes", {}).get(node_id)
    kind = "outcome" if node is not None and node.get("kind") == "outcome" else "step"
    return "#" + words.node_id(kind, node_id)


def title_of(compiled: dict, node_id: Optional[str]) -> str:
    node = compiled.get("nodes", {}).get(node_id or "")
    if node is None:
        return str(node_id)
    return inline(node.get("title")) or str(node_id)


def kind_label(kind: str, text: Text) -> str:
    """A node kind in the reader's words ("Fråga"); an unknown kind as it is."""
    return text(f"kind_{kind}") if f"kind_{kind}" in text.strings else kind


def rules_of(node: dict) -> list[dict]:
    rules = node.get("next") or []
    if isinstance(rules, str):  # tolerate the YAML shorthand
        return [{"if": None, "goto": rules}]
    return list(rules)


def step_order(compiled: dict) -> list[str]:
    """Non-outcome node ids in `nodes` order, the start node first."""
    nodes = compiled.get("nodes", {})
    start = compiled.get("start")
    order = [nid for nid, n in nodes.items() if n.get("kind") != "outcome"]
    if start in order:
        order.remove(start)
        order.insert(0, start)
    return order


def outcome_order(compiled: dict) -> list[str]:
    return [nid for nid, n in compiled.get("nodes", {}).items() if n.get("kind") == "outcome"]
