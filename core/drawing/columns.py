"""How far apart the layers of the drawing sit, from what sits beside what.

A layer's widest label (a 6×4 grid of gradients, 223 points) used to set its reach at
every height, so two columns stood apart by their widest labels even where those stood
at different heights; lesson 16's network was then ~300 points a column, and a 1280×720
projector could not show a node with its neighbours at a readable zoom (issue 24, item
8). Here each column is a stack of boxes (a node, the value grid above it, the gradient
grid under it, each with its own reach left and right of the centre line), and two
columns stand only as far apart as the boxes that share a height need.

An edge's label (its local gradient) needs room too: at some point along the edge, the
free space between the two columns at that height must hold it. The fraction of the
edge where it fits best is given back, for the placement to try first.

Pure numbers, no Qt: boxes are ``(y0, y1, reach)`` in world points.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Sequence

from core.drawing.labels import crosses

Box = tuple[float, float, float]  # y0, y1 (y0 < y1), how far it reaches from the centre line
#: where along an edge its label may sit (fractions of the way from source to target)
FRACTIONS = (0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78, 0.15, 0.85)


class Envelope:
    """The furthest reach of a column's boxes at each height (piecewise constant)."""

    def __init__(self, boxes: Sequence[Box]):
        ends = sorted({y for y0, y1, _ in boxes for y in (y0, y1)})
        starts = sorted(boxes)
        active: list[tuple[float, float]] = []  # (-reach, y1)
        values = []
        k = 0
        for y in ends:
            while k < len(starts) and starts[k][0] <= y:
                heapq.heappush(active, (-starts[k][2], starts[k][1]))
                k += 1
            while active and active[0][1] <= y:
                heapq.heappop(active)
            values.append(-active[0][0] if active else 0.0)
        #: the reach is values[i] on [ys[i], ys[i + 1])
        self.ys, self.values = ends, values

    def over(self, lo: float, hi: float) -> float:
        """The furthest reach anywhere in the open band (lo, hi)."""
        if not self.ys or hi <= self.ys[0] or lo >= self.ys[-1]:
            return 0.0
        first = max(bisect.bisect_right(self.ys, lo) - 1, 0)
        last = bisect.bisect_left(self.ys, hi)
        return max(self.values[first:last], default=0.0)


def least_spacing(left: Sequence[Box], right: Sequence[Box]) -> float:
    """The least distance between two columns' centre lines at which no box of the left
    one (reaching right) meets a box of the right one (reaching left) at the same
    height: the largest sum of reaches over the bands where both have a box."""
    events = sorted([(y0, 0, i, r) for i, (y0, _, r) in enumerate(left)]
                    + [(y0, 1, i, r) for i, (y0, _, r) in enumerate(right)])
    ends = (left, right)
    heaps: tuple[list, list] = ([], [])
    best = 0.0
    for y, side, i, reach in events:
        heapq.heappush(heaps[side], (-reach, ends[side][i][1]))
        for heap in heaps:
            while heap and heap[0][1] <= y:
                heapq.heappop(heap)
        if heaps[0] and heaps[1]:
            best = max(best, -heaps[0][0][0] - heaps[1][0][0])
    return best


def label_spacing(left: Envelope, right: Envelope, y0: float, y1: float, w: float,
                  h: float, pad: float, gap: float, start: float,
                  fractions: Sequence[float] = FRACTIONS,
                  others: Sequence[tuple[float, float]] = ()) -> tuple[float, float]:
    """(least centre-line distance, fraction) for a w×h label beside the straight edge
    from height ``y0`` (left column) to ``y1`` (right column), as
    :func:`core.drawing.labels.beside` puts it: at the fraction t of the edge, ``gap``
    off it on either side, clear of both columns' boxes at its height by ``pad``
    (sideways) and ``gap`` (up and down), and of the ``others`` (edges between the same
    columns from its ends, (y0, y1) each: one through it reads as arithmetic).
    ``start``: a first guess of the distance (the label's offset from its edge depends
    on the edge's slope, so on the distance)."""
    d = max(start, 1.0)
    for _ in range(3):  # the slope, then the distance it allows, twice over
        best, crossed = (float("inf"), fractions[0]), (float("inf"), fractions[0])
        for t in fractions:
            y = y0 + t * (y1 - y0)
            for ox, oy in _offsets(d, y1 - y0, w, h, gap):
                lo, hi = y + oy - h / 2 - gap, y + oy + h / 2 + gap
                need = max((left.over(lo, hi) + w / 2 + pad - ox) / t,
                           (right.over(lo, hi) + w / 2 + pad + ox) / (1 - t))
                crossed = min(crossed, (need, t), key=lambda c: c[0])
                if need >= best[0] - 1e-9:
                    continue
                for wider in (1.0, 1.2, 1.45, 1.75, 2.1):  # further apart, the others
                    # slope away from the label
                    rect = (t * need * wider + ox - w / 2, y + oy - h / 2,
                            t * need * wider + ox + w / 2, y + oy + h / 2)
                    if not any(crosses(rect, [(0.0, a), (need * wider, b)], gap / 2)
                               for a, b in others):
                        best = min(best, (need * wider, t), key=lambda c: c[0])
                        break
        best = best if best[0] < float("inf") else crossed  # (placed on an edge, then)
        if abs(best[0] - d) < 0.5:
            break
        d = best[0]
    return best


def _offsets(dx: float, dy: float, w: float, h: float, gap: float):
    """Where :func:`core.drawing.labels.beside` puts a w×h label's centre from the
    point of the edge (dx, dy) it labels: on the upper side, then the lower one."""
    length = max((dx * dx + dy * dy) ** 0.5, 1e-9)
    nx, ny = -dy / length, dx / length  # the normal pointing up (dx > 0)
    reach = abs(nx) * w / 2 + abs(ny) * h / 2 + gap
    return (nx * reach, ny * reach), (-nx * reach, -ny * reach)
