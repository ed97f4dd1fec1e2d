"""The context of tryggt/flow/page.html: every step, outcome and route of one compiled tree, with
the language's words, as plain data. The templates hold only loops and conditions over it."""

from __future__ import annotations

from functools import cached_property
from typing import Any, Optional

from generator.engine import Flow
from generator.engine.forms import MAX_FIELD_CHARS
from generator.language import Text
from generator.site.templates import Markup

from generator.flowpage.references import Refs
from generator.flowpage.nodes import anchor, inline, outcome_order, rules_of, step_order, title_of
from generator.flowpage.routes import grouped_rules, route_list, routes_of
from generator.flowpage.wording import Wording


class FlowPage:
    """Builds the context of one flow page."""

    def __init__(self, compiled: dict, contacts: dict, text: Text):
        self.compiled = compiled
        self.nodes = compiled.get("nodes", {})
        self.t = text
        self.refs = Refs(contacts, compiled.get("flows"), text)
        self.words = Wording(compiled, text)
        self.start = compiled.get("start") or (step_order(compiled) or [""])[0]

    def context(self, diagram_svg: str, runtime_attributes: Optional[dict[str, str]]) -> dict:
        tree_id = self.compiled.get("id", "")
        title = inline(self.compiled.get("title")) or tree_id
        return {
            "t": self.t.strings,
            "flow": {"id": tree_id, "start": self.start, "attributes": list((runtime_attributes or {}).items())},
            "acute": [self.refs.acute(key) for key in self.compiled.get("acute") or []],
            "steps": [self.step(node_id, is_first=i == 0) for i, node_id in enumerate(step_order(self.compiled))],
            "outcomes": [self.outcome(node_id) for node_id in outcome_order(self.compiled)],
            # The drawing is generated (generator/flowpage/diagram.py escapes its text), never written by hand.
            "diagram": {"svg": Markup(diagram_svg.strip()) if diagram_svg else None,
                        "label": self.t("page_diagram", title=title), "caption": self.t("page_diagram_caption", title=title)},
            "text_alternative": self.text_alternative(),
            # With the runtime the page carries the tree itself, for the engine in the browser.
            # The accounts' parts too (forms.compile_template): the browser fills them, never reads a template.
            "tree": {**{k: v for k, v in self.compiled.items() if k != "paths"}, "routes": routes_of(self.compiled),
                     "accounts": self.flow.accounts} if runtime_attributes else None,
            # Choices and information alone are routed by the tree's routes and walked routes:
            # such a flow never waits for the engine, so its status line stays out of the way.
            "engine_waits": any(node.get("kind") not in ("choice", "info", "outcome") for node in self.nodes.values()),
        }

    # --- steps ------------------------------------------------------------------------------

    def _node(self, node_id: str) -> dict:
        node = self.nodes[node_id]
        return {"id": node_id, "kind": node.get("kind", ""), "title": inline(node.get("title")) or node_id,
                "heading_id": self.t.words.node_id("heading", node_id), "paragraphs": self.refs.paragraphs(node.get("text"))}

    def step(self, node_id: str, *, is_first: bool) -> dict:
        node = self.nodes[node_id]
        step = {**self._node(node_id), "section_id": self.t.words.node_id("step", node_id), "options": [], "rows": [], "levels": [],
                "legend_prefix": "", "rules": None, "back": None if is_first else "#" + self.t.words.node_id("step", self.start)}
        kind = step["kind"]
        if kind == "choice":
            step["options"], step["rules"] = self._choice(node_id)
        elif kind == "checklist":
            title = step["title"]
            step["legend_prefix"] = title + (" " if title.rstrip()[-1:] in "?!.:" else ": ")
            step["options"] = [{"id": opt.get("id", ""), "input_id": self.t.words.node_id("input", f"{node_id}--{opt.get('id', '')}"),
                                "label": inline(opt.get("label")) or opt.get("id", "")} for opt in node.get("options", []) or []]
            step["rules"] = self.rules(node_id, lead=self.t("page_lead_checklist"))
        elif kind == "rating":
            step["levels"], step["rows"] = self._rating(node_id)
            step["rules"] = self.rules(node_id, lead=self.t("page_lead_rating"))
        elif kind == "form":
            step["fields"] = self._fields(node_id)
            # Said once, before the first field of the flow: the text lives in this page only.
            step["memory_note"] = node_id == next(n for n in step_order(self.compiled) if self.nodes[n].get("kind") == "form")
            step["rules"] = self.rules(node_id, lead=self.t("page_lead_form"))
        else:  # info (and any unknown kind): text and Fortsätt
            step["rules"] = self.rules(node_id, lead=self.t("page_lead_info"))
        return step

    def _choice(self, node_id: str) -> tuple[list[dict], Optional[dict]]:
        """The options as links; those the engine cannot settle alone point at the rules below."""
        rules_id = self.t.words.node_id("rules", node_id)
        options = []
        for route in route_list(self.compiled, node_id, self.t):
            if route["option"] is None:
                continue
            goto = route["goto"]
            options.append({"id": route["option"], "label": route["label"], "goto": goto,
                            "href": anchor(self.compiled, goto, self.t.words) if goto else "#" + rules_id})
        needs_rules = any(option["goto"] is None for option in options)
        return options, self.rules(node_id, lead=self.t("page_lead_choice"), list_id=rules_id) if needs_rules else None

    def _rating(self, node_id: str) -> tuple[list[dict], list[dict]]:
        node = self.nodes[node_id]
        levels = [{"id": lv.get("id", ""), "label": inline(lv.get("label")) or lv.get("id", "")}
                  for lv in self.compiled.get("scales", {}).get(node.get("scale"), []) or []]
        items = []
        for item in node.get("items", []) or []:
            item_id = item.get("id", "")
            label = inline(item.get("label")) or item_id
            cells = [{"name": f"{node_id}--{item_id}", "value": level["id"], "input_id": self.t.words.node_id("input", f"{node_id}--{item_id}--{level['id']}"),
                      "aria_label": f"{label}: {level['label']}", "label": level["label"]} for level in levels]
            items.append({"id": item_id, "label": label, "cells": cells})
        return levels, items

    def _fields(self, node_id: str) -> list[dict]:
        """A form's fields (tryggt/flow/form.html); on paper, lines to write on."""
        fields = []
        for field in self.nodes[node_id].get("fields") or []:
            input_id = self.t.words.node_id("input", f"{node_id}--{field['id']}")
            fields.append({"id": field["id"], "type": field.get("type", "line"), "input_id": input_id,
                           "hint_id": f"hint-{node_id}--{field['id']}" if field.get("hint") else None,
                           "label": inline(field.get("label")) or field["id"], "hint": inline(field.get("hint")),
                           "required": bool(field.get("required")), "max_chars": MAX_FIELD_CHARS})
        return fields

    def rules(self, node_id: str, *, lead: str, list_id: Optional[str] = None) -> Optional[dict]:
        """A step's way on (tryggt/flow/rules.html): one Fortsätt link, or every rule in words."""
        groups = grouped_rules(rules_of(self.nodes[node_id]))
        if not groups:
            return None
        if len(groups) == 1 and groups[0][0] == [None]:
            goto = groups[0][1]
            return {"continue": {"href": anchor(self.compiled, goto, self.t.words), "goto": goto}, "id": list_id, "lead": lead, "lines": []}
        lines = [{"href": anchor(self.compiled, goto, self.t.words), "goto": goto, "target": title_of(self.compiled, goto),
                  "words": self.words.rule_parts(conds, node_id, first=i == 0)} for i, (conds, goto) in enumerate(groups)]
        return {"continue": None, "id": list_id, "lead": lead, "lines": lines}

    # --- outcomes ---------------------------------------------------------------------------

    def outcome(self, node_id: str) -> dict:
        node = self.nodes[node_id]
        lists = [{"heading": self.t(heading), "css": css, "entries": [self.refs.segments(entry) for entry in node.get(key) or []]}
                 for heading, key, css in (("page_document", "document", "flow-document"), ("page_inform", "inform", "flow-inform"))]
        contacts = [self.refs.contact(key, with_when=True) for key in node.get("call") or []]
        # "Ring" only over a number to ring; a contact with none is one to reach as its `how` says.
        ringable = [c for c in contacts if c["phone"] or (c["via"] and c["via"]["phone"])]
        return {**self._node(node_id), "section_id": self.t.words.node_id("outcome", node_id),
                "calls": ringable, "reach": [c for c in contacts if c not in ringable],
                "actions": [self.action(index, action) for index, action in enumerate(node.get("actions") or [])],
                "lists": [entry for entry in lists if entry["entries"]], "restart": "#" + self.t.words.node_id("step", self.start),
                "account": self.account(node_id) if node_id in self.flow.accounts else None}

    @cached_property
    def flow(self) -> Flow:
        return Flow(self.compiled)

    def account(self, node_id: str) -> dict:
        """The account an outcome assembles (tryggt/flow/account.html), from the engine's parts
        (forms.compile_template): on the static page each answer is a blank named by its field's
        label (a choice's or checklist's by the step's title); the live flow fills them in."""
        account = self.flow.accounts[node_id]
        sections = []
        for section in account["sections"]:
            lines: list[list[dict]] = [[]]
            for part in section["parts"]:
                if "field" in part:
                    lines[-1].append({"text": inline(part["label"]) or part["field"], "field": part["field"]})
                    continue
                for index, piece in enumerate(part["text"].split("\n")):
                    if index:
                        lines.append([])
                    if piece:
                        lines[-1].append({"text": piece, "field": None})
            sections.append({"heading": inline(section["heading"]), "lines": lines})
        return {"title": inline(account["title"]), "sections": sections}

    def action(self, index: int, action: Any) -> dict:
        """One thing to do; with an `if:` it says its condition, and the live flow shows it only
        when the engine lists it for the reader's answers (data-action-index, data-if-node)."""
        if isinstance(action, str):
            action = {"text": action, "contact": None}
        condition, names = (self.words.action_condition_parts(action["if"]) if action.get("if") else (None, []))
        return {"index": index, "condition": condition, "if_nodes": " ".join(names) if condition else None,
                "text": self.refs.segments(action.get("text")),
                "contact": self.refs.contact(action["contact"]) if action.get("contact") else None,
                "steps": [self.refs.segments(step) for step in action.get("steps") or []]}

    # --- the text alternative ---------------------------------------------------------------

    def text_alternative(self) -> dict:
        """Every route of the diagram as a line of text: step → answer or rule → where it leads."""
        steps = []
        for node_id in step_order(self.compiled):
            title = title_of(self.compiled, node_id)
            routes = []
            for route in route_list(self.compiled, node_id, self.t):
                label = (self.words.rule_plain(route["conds"], node_id, first=route["first"])
                         if route["option"] is None else route["label"])
                target = title_of(self.compiled, route["goto"]) if route["goto"] else self.t("page_by_the_rules")
                routes.append({"label": label, "target": target})
            steps.append({"href": anchor(self.compiled, node_id, self.t.words), "title": title, "routes": routes})
        outcomes = [{"href": anchor(self.compiled, o, self.t.words), "title": title_of(self.compiled, o)} for o in outcome_order(self.compiled)]
        return {"steps": steps, "outcomes": outcomes}
