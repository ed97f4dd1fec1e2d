"""Checks one parsed tree file and builds its compiled form (docs/tree-format.md)."""

from __future__ import annotations

import datetime
import re
from math import comb
from typing import Any, Collection, Iterable, Mapping

from generator.engine.engine import FORMAT, KINDS
from generator.problems import Report, did_you_mean
from generator.yamlsource import Node, NodeList
from generator.trees.format import (ALL_NODE_KEYS, ID_FIX, ID_RE, KIND_KEYS, MAX_CHECKLIST, MAX_RATING_ANSWERS, NODE_OPTIONAL,
                     NODE_REQUIRED, TREE_OPTIONAL, TREE_REQUIRED, _pos_item, _pos_key, _pos_value, _type_name)
from generator.trees.forms import _FormChecks
from generator.trees.routing import _RoutingChecks
from generator.trees.texts import _TextChecks


class TreeChecker(_TextChecks, _RoutingChecks, _FormChecks):
    """Checks one parsed tree file and builds its compiled form."""

    def __init__(self, display: str, stem: str, contacts: Collection[str] | Mapping[str, dict], sources: set[str],
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
        # Contacts with no number of their own nor of the one they are reached via: not to `call:`.
        self.without_number = {key for key, contact in contacts.items() if not _has_number(contact, contacts)} \
            if isinstance(contacts, Mapping) else set()
        self.sources = set(sources)
        self.today = today
        self.max_age_days = max_age_days
        self.report = Report()
        self.node_lines: dict[str, tuple[int, int]] = {}
        # For checks of expressions: node id -> kind, options, scale of rating nodes.
        self.kinds: dict[str, str] = {}
        self.options: dict[str, list[str]] = {}
        self.node_scale: dict[str, str] = {}
        # Form node -> field id -> {"type"}; and each [[svar:STEP.FIELD]] or [[svar:STEP]] of a template, with where.
        self.fields: dict[str, dict[str, dict]] = {}
        self.template_references: list[tuple[tuple[int, int], str, str | None]] = []
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

    def checked_calls(self, node: Node, what: str) -> list[str]:
        """The keys of an outcome's `call:`, each a known contact with a number to ring."""
        result = self.keys_list(node, "call", self.contacts, what, "contact")
        calls = node.get("call")
        for index, key in enumerate(calls if isinstance(calls, NodeList) else []):
            if key in self.without_number:
                line, column = _pos_item(calls, index)
                self.report.warning(self.display, line,
                                    f'{what} asks to call contact "{key}", which has no phone number: '
                                    "the page lists it as one to contact, with its `how:` text, not as one to ring",
                                    f'give "{key}" a phone number in the contacts file, or name it in the text instead of `call:`',
                                    column=column)
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
            if node_id and node.get("kind") == "form" and isinstance(node.get("fields"), list):
                self.fields[node_id] = {f["id"]: {"type": f.get("type")} for f in node["fields"]
                                        if isinstance(f, Node) and isinstance(f.get("id"), str)}
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
        if kind == "form":
            result["fields"] = self.check_fields(node, what)
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
            result["call"] = self.checked_calls(node, what)
            result["actions"] = self.check_actions(node, what, node_id)
            result["document"] = self.text_list(node, "document", what)
            result["inform"] = self.text_list(node, "inform", what)
            if "template" in node:
                result["template"] = self.check_template(node, what)
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


def _has_number(contact: Any, contacts: Mapping[str, Any]) -> bool:
    if not isinstance(contact, Mapping):
        return True  # not a contact the check can judge: its own problem is reported elsewhere
    via = contacts.get(contact.get("via") or "")
    return bool(contact.get("phone")) or (isinstance(via, Mapping) and bool(via.get("phone")))
