"""The reader's interface in the site's language: one file of strings per language (languages/).

Chosen by Material's `theme.language`. Every string a reader sees that the generator writes
(the strip, the quick exit, the contacts page, the sources, the flows' controls, the PDFs) comes
from here; a site's own words are in its content. `handbok check`'s messages are for publishers
and stay in English.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

LANGUAGES_DIR = Path(__file__).resolve().parent / "languages"
FALLBACK = "en"


def available() -> list[str]:
    return sorted(p.stem for p in LANGUAGES_DIR.glob("*.json"))


@lru_cache(maxsize=None)
def strings(code: str) -> dict[str, str]:
    """The strings of a language (the fallback's for a language without a file)."""
    path = LANGUAGES_DIR / f"{code}.json"
    if not path.is_file():
        path = LANGUAGES_DIR / f"{FALLBACK}.json"
    return json.loads(path.read_text(encoding="utf-8"))


class Text:
    """t("key", name=value): the string with its {placeholders} filled."""

    def __init__(self, code: str):
        self.code = code
        self.strings = strings(code)

    def __call__(self, key: str, **values: object) -> str:
        text = self.strings[key]
        return text.format(**values) if values else text

    def date(self, day) -> str:
        months = self.strings["months"].split()
        return f"{day.day} {months[day.month - 1]} {day.year}"
