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
from generator.language import LANGUAGES_DIR, UnknownLanguage, Vocabulary, reference_kinds, strings, vocabulary

REPO = Path(__file__).resolve().parents[1]


def language(code: str) -> dict[str, str]:
    return strings(code)


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


def test_each_language_has_the_whole_vocabulary_and_no_word_means_two_kinds():
    for code in ("sv", "en"):
        raw = json.loads((LANGUAGES_DIR / f"{code}.json").read_text(encoding="utf-8"))["vocabulary"]
        words = vocabulary(code)
        assert isinstance(words, Vocabulary) and set(raw["ids"]) == {"step", "outcome", "heading", "rules", "page", "part", "input"}
        assert set(raw["references"]) == {"number", "contact", "flow", "answer", "term", "chart"}
        assert len(set(raw["ids"].values())) == len(raw["ids"]), code  # two kinds of node never share an id
    assert reference_kinds()["nummer"] == reference_kinds()["number"] == "number"
    assert reference_kinds()["flode"] == reference_kinds()["flow"] == "flow"


def test_the_request_words_ask_unless_negated_in_each_language():
    sv, en = vocabulary("sv"), vocabulary("en")
    assert sv.request_re.search("Ring polisen").group(1) == "Ring"
    assert sv.request_re.search("Ring inga andra samtal") is None
    assert sv.request_kind("Polisanmäl") == "report"
    assert en.request_re.search("Report it to the police").group(1) == "Report"
    assert en.request_re.search("Do not call anyone") and en.request_re.search("call no one") is None
    assert en.request_re.search("the threats were reported") and en.request_kind("reported") == "report"


def test_an_unknown_language_is_named_not_swapped_for_another():
    with pytest.raises(UnknownLanguage, match='"xx".*en, sv'):
        strings("xx")


def _swedish_names() -> set[str]:
    """The Swedish vocabulary's words that English does not share: folders, pages, files, ids."""
    sv, en = vocabulary("sv"), vocabulary("en")
    names = {sv.flows_folder, sv.contacts_page, *sv.ids.values(), sv.contacts_file, sv.sources_file, sv.terms_file}
    return names - {en.flows_folder, en.contacts_page, *en.ids.values(), en.contacts_file, en.sources_file, en.terms_file}


def test_an_english_site_has_no_swedish_address_id_or_file(english_site):
    names = _swedish_names()
    assert {"floden", "kontakter", "steg", "utfall"} <= names
    addresses = {p.relative_to(english_site).as_posix() for p in english_site.rglob("*")}
    assert "flows/what-happened.html" in addresses and "contacts.html" in addresses
    found = [a for a in addresses if set(re.split(r"[/.-]", a)) & names]
    ids = set()
    for page in english_site.rglob("*.html"):
        ids |= set(re.findall(r'\bid="([^"]+)"', page.read_text(encoding="utf-8")))
    found += [f"id {i}" for i in ids if i.split("-")[0] in names]
    assert found == []
    assert any(i.startswith("step-") for i in ids) and any(i.startswith("outcome-") for i in ids)
    source = english_site.parent
    assert not [p.name for p in source.rglob("*") if p.name in names | {"kontakter.yml", "kallor.yml", "termer.yml"}]


def test_an_english_flow_asking_to_call_without_a_number_is_warned_in_english(english_site, capsys):
    root = english_site.parent
    tree = root / "decision_trees" / "what-happened.yml"
    original = tree.read_text(encoding="utf-8")
    try:
        tree.write_text(original.replace("title: What has happened?", "title: Call the security function at once"),
                        encoding="utf-8")
        cli.main(["--root", str(root), "check"])
        out = capsys.readouterr().out
        assert 'asks the reader to call ("Call") but shows no number or address' in out
        assert "[[number:KEY]]" in out and "nummer" not in out
    finally:
        tree.write_text(original, encoding="utf-8")


def test_handbok_new_writes_english_on_an_english_site(english_site, capsys):
    root = english_site.parent
    assert cli.main(["--root", str(root), "new", "page", "before/travel"]) == 0
    assert cli.main(["--root", str(root), "new", "flow", "threat-by-letter"]) == 0
    page = (root / "content" / "before" / "travel.md").read_text(encoding="utf-8")
    flow = (root / "decision_trees" / "threat-by-letter.yml").read_text(encoding="utf-8")
    assert "[[number:" in page and "title: Travel" in page and "What has happened?" in flow
    for swedish in ("Skriv", "sidan", "nummer", "kontakt", "Ring", "floden"):
        assert swedish not in page + flow, swedish
    assert "flows/threat-by-letter.md" in capsys.readouterr().out


def test_an_english_sites_search_stems_its_words(english_site):
    """lunr finds "report" for "reports" only with its stemmer in the index's pipeline: the site
    says "report", never "reports" (the browser test of the installed package searches it)."""
    index = json.loads((english_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["en"] and "stemmer" in index["config"]["pipeline"]
    words = {w for doc in index["docs"] for w in re.findall(r"[a-z]+", (doc["title"] + " " + doc["text"]).lower())}
    assert "report" in words and "reports" not in words
