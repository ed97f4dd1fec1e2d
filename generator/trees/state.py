"""The state of one tree's check, passed to every check, and the generic pieces they share.

A check reads the file's YAML once, node by node; what one part learns (the node ids and kinds,
the options, the fields, where each text stands) another part needs later. `CheckState` holds
all of it in one value that each check function takes as its first argument.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, Collection, Iterable, Mapping

from generator.language import Vocabulary
from generator.problems import Report, did_you_mean
from generator.yamlsource import Node, NodeList
from generator.trees.format import ID_FIX, ID_RE, pos_item, pos_key, pos_value, type_name


@dataclass
class CheckState:
    """One tree file's check: what it is checked against, what it has found, and its report."""

    display: str
    stem: str
    contacts: set[str]
    sources: set[str]
    # The site's vocabulary (the words that ask a reader to call, its reference words) and its
    # data files' names as the messages give them ({"contact": …, "source": …, "term": …}).
    words: Vocabulary
    files: Mapping[str, str] = field(default_factory=dict)
    # Contacts with no number of their own nor of the one they are reached via: not to `call:`.
    without_number: set[str] = field(default_factory=set)
    today: datetime.date | None = None
    max_age_days: int = 365
    # The ids of the flows a flow reference may name, and those this tree names, in order.
    flow_ids: set[str] = field(default_factory=set)
    linked_flows: dict[str, None] = field(default_factory=dict)
    report: Report = field(default_factory=Report)
    # Where texts stand, for the warnings of requests_without_contact:
    # (node id, "title" | "text") -> position; (node id, action index) -> position.
    places: dict[tuple[str, Any], tuple[int, int]] = field(default_factory=dict)
    # (position, condition) of each action's `if`, checked like routing rules.
    action_conditions: list[tuple[tuple[int, int], str]] = field(default_factory=list)
    node_lines: dict[str, tuple[int, int]] = field(default_factory=dict)
    # For checks of expressions: node id -> kind, options, scale of rating nodes.
    kinds: dict[str, str] = field(default_factory=dict)
    options: dict[str, list[str]] = field(default_factory=dict)
    node_scale: dict[str, str] = field(default_factory=dict)
    # Form node -> field id -> {"type"}; and each answer reference of a template (STEP.FIELD or STEP), with where.
    fields: dict[str, dict[str, dict]] = field(default_factory=dict)
    template_references: list[tuple[tuple[int, int], str, str | None]] = field(default_factory=list)
    scales: dict[str, list[str]] = field(default_factory=dict)
    # Problems of conditional actions already reported (one per outcome, action and node).
    seen_action_problems: set[tuple] = field(default_factory=set)

    @classmethod
    def for_file(cls, display: str, stem: str, contacts: Collection[str] | Mapping[str, dict], sources: Collection[str],
                 **given: Any) -> "CheckState":
        without = {key for key, contact in contacts.items() if not _has_number(contact, contacts)} \
            if isinstance(contacts, Mapping) else set()
        return cls(display, stem, set(contacts), set(sources), without_number=without, **given)

    def error(self, where: tuple[int, int], message: str, fix: str = "") -> None:
        self.report.error(self.display, where[0], message, fix, column=where[1])

    def warning(self, where: tuple[int, int], message: str, fix: str = "") -> None:
        self.report.warning(self.display, where[0], message, fix, column=where[1])


def _has_number(contact: Any, contacts: Mapping[str, Any]) -> bool:
    if not isinstance(contact, Mapping):
        return True  # not a contact the check can judge: its own problem is reported elsewhere
    via = contacts.get(contact.get("via") or "")
    return bool(contact.get("phone")) or (isinstance(via, Mapping) and bool(via.get("phone")))


def keys(state: CheckState, mapping: Node, required: Iterable[str], optional: Iterable[str], what: str,
         misplaced: dict[str, str] | None = None) -> bool:
    """Report unknown keys (with a "did you mean") and missing required keys; True when all is well."""
    required = tuple(required)
    allowed = required + tuple(optional)
    ok = True
    explained: set[str] = set()
    for key in mapping:
        if key in allowed:
            continue
        ok = False
        where = pos_key(mapping, key)
        if misplaced and key in misplaced:
            state.error(where, f'the key "{key}" does not belong in {what}: {misplaced[key]}', f'remove "{key}"')
            continue
        hint = did_you_mean(key, allowed)
        match = hint.split('"')[1] if hint else ""
        if match in required and match not in mapping:
            explained.add(match)  # the misspelt key is the missing one: one problem, not two
        state.error(where, f'unknown key "{key}" in {what}{hint}',
                    (f'rename "{key}" to "{match}"; ' if match else "correct the spelling or remove the key; ")
                    + "allowed keys here: " + ", ".join(allowed))
    for key in required:
        if key not in mapping and key not in explained:
            ok = False
            state.error((mapping.line, mapping.column), f'{what} is missing the required key "{key}"',
                        f'add the line "{key}: ..." to {what}')
    return ok


def a_list(state: CheckState, mapping: Node, key: str, what: str) -> NodeList | None:
    if key not in mapping:
        return None
    value = mapping[key]
    if not isinstance(value, NodeList):
        state.error(pos_value(mapping, key), f'"{key}" of {what} must be a list, not {type_name(value)}',
                    f'write the entries as a list: "{key}: [a, b]" or one "- entry" per line')
        return None
    return value


def a_text(state: CheckState, mapping: Node, key: str, must: str, fix: str) -> str | None:
    """The value of `key` when it is text; None when there is none, or when it is not text (then
    an error at the value: "{must}, not <its type>", with `fix`)."""
    value = mapping.get(key)
    if key in mapping and not isinstance(value, str):
        state.error(pos_value(mapping, key), f"{must}, not {type_name(value)}", fix)
        return None
    return value if isinstance(value, str) else None


def check_id(state: CheckState, where: tuple[int, int], value: Any, noun: str) -> str | None:
    if not isinstance(value, str):
        state.error(where, f"the {noun} id must be text, not {type_name(value)}", ID_FIX)
        return None
    if not ID_RE.match(value):
        state.error(where, f'the {noun} id "{value}" is not a valid id', ID_FIX)
    return value


def check_reference(state: CheckState, where: tuple[int, int], value: str, known: set[str], kind_of: str) -> None:
    if value in known:
        return
    state.error(where, f'unknown {kind_of} "{value}"{did_you_mean(value, known)}',
                f"use a key that exists in {state.files.get(kind_of, f'the {kind_of}s file')}, or add \"{value}\" there")


def keys_list(state: CheckState, mapping: Node, key: str, known: set[str], what: str, kind_of: str) -> list[str]:
    """A list of keys of contacts or sources, each checked against `known`."""
    items = a_list(state, mapping, key, what)
    result: list[str] = []
    if items is None:
        return result
    for index, value in enumerate(items):
        where = pos_item(items, index)
        if not isinstance(value, str):
            state.error(where, f'entry {index + 1} of "{key}" in {what} must be a {kind_of} key, not {type_name(value)}',
                        f"write the key of a {kind_of} as a single word")
            continue
        result.append(value)
        check_reference(state, where, value, known, kind_of)
    return result


def check_node_reference(state: CheckState, where: tuple[int, int], target: str, key: str, source: str | None = None) -> None:
    if target == source:
        state.error(where, f'"{key}" leads from the node "{target}" back to itself, a cycle with no way out',
                    "lead to another node")
        return
    if target in state.node_lines:
        return
    state.error(where, f'"{key}" names the node "{target}", which does not exist{did_you_mean(target, state.node_lines)}',
                "use the id of a node in this file, or add a node with that id")
