"""Where the view's bottom edge, the top of the legend strip, may fall.

The strip hides every label its edge cuts (a sliver of text reads as nothing), so an
edge between a node and the labels under it (its gradient) shows the node without its
gradient: a graph taller than the canvas did so at 1280×720 (hidden-layer's w22, the
feed-forward net's "@"). The view is moved up or down, by the least, until no node
wholly on the canvas has a label under the edge.
"""

from __future__ import annotations

import numpy as np

from gui.canvas.scene import _GRAD, _TANGENT, _UPDATE, _VALUE

#: room kept between a column's lowest label and the strip (pixels)
PAD = 2.0
#: moves tried at most (each one can bring another node to the edge)
ROUNDS = 4


def _columns(canvas) -> tuple[np.ndarray, np.ndarray]:
    """(node boxes as x0, y0, x1, y1; the lowest y of each node with its labels)."""
    made = (canvas.trace, len(canvas.label_pos), canvas.text_scale)
    cached = getattr(canvas, "_strip_columns", None)
    if cached is not None and cached[0] == made:
        return cached[1]
    pos, half = np.asarray(canvas.pos, float), np.asarray(canvas.half_pt, float)
    boxes = np.concatenate([pos - half, pos + half], axis=1)
    low = boxes[:, 1].copy()
    places = [((layer, v), canvas.label_pos.get((layer, v)))
              for layer in (_VALUE, _GRAD, _UPDATE, _TANGENT) for v in range(len(pos))]
    places += [((None, v), place) for v, place in canvas.name_pos.items()]
    for (_, v), place in places:
        if place is not None:
            low[v] = min(low[v], place[1] - place[3] / 2)
    canvas._strip_columns = (made, (boxes, low))
    return boxes, low


def clear_of_strip(canvas, k: float, cx: float, cy: float, keep=None) -> float:
    """``cy`` moved so that the strip's edge cuts no label of a node on the canvas,
    as long as ``keep`` (a world box) stays inside the view; else ``cy`` unchanged."""
    if canvas.trace is None or not len(canvas.pos):
        return cy
    boxes, low = _columns(canvas)
    box = canvas.ax.bbox
    half_w, half_h = box.width / k / 2, box.height / k / 2
    strip, pad = box.y0 / k, PAD / k  # the strip's height and the pad, in world units
    moved = cy
    for _ in range(ROUNDS):
        edge = moved - half_h  # the strip's top edge
        on_canvas = ((boxes[:, 0] >= cx - half_w) & (boxes[:, 2] <= cx + half_w)
                     & (boxes[:, 1] >= edge - strip) & (boxes[:, 3] <= moved + half_h))
        cut = on_canvas & (low < edge)
        if not cut.any():
            break
        # down until the lowest such column clears the edge, or up until the lowest
        # such node reaches under the canvas's bottom: whichever is less
        down = float((low[cut] - pad - edge).min())
        up = float((boxes[cut, 1] + strip - edge).max()) + pad
        shift = up if up < -down else down
        moved += shift
    if keep is not None and (keep[1] < moved - half_h or keep[3] > moved + half_h):
        return cy
    return moved
