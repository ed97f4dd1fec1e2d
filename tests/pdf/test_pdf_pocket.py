"""The pocket card: at most two pages, the acute steps, the checklist, every number, large type."""

from __future__ import annotations

import re

from .conftest import REPO, contacts, normalised


def sizes(page) -> list[tuple[float, str]]:
    """(size in points, text) of every piece of text drawn on a page."""
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append((size * abs(tm[3]) * abs(cm[3]), text.strip()))

    page.extract_text(visitor_text=visit)
    return found


def test_at_most_two_pages(pocket):
    assert 1 <= len(pocket.reader.pages) <= 2


def test_every_number_is_on_the_card(pocket):
    text = " ".join(pocket.texts)
    for key, contact in contacts().items():
        if "phone" in contact:
            assert normalised(contact["phone"]) in text, key


def test_the_acute_steps_and_the_checklist_come_from_the_content(pocket):
    text = " ".join(pocket.texts)
    acute = (REPO / "content" / "akut.md").read_text(encoding="utf-8")
    for heading in re.findall(r"^## (.+)$", acute, re.M):
        assert normalised(heading) in text, heading
    checklist = (REPO / "content" / "efter" / "checklista.md").read_text(encoding="utf-8")
    for item in re.findall(r"^- \[ \] (.+)$", checklist, re.M):
        words = normalised(item.split("[")[0])  # the words before the first reference or link
        assert words in text, words


def test_large_type_and_larger_numbers(pocket):
    drawn = [piece for page in pocket.reader.pages for piece in sizes(page)]
    characters = sum(len(text) for _, text in drawn)
    large = sum(len(text) for size, text in drawn if size >= 11.5)
    assert large / characters >= 0.9, f"only {large / characters:.0%} of the text is 11.5 pt or larger"
    for key, contact in contacts().items():
        if "phone" in contact:
            shown = [size for size, text in drawn if normalised(contact["phone"]) in normalised(text)]
            assert shown and min(shown) >= 13, f"{key}: {contact['phone']} at {shown} pt"
