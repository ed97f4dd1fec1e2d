"""A deterministic SVG flow diagram of a compiled decision tree.

`render_diagram_svg(compiled)` lays the nodes out top to bottom in layers by their longest
distance from the start node (long edges are routed through invisible slots so they go
around boxes), orders each layer to reduce crossings (barycentre sweeps, ties by YAML
order), and draws boxes with wrapped titles, outcomes as rounded boxes with a thicker
border, and arrows labelled with the option label or a short summary of the rule.

No JavaScript, no external fonts (system-ui, sans-serif), every text escaped; the SVG has
role="img", <title>, <desc> and a viewBox, and scales with width 100%. No style attribute (a
strict Content-Security-Policy blocks inline styles): the class `flow-diagram-cols-<n>` (n = 1..3
columns) lets flow.css set max-width and min-width, so wide trees scroll inside their container
instead of shrinking to illegibility.
Standard library only.
"""

from __future__ import annotations

from generator.flowpage import _e, _inline, _t, kind_label, language, route_list
from generator.language import Text

__all__ = ["render_diagram_svg", "layers"]

BOX_W = 210
H_GAP = 32
MAX_COLS = 3       # wider layers wrap onto further rows, so the diagram stays narrow
LANE_TOP = 12      # channel above a row: first lane for horizontal runs
LANE_GAP = 7       # between lanes (one lane per source node)
ARROW_ROOM = 16    # between the labels and the box the arrow points at
BACK_ROOM = 36     # below the last row, for edges that go back up (only in invalid trees)
MARGIN = 20
PAD = 10
KIND_FONT = 12
TITLE_FONT = 14
TITLE_LINE = 18
LABEL_FONT = 12
LABEL_LINE = 14
CHAR_W_TITLE = 8.0   # a generous average advance for 14px bold system-ui
CHAR_W_LABEL = 6.6   # for 12px regular
TITLE_MAX = 60
LABEL_MAX = 60
LABEL_W = 160
LABEL_LINES = 3

INK = "#111111"
MUTED = "#374151"
EDGE = "#374151"
STEP_FILL = "#f5f7fa"
STEP_STROKE = "#1f2937"
START_FILL = "#e8f0fb"
OUTCOME_FILL = "#eaf6ec"
OUTCOME_STROKE = "#14532d"


def _truncate(text: str, limit: int) -> str:
    text = _inline(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,.;:-\u2013") + "\u2026"


def _wrap(text: str, width: int, max_lines: int) -> list[str]:
    words = _inline(text).split(" ") if text else []
    lines: list[str] = []
    line = ""
    for word in words:
        while len(word) > width:  # hard-split very long words
            if line:
                lines.append(line)
                line = ""
            lines.append(word[: width - 1] + "-")
            word = word[width - 1:]
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        if len(last) >= width:
            last = last[: width - 1]
        lines[-1] = last.rstrip(" ,.;:-") + "\u2026"
    return lines


def _edges(compiled: dict) -> list[tuple[str, str, str]]:
    """(source, target, label) with labels of parallel edges merged, in a stable order."""
    nodes = compiled.get("nodes", {})
    merged: dict[tuple[str, str], list[str]] = {}
    for node_id in nodes:
        for route in route_list(compiled, node_id):
            goto = route["goto"]
            if not goto or goto not in nodes:
                continue
            labels = merged.setdefault((node_id, goto), [])
            if route["label"] and route["label"] not in labels:
                labels.append(route["label"])
    return [(s, t, " / ".join(labels)) for (s, t), labels in merged.items()]


def layers(compiled: dict) -> dict[str, int]:
    """Layer of each node: its longest distance from the start (back edges ignored)."""
    nodes = list(compiled.get("nodes", {}))
    start = compiled.get("start")
    succ: dict[str, list[str]] = {n: [] for n in nodes}
    for s, t, _ in _edges(compiled):
        succ[s].append(t)
    # depth-first search from the start, then from the rest, to find back edges
    back: set[tuple[str, str]] = set()
    state: dict[str, int] = {}
    roots = ([start] if start in succ else []) + nodes
    for root in roots:
        if root in state:
            continue
        stack = [(root, iter(succ[root]))]
        state[root] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                back.add((node, nxt))
            elif nxt not in state:
                state[nxt] = 1
                stack.append((nxt, iter(succ[nxt])))
    preds: dict[str, list[str]] = {n: [] for n in nodes}
    indeg = {n: 0 for n in nodes}
    for s in nodes:
        for t in succ[s]:
            if (s, t) not in back:
                preds[t].append(s)
                indeg[t] += 1
    layer: dict[str, int] = {}
    ready = [n for n in roots if indeg[n] == 0]
    seen: set[str] = set()
    queue = []
    for n in ready:
        if n not in seen:
            seen.add(n)
            queue.append(n)
    while queue:
        node = queue.pop(0)
        layer[node] = max((layer[p] + 1 for p in preds[node]), default=0)
        for t in succ[node]:
            if (node, t) in back:
                continue
            indeg[t] -= 1
            if indeg[t] == 0 and t not in seen:
                seen.add(t)
                queue.append(t)
    for n in nodes:  # defensive: anything left (should not happen) goes below
        layer.setdefault(n, max(layer.values(), default=-1) + 1)
    return layer


def render_diagram_svg(compiled: dict, text: Text | None = None) -> str:
    """The flow diagram as one inline <svg> element (no blank lines, no script), its words in
    the language of `text` (Swedish when not given)."""
    with language(text):
        return _render_diagram_svg(compiled)


def _render_diagram_svg(compiled: dict) -> str:
    nodes = compiled.get("nodes", {})
    tree_id = _inline(compiled.get("id")) or "flode"
    title = _inline(compiled.get("title")) or tree_id
    start = compiled.get("start")
    layer_of = layers(compiled)
    edges = _edges(compiled)

    # boxes: wrapped text and height
    box: dict[str, dict] = {}
    chars = int((BOX_W - 2 * PAD) / CHAR_W_TITLE)
    for node_id, node in nodes.items():
        kind = node.get("kind", "")
        lines = _wrap(_truncate(node.get("title") or node_id, TITLE_MAX), chars, 4)
        label = kind_label(kind)
        if node_id == start:
            label = _t("kind_start", kind=label)
        height = PAD + KIND_FONT + 6 + TITLE_LINE * max(1, len(lines)) + PAD - 2
        box[node_id] = {"lines": lines, "kind": kind, "kind_label": label, "w": BOX_W, "h": height}

    # layers, ordered (BFS order, then parents' barycentre), wrapped into rows of MAX_COLS
    n_layers = max(layer_of.values(), default=-1) + 1
    layer_rows: list[list[str]] = [[] for _ in range(n_layers)]
    order_index = {n: i for i, n in enumerate(nodes)}
    bfs = _bfs_order(compiled, edges)
    for n in sorted(nodes, key=lambda n: bfs.get(n, len(bfs) + order_index[n])):
        layer_rows[layer_of[n]].append(n)
    parents: dict[str, list[str]] = {}
    for s, t, _ in edges:
        if layer_of[t] > layer_of[s]:
            parents.setdefault(t, []).append(s)
    pos: dict[str, float] = {}
    for row in layer_rows:
        _reorder(row, parents, pos)
    rows: list[list[str]] = []
    for row in layer_rows:
        for i in range(0, len(row), MAX_COLS):
            rows.append(row[i:i + MAX_COLS])
    row_of = {n: r for r, row in enumerate(rows) for n in row}
    cols = max((len(row) for row in rows), default=1)
    inner_w = cols * BOX_W + (cols - 1) * H_GAP
    total_w = inner_w + 2 * MARGIN

    # x of every box: each row centred
    xs: dict[str, float] = {}
    for row in rows:
        w = len(row) * BOX_W + (len(row) - 1) * H_GAP
        x = MARGIN + (inner_w - w) / 2
        for n in row:
            xs[n] = x
            x += BOX_W + H_GAP

    # channels above each row: lanes for horizontal runs (one per source), then labels
    forward = [(s, t, lab) for s, t, lab in edges if row_of[t] > row_of[s]]
    backward = [(s, t, lab) for s, t, lab in edges if row_of[t] <= row_of[s]]
    lanes: list[list[str]] = [[] for _ in rows]
    for s, t, _ in forward:
        for r in {row_of[s] + 1, row_of[t]}:
            if s not in lanes[r]:
                lanes[r].append(s)
    label_stack: dict[str, list[tuple[str, str, list[str]]]] = {}
    for s, t, lab in forward:
        if lab:
            label_stack.setdefault(t, []).append((s, lab, _label_lines(lab)))
    label_h = {t: sum(LABEL_LINE * len(lines) + 6 for _, _, lines in items) for t, items in label_stack.items()}
    channel_h = [0.0] * len(rows)
    for r, row in enumerate(rows):
        if r == 0:
            continue
        labels_here = max((label_h.get(n, 0) for n in row), default=0)
        channel_h[r] = LANE_TOP + LANE_GAP * max(1, len(lanes[r])) + labels_here + ARROW_ROOM
    row_h = [max(box[n]["h"] for n in row) for row in rows]
    ys: dict[str, float] = {}
    row_top: list[float] = []
    channel_top: list[float] = []
    y = MARGIN
    for r, row in enumerate(rows):
        channel_top.append(y)
        y += channel_h[r]
        row_top.append(y)
        for n in row:
            ys[n] = y
        y += row_h[r]
    extra = BACK_ROOM if backward else 0
    total_h = y + MARGIN + extra

    def lane_y(r: int, source: str) -> float:
        return channel_top[r] + LANE_TOP + LANE_GAP * lanes[r].index(source)

    used: list[tuple[float, float, float, str]] = []  # vertical runs: x, y from, y to, source

    def free_x(r_from: int, r_to: int, want: float, y_from: float, y_to: float, source: str) -> float:
        """An x for a vertical run through rows r_from..r_to-1 that crosses no box and does
        not run along another source's vertical run."""
        blocked = [(xs[n] - 6, xs[n] + BOX_W + 6) for r in range(r_from, r_to) for n in rows[r]]
        bases = [want, MARGIN / 2, total_w - MARGIN / 2]
        for r in range(r_from, r_to):
            row = rows[r]
            bases += [xs[a] + BOX_W + H_GAP / 2 for a in row[:-1]]
            if row:
                bases += [xs[row[0]] - H_GAP / 2, xs[row[-1]] + BOX_W + H_GAP / 2]
        candidates = [b + d for b in bases for d in (0, -6, 6, -12, 12)]

        def ok(c: float) -> bool:
            if not 2 <= c <= total_w - 2 or any(lo < c < hi for lo, hi in blocked):
                return False
            return not any(abs(c - ux) < 5 and src != source and y_from < u2 and uy < y_to
                           for ux, uy, u2, src in used)

        good = [c for c in candidates if ok(c)]
        x = min(good, key=lambda c: (abs(c - want), c)) if good else MARGIN / 2
        used.append((x, y_from, y_to, source))
        return x

    # incoming ports: spread when several arrows end at one box
    incoming: dict[str, list[str]] = {}
    for s, t, _ in edges:
        incoming.setdefault(t, []).append(s)
    in_x: dict[tuple[str, str], float] = {}
    for t, sources in incoming.items():
        sources = sorted(sources, key=lambda s: (xs[s], s))
        k = len(sources)
        step = min(18.0, (BOX_W - 40) / k) if k > 1 else 0.0
        for j, s in enumerate(sources):
            in_x[(s, t)] = xs[t] + BOX_W / 2 + (j - (k - 1) / 2) * step

    prefix = "flowdiagram-" + "".join(c if c.isalnum() or c == "-" else "-" for c in tree_id)
    marker = f"{prefix}-pil"
    outcomes = [n for n, node in nodes.items() if node.get("kind") == "outcome"]
    steps = len(nodes) - len(outcomes)
    desc = (_t("diagram_summary", start=_inline(nodes.get(start, {}).get("title")) or start, steps=steps,
               outcomes=len(outcomes))
            + (": " + "; ".join(_inline(nodes[o].get("title")) or o for o in outcomes) if outcomes else "")
            + ".")

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="flow-diagram-svg flow-diagram-cols-{cols}" '
        f'viewBox="0 0 {_n(total_w)} {_n(total_h)}" width="100%" role="img" aria-labelledby="{prefix}-titel {prefix}-besk" '
        f'font-family="system-ui, sans-serif">',
        f'<title id="{prefix}-titel">{_e(_t("page_diagram", title=title))}</title>',
        f'<desc id="{prefix}-besk">{_e(desc)}</desc>',
        "<defs>",
        f'<marker id="{marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{EDGE}"/></marker>',
        "</defs>",
        f'<rect x="0" y="0" width="{_n(total_w)}" height="{_n(total_h)}" fill="#ffffff"/>',
        f'<g class="flow-diagram-edges" fill="none" stroke="{EDGE}" stroke-width="1.6" stroke-linejoin="round">',
    ]
    for s, t, _ in forward:
        sx, sy = xs[s] + BOX_W / 2, ys[s] + box[s]["h"]
        tx, ty = in_x[(s, t)], ys[t]
        rs, rt = row_of[s], row_of[t]
        y1 = lane_y(rs + 1, s)
        pts = [(sx, sy), (sx, y1)]
        if rt == rs + 1:
            pts += [(tx, y1)]
        else:
            y2 = lane_y(rt, s)
            cx = free_x(rs + 1, rt, tx, y1, y2, s)
            pts += [(cx, y1), (cx, y2), (tx, y2)]
        pts.append((tx, ty))
        out.append(f'<path d="{_polyline(pts)}" marker-end="url(#{marker})" data-from="{_e(s)}" data-to="{_e(t)}"/>')
    for s, t, _ in backward:  # cycles (invalid trees) and same-row edges: round the right side
        sx, sy = xs[s] + BOX_W / 2, ys[s] + box[s]["h"]
        tx, ty = in_x[(s, t)], ys[t]
        yb = total_h - MARGIN - extra / 2
        xr = total_w - MARGIN / 4
        yt = ty - 8
        pts = [(sx, sy), (sx, yb), (xr, yb), (xr, yt), (tx, yt), (tx, ty)]
        out.append(f'<path d="{_polyline(pts)}" stroke-dasharray="5 4" marker-end="url(#{marker})" '
                   f'data-from="{_e(s)}" data-to="{_e(t)}"/>')
    out.append("</g>")
    out.append('<g class="flow-diagram-labels">')
    for t, items in label_stack.items():
        bottom = ys[t] - ARROW_ROOM + 4
        for s, lab, lines in reversed(items):
            h = LABEL_LINE * len(lines) + 4
            out.append(_label_svg(lab, in_x[(s, t)] if len(items) == 1 else xs[t] + BOX_W / 2, bottom - h / 2))
            bottom -= h + 2
    for s, t, lab in backward:
        if lab:
            out.append(_label_svg(lab, xs[t] + BOX_W / 2, ys[t] - ARROW_ROOM - 8))
    out.append("</g>")
    out.append('<g class="flow-diagram-nodes">')
    for node_id in nodes:
        out.append(_box_svg(node_id, box[node_id], (xs[node_id], ys[node_id], BOX_W, box[node_id]["h"]),
                            is_start=node_id == start))
    out.append("</g>")
    out.append("</svg>")
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


def _bfs_order(compiled: dict, edges) -> dict[str, int]:
    succ: dict[str, list[str]] = {}
    for s, t, _ in edges:
        succ.setdefault(s, []).append(t)
    start = compiled.get("start")
    order: dict[str, int] = {}
    queue = [start] if start in compiled.get("nodes", {}) else []
    while queue:
        n = queue.pop(0)
        if n in order:
            continue
        order[n] = len(order)
        queue += [t for t in succ.get(n, []) if t not in order]
    return order


def _reorder(row: list[str], parents: dict[str, list[str]], pos: dict[str, float]) -> None:
    """Order a layer by the mean position of each node's parents (stable), then record positions."""
    def key(item):
        i, n = item
        near = [pos[m] for m in parents.get(n, []) if m in pos]
        return (sum(near) / len(near) if near else float("inf"), i)

    row[:] = [n for _, n in sorted(enumerate(row), key=key)]
    width = max(1, len(row) - 1)
    for i, n in enumerate(row):
        pos[n] = i / width if len(row) > 1 else 0.5


def _label_lines(label: str) -> list[str]:
    return _wrap(_truncate(label, LABEL_MAX), int(LABEL_W / CHAR_W_LABEL), LABEL_LINES)


def _label_svg(label: str, cx: float, cy: float) -> str:
    lines = _label_lines(label)
    w = max(len(line) for line in lines) * CHAR_W_LABEL + 8
    h = LABEL_LINE * len(lines) + 4
    top = cy - h / 2
    tspans = "".join(
        f'<tspan x="{_n(cx)}" y="{_n(top + 2 + LABEL_LINE * (i + 1) - 3)}">{_e(line)}</tspan>'
        for i, line in enumerate(lines))
    return (f'<g class="flow-diagram-label"><rect x="{_n(cx - w / 2)}" y="{_n(top)}" width="{_n(w)}" '
            f'height="{_n(h)}" rx="3" fill="#ffffff" fill-opacity="0.94"/>'
            f'<text font-size="{LABEL_FONT}" fill="{INK}" text-anchor="middle">{tspans}</text></g>')


def _box_svg(node_id: str, b: dict, geom, *, is_start: bool) -> str:
    x, y, w, h = geom
    is_outcome = b["kind"] == "outcome"
    fill = OUTCOME_FILL if is_outcome else (START_FILL if is_start else STEP_FILL)
    stroke = OUTCOME_STROKE if is_outcome else STEP_STROKE
    stroke_w = 3 if is_outcome else (2.2 if is_start else 1.4)
    rx = 14 if is_outcome else 3
    cx = x + w / 2
    parts = [f'<g class="flow-diagram-node flow-diagram-{_e(b["kind"])}" data-node="{_e(node_id)}">',
             f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" rx="{rx}" fill="{fill}" '
             f'stroke="{stroke}" stroke-width="{stroke_w}"/>',
             f'<text x="{_n(cx)}" y="{_n(y + PAD + KIND_FONT - 1)}" font-size="{KIND_FONT}" fill="{MUTED}" '
             f'text-anchor="middle">{_e(b["kind_label"])}</text>']
    ty = y + PAD + KIND_FONT + 6
    tspans = "".join(
        f'<tspan x="{_n(cx)}" y="{_n(ty + TITLE_LINE * (i + 1) - 4)}">{_e(line)}</tspan>'
        for i, line in enumerate(b["lines"]))
    parts.append(f'<text font-size="{TITLE_FONT}" font-weight="600" fill="{INK}" text-anchor="middle">{tspans}</text>')
    parts.append("</g>")
    return "".join(parts)
