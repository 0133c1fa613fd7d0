"""Where everything goes, in world points: layers spaced by their widest labels, edges
routed around nodes, and every label (shown now or later) at a place of its own.

Labels are placed once per trace and text size, for every step at once, so they stay
put while the learner steps; the rules themselves are in :mod:`core.drawing.labels`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.base import cancel
from core.drawing import columns
from core.drawing import labels as rules
from gui.canvas import groups as call_groups
from gui.canvas.measure import text_size

# the keys' first field (see gui.canvas.scene): local, value, gradient, update
_LOCAL, _VALUE, _GRAD, _UPDATE = 0, 1, 2, 3
LABEL_FONT, NAME_FONT, EDGE_FONT = 10.0, 10.5, 9.5
#: a tensor grid's digits: 11 px or more even at the least readable zoom (issue 24, item 8)
GRID_FONT = 10.5
LABEL_GAP, MIN_LAYER_GAP, EDGE_LABEL_PAD, ROW_PAD = 4.0, 24.0, 6.0, 10.0
CURVE_BEND = 0.32
#: an edge's label keeps clear of at most this many other edges at each of its ends
MOST_NEARBY = 24
#: past this many nodes labels take their first place unchecked (placement is linear,
#: but a huge graph is only ever read a window at a time)
PLACE_LIMIT = 4000
_FONT = {_VALUE: (LABEL_FONT, True), _GRAD: (LABEL_FONT, True), _UPDATE: (LABEL_FONT, True),
         _LOCAL: (EDGE_FONT, False)}
_FRACTIONS = (0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78, 0.15, 0.85)
#: a segment whose box is this far from every candidate (world points) cannot cross one,
#: whatever the rounding of the crossing test: it is skipped before the exact test
_MARGIN = 1.0


@dataclass
class Scene:
    pos: np.ndarray  # node centres
    paths: list[np.ndarray]  # each edge as a polyline from centre to centre
    labels: dict  # key -> (cx, cy, w, h)
    names: dict  # node -> (cx, cy, w, h)
    #: a script's function calls: group index -> (cx, cy, w, h) of its label
    groups: dict = None


def label_size(key, text: str, m: float, mono: bool = False) -> tuple[float, float]:
    size, bold = _FONT[key[0]]
    return text_size(text, (GRID_FONT if mono else size) * m, bold, mono)


def arrange(grid: np.ndarray, half: np.ndarray, edges, bend: np.ndarray, texts: dict,
            names: dict, m: float, grids=(), groups=()) -> Scene:
    """``grids``: the keys of tensor labels, drawn in the monospaced grid font;
    ``groups``: (label, member nodes) of a script's function calls."""
    n = len(grid)
    sizes = {key: label_size(key, text, m, key in grids) for key, text in texts.items()}
    cancel.check()  # a superseded build stops between stages (core.base.cancel)
    name_sizes = {v: text_size(name, NAME_FONT * m, True) for v, name in names.items()}
    gap = LABEL_GAP * m
    zero = (0.0, 0.0)
    above, below = np.zeros(n), np.zeros(n)
    for v in range(n):
        hh = half[v, 1]
        vh = sizes.get((_VALUE, v), zero)[1]
        uh = sizes.get((_UPDATE, v), zero)[1]
        above[v] = hh + gap + vh + (uh + gap if uh else 0.0)
        below[v] = hh + gap + sizes.get((_GRAD, v), zero)[1]
    layer = grid[:, 0].astype(int) if n else np.zeros(0, int)
    layers = int(layer.max()) + 1 if n else 0
    pos = np.zeros((n, 2))
    if n:
        pos[:, 1] = grid[:, 1] * _row_height(grid, layer, above, below, m)
    xs, middles = _columns(pos, half, layer, layers, edges, sizes, name_sizes, m)
    cancel.check()
    if n:
        pos[:, 0] = np.asarray(xs)[layer]
    paths = _paths(pos, edges, bend, layer, xs, half, above, below)
    group_requests = []
    for label, members in groups:
        w, h = call_groups.label_size(label, m)
        group_requests.append((w, h, call_groups.candidates(members, pos, above, below,
                                                            w, h, gap)))
    cancel.check()
    labels, name_pos, group_pos = _place(pos, half, sizes, name_sizes, paths, gap, m,
                                         group_requests, edges, middles)
    return Scene(pos, paths, labels, name_pos, group_pos)


def _row_height(grid, layer, above, below, m: float) -> float:
    """World points per row of the layout: enough for the nodes that share a column,
    each pair of neighbours in it apart by what they hold above and below (a column of
    small leaves no longer spreads as far as the graph's biggest node needs: 10-conv-pool's
    x, W and b, issue 24, item 8)."""
    pad = ROW_PAD * m
    row = 0.0
    order = np.lexsort((grid[:, 1], layer))  # by column, then upwards
    lower, upper = order[:-1], order[1:]
    same = layer[lower] == layer[upper]
    if same.any():
        lower, upper = lower[same], upper[same]
        apart = np.maximum(grid[upper, 1] - grid[lower, 1], 1e-9)
        row = float(((below[upper] + above[lower] + pad) / apart).max())
    return row if row > 0 else float(above.max() + below.max() + pad)


def _node_boxes(v, y, half, sizes, name_sizes, gap, m) -> tuple[list, list]:
    """What node ``v`` holds at each height: (boxes reaching left, boxes reaching
    right), each (y0, y1, reach) in world points, its labels at their first places."""
    hw, hh = half[v]
    boxes = [(y - hh, y + hh, hw)]
    top = y + hh + gap
    for key in ((_VALUE, v), (_UPDATE, v)):
        if key in sizes:
            w, h = sizes[key]
            boxes.append((top, top + h, w / 2))
            top += h + gap
    if (_GRAD, v) in sizes:
        w, h = sizes[(_GRAD, v)]
        boxes.append((y - hh - gap - h, y - hh - gap, w / 2))
    rights = list(boxes)
    if v in name_sizes:
        w, h = name_sizes[v]
        rights.append((y - h - 2 * m, y + h + 2 * m, hw + 3 * m + w))
    return boxes, rights


def _columns(pos, half, layer, layers, edges, sizes, name_sizes, m):
    """x of each layer, each two neighbouring layers as close as what they hold at the
    same height allows (core.drawing.columns), with room for the edges' labels between
    them; and for each edge's label, the fraction of its edge where that room is."""
    gap = LABEL_GAP * m
    lefts: list[list] = [[] for _ in range(layers)]
    rights: list[list] = [[] for _ in range(layers)]
    for v in range(len(pos)):
        reach_left, reach_right = _node_boxes(v, pos[v, 1], half, sizes, name_sizes, gap, m)
        lefts[layer[v]] += reach_left
        rights[layer[v]] += reach_right
    spacing = [columns.least_spacing(rights[i], lefts[i + 1]) + MIN_LAYER_GAP * m
               for i in range(layers - 1)]
    middles = _label_room(spacing, pos, layer, edges, sizes, lefts, rights, m)
    xs = [0.0] * layers
    for i in range(1, layers):
        xs[i] = xs[i - 1] + spacing[i - 1]
    return xs, middles


def _label_room(spacing, pos, layer, edges, sizes, lefts, rights, m) -> dict:
    """``spacing`` widened where an edge's label needs more room between two columns;
    for each such label, the fraction of its edge where the room is."""
    big = len(pos) > PLACE_LIMIT  # (its labels take their first places, unchecked)
    fractions = columns.FRACTIONS[:1] if big else columns.FRACTIONS
    level = [i for i, (s, t, _) in enumerate(edges) if layer[t] - layer[s] == 1]
    ends: dict[int, list[int]] = {}  # node -> its edges to or from the next column
    for i in level:
        for v in edges[i][:2]:
            ends.setdefault(v, []).append(i)
    envelopes, middles = {}, {}
    for i, (s, t, _) in enumerate(edges):
        size = sizes.get((_LOCAL, i))
        a, b = layer[s], layer[t]
        if size is None or b <= a:
            continue
        if b - a > 1:  # a skipping edge's label sits on its first stretch, with more room
            need = (size[0] + 2 * EDGE_LABEL_PAD * m) / (b - a)
            spacing[a] = max(spacing[a], spacing[a] - MIN_LAYER_GAP * m + need)
            continue
        if a not in envelopes:
            envelopes[a] = (columns.Envelope(rights[a]), columns.Envelope(lefts[b]))
        near = () if big else {j for v in (s, t) for j in ends.get(v, ())[:MOST_NEARBY]
                               if layer[edges[j][0]] == a} - {i}  # (the same two columns)
        others = [(pos[edges[j][0], 1], pos[edges[j][1], 1]) for j in near]
        need, middles[i] = columns.label_spacing(*envelopes[a], pos[s, 1], pos[t, 1], *size,
                                                 EDGE_LABEL_PAD * m, 2 * m, spacing[a],
                                                 fractions, others)
        spacing[a] = max(spacing[a], need)
    return middles


def _paths(pos, edges, bend, layer, xs, half, above, below) -> list[np.ndarray]:
    centres = [tuple(p) for p in pos]
    bands = [(half[v, 0], above[v], below[v]) for v in range(len(pos))]
    routes = rules.route_edges([(s, t) for s, t, _ in edges], list(layer), xs, centres, bands)
    ts = np.linspace(0.0, 1.0, 14)[:, None]
    paths = []
    for i, (s, t, _) in enumerate(edges):
        p0, p2 = pos[s], pos[t]
        if bend[i]:
            d = p2 - p0
            length = max(float(np.hypot(*d)), 1e-9)
            normal = np.array([-d[1], d[0]]) / length
            ctrl = 0.5 * (p0 + p2) + normal * bend[i] * CURVE_BEND * length
            paths.append((1 - ts) ** 2 * p0 + 2 * (1 - ts) * ts * ctrl + ts ** 2 * p2)
        elif routes[i]:
            paths.append(np.array([p0, *routes[i], p2], float))
        else:
            paths.append(np.array([p0, p2], float))
    return paths


def _clear_first(cands, w, h, nearby: np.ndarray, pad) -> list:
    """``cands`` with those no edge in ``nearby`` (its segments, k×4: ax, ay, bx, by)
    passes through first (issue 24: an edge through a text reads as arithmetic, "s -2 ·
    s"); the others stay as fallbacks."""
    if not cands:
        return []
    rects = np.array([rules.rect_at(c[0], c[1], w, h) for c in cands])
    if len(nearby):  # only segments whose box reaches near the candidates can cross one
        lo = rects[:, :2].min(axis=0) - pad - _MARGIN
        hi = rects[:, 2:].max(axis=0) + pad + _MARGIN
        near = ((np.minimum(nearby[:, 0], nearby[:, 2]) <= hi[0])
                & (np.maximum(nearby[:, 0], nearby[:, 2]) >= lo[0])
                & (np.minimum(nearby[:, 1], nearby[:, 3]) <= hi[1])
                & (np.maximum(nearby[:, 1], nearby[:, 3]) >= lo[1]))
        nearby = nearby[near]
    crossed = rules.crossed(rects, nearby, pad)
    return [c for c, x in zip(cands, crossed, strict=True) if not x] \
        + [c for c, x in zip(cands, crossed, strict=True) if x]


def _segments_by_node(polylines, edges) -> dict:
    """node -> (its edges' segments, k×4: ax, ay, bx, by; the edge of each), in and out."""
    parts: dict[int, list] = {}
    for i, (s, t, _) in enumerate(edges):
        path = np.asarray(polylines[i], float).reshape(-1, 2)
        seg = np.hstack([path[:-1], path[1:]])
        for v in (s, t):
            parts.setdefault(v, []).append((seg, np.full(len(seg), i)))
    return {v: (np.vstack([seg for seg, _ in ps]), np.concatenate([e for _, e in ps]))
            for v, ps in parts.items()}


def _name_candidates(centre, half, w: float, h: float, m: float) -> list:
    """Where a w×h name may go: beside the node, then just above or below an edge
    leaving it level (between the node's value and gradient, which stay over and under
    it: the columns are only as far apart as those need), then at its corners."""
    (x, y), (hw, hh) = centre, half
    corner = 2 * m  # off the node's box, which is an obstacle with a small pad
    side = x + hw + 3 * m + w / 2
    return [(side, y), (side, y + corner + h / 2), (side, y - corner - h / 2),
            (x + hw + corner + w / 2, y + hh + corner + h / 2),
            (x + hw + corner + w / 2, y - hh - corner - h / 2),
            (x - hw - 3 * m - w / 2, y)]


def _place(pos, half, sizes, name_sizes, paths, gap, m, group_requests=(), edges=(),
           middles=None):
    n = len(pos)
    big = n > PLACE_LIMIT  # first places only, unchecked
    order, requests = [], []
    polylines = [path.tolist() for path in paths]
    touching = {} if big else _segments_by_node(polylines, edges)
    none = (np.zeros((0, 4)), np.zeros(0, int))
    pad = 1.0 * m
    for v, (w, h) in name_sizes.items():
        cands = _name_candidates(pos[v], half[v], w, h, m)
        first = cands[0]
        cands = _clear_first(cands, w, h, touching.get(v, none)[0], pad)
        order.append(("name", v))
        requests.append((w, h, cands, first))
    for layer in (_VALUE, _UPDATE, _GRAD):
        for key, (w, h) in sizes.items():
            if key[0] != layer:
                continue
            v = key[1]
            x, y = pos[v]
            hh = half[v, 1]
            if layer == _GRAD:
                base = y - hh - gap - h / 2
                step = -h * 0.5
            else:
                base = y + hh + gap + h / 2
                if layer == _UPDATE:
                    base += sizes.get((_VALUE, v), (0.0, 0.0))[1] + gap
                step = h * 0.5
            cands = []
            for k in range(1 if big else 4):
                yk = base + k * step
                cands += [(x, yk), (x - w / 2 - 4 * m, yk), (x + w / 2 + 4 * m, yk)]
            order.append(key)
            requests.append((w, h, cands))
    cancel.check()
    for key, (w, h) in sizes.items():
        if key[0] != _LOCAL:
            continue
        path = polylines[key[1]]
        if big:
            cands = rules.along(path, _FRACTIONS[:1])
        else:  # beside its edge, clear of the edges next to it; on it only as a last resort
            s, t, _ = edges[key[1]]
            near = [touching.get(v, none) for v in (s, t)]
            nearby = np.vstack([seg[edge != key[1]] for seg, edge in near])
            fractions = _FRACTIONS
            if middles and key[1] in middles:
                fractions = (middles[key[1]], *_FRACTIONS[:-1])
            cands = rules.beside(path, fractions, w, h, 2 * m) \
                + rules.beside(path, fractions[:3], w, h, 2 * m + h)
            # (rules.place tries MAX_CANDIDATES = 32: 24 beside, then 3 on the edge)
            cands = _clear_first(cands, w, h, nearby, pad) + rules.along(path, _FRACTIONS[:3])
        order.append(key)
        requests.append((w, h, cands, rules.along(path, _FRACTIONS[:1])[0]))
    for i, request in enumerate(group_requests):
        order.append(("group", i))
        requests.append(request)
    cancel.check()
    if big:
        chosen = [(tuple(request[2][0]), True) for request in requests]
    else:
        obstacles = [(pos[v, 0] - half[v, 0], pos[v, 1] - half[v, 1],
                      pos[v, 0] + half[v, 0], pos[v, 1] + half[v, 1]) for v in range(n)]
        chosen = rules.place(obstacles, requests)
    labels, names, group_pos = {}, {}, {}
    for key, (w, h, *_), ((cx, cy), _) in zip(order, requests, chosen, strict=True):
        if key[0] == "name":
            names[key[1]] = (cx, cy, w, h)
        elif key[0] == "group":
            group_pos[key[1]] = (cx, cy, w, h)
        else:
            labels[key] = (cx, cy, w, h)
    return labels, names, group_pos
