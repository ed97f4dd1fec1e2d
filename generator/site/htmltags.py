"""HTML read by the standard library's parser and edited in place.

`scan` finds every tag of an HTML text with html.parser, which knows quoting, comments and the
text of scripts and styles, and gives each tag its place in the text. An edit replaces the exact
span of a tag or of an element (`splice`), or the value of one attribute inside a tag (`retag`), so
all the rest of the text stays as it was, byte for byte: what a page's author wrote, what Python-
Markdown wrote and the case of SVG's attribute names (viewBox) included.

Standard library only; knows nothing of MkDocs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser, attrfind_tolerant, tagfind_tolerant


@dataclass
class Tag:
    """One start or end tag: its lower-case name, where it is in the text, and its attributes
    (values unescaped; None for an attribute without a value)."""

    name: str
    start: int
    end: int
    closing: bool = False
    attrs: dict[str, str | None] = field(default_factory=dict)

    def get(self, name: str, default: str = "") -> str:
        value = self.attrs.get(name)
        return default if value is None else value


class _Scanner(HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=False)
        self.text = text
        self.lines = [0] + [m.end() for m in re.finditer("\n", text)]
        self.tags: list[Tag] = []

    def _at(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def handle_starttag(self, tag, attrs):
        start = self._at()
        values = {}
        for name, value in attrs:
            values.setdefault(name, value)  # the first of two alike counts, as in browsers
        self.tags.append(Tag(tag, start, start + len(self.get_starttag_text()), False, values))

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        start = self._at()
        self.tags.append(Tag(tag, start, self.text.index(">", start) + 1, True))


def _value_spans(raw: str) -> dict[str, tuple[int, int, bool, int, int]]:
    """Where the value of each attribute of a start tag's text is, whether it is quoted, and where
    the attribute is with the space before it, read as html.parser reads it (its own patterns), so
    that one value can be changed, or one attribute taken out, and the rest kept."""
    spans = {}
    at = tagfind_tolerant.match(raw, 1).end()
    while at < len(raw):
        found = attrfind_tolerant.match(raw, at)
        if not found:
            break
        value, first = found.group(3), found.start()
        while first and raw[first - 1].isspace():
            first -= 1
        whole = (first, found.end(2) if found.group(2) else found.end(1))
        if value is not None:
            start, end = found.span(3)
            quoted = value[:1] == value[-1:] and value[:1] in ("'", '"') and len(value) > 1
            spans.setdefault(found.group(1).lower(), ((start + 1, end - 1, True) if quoted else (start, end, False)) + whole)
        else:
            spans.setdefault(found.group(1).lower(), (*whole, False, *whole))
        at = found.end()
    return spans


def scan(text: str) -> list[Tag]:
    """Every start and end tag of `text`, in order (those in comments and script text are not tags)."""
    scanner = _Scanner(text)
    scanner.feed(text)
    scanner.close()
    return scanner.tags


def retag(text: str, tag: Tag, values: dict[str, str | None], added: str = "", first: bool = False) -> str:
    """The text of `tag` with the given attributes' values (unescaped, escaped here; None takes the
    attribute out) and `added` (attributes as HTML, with their leading space) before its end, or
    with `first` after its name."""
    raw = text[tag.start:tag.end]
    spans = _value_spans(raw) if values else {}
    edits = []
    for name, value in values.items():
        start, end, quoted, whole_start, whole_end = spans[name]
        if value is None:
            edits.append((whole_start, whole_end, ""))
        else:
            edits.append((start, end, escape(value) if quoted else f'"{escape(value)}"'))
    if added:
        at = 1 + len(tag.name) if first else len(raw) - (2 if raw.endswith("/>") else 1)
        edits.append((at, at, added))
    return splice(raw, edits)


def splice(text: str, edits: list[tuple[int, int, str]], start: int = 0, end: int | None = None) -> str:
    """`text[start:end]` with each (from, to, replacement) of `edits` made; edits do not overlap."""
    out, at = [], start
    for first, last, replacement in sorted(edits, key=lambda edit: edit[:2]):
        out += [text[at:first], replacement]
        at = last
    out.append(text[at:end])
    return "".join(out)


def without_dangling_labels(text: str) -> str:
    """`text` with no label pointing at an element it lacks: such a label's `for` is taken out."""
    tags = scan(text)
    ids = {tag.attrs["id"] for tag in tags if tag.attrs.get("id")}
    return splice(text, [(tag.start, tag.end, retag(text, tag, {"for": None})) for tag in tags
                         if tag.name == "label" and not tag.closing and tag.attrs.get("for") and tag.attrs["for"] not in ids])
