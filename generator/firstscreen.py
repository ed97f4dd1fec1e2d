"""The first paint: a page carries the part of the theme's stylesheets it uses, and the whole
sheets follow without holding the first paint.

Material's stylesheet is 135 KiB, and a browser paints nothing until every stylesheet in the head
has arrived: on a slow phone link that is most of a second before the acute advice shows. So each
page gets, in a <style> at the place of the first sheet, the rules of those sheets whose selectors
can match something in the page (every class, id, element and attribute a selector names occurs in
the page; states such as :hover and what is inside :not() are not asked), and the sheets themselves
are loaded with media="print", which does not block rendering. quick-exit.js switches them on
together once all have arrived (one at a time would let Material's rules briefly undo the site's
own). Without JavaScript, a <noscript> copy of the links loads them as usual.

The final cascade is the original one: the inline rules are a subset, in the same order, of the
sheets that come after them. Standard library and tinycss2 (WeasyPrint's parser); knows nothing
of MkDocs.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import sys
import tempfile
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Callable

import tinycss2

# The attribute that marks a sheet loaded late (quick-exit.js looks for it).
LATER = "data-tryggt-later"
_LINK = re.compile(r'<link rel="stylesheet" href="(?P<href>[^"]+)">')
# Pseudo-classes whose argument is a selector list of which one must match the element.
_ANY_OF = {"is", "where", "matches", "-webkit-any", "-moz-any", "has"}
# States that no element is in when a page first paints: rules for them wait for the whole sheet.
_STATES = {"hover", "focus", "focus-visible", "focus-within", "active", "checked"}
_GROUPS = {"media", "supports", "layer", "container"}


@dataclass
class PageTokens:
    """What a page's selectors may ask for: element names, classes, ids, attributes and values."""

    tags: set[str] = field(default_factory=set)
    classes: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)
    attributes: dict[str, set[str]] = field(default_factory=dict)


# Start tags and their attributes. A pattern rather than an HTML parser: four times faster on
# these pages, and text in scripts that looks like a tag only keeps a rule or two more.
_START_TAG = re.compile(r"<([a-zA-Z][^\s/>]*)([^>]*)>")
_ATTRIBUTE = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")


def page_tokens(html: str) -> PageTokens:
    tokens = PageTokens(tags={"html", "head", "body"})
    attributes = tokens.attributes
    for tag, text in _START_TAG.findall(html):
        tokens.tags.add(tag.lower())
        if not text.strip():
            continue
        for name, double, single, bare in _ATTRIBUTE.findall(text):
            name = name.lower()
            value = double or single or bare  # findall gives "" for a group that did not take part
            if "&" in value:
                value = unescape(value)
            attributes.setdefault(name, set()).add(value)
            if name == "class":
                tokens.classes.update(value.split())
            elif name == "id":
                tokens.ids.add(value)
    return tokens


def _split_commas(tokens: list) -> list[list]:
    parts, current = [], []
    for token in tokens:
        if token.type == "literal" and token.value == ",":
            parts.append(current)
            current = []
        else:
            current.append(token)
    parts.append(current)
    return parts


@dataclass(frozen=True)
class _Needs:
    """What one selector needs of a page; `any_of`: lists of alternatives (from :is() and kin)."""

    tags: frozenset
    classes: frozenset
    ids: frozenset
    attributes: tuple  # (name, operator, value); operator "" for a bare [name]
    any_of: tuple
    state: bool  # a state no page has on its first paint (:hover, :focus, :checked ...)

    def met_by(self, page: PageTokens) -> bool:
        if self.state or not (self.tags <= page.tags and self.classes <= page.classes and self.ids <= page.ids):
            return False
        for name, operator, value in self.attributes:
            values = page.attributes.get(name)
            if values is None or (operator == "=" and value not in values) or (
                    operator == "~=" and not any(value in v.split() for v in values)):
                return False
        return all(any(alternative.met_by(page) for alternative in group) for group in self.any_of)


def _needs(tokens: list) -> _Needs:
    tags, classes, ids, attributes, any_of = set(), set(), set(), [], []
    state = False
    previous = None
    for token in tokens:
        after = previous.value if previous is not None and previous.type == "literal" else None
        if token.type == "ident":
            if after == ".":
                classes.add(token.value)
            elif after == ":":
                state = state or token.lower_value in _STATES
            elif after in (None, "+", "~", ">") and (previous is None or previous.type in ("whitespace", "literal")):
                tags.add(token.lower_value)
        elif token.type == "hash" and after != ":":
            ids.add(token.value)
        elif token.type == "[] block":
            parts = [t for t in token.content if t.type != "whitespace"]
            if parts and parts[0].type == "ident":
                operator = parts[1].value if len(parts) >= 3 and parts[1].type == "literal" else ""
                value = parts[-1].value if operator and parts[-1].type in ("ident", "string") else ""
                attributes.append((parts[0].lower_value, operator, value))
        elif token.type == "function" and after == ":" and token.lower_name in _ANY_OF:
            any_of.append(tuple(_needs(part) for part in _split_commas(token.arguments)))
        previous = token
    return _Needs(frozenset(tags), frozenset(classes), frozenset(ids), tuple(attributes), tuple(any_of), state)


@dataclass
class _Rule:
    selectors: list  # [(_Needs, text)]
    declarations: list  # [(name, text, the custom properties its value uses)]
    inner: list | None = None  # the rules of @media and kin
    prelude: str = ""


def _uses(tokens) -> set[str]:
    """The custom properties a value uses (var(--name), also nested)."""
    used = set()
    for token in tokens or ():
        if token.type == "function":
            if token.lower_name == "var":
                used.update(t.value for t in token.arguments if t.type == "ident" and t.value.startswith("--"))
            used |= _uses(token.arguments)
        elif token.type in ("() block", "[] block", "{} block"):
            used |= _uses(token.content)
    return used


def _declarations(content: list) -> list:
    declarations = []
    for item in tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True):
        if item.type == "declaration":
            text = f"{item.name}:{tinycss2.serialize(item.value).strip()}{'!important' if item.important else ''}"
            declarations.append((item.name, text, frozenset(_uses(item.value))))
    return declarations


def _compile(rules: list) -> list[_Rule]:
    compiled = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [(_needs(s), tinycss2.serialize(s).strip()) for s in _split_commas(rule.prelude)]
            compiled.append(_Rule(selectors, _declarations(rule.content)))
        elif rule.type == "at-rule" and rule.lower_at_keyword in _GROUPS and rule.content is not None:
            prelude = tinycss2.serialize(rule.prelude).strip()
            if rule.lower_at_keyword == "media" and re.fullmatch(r"print", prelude, re.IGNORECASE):
                continue  # printing comes long after the whole sheet
            inner = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
            compiled.append(_Rule([], [], _compile(inner), f"@{rule.at_keyword} {prelude}"))
        # @keyframes (animations wait for the whole sheet), @charset, @page (print) are left out.
    return compiled


def _kept(rules: list[_Rule], page: PageTokens) -> list:
    """The rules that can match the page, as (selector text, declarations, None), and the groups
    (@media ...) that hold any, as (prelude, None, [kept rules])."""
    out = []
    for rule in rules:
        if rule.inner is not None:
            inner = _kept(rule.inner, page)
            if inner:
                out.append((rule.prelude, None, inner))
            continue
        selectors = [text for needs, text in rule.selectors if needs.met_by(page)]
        if selectors:
            out.append((",".join(selectors), rule.declarations, None))
    return out


_USE_IN_HTML = re.compile(r"var\(\s*(--[\w-]+)")


def _render(kept: list, page_html: str) -> str:
    """The kept rules as CSS, without the custom properties (--name: value) that nothing kept
    uses: most of Material's :root is icons as data URLs in custom properties."""
    values: dict[str, set[str]] = {}
    wanted = set(_USE_IN_HTML.findall(page_html))

    def collect(items):
        for _, declarations, group in items:
            if group is not None:
                collect(group)
                continue
            for name, _, uses in declarations:
                if name.startswith("--"):
                    values.setdefault(name, set()).update(uses)
                else:
                    wanted.update(uses)

    collect(kept)
    used: set[str] = set()
    while wanted:  # values use values
        name = wanted.pop()
        if name not in used:
            used.add(name)
            wanted |= values.get(name, set())

    def css(items) -> str:
        parts = []
        for head, declarations, group in items:
            if group is not None:
                inner = css(group)
                if inner:
                    parts.append(f"{head}{{{inner}}}")
                continue
            kept = [text for name, text, _ in declarations if not name.startswith("--") or name in used]
            if kept:
                parts.append(f"{head}{{{';'.join(kept)}}}")
        return "".join(parts)

    return css(kept)


# What the compiled rules of a sheet depend on beside its text: this module and its parser.
_COMPILER = hashlib.sha256(Path(__file__).read_bytes() + f"{tinycss2.__version__} {sys.version}".encode()).hexdigest()


# Sheets already read in this process (each rebuild of `handbok serve` makes a new FirstScreen).
_READ: dict[str, list[_Rule]] = {}


def compiled_sheet(text: str) -> list[_Rule]:
    """A sheet's rules, compiled once per machine and kept in the runtime's cache folder (parsing
    Material's 135 KiB took a fifth of a second of every build), named by the sheet and the compiler."""
    from generator.runtime import cache_dir

    key = hashlib.sha256(f"{_COMPILER}\n{text}".encode()).hexdigest()[:24]
    if key in _READ:
        return _READ[key]
    stored = cache_dir() / "firstscreen" / f"{key}.pickle"
    try:
        _READ[key] = pickle.loads(stored.read_bytes())
        return _READ[key]
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        pass
    rules = _READ[key] = _compile(tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True))
    try:
        stored.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=stored.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            pickle.dump(rules, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, stored)  # whole or not at all, whatever builds run beside this one
    except OSError:
        pass  # no cache: compiled again next time
    return rules


class FirstScreen:
    """Turns a page's stylesheet links into its inline first-screen rules plus late sheets.

    `read(name)` returns a sheet's text, or None when there is no such sheet; `apply(html,
    late)` splits the sheets whose href `late(href)` names (a name for `read`, None for a sheet
    that stays an ordinary link). Each sheet is parsed once."""

    def __init__(self, read: Callable[[str], str | None]):
        self._read = read
        self._compiled: dict[str, list[_Rule] | None] = {}

    def _rules(self, name: str) -> list[_Rule] | None:
        if name not in self._compiled:
            text = self._read(name)
            self._compiled[name] = None if text is None else compiled_sheet(text)
        return self._compiled[name]

    def apply(self, html: str, late: Callable[[str], str | None]) -> str:
        head_end = html.find("</head>")
        if head_end < 0:
            return html
        sheets = []
        for match in _LINK.finditer(html, 0, head_end):
            name = late(match.group("href"))
            rules = self._rules(name) if name else None
            if rules is not None:
                sheets.append((match, rules))
        if not sheets:
            return html
        page = page_tokens(html)
        css = _render([item for _, rules in sheets for item in _kept(rules, page)], html)
        pieces, last = [], 0
        for index, (match, _) in enumerate(sheets):
            pieces.append(html[last:match.start()])
            if index == 0:
                pieces.append(f"<style>{css}</style>")
            pieces.append(f'<link rel="stylesheet" href="{match.group("href")}" media="print" {LATER}>')
            last = match.end()
        pieces.append("<noscript>" + "".join(m.group(0) for m, _ in sheets) + "</noscript>")
        pieces.append(html[last:])
        return "".join(pieces)
