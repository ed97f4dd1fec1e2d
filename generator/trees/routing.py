"""The checks of a tree's routing: conditions judged by the engine, reachability, every path walked."""

from __future__ import annotations

from typing import Any, Iterable

from generator.engine import EngineError, ExpressionError, Flow, expressions, paths
from generator.engine.evaluation import expression_problems
from generator.problems import did_you_mean
from generator.trees.forms import check_template_references
from generator.trees.state import CheckState
from generator.trees.texts import shorten


def rules_of(compiled: dict) -> Iterable[tuple[str, dict]]:
    for node_id, node in compiled["nodes"].items():
        for rule in node.get("next", []):
            yield node_id, rule


def check_expressions(state: CheckState, compiled: dict) -> None:
    conditions = [(rule["_line"], rule["if"]) for _, rule in rules_of(compiled) if rule["if"] is not None]
    for where, source in conditions + state.action_conditions:
        try:
            expr = expressions.parse(source)
        except ExpressionError as exc:
            state.error(where, f'the condition "{shorten(source)}" cannot be read: {exc}',
                        "write the condition with node ids, quoted option or level ids, and the functions "
                        "count, atleast, answered, filled and yes (see docs/tree-format.md)")
            continue
        check_expression_names(state, where, source, expr)
    check_template_references(state)


def check_expression_names(state: CheckState, where: tuple[int, int], source: str, expr: Any) -> None:
    """The engine's own judgement of a condition (expression_problems), worded with a fix."""
    levels = {node: state.scales.get(scale, []) for node, scale in state.node_scale.items()}
    for p in expression_problems(expr, state.kinds, state.options, levels, state.fields):
        state.error(where, *_expression_message(state, p, source))


def _expression_message(state: CheckState, p: Any, source: str) -> tuple[str, str]:
    if p.code == "unknown-node":
        return (f'the condition "{source}" names the node "{p.node}", which does not exist'
                f"{did_you_mean(p.node, state.node_lines)}",
                "use the id of a node in this file; option and level ids go in quotes")
    if p.code == "count-needs-checklist":
        return (f'count({p.node}) in "{source}" counts ticked options, but "{p.node}" is a {p.kind} node',
                'use count(node) with checklist nodes, count(node, "level") with rating nodes')
    if p.code == "needs-rating":
        return (f'{p.function}({p.node}, ...) in "{source}" needs a rating node, but "{p.node}" is a {p.kind} node',
                f'use {p.function}(node, "level") with rating nodes'
                + (", count(node) with checklist nodes" if p.kind == "checklist" else ""))
    if p.code == "unknown-level":
        return (f'the level "{p.value}" in "{source}" is not in the scale "{state.node_scale[p.node]}"'
                f"{did_you_mean(p.value, p.allowed)}", "use one of the levels: " + ", ".join(p.allowed))
    if p.code == "option-test-wrong-kind":
        wanted = p.allowed[0]
        shown = f'"{p.value}" {p.function} {p.node}' if wanted == "checklist" else f'{p.node} {p.function} "{p.value}"'
        return (f'in the condition "{source}", {shown} needs a {wanted} node, but "{p.node}" is a {p.kind} node, '
                "so the test is always false",
                '"option" in node tests a checklist node; node == "option" tests a choice node; '
                "use count or atleast for rating nodes and answered for info nodes")
    if p.code == "needs-form":
        return (f'{p.function}({p.node}, ...) in "{source}" needs a form step, but "{p.node}" is of kind {p.kind}',
                f'use {p.function}(step, "field") with the id of a form step')
    if p.code == "unknown-field":
        return (f'the field "{p.value}" in "{source}" is not a field of "{p.node}"{did_you_mean(p.value, p.allowed)}',
                "use one of the fields: " + ", ".join(p.allowed))
    if p.code == "needs-yesno":
        return (f'yes({p.node}, "{p.value}") in "{source}" needs a yes/no field, but "{p.value}" is written in words',
                f'use filled({p.node}, "{p.value}") to ask whether it was filled'
                + (", or yes() with one of: " + ", ".join(p.allowed) if p.allowed else ""))
    return (f'the condition "{source}" names the option "{p.value}", which node "{p.node}" does not have'
            f"{did_you_mean(p.value, p.allowed)}",
            f'use one of the option ids of node "{p.node}": ' + ", ".join(p.allowed))


def check_reachable(state: CheckState, flow: Flow) -> None:
    """Every node can be reached from the start, along the engine's routes."""
    seen = {flow.start}
    todo = [flow.start]
    while todo:
        for target in flow.routes.get(todo.pop(), {}).get("targets", []):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    for node_id, where in state.node_lines.items():
        if node_id not in seen:
            state.error(where, f'the node "{node_id}" cannot be reached from the start node "{flow.start}"',
                        "lead to it with \"next\" or \"goto\" from another node, or remove it")


def check_with_engine(state: CheckState, compiled: dict) -> None:
    """Strip line notes, let the engine validate the tree and walk every path. The compiled tree
    gets the engine's routes, the walked routes (for the browser before the engine) and the text
    of its path file ("paths", pathfiles.py), from the same walk."""
    for node in compiled["nodes"].values():
        for rule in node.get("next", []):
            rule.pop("_line", None)
    first_line = min((line for line, _ in state.node_lines.values()), default=1)
    try:
        flow = Flow(compiled)
        compiled["routes"] = flow.routes
        check_reachable(state, flow)
        if state.report.errors:
            return
        found = []
        walked = list(paths.enumerate_paths(flow))
        for path in walked:
            if path.get("problem"):
                found.append(path)
            else:
                check_conditional_actions(state, flow, path)
        # Walking every path again would cost as much as the check itself.
        compiled["paths"] = paths.format_paths(flow, items=walked)
        compiled["walked"] = paths.walked_routes(flow, walked)
    except EngineError as exc:
        state.error((first_line, 1), f"the decision engine cannot check the tree: {exc}",
                    "correct the tree as the message says (see docs/tree-format.md)")
        return
    report_path_problems(state, compiled, flow, found, first_line)


def report_path_problems(state: CheckState, compiled: dict, flow: Flow, found: list[dict], first_line: int) -> None:
    """Each dead end, cycle or failing condition the walk found, once per node and kind."""
    reported: set[tuple[str, str]] = set()
    for path in found:
        problem = path["problem"]
        visited = path.get("path") or [compiled["start"]]
        # A cycle is reported at the node whose rule leads back; other problems where the walk stopped.
        node_id = visited[-2] if problem == "cycle" and len(visited) > 1 else visited[-1]
        kind = "error" if problem.startswith("error") else problem
        if (kind, node_id) in reported:
            continue
        reported.add((kind, node_id))
        where = state.node_lines.get(node_id, (first_line, 1))
        example = paths.format_path(flow, path)
        if problem == "dead end":
            rules = compiled["nodes"][node_id].get("next", [])
            fix = ("add a last rule without \"if\" as the default (- goto: <node id>), or make the conditions cover every answer"
                   if not rules or rules[-1]["if"] is not None else "make sure every answer leads to a node")
            state.error(where, f'dead end at node "{node_id}": for some answers no rule matches, so the flow stops '
                        f"without an outcome (for example: {example})", fix)
        elif problem == "cycle":
            state.error(where, f'cycle with no way out: node "{node_id}" leads back to "{visited[-1]}", '
                        f"so the flow goes round for ever (for example: {example})",
                        "make the rules in the loop lead on to an outcome")
        else:
            # The example's tail repeats the problem: show only the answers that lead to it.
            state.error(where, f'the flow fails at node "{node_id}": {problem.removeprefix("error: ")} '
                        f'(for example: {example.rsplit(" -> ", 1)[0]})',
                        "correct the conditions on this path")


def check_conditional_actions(state: CheckState, flow: Flow, path: dict) -> None:
    """On a path that ends in an outcome with conditional actions: at least one action shows,
    and every node an action's `if` names has been answered on the way."""
    outcome = path["outcome"]
    conditions = flow.action_conditions.get(outcome) or []
    if not any(conditions):
        return
    where = state.node_lines.get(outcome, (1, 1))
    if not flow.outcome_actions(outcome, path["answers"]) and ("empty", outcome) not in state.seen_action_problems:
        state.seen_action_problems.add(("empty", outcome))
        state.error(where, f'the outcome "{outcome}" shows no action for some answers: the "if" of every action '
                    f"is false (for example: {paths.format_path(flow, path)})",
                    'add an action without "if", or make the conditions cover every answer')
    for index, expr in enumerate(conditions):
        if expr is None:
            continue
        guarded = {call.node for call in expr.calls() if call.function == "answered"}
        for name in sorted(expr.names()):
            key = ("off-path", outcome, index, name)
            if name in path["answers"] or name in guarded or key in state.seen_action_problems:
                continue
            state.seen_action_problems.add(key)
            action_where = state.places.get((outcome, index), where)
            state.warning(action_where,
                          f'the "if" of action {index + 1} of the outcome "{outcome}" names the node "{name}", '
                          f"which some paths to the outcome do not pass, so there it has no answer "
                          f"(for example: {paths.format_path(flow, path)})",
                          "name only nodes that every path to this outcome passes, or test answered(node) first")
