"""Collision-free label placement for the layered graph: pure numbers, no Qt, no fonts.

Everything is in *world points*: the canvas draws one world point as one typographic
point at zoom 1 and scales text with the geometry, so a placement without overlaps at
zoom 1 has none at any zoom where text is drawn.

* :func:`column_positions` spaces the layers by their widest labels;
* :func:`route_edges` sends an edge that skips layers through the gaps between the
  nodes of the layers it crosses (waypoints, as in Sugiyama layouts);
* :func:`place` gives each label the first of its candidate positions that overlaps no
  node and no label placed before it (a uniform grid keeps it linear in the count).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

Rect = tuple[float, float, float, float]  # x0, y0, x1, y1
#: grid cell of the overlap index (world points)
CELL = 48.0
#: a label's candidates are tried in order; this many at most
MAX_CANDIDATES = 32
#: edges that skip more layers than this stay straight (a parameter used all along a
#: long chain would otherwise cost layers × nodes, and is read a window at a time)
MAX_ROUTED_SPAN = 12


def column_positions(left: Sequence[float], right: Sequence[float],
                     gaps: Sequence[float]) -> list[float]:
    """x of each layer: ``left[i]``/``right[i]`` are the room its nodes and labels need
    on either side of its centre line, ``gaps[i]`` the room between layer i and i + 1."""
    xs = [0.0] * len(left)
    for i in range(1, len(left)):
        xs[i] = xs[i - 1] + right[i - 1] + gaps[i - 1] + left[i]
    return xs


def route_edges(edges: Sequence[tuple[int, int]], layer: Sequence[int],
                xs: Sequence[float], centres: Sequence[tuple[float, float]],
                bands: Sequence[tuple[float, float, float]], margin: float = 6.0
                ) -> list[list[tuple[float, float]] | None]:
    """Waypoints for each (source, target) edge that skips a layer, else None.

    ``bands[v] = (half width, room above, room below)`` is what node ``v`` and its
    labels occupy around its centre. Where the straight line would cross a node of an
    intermediate layer, the edge passes that layer at the nearest free height instead,
    level across the layer's width so that it clears the corners too.
    """
    by_layer: dict[int, list[int]] = {}
    for v, lay in enumerate(layer):
        by_layer.setdefault(lay, []).append(v)
    routes: list[list[tuple[float, float]] | None] = []
    for source, target in edges:
        a, b = layer[source], layer[target]
        if b - a <= 1 or b - a > MAX_ROUTED_SPAN:
            routes.append(None)
            continue
        (x0, y0), (x1, y1) = centres[source], centres[target]
        points: list[tuple[float, float]] = []
        for lay in range(a + 1, b):
            x = xs[lay]
            px, py = points[-1] if points else (x0, y0)
            t = (x - px) / (x1 - px) if x1 != px else 0.5
            wish = py + t * (y1 - py)
            nodes = by_layer.get(lay, [])
            blocked = [(centres[v][1] - bands[v][2] - margin, centres[v][1] + bands[v][1]
                        + margin, bands[v][0] + margin) for v in nodes]
            y = _free_height(wish, blocked)
            half = max((h for _, _, h in blocked), default=margin)
            points += [(x - half, y), (x + half, y)]
        routes.append(points)
    return routes


def _free_height(wish: float, blocked: list[tuple[float, float, float]]) -> float:
    """The height nearest ``wish`` outside every (low, high, _) interval."""
    inside = [(lo, hi) for lo, hi, _ in blocked if lo < wish < hi]
    if not inside:
        return wish
    candidates = sorted({v for lo, hi, _ in blocked for v in (lo, hi)},
                        key=lambda v: abs(v - wish))
    for y in candidates:
        if not any(lo < y < hi for lo, hi, _ in blocked):
            return y
    return wish


class OverlapIndex:
    """Rectangles on a uniform grid: which placed ones a new rectangle would touch."""

    def __init__(self, cell: float = CELL):
        self.cell = cell
        self.rects: list[Rect] = []
        self.grid: dict[tuple[int, int], list[int]] = {}

    def _cells(self, r: Rect):
        c = self.cell
        for i in range(math.floor(r[0] / c), math.floor(r[2] / c) + 1):
            for j in range(math.floor(r[1] / c), math.floor(r[3] / c) + 1):
                yield (i, j)

    def add(self, r: Rect) -> None:
        index = len(self.rects)
        self.rects.append(r)
        for key in self._cells(r):
            self.grid.setdefault(key, []).append(index)

    def hits(self, r: Rect, pad: float = 0.0) -> bool:
        padded = (r[0] - pad, r[1] - pad, r[2] + pad, r[3] + pad)
        for key in self._cells(padded):
            for index in self.grid.get(key, ()):
                if overlap(padded, self.rects[index]):
                    return True
        return False


def overlap(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def rect_at(cx: float, cy: float, w: float, h: float) -> Rect:
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def place(obstacles: Sequence[Rect], labels: Sequence[tuple[float, float,
                                                            Sequence[tuple[float, float]]]],
          pad: float = 1.5) -> list[tuple[tuple[float, float], bool]]:
    """For each label ``(w, h, candidate centres[, fallback])`` in order: the first
    centre whose rectangle overlaps no obstacle and no label placed before, and True; or
    the fallback (by default the first candidate) and False when none is free (it is
    still added, so later ones avoid it)."""
    index = OverlapIndex()
    for r in obstacles:
        index.add(r)
    chosen = []
    for request in labels:
        w, h, candidates = request[:3]
        pick, free = None, False
        for cx, cy in list(candidates)[:MAX_CANDIDATES]:
            r = rect_at(cx, cy, w, h)
            if not index.hits(r, pad):
                pick, free = (cx, cy), True
                break
        if pick is None:
            pick = tuple(request[3] if len(request) > 3 else candidates[0])
        index.add(rect_at(pick[0], pick[1], w, h))
        chosen.append((pick, free))
    return chosen


def along(path: Sequence[tuple[float, float]],
          fractions: Sequence[float]) -> list[tuple[float, float]]:
    """Points at fractions of a polyline's length (for labels on edges)."""
    lengths = [math.dist(p, q) for p, q in zip(path[:-1], path[1:], strict=True)]
    total = sum(lengths) or 1.0
    points = []
    for f in fractions:
        goal, walked = f * total, 0.0
        last = len(lengths) - 1
        for i, length in enumerate(lengths):
            p, q = path[i], path[i + 1]
            if walked + length >= goal or i == last:
                t = (goal - walked) / length if length else 0.0
                t = min(max(t, 0.0), 1.0)
                points.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
                break
            walked += length
    return points


#: tensors with at most this many entries along every axis are drawn as a grid of cells
GRID_MAX = 6
#: advance of one character of the monospaced grid font (DejaVu Sans Mono), in em
MONO_ADVANCE = 0.6021


def grid_shape(shape: Sequence[int]) -> tuple[int, int] | None:
    """(rows, columns) of the cell grid a tensor of ``shape`` is drawn as, or None when
    it gets a shape badge instead (a vector is a 1×n grid; scalars are plain numbers)."""
    if len(shape) == 1 and 2 <= shape[0] <= GRID_MAX:
        return 1, int(shape[0])
    if len(shape) == 2 and 1 <= shape[0] <= GRID_MAX and 1 <= shape[1] <= GRID_MAX:
        return int(shape[0]), int(shape[1])
    return None


def grid_cells(cell_chars: int, rows: int, cols: int, box: Rect) -> list[Rect]:
    """The cells' rectangles, row by row, inside a grid label's layout ``box``: each cell
    is ``cell_chars`` monospaced characters and one space (the last one without)."""
    x0, y0, x1, y1 = box
    chars = cols * (cell_chars + 1) - 1
    unit = (x1 - x0) / max(chars, 1)
    height = (y1 - y0) / max(rows, 1)
    cells = []
    for r in range(rows):
        top = y1 - r * height
        for c in range(cols):
            left = x0 + c * (cell_chars + 1) * unit - unit / 2
            cells.append((left, top - height, left + (cell_chars + 1) * unit, top))
    return cells


def crosses(rect: Rect, path: Sequence[tuple[float, float]], pad: float = 0.0) -> bool:
    """Whether a polyline passes through ``rect`` (grown by ``pad``): an edge drawn
    through a text makes its stub read as a minus sign ("s -2 · s")."""
    x0, y0, x1, y1 = rect[0] - pad, rect[1] - pad, rect[2] + pad, rect[3] + pad
    for (ax, ay), (bx, by) in zip(path[:-1], path[1:], strict=True):
        # Liang–Barsky: clip the segment to the box; anything left means it crosses
        t0, t1 = 0.0, 1.0
        dx, dy = bx - ax, by - ay
        inside = True
        for p, q in ((-dx, ax - x0), (dx, x1 - ax), (-dy, ay - y0), (dy, y1 - ay)):
            if p == 0:
                if q < 0:
                    inside = False
                    break
                continue
            t = q / p
            if p < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
            if t0 > t1:
                inside = False
                break
        if inside:
            return True
    return False


def crossed(rects: np.ndarray, segments: np.ndarray, pad: float = 0.0) -> np.ndarray:
    """For each of ``rects`` (n×4: x0, y0, x1, y1), whether any of ``segments`` (k×4:
    ax, ay, bx, by) passes through it grown by ``pad``: :func:`crosses` for all rects
    and segments at once, the same arithmetic in the same order (so the same answers, to
    the last bit, on touching, colinear and zero-length segments too)."""
    if not len(rects) or not len(segments):
        return np.zeros(len(rects), bool)
    x0, y0 = rects[:, 0:1] - pad, rects[:, 1:2] - pad
    x1, y1 = rects[:, 2:3] + pad, rects[:, 3:4] + pad
    ax, ay, bx, by = segments.T
    dx, dy = bx - ax, by - ay
    t0 = np.zeros((len(rects), len(segments)))
    t1 = np.ones_like(t0)
    out = np.zeros(t0.shape, bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        for p, q in ((-dx, ax - x0), (dx, x1 - ax), (-dy, ay - y0), (dy, y1 - ay)):
            out |= (p == 0) & (q < 0)
            t = q / p
            np.maximum(t0, t, out=t0, where=p < 0)
            np.minimum(t1, t, out=t1, where=p > 0)
    return ((t0 <= t1) & ~out).any(axis=1)


def beside(path: Sequence[tuple[float, float]], fractions: Sequence[float], w: float,
           h: float, gap: float) -> list[tuple[float, float]]:
    """Centres for a w×h label next to a polyline at each fraction of its length, just
    clear of it: first on the upper side, then on the lower one."""
    lengths = [math.dist(p, q) for p, q in zip(path[:-1], path[1:], strict=True)]
    total = sum(lengths) or 1.0
    upper, lower = [], []
    for f in fractions:
        goal, walked = f * total, 0.0
        for i, length in enumerate(lengths):
            if walked + length >= goal or i == len(lengths) - 1:
                (ax, ay), (bx, by) = path[i], path[i + 1]
                t = min(max((goal - walked) / length, 0.0), 1.0) if length else 0.0
                x, y = ax + t * (bx - ax), ay + t * (by - ay)
                ux, uy = ((bx - ax) / length, (by - ay) / length) if length else (1.0, 0.0)
                nx, ny = (-uy, ux) if ux >= 0 else (uy, -ux)  # the normal pointing up
                if ny < 0:
                    nx, ny = -nx, -ny
                # how far the box reaches along the normal, plus the gap
                reach = abs(nx) * w / 2 + abs(ny) * h / 2 + gap
                upper.append((x + nx * reach, y + ny * reach))
                lower.append((x - nx * reach, y - ny * reach))
                break
            walked += length
    return upper + lower
