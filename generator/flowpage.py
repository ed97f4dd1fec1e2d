"""The static (no-JavaScript) rendering of a compiled decision tree.

`render_flow_html(compiled, contacts, diagram_svg)` returns one block-level HTML fragment
(a single ``<div class="flow">`` with no blank lines), so Python-Markdown passes it through
unchanged when it is placed at column 0 in a page body. Every step and every outcome is
rendered; choice options are plain links between the steps, and checklist and rating steps
list their routing rules in plain Swedish, so the whole flow can be followed without
JavaScript and printed. The browser engine later takes over the same markup (see the
``data-*`` attributes).

Texts may hold references (`[[nummer:KEY]]`, `[[kontakt:KEY]]`, `[[flode:ID]]`, checked by
`generator.trees`): they become call links, web links and links to other flow pages. An action
with an `if:` carries its condition in plain words and `data-action-index` / `data-if-node`, so
the live flow can show only the actions the engine lists for the reader's answers.

Everything that comes from a tree or from the contacts is escaped with `html.escape`.
Standard library only; no MkDocs, no Jinja.
"""

from __future__ import annotations

import json
import re
from contextlib import contextmanager
from contextvars import ContextVar
from html import escape
from typing import Any, Optional

from generator.contacts import safe_url, tel_link, tel_uri
from generator.engine import Flow
from generator.engine.errors import ExpressionError
from generator.engine.expressions import Arith, BoolOp, Call, Compare, Expr, Literal, Name, Not, parse
from generator.language import Text
from generator.trees import ID_RE, REFERENCE_RE

__all__ = [
    "render_flow_html",
    "tel_uri",  # generator.contacts.tel_uri, kept importable from here
    "render_contact",
    "describe_condition",
    "describe_rule_html",
    "short_rule_label",
    "route_list",
]

ARROW = "\u2192"  # →

# The reader's words, in the site's language (generator/languages/). Set for the length of one
# render_flow_html or render_diagram_svg call, so the many small phrasing functions below need
# not hand it on; Swedish when no call set it.
_TEXT: ContextVar[Text] = ContextVar("flow_text", default=Text("sv"))


def _t(key: str, **values: object) -> str:
    return _TEXT.get()(key, **values)


@contextmanager
def language(text: Optional[Text]):
    token = _TEXT.set(text) if text is not None else None
    try:
        yield
    finally:
        if token is not None:
            _TEXT.reset(token)


def kind_label(kind: str) -> str:
    return _t(f"kind_{kind}") if f"kind_{kind}" in _TEXT.get().strings else kind


# --------------------------------------------------------------------------- helpers


def _e(value: Any) -> str:
    """Escape any value for HTML text and attribute values."""
    return escape("" if value is None else str(value), quote=True)


def _inline(value: Any) -> str:
    """Collapse whitespace (incl. newlines) so no text can introduce a blank line."""
    return " ".join(("" if value is None else str(value)).split())


class _Refs:
    """What references in texts point at: the contacts, and the titles of other flows."""

    def __init__(self, contacts: Optional[dict], flows: Optional[dict]):
        self.contacts = contacts or {}
        self.flows = flows if isinstance(flows, dict) else {}


def _rich(text: Any, refs: Optional[_Refs]) -> str:
    """One line of tree text as HTML: escaped, with its references made into links.

    A reference that cannot be resolved (an unknown key: the check reports it) stays as text."""
    text = _inline(text)
    if refs is None or "[[" not in text:
        return _e(text)
    out, last = [], 0
    for match in REFERENCE_RE.finditer(text):
        out.append(_e(text[last:match.start()]))
        out.append(_reference_html(match, refs))
        last = match.end()
    out.append(_e(text[last:]))
    return "".join(out)


def _reference_html(match: re.Match, refs: _Refs) -> str:
    kind, key, label = match.group(1), match.group(2), match.group(3)
    if kind == "nummer" and key in refs.contacts:
        return number_html(key, refs.contacts)
    if kind == "kontakt" and key in refs.contacts:
        return render_contact(key, refs.contacts)
    if kind == "flode" and key in refs.flows and ID_RE.match(key):
        shown = _inline(label) or _inline(refs.flows[key]) or key
        return f'<a class="flow-link" href="{_e(key)}.html">{_e(shown)}</a>'
    return _e(match.group(0))


def _paragraphs(text: Any, cls: str = "", refs: Optional[_Refs] = None) -> list[str]:
    """Plain text to <p> elements: paragraphs are separated by blank lines."""
    if not text:
        return []
    attr = f' class="{cls}"' if cls else ""
    out = []
    for para in re.split(r"\n\s*\n", str(text)):
        para = _inline(para)
        if para:
            out.append(f"<p{attr}>{_rich(para, refs)}</p>")
    return out


def step_id(node_id: str) -> str:
    return f"steg-{node_id}"


def outcome_id(node_id: str) -> str:
    return f"utfall-{node_id}"


def heading_id(node_id: str) -> str:
    return f"rubrik-{node_id}"


def _anchor(compiled: dict, node_id: str) -> str:
    node = compiled.get("nodes", {}).get(node_id)
    if node is not None and node.get("kind") == "outcome":
        return "#" + outcome_id(node_id)
    return "#" + step_id(node_id)


def _title(compiled: dict, node_id: Optional[str]) -> str:
    node = compiled.get("nodes", {}).get(node_id or "")
    if node is None:
        return str(node_id)
    return _inline(node.get("title")) or str(node_id)


def _rules(node: dict) -> list[dict]:
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


# --------------------------------------------------------------------------- contacts


def render_contact(key: str, contacts: dict, *, with_when: bool = False) -> str:
    """One contact as inline HTML: name and its phone link, URL link or 'nås via'."""
    contact = contacts.get(key)
    if not contact:
        return f'<span class="flow-contact flow-contact-missing">{_e(key)}</span>'
    name = _inline(contact.get("name")) or key
    parts = [f'<span class="flow-contact" data-contact="{_e(key)}">']
    phone = contact.get("phone")
    url = safe_url(contact.get("url"))
    via = contact.get("via")
    if phone:
        parts.append(f'<span class="flow-contact-name">{_e(name)}</span> {tel_link(phone, "flow-tel")}')
    elif url:
        parts.append(f'<a class="flow-contact-url" href="{_e(url)}">{_e(name)}</a>')
    else:
        parts.append(f'<span class="flow-contact-name">{_e(name)}</span>')
    if via and not phone:
        target = contacts.get(via) or {}
        via_name = _inline(target.get("name")) or via
        via_html = f", {_e(_t('contact_reached_via'))} {_e(via_name)}"
        if target.get("phone"):
            via_html += " " + tel_link(target["phone"], "flow-tel")
        elif safe_url(target.get("url")):
            via_html = f', {_e(_t("contact_reached_via"))} <a href="{_e(safe_url(target["url"]))}">{_e(via_name)}</a>'
        parts.append(f'<span class="flow-contact-via">{via_html}</span>')
    if not (phone or url or via) and contact.get("how"):
        parts.append(f' <span class="flow-contact-how">({_e(_inline(contact["how"]))})</span>')
    if with_when and contact.get("when"):
        parts.append(f' <span class="flow-contact-when">{_e(_inline(contact["when"]))}</span>')
    parts.append("</span>")
    return "".join(parts)


def number_html(key: str, contacts: dict) -> str:
    """A contact's number alone, for [[nummer:KEY]] in a tree text: a call link, the address as
    a web link, the number of the contact it is reached via, or in words where to find it."""
    contact = contacts.get(key) or {}
    phone = contact.get("phone")
    url = safe_url(contact.get("url"))
    via = contacts.get(contact.get("via") or "")
    if phone:
        return tel_link(phone, "flow-tel")
    if url:
        shown = re.sub(r"^(https?://|mailto:)|/$", "", url)
        return f'<a class="flow-contact-url" href="{_e(url)}">{_e(shown)}</a>'
    if via and (via.get("phone") or safe_url(via.get("url"))):
        name = _inline(via.get("name")) or contact.get("via")
        return f"{number_html(contact['via'], contacts)} {_e(_t('contact_via_short', name=name))}"
    return _e(_inline(contact.get("how")) or _inline(contact.get("name")) or key)


def _acute_call(key: str, contacts: dict) -> str:
    contact = contacts.get(key) or {}
    name = _inline(contact.get("name")) or key
    phone = contact.get("phone")
    if not phone and contact.get("via"):
        phone = (contacts.get(contact["via"]) or {}).get("phone")
    url = safe_url(contact.get("url"))
    if phone and tel_uri(phone):
        link = tel_link(phone, cls="flow-acute-call", text=_t("call_number", number=_inline(phone)))
    elif url:
        return f'<li><a class="flow-acute-call" href="{_e(url)}">{_e(name)}</a></li>'
    else:
        return f'<li><span class="flow-acute-name">{_e(name)}</span></li>'
    return f'<li>{link} <span class="flow-acute-name">{_e(name)}</span></li>'


# --------------------------------------------------------------------------- expressions
#
# Routing rules put into plain words by walking the engine's AST (generator.engine). Nothing
# is evaluated against a reader's answers; anything without a plain wording falls back to
# showing the expression itself.


def _is_int(expr: Expr) -> bool:
    return isinstance(expr, Literal) and type(expr.value) is int  # not a bool


def _is_str(expr: Expr) -> bool:
    return isinstance(expr, Literal) and isinstance(expr.value, str)


def _name_and_string(compare: Compare) -> Optional[tuple[str, str]]:
    """(node id, string) of `node == "x"` or `"x" == node` (also with !=), else None."""
    left, right = compare.left, compare.right
    name, value = (left, right) if isinstance(left, Name) else (right, left)
    if isinstance(name, Name) and _is_str(value):
        return name.name, value.value
    return None


_FLIP = {">=": "<=", "<=": ">=", ">": "<", "<": ">", "==": "==", "!=": "!="}


def _number(n: int, *, neuter: bool, short: bool) -> str:
    # Swedish counts options with the neuter ("ett alternativ") and ratings with the common gender.
    words = _t("rule_numbers_neuter" if neuter else "rule_numbers").split()
    if short or not 0 <= n < len(words):
        return str(n)
    return words[n]


def _quantity(op: str, n: int, *, neuter: bool, short: bool) -> Optional[tuple[str, int]]:
    """('minst fyra', 4): a quantifier phrase and the count that decides singular/plural."""
    keys = {">=": "rule_at_least", ">": "rule_more_than", "<=": "rule_at_most", "<": "rule_fewer_than", "==": "rule_exactly"}
    if op not in keys:
        return None
    return f"{_t(keys[op])} {_number(n, neuter=neuter, short=short)}", (n if op in (">=", "<=", "==") else n + 1)


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


class _Ctx:
    def __init__(self, compiled: dict, current: Optional[str]):
        self.compiled = compiled
        self.nodes = compiled.get("nodes", {})
        self.scales = compiled.get("scales", {})
        self.current = current

    def where(self, node_id: str, short: bool) -> str:
        if short or node_id == self.current:
            return ""
        return _t("rule_where", title=_title(self.compiled, node_id))

    def option_label(self, node_id: str, option_id: str) -> str:
        for opt in (self.nodes.get(node_id) or {}).get("options", []) or []:
            if opt.get("id") == option_id:
                return _inline(opt.get("label")) or option_id
        return option_id

    def scale_levels(self, node_id: str) -> list[dict]:
        node = self.nodes.get(node_id) or {}
        return list(self.scales.get(node.get("scale"), []) or [])


def _in_sentence(label: str) -> str:
    """A scale label as it reads inside a sentence: "Hög risk" -> "hög risk"; "HÖG" stays."""
    first = label.split(" ", 1)[0]
    if len(first) > 1 and first[0].isupper() and first[1:] == first[1:].lower():
        return label[0].lower() + label[1:]
    return label


def _level_phrase(ctx: _Ctx, node_id: str, level: str, *, or_higher: bool) -> Optional[str]:
    levels = ctx.scale_levels(node_id)
    ids = [lv.get("id") for lv in levels]
    if level not in ids:
        return None
    labels = [_in_sentence(_inline(lv.get("label")) or lv.get("id")) for lv in levels]
    i = ids.index(level)
    if not or_higher or i == len(ids) - 1:
        return labels[i]
    if len(ids) - i == 2:
        low, high = labels[i], labels[i + 1]
        # "måttlig risk" and "hög risk" share their last word: "måttlig eller hög risk"
        low_words, high_words = low.rsplit(" ", 1), high.rsplit(" ", 1)
        if len(low_words) == 2 and len(high_words) == 2 and low_words[1] == high_words[1]:
            return _t("rule_either", low=low_words[0], high=high)
        return _t("rule_either", low=low, high=high)
    return _t("rule_or_higher", level=labels[i])


def _describe_counting(ctx: _Ctx, terms: list[Call], op: str, n: int, short: bool) -> Optional[str]:
    names = [t.function for t in terms]
    nodes = [t.node for t in terms]
    if all(t.function == "count" and t.level is None for t in terms):
        # ticked options in checklist nodes
        if (op, n) in (("==", 0), ("<", 1), ("<=", 0)):
            text = _t("rule_ticked_none_short" if short else "rule_ticked_none")
        else:
            q = _quantity(op, n, neuter=True, short=short)
            if q is None:
                return None
            text = _t("rule_ticked_count_short" if short else "rule_ticked_count", quantity=q[0])
        if not short and len(set(nodes)) == 1:
            text += ctx.where(nodes[0], short)
        return text
    if all(t.function in ("count", "atleast") and t.level is not None for t in terms):
        if len(set(names)) != 1:
            return None
        levels = {t.level for t in terms}
        if len(levels) != 1:
            return None
        level = levels.pop()
        phrase = _level_phrase(ctx, nodes[0], level, or_higher=names[0] == "atleast")
        if phrase is None:
            return None
        if (op, n) in (("==", 0), ("<", 1), ("<=", 0)):
            return _t("rule_rated_none_short" if short else "rule_rated_none", level=phrase)
        q = _quantity(op, n, neuter=False, short=short)
        if q is None:
            return None
        return _t("rule_rated_count_short" if short else "rule_rated_count", quantity=q[0], level=phrase)
    return None


_NEGATED = {"in": "not in", "not in": "in", "==": "!=", "!=": "=="}


def _describe(expr: Expr, ctx: _Ctx, short: bool) -> Optional[str]:
    if isinstance(expr, BoolOp):
        parts = [_describe(x, ctx, short) for x in expr.operands]
        if any(p is None for p in parts):
            return None
        if expr.op == "and":
            parts = [f"({p})" if isinstance(x, BoolOp) and x.op == "or" else p for p, x in zip(parts, expr.operands)]
            return _t("rule_and").join(parts)
        return _t("rule_or").join(parts)
    if isinstance(expr, Not):
        inner = expr.operand
        if isinstance(inner, Compare) and inner.op in _NEGATED:
            return _describe(Compare(_NEGATED[inner.op], inner.left, inner.right, inner.pos), ctx, short)
        if isinstance(inner, Call) and inner.function == "answered":
            return _describe_answered(inner, ctx, short, negate=True)
        text = _describe(inner, ctx, short)
        if text is None:
            return None
        return _t("rule_not_short" if short else "rule_not", text=text)
    if isinstance(expr, Call) and expr.function == "answered":
        return _describe_answered(expr, ctx, short, negate=False)
    if isinstance(expr, Compare):
        op, left, right = expr.op, expr.left, expr.right
        if op in ("in", "not in"):
            if _is_str(left) and isinstance(right, Name):
                label = ctx.option_label(right.name, left.value)
                if short:
                    return _t("rule_option_short" if op == "in" else "rule_not_option_short", label=label)
                return _t("rule_ticked" if op == "in" else "rule_not_ticked", label=label) + ctx.where(right.name, short)
            return None
        if op in ("==", "!=") and (pair := _name_and_string(expr)):
            label = ctx.option_label(*pair)
            if short:
                return _t("rule_option_short" if op == "==" else "rule_not_option_short", label=label)
            return (_t("rule_answered_option" if op == "==" else "rule_not_answered_option", label=label)
                    + ctx.where(pair[0], short))
        if _is_int(left) and not _is_int(right):
            left, right, op = right, left, _FLIP[op]
        if _is_int(right):
            terms = _flatten_sum(left)
            if terms:
                return _describe_counting(ctx, terms, op, right.value, short)
    return None


def _describe_answered(call: Call, ctx: _Ctx, short: bool, negate: bool) -> Optional[str]:
    title = _title(ctx.compiled, call.node)
    if short:
        return _t("rule_not_answered_short" if negate else "rule_answered_short", title=title)
    return _t("rule_not_answered" if negate else "rule_answered", title=title)


def describe_condition(expr: str, compiled: dict, current: Optional[str] = None, *, short: bool = False) -> Optional[str]:
    """A rule's `if:` in plain Swedish (plain text, unescaped), or None when not a simple form.

    `current` is the node the rule belongs to (its own options need no "i steget ...").
    `short=True` gives a compact label for the diagram.
    """
    try:
        parsed = parse(str(expr))
    except ExpressionError:
        return None
    return _describe(parsed, _Ctx(compiled, current), short)


def _condition_html(expr: str, compiled: dict, current: Optional[str]) -> str:
    text = describe_condition(expr, compiled, current)
    if text is None:
        code = "\0"  # the expression goes in as markup, the words around it escaped
        return _e(_t("rule_condition", expression=code)).replace(code, f"<code>{_e(_inline(expr))}</code>")
    return _e(text)


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


def describe_rule_html(conds: list[Optional[str]], compiled: dict, current: Optional[str], *, first: bool) -> str:
    """The words before the arrow: 'Om …', 'Annars' or 'Fortsätt' (escaped HTML)."""
    if conds == [None]:
        return _e(_t("flow_continue") if first else _t("rule_otherwise"))
    return _e(_t("rule_if")) + " " + _e(_t("rule_or")).join(_condition_html(c, compiled, current) for c in conds if c is not None)


def short_rule_label(conds: list[Optional[str]], compiled: dict, current: Optional[str], *, first: bool) -> str:
    """A compact plain-text label for a (merged) rule, for the diagram's arrows."""
    if conds == [None]:
        return "" if first else "annars"
    parts = []
    for c in conds:
        text = describe_condition(c or "", compiled, current, short=True)
        parts.append(text if text is not None else "villkor")
    return ", eller ".join(parts)


# --------------------------------------------------------------------------- routes


def routes_of(compiled: dict) -> dict:
    """The engine's routes (engine/routes.py): carried by a checked tree, else computed."""
    return compiled.get("routes") or Flow(compiled).routes


def route_list(compiled: dict, node_id: str) -> list[dict]:
    """The outgoing routes of a node, for the page, the diagram and the text alternative.

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
            routes.append({"goto": settled[opt["id"]], "label": _inline(opt.get("label")) or opt.get("id"),
                           "option": opt.get("id"), "conds": None, "first": False})
        if all(r["goto"] for r in routes):
            return routes
    for i, (conds, goto) in enumerate(grouped_rules(_rules(node))):
        routes.append({"goto": goto, "label": short_rule_label(conds, compiled, node_id, first=i == 0),
                       "option": None, "conds": conds, "first": i == 0})
    return routes


def _rules_html(compiled: dict, node_id: str, *, lead: str, list_id: Optional[str] = None) -> list[str]:
    node = compiled["nodes"][node_id]
    groups = grouped_rules(_rules(node))
    if not groups:
        return []
    if len(groups) == 1 and groups[0][0] == [None]:
        goto = groups[0][1]
        return [f'<p class="flow-continue"><a class="flow-next" href="{_e(_anchor(compiled, goto))}" '
                f'data-goto="{_e(goto)}">{_e(_t("flow_continue"))}</a></p>']
    id_attr = f' id="{_e(list_id)}"' if list_id else ""
    out = [f'<div class="flow-rules"{id_attr}>', f'<p class="flow-rules-lead">{_e(lead)}</p>', "<ul>"]
    for i, (conds, goto) in enumerate(groups):
        words = describe_rule_html(conds, compiled, node_id, first=i == 0)
        out.append(f'<li><a class="flow-rule" href="{_e(_anchor(compiled, goto))}" data-goto="{_e(goto)}">'
                   f"{words} {ARROW} {_e(_title(compiled, goto))}</a></li>")
    out += ["</ul>", "</div>"]
    return out


# --------------------------------------------------------------------------- steps


def _step_html(compiled: dict, node_id: str, *, is_first: bool, start: str, refs: Optional[_Refs] = None) -> list[str]:
    node = compiled["nodes"][node_id]
    kind = node.get("kind", "")
    nid = _e(node_id)
    title = _e(_inline(node.get("title")) or node_id)
    out = [f'<section class="flow-step flow-{_e(kind)}" id="{_e(step_id(node_id))}" data-node="{nid}" '
           f'data-kind="{_e(kind)}" aria-labelledby="{_e(heading_id(node_id))}">',
           f'<h2 id="{_e(heading_id(node_id))}">{title}</h2>']
    out += _paragraphs(node.get("text"), refs=refs)
    if kind == "choice":
        rules_id = f"regler-{node_id}"
        out.append('<ul class="flow-options">')
        needs_rules = False
        for route in route_list(compiled, node_id):
            if route["option"] is None:
                continue
            goto = route["goto"]
            if goto:
                href, data_goto = _anchor(compiled, goto), f' data-goto="{_e(goto)}"'
            else:
                href, data_goto, needs_rules = "#" + rules_id, "", True
            out.append(f'<li><a class="flow-option" href="{_e(href)}" data-option="{_e(route["option"])}"'
                       f'{data_goto}>{_e(route["label"])}</a></li>')
        out.append("</ul>")
        if needs_rules:
            out += _rules_html(compiled, node_id, lead=_t("page_lead_choice"), list_id=rules_id)
    elif kind == "checklist":
        out.append('<fieldset class="flow-checklist">')
        sep = " " if title.rstrip()[-1:] in "?!.:" else ": "
        out.append(f'<legend><span class="flow-sr-only">{title}{sep}</span>{_e(_t("page_tick_all"))}</legend>')
        for opt in node.get("options", []) or []:
            oid = opt.get("id", "")
            input_id = f"val-{node_id}--{oid}"
            out.append(f'<div class="flow-check"><input type="checkbox" name="{nid}" value="{_e(oid)}" '
                       f'id="{_e(input_id)}" data-option="{_e(oid)}">'
                       f'<label for="{_e(input_id)}">{_e(_inline(opt.get("label")) or oid)}</label></div>')
        out.append("</fieldset>")
        out += _rules_html(compiled, node_id, lead=_t("page_lead_checklist"))
    elif kind == "rating":
        levels = list(compiled.get("scales", {}).get(node.get("scale"), []) or [])
        out.append('<div class="flow-rating-wrap">')
        out.append('<table class="flow-rating">')
        out.append(f'<caption class="flow-sr-only">{title}</caption>')
        head = "".join(f'<th scope="col">{_e(_inline(lv.get("label")) or lv.get("id"))}</th>' for lv in levels)
        out.append(f'<thead><tr><th scope="col">{_e(_t("page_to_rate"))}</th>{head}</tr></thead>')
        out.append("<tbody>")
        for item in node.get("items", []) or []:
            iid = item.get("id", "")
            ilabel = _inline(item.get("label")) or iid
            cells = []
            for lv in levels:
                lid = lv.get("id", "")
                llabel = _inline(lv.get("label")) or lid
                input_id = f"val-{node_id}--{iid}--{lid}"
                cells.append(f'<td><input type="radio" name="{_e(f"{node_id}--{iid}")}" value="{_e(lid)}" '
                             f'id="{_e(input_id)}" aria-label="{_e(f"{ilabel}: {llabel}")}">'
                             f'<label class="flow-rating-level" for="{_e(input_id)}" aria-hidden="true">'
                             f'{_e(llabel)}</label></td>')
            out.append(f'<tr data-item="{_e(iid)}"><th scope="row">{_e(ilabel)}</th>{"".join(cells)}</tr>')
        out.append("</tbody>")
        out.append("</table>")
        out.append("</div>")
        out += _rules_html(compiled, node_id, lead=_t("page_lead_rating"))
    else:  # info (and any unknown kind): text and Fortsätt
        out += _rules_html(compiled, node_id, lead=_t("page_lead_info"))
    if not is_first:
        out.append(f'<p class="flow-back"><a href="{_e("#" + step_id(start))}">{_e(_t("page_back_to_start"))}</a></p>')
    out.append("</section>")
    return out


def _action_condition_html(expr: str, compiled: dict) -> tuple[str, list[str]]:
    """An action's `if:` as the words before it ("Om du inte har kryssat i …:"), escaped, and
    the node ids it names. A condition on one node leaves out "i steget …"."""
    try:
        names = sorted(parse(str(expr)).names())
    except ExpressionError:
        names = []
    current = names[0] if len(names) == 1 else None
    return _e(_t("rule_if")) + " " + _condition_html(expr, compiled, current) + ":", names


def _action_html(compiled: dict, refs: _Refs, index: int, action: Any) -> str:
    if isinstance(action, str):
        action = {"text": action, "contact": None}
    attrs = f' data-action-index="{index}"'
    item = ""
    condition = action.get("if")
    if condition:
        words, names = _action_condition_html(condition, compiled)
        attrs += f' data-if-node="{_e(" ".join(names))}"'
        # On a line of its own (the <br> goes with the span when the live flow hides it).
        item = f'<span class="flow-action-if">{words}<br></span>'
    item += _rich(action.get("text"), refs)
    if action.get("contact"):
        item += " " + render_contact(action["contact"], refs.contacts)
    steps = action.get("steps") or []
    if steps:
        item += '<ul class="flow-action-steps">' + "".join(f"<li>{_rich(s, refs)}</li>" for s in steps) + "</ul>"
    return f"<li{attrs}>{item}</li>"


def _outcome_html(compiled: dict, contacts: dict, node_id: str, start: str) -> list[str]:
    node = compiled["nodes"][node_id]
    nid = _e(node_id)
    refs = _Refs(contacts, compiled.get("flows"))
    out = [f'<section class="flow-outcome" id="{_e(outcome_id(node_id))}" data-outcome="{nid}" '
           f'aria-labelledby="{_e(heading_id(node_id))}">',
           f'<h2 id="{_e(heading_id(node_id))}">{_e(_inline(node.get("title")) or node_id)}</h2>']
    out += _paragraphs(node.get("text"), refs=refs)
    calls = node.get("call") or []
    if calls:
        out.append('<div class="flow-call">')
        out.append(f"<h3>{_e(_t('page_call'))}</h3>")
        out.append("<ul>")
        for key in calls:
            out.append(f"<li>{render_contact(key, contacts, with_when=True)}</li>")
        out += ["</ul>", "</div>"]
    actions = node.get("actions") or []
    if actions:
        out.append(f"<h3>{_e(_t('page_what_to_do'))}</h3>")
        out.append('<ol class="flow-actions">')
        out += [_action_html(compiled, refs, index, action) for index, action in enumerate(actions)]
        out.append("</ol>")
    for heading, key, cls in ((_t("page_document"), "document", "flow-document"), (_t("page_inform"), "inform", "flow-inform")):
        entries = node.get(key) or []
        if entries:
            out.append(f"<h3>{heading}</h3>")
            out.append(f'<ul class="{cls}">')
            out += [f"<li>{_rich(x, refs)}</li>" for x in entries]
            out.append("</ul>")
    out.append(f'<p class="flow-restart"><a href="{_e("#" + step_id(start))}">{_e(_t("flow_restart"))}</a></p>')
    out.append("</section>")
    return out


def _text_alternative(compiled: dict) -> list[str]:
    # Left out of the search index, as the drawing is: its lines name every step and would
    # rank above the steps themselves.
    out = ['<details class="flow-diagram-text" data-search-exclude>', f"<summary>{_e(_t('page_diagram_text'))}</summary>", "<ul>"]
    for node_id in step_order(compiled):
        title = _title(compiled, node_id)
        out.append(f'<li><a href="{_e(_anchor(compiled, node_id))}">{_e(title)}</a>')
        routes = route_list(compiled, node_id)
        if routes:
            out.append("<ul>")
            for route in routes:
                if route["option"] is None:
                    label = describe_rule_plain(route["conds"], compiled, node_id, first=route["first"])
                else:
                    label = route["label"]
                target = _title(compiled, route["goto"]) if route["goto"] else _t("page_by_the_rules")
                out.append(f"<li>{_e(title)} {ARROW} {_e(label)} {ARROW} {_e(target)}</li>")
            out.append("</ul>")
        out.append("</li>")
    outcomes = outcome_order(compiled)
    if outcomes:
        out.append(f"<li>{_e(_t('page_possible_outcomes'))}<ul>")
        out += [f'<li><a href="{_e(_anchor(compiled, o))}">{_e(_title(compiled, o))}</a></li>' for o in outcomes]
        out.append("</ul></li>")
    out += ["</ul>", "</details>"]
    return out


def describe_rule_plain(conds: Optional[list], compiled: dict, current: Optional[str], *, first: bool) -> str:
    """Like describe_rule_html, as plain text (the expression itself when not a simple form)."""
    if not conds or conds == [None]:
        return _t("flow_continue") if first else _t("rule_otherwise")
    parts = []
    for c in conds:
        text = describe_condition(c or "", compiled, current)
        parts.append(text if text is not None else _t("rule_condition", expression=_inline(c)))
    return _t("rule_if") + " " + _t("rule_or").join(parts)


# --------------------------------------------------------------------------- the page


def _no_blank_lines(fragment: str) -> str:
    return "\n".join(line for line in fragment.splitlines() if line.strip())


def _tree_data(compiled: dict) -> str:
    """The compiled tree as an inert JSON data block; `<`, `>` and `&` escaped so no text in it
    can close the element or open markup."""
    data = json.dumps({**compiled, "routes": routes_of(compiled)}, ensure_ascii=False, separators=(",", ":"))
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" class="flow-tree" data-search-exclude>{data}</script>'


def render_flow_html(compiled: dict, contacts: dict[str, dict], diagram_svg: str,
                     runtime_attributes: Optional[dict[str, str]] = None, text: Optional[Text] = None) -> str:
    """The whole static flow as one HTML block (a single <div>, no blank lines), in the
    language of `text` (language.Text; Swedish when not given).

    With `runtime_attributes` (data attributes naming the Pyodide folder and the engine zip)
    the block also carries the compiled tree as a JSON data block, for the browser engine.

    `compiled` is the compiled tree (docs/tree-format.md), `contacts` maps a contact key to
    {"name", "phone", "url", "via", "when"}, `diagram_svg` is the inline SVG from
    `generator.diagram.render_diagram_svg` (trusted: it is generated, not written by hand).
    """
    with language(text):
        return _render_flow_html(compiled, contacts or {}, diagram_svg, runtime_attributes)


def _render_flow_html(compiled: dict, contacts: dict[str, dict], diagram_svg: str,
                      runtime_attributes: Optional[dict[str, str]]) -> str:
    tree_id = compiled.get("id", "")
    start = compiled.get("start") or (step_order(compiled) or [""])[0]
    attributes = "".join(f' {name}="{_e(value)}"' for name, value in (runtime_attributes or {}).items())
    out = [f'<div class="flow" data-flow="{_e(tree_id)}" data-start="{_e(start)}"{attributes}>']
    acute = compiled.get("acute") or []
    if acute:
        out.append('<div class="flow-acute" role="note">')
        out.append(f'<p class="flow-acute-lead"><strong>{_e(_t("acute_lead"))}</strong></p>')
        out.append("<ul>")
        out += [_acute_call(key, contacts) for key in acute]
        out += ["</ul>", "</div>"]
    out.append('<div class="flow-steps">')
    refs = _Refs(contacts, compiled.get("flows"))
    for i, node_id in enumerate(step_order(compiled)):
        out += _step_html(compiled, node_id, is_first=i == 0, start=start, refs=refs)
    out.append("</div>")
    outcomes = outcome_order(compiled)
    if outcomes:
        out.append('<div class="flow-outcomes">')
        for node_id in outcomes:
            out += _outcome_html(compiled, contacts, node_id, start)
        out.append("</div>")
    title = _inline(compiled.get("title")) or tree_id
    out.append('<figure class="flow-diagram" data-search-exclude>')
    if diagram_svg:
        out.append('<div class="flow-diagram-scroll" tabindex="0" role="group" '
                   f'aria-label="{_e(_t("page_diagram", title=title))}">')
        out.append(_no_blank_lines(diagram_svg.strip()))
        out.append("</div>")
    out.append(f"<figcaption>{_e(_t('page_diagram_caption', title=title))}</figcaption>")
    out.append("</figure>")
    out += _text_alternative(compiled)
    if runtime_attributes:
        out.append(_tree_data(compiled))
    out.append("</div>")
    return _no_blank_lines("\n".join(out))
