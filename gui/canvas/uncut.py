"""Where the view's side edges may fall: between labels, not through one.

A readable view of a graph wider (or taller) than the canvas shows part of it, and an
edge of the canvas that runs through a label shows a sliver of it: a lesson script at
1920×1080 cut ``model.weight``'s edge label on the left, and the loss's name "l" on the
right (issue 24's screenshot audit). Within the range where the followed step stays in
view, the view's centre moves to the nearest place where the fewest of the graph's
boxes (labels, names, call groups, nodes) straddle an edge.
"""

from __future__ import annotations

import numpy as np

#: room kept between a label and the canvas edge beside it (pixels)
PAD = 3.0
#: what cutting a label drawn now costs, against one that another step shows
DRAWN = 4.0
#: boxes looked at, at most (those nearest the view): the search is quadratic in them
MOST = 400


def graph_boxes(canvas) -> tuple[np.ndarray, list]:
    """Every label, name, call group and node as world (x0, y0, x1, y1), cached, and
    each one's label key ((layer, index); None for what is always drawn)."""
    made = (canvas.trace, len(canvas.label_pos), len(canvas.name_pos),
            len(canvas.group_pos), canvas.text_scale)
    cached = getattr(canvas, "_uncut_boxes", None)
    if cached is not None and cached[0] == made:
        return cached[1]
    keys = [*canvas.label_pos, *(None for _ in canvas.name_pos),
            *(None for _ in canvas.group_pos)]
    places = [*canvas.label_pos.values(), *canvas.name_pos.values(),
              *(place[:4] for place in canvas.group_pos.values())]
    rects = [(x - w / 2, y - h / 2, x + w / 2, y + h / 2) for x, y, w, h in places]
    pos, half = np.asarray(canvas.pos, float), np.asarray(canvas.half_pt, float)
    boxes = np.concatenate([np.array(rects, float).reshape(-1, 4),
                            np.concatenate([pos - half, pos + half], axis=1).reshape(-1, 4)])
    keys += [None] * len(pos)
    canvas._uncut_boxes = (made, (boxes, keys))
    return boxes, keys


def weights(canvas, keys: list) -> np.ndarray:
    """What cutting each box costs: a drawn one (shown now, or always) more than a
    label that another step shows."""
    shown = canvas._shown
    return np.array([DRAWN if key is None or key[1] in shown.get(key[0], ()) else 1.0
                     for key in keys], float)


def _cuts(centres: np.ndarray, half: float, lo: np.ndarray, hi: np.ndarray,
          weight: np.ndarray) -> np.ndarray:
    """What each view [c - half, c + half] costs: the weights of the spans it cuts."""
    c = centres[:, None]
    left, right = c - half, c + half
    cut = ((lo < left) & (left < hi)) | ((lo < right) & (right < hi))
    return cut @ weight


def uncut_axis(c: float, half: float, allowed: tuple[float, float], lo: np.ndarray,
               hi: np.ndarray, weight: np.ndarray, pad: float) -> float:
    """The centre in ``allowed`` nearest ``c`` whose view [c ± half] cuts the fewest
    spans [lo - pad, hi + pad]; ``c`` itself when none is cut there."""
    a, b = allowed
    if not len(lo) or b < a:
        return c
    lo, hi = lo - pad, hi + pad
    # the spans that an edge could meet anywhere in the allowed range
    near = (hi > a - half) & (lo < b + half)
    lo, hi, weight = lo[near], hi[near], weight[near]
    if len(lo) > MOST:
        order = np.argsort(np.minimum(np.abs(lo - (c - half)), np.abs(hi - (c + half))))
        lo, hi, weight = lo[order[:MOST]], hi[order[:MOST]], weight[order[:MOST]]
    here = _cuts(np.array([c]), half, lo, hi, weight)[0]
    if here == 0:
        return c
    candidates = np.concatenate([[c], lo + half, hi + half, lo - half, hi - half])
    candidates = candidates[(candidates >= a - 1e-9) & (candidates <= b + 1e-9)]
    if not len(candidates):
        return c
    cuts = _cuts(candidates, half, lo, hi, weight)
    best = np.lexsort((np.abs(candidates - c), cuts))[0]
    return float(candidates[best]) if cuts[best] < here else c


def uncut_centre(canvas, k: float, cx: float, cy: float, keep, margin: float):
    """(cx, cy) moved, each within where ``keep`` (a world box, or None) stays
    ``margin`` inside the view and the view stays over the graph, to cut no label."""
    box = canvas.ax.bbox
    half_w, half_h = box.width / k / 2, box.height / k / 2
    boxes, keys = graph_boxes(canvas)
    weight = weights(canvas, keys)
    pad = PAD / k
    x0, x1, y0, y1 = canvas.extent

    def allowed(c, half, lo, hi, k_lo, k_hi):
        inner = half - margin
        a, b = (lo + inner, hi - inner) if hi - lo > 2 * inner else (c, c)
        if keep is not None:
            a, b = max(a, k_hi - inner), min(b, k_lo + inner)
        return (a, b) if a - 1e-9 <= c <= b + 1e-9 else (c, c)  # else: left where it is

    k_box = keep if keep is not None else (cx, cy, cx, cy)
    rows = (boxes[:, 3] > cy - half_h) & (boxes[:, 1] < cy + half_h)
    cx = uncut_axis(cx, half_w, allowed(cx, half_w, x0, x1, k_box[0], k_box[2]),
                    boxes[rows, 0], boxes[rows, 2], weight[rows], pad)
    columns = (boxes[:, 2] > cx - half_w) & (boxes[:, 0] < cx + half_w)
    cy = uncut_axis(cy, half_h, allowed(cy, half_h, y0, y1, k_box[1], k_box[3]),
                    boxes[columns, 1], boxes[columns, 3], weight[columns], pad)
    return cx, cy
