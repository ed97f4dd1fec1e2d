"""Where everything in a flow diagram goes: pure geometry, no SVG (drawn by generator/flowpage/diagram.py).

The nodes are laid out top to bottom in layers by their longest distance from the start node,
each layer ordered to reduce crossings (barycentre sweeps, ties by YAML order) and wrapped
into rows of at most MAX_COLS boxes. Arrows run down through lanes in the channel above each
row and around boxes; arrows that go back up (only in invalid trees) round the right side.
Deterministic: the same tree always gives the same layout.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.flowpage.nodes import inline as _inline, kind_label
from generator.flowpage.routes import route_list
from generator.language import Text

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
TITLE_LINE = 18
LABEL_LINE = 14
CHAR_W_TITLE = 8.0   # a generous average advance for 14px bold system-ui
CHAR_W_LABEL = 6.6   # for 12px regular
TITLE_MAX = 60
LABEL_MAX = 60
LABEL_W = 160
LABEL_LINES = 3


@dataclass
class Box:
    x: float
    y: float
    h: float
    lines: list[str]
    kind: str
    kind_label: str
    w: float = BOX_W


@dataclass
class Arrow:
    source: str
    target: str
    points: list[tuple[float, float]]
    back: bool = False


@dataclass
class Label:
    lines: list[str]
    cx: float
    cy: float


@dataclass
class Layout:
    width: float
    height: float
    cols: int
    boxes: dict[str, Box] = field(default_factory=dict)
    arrows: list[Arrow] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)


def truncate(text: str, limit: int) -> str:
    text = _inline(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,.;:-\u2013") + "\u2026"


def wrap(text: str, width: int, max_lines: int) -> list[str]:
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


def label_lines(label: str) -> list[str]:
    return wrap(truncate(label, LABEL_MAX), int(LABEL_W / CHAR_W_LABEL), LABEL_LINES)


def edges(compiled: dict, text: Text) -> list[tuple[str, str, str]]:
    """(source, target, label) with labels of parallel edges merged, in a stable order."""
    nodes = compiled.get("nodes", {})
    merged: dict[tuple[str, str], list[str]] = {}
    for node_id in nodes:
        for route in route_list(compiled, node_id, text):
            goto = route["goto"]
            if not goto or goto not in nodes:
                continue
            labels = merged.setdefault((node_id, goto), [])
            if route["label"] and route["label"] not in labels:
                labels.append(route["label"])
    return [(s, t, " / ".join(labels)) for (s, t), labels in merged.items()]


def _back_edges(roots: list[str], succ: dict[str, list[str]]) -> set[tuple[str, str]]:
    """Edges that close a cycle, by depth-first search from the start, then from the rest."""
    back: set[tuple[str, str]] = set()
    state: dict[str, int] = {}
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
    return back


def layers(compiled: dict, edge_list: list[tuple[str, str, str]]) -> dict[str, int]:
    """Layer of each node: its longest distance from the start (back edges ignored)."""
    nodes = list(compiled.get("nodes", {}))
    start = compiled.get("start")
    succ: dict[str, list[str]] = {n: [] for n in nodes}
    for s, t, _ in edge_list:
        succ[s].append(t)
    roots = ([start] if start in succ else []) + nodes
    back = _back_edges(roots, succ)
    preds: dict[str, list[str]] = {n: [] for n in nodes}
    indeg = {n: 0 for n in nodes}
    for s in nodes:
        for t in succ[s]:
            if (s, t) not in back:
                preds[t].append(s)
                indeg[t] += 1
    layer: dict[str, int] = {}
    queue = list(dict.fromkeys(n for n in roots if indeg[n] == 0))
    seen = set(queue)
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


def _bfs_order(compiled: dict, edge_list) -> dict[str, int]:
    succ: dict[str, list[str]] = {}
    for s, t, _ in edge_list:
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


def _boxes(compiled: dict, text: Text) -> dict[str, Box]:
    """Each node's box with its wrapped title and height; placed later."""
    chars = int((BOX_W - 2 * PAD) / CHAR_W_TITLE)
    boxes = {}
    for node_id, node in compiled.get("nodes", {}).items():
        kind = node.get("kind", "")
        lines = wrap(truncate(node.get("title") or node_id, TITLE_MAX), chars, 4)
        label = kind_label(kind, text)
        if node_id == compiled.get("start"):
            label = text("kind_start", kind=label)
        height = PAD + KIND_FONT + 6 + TITLE_LINE * max(1, len(lines)) + PAD - 2
        boxes[node_id] = Box(0.0, 0.0, height, lines, kind, label)
    return boxes


def _rows(compiled: dict, edge_list) -> list[list[str]]:
    """The layers, ordered (BFS order, then parents' barycentre), wrapped into rows of MAX_COLS."""
    nodes = compiled.get("nodes", {})
    layer_of = layers(compiled, edge_list)
    layer_rows: list[list[str]] = [[] for _ in range(max(layer_of.values(), default=-1) + 1)]
    order_index = {n: i for i, n in enumerate(nodes)}
    bfs = _bfs_order(compiled, edge_list)
    for n in sorted(nodes, key=lambda n: bfs.get(n, len(bfs) + order_index[n])):
        layer_rows[layer_of[n]].append(n)
    parents: dict[str, list[str]] = {}
    for s, t, _ in edge_list:
        if layer_of[t] > layer_of[s]:
            parents.setdefault(t, []).append(s)
    pos: dict[str, float] = {}
    for row in layer_rows:
        _reorder(row, parents, pos)
    return [row[i:i + MAX_COLS] for row in layer_rows for i in range(0, len(row), MAX_COLS)]


class _Placer:
    """Places boxes in rows, the channels above them, and the arrows and labels in those."""

    def __init__(self, compiled: dict, text: Text):
        self.edges = edges(compiled, text)
        self.boxes = _boxes(compiled, text)
        self.rows = _rows(compiled, self.edges)
        self.row_of = {n: r for r, row in enumerate(self.rows) for n in row}
        self.cols = max((len(row) for row in self.rows), default=1)
        inner_w = self.cols * BOX_W + (self.cols - 1) * H_GAP
        self.width = inner_w + 2 * MARGIN
        for row in self.rows:  # each row centred
            x = MARGIN + (inner_w - (len(row) * BOX_W + (len(row) - 1) * H_GAP)) / 2
            for n in row:
                self.boxes[n].x = x
                x += BOX_W + H_GAP
        self.forward = [(s, t, lab) for s, t, lab in self.edges if self.row_of[t] > self.row_of[s]]
        self.backward = [(s, t, lab) for s, t, lab in self.edges if self.row_of[t] <= self.row_of[s]]
        self.used: list[tuple[float, float, float, str]] = []  # vertical runs: x, y from, y to, source

    def place_rows(self) -> None:
        """Channels above each row: lanes for horizontal runs (one per source), then labels."""
        self.lanes: list[list[str]] = [[] for _ in self.rows]
        for s, t, _ in self.forward:
            for r in {self.row_of[s] + 1, self.row_of[t]}:
                if s not in self.lanes[r]:
                    self.lanes[r].append(s)
        self.label_stack: dict[str, list[tuple[str, list[str]]]] = {}
        for s, t, lab in self.forward:
            if lab:
                self.label_stack.setdefault(t, []).append((s, label_lines(lab)))
        label_h = {t: sum(LABEL_LINE * len(lines) + 6 for _, lines in items) for t, items in self.label_stack.items()}
        self.channel_top: list[float] = []
        y = MARGIN
        for r, row in enumerate(self.rows):
            self.channel_top.append(y)
            if r:
                labels_here = max((label_h.get(n, 0) for n in row), default=0)
                y += LANE_TOP + LANE_GAP * max(1, len(self.lanes[r])) + labels_here + ARROW_ROOM
            for n in row:
                self.boxes[n].y = y
            y += max(self.boxes[n].h for n in row)
        self.extra = BACK_ROOM if self.backward else 0
        self.height = y + MARGIN + self.extra

    def lane_y(self, r: int, source: str) -> float:
        return self.channel_top[r] + LANE_TOP + LANE_GAP * self.lanes[r].index(source)

    def free_x(self, r_from: int, r_to: int, want: float, y_from: float, y_to: float, source: str) -> float:
        """An x for a vertical run through rows r_from..r_to-1 that crosses no box and does
        not run along another source's vertical run."""
        xs = {n: b.x for n, b in self.boxes.items()}
        blocked = [(xs[n] - 6, xs[n] + BOX_W + 6) for r in range(r_from, r_to) for n in self.rows[r]]
        bases = [want, MARGIN / 2, self.width - MARGIN / 2]
        for r in range(r_from, r_to):
            row = self.rows[r]
            bases += [xs[a] + BOX_W + H_GAP / 2 for a in row[:-1]]
            if row:
                bases += [xs[row[0]] - H_GAP / 2, xs[row[-1]] + BOX_W + H_GAP / 2]
        candidates = [b + d for b in bases for d in (0, -6, 6, -12, 12)]

        def ok(c: float) -> bool:
            if not 2 <= c <= self.width - 2 or any(lo < c < hi for lo, hi in blocked):
                return False
            return not any(abs(c - ux) < 5 and src != source and y_from < u2 and uy < y_to
                           for ux, uy, u2, src in self.used)

        good = [c for c in candidates if ok(c)]
        x = min(good, key=lambda c: (abs(c - want), c)) if good else MARGIN / 2
        self.used.append((x, y_from, y_to, source))
        return x

    def ports(self) -> dict[tuple[str, str], float]:
        """Incoming ports: spread when several arrows end at one box."""
        incoming: dict[str, list[str]] = {}
        for s, t, _ in self.edges:
            incoming.setdefault(t, []).append(s)
        in_x: dict[tuple[str, str], float] = {}
        for t, sources in incoming.items():
            sources = sorted(sources, key=lambda s: (self.boxes[s].x, s))
            k = len(sources)
            step = min(18.0, (BOX_W - 40) / k) if k > 1 else 0.0
            for j, s in enumerate(sources):
                in_x[(s, t)] = self.boxes[t].x + BOX_W / 2 + (j - (k - 1) / 2) * step
        return in_x

    def arrows(self, in_x: dict[tuple[str, str], float]) -> list[Arrow]:
        out = []
        for s, t, _ in self.forward:
            src, dst = self.boxes[s], self.boxes[t]
            sx, sy, tx = src.x + BOX_W / 2, src.y + src.h, in_x[(s, t)]
            rs, rt = self.row_of[s], self.row_of[t]
            y1 = self.lane_y(rs + 1, s)
            pts = [(sx, sy), (sx, y1)]
            if rt == rs + 1:
                pts += [(tx, y1)]
            else:
                y2 = self.lane_y(rt, s)
                cx = self.free_x(rs + 1, rt, tx, y1, y2, s)
                pts += [(cx, y1), (cx, y2), (tx, y2)]
            out.append(Arrow(s, t, pts + [(tx, dst.y)]))
        for s, t, _ in self.backward:  # cycles (invalid trees) and same-row edges: round the right side
            src, dst = self.boxes[s], self.boxes[t]
            sx, sy, tx = src.x + BOX_W / 2, src.y + src.h, in_x[(s, t)]
            yb = self.height - MARGIN - self.extra / 2
            xr = self.width - MARGIN / 4
            pts = [(sx, sy), (sx, yb), (xr, yb), (xr, dst.y - 8), (tx, dst.y - 8), (tx, dst.y)]
            out.append(Arrow(s, t, pts, back=True))
        return out

    def labels(self, in_x: dict[tuple[str, str], float]) -> list[Label]:
        out = []
        for t, items in self.label_stack.items():
            bottom = self.boxes[t].y - ARROW_ROOM + 4
            for s, lines in reversed(items):
                h = LABEL_LINE * len(lines) + 4
                cx = in_x[(s, t)] if len(items) == 1 else self.boxes[t].x + BOX_W / 2
                out.append(Label(lines, cx, bottom - h / 2))
                bottom -= h + 2
        for s, t, lab in self.backward:
            if lab:
                out.append(Label(label_lines(lab), self.boxes[t].x + BOX_W / 2, self.boxes[t].y - ARROW_ROOM - 8))
        return out


def layout(compiled: dict, text: Text) -> Layout:
    """The whole diagram's geometry."""
    placer = _Placer(compiled, text)
    placer.place_rows()
    in_x = placer.ports()
    arrows = placer.arrows(in_x)
    return Layout(placer.width, placer.height, placer.cols, placer.boxes, arrows, placer.labels(in_x))
