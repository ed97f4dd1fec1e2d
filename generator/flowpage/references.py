"""Contacts and references inside a flow: the contexts of tryggt/flow/contact.html and number.html,
and tree texts cut into segments where they hold `[[nummer:KEY]]`, `[[kontakt:KEY]]` or
`[[flode:ID|text]]` (tryggt/macros.html `rich`)."""

from __future__ import annotations

import re
from typing import Any, Optional

from generator.site.contacts import tel, tel_uri, web_link
from generator.language import Text
from generator.trees import ID_RE, REFERENCE_RE, reference_kind

from generator.flowpage.nodes import inline


class Refs:
    """What references in texts point at: the contacts, and the titles of other flows."""

    def __init__(self, contacts: Optional[dict], flows: Optional[dict], text: Text):
        self.contacts = contacts or {}
        self.flows = flows if isinstance(flows, dict) else {}
        self.t = text

    def contact(self, key: str, *, with_when: bool = False) -> dict:
        """One contact: its name and its phone link, web link or 'nås via' (tryggt/flow/contact.html)."""
        contact = self.contacts.get(key)
        found = {"key": key, "missing": not contact, "name": key, "phone": None, "url": None, "email": None,
                 "via": None, "how": None, "when": None}
        if not contact:
            return found
        phone, link, via = contact.get("phone"), web_link(contact), contact.get("via")
        url = link[0] if link else None
        found.update(name=inline(contact.get("name")) or key, phone=tel(contact, "flow-tel") if phone else None,
                     url=None if phone else url, email=link[1] if link and contact.get("email") and not phone else None)
        if via and not phone:
            target = self.contacts.get(via) or {}
            found["via"] = {"words": self.t("contact_reached_via"), "name": inline(target.get("name")) or via,
                            "phone": tel(target, "flow-tel") if target.get("phone") else None,
                            "url": (web_link(target) or (None,))[0]}
        if not (phone or url or via) and contact.get("how"):
            found["how"] = inline(contact["how"])
        if with_when and contact.get("when"):
            found["when"] = inline(contact["when"])
        return found

    def number(self, key: str) -> dict:
        """A contact's number alone (tryggt/flow/number.html): a call link, the address as a web
        link, the number of the contact it is reached via, or in words where to find it."""
        contact = self.contacts.get(key) or {}
        found = {"tel": None, "url": None, "shown": None, "note": None, "text": None}
        via = self.contacts.get(contact.get("via") or "")
        if not contact.get("phone") and not web_link(contact) and via and (via.get("phone") or web_link(via)):
            note = self.t("contact_via_short", name=inline(via.get("name")) or contact.get("via"))
            contact, found["note"] = via, note
        link = web_link(contact)
        if contact.get("phone"):
            found["tel"] = tel(contact, "flow-tel")
        elif link:
            found.update(url=link[0], shown=link[1])
        else:
            found["text"] = inline(contact.get("how")) or inline(contact.get("name")) or key
        return found

    def acute(self, key: str) -> dict:
        """A contact of the acute box: a call link with its name, or its web link."""
        contact = self.contacts.get(key) or {}
        calls = contact if contact.get("phone") else self.contacts.get(contact.get("via") or "") or {}
        phone = calls.get("phone")
        call = tel(calls, "flow-acute-call", self.t("call_number", number=inline(phone))) if phone and tel_uri(phone) else None
        return {"name": inline(contact.get("name")) or key, "call": call, "url": None if call else (web_link(contact) or (None,))[0]}

    def segments(self, text: Any) -> list[dict]:
        """One line of tree text, cut where its references are. A reference that cannot be
        resolved (an unknown key: the check reports it) stays as text."""
        text = inline(text)
        out, last = [], 0
        for match in REFERENCE_RE.finditer(text):
            out.append({"kind": "text", "text": text[last:match.start()]})
            out.append(self._reference(match))
            last = match.end()
        out.append({"kind": "text", "text": text[last:]})
        return [segment for segment in out if segment["kind"] != "text" or segment["text"]]

    def _reference(self, match: re.Match) -> dict:
        kind, key, label = reference_kind(match.group(1)), match.group(2), match.group(3)
        if kind == "number" and key in self.contacts:
            return {"kind": "number", "number": self.number(key)}
        if kind == "contact" and key in self.contacts:
            return {"kind": "contact", "contact": self.contact(key)}
        if kind == "flow" and key in self.flows and ID_RE.match(key):
            return {"kind": "flow", "href": f"{key}.html", "text": inline(label) or inline(self.flows[key]) or key}
        return {"kind": "text", "text": match.group(0)}

    def paragraphs(self, text: Any) -> list[list[dict]]:
        """Plain text as paragraphs (separated by blank lines), each cut into segments."""
        if not text:
            return []
        return [self.segments(para) for para in re.split(r"\n\s*\n", str(text)) if inline(para)]
