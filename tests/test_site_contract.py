"""The generator names nothing of this handbook: its pages, flows, contacts, sources and terms are the
first site's content, reached only through the documented settings (docs/installningar.md)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
# What the package carries to every site: the code, its scripts and styles, and the theme.
# The starters (generator/newsite/starter/) are content of a new site, not code, and are left out.
PACKAGED = [p for p in [*(REPO / "generator").rglob("*"), *(REPO / "theme").rglob("*")]
            if p.is_file() and p.suffix in {".py", ".mjs", ".js", ".css", ".html"}
            and "starter" not in p.relative_to(REPO).parts and "__pycache__" not in p.parts]


def handbook_names() -> dict[str, set[str]]:
    content = REPO / "content"
    pages = {p.relative_to(content).as_posix() for p in content.rglob("*.md")} - {"index.md"}
    sections = {p.split("/")[0] for p in pages if "/" in p}
    return {
        "page": {p for p in pages if not p.endswith("/index.md")} | {p.removesuffix(".md") + ".html" for p in pages},
        "flow": {p.stem for p in (REPO / "decision_trees").glob("*.yml")},
        "contact": set(yaml.safe_load((content / "kontakter.yml").read_text(encoding="utf-8"))),
        "source": set(yaml.safe_load((content / "kallor.yml").read_text(encoding="utf-8"))),
        "term": set(yaml.safe_load((content / "termer.yml").read_text(encoding="utf-8"))),
        "section": {s + "/" for s in sections},
    }


def mentions(text: str, name: str) -> bool:
    # As code would name it: a whole word that is not part of a longer id or Swedish word.
    return re.search(rf"(?<![\w/.-]){re.escape(name)}(?![\w-])", text) is not None


def test_nothing_of_this_handbook_is_named_in_the_generator():
    found = []
    for path in PACKAGED:
        text = path.read_text(encoding="utf-8")
        for kind, names in handbook_names().items():
            found += [f"{path.relative_to(REPO)}: {kind} {name}" for name in sorted(names) if mentions(text, name)]
    assert found == []


def test_the_check_sees_a_name_in_code():
    assert mentions('pages = ["akut.md"]', "akut.md")
    assert mentions("contacts.get('larm')", "larm")
    assert not mentions("larmnumret", "larm") and not mentions("Larma", "larm")
