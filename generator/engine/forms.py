"""Form steps and the documents outcomes assemble from them.

A form step asks for text the reader writes: labelled fields of four types (one line, several
lines, a date and time, a yes/no), each optional or required. Its answer is a dict of field id
-> text (or true/false for a yes/no); a blank text counts as not filled. Routing never sees the
content: `filled(step, "field")` and `yes(step, "field")` are all the expression language has.

An outcome may carry a `template`: a title and sections, each a heading and a text in which
`[[answer:STEP.FIELD]]` stands for the reader's answer to a form's field and `[[answer:STEP]]` for
a choice's (the chosen option's label) or a checklist's (the ticked options' labels, a list: the
site joins it in its own language). `compile_template` reads it once into parts, which the
static page, the PDF and the live page all render; `fill` gives each answer's part its value:
plain data, no markup, so whatever the reader typed stays text wherever it is shown.
"""

from __future__ import annotations

import re

FIELD_TYPES = ("line", "text", "datetime", "yesno")
MAX_FIELD_CHARS = 20_000  # far beyond any account, and a bound on what the engine holds
# [[answer:STEP.FIELD]] or [[answer:STEP]]: group 2 is None for a choice's or a checklist's answer. The
# check writes a template's answers thus, whatever the language's word for them (trees/forms.py).
ANSWER_RE = re.compile(r"\[\[answer:([a-z0-9]+(?:-[a-z0-9]+)*)(?:\.([a-z0-9]+(?:-[a-z0-9]+)*))?\]\]")
OPTION_KINDS = ("choice", "checklist")


def is_filled(value) -> bool:
    return value is True or value is False or (isinstance(value, str) and value.strip() != "")


def validate_form(fail, key: str, node: dict) -> dict[str, dict]:
    """The form's fields by id; `fail(message)` raises on the first problem."""
    fields = node.get("fields")
    if not isinstance(fields, list) or not fields:
        fail(f"form node '{key}' needs a non-empty list of fields")
    table: dict[str, dict] = {}
    for field in fields:
        if not isinstance(field, dict) or not isinstance(field.get("id"), str) or not field["id"]:
            fail(f"form node '{key}': every field needs an 'id'")
        if field["id"] in table:
            fail(f"form node '{key}': field '{field['id']}' appears twice")
        if field.get("type") not in FIELD_TYPES:
            fail(f"form node '{key}': field '{field['id']}' has type {field.get('type')!r} "
                 f"(one of {', '.join(FIELD_TYPES)})")
        for text in ("label", "hint"):
            if not isinstance(field.get(text, ""), str):
                fail(f"form node '{key}': field '{field['id']}' has a {text} that is not text")
        if not isinstance(field.get("required", False), bool):
            fail(f"form node '{key}': field '{field['id']}': 'required' must be true or false")
        table[field["id"]] = field
    return table


def check_form_answer(node_id: str, fields: dict[str, dict], answer):
    """(normalised answer, None) or (None, reason): known fields, values of their type, every
    required field filled. Blank texts are dropped; the rest is kept as typed."""
    if not isinstance(answer, dict):
        return None, f"form '{node_id}' takes a dict of field id -> text (or true/false)"
    kept = {}
    for field_id, value in answer.items():
        field = fields.get(field_id)
        if field is None:
            return None, f"{field_id!r} is not a field of '{node_id}'"
        if field["type"] == "yesno":
            if value is not None and not isinstance(value, bool):
                return None, f"field '{field_id}' of '{node_id}' takes true, false or nothing"
        elif value is not None and not isinstance(value, str):
            return None, f"field '{field_id}' of '{node_id}' takes text"
        elif isinstance(value, str) and len(value) > MAX_FIELD_CHARS:
            return None, f"field '{field_id}' of '{node_id}' is longer than {MAX_FIELD_CHARS} characters"
        if is_filled(value):
            kept[field_id] = value
    missing = [f for f, field in fields.items() if field.get("required") and f not in kept]
    if missing:
        return None, f"form '{node_id}': required field not filled ({', '.join(missing)})"
    return {f: kept[f] for f in fields if f in kept}, None


def form_candidates(node_id: str, fields: dict[str, dict], observed: set[str], limit: int) -> list[dict]:
    """One answer for every combination the expression language can tell apart: each observed
    optional field blank or filled (a yes/no unset, yes or no); required fields always filled."""
    answers: list[dict] = [{}]
    for field_id, field in fields.items():
        if field.get("required"):
            values = [True] if field["type"] == "yesno" else ["x"]
        elif field_id in observed:
            values = [None, True, False] if field["type"] == "yesno" else [None, "x"]
        else:
            values = [None]
        answers = [{**a, field_id: v} for a in answers for v in values]
        if len(answers) > limit:
            raise ValueError(f"form '{node_id}' has too many fields that conditions test "
                             f"to prove every combination (at most {limit})")
    return [{k: v for k, v in a.items() if v is not None} for a in answers]


def template_references(template: dict) -> list[tuple[str, str | None]]:
    """Every (step, field) the template's texts name, in order; field None for [[answer:STEP]]."""
    texts = [template.get("title") or ""] + [s.get("text") or "" for s in template.get("sections") or []]
    return [(m.group(1), m.group(2)) for text in texts for m in ANSWER_RE.finditer(text)]


def validate_template(fail, key: str, template, nodes: dict, fields_of: dict[str, dict[str, dict]]) -> None:
    if not isinstance(template, dict) or not isinstance(template.get("title", ""), str):
        fail(f"outcome '{key}': 'template' must be a dict with a 'title' and 'sections'")
    sections = template.get("sections")
    if not isinstance(sections, list) or not sections:
        fail(f"outcome '{key}': the template needs a non-empty list of sections")
    for section in sections:
        if not isinstance(section, dict) or not all(isinstance(section.get(k, ""), str) for k in ("heading", "text")):
            fail(f"outcome '{key}': every section of the template is a dict of 'heading' and 'text'")
    for step, field in template_references(template):
        if field is None and (nodes.get(step) or {}).get("kind") not in OPTION_KINDS:
            fail(f"outcome '{key}': the template names [[answer:{step}]], which is not a choice or checklist")
        if field is not None and field not in fields_of.get(step, {}):
            fail(f"outcome '{key}': the template names [[answer:{step}.{field}]], which is not a field of a form")


def compile_template(template: dict, nodes: dict, fields_of: dict[str, dict[str, dict]]) -> dict:
    """A (validated) template read once into the parts every consumer renders: {"title",
    "sections": [{"heading", "parts": [{"text"} | {"field", "label", "type"}]}]}. An answer's
    "field" is "STEP.FIELD" for a form's field (its label and type) or "STEP" for a choice's or
    a checklist's answer (the step's title, its kind). The static page shows each answer's part
    as a blank named by its label; `fill` and the browser's assemble give it the reader's value."""
    def part(step: str, field_id: str | None) -> dict:
        if field_id is None:
            node = nodes[step]
            return {"field": step, "label": node.get("title") or step, "type": node["kind"]}
        field = fields_of[step][field_id]
        return {"field": f"{step}.{field_id}", "label": field.get("label") or field_id, "type": field["type"]}

    def parts(text: str) -> list[dict]:
        out, at = [], 0
        for match in ANSWER_RE.finditer(text):
            if match.start() > at:
                out.append({"text": text[at:match.start()]})
            out.append(part(match.group(1), match.group(2)))
            at = match.end()
        if at < len(text):
            out.append({"text": text[at:]})
        return out

    return {"title": template.get("title") or "",
            "sections": [{"heading": s.get("heading") or "", "parts": parts(s.get("text") or "")}
                         for s in template["sections"]]}


def _chosen(node: dict, answer):
    """The labels of what was chosen: a choice's one label, a checklist's list (None: nothing)."""
    labels = {o["id"]: o.get("label") or o["id"] for o in node.get("options") or []}
    if node["kind"] == "choice":
        return labels[answer] if isinstance(answer, str) and answer in labels else None
    ticked = [label for option, label in labels.items() if option in answer] if isinstance(answer, list) else []
    return ticked or None


def _value(field: str, answers: dict, nodes: dict):
    step, _, field_id = field.partition(".")
    if not field_id:
        return _chosen(nodes[step], answers.get(step))
    value = (answers.get(step) or {}).get(field_id)
    return value if is_filled(value) else None


def fill(account: dict, answers: dict, nodes: dict) -> dict:
    """The document a compiled template (compile_template) makes of the answers: each answer's
    part with its "value", None where the reader filled or chose nothing; a checklist's value is
    the list of its ticked options' labels, in the options' order. Plain data, no markup."""
    return {"title": account["title"],
            "sections": [{"heading": s["heading"],
                          "parts": [{**p, "value": _value(p["field"], answers, nodes)} if "field" in p else dict(p)
                                    for p in s["parts"]]}
                         for s in account["sections"]]}
