"""The tree format's vocabulary (keys, ids, references, limits) and positions in the YAML."""

from __future__ import annotations

import datetime
import re
from typing import Any

from generator.engine import paths
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

# References in tree texts: [[nummer:KEY]] and [[kontakt:KEY]] (content/kontakter.yml), and
# [[flode:ID]] or [[flode:ID|link text]] (another flow). Group 3 is the text after "|". The
# [[term:KEY]] of a text are replaced before the check (generator/terms.py): none is left here.
REFERENCE_RE = re.compile(r"\[\[([^\[\]:\s|]*):([^\[\]\s|]*)(?:\|([^\[\]]*))?\]\]")
REFERENCE_KINDS = ("nummer", "kontakt", "flode")
REFERENCE_FIX = ("write [[nummer:KEY]] or [[kontakt:KEY]] with a key of content/kontakter.yml, "
                 "[[flode:ID]] (or [[flode:ID|link text]]) with the id of another flow, "
                 "or [[term:KEY]] with a key of content/termer.yml")
# Words that ask the reader to call or report (imperative, infinitive, present and passive),
# unless a negation follows ("Ring inga andra samtal"). A step or action using one of them
# should show the number or address: see requests_without_contact.
REQUEST_RE = re.compile(
    r"\b(ring|ringa|ringer|larma|larmar|larmas|polisanmäl|polisanmäla|polisanmäler|polisanmälas|"
    r"anmäl|anmäla|anmäler|anmälas|rapportera|rapporterar|rapporteras)\b(?!\s+(?:inte|inga|ingen|aldrig)\b)",
    re.IGNORECASE)

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
