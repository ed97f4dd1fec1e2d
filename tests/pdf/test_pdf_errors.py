"""Bad input stops a PDF with a clear message and exit 1, and leaves no file behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import cli, pdf
from generator.cli import settings_for
from generator.project import Project

PICTURE_PAGE = """\
---
title: Karta
description: En sida med en bild.
sources: [handlingsplan]
reviewed: 2026-11-01
---

# Karta

![Karta över lokalerna](karta.png)
"""


def left_in_site(root: Path) -> list[str]:
    site = root / "site"
    return sorted(path.name for path in site.iterdir()) if site.exists() else []


def with_picture(root: Path, content: bytes | None) -> None:
    (root / "content" / "karta.md").write_text(PICTURE_PAGE, encoding="utf-8")
    if content is not None:
        (root / "content" / "karta.png").write_bytes(content)
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("nav:\n  - index.md\n  - karta.md\n")


def test_a_small_project_gets_its_handbook(small_project, handbok):
    result = handbok(small_project, "pdf")
    assert result.returncode == 0, result.stderr
    assert "wrote site/handbok.pdf (" in result.stdout
    assert (small_project / "site" / "handbok.pdf").read_bytes().startswith(b"%PDF-")
    assert left_in_site(small_project) == ["handbok.pdf"]


def test_a_page_missing_from_the_navigation(small_project, handbok):
    with (small_project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("nav:\n  - index.md\n  - saknas.md\n")
    result = handbok(small_project, "pdf")
    assert result.returncode == 1
    assert "site/handbok.pdf: not written" in result.stderr
    assert "'saknas.md'" in result.stderr and "content/saknas.md does not exist" in result.stderr
    assert left_in_site(small_project) == []


def test_an_image_that_is_not_an_image(small_project, handbok):
    with_picture(small_project, b"this is not a picture")
    result = handbok(small_project, "pdf")
    assert result.returncode == 1
    assert "site/handbok.pdf: not written" in result.stderr and "karta.png" in result.stderr
    assert left_in_site(small_project) == []


def test_an_image_that_does_not_exist(small_project, handbok):
    with_picture(small_project, None)
    result = handbok(small_project, "pdf")
    assert result.returncode == 1
    assert "site/handbok.pdf: not written" in result.stderr and "karta.png" in result.stderr
    assert left_in_site(small_project) == []


def test_a_font_that_cannot_be_loaded(small_project, monkeypatch, capsys):
    broken = small_project / "trasig.ttf"
    broken.write_bytes(b"not a font")
    monkeypatch.setattr(pdf, "FONTS", [*pdf.FONTS, ("Open Sans", "800", "normal", broken)])
    assert cli.main(["--root", str(small_project), "pdf"]) == 1
    message = capsys.readouterr().err
    assert "site/handbok.pdf: not written" in message and f"{broken}: the font cannot be loaded" in message
    assert left_in_site(small_project) == []


def test_a_failed_pdf_leaves_the_previous_one(small_project, handbok):
    (small_project / "site").mkdir()
    (small_project / "site" / "handbok.pdf").write_bytes(b"previous")
    with (small_project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("nav:\n  - saknas.md\n")
    assert handbok(small_project, "pdf").returncode == 1
    assert (small_project / "site" / "handbok.pdf").read_bytes() == b"previous"
    assert left_in_site(small_project) == ["handbok.pdf"]


def test_the_pocket_card_needs_its_pages(small_project, handbok):
    result = handbok(small_project, "pdf", "--pocket")
    assert result.returncode == 1
    assert "site/fickkort.pdf: not written: the pocket card has no pages" in result.stderr
    assert "pocket_pages:" in result.stderr
    assert left_in_site(small_project) == []


def test_a_pocket_page_that_does_not_exist_is_named_with_its_setting(small_project, handbok):
    config = small_project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - tryggt\n", "  - tryggt:\n      pocket_pages: [akut.md]\n"),
                      encoding="utf-8")
    result = handbok(small_project, "check")
    assert result.returncode == 1
    assert 'mkdocs.yml:11:1: error: pocket_pages names "akut.md", which is not a page' in result.stdout
    assert handbok(small_project, "pdf", "--pocket").returncode == 1
    assert left_in_site(small_project) == []


@pytest.mark.parametrize("url, message", [
    ("https://example.invalid/karta.png", "refused to fetch https://example.invalid/karta.png"),
    ("file:///etc/hostname", "refused to open /etc/hostname: it is outside the project folder"),
])
def test_nothing_is_fetched_from_outside(small_project, url, message):
    book = pdf.Book(Project.load(settings_for(small_project)), None)
    document = f'<!DOCTYPE html><html lang="sv"><body><p><img src="{url}" alt=""></p></body></html>'
    with pytest.raises(pdf.PdfError, match=message):
        pdf.render_pdf(document, pdf.HERE / "handbok.css", book)


def test_the_built_site_links_its_pdf(small_project, handbok):
    assert handbok(small_project, "build").returncode == 0
    site = small_project / "site"
    assert (site / "handbok.pdf").read_bytes().startswith(b"%PDF-")
    start = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="handbok.pdf"' in start
    # No acute page, so no pocket card: and no link to one.
    assert not (site / "fickkort.pdf").exists() and "fickkort.pdf" not in start
    assert handbok(small_project, "build", "--no-pdf").returncode == 0
    assert not (site / "handbok.pdf").exists() and "handbok.pdf" not in (site / "index.html").read_text(encoding="utf-8")
