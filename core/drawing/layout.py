"""Left-to-right layered layout of a computational graph, like the lesson's figure.

Inputs on the left, the output on the right. A node's layer is the longest path from a
leaf; a leaf is then pulled right to sit just before its first consumer (``y`` next to
the ``−`` that uses it, not far away in column 0). Inside each layer the order comes
from a few barycenter sweeps (the classic Sugiyama heuristic) to cut edge crossings,
and the rows are spread with a minimum gap of 1 by isotonic regression (pool adjacent
violators), so each node sits as close as it can to the mean of its neighbours.

Everything is O(nodes + edges) per sweep; 10,000 nodes take well under a second. No Qt,
no matplotlib: positions are plain numbers, x = layer, y = row (top row has the largest
y). The canvas scales them.

``previous`` maps a stable key (see :func:`node_keys`) to an old position; nodes that
still exist keep their row where the layering allows, so an edit does not reshuffle
the picture.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping

import numpy as np

from core.base import cancel
from core.engine.graph import ComputationGraph

Position = tuple[float, float]

SWEEPS = 4
#: how much more a surviving node insists on its old row than a new node on its wish
SURVIVOR_WEIGHT = 1e9
#: up to this many new nodes in a layer, each takes the free slot nearest its wish
FREE_SLOT_LIMIT = 64
#: above this many edges the exact crossing count is skipped (it is O(edges²))
EXACT_CROSSINGS_LIMIT = 300


def node_keys(graph: ComputationGraph) -> list[str]:
    """A key per node that survives a rebuild: its display name or label, made unique.

    Named nodes keep their name (``y_hat``, ``c@1``); unnamed ones their label (``2``,
    ``(a + b)``); a repeated label gets ``#2``, ``#3`` … in creation order.
    """
    seen: dict[str, int] = {}
    keys = []
    for node in graph.nodes:
        base = node.name or node.label or f"{node.kind}#{node.id}"
        seen[base] = seen.get(base, 0) + 1
        keys.append(base if seen[base] == 1 else f"{base}#{seen[base]}")
    return keys


def assign_layers(graph: ComputationGraph) -> list[int]:
    """Longest path from a leaf; leaves pulled right next to their nearest consumer, and
    so are one-input chains of a leaf (``W`` → ``Wᵀ``): a transposed weight sits beside
    the matmul that uses it, not columns away (issue 24, item 8)."""
    layer = [0] * len(graph.nodes)
    chain = [False] * len(graph.nodes)  # a leaf, or a one-input op on a chain of its own
    for node in graph.nodes:  # creation order is a topological order
        if node.inputs:
            layer[node.id] = 1 + max(layer[i] for i in node.inputs)
            source = set(node.inputs)
            chain[node.id] = len(source) == 1 and chain[node.inputs[0]] \
                and len(graph.consumers[node.inputs[0]]) == 1
        else:
            chain[node.id] = node.is_leaf
    for node in reversed(graph.nodes):  # consumers first: a chain moves as a whole
        consumers = graph.consumers[node.id]
        if chain[node.id] and consumers:
            layer[node.id] = max(layer[node.id] if node.inputs else 0,
                                 min(layer[c] for c, _ in consumers) - 1)
    return layer


def _neighbours(graph: ComputationGraph) -> tuple[list[list[int]], list[list[int]]]:
    preds = [list(dict.fromkeys(node.inputs)) for node in graph.nodes]
    succs = [list(dict.fromkeys(c for c, _ in cs)) for cs in graph.consumers]
    return preds, succs


def _spread(desired: list[float], gap: float = 1.0,
            weights: list[float] | None = None) -> list[float]:
    """Closest rows to ``desired`` (weighted least squares) with ``row[i+1] - row[i] >= gap``.

    Pool adjacent violators on ``row[i] - i * gap``, which must not decrease.
    """
    sums: list[float] = []  # weighted sums of the pooled blocks
    totals: list[float] = []  # their weights
    counts: list[int] = []
    for i, d in enumerate(desired):
        w = 1.0 if weights is None else weights[i]
        sums.append((d - i * gap) * w)
        totals.append(w)
        counts.append(1)
        while len(sums) > 1 and sums[-2] * totals[-1] > sums[-1] * totals[-2]:
            s, t, c = sums.pop(), totals.pop(), counts.pop()
            sums[-1] += s
            totals[-1] += t
            counts[-1] += c
    rows: list[float] = []
    for s, t, c in zip(sums, totals, counts, strict=True):
        mean = s / t
        for _ in range(c):
            rows.append(mean + len(rows) * gap)
    return rows


def _mean(values, of) -> float | None:
    total = 0.0
    count = 0
    for v in values:
        total += of[v]
        count += 1
    return total / count if count else None


def _order_by_sweeps(layers: list[list[int]], preds, succs, sweeps: int,
                     graph: ComputationGraph, layer_of: list[int]) -> list[list[int]]:
    """Barycenter sweeps down and up; keeps the order with the fewest crossings."""
    rank = [0.0] * len(preds)

    def number(layer: list[int]) -> None:
        size = len(layer)
        for r, v in enumerate(layer):
            rank[v] = (r + 0.5) / size

    for layer in layers:
        number(layer)
    exact = sum(len(p) for p in preds) <= EXACT_CROSSINGS_LIMIT
    best = [list(layer) for layer in layers]
    best_count = _crossings_of_order(layers, layer_of, preds) if exact else None
    stop = cancel.token()  # a superseded build stops between layers (core.base.cancel)
    for _ in range(sweeps):
        for direction, neighbours in ((range(1, len(layers)), preds),
                                      (range(len(layers) - 2, -1, -1), succs)):
            for index in direction:
                stop.check()
                layer = layers[index]
                keys = {}
                for v in layer:
                    b = _mean(neighbours[v], rank)
                    keys[v] = (rank[v] if b is None else b, rank[v])
                layer.sort(key=keys.__getitem__)
                number(layer)
            if exact:
                count = _crossings_of_order(layers, layer_of, preds)
                if count < best_count:
                    best_count = count
                    best = [list(layer) for layer in layers]
                if count == 0:
                    return best
    return best if exact else layers


def _crossings_of_order(layers, layer_of, preds) -> int:
    rows = {}
    for layer in layers:
        for r, v in enumerate(layer):
            rows[v] = (r + 0.5) / len(layer)
    edges = [(layer_of[u], rows[u], layer_of[v], rows[v])
             for v in range(len(preds)) for u in preds[v]]
    return _count_segment_crossings(np.array(edges, dtype=float).reshape(-1, 4))


def _count_segment_crossings(e: np.ndarray) -> int:
    """Pairs of x-monotone segments (x0, y0, x1, y1) whose y order flips where both exist."""
    if len(e) < 2:
        return 0
    i, j = np.triu_indices(len(e), 1)
    a, b = e[i], e[j]
    lo = np.maximum(a[:, 0], b[:, 0])
    hi = np.minimum(a[:, 2], b[:, 2])
    ok = hi > lo
    a, b, lo, hi = a[ok], b[ok], lo[ok], hi[ok]

    def y_at(s, x):
        t = (x - s[:, 0]) / (s[:, 2] - s[:, 0])
        return s[:, 1] + t * (s[:, 3] - s[:, 1])

    d0 = y_at(a, lo) - y_at(b, lo)
    d1 = y_at(a, hi) - y_at(b, hi)
    return int(np.count_nonzero(d0 * d1 < -1e-12))


def count_crossings(graph: ComputationGraph, positions: Mapping[int, Position]) -> int:
    """Edge crossings of a layout drawn with straight edges (multi-edges count once)."""
    seen = set()
    segments = []
    for node in graph.nodes:
        for source in node.inputs:
            if (source, node.id) in seen:
                continue
            seen.add((source, node.id))
            (x0, y0), (x1, y1) = positions[source], positions[node.id]
            if x1 < x0:
                x0, y0, x1, y1 = x1, y1, x0, y0
            segments.append((x0, y0, x1, y1))
    return _count_segment_crossings(np.array(segments, dtype=float).reshape(-1, 4))


def layered_layout(graph: ComputationGraph,
                   previous: Mapping[str, Position] | None = None,
                   sweeps: int = SWEEPS) -> dict[int, Position]:
    """Positions per node id: x = layer (0, 1, 2 …), y = row (gap 1, top row largest)."""
    n = len(graph.nodes)
    layer_of = assign_layers(graph)
    preds, succs = _neighbours(graph)
    layers: list[list[int]] = [[] for _ in range(max(layer_of) + 1 if n else 0)]
    for v in range(n):
        layers[layer_of[v]].append(v)

    keys = node_keys(graph)
    # rows grow downwards while we work; y = -row at the end
    old = {}
    if previous:
        old = {v: -float(previous[k][1]) for v, k in enumerate(keys) if k in previous}
    if len(old) * 2 >= n:  # an edit, not a new graph
        row = _rows_from_previous(layers, preds, succs, old)
    else:
        layers = _order_by_sweeps(layers, preds, succs, sweeps, graph, layer_of)
        row = [0.0] * n
        for layer in layers:
            for r, v in enumerate(layer):
                row[v] = r - (len(layer) - 1) / 2
        # pull each node towards its neighbours: down, up, down again
        passes = ((range(1, len(layers)), preds), (range(len(layers) - 2, -1, -1), succs),
                  (range(1, len(layers)), preds))
        stop = cancel.token()
        for direction, neighbours in passes:
            for index in direction:
                stop.check()
                layer = layers[index]
                desired = []
                for v in layer:
                    b = _mean(neighbours[v], row)
                    desired.append(row[v] if b is None else b)
                for v, r in zip(layer, _spread(desired), strict=True):
                    row[v] = r
        if n:
            shift = (min(row) + max(row)) / 2
            row = [r - shift for r in row]
    return {v: (float(layer_of[v]), 0.0 - row[v]) for v in range(n)}


def _rows_from_previous(layers, preds, succs, old: dict[int, float]) -> list[float]:
    """Survivors want their old row; new nodes want their neighbours' mean row."""
    n = len(preds)
    want: list[float | None] = [old.get(v) for v in range(n)]
    for v in range(n):  # topological: inputs first
        if want[v] is None:
            want[v] = _mean((u for u in preds[v] if want[u] is not None), want)
    for v in range(n - 1, -1, -1):
        if want[v] is None:
            want[v] = _mean((u for u in succs[v] if want[u] is not None), want)
    fallback = max((w for w in want if w is not None), default=0.0) + 1.0
    for v in range(n):
        if want[v] is None:
            want[v] = fallback
            fallback += 1.0
    row = [0.0] * n
    for layer in layers:
        kept = sorted((v for v in layer if v in old), key=lambda v: (want[v], v))
        new = sorted((v for v in layer if v not in old), key=lambda v: (want[v], v))
        if len(new) > FREE_SLOT_LIMIT:
            # many new nodes here: one weighted spread, survivors pinned almost exactly
            layer.sort(key=lambda v: (want[v], v not in old, v))
            weights = [SURVIVOR_WEIGHT if v in old else 1.0 for v in layer]
            spread = _spread([want[v] for v in layer], weights=weights)
            for v, r in zip(layer, spread, strict=True):
                row[v] = old[v] if v in old and abs(r - old[v]) < 1e-6 else r
            continue
        rows = _spread([want[v] for v in kept])  # exact when the old rows are still apart
        for v, r in zip(kept, rows, strict=True):
            row[v] = r
        occupied = sorted(rows)
        for v in new:  # each new node takes the free slot nearest its wish
            r = _free_row(occupied, want[v])
            bisect.insort(occupied, r)
            row[v] = r
        layer.sort(key=row.__getitem__)
    return row


def _free_row(occupied: list[float], wish: float, gap: float = 1.0) -> float:
    """The row nearest ``wish`` that keeps ``gap`` from every (sorted) occupied row."""
    i = bisect.bisect_left(occupied, wish)
    up, j = wish, i  # slot j lies between occupied[j - 1] and occupied[j]
    while True:
        below = occupied[j - 1] if j > 0 else -math.inf
        above = occupied[j] if j < len(occupied) else math.inf
        up = max(up, below + gap)
        if up <= above - gap:
            break
        j += 1
    down, j = wish, i - 1  # slot j lies between occupied[j] and occupied[j + 1]
    while True:
        below = occupied[j] if j >= 0 else -math.inf
        above = occupied[j + 1] if j + 1 < len(occupied) else math.inf
        down = min(down, above - gap)
        if down >= below + gap:
            break
        j -= 1
    return up if up - wish <= wish - down else down
