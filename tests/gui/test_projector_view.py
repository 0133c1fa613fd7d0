"""At 1280×720 (a first launch: 1152×648 with the docks sized for it) the graph shows
the current node with its neighbours, not alone (issue 24, item 8)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from gui.window import dock_layout
from tests.gui.test_readability import load, neighbours, settle


def _seen(rect, width, height) -> bool:
    """The node's centre is on the canvas (a neighbour may be cut at the border)."""
    x, y, w, h = rect
    return 0 <= x + w / 2 <= width and 0 <= y + h / 2 <= height


@pytest.mark.parametrize(("name", "size"), [
    ("09-one-layer", (1152, 648)),
    ("12-regression-nn-linear", (1152, 648)),
    # a transposed weight sits beside its matmul, update labels on three lines
    ("16-feed-forward-net", (1920, 1080)),
    # columns as close as what stands at the same height allows (core.drawing.columns),
    # and a neighbour cut at the canvas's edge rather than left out (strip_edge)
    ("16-feed-forward-net", (1152, 648)),
    ("10-conv-pool", (1920, 1080)),
    # rows as tall as a column's own nodes need: x, W and b stand closer
    ("10-conv-pool", (1152, 648)),
])
def test_the_current_node_comes_with_its_neighbours(window, name, size):
    window.resize(*size)
    QApplication.processEvents()
    dock_layout.apply_default_sizes(window)
    load(window, name)
    settle(window)
    model, canvas = window.model, window.canvas
    checked = 0
    for position in range(1, model.length + 1):
        model.goto(position)
        settle(window)
        step = model.current
        if step is None or step.node is None:
            continue
        boxes = canvas.node_boxes()
        nodes, _ = neighbours(model.trace, step)
        x, y, w, h = boxes[step.node]  # the step itself whole
        assert x >= 0 and y >= 0 and x + w <= canvas.width() and y + h <= canvas.height()
        width, height = canvas.width(), canvas.height()
        missing = [model.trace.graph.nodes[n].label for n in nodes
                   if not _seen(boxes[n], width, height)]
        assert not missing, f"{name} @{position}: {missing} out of view"
        checked += 1
    assert checked >= 5


def test_a_transpose_undone_reads_as_the_name():
    """Lesson 16's edge into model.1 read "G ↦ G · (model.2.weightᵀ)ᵀ", a label wider
    than the columns it sits between; the canvas writes ``G · model.2.weight``."""
    from gui.canvas.label_text import _untransposed

    assert _untransposed("G ↦ G · (model.2.weightᵀ)ᵀ") == "G ↦ G · model.2.weight"
    assert _untransposed("G ↦ Xᵀ · G") == "G ↦ Xᵀ · G"
    assert _untransposed("G ↦ ((a + b)ᵀ)ᵀ · G") == "G ↦ ((a + b)ᵀ)ᵀ · G"  # not a name
