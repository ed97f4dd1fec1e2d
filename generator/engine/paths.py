"""Enumerate every path through a tree, to prove that each one ends in an outcome.

Why one rating per count vector is exhaustive
---------------------------------------------
Routing after a node depends only on the answers on the path, seen through the expression
language. That language can observe a rating answer in exactly three ways: `count(node,
"level")` (items rated exactly that level), `atleast(node, "level")` (items rated that level
or higher) and `answered(node)`. All three are functions of the count vector alone (how
many items sit at each level): which item has which level is invisible. A bare rating name
is opaque: every comparison with it (`==`, `!=`, `<`, `in`, ...) is false whatever the
items say, so it too sees nothing of the assignment. Two ratings with the same count vector
therefore take the same route at every later rule, and one representative per vector
covers all ratings of the node: for n items on a scale of L levels that is
C(n + L - 1, L - 1) vectors instead of L**n ratings. The representative rates the first
items highest (in item order: the highest level's items first, then the next, ...).

Checklists get every subset (at most 12 options, 4096 subsets); choices get every option;
info nodes get `true`. A form is seen only through `filled` and `yes`: every combination of
its fields that conditions test (blank or filled; a yes/no unset, yes or no), the rest blank
and the required fields filled. Paths that revisit a node are reported as "cycle"; an answered node
with no matching rule as "dead end"; an expression failing at run time as "error: ..." (also
the `if` of an outcome's action, evaluated when the path reaches the outcome).
"""

from __future__ import annotations

from itertools import combinations

from .engine import Flow
from .errors import EngineError, ExpressionError
from .forms import form_candidates

MAX_CHECKLIST = 12
DEFAULT_LIMIT = 100_000


def count_vectors(n: int, parts: int):
    """Every tuple of `parts` non-negative ints summing to n, in lexicographic order."""
    if parts == 1:
        yield (n,)
        return
    for first in range(n + 1):
        for rest in count_vectors(n - first, parts - 1):
            yield (first,) + rest


def representative(items: list[str], levels: list[str], vector) -> dict:
    """One rating with the given count per level (lowest level first in `vector`);
    the first items get the highest level."""
    rating = {}
    order = iter(items)
    for level, how_many in reversed(list(zip(levels, vector))):
        for _ in range(how_many):
            rating[next(order)] = level
    return {i: rating[i] for i in items}


def observed_fields(flow: Flow) -> dict[str, set[str]]:
    """Form node -> the fields some condition of the tree tests."""
    exprs = [expr for rules in flow.rules.values() for expr, _, _ in rules]
    exprs += [expr for conditions in flow.action_conditions.values() for expr in conditions]
    observed: dict[str, set[str]] = {}
    for expr in exprs:
        for call in expr.calls() if expr is not None else []:
            if call.function in ("filled", "yes"):
                observed.setdefault(call.node, set()).add(call.level)
    return observed


def _candidates(flow: Flow, node_id: str) -> list:
    node = flow.nodes[node_id]
    kind = node["kind"]
    if kind == "info":
        return [True]
    if kind == "form":
        try:
            return form_candidates(node_id, flow.fields[node_id], observed_fields(flow).get(node_id, set()),
                                   2 ** MAX_CHECKLIST)
        except ValueError as err:
            raise EngineError(str(err)) from None
    if kind == "choice":
        return list(flow.options[node_id])
    if kind == "checklist":
        options = list(flow.options[node_id])
        if len(options) > MAX_CHECKLIST:
            raise EngineError(
                f"checklist '{node_id}' has {len(options)} options: too large to prove every "
                f"combination (at most {MAX_CHECKLIST}); split it into smaller checklists"
            )
        out = []
        for size in range(len(options) + 1):
            for combo in combinations(options, size):
                out.append(list(combo))
        return out
    items, levels = flow.items[node_id], flow.levels[node_id]
    return [representative(items, levels, v) for v in count_vectors(len(items), len(levels))]


def enumerate_paths(compiled, limit: int = DEFAULT_LIMIT):
    """Yield every path of a compiled tree (or a Flow), depth first in YAML order.

    Each path: {"answers": {...}, "path": [...], "outcome": id | None,
    "problem": None | "dead end" | "cycle" | "error: ..."}. Raises EngineError on a malformed
    tree, a checklist with more than 12 options, or more than `limit` paths.
    """
    flow = compiled if isinstance(compiled, Flow) else Flow(compiled)
    for node_id, node in flow.nodes.items():  # fail early, before yielding anything
        if node["kind"] == "checklist" and len(flow.options[node_id]) > MAX_CHECKLIST:
            _candidates(flow, node_id)
    produced = 0
    stack = [(flow.start, {}, ())]
    while stack:
        node_id, answers, path = stack.pop()
        found = []
        if node_id in path:
            found.append({"answers": answers, "path": list(path) + [node_id], "outcome": None, "problem": "cycle"})
        elif flow.nodes[node_id]["kind"] == "outcome":
            try:
                flow.outcome_actions(node_id, answers)  # an action's `if` can fail like a rule's
            except ExpressionError as err:
                found.append({"answers": answers, "path": list(path) + [node_id], "outcome": None,
                              "problem": f"error: {err}"})
            else:
                found.append({"answers": answers, "path": list(path) + [node_id], "outcome": node_id, "problem": None})
        else:
            here = path + (node_id,)
            children = []
            for value in _candidates(flow, node_id):
                chosen = dict(answers)
                chosen[node_id] = value
                try:
                    target = flow.route(node_id, chosen)
                except ExpressionError as err:
                    found.append({"answers": chosen, "path": list(here), "outcome": None, "problem": f"error: {err}"})
                    continue
                if target is None:
                    found.append({"answers": chosen, "path": list(here), "outcome": None, "problem": "dead end"})
                else:
                    children.append((target, chosen, here))
            stack.extend(reversed(children))
        for item in found:
            produced += 1
            if produced > limit:
                raise EngineError(
                    f"tree '{flow.id}' has more than {limit} paths: too many to prove; "
                    "split the flow or use fewer checklist options"
                )
            yield item


def walked_routes(flow: Flow, walked: list[dict]) -> dict[str, list[dict]]:
    """Where the engine sent each walked sequence of plain answers (choices and read info steps),
    at the steps whose route the tree alone does not settle: {node: [{"after": {node: answer, ...},
    "to": target}]}, "after" being every answer on the path up to and including that node.

    The browser moves by these without the engine: they are the engine's own routes from
    `enumerate_paths`, not a second evaluator. A path that passes a checklist, rating or form
    stops adding entries there (its answers are not listed), and the engine routes on from it."""
    table: dict[str, list[dict]] = {}
    for found in walked:
        path, answers = found["path"], found["answers"]
        for index, node_id in enumerate(path[:-1]):
            if not all(isinstance(answers[step], (str, bool)) for step in path[:index + 1]):
                break
            route = flow.routes[node_id]
            settled = route["options"].get(answers[node_id]) if "options" in route else route.get("next")
            entry = {"after": {step: answers[step] for step in path[:index + 1]}, "to": path[index + 1]}
            if settled is None and entry not in table.setdefault(node_id, []):
                table[node_id].append(entry)
    return {node_id: entries for node_id, entries in table.items() if entries}


def _show(flow: Flow, node_id: str, value) -> str:
    kind = flow.nodes[node_id]["kind"]
    if kind == "info":
        return node_id
    if kind == "choice":
        return f"{node_id}={value}"
    if kind == "checklist":
        return f"{node_id}={{{','.join(value)}}}"
    if kind == "form":  # what the conditions can see: filled fields, and yes/no answers
        return f"{node_id}={{" + ",".join(f if v is not True and v is not False else f"{f}:{'yes' if v else 'no'}"
                                         for f, v in value.items()) + "}"
    counts = {level: 0 for level in flow.levels[node_id]}
    for level in value.values():
        counts[level] += 1
    return f"{node_id}=[" + " ".join(f"{k}:{v}" for k, v in counts.items()) + "]"


def _actions_shown(flow: Flow, outcome: str, answers: dict) -> str:
    """", actions 1-2,5" when the outcome has conditional actions: the ones these answers show
    (numbered from 1, runs as ranges); "" when every action always shows."""
    if not any(flow.action_conditions.get(outcome) or []):
        return ""
    numbers = [action["index"] + 1 for action in flow.outcome_actions(outcome, answers)]
    runs: list[list[int]] = []
    for number in numbers:
        if runs and runs[-1][-1] == number - 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    shown = ",".join(f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)
    return f", actions {shown or 'none'}"


def format_path(flow: Flow, item: dict) -> str:
    path, answers, problem = item["path"], item["answers"], item["problem"]
    if problem == "cycle":
        shown, end = path[:-1], f"cycle back to {path[-1]}"
    elif problem is None:
        shown, end = path[:-1], f"outcome {item['outcome']}" + _actions_shown(flow, item["outcome"], answers)
    else:
        shown, end = path, problem
    parts = [_show(flow, n, answers[n]) for n in shown if n in answers]  # an outcome has no answer
    return " > ".join(parts) + " -> " + end if parts else "-> " + end


def format_paths(compiled, limit: int = DEFAULT_LIMIT, items=None) -> str:
    """A deterministic, reviewable listing of every path (committed and diffed in review), in
    the same words on every site ("outcome", "cycle back to", a yes/no field's "yes" and "no").
    `items`: the paths of enumerate_paths, when the caller has walked them already."""
    flow = compiled if isinstance(compiled, Flow) else Flow(compiled)
    items = list(enumerate_paths(flow, limit)) if items is None else items
    lines = sorted(format_path(flow, item) for item in items)
    outcomes = {n: 0 for n, node in flow.nodes.items() if node["kind"] == "outcome"}
    problems: dict[str, int] = {}
    for item in items:
        if item["outcome"] is not None:
            outcomes[item["outcome"]] += 1
        else:
            key = item["problem"] if not item["problem"].startswith("error") else "error"
            problems[key] = problems.get(key, 0) + 1
    out = [f"tree {flow.id}: {len(items)} paths"]
    out.extend(lines)
    out.append("")
    out.extend(f"outcome {n}: {outcomes[n]} paths" for n in sorted(outcomes))
    out.extend(f"{p}: {problems[p]} paths" for p in sorted(problems))
    return "\n".join(out) + "\n"
