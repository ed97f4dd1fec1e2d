"""Where each step leads, as the page, the diagram and the text alternative list it.

The truth is the engine's: a checked tree carries its routes (engine/routes.py, `Flow.routes`);
this module only arranges them per node, with the rules' words for the places where the route
depends on other answers.
"""

from __future__ import annotations

from typing import Optional

from generator.engine import Flow
from generator.language import Text

from generator.flowpage.nodes import inline, rules_of
from generator.flowpage.wording import Wording


def routes_of(compiled: dict) -> dict:
    """The engine's routes (engine/routes.py): carried by a checked tree, else computed."""
    return compiled.get("routes") or Flow(compiled).routes


def grouped_rules(rules: list[dict]) -> list[tuple[list[Optional[str]], str]]:
    """Consecutive rules with the same target merged: [([if, if], goto), ([None], goto)]."""
    groups: list[tuple[list[Optional[str]], str]] = []
    for rule in rules:
        cond, goto = rule.get("if"), rule.get("goto")
        if groups and groups[-1][1] == goto and cond is not None and groups[-1][0][-1] is not None:
            groups[-1][0].append(cond)
        else:
            groups.append(([cond], goto))
    return groups


def route_list(compiled: dict, node_id: str, text: Text) -> list[dict]:
    """The outgoing routes of a node, for the page, the diagram and the text alternative; the
    rules' labels in the language of `text`.

    Each route: {"goto": id | None, "label": plain text, "option": option id | None,
    "conds": [if, ...] | None, "first": bool}. A choice option leads where the engine's
    routes say (engine/routes.py); where that depends on other answers its goto is None and
    the node's rules follow the options.
    """
    node = compiled["nodes"][node_id]
    kind = node.get("kind")
    routes: list[dict] = []
    if kind == "outcome":
        return routes
    if kind == "choice":
        settled = routes_of(compiled)[node_id]["options"]
        for opt in node.get("options", []) or []:
            routes.append({"goto": settled[opt["id"]], "label": inline(opt.get("label")) or opt.get("id"),
                           "option": opt.get("id"), "conds": None, "first": False})
        if all(r["goto"] for r in routes):
            return routes
    wording = Wording(compiled, text)
    for i, (conds, goto) in enumerate(grouped_rules(rules_of(node))):
        routes.append({"goto": goto, "label": wording.short_label(conds, node_id, first=i == 0),
                       "option": None, "conds": conds, "first": i == 0})
    return routes
