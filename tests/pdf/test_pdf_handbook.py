"""The A4 handbook: structure, table of contents, page numbers, fonts, metadata, outline, content."""

from __future__ import annotations

import re

from generator.trees import REFERENCE_RE

from .conftest import contacts, nav_titles, normalised

TOC_LINE = re.compile(r"^(.+?)\s*(?:\.\s*){3,}(\d+)$")


def toc_entries(handbook) -> list[tuple[str, int, int]]:
    """(title, printed page number, page its link leads to) of every line of the table of contents."""
    entries = []
    for page in handbook.reader.pages[1:]:
        lines = [TOC_LINE.match(line.strip()) for line in page.extract_text().splitlines()]
        found = [(normalised(m.group(1)), int(m.group(2))) for m in lines if m]
        if not found:
            break
        links = sorted((annotation.get_object() for annotation in page.get("/Annots") or []),
                       key=lambda link: -float(link["/Rect"][1]))
        targets = []
        for link in links:  # a line's title and its page number are links to the same place
            if link.get("/Dest") and (not targets or targets[-1] != link["/Dest"]):
                targets.append(link["/Dest"])
        assert len(targets) == len(found), f"{len(found)} lines but {len(targets)} links"
        destinations = handbook.reader.named_destinations
        entries += [(title, number, handbook.reader.get_destination_page_number(destinations[target]) + 1)
                    for (title, number), target in zip(found, targets)]
    return entries


def test_page_count_is_sane(handbook):
    assert 30 <= len(handbook.reader.pages) <= 150


def test_every_navigation_page_is_printed(handbook, project, config):
    text = " ".join(handbook.texts)
    missing = [title for title in nav_titles(config["nav"], project) if normalised(title) not in text]
    assert not missing, f"not in the PDF: {missing}"


def test_table_of_contents_lists_every_page_with_the_page_it_is_on(handbook, project, config):
    entries = toc_entries(handbook)
    assert set(map(normalised, nav_titles(config["nav"], project))) <= {title for title, _, _ in entries}
    for title, number, target in entries:
        assert number == target, f"{title!r}: the contents say page {number}, its heading is on page {target}"
        assert title in handbook.texts[number - 1], f"{title!r} is not on page {number}"


def test_every_page_but_the_cover_has_its_number(handbook):
    total = len(handbook.texts)
    assert "Sida" not in handbook.texts[0]
    missing = [number for number in range(2, total + 1) if f"Sida {number} av {total}" not in handbook.texts[number - 1]]
    assert not missing, f"pages without their number: {missing}"


def fonts_of(resources, found: dict) -> None:
    """Every font used, with whether its file is embedded, also inside form XObjects (drawings)."""
    resources = resources.get_object() if resources else {}
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant.get("/FontDescriptor")
        descriptor = descriptor.get_object() if descriptor else {}
        found[font["/BaseFont"]] = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    for xobject in (resources.get("/XObject") or {}).values():
        fonts_of(xobject.get_object().get("/Resources"), found)


def test_fonts_are_embedded(handbook):
    found: dict = {}
    for page in handbook.reader.pages:
        fonts_of(page.get("/Resources"), found)
    assert found, "no fonts at all"
    assert all(found.values()), f"not embedded: {[name for name, embedded in found.items() if not embedded]}"


def test_metadata_has_the_title_and_swedish(handbook, project, config):
    assert handbook.reader.metadata.title == project.pages["index.md"].meta["title"]
    options = next(p["tryggt"] for p in config["plugins"] if isinstance(p, dict) and "tryggt" in p)
    assert handbook.reader.metadata.author == options["organisation"]
    assert handbook.reader.trailer["/Root"]["/Lang"] == "sv"


def test_outline_follows_the_navigation(handbook, config):
    top = [title for depth, title, _ in handbook.outline() if depth == 0]
    assert top[0] == "Innehåll"
    sections = [next(iter(item)) for item in config["nav"] if isinstance(item, dict) and isinstance(next(iter(item.values())), list)]
    assert [title for title in top if title in sections] == sections
    assert any(depth == 1 for depth, _, _ in handbook.outline()), "the pages of the sections are not nested"


def test_the_contacts_page_shows_every_number(handbook):
    page = next(page for depth, title, page in handbook.outline() if title == "Kontakter och nummer")
    text = handbook.texts[page - 1]
    for key, contact in contacts().items():
        assert normalised(contact["name"]) in text, key
        if "phone" in contact:
            assert normalised(contact["phone"]) in text, f"{key}: {contact['phone']} is not on page {page}"


def test_every_flow_is_printed_with_its_steps_options_and_actions(handbook, project):
    text = " ".join(handbook.texts)
    for flow in project.flows.values():
        nodes = flow["nodes"]
        for node in nodes.values():
            assert normalised(node["title"]) in text, f"{flow['id']}: {node['title']!r}"
            for option in node.get("options") or []:
                if option.get("next"):  # an option says where it leads
                    leads = f"{normalised(option['label'])} → {normalised(nodes[option['next']]['title'])}"
                    assert leads in text, f"{flow['id']}: {leads!r}"
            for action in node.get("actions") or []:
                # A reference ([[nummer:larm]], [[flode:ID]]) is printed as the number or the link's words.
                for piece in REFERENCE_RE.split(action["text"])[::4]:
                    assert normalised(piece).strip() in text, f"{flow['id']}: {action['text']!r}"
                for kind, key, _ in REFERENCE_RE.findall(action["text"]):
                    if kind == "nummer" and "phone" in contacts()[key]:
                        assert normalised(contacts()[key]["phone"]) in text, f"{flow['id']}: {action['text']!r}"
        assert f"Flödesschema: {flow['title']}" in text, f"{flow['id']}: no diagram"


def test_the_bra_chart_is_drawn(handbook, project):
    text = " ".join(handbook.texts)
    chart = project.charts["bra-2015"]
    assert normalised(chart["title"]) in text
    for row in chart["rows"]:
        assert normalised(row["label"]) in text
