"""The checks of a tree's texts: no markup, known references, and requests that show a contact."""

from __future__ import annotations

from typing import Any

from generator import language
from generator.problems import did_you_mean
from generator.yamlsource import Node, NodeList
from generator.trees.format import CONTACT_KINDS, HTML_RE, REFERENCE_RE, pos_item, pos_value, reference_fix, reference_kind, type_name
from generator.trees.state import CheckState, a_list, a_text, check_reference, keys


def check_html(state: CheckState, where: tuple[int, int], text: str) -> None:
    if HTML_RE.search(text):
        state.error(where, "HTML is not allowed in tree texts",
                    "write plain text; remove the tags (texts are shown exactly as written, "
                    "so a tag would appear as text)")


def checked_text(state: CheckState, mapping: Node, key: str, what: str, required: bool = False, references: bool = False) -> str:
    """A plain text value ('' when absent or wrong), checked for type, HTML and references
    (allowed only with `references`: titles, labels and descriptions are plain text)."""
    if key not in mapping:
        return ""
    value = mapping[key]
    where = pos_value(mapping, key)
    if not isinstance(value, str):
        state.error(where, f'"{key}" of {what} must be text, not {type_name(value)}',
                    f'write the text after "{key}:", in quotes if it contains a colon or starts with a special character')
        return ""
    if required and not value.strip():
        state.error(where, f'"{key}" of {what} is empty', f'write a text after "{key}:"')
    check_html(state, where, value)
    check_references(state, where, value, f'"{key}" of {what}', allowed=references)
    return value


def item_text(state: CheckState, items: NodeList, index: int, what: str) -> str:
    """An entry of a list of texts (actions, steps, document, inform): references allowed."""
    value = items[index]
    where = pos_item(items, index)
    if not isinstance(value, str):
        state.error(where, f"{what} must be text, not {type_name(value)}",
                    "write the text on the line, in quotes if it contains a colon")
        return ""
    if not value.strip():
        state.error(where, f"{what} is empty", "write a text or remove the line")
    check_html(state, where, value)
    check_references(state, where, value, what, allowed=True)
    return value


def check_references(state: CheckState, where: tuple[int, int], text: str, what: str, allowed: bool) -> None:
    """Every [[kind:key]] in a text: a known kind, a contact or flow that exists."""
    for match in REFERENCE_RE.finditer(text):
        place = _position_in(where, text, match.start())
        written, key, label = match.group(1), match.group(2), match.group(3)
        kind = reference_kind(written)
        flow_word = state.words.references["flow"]
        shown = shorten(match.group(0), 60)
        if not allowed:
            state.error(place, f"the reference {shown} cannot stand in {what}: titles, answers and "
                        "descriptions are shown as plain text (in links, in the list of answers and in the page's title)",
                        "write the number or link in the step's text, or give the action a contact (contact: KEY)")
        elif kind is None:
            known = [word for word, found in language.reference_kinds().items() if reference_kind(word)] + ["term"]
            state.error(place, f'unknown reference "[[{written}:...]]" in {what}{did_you_mean(written, known)}',
                        reference_fix(state.words, state.files))
        elif kind in CONTACT_KINDS:
            check_reference(state, place, key, state.contacts, "contact")
            if label is not None:
                state.error(place, f"the reference {shown} in {what} has a link text after \"|\", which only "
                            f"[[{flow_word}:...]] takes", f"write [[{written}:{key}]]: the site shows the number or address itself")
        elif key == state.stem:
            state.error(place, f"the reference {shown} in {what} leads to this flow itself",
                        "link to another flow, or remove the reference")
        elif key not in state.flow_ids:
            state.error(place, f'the reference {shown} in {what} names the flow "{key}", which does not exist'
                        f"{did_you_mean(key, state.flow_ids)}",
                        "use the id of another flow (its file name without .yml)")
        else:
            if label is not None and not label.strip():
                state.error(place, f'the link text after "|" in {shown} ({what}) is empty',
                            f"write the link text after \"|\", or write [[{written}:{key}]] to show the flow's title")
            state.linked_flows[key] = None
    rest = REFERENCE_RE.sub("", text)
    if "[[" in rest or "]]" in rest:
        offset = text.find("[[") if "[[" in rest else text.find("]]")
        state.error(_position_in(where, text, max(offset, 0)), f"a reference in {what} cannot be read",
                    reference_fix(state.words, state.files) + "; no spaces inside the brackets")


def check_actions(state: CheckState, node: Node, what: str, node_id: str | None = None) -> list[dict]:
    actions = a_list(state, node, "actions", what)
    if actions is None:
        return []
    if not actions:
        state.error(pos_value(node, "actions"), f"the outcome {what} has no actions",
                    "list at least one thing the reader should do under \"actions:\"")
    result: list[dict] = []
    for index, action in enumerate(actions):
        action_what = f"action {index + 1} of {what}"
        if node_id is not None:
            state.places[(node_id, index)] = pos_item(actions, index)
        if isinstance(action, Node):
            keys(state, action, ("text",), ("contact", "steps", "if"), action_what)
            words = checked_text(state, action, "text", action_what, required=True, references=True)
            condition = a_text(state, action, "if", f"the condition of {action_what} must be text",
                               "write the condition in single quotes, for example: if: '\"polisanmalt\" not in redan-gjort'")
            if condition is not None:
                state.action_conditions.append((pos_value(action, "if"), condition))
            # One instruction per line for a reader under stress: an action may carry its own steps.
            steps = text_list(state, action, "steps", action_what)
            contact = a_text(state, action, "contact", f'"contact" of {action_what} must be a contact key',
                             f"write the key of a contact from {state.files.get('contact', 'the contacts file')}")
            if contact is not None:
                check_reference(state, pos_value(action, "contact"), contact, state.contacts, "contact")
            result.append({"text": words, "contact": contact, "steps": steps, "if": condition})
        else:
            result.append({"text": item_text(state, actions, index, action_what), "contact": None, "steps": [],
                           "if": None})
    return result


def text_list(state: CheckState, node: Node, key: str, what: str) -> list[str]:
    items = a_list(state, node, key, what)
    if items is None:
        return []
    return [item_text(state, items, index, f'entry {index + 1} of "{key}" in {what}') for index in range(len(items))]


def requests_without_contact(state: CheckState, compiled: dict) -> None:
    """Warn about a step or action whose words ask the reader to call or report (the site's
    language's `requests`, vocabulary) and that shows no number or address.

    A step shows one when its text holds a number or contact reference; an action when it
    has `contact:` or such a reference in its text or steps; an outcome's title and lead text
    when the outcome has `call:` or any contact in its text or actions. A warning, not an
    error: words alone cannot tell a request from a description."""
    number, contact, contacts_file = (state.words.references["number"], state.words.references["contact"],
                                      state.files.get("contact", "the contacts file"))
    for node_id, node in compiled["nodes"].items():
        kind = node.get("kind")
        own = [node.get("title") or "", node.get("text") or ""]
        if kind == "outcome":
            actions = node.get("actions") or []
            given = bool(node.get("call")) or _has_contact(node.get("text") or "") or any(
                a.get("contact") or any(_has_contact(t) for t in [a.get("text") or ""] + list(a.get("steps") or []))
                for a in actions)
            _warn_request(state, own, given, node_id, f'the outcome "{node_id}"',
                          f'add "call: [KEY]" to the outcome, or write [[{number}:KEY]] in its text')
            for index, action in enumerate(actions):
                texts = [action.get("text") or ""] + list(action.get("steps") or [])
                given = bool(action.get("contact")) or any(_has_contact(t) for t in texts)
                _warn_request(state, texts, given, (node_id, index), f'action {index + 1} of the outcome "{node_id}"',
                              f'add "contact: KEY" to the action (a key of {contacts_file}), '
                              f"or write [[{number}:KEY]] or [[{contact}:KEY]] in its text")
        else:
            _warn_request(state, own, _has_contact(node.get("text") or ""), node_id, f'the step "{node_id}"',
                          f"write the number or address into the step's text with [[{number}:KEY]] or "
                          f"[[{contact}:KEY]] (a key of {contacts_file})")


def _warn_request(state: CheckState, texts: list[str], given: bool, place: Any, what: str, fix: str) -> None:
    if given:
        return
    for index, text in enumerate(texts):
        found = state.words.request_re.search(text)
        if not found:
            continue
        if isinstance(place, tuple):
            where = state.places.get(place)
        else:  # a node: its title (index 0) or its text (1), on the line of the word
            where = state.places.get((place, "text" if index else "title"))
            where = _position_in(where, text, found.start()) if where else None
        where = where or state.node_lines.get(place if isinstance(place, str) else place[0], (1, 1))
        state.warning(where,
                      f'{what} asks the reader to {state.words.request_kind(found.group(1))} ("{found.group(1)}") '
                      "but shows no number or address",
                      fix + "; a contact without a number can say in words where to find it (how:)")
        return


def contacts_used(compiled: dict) -> set[str]:
    """Every contact key a compiled tree uses: `acute`, `call`, actions' `contact`, and the
    number and contact references in its texts (for the check of unused contacts)."""
    used = set(compiled.get("acute") or [])
    for node in compiled.get("nodes", {}).values():
        used.update(node.get("call") or [])
        texts = [node.get("text") or ""] + list(node.get("document") or []) + list(node.get("inform") or [])
        for action in node.get("actions") or []:
            if action.get("contact"):
                used.add(action["contact"])
            texts += [action.get("text") or ""] + list(action.get("steps") or [])
        for text in texts:
            used.update(m.group(2) for m in REFERENCE_RE.finditer(text) if reference_kind(m.group(1)) in CONTACT_KINDS)
    return used


def _has_contact(text: str) -> bool:
    """True when a text holds a number or contact reference."""
    return any(reference_kind(m.group(1)) in CONTACT_KINDS for m in REFERENCE_RE.finditer(text))


def _position_in(where: tuple[int, int], text: str, offset: int) -> tuple[int, int]:
    """Where a piece of a text value stands: on the value's line, or for a block of several
    lines (text: |-) on the line below the value's start plus the newlines before the piece."""
    if "\n" not in text:
        return where
    return where[0] + 1 + text.count("\n", 0, offset), where[1]


def shorten(text: str, limit: int = 80) -> str:
    """A condition as quoted in a message: a hostile one can be hundreds of characters long."""
    return text if len(text) <= limit else text[:limit - 3] + "..."
