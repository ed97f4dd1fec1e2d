"""Shared pieces of the tree tests: the repository root, the keys of contacts and sources, the terms."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
BROKEN = Path(__file__).resolve().parent / "broken"
DEFAULT_TREES = ["dokumentera-handelsen", "efter-en-handelse", "infor-mote", "riskinventering", "vad-gor-jag-nu"]


def _keys(name: str) -> set[str]:
    with open(ROOT / "content" / name, encoding="utf-8") as handle:
        return set(yaml.safe_load(handle))


CONTACTS = _keys("kontakter.yml")
SOURCES = _keys("kallor.yml")
# The handbook's terms ([[term:KEY]] in its trees), key -> text, as the site passes them to load_tree.
with open(ROOT / "content" / "termer.yml", encoding="utf-8") as _handle:
    TERMS = {key: str(value) for key, value in yaml.safe_load(_handle).items()}


def phone_numbers() -> list[str]:
    with open(ROOT / "content" / "kontakter.yml", encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return [str(entry["phone"]) for entry in data.values() if isinstance(entry, dict) and entry.get("phone")]
