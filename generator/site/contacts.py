"""Contacts: one data file of roles and numbers, referenced by key from pages and flows."""

from __future__ import annotations

import re
from pathlib import Path

from generator.problems import Problem, did_you_mean
from generator.site.templates import Templates, around
from generator.yamlsource import KEY_PATTERN, Node, load_data_file

FIELDS = {"name", "phone", "url", "email", "via", "how", "when"}
CHANNELS = ("phone", "url", "email", "via")
# An address alone: no scheme, no spaces, nothing a mailto: URL or HTML would read otherwise.
EMAIL_PATTERN = re.compile(r"^[^@\s<>\"'(),;:?#%&\[\]\\]+@[^@\s<>\"'(),;:?#%&\[\]\\]+\.[A-Za-z]{2,}$")
PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 \-]*[0-9]$")
HTML_PATTERN = re.compile(r"<[A-Za-z/!]")


def tel_uri(phone: str, calling_code: str | None = None) -> str | None:
    """`tel:` URI for a number as written, or None when it has no digits.

    Short numbers stay ("112" -> "tel:112", "114 14" -> "tel:11414"), "+..." and "00..." are
    international; with the site's `calling_code` ("+46"), a national 0xx number gets it in place
    of its 0 ("010-470 55 64" -> "tel:+46104705564"), so it can be called from abroad too; without
    one it stays as written.
    """
    raw = str(phone or "").strip()
    digits = re.sub(r"[^0-9]", "", raw)
    if not digits:
        return None
    if raw.startswith("+"):
        return f"tel:+{digits}"
    if digits.startswith("00"):
        return f"tel:+{digits[2:]}"
    code = re.sub(r"[^0-9]", "", calling_code or "")
    if code and digits.startswith("0") and len(digits) > 6:
        return f"tel:+{code}{digits[1:]}"
    return f"tel:{digits}"


_SAFE_URL = re.compile(r"^(https?:|mailto:|/|\.{0,2}/|#)", re.IGNORECASE)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def safe_url(url: str | None) -> str | None:
    """The URL (whitespace collapsed) when it is safe to link; None for javascript:, data:, ...

    http(s):, mailto:, relative paths and fragments are safe; so is anything without a scheme.
    """
    url = " ".join(str(url or "").split())
    if not url:
        return None
    if _SAFE_URL.match(url) or not _SCHEME.match(url):
        return url
    return None


def web_link(contact: dict) -> tuple[str, str] | None:
    """A contact's address to follow and how it reads: its e-mail address as a mailto: link shown
    as the address, or its web address (when safe) shown without https:// and the last /."""
    if contact.get("email"):
        address = " ".join(str(contact["email"]).split())
        return f"mailto:{address}", address
    url = safe_url(contact.get("url"))
    return (url, re.sub(r"^(https?://|mailto:)|/$", "", url)) if url else None


def tel(contact: dict, css: str = "tel", text: str | None = None) -> dict:
    """A contact's tap-to-call link's context (tryggt/macros.html `tel`): its number as written (or
    `text`), and its tel: URI (`tel_uri`, set as the site's contacts are loaded), or None for a
    number without digits (shown as plain text)."""
    shown = " ".join(str(contact.get("phone") or "").split()) if text is None else text
    return {"css": css, "href": contact.get("tel_uri") or tel_uri(contact.get("phone")), "text": shown}


def load_contacts(path: Path, display: str) -> tuple[dict[str, dict], list[Problem]]:
    """Load and validate the contacts file; returns plain dicts and every problem found."""
    data, problems = load_data_file(path, display, "contacts")
    if problems:
        return {}, problems
    if not isinstance(data, Node):
        return {}, [Problem(display, 1, 1, "the contacts file must be a list of keys, each with a name and a number or web address",
                            "start each contact with its key, for example `nodnummer:`, then `name:` and `phone:` indented below")]
    contacts: dict[str, dict] = {}
    for key, entry in data.items():
        line = data.line_of(key)
        if not KEY_PATTERN.match(key):
            problems.append(Problem(display, line, 1, f'contact key "{key}" must be lowercase ASCII letters, digits and hyphens',
                                    "rename the key, for example `vakt-bolag`"))
        if not isinstance(entry, Node):
            problems.append(Problem(display, line, 1, f'contact "{key}" must have fields (name, and phone, url, email or via)',
                                    "indent `name:` and `phone:` under the key"))
            continue
        for field, value in entry.items():
            field_line = entry.line_of(field)
            if field not in FIELDS:
                problems.append(Problem(display, field_line, 1, f'unknown field "{field}" in contact "{key}"{did_you_mean(field, FIELDS)}',
                                        f"use only: {', '.join(sorted(FIELDS))}"))
            elif not isinstance(value, str):
                problems.append(Problem(display, field_line, 1, f'"{field}" of contact "{key}" must be text',
                                        'put the value in quotes, for example phone: "112"'))
            elif HTML_PATTERN.search(value):
                problems.append(Problem(display, field_line, 1, f'HTML is not allowed in contact "{key}"',
                                        "write plain text; the site adds the links itself"))
        if "name" not in entry:
            problems.append(Problem(display, entry.line, 1, f'contact "{key}" has no name', "add `name:` with the role, for example Säkerhetshandläggaren"))
        reachable = [f for f in CHANNELS if f in entry]
        # `how` alone (in words, where the reader finds the number) is for a base that cannot know it.
        if len(reachable) > 1 or (not reachable and "how" not in entry):
            problems.append(Problem(display, entry.line, 1, f'contact "{key}" needs exactly one of phone, url, email or via',
                                    "give a phone number, a web address, an e-mail address, or `via:` another contact's key "
                                    "(or, until there is one, `how:` saying in words where the reader finds it)"))
        problems += _channel_problems(entry, key, display)
        contacts[key] = {field: entry.get(field) for field in sorted(FIELDS)}
        contacts[key]["line"] = line
    for key, entry in contacts.items():
        via = entry.get("via")
        if via and via not in contacts:
            problems.append(Problem(display, entry["line"], 1, f'contact "{key}" is reached via unknown contact "{via}"{did_you_mean(via, contacts)}',
                                    "name a contact key that exists in this file"))
        elif via and contacts[via].get("via"):
            problems.append(Problem(display, entry["line"], 1, f'contact "{key}" is reached via "{via}", which is itself reached via another contact',
                                    "point `via:` at a contact with a phone number or web address"))
    return contacts, problems


def _channel_problems(entry: Node, key: str, display: str) -> list[Problem]:
    """A contact's number, web address and e-mail address, each as it must be written."""
    problems = []
    phone, url, email = entry.get("phone"), entry.get("url"), entry.get("email")
    if isinstance(phone, str) and not PHONE_PATTERN.match(phone):
        problems.append(Problem(display, entry.line_of("phone"), 1, f'phone number of contact "{key}" is not a number: "{phone}"',
                                "write digits, spaces and hyphens only, for example 010-470 55 64"))
    if isinstance(url, str) and not url.startswith(("https://", "http://", "mailto:")):
        problems.append(Problem(display, entry.line_of("url"), 1, f'web address of contact "{key}" must start with https://',
                                "write the full address, for example https://example.se/"))
    if isinstance(email, str) and not EMAIL_PATTERN.match(email.strip()):
        problems.append(Problem(display, entry.line_of("email"), 1, f'e-mail address of contact "{key}" is not an address: "{email}"',
                                "write the address alone, without mailto:, for example sakerhet@example.se"))
    return problems


def number(contact: dict, contacts: dict[str, dict]) -> dict:
    """A contact's number as tryggt/contacts/number.html shows it: its call link, its web address,
    or the number of the contact it is reached `via`; `how` in words when it has none of them."""
    found = {"tel": None, "url": None, "shown": None, "via": None, "via_name": None, "text": None}
    if contact.get("via"):
        target = contacts[contact["via"]]
        return {**found, "via": number(target, contacts), "via_name": target["name"]}
    if contact.get("phone"):
        return {**found, "tel": tel(contact)}
    link = web_link(contact)
    if link is None:  # no address, or javascript:, data:, ...: never linked, only shown as text
        return {**found, "text": " ".join(str(contact.get("url") or contact.get("how") or "").split())}
    return {**found, "url": link[0], "shown": link[1]}


def number_html(contact: dict, contacts: dict[str, dict], templates: Templates) -> str:
    """The tap-to-call (or web) link of a contact, for [[nummer:KEY]] in a page."""
    return templates.render("contacts/number.html", number=number(contact, contacts))


def contact_html(contact: dict, contacts: dict[str, dict], templates: Templates) -> str:
    """Name and number of a contact, for [[kontakt:KEY]] in a page."""
    return templates.render("contacts/contact.html", contact={"name": contact["name"], "number": number(contact, contacts)})


def contacts_page(contacts: dict[str, dict], emergency: dict | None, text, templates: Templates) -> str:
    """The body of the generated contacts page (tryggt/contacts/page.html): every contact a row."""
    rows = [{"name": c["name"], "number": number(c, contacts), "when": c.get("when") or ""} for c in contacts.values()]
    acute = None
    if emergency:
        before, after = around(text("contacts_acute"), "{number}")
        acute = {"before": before, "number": number(emergency, contacts), "after": after}
    return templates.render("contacts/page.html", t=text.strings, acute=acute, rows=rows)
