"""Decision trees: load the YAML a publisher writes, check it, compile it for the engine.

A tree is one file `decision_trees/<id>.yml` (see docs/tree-format.md). Loading reports
every problem of a file at once, each with the file, the line and a fix in plain words;
a file with errors compiles to nothing. Expressions are parsed and every path is walked
by the engine (`generator.engine`), so the check here and the run in the browser agree.

Texts may refer to contacts and to other flows (`[[nummer:KEY]]`, `[[kontakt:KEY]]`,
`[[flode:ID]]`); each reference is checked here and rendered by `generator.flowpage`. A step
or action whose words ask the reader to call or report, and that shows no contact, is a
warning (`requests_without_contact`).
"""

from __future__ import annotations

import datetime
import json
import re
from math import comb
from pathlib import Path
from typing import Any, Collection, Iterable

from .engine import EngineError, ExpressionError, Flow, expressions, paths
from .engine.engine import FORMAT, KINDS
from .engine.expressions import expression_problems
from .problems import Problem, Report, did_you_mean
from .yamlsource import Node, NodeList, YamlProblem, load_yaml_file

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
    "outcome": (("actions",), ("call", "document", "inform")),
}
ALL_NODE_KEYS = sorted(set(NODE_REQUIRED + NODE_OPTIONAL).union(*(r + o for r, o in KIND_KEYS.values())))
MAX_CHECKLIST = paths.MAX_CHECKLIST  # the engine proves every subset of a checklist
# The engine tries one answer per way of spreading the items over the steps; past this many
# (a tree built to exhaust time or memory) it is refused before the engine starts.
MAX_RATING_ANSWERS = paths.DEFAULT_LIMIT

# References in tree texts: [[nummer:KEY]] and [[kontakt:KEY]] (content/kontakter.yml), and
# [[flode:ID]] or [[flode:ID|link text]] (another flow). Group 3 is the text after "|".
REFERENCE_RE = re.compile(r"\[\[([^\[\]:\s|]*):([^\[\]\s|]*)(?:\|([^\[\]]*))?\]\]")
REFERENCE_KINDS = ("nummer", "kontakt", "flode")
REFERENCE_FIX = ("write [[nummer:KEY]] or [[kontakt:KEY]] with a key of content/kontakter.yml, "
                 "or [[flode:ID]] (or [[flode:ID|link text]]) with the id of another flow")
# Words that ask the reader to call or report (imperative, infinitive, present and passive),
# unless a negation follows ("Ring inga andra samtal"). A step or action using one of them
# should show the number or address: see requests_without_contact.
REQUEST_RE = re.compile(
    r"\b(ring|ringa|ringer|larma|larmar|larmas|polisanmäl|polisanmäla|polisanmäler|polisanmälas|"
    r"anmäl|anmäla|anmäler|anmälas|rapportera|rapporterar|rapporteras)\b(?!\s+(?:inte|inga|ingen|aldrig)\b)",
    re.IGNORECASE)

ID_FIX = "use only lowercase a-z, digits and single hyphens, for example \"hot-telefon\" (no å, ä, ö, spaces or capitals)"


def _pos_key(mapping: Node, key: str) -> tuple[int, int]:
    return mapping.key_positions.get(key, (mapping.line, mapping.column))


def _pos_value(mapping: Node, key: str) -> tuple[int, int]:
    return mapping.value_positions.get(key, _pos_key(mapping, key))


def _pos_item(items: NodeList, index: int) -> tuple[int, int]:
    item = items[index] if index < len(items) else None
    if isinstance(item, (Node, NodeList)):
        return item.line, item.column
    return items.line_of(index), items.column or 1


def _type_name(value: Any) -> str:
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


class _TreeChecker:
    """Checks one parsed tree file and builds its compiled form."""

    def __init__(self, display: str, stem: str, contacts: set[str], sources: set[str],
                 today: datetime.date | None = None, max_age_days: int = 365,
                 flows: Collection[str] = ()):
        self.display = display
        self.stem = stem
        # The ids of the flows a [[flode:ID]] may name, and those this tree names, in order.
        self.flow_ids = set(flows)
        self.linked_flows: dict[str, None] = {}
        # Where texts stand, for the warnings of requests_without_contact:
        # (node id, "title" | "text") -> position; (node id, action index) -> position.
        self.places: dict[tuple[str, Any], tuple[int, int]] = {}
        # (position, condition) of each action's `if`, checked like routing rules.
        self.action_conditions: list[tuple[tuple[int, int], str]] = []
        self.contacts = set(contacts)
        self.sources = set(sources)
        self.today = today
        self.max_age_days = max_age_days
        self.report = Report()
        self.node_lines: dict[str, tuple[int, int]] = {}
        # For checks of expressions: node id -> kind, options, scale of rating nodes.
        self.kinds: dict[str, str] = {}
        self.options: dict[str, list[str]] = {}
        self.node_scale: dict[str, str] = {}
        self.scales: dict[str, list[str]] = {}
        # Problems of conditional actions already reported (one per outcome, action and node).
        self.seen_action_problems: set[tuple] = set()

    # -- reporting ---------------------------------------------------------------------

    def error(self, where: tuple[int, int], message: str, fix: str = "") -> None:
        self.report.error(self.display, where[0], message, fix, column=where[1])

    # -- generic pieces ----------------------------------------------------------------

    def keys(self, mapping: Node, required: Iterable[str], optional: Iterable[str], what: str,
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
            where = _pos_key(mapping, key)
            if misplaced and key in misplaced:
                self.error(where, f'the key "{key}" does not belong in {what}: {misplaced[key]}',
                           f'remove "{key}"')
                continue
            hint = did_you_mean(key, allowed)
            match = hint.split('"')[1] if hint else ""
            if match in required and match not in mapping:
                explained.add(match)  # the misspelt key is the missing one: one problem, not two
            self.error(where, f'unknown key "{key}" in {what}{hint}',
                       (f'rename "{key}" to "{match}"; ' if match else "correct the spelling or remove the key; ")
                       + "allowed keys here: " + ", ".join(allowed))
        for key in required:
            if key not in mapping and key not in explained:
                ok = False
                self.error((mapping.line, mapping.column), f'{what} is missing the required key "{key}"',
                           f'add the line "{key}: ..." to {what}')
        return ok

    def check_html(self, where: tuple[int, int], text: str) -> None:
        if HTML_RE.search(text):
            self.error(where, "HTML is not allowed in tree texts",
                       "write plain text; remove the tags (texts are shown exactly as written, "
                       "so a tag would appear as text)")

    def text(self, mapping: Node, key: str, what: str, required: bool = False, references: bool = False) -> str:
        """A plain text value ('' when absent or wrong), checked for type, HTML and references
        (allowed only with `references`: titles, labels and descriptions are plain text)."""
        if key not in mapping:
            return ""
        value = mapping[key]
        where = _pos_value(mapping, key)
        if not isinstance(value, str):
            self.error(where, f'"{key}" of {what} must be text, not {_type_name(value)}',
                       f'write the text after "{key}:", in quotes if it contains a colon or starts with a special character')
            return ""
        if required and not value.strip():
            self.error(where, f'"{key}" of {what} is empty', f'write a text after "{key}:"')
        self.check_html(where, value)
        self.check_references(where, value, f'"{key}" of {what}', allowed=references)
        return value

    def item_text(self, items: NodeList, index: int, what: str) -> str:
        """An entry of a list of texts (actions, steps, document, inform): references allowed."""
        value = items[index]
        where = _pos_item(items, index)
        if not isinstance(value, str):
            self.error(where, f"{what} must be text, not {_type_name(value)}",
                       "write the text on the line, in quotes if it contains a colon")
            return ""
        if not value.strip():
            self.error(where, f"{what} is empty", "write a text or remove the line")
        self.check_html(where, value)
        self.check_references(where, value, what, allowed=True)
        return value

    def check_references(self, where: tuple[int, int], text: str, what: str, allowed: bool) -> None:
        """Every [[kind:key]] in a text: a known kind, a contact or flow that exists."""
        for match in REFERENCE_RE.finditer(text):
            place = _position_in(where, text, match.start())
            kind, key, label = match.group(1), match.group(2), match.group(3)
            shown = _shorten(match.group(0), 60)
            if not allowed:
                self.error(place, f"the reference {shown} cannot stand in {what}: titles, answers and "
                           "descriptions are shown as plain text (in links, in \"Dina svar\" and in the page's title)",
                           "write the number or link in the step's text, or give the action a contact (contact: KEY)")
            elif kind not in REFERENCE_KINDS:
                self.error(place, f'unknown reference "[[{kind}:...]]" in {what}{did_you_mean(kind, REFERENCE_KINDS)}',
                           REFERENCE_FIX)
            elif kind in ("nummer", "kontakt"):
                self.check_reference(place, key, self.contacts, "contact")
                if label is not None:
                    self.error(place, f"the reference {shown} in {what} has a link text after \"|\", which only "
                               "[[flode:...]] takes", f"write [[{kind}:{key}]]: the site shows the number or address itself")
            elif key == self.stem:
                self.error(place, f"the reference {shown} in {what} leads to this flow itself",
                           "link to another flow, or remove the reference")
            elif key not in self.flow_ids:
                self.error(place, f'the reference {shown} in {what} names the flow "{key}", which does not exist'
                           f"{did_you_mean(key, self.flow_ids)}",
                           "use the id of a flow in decision_trees/ (its file name without .yml)")
            else:
                if label is not None and not label.strip():
                    self.error(place, f'the link text after "|" in {shown} ({what}) is empty',
                               f"write the link text after \"|\", or write [[flode:{key}]] to show the flow's title")
                self.linked_flows[key] = None
        rest = REFERENCE_RE.sub("", text)
        if "[[" in rest or "]]" in rest:
            offset = text.find("[[") if "[[" in rest else text.find("]]")
            self.error(_position_in(where, text, max(offset, 0)), f"a reference in {what} cannot be read",
                       REFERENCE_FIX + "; no spaces inside the brackets")

    def a_list(self, mapping: Node, key: str, what: str) -> NodeList | None:
        if key not in mapping:
            return None
        value = mapping[key]
        if not isinstance(value, NodeList):
            self.error(_pos_value(mapping, key), f'"{key}" of {what} must be a list, not {_type_name(value)}',
                       f'write the entries as a list: "{key}: [a, b]" or one "- entry" per line')
            return None
        return value

    def check_id(self, where: tuple[int, int], value: Any, noun: str) -> str | None:
        if not isinstance(value, str):
            self.error(where, f"the {noun} id must be text, not {_type_name(value)}", ID_FIX)
            return None
        if not ID_RE.match(value):
            self.error(where, f'the {noun} id "{value}" is not a valid id', ID_FIX)
        return value

    def keys_list(self, mapping: Node, key: str, known: set[str], what: str, kind_of: str) -> list[str]:
        """A list of keys of contacts or sources, each checked against `known`."""
        items = self.a_list(mapping, key, what)
        result: list[str] = []
        if items is None:
            return result
        for index, value in enumerate(items):
            where = _pos_item(items, index)
            if not isinstance(value, str):
                self.error(where, f'entry {index + 1} of "{key}" in {what} must be a {kind_of} key, not {_type_name(value)}',
                           f"write the key of a {kind_of} as a single word")
                continue
            result.append(value)
            self.check_reference(where, value, known, kind_of)
        return result

    def check_reference(self, where: tuple[int, int], value: str, known: set[str], kind_of: str) -> None:
        if value in known:
            return
        files = {"contact": "content/kontakter.yml", "source": "content/kallor.yml"}
        self.error(where, f'unknown {kind_of} "{value}"{did_you_mean(value, known)}',
                   f"use a key that exists in {files[kind_of]}, or add \"{value}\" there")

    # -- the tree ----------------------------------------------------------------------

    def check(self, data: Any) -> dict | None:
        if not isinstance(data, Node):
            line = getattr(data, "line", 1) or 1
            self.error((line, 1), "a tree file must be a mapping of keys (id:, title:, nodes: ...), "
                       f"not {_type_name(data)}", "start from an existing tree in decision_trees/ and follow docs/tree-format.md")
            return None
        tree = data
        self.keys(tree, TREE_REQUIRED, TREE_OPTIONAL, "the tree")
        compiled: dict[str, Any] = {"format": FORMAT}

        tree_id = tree.get("id")
        if "id" in tree:
            tree_id = self.check_id(_pos_value(tree, "id"), tree_id, "tree")
            if tree_id is not None and tree_id != self.stem:
                self.error(_pos_value(tree, "id"), f'the tree id "{tree_id}" differs from the file name "{self.stem}.yml"',
                           f'write "id: {self.stem}", or rename the file to "{tree_id}.yml"')
        compiled["id"] = tree_id if isinstance(tree_id, str) else self.stem
        compiled["title"] = self.text(tree, "title", "the tree", required=True)
        compiled["description"] = self.text(tree, "description", "the tree")
        compiled["sources"] = self.keys_list(tree, "sources", self.sources, "the tree", "source")
        if "sources" in tree and isinstance(tree["sources"], list) and not tree["sources"]:
            self.error(_pos_value(tree, "sources"), "the tree names no sources",
                       "list the keys of the source documents from content/kallor.yml, for example \"sources: [rutin]\"")
        compiled["reviewed"] = self.reviewed(tree)
        compiled["acute"] = self.keys_list(tree, "acute", self.contacts, "the tree", "contact")
        compiled["start"] = tree.get("start") if isinstance(tree.get("start"), str) else None
        compiled["scales"] = self.check_scales(tree)

        nodes = self.a_list(tree, "nodes", "the tree")
        compiled["nodes"] = self.check_nodes(nodes) if nodes is not None else {}
        if nodes is not None and not nodes:
            self.error(_pos_value(tree, "nodes"), "the tree has no nodes", "add at least one question and one outcome under \"nodes:\"")

        if "start" in tree:
            start = tree["start"]
            where = _pos_value(tree, "start")
            if not isinstance(start, str):
                self.error(where, f'"start" must be the id of a node, not {_type_name(start)}', "write the id of the first node")
            else:
                self.check_node_reference(where, start, "start")

        # The flows that [[flode:ID]] names: id -> title (filled in by load_tree).
        compiled["flows"] = {flow_id: flow_id for flow_id in self.linked_flows}

        self.check_expressions(compiled)
        if self.report.errors:
            return None
        self.check_with_engine(compiled)
        if self.report.errors:
            return None
        self.requests_without_contact(compiled)  # warnings, once the tree is otherwise sound
        return compiled

    def reviewed(self, tree: Node) -> str | None:
        if "reviewed" not in tree:
            return None
        value = tree["reviewed"]
        where = _pos_value(tree, "reviewed")
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            try:
                value = datetime.date.fromisoformat(value.strip())
            except ValueError:
                pass
        if not isinstance(value, datetime.date):
            self.error(where, f'"reviewed" must be a date such as 2026-11-22, not {value!r}',
                       "write the date of the last review as year-month-day: reviewed: 2026-11-22")
            return None
        if self.today is not None:
            self.check_freshness(where, value)
        return value.isoformat()

    def check_freshness(self, where: tuple[int, int], reviewed: datetime.date) -> None:
        if reviewed > self.today:
            self.error(where, f'"reviewed" is in the future ({reviewed})',
                       "write the date the flow was actually last checked")
        elif (self.today - reviewed).days > self.max_age_days:
            self.report.warning(self.display, where[0],
                                f"the flow was last reviewed {reviewed}, more than {self.max_age_days} days ago",
                                "walk through every step, correct what has changed, and set `reviewed` to today's date",
                                column=where[1])

    def check_scales(self, tree: Node) -> dict[str, list[dict[str, str]]]:
        result: dict[str, list[dict[str, str]]] = {}
        if "scales" not in tree:
            return result
        scales = tree["scales"]
        if not isinstance(scales, Node):
            self.error(_pos_value(tree, "scales"), f'"scales" must be a mapping of scale names to steps, not {_type_name(scales)}',
                       "write each scale as a name followed by its list of steps (see docs/tree-format.md)")
            return result
        for name, steps in scales.items():
            what = f'scale "{name}"'
            self.check_id(_pos_key(scales, name), name, "scale")
            if not isinstance(steps, NodeList):
                self.error(_pos_value(scales, name), f"{what} must be a list of steps, not {_type_name(steps)}",
                           "list the steps from lowest to highest: - {id: lag, label: LÅG}")
                continue
            compiled_steps: list[dict[str, str]] = []
            seen: dict[str, int] = {}
            for index, step in enumerate(steps):
                where = _pos_item(steps, index)
                if not isinstance(step, Node):
                    self.error(where, f"step {index + 1} of {what} must be a mapping with id and label, not {_type_name(step)}",
                               "write the step as {id: lag, label: LÅG}")
                    continue
                self.keys(step, ("id", "label"), (), f"step {index + 1} of {what}")
                step_id = self.check_id(_pos_value(step, "id"), step.get("id"), "scale step") if "id" in step else None
                label = self.text(step, "label", f"step {index + 1} of {what}", required=True)
                if step_id is None:
                    continue
                if step_id in seen:
                    self.error(_pos_value(step, "id"), f'the step id "{step_id}" appears twice in {what} (first on line {seen[step_id]})',
                               "give every step of a scale its own id")
                    continue
                seen[step_id] = _pos_value(step, "id")[0]
                compiled_steps.append({"id": step_id, "label": label})
            if len(steps) < 2:
                self.error(_pos_value(scales, name), f"{what} needs at least two steps", "list the steps from lowest to highest")
            result[str(name)] = compiled_steps
            self.scales[str(name)] = [s["id"] for s in compiled_steps]
        return result

    # -- nodes -------------------------------------------------------------------------

    def check_nodes(self, nodes: NodeList) -> dict[str, dict]:
        # First pass: ids and kinds, so that references can point forwards.
        entries: list[tuple[Node, str | None]] = []
        for index, node in enumerate(nodes):
            if not isinstance(node, Node):
                self.error(_pos_item(nodes, index), f"node {index + 1} must be a mapping of keys (id:, kind:, title: ...), "
                           f"not {_type_name(node)}", "write the node as \"- id: ...\" followed by its keys, indented")
                continue
            node_id = None
            if "id" in node:
                node_id = self.check_id(_pos_value(node, "id"), node["id"], "node")
            if node_id is not None:
                if node_id in self.node_lines:
                    first = self.node_lines[node_id][0]
                    self.error(_pos_value(node, "id"), f'the node id "{node_id}" appears twice (first on line {first})',
                               "give every node its own id; rename one of them and the references to it")
                    node_id = None
                else:
                    self.node_lines[node_id] = (node.line, node.column)
                    kind = node.get("kind")
                    self.kinds[node_id] = kind if kind in KINDS else ""
                    if kind == "rating" and isinstance(node.get("scale"), str):
                        self.node_scale[node_id] = node["scale"]
            entries.append((node, node_id))
        # Option ids are needed by expressions elsewhere, so collect them before the second pass.
        for node, node_id in entries:
            if node_id and isinstance(node.get("options"), list):
                self.options[node_id] = [o["id"] for o in node["options"] if isinstance(o, Node) and isinstance(o.get("id"), str)]
        compiled: dict[str, dict] = {}
        for node, node_id in entries:
            result = self.check_node(node, node_id)
            if node_id is not None and result is not None:
                compiled[node_id] = result
        return compiled

    def check_node(self, node: Node, node_id: str | None) -> dict | None:
        what = f'node "{node_id}"' if node_id else f"the node on line {node.line}"
        kind = node.get("kind")
        if "kind" in node and kind not in KINDS:
            hint = did_you_mean(str(kind), KINDS) if isinstance(kind, str) else ""
            self.error(_pos_value(node, "kind"), f'unknown node kind "{kind}" in {what}{hint}',
                       "use one of: " + ", ".join(KINDS))
        if kind not in KINDS:
            self.keys(node, NODE_REQUIRED, [k for k in ALL_NODE_KEYS if k not in NODE_REQUIRED], what)
            return None
        required, optional = KIND_KEYS[kind]
        allowed = set(NODE_REQUIRED + NODE_OPTIONAL + required + optional)
        misplaced = {}
        for key in ALL_NODE_KEYS:
            if key in allowed:
                continue
            users = [k for k, (r, o) in KIND_KEYS.items() if key in r + o]
            misplaced[key] = f"it is used in {' and '.join(users)} nodes"
        if kind == "outcome":
            misplaced["next"] = "an outcome ends the flow, so nothing comes after it"
        self.keys(node, NODE_REQUIRED + required, NODE_OPTIONAL + optional, f"{what} ({kind})", misplaced)
        result: dict[str, Any] = {"id": node_id, "kind": kind,
                                  "title": self.text(node, "title", what, required=True),
                                  "text": self.text(node, "text", what, references=True)}
        if node_id is not None:
            self.places[(node_id, "title")] = _pos_value(node, "title")
            self.places[(node_id, "text")] = _pos_value(node, "text")
        if kind in ("choice", "checklist"):
            result["options"] = self.check_options(node, kind, what, node_id)
        if kind == "rating":
            scale = node.get("scale")
            if "scale" in node:
                if not isinstance(scale, str):
                    self.error(_pos_value(node, "scale"), f'"scale" of {what} must be the name of a scale, not {_type_name(scale)}',
                               "write the name of a scale from \"scales:\" at the top of the file")
                elif scale not in self.scales:
                    self.error(_pos_value(node, "scale"), f'{what} uses the unknown scale "{scale}"{did_you_mean(scale, self.scales)}',
                               "use a scale defined under \"scales:\" at the top of the file, or define it there")
            result["scale"] = scale if isinstance(scale, str) else None
            result["items"] = self.check_labelled(node, "items", what, "item")
            self.check_rating_size(node, what, len(result["items"]), len(self.scales.get(result["scale"], [])))
        if kind == "outcome":
            result["call"] = self.keys_list(node, "call", self.contacts, what, "contact")
            result["actions"] = self.check_actions(node, what, node_id)
            result["document"] = self.text_list(node, "document", what)
            result["inform"] = self.text_list(node, "inform", what)
        else:
            result["next"] = self.check_next(node, what, node_id)
            if kind == "choice" and "next" not in node and isinstance(node.get("options"), list):
                for index, option in enumerate(node["options"]):
                    if isinstance(option, Node) and "next" not in option:
                        label = f'"{option["id"]}"' if isinstance(option.get("id"), str) else str(index + 1)
                        self.error((option.line, option.column),
                                   f'option {label} of {what} has no "next", and the node has no "next" either',
                                   "add \"next: <node id>\" to the option, saying where this answer leads")
        return result

    def check_rating_size(self, node: Node, what: str, items: int, steps: int) -> None:
        answers = comb(items + steps - 1, steps - 1) if items and steps else 0
        if answers > MAX_RATING_ANSWERS:
            self.error(_pos_value(node, "items"), f"{what} has {items} items on a scale of {steps} steps: {answers:,} ways "
                       f"to answer, more than the {MAX_RATING_ANSWERS:,} that can be checked one by one",
                       "split the items over two or more rating nodes, or use a scale with fewer steps")

    def check_labelled(self, node: Node, key: str, what: str, word: str, extra: tuple[str, ...] = ()) -> list[dict]:
        """Options or items: a list of {id, label}, ids unique within the node."""
        items = self.a_list(node, key, what)
        if items is None:
            return []
        if not items:
            self.error(_pos_value(node, key), f'{what} has an empty list of {key}', f"add at least one {word}")
        result: list[dict] = []
        seen: dict[str, int] = {}
        for index, item in enumerate(items):
            where = _pos_item(items, index)
            item_what = f"{word} {index + 1} of {what}"
            if not isinstance(item, Node):
                self.error(where, f"{item_what} must be a mapping with id and label, not {_type_name(item)}",
                           "write it as {id: ..., label: \"...\"}")
                continue
            misplaced = {"next": "only options of a choice node lead somewhere; a checklist node has one \"next\" for all"} \
                if word == "option" and "next" not in extra else None
            self.keys(item, ("id", "label"), extra, item_what, misplaced)
            item_id = self.check_id(_pos_value(item, "id"), item["id"], word) if "id" in item else None
            entry: dict[str, Any] = {"id": item_id, "label": self.text(item, "label", item_what, required=True)}
            for key in extra:
                entry[key] = item.get(key) if isinstance(item.get(key), str) else None
            if item_id is None:
                continue
            if item_id in seen:
                self.error(_pos_value(item, "id"), f'the {word} id "{item_id}" appears twice in {what} (first on line {seen[item_id]})',
                           f"give every {word} of a node its own id")
                continue
            seen[item_id] = _pos_value(item, "id")[0]
            result.append(entry)
        return result

    def check_options(self, node: Node, kind: str, what: str, node_id: str | None) -> list[dict]:
        if kind == "checklist":
            options = self.check_labelled(node, "options", what, "option")
            if len(options) > MAX_CHECKLIST:
                self.error(_pos_value(node, "options"), f"{what} has {len(options)} options; a checklist can have at most "
                           f"{MAX_CHECKLIST}, or its paths become too many to check one by one",
                           "split it into two or more checklists")
            return options
        options = self.check_labelled(node, "options", what, "option", extra=("next",))
        for option in node.get("options") or []:
            if isinstance(option, Node) and "next" in option:
                value = option["next"]
                where = _pos_value(option, "next")
                if not isinstance(value, str):
                    self.error(where, f'"next" of an option must be the id of a node, not {_type_name(value)}',
                               "write the id of the node this answer leads to")
                else:
                    self.check_node_reference(where, value, "next", node_id)
        return options

    def check_next(self, node: Node, what: str, node_id: str | None) -> list[dict]:
        if "next" not in node:
            return []
        value = node["next"]
        where = _pos_value(node, "next")
        if isinstance(value, str):
            self.check_node_reference(where, value, "next", node_id)
            return [{"if": None, "goto": value}]
        if not isinstance(value, NodeList):
            self.error(where, f'"next" of {what} must be a node id or a list of rules, not {_type_name(value)}',
                       "write \"next: <node id>\", or a list of rules with \"if:\" and \"goto:\"")
            return []
        if not value:
            self.error(where, f'"next" of {what} is an empty list', "add at least one rule: - goto: <node id>")
        rules: list[dict] = []
        default_seen: int | None = None
        for index, rule in enumerate(value):
            rule_where = _pos_item(value, index)
            rule_what = f"rule {index + 1} of {what}"
            if not isinstance(rule, Node):
                self.error(rule_where, f"{rule_what} must be a mapping with \"if\" and \"goto\", not {_type_name(rule)}",
                           "write the rule as: - if: '<condition>'  followed by  goto: <node id>")
                continue
            self.keys(rule, ("goto",), ("if",), rule_what)
            if default_seen is not None:
                self.error(rule_where, f"{rule_what} can never be used: rule {default_seen} before it has no \"if\" and always applies",
                           "put the rule without \"if\" last, or remove the rules after it")
            condition = rule.get("if")
            if "if" in rule:
                if not isinstance(condition, str):
                    self.error(_pos_value(rule, "if"), f'the condition of {rule_what} must be text, not {_type_name(condition)}',
                               "write the condition in single quotes, for example: if: '\"skadade\" in skador'")
                    condition = None
            elif default_seen is None:
                default_seen = index + 1
            goto = rule.get("goto")
            if "goto" in rule:
                if not isinstance(goto, str):
                    self.error(_pos_value(rule, "goto"), f'"goto" of {rule_what} must be the id of a node, not {_type_name(goto)}',
                               "write the id of the node this rule leads to")
                    goto = None
                else:
                    self.check_node_reference(_pos_value(rule, "goto"), goto, "goto", node_id)
            rules.append({"if": condition, "goto": goto, "_line": _pos_value(rule, "if") if "if" in rule else rule_where})
        return rules

    def check_node_reference(self, where: tuple[int, int], target: str, key: str, source: str | None = None) -> None:
        if target == source:
            self.error(where, f'"{key}" leads from the node "{target}" back to itself, a cycle with no way out',
                       "lead to another node")
            return
        if target in self.node_lines:
            return
        self.error(where, f'"{key}" names the node "{target}", which does not exist{did_you_mean(target, self.node_lines)}',
                   "use the id of a node in this file, or add a node with that id")

    def check_actions(self, node: Node, what: str, node_id: str | None = None) -> list[dict]:
        actions = self.a_list(node, "actions", what)
        if actions is None:
            return []
        if not actions:
            self.error(_pos_value(node, "actions"), f"the outcome {what} has no actions",
                       "list at least one thing the reader should do under \"actions:\"")
        result: list[dict] = []
        for index, action in enumerate(actions):
            action_what = f"action {index + 1} of {what}"
            if node_id is not None:
                self.places[(node_id, index)] = _pos_item(actions, index)
            if isinstance(action, Node):
                self.keys(action, ("text",), ("contact", "steps", "if"), action_what)
                text = self.text(action, "text", action_what, required=True, references=True)
                condition = action.get("if")
                if "if" in action:
                    if not isinstance(condition, str):
                        self.error(_pos_value(action, "if"), f'the condition of {action_what} must be text, not {_type_name(condition)}',
                                   "write the condition in single quotes, for example: if: '\"polisanmalt\" not in redan-gjort'")
                        condition = None
                    else:
                        self.action_conditions.append((_pos_value(action, "if"), condition))
                # One instruction per line for a reader under stress: an action may carry its own steps.
                steps = self.text_list(action, "steps", action_what)
                contact = action.get("contact")
                if "contact" in action:
                    if not isinstance(contact, str):
                        self.error(_pos_value(action, "contact"), f'"contact" of {action_what} must be a contact key, not {_type_name(contact)}',
                                   "write the key of a contact from content/kontakter.yml")
                        contact = None
                    else:
                        self.check_reference(_pos_value(action, "contact"), contact, self.contacts, "contact")
                result.append({"text": text, "contact": contact, "steps": steps, "if": condition})
            else:
                result.append({"text": self.item_text(actions, index, action_what), "contact": None, "steps": [],
                               "if": None})
        return result

    def text_list(self, node: Node, key: str, what: str) -> list[str]:
        items = self.a_list(node, key, what)
        if items is None:
            return []
        return [self.item_text(items, index, f'entry {index + 1} of "{key}" in {what}') for index in range(len(items))]

    # -- across nodes ------------------------------------------------------------------

    def rules_of(self, compiled: dict) -> Iterable[tuple[str, dict]]:
        for node_id, node in compiled["nodes"].items():
            for rule in node.get("next", []):
                yield node_id, rule

    def check_expressions(self, compiled: dict) -> None:
        conditions = [(rule["_line"], rule["if"]) for _, rule in self.rules_of(compiled) if rule["if"] is not None]
        for where, source in conditions + self.action_conditions:
            try:
                expr = expressions.parse(source)
            except ExpressionError as exc:
                self.error(where, f'the condition "{_shorten(source)}" cannot be read: {exc}',
                           "write the condition with node ids, quoted option or level ids, and the functions "
                           "count, atleast and answered (see docs/tree-format.md)")
                continue
            self.check_expression_names(where, source, expr)

    def requests_without_contact(self, compiled: dict) -> None:
        """Warn about a step or action whose words ask the reader to call or report (ring, larma,
        polisanmäl, anmäl, rapportera ...) and that shows no number or address.

        A step shows one when its text holds [[nummer:KEY]] or [[kontakt:KEY]]; an action when it
        has `contact:` or such a reference in its text or steps; an outcome's title and lead text
        when the outcome has `call:` or any contact in its text or actions. A warning, not an
        error: words alone cannot tell a request from a description."""
        for node_id, node in compiled["nodes"].items():
            kind = node.get("kind")
            own = [node.get("title") or "", node.get("text") or ""]
            if kind == "outcome":
                actions = node.get("actions") or []
                given = bool(node.get("call")) or _has_contact(node.get("text") or "") or any(
                    a.get("contact") or any(_has_contact(t) for t in [a.get("text") or ""] + list(a.get("steps") or []))
                    for a in actions)
                self._warn_request(own, given, node_id, f'the outcome "{node_id}"',
                                   'add "call: [KEY]" to the outcome, or write [[nummer:KEY]] in its text')
                for index, action in enumerate(actions):
                    texts = [action.get("text") or ""] + list(action.get("steps") or [])
                    given = bool(action.get("contact")) or any(_has_contact(t) for t in texts)
                    self._warn_request(texts, given, (node_id, index), f'action {index + 1} of the outcome "{node_id}"',
                                       'add "contact: KEY" to the action (a key of content/kontakter.yml), '
                                       "or write [[nummer:KEY]] or [[kontakt:KEY]] in its text")
            else:
                self._warn_request(own, _has_contact(node.get("text") or ""), node_id, f'the step "{node_id}"',
                                   "write the number or address into the step's text with [[nummer:KEY]] or "
                                   "[[kontakt:KEY]] (a key of content/kontakter.yml)")

    def _warn_request(self, texts: list[str], given: bool, place: Any, what: str, fix: str) -> None:
        if given:
            return
        for index, text in enumerate(texts):
            found = REQUEST_RE.search(text)
            if not found:
                continue
            if isinstance(place, tuple):
                where = self.places.get(place)
            else:  # a node: its title (index 0) or its text (1), on the line of the word
                where = self.places.get((place, "text" if index else "title"))
                where = _position_in(where, text, found.start()) if where else None
            where = where or self.node_lines.get(place if isinstance(place, str) else place[0], (1, 1))
            self.report.warning(self.display, where[0],
                                f'{what} asks the reader to {_request_kind(found.group(1))} ("{found.group(1)}") '
                                "but shows no number or address",
                                fix + "; a contact without a number can say in words where to find it (how:)",
                                column=where[1])
            return

    def check_expression_names(self, where: tuple[int, int], source: str, expr: Any) -> None:
        """The engine's own judgement of a condition (expression_problems), worded with a fix."""
        levels = {node: self.scales.get(scale, []) for node, scale in self.node_scale.items()}
        for p in expression_problems(expr, self.kinds, self.options, levels):
            self.error(where, *self._expression_message(p, source))

    def _expression_message(self, p: Any, source: str) -> tuple[str, str]:
        if p.code == "unknown-node":
            return (f'the condition "{source}" names the node "{p.node}", which does not exist'
                    f"{did_you_mean(p.node, self.node_lines)}",
                    "use the id of a node in this file; option and level ids go in quotes")
        if p.code == "count-needs-checklist":
            return (f'count({p.node}) in "{source}" counts ticked options, but "{p.node}" is a {p.kind} node',
                    'use count(node) with checklist nodes, count(node, "level") with rating nodes')
        if p.code == "needs-rating":
            return (f'{p.function}({p.node}, ...) in "{source}" needs a rating node, but "{p.node}" is a {p.kind} node',
                    f'use {p.function}(node, "level") with rating nodes'
                    + (", count(node) with checklist nodes" if p.kind == "checklist" else ""))
        if p.code == "unknown-level":
            return (f'the level "{p.value}" in "{source}" is not in the scale "{self.node_scale[p.node]}"'
                    f"{did_you_mean(p.value, p.allowed)}", "use one of the levels: " + ", ".join(p.allowed))
        if p.code == "option-test-wrong-kind":
            wanted = p.allowed[0]
            shown = f'"{p.value}" {p.function} {p.node}' if wanted == "checklist" else f'{p.node} {p.function} "{p.value}"'
            return (f'in the condition "{source}", {shown} needs a {wanted} node, but "{p.node}" is a {p.kind} node, '
                    "so the test is always false",
                    '"option" in node tests a checklist node; node == "option" tests a choice node; '
                    "use count or atleast for rating nodes and answered for info nodes")
        return (f'the condition "{source}" names the option "{p.value}", which node "{p.node}" does not have'
                f"{did_you_mean(p.value, p.allowed)}",
                f'use one of the option ids of node "{p.node}": ' + ", ".join(p.allowed))

    def check_reachable(self, flow: Flow) -> None:
        """Every node can be reached from the start, along the engine's routes."""
        seen = {flow.start}
        todo = [flow.start]
        while todo:
            for target in flow.routes.get(todo.pop(), {}).get("targets", []):
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
        for node_id, where in self.node_lines.items():
            if node_id not in seen:
                self.error(where, f'the node "{node_id}" cannot be reached from the start node "{flow.start}"',
                           "lead to it with \"next\" or \"goto\" from another node, or remove it")

    def check_with_engine(self, compiled: dict) -> None:
        """Strip line notes, let the engine validate the tree and walk every path."""
        for node in compiled["nodes"].values():
            for rule in node.get("next", []):
                rule.pop("_line", None)
        first_line = min((line for line, _ in self.node_lines.values()), default=1)
        try:
            flow = Flow(compiled)
            compiled["routes"] = flow.routes
            self.check_reachable(flow)
            if self.report.errors:
                return
            found = []
            walked = list(paths.enumerate_paths(flow))
            for path in walked:
                if path.get("problem"):
                    found.append(path)
                else:
                    self.check_conditional_actions(flow, path)
            # The path file's text from the same walk: the check compares it next, and walking
            # every path again cost as much as the check itself.
            if len(_PATH_TEXTS) > 64:  # a long `serve` session checks many versions
                _PATH_TEXTS.clear()
            _PATH_TEXTS[_tree_key(compiled)] = _ended(paths.format_paths(flow, items=walked))
        except EngineError as exc:
            self.error((first_line, 1), f"the decision engine cannot check the tree: {exc}",
                       "correct the tree as the message says (see docs/tree-format.md)")
            return
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
            where = self.node_lines.get(node_id, (first_line, 1))
            example = paths.format_path(flow, path)
            if problem == "dead end":
                rules = compiled["nodes"][node_id].get("next", [])
                fix = ("add a last rule without \"if\" as the default (- goto: <node id>), or make the conditions cover every answer"
                       if not rules or rules[-1]["if"] is not None else "make sure every answer leads to a node")
                self.error(where, f'dead end at node "{node_id}": for some answers no rule matches, so the flow stops '
                           f"without an outcome (for example: {example})", fix)
            elif problem == "cycle":
                self.error(where, f'cycle with no way out: node "{node_id}" leads back to "{visited[-1]}", '
                           f"so the flow goes round for ever (for example: {example})",
                           "make the rules in the loop lead on to an outcome")
            else:
                # The example's tail repeats the problem: show only the answers that lead to it.
                self.error(where, f'the flow fails at node "{node_id}": {problem.removeprefix("error: ")} '
                           f'(for example: {example.rsplit(" -> ", 1)[0]})',
                           "correct the conditions on this path")


    def check_conditional_actions(self, flow: Flow, path: dict) -> None:
        """On a path that ends in an outcome with conditional actions: at least one action shows,
        and every node an action's `if` names has been answered on the way."""
        outcome = path["outcome"]
        conditions = flow.action_conditions.get(outcome) or []
        if not any(conditions):
            return
        where = self.node_lines.get(outcome, (1, 1))
        if not flow.outcome_actions(outcome, path["answers"]) and ("empty", outcome) not in self.seen_action_problems:
            self.seen_action_problems.add(("empty", outcome))
            self.error(where, f'the outcome "{outcome}" shows no action for some answers: the "if" of every action '
                       f"is false (for example: {paths.format_path(flow, path)})",
                       'add an action without "if", or make the conditions cover every answer')
        for index, expr in enumerate(conditions):
            if expr is None:
                continue
            guarded = {call.node for call in expr.calls() if call.function == "answered"}
            for name in sorted(expr.names()):
                key = ("off-path", outcome, index, name)
                if name in path["answers"] or name in guarded or key in self.seen_action_problems:
                    continue
                self.seen_action_problems.add(key)
                action_where = self.places.get((outcome, index), where)
                self.report.warning(self.display, action_where[0],
                                    f'the "if" of action {index + 1} of the outcome "{outcome}" names the node "{name}", '
                                    f"which some paths to the outcome do not pass, so there it has no answer "
                                    f"(for example: {paths.format_path(flow, path)})",
                                    "name only nodes that every path to this outcome passes, or test answered(node) first",
                                    column=action_where[1])


def contacts_used(compiled: dict) -> set[str]:
    """Every contact key a compiled tree uses: `acute`, `call`, actions' `contact`, and the
    [[nummer:KEY]] and [[kontakt:KEY]] in its texts (for the check of unused contacts)."""
    used = set(compiled.get("acute") or [])
    for node in compiled.get("nodes", {}).values():
        used.update(node.get("call") or [])
        texts = [node.get("text") or ""] + list(node.get("document") or []) + list(node.get("inform") or [])
        for action in node.get("actions") or []:
            if action.get("contact"):
                used.add(action["contact"])
            texts += [action.get("text") or ""] + list(action.get("steps") or [])
        for text in texts:
            used.update(m.group(2) for m in REFERENCE_RE.finditer(text) if m.group(1) in ("nummer", "kontakt"))
    return used


def _has_contact(text: str) -> bool:
    """True when a text holds a [[nummer:KEY]] or [[kontakt:KEY]] reference."""
    return any(m.group(1) in ("nummer", "kontakt") for m in REFERENCE_RE.finditer(text))


def _request_kind(word: str) -> str:
    word = word.lower()
    if word.startswith("ring"):
        return "call"
    if word.startswith(("larma", "larmar", "larmas")):
        return "raise the alarm"
    return "report"


def _position_in(where: tuple[int, int], text: str, offset: int) -> tuple[int, int]:
    """Where a piece of a text value stands: on the value's line, or for a block of several
    lines (text: |-) on the line below the value's start plus the newlines before the piece."""
    if "\n" not in text:
        return where
    return where[0] + 1 + text.count("\n", 0, offset), where[1]


def _shorten(text: str, limit: int = 80) -> str:
    """A condition as quoted in a message: a hostile one can be hundreds of characters long."""
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def load_tree(path: Path, root: Path, contacts: set[str], sources: set[str],
              today: datetime.date | None = None, max_age_days: int = 365,
              flow_files: dict[str, Path] | None = None) -> tuple[dict | None, list[Problem]]:
    """Load, check and compile one tree file: (compiled tree or None on errors, every problem).

    With `today`, a `reviewed` date older than `max_age_days` is a warning. A [[flode:ID]] may
    name any tree file beside this one, and any flow of `flow_files` (id -> its tree file: the
    flows of the whole site, for a site whose flows come from more than one folder); the title
    of a flow it names is read from that flow's file."""
    display = _display(path, root)
    try:
        data = load_yaml_file(path, display)
    except YamlProblem as exc:
        return None, [exc.problem]
    except OSError as exc:
        return None, [Problem(display, 1, 1, f"the file cannot be read: {exc.strerror or exc}", "check that the file exists and can be read")]
    files = {other.stem: other for other in path.parent.glob("*.yml") if ID_RE.match(other.stem)}
    files.update(flow_files or {})
    checker = _TreeChecker(display, path.stem, contacts, sources, today, max_age_days, files)
    compiled = checker.check(data)
    if compiled is not None:
        for flow_id in compiled["flows"]:
            compiled["flows"][flow_id] = _title_of(files[flow_id], flow_id)
    return compiled, checker.report.sorted()


def _title_of(path: Path, fallback: str) -> str:
    """The title of a tree file as written (read without checking it: its own load reports its problems)."""
    try:
        data = load_yaml_file(path, path.name)
    except (YamlProblem, OSError):
        return fallback
    title = data.get("title") if isinstance(data, Node) else None
    return " ".join(title.split()) if isinstance(title, str) and title.strip() else fallback


def tree_files(root: Path, trees_dir: str = TREES_DIR) -> list[Path]:
    return sorted((root / trees_dir).glob("*.yml"))


def load_trees(root: Path, contacts: set[str], sources: set[str], trees_dir: str = TREES_DIR,
               today: datetime.date | None = None, max_age_days: int = 365,
               skip: Collection[Path] = (), flow_files: dict[str, Path] | None = None,
               ) -> tuple[dict[str, dict], list[Problem]]:
    """Every `decision_trees/*.yml` but those in `skip`, sorted: (id -> compiled tree for trees
    without errors, every problem). `flow_files`: as for load_tree."""
    trees: dict[str, dict] = {}
    problems: list[Problem] = []
    for path in sorted((root / trees_dir).glob("*.yaml")):
        problems.append(Problem(_display(path, root), 1, 1, "tree files must end in .yml; this file is not read",
                                f"rename it to {path.stem}.yml", "warning"))
    for path in tree_files(root, trees_dir):
        if path in skip:
            continue
        compiled, found = load_tree(path, root, contacts, sources, today, max_age_days, flow_files)
        problems.extend(found)
        if compiled is not None:
            trees[compiled["id"]] = compiled
    return trees, problems


def path_file(root: Path, tree_id: str, trees_dir: str = TREES_DIR) -> Path:
    return root / trees_dir / PATHS_DIR / f"{tree_id}.txt"


# The path-file text of each tree as last checked, by the tree's whole content.
_PATH_TEXTS: dict[str, str] = {}


def _tree_key(compiled: dict) -> str:
    # Everything the paths depend on; the linked flows' titles are filled in after the check,
    # and the routes are derived from the rest.
    return json.dumps({k: v for k, v in compiled.items() if k not in ("flows", "routes")}, sort_keys=True, ensure_ascii=False, default=str)


def _ended(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


def _path_text(compiled: dict) -> str:
    cached = _PATH_TEXTS.get(_tree_key(compiled))
    return cached if cached is not None else _ended(paths.format_paths(compiled))


def write_path_files(root: Path, compiled_trees: dict[str, dict], trees_dir: str = TREES_DIR) -> list[Path]:
    """Write the reviewable list of paths of each tree; returns the files written."""
    written = []
    for tree_id, compiled in sorted(compiled_trees.items()):
        target = path_file(root, tree_id, trees_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = _path_text(compiled)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8", newline="\n")
        written.append(target)
    return written


def stale_path_files(root: Path, compiled_trees: dict[str, dict], trees_dir: str = TREES_DIR) -> list[Problem]:
    """A problem for each tree whose path file is missing or no longer matches the tree."""
    problems = []
    for tree_id, compiled in sorted(compiled_trees.items()):
        target = path_file(root, tree_id, trees_dir)
        display = _display(target, root)
        fix = "run `handbok paths` and review the diff"
        if not target.exists():
            problems.append(Problem(display, 1, 1, f'the path file of the tree "{tree_id}" is missing', fix))
            continue
        current = target.read_text(encoding="utf-8")
        expected = _path_text(compiled)
        if current != expected:
            line = _first_difference(current, expected)
            problems.append(Problem(display, line, 1, f'the path file is out of date: it no longer matches the tree "{tree_id}"', fix))
    return problems


def _first_difference(a: str, b: str) -> int:
    a_lines, b_lines = a.splitlines(), b.splitlines()
    for index, (x, y) in enumerate(zip(a_lines, b_lines)):
        if x != y:
            return index + 1
    return min(len(a_lines), len(b_lines)) + 1
