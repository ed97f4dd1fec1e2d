"""The reader's interface in the site's language: one file of strings per language (languages/).

Chosen by Material's `theme.language`. Every string a reader sees that the generator writes
(the strip, the quick exit, the contacts page, the sources, the flows' controls, the PDFs) comes
from here; a site's own words are in its content. `handbok check`'s messages are for publishers
and stay in English.

Each file also holds the site's vocabulary (`"vocabulary"`): the words that become addresses,
ids and file names, the reference words of pages and trees, the verbs that ask a reader to call,
and how search treats compounds. The generator's code names none of them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

LANGUAGES_DIR = Path(__file__).resolve().parent / "languages"
# Material's own default when `theme.language` is not set; the one default of the generator.
DEFAULT = "en"


class UnknownLanguage(ValueError):
    """A language without a file in languages/; the message names the ones there are."""


def available() -> list[str]:
    return sorted(p.stem for p in LANGUAGES_DIR.glob("*.json"))


@lru_cache(maxsize=None)
def _language_file(code: str) -> dict:
    path = LANGUAGES_DIR / f"{code}.json"
    if not path.is_file():
        raise UnknownLanguage(f'no language file for "{code}": theme.language takes one of {", ".join(available())}')
    return json.loads(path.read_text(encoding="utf-8"))


def strings(code: str) -> dict[str, str]:
    """The reader's strings of a language."""
    return {key: value for key, value in _language_file(code).items() if key != "vocabulary"}


@dataclass(frozen=True)
class Vocabulary:
    """The words of one language that become names: of folders, pages, files, ids and references."""

    flows_folder: str
    contacts_page: str
    contacts_file: str
    sources_file: str
    terms_file: str
    ids: dict[str, str]
    references: dict[str, str]   # the kind (number, contact, flow, answer, term, chart) -> its word
    requests: dict[str, list[str]]  # what a word asks the reader to do (call, report, ...) -> its forms
    negations: list[str]
    split_compounds: bool

    @property
    def contacts_page_path(self) -> str:
        return f"{self.contacts_page}.md"

    def flow_page(self, flow_id: str) -> str:
        return f"{self.flows_folder}/{flow_id}.md"

    def node_id(self, kind: str, node_id: str) -> str:
        """The HTML id of a node's part: its step, outcome, heading or rules section."""
        return f"{self.ids[kind]}-{node_id}"

    @cached_property
    def request_re(self) -> re.Pattern:
        """A word that asks the reader to call or report, unless a negation follows ("Ring inga andra samtal")."""
        forms = sorted({form for words in self.requests.values() for form in words}, key=len, reverse=True)
        negation = "|".join(map(re.escape, self.negations))
        return re.compile(rf"\b({'|'.join(map(re.escape, forms))})\b(?!\s+(?:{negation})\b)", re.IGNORECASE)

    def request_kind(self, word: str) -> str:
        return next(kind for kind, words in self.requests.items() if word.lower() in words)


def vocabulary(code: str) -> Vocabulary:
    return Vocabulary(**_language_file(code)["vocabulary"])


@lru_cache(maxsize=None)
def reference_kinds() -> dict[str, str]:
    """Every language's reference word -> its kind: a page or tree may use the words of any language
    (`[[nummer:KEY]]` and `[[number:KEY]]` alike), so a site keeps working when its language changes."""
    kinds: dict[str, str] = {}
    for code in available():
        for kind, word in vocabulary(code).references.items():
            kinds.setdefault(word, kind)
    return kinds


def reference_word(kind: str, code: str) -> str:
    return vocabulary(code).references[kind]


class Text:
    """t("key", name=value): the string with its {placeholders} filled; `words`, the vocabulary."""

    def __init__(self, code: str):
        self.code = code
        self.strings = strings(code)
        self.words = vocabulary(code)

    def __call__(self, key: str, **values: object) -> str:
        text = self.strings[key]
        return text.format(**values) if values else text

    def date(self, day) -> str:
        months = self.strings["months"].split()
        return f"{day.day} {months[day.month - 1]} {day.year}"
