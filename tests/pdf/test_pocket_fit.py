"""The pocket card keeps all of what its pages say (but tips, which `handbok check` names)."""

from __future__ import annotations

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
