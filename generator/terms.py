"""Terms: the names that differ between organisations (a role, a reporting channel, the
organisation itself), kept in one data file merged by key like the contacts, and written into
pages and tree texts as `[[term:KEY]]`.

A term is written in the file as it stands in the middle of a sentence (a role in its definite form, say);
`[[Term:KEY]]`, with a capital T, gives it with its first letter in upper case, for the start of
a sentence or a list item. A term is plain text: it may not hold markup, references or line
breaks, so that it reads the same in a page, a flow, a title and the PDF.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Mapping

from generator.problems import Problem, did_you_mean
from generator.yamlsource import KEY_PATTERN, Node, NodeList, load_data_file

TERM = re.compile(r"\[\[([Tt]erm):([^\[\]\s|]*)\]\]")
KINDS = ("term", "Term")
# What Markdown or HTML would read as markup, or a reference would start with: never in a term.
MARKUP = re.compile(r"[<>\[\]`*_\\|{}]")


def load_terms(path: Path, display: str) -> tuple[dict[str, dict], list[Problem]]:
    """The terms of one file (key -> {text, line}) and every problem found in it."""
    data, problems = load_data_file(path, display, "terms")
    if problems or data is None:
        return {}, problems
    if not isinstance(data, Node):
        return {}, [Problem(display, 1, 1, "the terms file must list keys, each with its text",
                            "write one term per line: its key, a colon, and the name as it stands mid-sentence")]
    terms: dict[str, dict] = {}
    for key, value in data.items():
        line, column = data.key_positions[key]
        value_line, value_column = data.value_positions[key]
        if not KEY_PATTERN.match(key):
            problems.append(Problem(display, line, column, f'term key "{key}" must be lowercase ASCII letters, digits and hyphens',
                                    "rename the key, for example `roll` or `rapport-kanal`"))
            continue
        problem = _text_problem(key, value)
        if problem:
            problems.append(Problem(display, value_line, value_column, *problem))
            continue
        terms[key] = {"text": " ".join(value.split()), "line": line}
    return terms, problems


def _text_problem(key: str, value) -> tuple[str, str] | None:
    if not isinstance(value, str) or not value.strip():
        return (f'term "{key}" must be text', f'write the name after "{key}:", as it stands in the middle of a sentence')
    if "\n" in value.strip():
        return (f'term "{key}" runs over more than one line', "write the term on one line")
    if MARKUP.search(value):
        return (f'term "{key}" holds "{MARKUP.search(value).group(0)}": a term is plain text',
                "write the name without < > [ ] ` * _ \\ | { }; the page around it carries any bold or link")
    return None


def expand(text: str, terms: Mapping[str, str]) -> str:
    """`text` with each [[term:KEY]] of a known term replaced by its text ([[Term:KEY]]: with the
    first letter in upper case); an unknown one stays as written (the check reports it)."""
    def replace(match: re.Match) -> str:
        value = terms.get(match.group(2))
        if value is None:
            return match.group(0)
        return value[:1].upper() + value[1:] if match.group(1) == "Term" else value

    return TERM.sub(replace, text) if "[[" in text else text


def unknown_problem(display: str, line: int, column: int, key: str, known: Iterable[str], terms_file: str) -> Problem:
    return Problem(display, line, column, f'unknown term "{key}"{did_you_mean(key, known)}',
                   f"use a key of {terms_file}, or add the term there (`{key}: the name as it stands mid-sentence`)")


def expand_tree(data, terms: Mapping[str, str], display: str, text: str, terms_file: str) -> list[Problem]:
    """Replace the terms in every text of a parsed tree file, in place; an unknown term is an
    error where it stands in `text` (the file as written) and is replaced by its key."""
    unknown: dict[str, None] = {}

    def walk(value):
        if isinstance(value, str):
            for match in TERM.finditer(value):
                if match.group(2) not in terms:
                    unknown[match.group(2)] = None
            return TERM.sub(lambda m: m.group(2), expand(value, terms)) if "[[" in value else value
        if isinstance(value, Node):
            for key in list(value):
                value[key] = walk(value[key])
        elif isinstance(value, NodeList):
            for index, item in enumerate(value):
                value[index] = walk(item)
        return value

    walk(data)
    problems, placed = [], set()
    for match in TERM.finditer(text):
        if match.group(2) in unknown:
            line = text.count("\n", 0, match.start()) + 1
            column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
            problems.append(unknown_problem(display, line, column, match.group(2), terms, terms_file))
            placed.add(match.group(2))
    # Written otherwise than it reads (with escapes in a quoted string): at the top of the file.
    problems += [unknown_problem(display, 1, 1, key, terms, terms_file) for key in unknown if key not in placed]
    return problems


def used_in(path: Path) -> set[str]:
    """The keys of the terms a file refers to (for the notes on terms a local site inherits)."""
    try:
        return {match.group(2) for match in TERM.finditer(path.read_text(encoding="utf-8"))}
    except (OSError, UnicodeDecodeError):
        return set()


def inherited_notes(terms: Mapping[str, dict], own_file: str, uses: Mapping[str, set[str]]) -> list[Problem]:
    """For a local site: a note at each term of its base that it does not set itself and that one
    of its pages or flows uses (doc path -> keys), naming them."""
    notes = []
    for key, term in sorted(terms.items()):
        users = sorted(doc for doc, keys in uses.items() if key in keys)
        if term["file"] == own_file or not users:
            continue
        notes.append(Problem(term["file"], term["line"], 1,
                             f'term "{key}" ("{term["text"]}") comes from the base, and this site does not set it '
                             f"(add `{key}: ...` to {own_file} if it calls it otherwise); used on {', '.join(users)}",
                             "", "note"))
    return notes
