"""Checks the structure of one parsed tree file and builds its compiled form (docs/tree-format.md):
the tree, its scales, its nodes, their options and rules; texts, forms and routing are checked by
their own modules with the same state."""

from __future__ import annotations

import datetime
import re
from math import comb
from typing import Any

from generator.engine.engine import FORMAT, KINDS
from generator.problems import did_you_mean
from generator.yamlsource import Node, NodeList
from generator.trees.format import (ALL_NODE_KEYS, KIND_KEYS, MAX_CHECKLIST, MAX_RATING_ANSWERS, NODE_OPTIONAL, NODE_REQUIRED,
                                    TREE_OPTIONAL, TREE_REQUIRED, pos_item, pos_key, pos_value, type_name)
from generator.trees.forms import check_fields, check_template
from generator.trees.routing import check_expressions, check_with_engine
from generator.trees.state import CheckState, a_list, a_text, check_id, check_node_reference, keys, keys_list
from generator.trees.texts import check_actions, checked_text, requests_without_contact, text_list


def check_tree(state: CheckState, data: Any) -> dict | None:
    """The compiled tree of a parsed tree file, or None when the check found an error."""
    if not isinstance(data, Node):
        line = getattr(data, "line", 1) or 1
        state.error((line, 1), "a tree file must be a mapping of keys (id:, title:, nodes: ...), "
                    f"not {type_name(data)}", "start from an existing tree in decision_trees/ and follow docs/tree-format.md")
        return None
    tree = data
    keys(state, tree, TREE_REQUIRED, TREE_OPTIONAL, "the tree")
    compiled: dict[str, Any] = {"format": FORMAT}

    tree_id = tree.get("id")
    if "id" in tree:
        tree_id = check_id(state, pos_value(tree, "id"), tree_id, "tree")
        if tree_id is not None and tree_id != state.stem:
            state.error(pos_value(tree, "id"), f'the tree id "{tree_id}" differs from the file name "{state.stem}.yml"',
                        f'write "id: {state.stem}", or rename the file to "{tree_id}.yml"')
    compiled["id"] = tree_id if isinstance(tree_id, str) else state.stem
    compiled["title"] = checked_text(state, tree, "title", "the tree", required=True)
    compiled["description"] = checked_text(state, tree, "description", "the tree")
    compiled["sources"] = keys_list(state, tree, "sources", state.sources, "the tree", "source")
    if "sources" in tree and isinstance(tree["sources"], list) and not tree["sources"]:
        state.error(pos_value(tree, "sources"), "the tree names no sources",
                    f"list the keys of the source documents from {state.files.get('source', 'the sources file')}, for example \"sources: [KEY]\"")
    compiled["reviewed"] = reviewed(state, tree)
    compiled["acute"] = keys_list(state, tree, "acute", state.contacts, "the tree", "contact")
    compiled["start"] = tree.get("start") if isinstance(tree.get("start"), str) else None
    compiled["scales"] = check_scales(state, tree)

    nodes = a_list(state, tree, "nodes", "the tree")
    compiled["nodes"] = check_nodes(state, nodes) if nodes is not None else {}
    if nodes is not None and not nodes:
        state.error(pos_value(tree, "nodes"), "the tree has no nodes", "add at least one question and one outcome under \"nodes:\"")

    if "start" in tree:
        start = tree["start"]
        where = pos_value(tree, "start")
        if not isinstance(start, str):
            state.error(where, f'"start" must be the id of a node, not {type_name(start)}', "write the id of the first node")
        else:
            check_node_reference(state, where, start, "start")

    # The flows that [[flode:ID]] names: id -> title (filled in by load_tree).
    compiled["flows"] = {flow_id: flow_id for flow_id in state.linked_flows}

    check_expressions(state, compiled)
    if state.report.errors:
        return None
    check_with_engine(state, compiled)
    if state.report.errors:
        return None
    requests_without_contact(state, compiled)  # warnings, once the tree is otherwise sound
    return compiled


def reviewed(state: CheckState, tree: Node) -> str | None:
    if "reviewed" not in tree:
        return None
    value = tree["reviewed"]
    where = pos_value(tree, "reviewed")
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            value = datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    if not isinstance(value, datetime.date):
        state.error(where, f'"reviewed" must be a date such as 2026-11-22, not {value!r}',
                    "write the date of the last review as year-month-day: reviewed: 2026-11-22")
        return None
    if state.today is not None:
        check_freshness(state, where, value)
    return value.isoformat()


def check_freshness(state: CheckState, where: tuple[int, int], reviewed: datetime.date) -> None:
    if reviewed > state.today:
        state.error(where, f'"reviewed" is in the future ({reviewed})',
                    "write the date the flow was actually last checked")
    elif (state.today - reviewed).days > state.max_age_days:
        state.warning(where,
                      f"the flow was last reviewed {reviewed}, more than {state.max_age_days} days ago",
                      "walk through every step, correct what has changed, and set `reviewed` to today's date")


def check_scales(state: CheckState, tree: Node) -> dict[str, list[dict[str, str]]]:
    result: dict[str, list[dict[str, str]]] = {}
    if "scales" not in tree:
        return result
    scales = tree["scales"]
    if not isinstance(scales, Node):
        state.error(pos_value(tree, "scales"), f'"scales" must be a mapping of scale names to steps, not {type_name(scales)}',
                    "write each scale as a name followed by its list of steps (see docs/tree-format.md)")
        return result
    for name, steps in scales.items():
        what = f'scale "{name}"'
        check_id(state, pos_key(scales, name), name, "scale")
        if not isinstance(steps, NodeList):
            state.error(pos_value(scales, name), f"{what} must be a list of steps, not {type_name(steps)}",
                        "list the steps from lowest to highest: - {id: lag, label: LÅG}")
            continue
        compiled_steps: list[dict[str, str]] = []
        seen: dict[str, int] = {}
        for index, step in enumerate(steps):
            where = pos_item(steps, index)
            if not isinstance(step, Node):
                state.error(where, f"step {index + 1} of {what} must be a mapping with id and label, not {type_name(step)}",
                            "write the step as {id: lag, label: LÅG}")
                continue
            keys(state, step, ("id", "label"), (), f"step {index + 1} of {what}")
            step_id = check_id(state, pos_value(step, "id"), step.get("id"), "scale step") if "id" in step else None
            label = checked_text(state, step, "label", f"step {index + 1} of {what}", required=True)
            if step_id is None:
                continue
            if step_id in seen:
                state.error(pos_value(step, "id"), f'the step id "{step_id}" appears twice in {what} (first on line {seen[step_id]})',
                            "give every step of a scale its own id")
                continue
            seen[step_id] = pos_value(step, "id")[0]
            compiled_steps.append({"id": step_id, "label": label})
        if len(steps) < 2:
            state.error(pos_value(scales, name), f"{what} needs at least two steps", "list the steps from lowest to highest")
        result[str(name)] = compiled_steps
        state.scales[str(name)] = [s["id"] for s in compiled_steps]
    return result


def check_nodes(state: CheckState, nodes: NodeList) -> dict[str, dict]:
    # First pass: ids and kinds, so that references can point forwards.
    entries: list[tuple[Node, str | None]] = []
    for index, node in enumerate(nodes):
        if not isinstance(node, Node):
            state.error(pos_item(nodes, index), f"node {index + 1} must be a mapping of keys (id:, kind:, title: ...), "
                        f"not {type_name(node)}", "write the node as \"- id: ...\" followed by its keys, indented")
            continue
        node_id = None
        if "id" in node:
            node_id = check_id(state, pos_value(node, "id"), node["id"], "node")
        if node_id is not None:
            if node_id in state.node_lines:
                first = state.node_lines[node_id][0]
                state.error(pos_value(node, "id"), f'the node id "{node_id}" appears twice (first on line {first})',
                            "give every node its own id; rename one of them and the references to it")
                node_id = None
            else:
                state.node_lines[node_id] = (node.line, node.column)
                kind = node.get("kind")
                state.kinds[node_id] = kind if kind in KINDS else ""
                if kind == "rating" and isinstance(node.get("scale"), str):
                    state.node_scale[node_id] = node["scale"]
        entries.append((node, node_id))
    # Option ids are needed by expressions elsewhere, so collect them before the second pass.
    for node, node_id in entries:
        if node_id and isinstance(node.get("options"), list):
            state.options[node_id] = [o["id"] for o in node["options"] if isinstance(o, Node) and isinstance(o.get("id"), str)]
        if node_id and node.get("kind") == "form" and isinstance(node.get("fields"), list):
            state.fields[node_id] = {f["id"]: {"type": f.get("type")} for f in node["fields"]
                                     if isinstance(f, Node) and isinstance(f.get("id"), str)}
    compiled: dict[str, dict] = {}
    for node, node_id in entries:
        result = check_node(state, node, node_id)
        if node_id is not None and result is not None:
            compiled[node_id] = result
    return compiled


def check_node(state: CheckState, node: Node, node_id: str | None) -> dict | None:
    what = f'node "{node_id}"' if node_id else f"the node on line {node.line}"
    kind = node.get("kind")
    if "kind" in node and kind not in KINDS:
        hint = did_you_mean(str(kind), KINDS) if isinstance(kind, str) else ""
        state.error(pos_value(node, "kind"), f'unknown node kind "{kind}" in {what}{hint}',
                    "use one of: " + ", ".join(KINDS))
    if kind not in KINDS:
        keys(state, node, NODE_REQUIRED, [k for k in ALL_NODE_KEYS if k not in NODE_REQUIRED], what)
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
    keys(state, node, NODE_REQUIRED + required, NODE_OPTIONAL + optional, f"{what} ({kind})", misplaced)
    result: dict[str, Any] = {"id": node_id, "kind": kind,
                              "title": checked_text(state, node, "title", what, required=True),
                              "text": checked_text(state, node, "text", what, references=True)}
    if node_id is not None:
        state.places[(node_id, "title")] = pos_value(node, "title")
        state.places[(node_id, "text")] = pos_value(node, "text")
    if kind in ("choice", "checklist"):
        result["options"] = check_options(state, node, kind, what, node_id)
    if kind == "form":
        result["fields"] = check_fields(state, node, what)
    if kind == "rating":
        scale = node.get("scale")
        if "scale" in node:
            if not isinstance(scale, str):
                state.error(pos_value(node, "scale"), f'"scale" of {what} must be the name of a scale, not {type_name(scale)}',
                            "write the name of a scale from \"scales:\" at the top of the file")
            elif scale not in state.scales:
                state.error(pos_value(node, "scale"), f'{what} uses the unknown scale "{scale}"{did_you_mean(scale, state.scales)}',
                            "use a scale defined under \"scales:\" at the top of the file, or define it there")
        result["scale"] = scale if isinstance(scale, str) else None
        result["items"] = check_labelled(state, node, "items", what, "item")
        check_rating_size(state, node, what, len(result["items"]), len(state.scales.get(result["scale"], [])))
    if kind == "outcome":
        result["call"] = checked_calls(state, node, what)
        result["actions"] = check_actions(state, node, what, node_id)
        result["document"] = text_list(state, node, "document", what)
        result["inform"] = text_list(state, node, "inform", what)
        if "template" in node:
            result["template"] = check_template(state, node, what)
    else:
        result["next"] = check_next(state, node, what, node_id)
        if kind == "choice" and "next" not in node and isinstance(node.get("options"), list):
            for index, option in enumerate(node["options"]):
                if isinstance(option, Node) and "next" not in option:
                    label = f'"{option["id"]}"' if isinstance(option.get("id"), str) else str(index + 1)
                    state.error((option.line, option.column),
                                f'option {label} of {what} has no "next", and the node has no "next" either',
                                "add \"next: <node id>\" to the option, saying where this answer leads")
    return result


def check_rating_size(state: CheckState, node: Node, what: str, items: int, steps: int) -> None:
    answers = comb(items + steps - 1, steps - 1) if items and steps else 0
    if answers > MAX_RATING_ANSWERS:
        state.error(pos_value(node, "items"), f"{what} has {items} items on a scale of {steps} steps: {answers:,} ways "
                    f"to answer, more than the {MAX_RATING_ANSWERS:,} that can be checked one by one",
                    "split the items over two or more rating nodes, or use a scale with fewer steps")


def check_labelled(state: CheckState, node: Node, key: str, what: str, word: str, extra: tuple[str, ...] = ()) -> list[dict]:
    """Options or items: a list of {id, label}, ids unique within the node."""
    items = a_list(state, node, key, what)
    if items is None:
        return []
    if not items:
        state.error(pos_value(node, key), f'{what} has an empty list of {key}', f"add at least one {word}")
    result: list[dict] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        where = pos_item(items, index)
        item_what = f"{word} {index + 1} of {what}"
        if not isinstance(item, Node):
            state.error(where, f"{item_what} must be a mapping with id and label, not {type_name(item)}",
                        "write it as {id: ..., label: \"...\"}")
            continue
        misplaced = {"next": "only options of a choice node lead somewhere; a checklist node has one \"next\" for all"} \
            if word == "option" and "next" not in extra else None
        keys(state, item, ("id", "label"), extra, item_what, misplaced)
        item_id = check_id(state, pos_value(item, "id"), item["id"], word) if "id" in item else None
        entry: dict[str, Any] = {"id": item_id, "label": checked_text(state, item, "label", item_what, required=True)}
        for key in extra:
            entry[key] = item.get(key) if isinstance(item.get(key), str) else None
        if item_id is None:
            continue
        if item_id in seen:
            state.error(pos_value(item, "id"), f'the {word} id "{item_id}" appears twice in {what} (first on line {seen[item_id]})',
                        f"give every {word} of a node its own id")
            continue
        seen[item_id] = pos_value(item, "id")[0]
        result.append(entry)
    return result


def check_options(state: CheckState, node: Node, kind: str, what: str, node_id: str | None) -> list[dict]:
    if kind == "checklist":
        options = check_labelled(state, node, "options", what, "option")
        if len(options) > MAX_CHECKLIST:
            state.error(pos_value(node, "options"), f"{what} has {len(options)} options; a checklist can have at most "
                        f"{MAX_CHECKLIST}, or its paths become too many to check one by one",
                        "split it into two or more checklists")
        return options
    options = check_labelled(state, node, "options", what, "option", extra=("next",))
    for option in node.get("options") or []:
        target = a_text(state, option, "next", '"next" of an option must be the id of a node',
                        "write the id of the node this answer leads to") if isinstance(option, Node) else None
        if target is not None:
            check_node_reference(state, pos_value(option, "next"), target, "next", node_id)
    return options


def check_next(state: CheckState, node: Node, what: str, node_id: str | None) -> list[dict]:
    if "next" not in node:
        return []
    value = node["next"]
    where = pos_value(node, "next")
    if isinstance(value, str):
        check_node_reference(state, where, value, "next", node_id)
        return [{"if": None, "goto": value}]
    if not isinstance(value, NodeList):
        state.error(where, f'"next" of {what} must be a node id or a list of rules, not {type_name(value)}',
                    "write \"next: <node id>\", or a list of rules with \"if:\" and \"goto:\"")
        return []
    if not value:
        state.error(where, f'"next" of {what} is an empty list', "add at least one rule: - goto: <node id>")
    rules: list[dict] = []
    default_seen: int | None = None
    for index, rule in enumerate(value):
        rule_where = pos_item(value, index)
        rule_what = f"rule {index + 1} of {what}"
        if not isinstance(rule, Node):
            state.error(rule_where, f"{rule_what} must be a mapping with \"if\" and \"goto\", not {type_name(rule)}",
                        "write the rule as: - if: '<condition>'  followed by  goto: <node id>")
            continue
        keys(state, rule, ("goto",), ("if",), rule_what)
        if default_seen is not None:
            state.error(rule_where, f"{rule_what} can never be used: rule {default_seen} before it has no \"if\" and always applies",
                        "put the rule without \"if\" last, or remove the rules after it")
        condition = a_text(state, rule, "if", f"the condition of {rule_what} must be text",
                           "write the condition in single quotes, for example: if: '\"skadade\" in skador'")
        if "if" not in rule and default_seen is None:
            default_seen = index + 1
        goto = a_text(state, rule, "goto", f'"goto" of {rule_what} must be the id of a node',
                      "write the id of the node this rule leads to")
        if goto is not None:
            check_node_reference(state, pos_value(rule, "goto"), goto, "goto", node_id)
        rules.append({"if": condition, "goto": goto, "_line": pos_value(rule, "if") if "if" in rule else rule_where})
    return rules


def checked_calls(state: CheckState, node: Node, what: str) -> list[str]:
    """The keys of an outcome's `call:`, each a known contact with a number to ring."""
    result = keys_list(state, node, "call", state.contacts, what, "contact")
    calls = node.get("call")
    for index, key in enumerate(calls if isinstance(calls, NodeList) else []):
        if key in state.without_number:
            state.warning(pos_item(calls, index),
                          f'{what} asks to call contact "{key}", which has no phone number: '
                          "the page lists it as one to contact, with its `how:` text, not as one to ring",
                          f'give "{key}" a phone number in the contacts file, or name it in the text instead of `call:`')
    return result
