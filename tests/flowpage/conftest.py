"""A hand-written compiled tree with every node kind, and contacts like content/kontakter.yml."""

from __future__ import annotations

import copy

import pytest
from generator.site.contacts import tel_uri

CONTACTS = {
    "larm": {"name": "SOS Alarm", "phone": "112", "url": None, "via": None, "when": "Akut fara."},
    "polisen": {"name": "Polisen", "phone": "114 14", "url": None, "via": None, "when": "Inte akut."},
    "vaktbolag": {"name": "Vaktbolaget", "phone": "010-470 55 64", "url": None, "via": None, "when": None},
    "vaxel": {"name": "Organisationens växel", "phone": "016-10 30 00", "url": None, "via": None, "when": None},
    "sakerhetshandlaggare": {"name": "Säkerhetshandläggaren", "phone": None, "url": None, "via": "vaxel",
                             "when": "Råd och stöd."},
    "rapportwebb": {"name": "Samverkanswebben", "phone": None, "url": "https://samverkan.example.se/",
                    "via": None, "when": None},
}

RISK = [{"id": "lag", "label": "LÅG"}, {"id": "mattlig", "label": "MÅTTLIG"}, {"id": "hog", "label": "HÖG"}]

TREE = {
    "format": 1,
    "id": "provflode",
    "title": "Ett provflöde med alla sorters steg",
    "description": "",
    "sources": [],
    "reviewed": "2026-01-01",
    "acute": ["larm"],
    "start": "fore-du-borjar",
    "scales": {"risk": RISK},
    "nodes": {
        "fore-du-borjar": {
            "id": "fore-du-borjar", "kind": "info", "title": "Innan du börjar",
            "text": "Det här är en självskattning.\n\nDen ersätter inte polisens riskanalys.",
            "next": [{"if": None, "goto": "vad-har-hant"}],
        },
        "vad-har-hant": {
            "id": "vad-har-hant", "kind": "choice", "title": "Vad har hänt?", "text": "",
            "options": [
                {"id": "vald", "label": "Någon skadar människor just nu", "next": "fly"},
                {"id": "skadad", "label": "Någon är skadad", "next": "skador"},
                {"id": "mote", "label": "Jag ska på ett möte", "next": "grundfragor"},
            ],
            "next": [],
        },
        "skador": {
            "id": "skador", "kind": "checklist", "title": "Vad stämmer?", "text": "",
            "options": [
                {"id": "skadade", "label": "Någon är skadad"},
                {"id": "kvar", "label": "Gärningspersonen är kvar"},
            ],
            "next": [
                {"if": '"skadade" in skador or "kvar" in skador', "goto": "ring-112"},
                {"if": "count(skador) >= 1", "goto": "ring-112"},
                {"goto": "dokumentera", "if": None},
            ],
        },
        "grundfragor": {
            "id": "grundfragor", "kind": "rating", "title": "VEM, VAD och VAR", "text": "Bedöm varje fråga.",
            "scale": "risk",
            "items": [{"id": "vem", "label": "VEM ska jag träffa?"}, {"id": "vad", "label": "VAD ska jag göra?"}],
            "next": [{"if": None, "goto": "fordjupning"}],
        },
        "fordjupning": {
            "id": "fordjupning", "kind": "rating", "title": "Fördjupning", "text": "",
            "scale": "risk",
            "items": [{"id": "hur", "label": "HUR tar jag mig dit?"}, {"id": "nar", "label": "NÄR sker det?"},
                      {"id": "var", "label": "VAR är det?"}],
            "next": [
                {"if": 'atleast(grundfragor, "mattlig") + atleast(fordjupning, "mattlig") >= 4', "goto": "overvag"},
                {"if": 'count(grundfragor, "hog") + count(fordjupning, "hog") >= 3', "goto": "overvag"},
                {"if": None, "goto": "vaksam"},
            ],
        },
        "fly": {
            "id": "fly", "kind": "outcome", "title": "Fly, sök skydd, larma", "text": "Tänk på din egen säkerhet.",
            "call": ["larm"],
            "actions": [{"text": "FLY om du kan.", "contact": None},
                        {"text": "Ring 112 när du är i säkerhet.", "contact": "larm"}],
            "document": ["Vad hände, när och var"], "inform": ["Säkerhetshandläggaren"],
        },
        "ring-112": {
            "id": "ring-112", "kind": "outcome", "title": "Ring 112", "text": "",
            "call": ["larm", "vaktbolag"],
            "actions": [{"text": "Ge första hjälpen.", "contact": None}],
            "document": [], "inform": [],
        },
        "dokumentera": {
            "id": "dokumentera", "kind": "outcome", "title": "Dokumentera och anmäl", "text": "",
            "call": ["polisen"],
            "actions": [{"text": "Anmäl till polisen.", "contact": "polisen"},
                        {"text": "Rapportera till organisationen.", "contact": "rapportwebb"},
                        {"text": "Prata med säkerhetshandläggaren.", "contact": "sakerhetshandlaggare"}],
            "document": ["Vad som hände före", "Vad som hände under"], "inform": ["Partiet"],
        },
        "overvag": {
            "id": "overvag", "kind": "outcome", "title": "Överväg åtgärder", "text": "",
            "call": ["vaxel"], "actions": [{"text": "Prata med partiet.", "contact": None}],
            "document": [], "inform": [],
        },
        "vaksam": {
            "id": "vaksam", "kind": "outcome", "title": "Fortsatt vaksamhet", "text": "",
            "call": [], "actions": [{"text": "Var uppmärksam.", "contact": None}],
            "document": [], "inform": [],
        },
    },
}


@pytest.fixture
def tree() -> dict:
    return copy.deepcopy(TREE)


@pytest.fixture
def contacts() -> dict:
    """The contacts as a Swedish site loads them: each with its call link (calling_code "+46")."""
    loaded = copy.deepcopy(CONTACTS)
    for contact in loaded.values():
        contact["tel_uri"] = tel_uri(contact.get("phone"), "+46")
    return loaded
