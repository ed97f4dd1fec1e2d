"""The tree format's vocabulary (keys, ids, references, limits) and positions in the YAML."""

from __future__ import annotations

import datetime
import re
from typing import Any, Mapping

from generator import language
from generator.engine import paths
from generator.language import Vocabulary
from generator.yamlsource import Node, NodeList


TREES_DIR = "decision_trees"
PATHS_DIR = "paths"

ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# A "<" followed by a letter, "/" or "!" starts an HTML tag or comment.
HTML_RE = re.compile(r"<[A-Za-z/!]")

TREE_REQUIRED = ("id", "title", "sources", "reviewed", "start", "nodes")
TREE_OPTIONAL = ("description", "acute", "scales")
NODE_REQUIRED = ("id", "kind", "title")
NODE_OPTIONAL = ("text",)
# Per kind: (required keys, optional keys), besides NODE_REQUIRED and NODE_OPTIONAL.
KIND_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "choice": (("options",), ("next",)),
    "checklist": (("options", "next"), ()),
    "rating": (("scale", "items", "next"), ()),
    "info": (("next",), ()),
    "form": (("fields", "next"), ()),
    "outcome": (("actions",), ("call", "document", "inform", "template")),
}
ALL_NODE_KEYS = sorted(set(NODE_REQUIRED + NODE_OPTIONAL).union(*(r + o for r, o in KIND_KEYS.values())))
MAX_CHECKLIST = paths.MAX_CHECKLIST  # the engine proves every subset of a checklist
# The engine tries one answer per way of spreading the items over the steps; past this many
# (a tree built to exhaust time or memory) it is refused before the engine starts.
MAX_RATING_ANSWERS = paths.DEFAULT_LIMIT

# References in tree texts: a contact's number or name and number (the contacts file), and
# another flow, with a link text after "|" (group 3). The word before ":" is any language's
# (language.reference_kinds: its kind is number, contact or flow). The [[term:KEY]] of a text are
# replaced before the check (generator/terms.py): none is left here.
REFERENCE_RE = re.compile(r"\[\[([^\[\]:\s|]*):([^\[\]\s|]*)(?:\|([^\[\]]*))?\]\]")
TREE_REFERENCE_KINDS = ("number", "contact", "flow")
CONTACT_KINDS = ("number", "contact")


def reference_kind(word: str) -> str | None:
    """The kind of a reference word in a tree text (number, contact, flow), or None."""
    kind = language.reference_kinds().get(word)
    return kind if kind in TREE_REFERENCE_KINDS else None


def reference_fix(words: Vocabulary, files: Mapping[str, str]) -> str:
    number, contact, flow = (words.references[kind] for kind in TREE_REFERENCE_KINDS)
    return (f"write [[{number}:KEY]] or [[{contact}:KEY]] with a key of {files.get('contact', 'the contacts file')}, "
            f"[[{flow}:ID]] (or [[{flow}:ID|link text]]) with the id of another flow, "
            f"or [[term:KEY]] with a key of {files.get('term', 'the terms file')}")

ID_FIX = "use only lowercase a-z, digits and single hyphens, for example \"hot-telefon\" (no å, ä, ö, spaces or capitals)"


def pos_key(mapping: Node, key: str) -> tuple[int, int]:
    return mapping.key_positions.get(key, (mapping.line, mapping.column))


def pos_value(mapping: Node, key: str) -> tuple[int, int]:
    return mapping.value_positions.get(key, pos_key(mapping, key))


def pos_item(items: NodeList, index: int) -> tuple[int, int]:
    item = items[index] if index < len(items) else None
    if isinstance(item, (Node, NodeList)):
        return item.line, item.column
    return items.line_of(index), items.column or 1


def type_name(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of keys"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return "a date"
    return type(value).__name__
