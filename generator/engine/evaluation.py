"""Evaluating a parsed expression against answers, and judging it against a tree.

Evaluation never raises on odd answers (see expressions.py); `expression_problems` is the
one judgement of whether a condition fits its tree, used by the engine and the checker."""

from __future__ import annotations

from collections import namedtuple

from .errors import ExpressionError
from .expressions import Arith, BoolOp, Call, Compare, Expr, Literal, Name, Neg, Not
from .forms import is_filled
from .tokens import MAX_RESULT

# --------------------------------------------------------------------------- evaluator


class FlowInfo:
    """What evaluation needs to know about a tree: the ordered levels of each rating node."""

    __slots__ = ("levels",)

    def __init__(self, levels: dict[str, list[str]] | None = None):
        self.levels = {k: list(v) for k, v in (levels or {}).items()}

    @classmethod
    def from_compiled(cls, compiled) -> "FlowInfo":
        levels = {}
        try:
            scales = compiled.get("scales") or {}
            for node_id, node in (compiled.get("nodes") or {}).items():
                if isinstance(node, dict) and node.get("kind") == "rating":
                    scale = scales.get(node.get("scale")) or []
                    levels[node_id] = [s.get("id") for s in scale if isinstance(s, dict)]
        except AttributeError:
            pass
        return cls(levels)


def _kind(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, str):
        return "str"
    if isinstance(value, (list, tuple)):
        return "list"
    if isinstance(value, dict):
        return "rating"
    return "other"


def _compare(op: str, a, b) -> bool:
    ka, kb = _kind(a), _kind(b)
    if op in ("in", "not in"):
        if ka != "str" or kb != "list":
            return False
        return (a in b) == (op == "in")
    # null, ratings and unknown values are never comparable; unlike types compare false
    if ka != kb or ka in ("null", "rating", "other"):
        return False
    if ka == "list":
        a, b = frozenset(x for x in a if isinstance(x, str)), frozenset(x for x in b if isinstance(x, str))
    if op == "==":
        return a == b
    if op == "!=":
        return a != b
    if ka != "int":  # ordering is defined for numbers only
        return False
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    return a >= b


def _bounded(value: int, expr: Expr) -> int:
    if -MAX_RESULT <= value <= MAX_RESULT:
        return value
    raise ExpressionError(f"arithmetic result is out of range (more than 10**12) in {expr!r}", expr.pos)


def _call(node: Call, answers, info: FlowInfo) -> int | bool:
    value = answers.get(node.node) if isinstance(answers, dict) else None
    if node.function == "answered":
        return value is not None
    if node.function in ("filled", "yes"):  # the string argument names a form's field
        field = value.get(node.level) if isinstance(value, dict) else None
        return is_filled(field) if node.function == "filled" else field is True
    if node.level is None:  # count(checklist)
        if _kind(value) != "list":
            return 0
        return len({x for x in value if isinstance(x, str)})
    if _kind(value) != "rating":
        return 0
    rated = [v for v in value.values() if isinstance(v, str)]
    if node.function == "count":
        return sum(1 for v in rated if v == node.level)
    levels = info.levels.get(node.node) or []
    if node.level not in levels:
        return 0
    allowed = set(levels[levels.index(node.level):])
    return sum(1 for v in rated if v in allowed)


def evaluate(expr: Expr, answers, flow_info=None):
    """Evaluate a parsed expression against answers (node id -> answer).

    `flow_info` gives the scale order that `atleast` needs: a FlowInfo, a compiled tree
    (dict with "nodes" and "scales"), or None (then `atleast` counts 0). Odd answers never
    raise; only arithmetic out of range raises ExpressionError.
    """
    if isinstance(flow_info, FlowInfo):
        info = flow_info
    elif isinstance(flow_info, dict):
        info = FlowInfo.from_compiled(flow_info)
    else:
        info = FlowInfo()
    if not isinstance(answers, dict):
        answers = {}
    return _eval(expr, answers, info)


def _eval(node: Expr, answers: dict, info: FlowInfo):
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Name):
        return answers.get(node.name)
    if isinstance(node, Call):
        return _call(node, answers, info)
    if isinstance(node, BoolOp):
        if node.op == "and":
            for operand in node.operands:
                if _eval(operand, answers, info) is not True:
                    return False
            return True
        for operand in node.operands:
            if _eval(operand, answers, info) is True:
                return True
        return False
    if isinstance(node, Not):
        return _eval(node.operand, answers, info) is not True
    if isinstance(node, Compare):
        return _compare(node.op, _eval(node.left, answers, info), _eval(node.right, answers, info))
    if isinstance(node, Neg):
        value = _eval(node.operand, answers, info)
        return -value if _kind(value) == "int" else None
    if isinstance(node, Arith):
        value = _eval(node.first, answers, info)
        for op, operand in node.rest:
            right = _eval(operand, answers, info)
            if _kind(value) != "int" or _kind(right) != "int":
                value = None
                continue
            if op == "+":
                value = value + right
            elif op == "-":
                value = value - right
            else:
                value = value * right
            value = _bounded(value, node)
        return value
    raise ExpressionError(f"unknown expression node {type(node).__name__}")  # pragma: no cover


# --------------------------------------------------------------------------- validation against a tree

ExpressionProblem = namedtuple("ExpressionProblem", "code node function value kind allowed")
ExpressionProblem.__doc__ = """What is wrong with a condition for the tree it stands in. `code` is one of:
unknown-node, count-needs-checklist, needs-rating, unknown-level, option-test-wrong-kind,
unknown-option, needs-form, unknown-field, needs-yesno. The engine fails with the first; the checker words each for the publisher."""


def expression_problems(expr: Expr, kinds: dict, options: dict, levels: dict,
                        fields: dict | None = None) -> list[ExpressionProblem]:
    """Every problem of `expr` in a tree with these nodes: node id -> kind, choice or checklist
    node -> its option ids, rating node -> its levels, form node -> {field id: field}. A node
    of unknown kind ("") is skipped."""
    problems = []

    def problem(code, node, function=None, value=None, kind=None, allowed=()):
        problems.append(ExpressionProblem(code, node, function, value, kind, tuple(allowed)))

    for name in sorted(expr.names()):
        if name not in kinds:
            problem("unknown-node", name)
    for call in expr.calls():
        kind = kinds.get(call.node)
        if not kind or call.function == "answered":
            continue
        if call.function in ("filled", "yes"):
            form = (fields or {}).get(call.node)
            if kind != "form":
                problem("needs-form", call.node, call.function, kind=kind)
            elif form is not None and call.level not in form:
                problem("unknown-field", call.node, call.function, call.level, kind, list(form))
            elif form is not None and call.function == "yes" and form[call.level].get("type") != "yesno":
                problem("needs-yesno", call.node, call.function, call.level, kind,
                        [f for f, field in form.items() if field.get("type") == "yesno"])
            continue
        if call.function == "count" and call.level is None:
            if kind != "checklist":
                problem("count-needs-checklist", call.node, call.function, kind=kind)
        elif kind != "rating":
            problem("needs-rating", call.node, call.function, kind=kind)
        elif call.level is not None and levels.get(call.node) and call.level not in levels[call.node]:
            problem("unknown-level", call.node, call.function, call.level, kind, levels[call.node])
    for ref in expr.option_refs():
        kind = kinds.get(ref.node)
        if not kind:
            continue
        wanted = "checklist" if ref.operator in ("in", "not in") else "choice"
        if kind != wanted:
            problem("option-test-wrong-kind", ref.node, ref.operator, ref.value, kind, (wanted,))
        elif ref.value not in options.get(ref.node, ()):
            problem("unknown-option", ref.node, ref.operator, ref.value, kind, options.get(ref.node, ()))
    return problems
