"""Where each answer leads when the tree alone decides it: the routes every consumer reads.

The engine's `Flow.route` decides a step at run time from all the answers. The static page,
the diagram, the PDF, the checker's reachability and the browser's routing without the engine
need the same decision made once, without answers: for a choice option, the step it leads to
whatever else was answered; for another step, the step it always leads to. Where that depends
on other answers the route is None and the consumer lists the step's rules instead.

    routes = static_routes(flow)
    routes["fraga"] == {"next": None, "options": {"ja": "hjalp", "nej": None},
                        "targets": ["hjalp", "vanta", "klart"]}

"targets" is every step the node can lead to, in order, for reachability and diagram edges.
"""

from __future__ import annotations

from .expressions import BoolOp, Call, Compare, Expr, Literal, Name, Not


def known_choice(compare: Compare) -> tuple[str, str] | None:
    """(node, option) of `node == "x"` or `"x" == node` (also with !=), else None: the one
    reading of such a test, for the routes here and the rules' words of the flow page."""
    left, right = compare.left, compare.right
    name, value = (left, right) if isinstance(left, Name) else (right, left)
    if isinstance(name, Name) and isinstance(value, Literal) and isinstance(value.value, str):
        return name.name, value.value
    return None


def settle(expr: Expr, known: dict[str, str]) -> bool | None:
    """True or False when the choices in `known` (node -> option) decide `expr`, else None."""
    if isinstance(expr, Literal) and isinstance(expr.value, bool):
        return expr.value
    if isinstance(expr, Not):
        value = settle(expr.operand, known)
        return None if value is None else not value
    if isinstance(expr, BoolOp):
        values = [settle(operand, known) for operand in expr.operands]
        decisive = expr.op == "or"  # True decides an `or`, False an `and`
        if decisive in values:
            return decisive
        return None if None in values else not decisive
    if isinstance(expr, Compare) and expr.op in ("==", "!="):
        pair = known_choice(expr)
        if pair and pair[0] in known:
            return (known[pair[0]] == pair[1]) == (expr.op == "==")
    if isinstance(expr, Call) and expr.function == "answered" and expr.node in known:
        return True
    return None


def _first_rule(rules: list[tuple], known: dict[str, str]) -> tuple[str | None, list[str]]:
    """The target the rules settle on (or None) and the targets still possible, in order."""
    possible: list[str] = []
    for expr, goto, _ in rules:
        value = True if expr is None else settle(expr, known)
        if value is True:
            possible.append(goto)
            return (goto if len(possible) == 1 else None), possible
        if value is None:
            possible.append(goto)
    return None, possible


def _unique(targets: list[str]) -> list[str]:
    return list(dict.fromkeys(targets))


def node_routes(flow, node_id: str) -> dict:
    node = flow.nodes[node_id]
    rules = flow.rules[node_id]
    if node["kind"] == "choice":
        options: dict[str, str | None] = {}
        targets: list[str] = []
        for option_id, option in flow.options[node_id].items():
            if option.get("next") is not None:
                options[option_id] = option["next"]
                targets.append(option["next"])
                continue
            settled, possible = _first_rule(rules, {node_id: option_id})
            options[option_id] = settled
            targets.extend(possible)
        return {"next": None, "options": options, "targets": _unique(targets)}
    settled, possible = _first_rule(rules, {})
    return {"next": settled, "targets": _unique(possible)}


def static_routes(flow) -> dict[str, dict]:
    """Every non-outcome node's routes (see the module's docstring), in the tree's order."""
    return {key: node_routes(flow, key) for key, node in flow.nodes.items() if node["kind"] != "outcome"}
