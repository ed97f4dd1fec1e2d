"""The checks of form steps and of the templates outcomes assemble accounts from."""

from __future__ import annotations

import re

from typing import Any

from generator import language
from generator.engine.forms import ANSWER_RE, FIELD_TYPES, OPTION_KINDS
from generator.problems import did_you_mean
from generator.yamlsource import Node
from generator.trees.format import REFERENCE_RE, pos_item, pos_value, type_name
from generator.trees.state import CheckState, a_list, check_id, keys
from generator.trees.texts import check_html, checked_text

FIELD_FIX = "write each field as {id: ..., label: \"...\", type: line|text|datetime|yesno}"


def check_fields(state: CheckState, node: Node, what: str) -> list[dict]:
    items = a_list(state, node, "fields", what)
    if not items:
        if items is not None:
            state.error(pos_value(node, "fields"), f"{what} has an empty list of fields", "add at least one field")
        return []
    result: list[dict] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        field_what = f"field {index + 1} of {what}"
        if not isinstance(item, Node):
            state.error(pos_item(items, index), f"{field_what} must be a mapping, not {type_name(item)}", FIELD_FIX)
            continue
        entry = check_field(state, item, field_what)
        if entry["id"] is None:
            continue
        if entry["id"] in seen:
            state.error(pos_value(item, "id"), f'the field id "{entry["id"]}" appears twice in {what} '
                        f"(first on line {seen[entry['id']]})", "give every field of a form its own id")
            continue
        seen[entry["id"]] = pos_value(item, "id")[0]
        result.append(entry)
    return result


def check_field(state: CheckState, item: Node, what: str) -> dict[str, Any]:
    keys(state, item, ("id", "label", "type"), ("required", "hint"), what)
    field_type = item.get("type")
    if "type" in item and field_type not in FIELD_TYPES:
        hint = did_you_mean(str(field_type), FIELD_TYPES) if isinstance(field_type, str) else ""
        state.error(pos_value(item, "type"), f'{what} has the unknown type "{field_type}"{hint}',
                    "use line (one line), text (several lines), datetime (a date and time) or yesno")
    required = item.get("required", False)
    if not isinstance(required, bool):
        state.error(pos_value(item, "required"), f'"required" of {what} must be true or false, not {type_name(required)}',
                    "write required: true, or leave the line out for an optional field")
    return {"id": check_id(state, pos_value(item, "id"), item["id"], "field") if "id" in item else None,
            "label": checked_text(state, item, "label", what, required=True),
            "type": field_type if field_type in FIELD_TYPES else "line",
            "required": required is True,
            "hint": checked_text(state, item, "hint", what)}


def check_template(state: CheckState, node: Node, what: str) -> dict | None:
    template = node["template"]
    where = pos_value(node, "template")
    if not isinstance(template, Node):
        state.error(where, f'"template" of {what} must be a mapping with a title and sections, not {type_name(template)}',
                    "write title: and sections: under template:, as in docs/tree-format.md")
        return None
    keys(state, template, ("title", "sections"), (), f"the template of {what}")
    result = {"title": template_text(state, template, "title", f"the template of {what}"), "sections": []}
    sections = a_list(state, template, "sections", f"the template of {what}")
    for index, section in enumerate(sections or []):
        section_what = f"section {index + 1} of the template of {what}"
        if not isinstance(section, Node):
            state.error(pos_item(sections, index), f"{section_what} must be a mapping with heading and text, "
                        f"not {type_name(section)}", "write it as {heading: ..., text: ...}")
            continue
        keys(state, section, ("heading", "text"), (), section_what)
        result["sections"].append({"heading": template_text(state, section, "heading", section_what),
                                   "text": template_text(state, section, "text", section_what)})
    if sections is not None and not sections:
        state.error(pos_value(template, "sections"), f"the template of {what} has no sections", "add at least one section")
    return result


def template_text(state: CheckState, mapping: Node, key: str, what: str) -> str:
    """A text of a template: plain text, where the answers of a form's field (STEP.FIELD) and of
    a choice or checklist (STEP) are the only references."""
    if key not in mapping:
        return ""
    value, where = mapping[key], pos_value(mapping, key)
    if not isinstance(value, str):
        state.error(where, f'"{key}" of {what} must be text, not {type_name(value)}',
                    f'write the text after "{key}:", in quotes if it contains a colon')
        return ""
    check_html(state, where, value)
    word = state.words.references["answer"]
    for match in REFERENCE_RE.finditer(value):
        answer = ANSWER_RE.fullmatch(_canonical(match.group(0)))
        if answer is None:
            state.error(where, f'{match.group(0)} in "{key}" of {what}: a template names only answers',
                        f"write [[{word}:STEP.FIELD]] with the id of a form step and of one of its fields, "
                        f"or [[{word}:STEP]] with the id of a choice or checklist step")
        else:
            state.template_references.append((where, answer.group(1), answer.group(2)))
    return _canonical(value)


def _canonical(text: str) -> str:
    """A template's text with each answer reference written [[answer:…]], as the engine reads it,
    whichever language's word the publisher wrote ([[svar:…]] on a Swedish site)."""
    def rewrite(match: re.Match) -> str:
        return f"[[answer:{match.group(2)}]]" if language.reference_kinds().get(match.group(1)) == "answer" else match.group(0)
    return REFERENCE_RE.sub(rewrite, text)


def check_template_references(state: CheckState) -> None:
    """Every answer reference STEP.FIELD names a field of a form step of this tree, every STEP a
    choice or checklist step."""
    word = state.words.references["answer"]
    for where, step, field in state.template_references:
        kind = state.kinds.get(step)
        if field is None and kind == "form":
            state.error(where, f'[[{word}:{step}]] names the form step "{step}" without a field',
                        f'write [[{word}:{step}.FIELD]] with one of its fields: ' + ", ".join(state.fields.get(step, {})))
        elif field is None and kind not in OPTION_KINDS:
            state.error(where, f'[[{word}:{step}]] names "{step}", which is not a choice or checklist step'
                        f"{did_you_mean(step, [n for n, k in state.kinds.items() if k in OPTION_KINDS])}",
                        f"use the id of a choice or checklist step of this tree, or [[{word}:STEP.FIELD]] for a form's field")
        elif field is None:
            continue
        elif kind != "form":
            state.error(where, f'[[{word}:{step}.{field}]] names "{step}", which is not a form step'
                        f"{did_you_mean(step, [n for n, k in state.kinds.items() if k == 'form'])}",
                        f"use the id of a form step of this tree (a choice's or checklist's answer is [[{word}:{step}]])"
                        if kind in OPTION_KINDS else "use the id of a form step of this tree")
        elif field not in state.fields.get(step, {}):
            state.error(where, f'[[{word}:{step}.{field}]] names the field "{field}", which "{step}" does not have'
                        f"{did_you_mean(field, state.fields.get(step, {}))}",
                        f'use one of the fields of "{step}": ' + ", ".join(state.fields.get(step, {})))
