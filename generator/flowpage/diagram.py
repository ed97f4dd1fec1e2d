"""A deterministic SVG flow diagram of a compiled decision tree.

`render_diagram_svg(compiled)` draws the layout of generator/flowpage/diagram_layout.py: boxes with
wrapped titles, outcomes as rounded boxes with a thicker border, and arrows labelled with the
option label or a short summary of the rule.

No JavaScript, no external fonts (system-ui, sans-serif), every text escaped; the SVG has
role="img", <title>, <desc> and a viewBox, and scales with width 100%. No style attribute (a
strict Content-Security-Policy blocks inline styles): the class `flow-diagram-cols-<n>` (n = 1..3
columns) lets flow.css set max-width and min-width, so wide trees scroll inside their container
instead of shrinking to illegibility.
Standard library only.
"""

from __future__ import annotations

from generator.flowpage.diagram_layout import (BOX_W, CHAR_W_LABEL, KIND_FONT, LABEL_LINE, PAD, TITLE_LINE, Box, Label,
                                      edges, layers, layout)
from generator.flowpage.nodes import inline as _inline
from generator.language import Text
from generator.site.templates import escape


def _e(value) -> str:
    """Text in the SVG, escaped as the templates escape it."""
    return str(escape("" if value is None else value))

__all__ = ["render_diagram_svg", "layers", "edges"]

TITLE_FONT = 14
LABEL_FONT = 12

INK = "#111111"
MUTED = "#374151"
EDGE = "#374151"
STEP_FILL = "#f5f7fa"
STEP_STROKE = "#1f2937"
START_FILL = "#e8f0fb"
OUTCOME_FILL = "#eaf6ec"
OUTCOME_STROKE = "#14532d"


def render_diagram_svg(compiled: dict, text: Text) -> str:
    """The flow diagram as one inline <svg> element (no blank lines, no script), its words in
    the language of `text`."""
    nodes = compiled.get("nodes", {})
    tree_id = _inline(compiled.get("id")) or "tree"
    title = _inline(compiled.get("title")) or tree_id
    start = compiled.get("start")
    geometry = layout(compiled, text)
    prefix = "flowdiagram-" + "".join(c if c.isalnum() or c == "-" else "-" for c in tree_id)
    marker = f"{prefix}-pil"
    outcomes = [n for n, node in nodes.items() if node.get("kind") == "outcome"]
    desc = (text("diagram_summary", start=_inline(nodes.get(start, {}).get("title")) or start,
                 steps=len(nodes) - len(outcomes), outcomes=len(outcomes))
            + (": " + "; ".join(_inline(nodes[o].get("title")) or o for o in outcomes) if outcomes else "")
            + ".")
    w, h = _n(geometry.width), _n(geometry.height)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="flow-diagram-svg flow-diagram-cols-{geometry.cols}" '
        f'viewBox="0 0 {w} {h}" width="100%" role="img" aria-labelledby="{prefix}-titel {prefix}-besk" '
        f'font-family="system-ui, sans-serif">',
        f'<title id="{prefix}-titel">{_e(text("page_diagram", title=title))}</title>',
        f'<desc id="{prefix}-besk">{_e(desc)}</desc>',
        "<defs>",
        f'<marker id="{marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{EDGE}"/></marker>',
        "</defs>",
        f'<rect x="0" y="0" width="{w}" height="{h}" fill="#ffffff"/>',
        f'<g class="flow-diagram-edges" fill="none" stroke="{EDGE}" stroke-width="1.6" stroke-linejoin="round">',
    ]
    for arrow in geometry.arrows:
        dashes = ' stroke-dasharray="5 4"' if arrow.back else ""  # cycles (invalid trees), same-row edges
        out.append(f'<path d="{_polyline(arrow.points)}"{dashes} marker-end="url(#{marker})" '
                   f'data-from="{_e(arrow.source)}" data-to="{_e(arrow.target)}"/>')
    out += ["</g>", '<g class="flow-diagram-labels">']
    out += [_label_svg(label) for label in geometry.labels]
    out += ["</g>", '<g class="flow-diagram-nodes">']
    out += [_box_svg(node_id, box, is_start=node_id == start) for node_id, box in geometry.boxes.items()]
    out += ["</g>", "</svg>"]
    return "\n".join(out)


def _polyline(pts: list[tuple[float, float]]) -> str:
    clean = [pts[0]]
    for p in pts[1:]:
        if (round(p[0], 1), round(p[1], 1)) != (round(clean[-1][0], 1), round(clean[-1][1], 1)):
            clean.append(p)
    return "M" + " L".join(f"{_n(x)},{_n(y)}" for x, y in clean)


def _n(value: float) -> str:
    """Numbers in the SVG: at most one decimal, so the output is stable and short."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _label_svg(label: Label) -> str:
    lines, cx = label.lines, label.cx
    w = max(len(line) for line in lines) * CHAR_W_LABEL + 8
    h = LABEL_LINE * len(lines) + 4
    top = label.cy - h / 2
    tspans = "".join(
        f'<tspan x="{_n(cx)}" y="{_n(top + 2 + LABEL_LINE * (i + 1) - 3)}">{_e(line)}</tspan>'
        for i, line in enumerate(lines))
    return (f'<g class="flow-diagram-label"><rect x="{_n(cx - w / 2)}" y="{_n(top)}" width="{_n(w)}" '
            f'height="{_n(h)}" rx="3" fill="#ffffff" fill-opacity="0.94"/>'
            f'<text font-size="{LABEL_FONT}" fill="{INK}" text-anchor="middle">{tspans}</text></g>')


def _box_svg(node_id: str, b: Box, *, is_start: bool) -> str:
    x, y, w, h = b.x, b.y, BOX_W, b.h
    is_outcome = b.kind == "outcome"
    fill = OUTCOME_FILL if is_outcome else (START_FILL if is_start else STEP_FILL)
    stroke = OUTCOME_STROKE if is_outcome else STEP_STROKE
    stroke_w = 3 if is_outcome else (2.2 if is_start else 1.4)
    rx = 14 if is_outcome else 3
    cx = x + w / 2
    parts = [f'<g class="flow-diagram-node flow-diagram-{_e(b.kind)}" data-node="{_e(node_id)}">',
             f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" rx="{rx}" fill="{fill}" '
             f'stroke="{stroke}" stroke-width="{stroke_w}"/>',
             f'<text x="{_n(cx)}" y="{_n(y + PAD + KIND_FONT - 1)}" font-size="{KIND_FONT}" fill="{MUTED}" '
             f'text-anchor="middle">{_e(b.kind_label)}</text>']
    ty = y + PAD + KIND_FONT + 6
    tspans = "".join(
        f'<tspan x="{_n(cx)}" y="{_n(ty + TITLE_LINE * (i + 1) - 4)}">{_e(line)}</tspan>'
        for i, line in enumerate(b.lines))
    parts.append(f'<text font-size="{TITLE_FONT}" font-weight="600" fill="{INK}" text-anchor="middle">{tspans}</text>')
    parts.append("</g>")
    return "".join(parts)
