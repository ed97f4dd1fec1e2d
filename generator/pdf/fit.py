"""Whether the pocket card fits on its two A4 pages, and if not, which of its pages do not.

Reads the card as WeasyPrint laid it out: each page of the card is an `article.card` (pdf/pocket.html)
with the id `anchor_for(doc, project.words)`; a card printed past the second sheet is named with a warning at its
file, at the line (or, for the contacts page, the contact) from which it runs over when that can
be told, else at line 1. The first card has the first sheet to itself: when it runs onto the
second, it pushes the others over, and it is named too.
"""

from __future__ import annotations

from pathlib import Path

from generator.pdf.document import anchor_for
from generator.problems import Problem
from generator.project import Project

POCKET_SHEETS = 2
SKIPPED = ("thead",)  # a table's head is repeated on every page it runs onto: not where the page runs over


def _texts(box):
    """The text of a box and its descendants, in reading order, without markers and table heads."""
    tag = box.element_tag or ""
    if tag in SKIPPED or "::" in tag:
        return
    text = getattr(box, "text", None)
    if isinstance(text, str) and text.strip():
        yield text.strip()
    for child in getattr(box, "children", []):
        if not isinstance(child, str):
            yield from _texts(child)


def cards_by_page(rendered) -> dict[str, dict[int, list[str]]]:
    """Card id -> {1-based page: the card's texts on that page} (pages it does not reach left out)."""
    found: dict[str, dict[int, list[str]]] = {}
    for number, page in enumerate(rendered.pages, 1):
        seen = set()
        for box in page._page_box.descendants():
            element = box.element
            if box.element_tag != "article" or element is None or "card" not in (element.get("class") or "").split():
                continue
            card = element.get("id")
            if card not in seen:  # the outermost box of the card; its anonymous boxes follow with the same element
                seen.add(card)
                found.setdefault(card, {})[number] = list(_texts(box))
    return found


def _pages(numbers: list[int]) -> str:
    return f"page {numbers[0]}" if len(numbers) == 1 else f"pages {numbers[0]}–{numbers[-1]}"


def _line_of(path: Path, texts: list[str]) -> int:
    """The one line of the file that holds one of the first texts; 1 when none can be told."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return 1
    for text in texts[:8]:
        holding = [n for n, line in enumerate(lines, 1) if text in line] if len(text) >= 8 else []
        if len(holding) == 1:
            return holding[0]
    return 1


def _contact_at(project: Project, texts: list[str]) -> dict | None:
    """The contact whose row the texts begin with (its name, perhaps cut at the end of a line)."""
    for text in texts[:3]:
        found = next((c for c in project.contacts.values() if (c.get("name") or "").startswith(text)), None)
        if found:
            return found
    return None


def pocket_fit(project: Project, rendered) -> list[Problem]:
    """A warning for each page of the card that does not fit on its two sheets (none when it fits)."""
    total = len(rendered.pages)
    if total <= POCKET_SHEETS:
        return []
    chosen = [*project.settings.pocket_pages, project.words.contacts_page_path]
    spread = cards_by_page(rendered)
    over = [doc for doc in chosen if max(spread.get(anchor_for(doc, project.words), {0: []})) > POCKET_SHEETS]
    first = spread.get(anchor_for(chosen[0], project.words), {})
    if len(first) > 1 and chosen[0] not in over:
        over.insert(0, chosen[0])
    if not over:  # only the line saying where the card comes from ran over: the last page pushed it
        over = [chosen[-1]]
    head = f"the pocket card runs to {total} A4 pages, {POCKET_SHEETS} at most"
    return [_problem(project, doc, spread.get(anchor_for(doc, project.words), {}), head, doc == chosen[0] and len(chosen) > 1)
            for doc in over]


def _problem(project: Project, doc: str, pages: dict[int, list[str]], head: str, pushes: bool) -> Problem:
    numbers = sorted(pages)
    beyond = [n for n in numbers if n > (1 if pushes else POCKET_SHEETS)] or numbers[-1:]
    texts = pages.get(beyond[0], []) if beyond else []
    where = f"it is printed on {_pages(numbers)}" if numbers else "it is printed after the others"
    if pushes and len(numbers) > 1:
        where += f", which leaves the pages after it no room on page {POCKET_SHEETS}"
    if doc == project.words.contacts_page_path:
        contact = _contact_at(project, texts)
        path = contact["file"] if contact else project.settings.contacts_file
        line = contact["line"] if contact else 1
        start = f"; this contact and those after it are on page {beyond[0]}" if contact else ""
        return Problem(path, line, 1, f"{head}: the contacts page (made from this file) does not fit: {where}{start}",
                       "the card prints every contact (without its `when`): shorten the pages before it under "
                       "`pocket_pages:` in mkdocs.yml, or the contacts' names", "warning")
    page = project.pages[doc]
    line = _line_of(project.page_files[doc], texts) if beyond else 1
    start = f"; this line and what follows it are on page {beyond[0]}" if line > 1 else ""
    return Problem(page.path, line, 1, f"{head}: this page does not fit: {where}{start}",
                   "the card prints all of a page: shorten it, or take it out of `pocket_pages:` in mkdocs.yml", "warning")
