"""The generator names nothing of this handbook: its pages, flows, contacts, sources and terms are the
first site's content, reached only through the documented settings (docs/installningar.md)."""

from __future__ import annotations

import io
import keyword
import json
import re
import tokenize
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


def vocabulary_words(code: str) -> set[str]:
    """Every word of a language's vocabulary (generator/languages/<code>.json, "vocabulary")."""
    found: set[str] = set()

    def walk(value):
        if isinstance(value, str):
            found.update(re.findall(r"[^\W\d_]+", value.lower()))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(json.loads((REPO / "generator" / "languages" / f"{code}.json").read_text(encoding="utf-8"))["vocabulary"])
    return found


def code_without_comments(path: Path) -> str:
    """What a file says to the machine: Python's names and strings but its docstrings, the others'
    text without their comments."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".py":
        for pattern in (r"/\*.*?\*/", r"\{#.*?#\}", r"<!--.*?-->", r"(?<![:\"'\\])//[^\n]*"):
            text = re.sub(pattern, " ", text, flags=re.S)
        return text
    kept, previous = [], tokenize.NEWLINE
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        docstring = token.type == tokenize.STRING and previous in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT)
        if token.type == tokenize.STRING and not docstring or token.type == tokenize.NAME and not keyword.iskeyword(token.string):
            kept.append(token.string)
        if token.type not in (tokenize.NL, tokenize.COMMENT):
            previous = token.type
    return "\n".join(kept)


def swedish_vocabulary_in(text: str, words: set[str]) -> list[str]:
    return sorted(word for word in words if re.search(rf"(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])", text, re.I))


def test_the_generator_speaks_no_language_of_its_own():
    """The words that become a site's addresses, ids, file names and references, and the verbs its
    check reads, are the language file's: none of Swedish's that English does not share is in code."""
    words = vocabulary_words("sv") - vocabulary_words("en")
    found = [f"{path.relative_to(REPO)}: {', '.join(hits)}" for path in PACKAGED
             if (hits := swedish_vocabulary_in(code_without_comments(path), words))]
    assert found == []


def test_the_vocabulary_check_sees_a_word_in_code(tmp_path):
    words = vocabulary_words("sv") - vocabulary_words("en")
    assert {"floden", "steg", "utfall", "nummer", "kontakt", "polisanmäl"} <= words
    code = tmp_path / "example.py"
    code.write_text('"""Links go to floden/ID.md."""\n# steg- is the prefix\nPREFIX = f"steg-{node}"\n', encoding="utf-8")
    assert swedish_vocabulary_in(code_without_comments(code), words) == ["steg"]
    script = tmp_path / "example.js"
    script.write_text('/* utfall */ const id = `fel-rubrik-${node}`; // nummer\n', encoding="utf-8")
    assert swedish_vocabulary_in(code_without_comments(script), words) == ["rubrik"]
