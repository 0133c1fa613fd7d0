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


#: not yet at 1280×720: lesson 16's columns (4-wide gradient grids of numbers like
#: −0.00499) are about 320 points apart, a readable view about 540 wide; conv-pool's graph
#: shares 375 pixels of height with its feature maps and its input x is cut at the top
_NOT_YET = pytest.mark.xfail(strict=True, reason="issue 24, item 8: not yet at 1280×720")


@pytest.mark.parametrize(("name", "size"), [
    ("09-one-layer", (1152, 648)),
    ("12-regression-nn-linear", (1152, 648)),
    # a transposed weight sits beside its matmul, update labels on three lines
    ("16-feed-forward-net", (1920, 1080)),
    pytest.param("16-feed-forward-net", (1152, 648), marks=_NOT_YET),
    ("10-conv-pool", (1920, 1080)),
    pytest.param("10-conv-pool", (1152, 648), marks=_NOT_YET),
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
