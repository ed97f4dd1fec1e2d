"""A page's HTML made for paper: drawings too tall for a page cut into columns, and spaces before
inline elements that WeasyPrint breaks where it should. Both read the HTML with html.parser
(generator.site.htmltags) and change only what they must.
"""

from __future__ import annotations

import re

from generator.site import htmltags

URL_REFERENCE = re.compile(r"url\(#([^)]+)\)")
VIEWBOX = re.compile(r"0 0 ([0-9.]+) ([0-9.]+)")
# The text block of handbok.css's A4 page, and the height a diagram may take on it (in mm).
TEXT_WIDTH, DIAGRAM_HEIGHT = 150, 215


def elements(tags: list[htmltags.Tag], name: str):
    """(start tag, end tag) of each outermost element called `name`."""
    depth, opened = 0, None
    for tag in tags:
        if tag.name != name:
            continue
        if not tag.closing:
            depth += 1
            opened = opened or tag
        elif depth:
            depth -= 1
            if not depth:
                yield opened, tag
                opened = None


def sliced_svgs(text: str) -> str:
    """The page's HTML with each drawing too tall for a page cut into columns (`sliced_svg`)."""
    if "<svg" not in text:  # most pages have none: no need to read them
        return text
    return htmltags.splice(text, [(start.start, end.end, sliced_svg(text[start.start:end.end]))
                                  for start, end in elements(htmltags.scan(text), "svg")])


def sliced_svg(svg: str) -> str:
    """A drawing too tall for a page, cut into columns side by side, so its text stays legible.

    Each column shows one band of the same drawing (its own viewBox); the cuts fall where no box
    or label is, so only lines cross them. Drawings that fit are returned unchanged.
    """
    tags = htmltags.scan(svg)
    found = VIEWBOX.fullmatch(tags[0].get("viewbox")) if tags and tags[0].name == "svg" else None
    if not found:
        return svg
    width, height = float(found.group(1)), float(found.group(2))
    columns = max(range(1, 5), key=lambda n: min(TEXT_WIDTH / (n * width), DIAGRAM_HEIGHT * n / height))
    if columns == 1:
        return svg
    boxes = sorted((float(a["y"]), float(a["y"]) + float(a["height"])) for a in
                   (tag.attrs for tag in tags if tag.name == "rect" and not tag.closing)
                   if a.get("y") and a.get("height") and float(a["height"]) < height)
    gaps, reach = [], 0.0
    for top, bottom in boxes:
        if top > reach:
            gaps.append((reach + top) / 2)
        reach = max(reach, bottom)
    cuts = [0.0] + sorted({min(gaps or [height * k / columns], key=lambda g: abs(g - height * k / columns))
                           for k in range(1, columns)}) + [height]
    scale = min(TEXT_WIDTH / (columns * width * 1.05), DIAGRAM_HEIGHT / max(b - a for a, b in zip(cuts, cuts[1:])))
    slices = []
    for index, (top, bottom) in enumerate(zip(cuts, cuts[1:])):
        size = f' style="width: {width * scale:.1f}mm; height: {(bottom - top) * scale:.1f}mm"'
        # every column after the first repeats the drawing's ids: keep them apart
        edits = [(tag.start, tag.end, htmltags.retag(svg, tag, apart)) for tag in tags[1:] if (apart := _apart(tag, index))]
        view = {**_apart(tags[0], index), "viewbox": f"0 {top:g} {width:g} {bottom - top:g}"}
        edits.append((tags[0].start, tags[0].end, htmltags.retag(svg, tags[0], view, size, first=True)))
        slices.append(htmltags.splice(svg, edits))
    return '<div class="drawing-columns">' + "".join(slices) + "</div>"


def _apart(tag: htmltags.Tag, index: int) -> dict[str, str]:
    """The ids, references to ids and labels of a drawing's element, for its column `index` (0: as they are)."""
    apart = {}
    if not index or tag.closing:
        return apart
    for key, value in tag.attrs.items():
        if key == "id" and value:
            apart[key] = f"{value}-{index}"
        elif key == "aria-labelledby" and value:
            apart[key] = " ".join(f"{v}-{index}" for v in value.split())
        elif value and "url(#" in value:
            apart[key] = URL_REFERENCE.sub(rf"url(#\1-{index})", value)
    return apart


# WeasyPrint 70 misses the break in the space before an inline element (a contact, a phone link,
# <strong>) when that space is where the line must end: it breaks after the line's first word
# instead, which then stands alone. The same space in an element of its own breaks where it should.
INLINE = {"a", "abbr", "b", "code", "em", "i", "small", "span", "strong"}
KEEP_SPACES = {"svg", "pre"}  # where a space is drawing or code, not a break


def breakable_spaces(text: str) -> str:
    """`text <span>` as `text<span> </span><span>`: the same words, with lines that break where they should."""
    edits, keep, previous = [], 0, None
    for tag in htmltags.scan(text):
        if tag.name in KEEP_SPACES:
            keep = max(keep + (-1 if tag.closing else 1), 0)
        elif tag.name in INLINE and not tag.closing and not keep:
            before = text[previous.end if previous else 0:tag.start]
            word = before.rstrip()
            # after a word, or after an inline element
            if len(word) < len(before) and (word[-1:] not in ("", ">") if word else
                                            previous and previous.closing and previous.name in INLINE):
                edits.append((tag.start - (len(before) - len(word)), tag.start, "<span> </span>"))
        previous = tag
    return htmltags.splice(text, edits)
