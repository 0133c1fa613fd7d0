"""A pan's redraw of boxes far apart (the labels a jump's edges cut): the static layer
drawn once for all of them, exactly (issue 19, pan.py)."""

from __future__ import annotations

import numpy as np

from gui.canvas import artists, pan
from tests.gui.test_canvas_tiles import _tree_canvas


def test_a_redraw_at_opposite_corners_gives_the_static_layer_there_and_keeps_the_rest(
        qtbot, monkeypatch):
    canvas, _stepper, _trace = _tree_canvas(qtbot)
    passes = []
    draw_shapes = artists.GraphLayer._draw_shapes
    monkeypatch.setattr(artists.GraphLayer, "_draw_shapes",
                        lambda self, *args: (passes.append(args[-1]), draw_shapes(self, *args)))
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
    assert len(passes) == 1  # the shapes drawn once for the three boxes, not once each
