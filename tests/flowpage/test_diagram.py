"""The SVG diagram: well-formed, accessible, one box per node, deterministic, escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from generator.language import Text
from generator.flowpage.diagram import layers, render_diagram_svg
from generator.flowpage.diagram_layout import edges

SVG = "{http://www.w3.org/2000/svg}"

SV = Text("sv")


def test_svg_is_well_formed_and_accessible(tree):
    svg = render_diagram_svg(tree, SV)
    root = ET.fromstring(svg)
    assert root.tag == SVG + "svg"
    assert root.get("role") == "img"
    assert root.get("viewBox") and len(root.get("viewBox").split()) == 4
    assert root.get("width") == "100%"
    assert "style" not in root.attrib
    assert "system-ui" in root.get("font-family")
    title = root.find(SVG + "title")
    desc = root.find(SVG + "desc")
    assert title is not None and "Ett provflöde med alla sorters steg" in title.text
    assert desc is not None and desc.text.endswith(".") and "Innan du börjar" in desc.text
    assert set(root.get("aria-labelledby").split()) == {title.get("id"), desc.get("id")}
    assert root.find(".//" + SVG + "script") is None
    assert "\n\n" not in svg
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # nothing external


def test_one_box_per_node_and_outcomes_styled(tree):
    root = ET.fromstring(render_diagram_svg(tree, SV))
    boxes = [g for g in root.iter(SVG + "g") if g.get("data-node")]
    assert sorted(g.get("data-node") for g in boxes) == sorted(tree["nodes"])
    for g in boxes:
        rect = g.find(SVG + "rect")
        assert rect is not None
        if tree["nodes"][g.get("data-node")]["kind"] == "outcome":
            assert float(rect.get("rx")) >= 10 and float(rect.get("stroke-width")) >= 3
        else:
            assert float(rect.get("stroke-width")) < 3


def test_arrows_with_markers_and_labels(tree):
    svg = render_diagram_svg(tree, SV)
    root = ET.fromstring(svg)
    paths = [p for p in root.iter(SVG + "path") if p.get("data-from")]
    pairs = {(p.get("data-from"), p.get("data-to")) for p in paths}
    assert ("vad-har-hant", "fly") in pairs and ("fordjupning", "overvag") in pairs
    assert len(pairs) == len(paths)  # parallel rules are merged into one arrow
    assert all(p.get("marker-end", "").startswith("url(#flowdiagram-provflode") for p in paths)
    texts = " ".join("".join(t.itertext()) for t in root.iter(SVG + "text"))
    assert "annars" in texts and "Jag ska på ett möte" in texts
    assert "minst 4 MÅTTLIG eller" in texts


def test_layers_by_longest_distance(tree):
    lay = layers(tree, edges(tree, SV))
    assert lay["fore-du-borjar"] == 0 and lay["vad-har-hant"] == 1
    assert lay["fordjupning"] == 3 and lay["overvag"] == 4
    assert lay["fly"] == 2


def test_deterministic(tree):
    assert render_diagram_svg(tree, SV) == render_diagram_svg(tree, SV)


def test_texts_escaped_and_truncated(tree):
    tree["title"] = "<script>alert(1)</script>"
    tree["nodes"]["skador"]["title"] = "<img src=x onerror=alert(1)> " + "mycket lång rubrik " * 10
    tree["nodes"]["vad-har-hant"]["options"][1]["label"] = "<b>fet</b> & \"citat\""
    svg = render_diagram_svg(tree, SV)
    assert "<script" not in svg and "<img" not in svg and "<b>" not in svg
    root = ET.fromstring(svg)  # still well-formed
    box = next(g for g in root.iter(SVG + "g") if g.get("data-node") == "skador")
    title = "".join(box.findall(SVG + "text")[1].itertext())
    assert title.endswith("…") and len(title) <= 61


def test_wide_tree_scrolls_rather_than_shrinks(tree):
    node = tree["nodes"]["vad-har-hant"]
    for i in range(8):
        tree["nodes"][f"u{i}"] = {"id": f"u{i}", "kind": "outcome", "title": f"Utfall {i}", "text": "",
                                  "call": [], "actions": [{"text": "x", "contact": None}],
                                  "document": [], "inform": []}
        node["options"].append({"id": f"o{i}", "label": f"Alternativ {i}", "next": f"u{i}"})
    root = ET.fromstring(render_diagram_svg(tree, SV))
    assert "flow-diagram-cols-3" in root.get("class").split()
    assert root.get("style") is None  # no inline style: a strict CSP would block it


def test_cycle_does_not_hang(tree):
    tree["nodes"]["fordjupning"]["next"][-1]["goto"] = "vad-har-hant"
    root = ET.fromstring(render_diagram_svg(tree, SV))
    assert len([g for g in root.iter(SVG + "g") if g.get("data-node")]) == len(tree["nodes"])


def test_css_knows_the_diagram_widths():
    """flow.css sizes the SVG by its column class (no inline style); keep both in step."""
    from pathlib import Path

    from generator.flowpage import diagram_layout as diagram

    css = (Path(__file__).resolve().parents[2] / "theme/assets/stylesheets/flow.css").read_text(encoding="utf-8")
    for cols in range(1, diagram.MAX_COLS + 1):
        width = cols * diagram.BOX_W + (cols - 1) * diagram.H_GAP + 2 * diagram.MARGIN
        assert f".flow-diagram-cols-{cols} {{ max-width: {width}px;" in css
