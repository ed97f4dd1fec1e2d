"""A tree's routing rules in the reader's words ("Om du har kryssat i minst två alternativ").

The engine's syntax tree (generator.engine) of a rule's `if:` is put into the language's phrases
(generator/languages/); nothing is evaluated against a reader's answers. What has no plain wording
falls back to the expression itself, shown as written. Plain text only: the templates escape it.
"""

from __future__ import annotations

from typing import Optional

from generator.engine.errors import ExpressionError
from generator.engine.expressions import Arith, BoolOp, Call, Compare, Expr, Literal, Name, Not, parse
from generator.engine.routes import known_choice
from generator.language import Text

from generator.flowpage.nodes import inline, title_of

_FLIP = {">=": "<=", "<=": ">=", ">": "<", "<": ">", "==": "==", "!=": "!="}
_NEGATED = {"in": "not in", "not in": "in", "==": "!=", "!=": "=="}
_NONE = (("==", 0), ("<", 1), ("<=", 0))  # "no option ticked", "no rating at this level"


def _is_int(expr: Expr) -> bool:
    return isinstance(expr, Literal) and type(expr.value) is int  # not a bool


def _is_str(expr: Expr) -> bool:
    return isinstance(expr, Literal) and isinstance(expr.value, str)


def _flatten_sum(expr: Expr) -> Optional[list[Call]]:
    """The function calls of `call + call + ...` (at any nesting), or None for anything else."""
    if isinstance(expr, Call):
        return [expr]
    if isinstance(expr, Arith) and all(op == "+" for op, _ in expr.rest):
        terms: list[Call] = []
        for part in expr.children():
            sub = _flatten_sum(part)
            if sub is None:
                return None
            terms += sub
        return terms
    return None


def in_sentence(label: str) -> str:
    """A scale label as it reads inside a sentence: "Hög risk" -> "hög risk"; "HÖG" stays."""
    first = label.split(" ", 1)[0]
    if len(first) > 1 and first[0].isupper() and first[1:] == first[1:].lower():
        return label[0].lower() + label[1:]
    return label


class Wording:
    """The rules of one compiled tree in one language."""

    def __init__(self, compiled: dict, text: Text):
        self.compiled = compiled
        self.t = text
        self.nodes = compiled.get("nodes", {})
        self.scales = compiled.get("scales", {})

    # --- the parts of a sentence ------------------------------------------------------------

    def _where(self, node_id: str, current: Optional[str], short: bool) -> str:
        if short or node_id == current:
            return ""
        return self.t("rule_where", title=title_of(self.compiled, node_id))

    def _option_label(self, node_id: str, option_id: str) -> str:
        for opt in (self.nodes.get(node_id) or {}).get("options", []) or []:
            if opt.get("id") == option_id:
                return inline(opt.get("label")) or option_id
        return option_id

    def _number(self, n: int, *, neuter: bool, short: bool) -> str:
        # Swedish counts options with the neuter ("ett alternativ") and ratings with the common gender.
        words = self.t("rule_numbers_neuter" if neuter else "rule_numbers").split()
        if short or not 0 <= n < len(words):
            return str(n)
        return words[n]

    def _quantity(self, op: str, n: int, *, neuter: bool, short: bool) -> Optional[str]:
        """'minst fyra': a quantifier and its number."""
        keys = {">=": "rule_at_least", ">": "rule_more_than", "<=": "rule_at_most", "<": "rule_fewer_than", "==": "rule_exactly"}
        if op not in keys:
            return None
        return f"{self.t(keys[op])} {self._number(n, neuter=neuter, short=short)}"

    def _level_phrase(self, node_id: str, level: str, *, or_higher: bool) -> Optional[str]:
        node = self.nodes.get(node_id) or {}
        levels = list(self.scales.get(node.get("scale"), []) or [])
        ids = [lv.get("id") for lv in levels]
        if level not in ids:
            return None
        labels = [in_sentence(inline(lv.get("label")) or lv.get("id")) for lv in levels]
        i = ids.index(level)
        if not or_higher or i == len(ids) - 1:
            return labels[i]
        if len(ids) - i == 2:
            low, high = labels[i], labels[i + 1]
            # "måttlig risk" and "hög risk" share their last word: "måttlig eller hög risk"
            low_words, high_words = low.rsplit(" ", 1), high.rsplit(" ", 1)
            if len(low_words) == 2 and len(high_words) == 2 and low_words[1] == high_words[1]:
                return self.t("rule_either", low=low_words[0], high=high)
            return self.t("rule_either", low=low, high=high)
        return self.t("rule_or_higher", level=labels[i])

    # --- conditions -------------------------------------------------------------------------

    def _counting(self, terms: list[Call], op: str, n: int, current: Optional[str], short: bool) -> Optional[str]:
        names = [term.function for term in terms]
        nodes = [term.node for term in terms]
        suffix = "_short" if short else ""
        if all(term.function == "count" and term.level is None for term in terms):  # ticked options
            if (op, n) in _NONE:
                text = self.t("rule_ticked_none" + suffix)
            else:
                quantity = self._quantity(op, n, neuter=True, short=short)
                if quantity is None:
                    return None
                text = self.t("rule_ticked_count" + suffix, quantity=quantity)
            if not short and len(set(nodes)) == 1:
                text += self._where(nodes[0], current, short)
            return text
        if not all(term.function in ("count", "atleast") and term.level is not None for term in terms):
            return None
        levels = {term.level for term in terms}
        if len(set(names)) != 1 or len(levels) != 1:
            return None
        phrase = self._level_phrase(nodes[0], levels.pop(), or_higher=names[0] == "atleast")
        if phrase is None:
            return None
        if (op, n) in _NONE:
            return self.t("rule_rated_none" + suffix, level=phrase)
        quantity = self._quantity(op, n, neuter=False, short=short)
        if quantity is None:
            return None
        return self.t("rule_rated_count" + suffix, quantity=quantity, level=phrase)

    def _answered(self, call: Call, short: bool, negate: bool) -> str:
        key = ("rule_not_answered" if negate else "rule_answered") + ("_short" if short else "")
        return self.t(key, title=title_of(self.compiled, call.node))

    def _field(self, call: Call, short: bool, negate: bool) -> str:
        """filled(form, "field") and yes(form, "field"), with the field's label."""
        fields = {f.get("id"): f for f in self.compiled["nodes"].get(call.node, {}).get("fields") or []}
        label = inline(fields.get(call.level, {}).get("label")) or call.level
        key = ("rule_not_" if negate else "rule_") + call.function + ("_short" if short else "")
        return self.t(key, label=label)

    def _boolean(self, expr: BoolOp, current: Optional[str], short: bool) -> Optional[str]:
        parts = [self._describe(x, current, short) for x in expr.operands]
        if any(p is None for p in parts):
            return None
        if expr.op == "and":
            parts = [f"({p})" if isinstance(x, BoolOp) and x.op == "or" else p for p, x in zip(parts, expr.operands)]
            return self.t("rule_and").join(parts)
        return self.t("rule_or").join(parts)

    def _negation(self, expr: Not, current: Optional[str], short: bool) -> Optional[str]:
        inner = expr.operand
        if isinstance(inner, Compare) and inner.op in _NEGATED:
            return self._describe(Compare(_NEGATED[inner.op], inner.left, inner.right, inner.pos), current, short)
        if isinstance(inner, Call) and inner.function == "answered":
            return self._answered(inner, short, negate=True)
        if isinstance(inner, Call) and inner.function in ("filled", "yes"):
            return self._field(inner, short, negate=True)
        text = self._describe(inner, current, short)
        if text is None:
            return None
        return self.t("rule_not_short" if short else "rule_not", text=text)

    def _comparison(self, expr: Compare, current: Optional[str], short: bool) -> Optional[str]:
        op, left, right = expr.op, expr.left, expr.right
        if op in ("in", "not in"):
            if not (_is_str(left) and isinstance(right, Name)):
                return None
            label = self._option_label(right.name, left.value)
            if short:
                return self.t("rule_option_short" if op == "in" else "rule_not_option_short", label=label)
            return self.t("rule_ticked" if op == "in" else "rule_not_ticked", label=label) + self._where(right.name, current, short)
        if op in ("==", "!=") and (pair := known_choice(expr)):
            label = self._option_label(*pair)
            if short:
                return self.t("rule_option_short" if op == "==" else "rule_not_option_short", label=label)
            return (self.t("rule_answered_option" if op == "==" else "rule_not_answered_option", label=label)
                    + self._where(pair[0], current, short))
        if _is_int(left) and not _is_int(right):
            left, right, op = right, left, _FLIP[op]
        terms = _flatten_sum(left) if _is_int(right) else None
        return self._counting(terms, op, right.value, current, short) if terms else None

    def _describe(self, expr: Expr, current: Optional[str], short: bool) -> Optional[str]:
        if isinstance(expr, BoolOp):
            return self._boolean(expr, current, short)
        if isinstance(expr, Not):
            return self._negation(expr, current, short)
        if isinstance(expr, Call) and expr.function == "answered":
            return self._answered(expr, short, negate=False)
        if isinstance(expr, Call) and expr.function in ("filled", "yes"):
            return self._field(expr, short, negate=False)
        if isinstance(expr, Compare):
            return self._comparison(expr, current, short)
        return None

    def condition(self, expr: str, current: Optional[str] = None, *, short: bool = False) -> Optional[str]:
        """A rule's `if:` in words, or None when it is not a simple form.

        `current` is the node the rule belongs to (its own options need no "i steget ...").
        `short=True` gives a compact label for the diagram.
        """
        try:
            parsed = parse(str(expr))
        except ExpressionError:
            return None
        return self._describe(parsed, current, short)

    # --- whole rules ------------------------------------------------------------------------

    def condition_parts(self, expr: str, current: Optional[str]) -> list[dict]:
        """A condition as the parts a template shows: words, or the expression as written (code)."""
        text = self.condition(expr, current)
        if text is not None:
            return [{"text": text, "code": False}]
        before, _, after = self.t("rule_condition").partition("{expression}")
        return [{"text": before, "code": False}, {"text": inline(expr), "code": True}, {"text": after, "code": False}]

    def rule_parts(self, conds: list[Optional[str]], current: Optional[str], *, first: bool) -> list[dict]:
        """The words before a rule's arrow: 'Om …', 'Annars' or 'Fortsätt', as template parts."""
        if conds == [None]:
            return [{"text": self.t("flow_continue") if first else self.t("rule_otherwise"), "code": False}]
        parts = [{"text": self.t("rule_if") + " ", "code": False}]
        for i, cond in enumerate(c for c in conds if c is not None):
            if i:
                parts.append({"text": self.t("rule_or"), "code": False})
            parts += self.condition_parts(cond, current)
        return parts

    def action_condition_parts(self, expr: str) -> tuple[list[dict], list[str]]:
        """An action's `if:` as the words before it ("Om du inte har kryssat i …:") and the node
        ids it names. A condition on one node leaves out "i steget …"."""
        try:
            names = sorted(parse(str(expr)).names())
        except ExpressionError:
            names = []
        current = names[0] if len(names) == 1 else None
        parts = [{"text": self.t("rule_if") + " ", "code": False}, *self.condition_parts(expr, current), {"text": ":", "code": False}]
        return parts, names

    def rule_plain(self, conds: Optional[list], current: Optional[str], *, first: bool) -> str:
        """A rule's words as plain text (the expression itself when not a simple form)."""
        if not conds or conds == [None]:
            return self.t("flow_continue") if first else self.t("rule_otherwise")
        parts = []
        for cond in conds:
            text = self.condition(cond or "", current)
            parts.append(text if text is not None else self.t("rule_condition", expression=inline(cond)))
        return self.t("rule_if") + " " + self.t("rule_or").join(parts)

    def short_label(self, conds: list[Optional[str]], current: Optional[str], *, first: bool) -> str:
        """A compact label for a (merged) rule, for the diagram's arrows."""
        if conds == [None]:
            return "" if first else self.t("rule_otherwise_short")
        parts = []
        for cond in conds:
            text = self.condition(cond or "", current, short=True)
            parts.append(text if text is not None else self.t("rule_condition_short"))
        return self.t("rule_or").join(parts)


def describe_condition(expr: str, compiled: dict, current: Optional[str] = None, *, short: bool = False,
                       text: Optional[Text] = None) -> Optional[str]:
    """A rule's `if:` in words (Swedish unless `text` says otherwise), or None when not a simple form."""
    return Wording(compiled, text or Text("sv")).condition(expr, current, short=short)
