"""A pan's redraw of boxes far apart: each group of them on its own (issue 19, pan.py)."""

from __future__ import annotations

import numpy as np

from gui.canvas import pan
from tests.gui.test_canvas_tiles import _tree_canvas


def test_boxes_far_apart_are_redrawn_in_separate_groups_near_ones_together():
    boxes = [(0, 0, 10, 10), (5, 5, 20, 20), (18, 0, 30, 4),  # a chain of overlaps
             (500, 300, 520, 310),  # far away
             (1000, 0, 1010, 600)]  # the other side
    groups = pan._clusters(boxes)
    assert sorted(sorted(g) for g in groups) == sorted([
        sorted(boxes[:3]), [boxes[3]], [boxes[4]]])
    # no two groups' bounding boxes share a pixel (each is drawn in on its own)
    extents = [(min(b[0] for b in g), min(b[1] for b in g), max(b[2] for b in g),
                max(b[3] for b in g)) for g in groups]
    for i, a in enumerate(extents):
        for b in extents[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])
    # a box that bridges two groups' bounding boxes joins them
    assert len(pan._clusters([(0, 0, 10, 10), (20, 0, 30, 10), (5, 2, 25, 4)])) == 1


def test_a_redraw_at_opposite_corners_gives_the_static_layer_there_and_keeps_the_rest(
        qtbot):
    canvas, _stepper, _trace = _tree_canvas(qtbot)
    renderer = canvas.get_renderer()
    buffer = np.asarray(renderer.buffer_rgba())
    height = buffer.shape[0]
    static = np.array(canvas._background, copy=True)  # the static layer, as drawn
    box = canvas.ax.bbox
    x0, y0, x1, y1 = (int(v) for v in box.extents)
    boxes = [(x0 + 4, y1 - 60, x0 + 90, y1 - 4), (x1 - 120, y0 + 4, x1 - 6, y0 + 50),
             (x1 - 300, y1 - 40, x1 - 200, y1 - 10)]
    before = np.array(buffer, copy=True)
    for bx0, by0, bx1, by1 in boxes:  # something else there: the redraw replaces it
        buffer[height - by1:height - by0, bx0:bx1] = (255, 0, 0, 255)
    pan._redraw(canvas, renderer, canvas.geometry, buffer, boxes)
    inside = np.zeros(buffer.shape[:2], bool)
    for bx0, by0, bx1, by1 in boxes:
        inside[height - by1:height - by0, bx0:bx1] = True
    assert np.array_equal(buffer[inside], static[inside])
    assert np.array_equal(buffer[~inside], before[~inside])
