"""Where the view's edges may fall: the top of the legend strip, and the canvas's sides.

An edge hides every label it cuts (a sliver of text reads as nothing, or as another
word: the loss's name cut to "los", issue 24), so an edge between a node and the labels
under it (its gradient) shows the node without its gradient: a graph taller than the
canvas did so at 1280×720 (hidden-layer's w22, the feed-forward net's "@"). The view
is moved up or down, by the least, until no node wholly on the canvas has a label across
the strip's edge or the top (a value's grid above the node); and left or right, by the
least, until no such node has a label (a grid wider than the node) across a side. A
label cut all the same (a name, an edge's label) is not drawn.
"""

from __future__ import annotations

import numpy as np

from gui.canvas.scene import _GRAD, _TANGENT, _UPDATE, _VALUE

#: room kept between a column's lowest label and the strip (pixels)
PAD = 2.0
#: how far past an edge a label may reach and still count as whole (pixels): the
#: readability rule's tolerance (tests/gui/test_readability.py)
SLACK = 0.5
#: how much wider than placed a label's text may be drawn (a share of its width)
HINTED = 0.05
#: nodes looked at, at most (the nearest the view): the search is quadratic in them
MOST = 300


def edge_cut(transform, box, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Which world boxes (``low``, ``high``: corners, one row each) an edge of the view
    ``box`` (display) cuts: the strip's (the axes' bottom) wherever it is, the sides and
    the top where the box reaches into the view."""
    # the data transform is affine (linear axes, no rotation): a multiply-add over every
    # label rather than the transform stack (each step)
    m = transform.get_affine().get_matrix()
    x0, x1 = low[:, 0] * m[0, 0] + m[0, 2], high[:, 0] * m[0, 0] + m[0, 2]
    y0, y1 = low[:, 1] * m[1, 1] + m[1, 2], high[:, 1] * m[1, 1] + m[1, 2]
    rows = (y1 > box.y0) & (y0 < box.y1)
    columns = (x1 > box.x0) & (x0 < box.x1)
    # past an edge by SLACK or more, and not wholly beyond it
    cut = (y0 < box.y0 - SLACK) & (y1 > box.y0)
    cut |= (y0 < box.y1) & (y1 > box.y1 + SLACK) & columns
    cut |= (((x0 < box.x0 - SLACK) & (x1 > box.x0))
            | ((x0 < box.x1) & (x1 > box.x1 + SLACK))) & rows
    return cut


def drawn_place(place) -> tuple[float, float, float, float]:
    """A label's place (cx, cy, w, h) as wide as its text may be drawn: hinted glyphs
    at a small size are wider than their summed advances (measure.py), by 2 % to 4 %
    on a long label (lesson 16's update of model.2.weight: 599 px drawn, 577 placed)."""
    x, y, w, h = place
    return (x, y, w * (1 + HINTED) + 2.0, h)


def _places(canvas) -> tuple[np.ndarray, dict]:
    """(node boxes as x0, y0, x1, y1; for each label layer, its nodes and their labels'
    boxes as drawn), made once per trace and text size."""
    made = (canvas.trace, len(canvas.label_pos), canvas.text_scale)
    cached = getattr(canvas, "_edge_places", None)
    if cached is not None and cached[0] == made:
        return cached[1]
    pos, half = np.asarray(canvas.pos, float), np.asarray(canvas.half_pt, float)
    boxes = np.concatenate([pos - half, pos + half], axis=1).reshape(-1, 4)
    layers = {}
    # (not its name: a whole node whose name an edge hides reads better than half a
    # node with no name, value or symbol; the one-layer network's loss at 1920×1080)
    for layer in (_VALUE, _GRAD, _UPDATE, _TANGENT):
        found = [(v, canvas.label_pos[(layer, v)]) for v in range(len(boxes))
                 if (layer, v) in canvas.label_pos]
        rects = [(x - w / 2, y - h / 2, x + w / 2, y + h / 2)
                 for x, y, w, h in (drawn_place(place) for _, place in found)]
        layers[layer] = (np.array([v for v, _ in found], int),
                         np.array(rects, float).reshape(-1, 4))
    canvas._edge_places = (made, (boxes, layers))
    return boxes, layers


def _spans(canvas) -> tuple[np.ndarray, np.ndarray]:
    """(node boxes; each node with its labels shown now, x0, y0, x1, y1): a label
    another step shows is the view's business when that step comes. Kept for the
    shown sets it was made from (a step replaces them): a pan's follow asks twice,
    for the sides and for the strip (issue 19)."""
    boxes, layers = _places(canvas)
    shown_now = tuple(canvas._shown.get(layer, ()) for layer in layers)
    cached = getattr(canvas, "_edge_spans", None)
    if (cached is not None and cached[0] is boxes and len(cached[1]) == len(shown_now)
            and all(a is b for a, b in zip(cached[1], shown_now, strict=True))):
        return boxes, cached[2]
    spans = boxes.copy()
    for (nodes, rects), shown in zip(layers.values(), shown_now, strict=True):
        if not len(nodes) or not shown:
            continue
        # (one membership test over the array, not one ``in`` per node: ~1,000 a call)
        keep = np.isin(nodes, np.fromiter(shown, int, len(shown)))
        nodes, rects = nodes[keep], rects[keep]
        np.minimum.at(spans[:, 0], nodes, rects[:, 0])
        np.minimum.at(spans[:, 1], nodes, rects[:, 1])
        np.maximum.at(spans[:, 2], nodes, rects[:, 2])
        np.maximum.at(spans[:, 3], nodes, rects[:, 3])
    canvas._edge_spans = (boxes, shown_now, spans)  # (the sets held: their ids stay theirs)
    return boxes, spans


def _clear(c: float, half: float, lo_edge: float, node_lo, node_hi, span_lo, span_hi,
           on_other: np.ndarray, pad: float, allowed) -> float:
    """The centre ``c`` of a view [c - half - lo_edge, c + half] along one axis, moved
    by the least so that no node wholly in it (and ``on_other``, on the other axis) has
    its span (node and labels) across the view's low edge (at c - half) or high edge
    (c + half); the allowed move that leaves the fewest such nodes
    when none clears them all. The moves tried put an edge just past a span's or a
    node's end, for the nodes near the view. ``allowed``: rules, each ``rule(centre)``,
    the first that clears every node wins (a view keeping more, then less)."""
    reach = 2 * half + lo_edge  # nodes this far from the view can be brought into it
    near = on_other & (span_hi > c - half - lo_edge - reach) & (span_lo < c + half + reach)
    node_lo, node_hi = node_lo[near], node_hi[near]
    span_lo, span_hi = span_lo[near], span_hi[near]
    if len(node_lo) > MOST:  # the nearest
        order = np.argsort(np.abs((node_lo + node_hi) / 2 - c))[:MOST]
        node_lo, node_hi, span_lo, span_hi = (a[order] for a in (node_lo, node_hi,
                                                                  span_lo, span_hi))

    def cuts(centres: np.ndarray) -> np.ndarray:
        lo, hi = centres[:, None] - half, centres[:, None] + half
        slack = pad * SLACK / PAD  # a node out by less is whole to the eye (and the
        # readability rule): its labels count
        inside = (node_lo >= lo - lo_edge - slack) & (node_hi <= hi + slack)
        return (inside & ((span_lo < lo) | (span_hi > hi))).sum(axis=1)

    here = int(cuts(np.array([c]))[0])
    if not here:
        return c
    every = np.concatenate([  # an edge just clear of a span, or a node just out
        span_lo - pad + half, node_lo + lo_edge + pad + half,
        span_hi + pad - half, node_hi - pad - half])
    found = (here, c)
    for rule in allowed:  # the first rule that clears them all, else the fewest cut
        ends = [x for x in getattr(rule, "ends", ()) if rule(x)]  # its own bounds, and c
        near = [min(max(c, ends[0]), ends[-1])] if ends else []  # brought within them
        candidates = np.concatenate([every[rule.many(every)], np.array(
            ([c] if rule(c) else []) + ends + near, float)])
        if not len(candidates):
            continue
        counts = cuts(candidates)
        best = np.lexsort((np.abs(candidates - c), counts))[0]
        if counts[best] < found[0] or getattr(rule, "settles", False):
            found = (int(counts[best]), float(candidates[best]))
        if not found[0] or getattr(rule, "settles", False):
            break
    return found[1]


def _keeping(boxes: tuple, axis: int, half: float) -> list:
    """One rule per box (world x0, y0, x1, y1, or None): a centre keeps it in view. A
    box marked :class:`Settled` ends the search even when its best view still cuts."""
    def rule(box):
        def keeps(c) -> bool:
            return box is None or (box[axis] >= c - half - 1e-9
                                   and box[axis + 2] <= c + half + 1e-9)
        def many(centres: np.ndarray) -> np.ndarray:  # keeps, over an array at once
            if box is None:
                return np.ones(len(centres), bool)
            return (box[axis] >= centres - half - 1e-9) & (box[axis + 2] <= centres + half + 1e-9)
        keeps.many = many
        keeps.settles = isinstance(box, Settled)
        if box is not None and box[axis + 2] - box[axis] <= 2 * half:
            keeps.ends = (box[axis + 2] - half, box[axis] + half)  # the centres it allows
        return keeps
    return [rule(box) for box in boxes]


class Settled(tuple):
    """A box to keep in view even at the cost of a cut label (hidden, see the top)."""


def _kept(canvas, keep, least, pad: float) -> tuple:
    """What a move must keep in view, the most first: ``keep``; else the step's own box
    ``least`` whole with its neighbours' centres (a neighbour cut at the edge, its labels
    hidden, is still seen beside the step: issue 24, a 1280×720 projector showed the
    step alone); else ``least``."""
    if least is None:
        return (keep, keep)
    focus = sorted(canvas._focus_nodes)
    centres = np.asarray(canvas.pos, float)[focus].reshape(-1, 2)
    both = Settled((min(least[0], *(centres[:, 0] - pad)),
                    min(least[1], *(centres[:, 1] - pad)),
                    max(least[2], *(centres[:, 0] + pad)),
                    max(least[3], *(centres[:, 1] + pad))))
    if keep is None or tuple(keep) == tuple(least):
        return (both, least)
    return (keep, both, least)


def clear_of_strip(canvas, k: float, cx: float, cy: float, keep=None, least=None) -> float:
    """``cy`` moved so that neither the strip's edge nor the canvas's top cuts a label
    of a node on the canvas, keeping ``keep`` (a world box) inside the view, or at
    least ``least`` (the step's own box) when that clears more."""
    if canvas.trace is None or not len(canvas.pos):
        return cy
    boxes, spans = _spans(canvas)
    box = canvas.ax.bbox
    half_w, half_h = box.width / k / 2, box.height / k / 2
    strip = box.y0 / k  # the strip's height, in world units: a node behind it is on
    # the canvas (the strip's edge is the view's low edge)
    columns = (boxes[:, 0] >= cx - half_w) & (boxes[:, 2] <= cx + half_w)

    return _clear(cy, half_h, strip, boxes[:, 1], boxes[:, 3], spans[:, 1], spans[:, 3],
                  columns, PAD / k, _keeping(_kept(canvas, keep, least, PAD / k), 1, half_h))


def clear_of_sides(canvas, k: float, cx: float, cy: float, keep=None, least=None) -> float:
    """``cx`` moved so that neither side of the canvas cuts a label of a node wholly on
    it (a grid wider than the node), keeping ``keep`` inside the view, or at least
    ``least``."""
    if canvas.trace is None or not len(canvas.pos):
        return cx
    boxes, spans = _spans(canvas)
    box = canvas.ax.bbox
    half_w, half_h = box.width / k / 2, box.height / k / 2
    rows = (boxes[:, 1] >= cy - half_h - box.y0 / k) & (boxes[:, 3] <= cy + half_h)

    return _clear(cx, half_w, 0.0, boxes[:, 0], boxes[:, 2], spans[:, 0], spans[:, 2],
                  rows, PAD / k, _keeping(_kept(canvas, keep, least, PAD / k), 0, half_w))
