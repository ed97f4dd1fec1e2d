"""Small builders for hand-written compiled trees (the JSON form of docs/tree-format.md)."""

from __future__ import annotations

RISK = {
    "risk": [
        {"id": "lag", "label": "LÅG"},
        {"id": "mattlig", "label": "MÅTTLIG"},
        {"id": "hog", "label": "HÖG"},
    ]
}


def rules(next_):
    """'target' -> one default rule; [(if, goto), ...] -> rules; None -> []."""
    if next_ is None:
        return []
    if isinstance(next_, str):
        return [{"if": None, "goto": next_}]
    return [{"if": cond, "goto": goto} for cond, goto in next_]


def choice(id_, options, next_=None, title=None):
    opts = []
    for option in options:
        oid, target = option if isinstance(option, tuple) else (option, None)
        entry = {"id": oid, "label": oid.upper()}
        if target is not None:
            entry["next"] = target
        opts.append(entry)
    return {"id": id_, "kind": "choice", "title": title or id_, "text": "", "options": opts,
            "next": rules(next_)}


def checklist(id_, options, next_):
    return {"id": id_, "kind": "checklist", "title": id_, "text": "",
            "options": [{"id": o, "label": o.upper()} for o in options], "next": rules(next_)}


def rating(id_, items, next_, scale="risk"):
    return {"id": id_, "kind": "rating", "title": id_, "text": "", "scale": scale,
            "items": [{"id": i, "label": i.upper()} for i in items], "next": rules(next_)}


def info(id_, next_):
    return {"id": id_, "kind": "info", "title": id_, "text": "Text.", "next": rules(next_)}


def outcome(id_):
    return {"id": id_, "kind": "outcome", "title": id_.upper(), "text": "Lead.", "call": ["larm"],
            "actions": [{"text": "Gör så här.", "contact": None}, {"text": "Ring.", "contact": "larm"}],
            "document": ["Vad hände"], "inform": ["Partiet"]}


def tree(*nodes, start=None, scales=None, id_="test"):
    return {"format": 1, "id": id_, "title": "Test", "description": "", "sources": [],
            "reviewed": "2026-11-22", "acute": [], "start": start or nodes[0]["id"],
            "scales": RISK if scales is None else scales,
            "nodes": {n["id"]: n for n in nodes}}


RISK_RULES = [
    ('atleast(grundfragor, "mattlig") + atleast(fordjupning, "mattlig") >= 4', "overvag-atgarder"),
    ('count(grundfragor, "hog") + count(fordjupning, "hog") >= 3', "overvag-atgarder"),
    (None, "fortsatt-vaksamhet"),
]
GRUND_ITEMS = ["vem", "vad", "hur", "nar", "var"]
FORD_ITEMS = ["plats", "resa", "sallskap"]


def risk_tree(grund_items=GRUND_ITEMS, ford_items=FORD_ITEMS):
    return tree(
        rating("grundfragor", list(grund_items), "fordjupning"),
        rating("fordjupning", list(ford_items), RISK_RULES),
        outcome("overvag-atgarder"),
        outcome("fortsatt-vaksamhet"),
        id_="riskinventering",
    )


def sample_tree():
    """Every node kind; two branches that meet again at `sista`."""
    return tree(
        info("fore-du-borjar", "vad-har-hant"),
        choice("vad-har-hant", [("hot-telefon", "hot-steg"), ("skada", "skador"), ("annat", None)],
               next_="annat-utfall"),
        info("hot-steg", "sista"),
        checklist("skador", ["skadade", "kvar"], [('"skadade" in skador', "ring-112"), (None, "sista")]),
        choice("sista", [("ja", "dokumentera"), ("nej", "dokumentera")]),
        outcome("ring-112"),
        outcome("dokumentera"),
        outcome("annat-utfall"),
        id_="sample",
    )
