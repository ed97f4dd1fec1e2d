"""The pocket card keeps all of what its pages say (but tips, which `handbok check` names), and a
card past its two A4 pages is warned, naming the page that does not fit (an error with --strict)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from .conftest import REPO, normalised

# A checklist table of three columns, a tip and a note, on the starter's pocket page (under/index.md).
POCKET_ADDITIONS = """
| Vad | Vem gör det | Hur |
|---|---|---|
| Larma | Den som ser det | Ring [[nummer:nodnummer]] |
| Stänga lokalen | Vaktbolaget | Ring [[nummer:vakt]] |

!!! tip "Spara numret"
    Lägg in säkerhetsfunktionens nummer i telefonen redan i dag.

!!! note "Efteråt"
    Skriv ner vad som hände medan du minns det.
"""
EXTRA_CONTACTS = 40  # far more than two pages hold, with the starter's page before them


def handbok(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator.cli", "--root", str(root), *args],
                          capture_output=True, text=True, cwd=REPO, timeout=600)


@pytest.fixture(scope="module")
def starter(tmp_path_factory) -> Path:
    """`handbok init`'s site with the additions on its pocket page and many more contacts."""
    root = tmp_path_factory.mktemp("fickkort") / "site"
    result = subprocess.run([sys.executable, "-m", "generator.cli", "init", str(root), "--no-runtime"],
                            capture_output=True, text=True, cwd=REPO, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    with (root / "content" / "under" / "index.md").open("a", encoding="utf-8") as page:
        page.write(POCKET_ADDITIONS)
    with (root / "content" / "kontakter.yml").open("a", encoding="utf-8") as contacts:
        for n in range(1, EXTRA_CONTACTS + 1):
            contacts.write(f'extra{n}:\n  name: Extra kontakt {n} med ett långt namn\n  phone: "070-174 06 {30 + n}"\n'
                           "  when: Vid behov.\n")
    return root


@pytest.fixture(scope="module")
def printed(starter) -> tuple[subprocess.CompletedProcess, list[str]]:
    """`handbok pdf --pocket` of the starter: what it said, and each page's text."""
    result = handbok(starter, "pdf", "--pocket")
    assert result.returncode == 0, result.stdout + result.stderr
    reader = PdfReader(starter / "site" / "fickkort.pdf")
    return result, [normalised(page.extract_text()) for page in reader.pages]


def test_a_table_on_a_pocket_page_keeps_its_third_column(printed):
    _, pages = printed
    assert "Vad Vem gör det Hur" in pages[0]
    assert "Larma Den som ser det Ring 112" in pages[0]
    assert "Stänga lokalen Vaktbolaget Ring 070-174 06 20" in pages[0]
    # The generated contacts table still leaves out its "När" column: its words are on the web page.
    assert "Råd, stöd och uppföljning." not in " ".join(pages)


def test_a_tip_is_left_out_with_a_note_at_its_line_and_a_note_is_printed(starter, printed):
    _, pages = printed
    assert "Skriv ner vad som hände medan du minns det." in pages[0]
    assert "Spara numret" not in " ".join(pages)
    lines = (starter / "content" / "under" / "index.md").read_text(encoding="utf-8").splitlines()
    tip = lines.index('!!! tip "Spara numret"') + 1
    check = handbok(starter, "check")
    assert f"content/under/index.md:{tip}:1: note: the pocket card (pocket_pages) leaves out this tip" in check.stdout
    assert "make it a note (`!!! note`)" in check.stdout


def test_a_card_past_two_pages_is_warned_at_the_first_contact_that_does_not_fit(starter, printed):
    result, pages = printed
    assert len(pages) == 3
    first = re.search(r"Extra kontakt (\d+) med", pages[2]).group(1)
    contacts = (starter / "content" / "kontakter.yml").read_text(encoding="utf-8").splitlines()
    line = contacts.index(f"extra{first}:") + 1
    assert (f"content/kontakter.yml:{line}:1: warning: the pocket card runs to 3 A4 pages, 2 at most: the contacts page "
            "(made from this file) does not fit: it is printed on pages 2–3; this contact and those after it are on page 3"
            ) in result.stderr
    assert "fix: the card prints every contact" in result.stderr
    assert "wrote site/fickkort.pdf (3 pages)" in result.stdout


def test_with_strict_a_card_past_two_pages_is_not_written(starter, printed):
    target = starter / "site" / "strikt.pdf"
    result = handbok(starter, "pdf", "--pocket", "--strict", "--output", str(target))
    assert result.returncode == 1
    assert "warning: the pocket card runs to 3 A4 pages" in result.stderr
    assert "not written: the pocket card does not fit on two pages (--strict)" in result.stderr
    assert not target.exists()


def test_a_strict_build_stops_on_a_page_that_does_not_fit(small_project):
    page = small_project / "content" / "index.md"
    steps = "".join(f"- Steg {n}: gör det som ska göras här, och sedan nästa.\n" for n in range(1, 61))
    page.write_text(page.read_text(encoding="utf-8") + "\n" + steps, encoding="utf-8")
    config = small_project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - tryggt\n", "  - tryggt:\n      pocket_pages: [index.md]\n"),
                      encoding="utf-8")
    result = handbok(small_project, "build", "--strict")
    assert result.returncode == 1, result.stdout + result.stderr
    found = re.search(r"content/index\.md:(\d+):1: warning: the pocket card runs to 3 A4 pages, 2 at most: this page does "
                      r"not fit: it is printed on pages 1–2, which leaves the pages after it no room on page 2; this line "
                      r"and what follows it are on page 2", result.stderr)
    assert found, result.stderr
    assert page.read_text(encoding="utf-8").splitlines()[int(found[1]) - 1].startswith("- Steg ")
    assert "the site was not changed" in result.stderr and not (small_project / "site").exists()
