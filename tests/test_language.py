"""The reader's interface in two languages: the files agree key for key, and a site in English
shows none of the Swedish interface."""

from __future__ import annotations

import json
import re
import string
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator import cli
from generator.language import LANGUAGES_DIR

REPO = Path(__file__).resolve().parents[1]


def language(code: str) -> dict[str, str]:
    return json.loads((LANGUAGES_DIR / f"{code}.json").read_text(encoding="utf-8"))


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_swedish_and_english_have_the_same_keys_and_placeholders():
    sv, en = language("sv"), language("en")
    assert set(sv) == set(en)
    for key in sv:
        assert sv[key].strip() and en[key].strip(), key
        assert placeholders(sv[key]) == placeholders(en[key]), key
    assert len(sv["months"].split()) == len(en["months"].split()) == 12


class _Visible(HTMLParser):
    """The text a reader sees or hears: text outside script and style, and the attributes read aloud."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        for name, value in attrs:
            if name in ("aria-label", "title", "alt", "placeholder") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


@pytest.fixture(scope="module")
def english_site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("english") / "site-en"
    assert cli.main(["init", str(folder), "--language", "en", "--no-runtime"]) == 0
    (folder / "node_modules").symlink_to(REPO / "node_modules")  # this repository's pinned Pyodide
    assert cli.main(["--root", str(folder), "build"]) == 0
    return folder / "site"


def test_an_english_site_shows_no_swedish_interface(english_site):
    swedish = {value for key, value in language("sv").items() if value != language("en")[key] and key not in ("lang", "months")}
    words = [w for w in (re.split(r"\{[a-z]+\}", value) for value in swedish) for w in w if len(w.strip()) > 3]
    found = []
    for page in sorted(english_site.rglob("*.html")):
        parser = _Visible()
        parser.feed(page.read_text(encoding="utf-8"))
        text = " ".join(" ".join(parser.parts).split())
        found += [f"{page.relative_to(english_site)}: {w.strip()!r}" for w in words if w.strip() in text]
    assert found == []


def test_the_english_handbook_pdf_prints_its_labels_in_english(english_site):
    """The words the print stylesheet adds (a step's prefix, an option's pointer to its rules)
    come from the language file: an English handbook has "Step:", never "Steg:" or "Utfall:"."""
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(english_site / "handbok.pdf").pages)
    assert "Step:" in text
    for swedish in ("Steg:", "Utfall", "se reglerna nedan", "Sida "):
        assert swedish not in text, swedish
