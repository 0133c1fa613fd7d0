"""Tensors on the canvas: small ones as a grid of cells on a diverging scale, large ones
as a shape badge with a heat-map thumbnail; edges carry shapes; a matmul shows its rule."""

from __future__ import annotations

import numpy as np
import pytest

from core.drawing.labels import grid_cells, grid_shape
from core.engine.trace import Stepper, build_trace
from gui.canvas.grids import cell_colours, grid_info, thumbnail
from gui.graph_canvas import GraphCanvas

LAYER = ("X = [[1.0, 2.0, 3.0], [4.0, -5.0, 6.0]]\n"
         "W = param([[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]])\nb = param([0.1, -0.2])\n"
         "h = relu(X @ W + b)\nloss = mean(h)\n")
BIG = "X = torch.ones(8, 12)\nW = param(torch.full((12, 3), 0.5))\nloss = sum(tanh(X @ W))"


@pytest.fixture
def canvas(qtbot):
    widget = GraphCanvas()
    qtbot.addWidget(widget)
    widget.resize(1400, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_grid_shapes_follow_the_six_entry_rule():
    assert grid_shape((3,)) == (1, 3)
    assert grid_shape((6, 6)) == (6, 6)
    assert grid_shape((7, 2)) is None and grid_shape((7,)) is None
    assert grid_shape(()) is None and grid_shape((1,)) is None


def test_grid_text_lines_up_its_columns():
    text, info = grid_info(np.array([[1.0, -22.5], [0.25, 4.0]]))
    assert text.split("\n") == ["    1 −22.5", " 0.25     4"]
    assert info["rows"] == 2 and info["cols"] == 2 and info["chars"] == 5
    cells = grid_cells(info["chars"], 2, 2, (0.0, 0.0, 110.0, 20.0))
    assert len(cells) == 4 and cells[0][3] == 20.0 and cells[2][1] == 0.0


def test_the_colour_scale_is_white_at_zero_blue_below_red_above():
    rgba = cell_colours(np.array([-2.0, 0.0, 2.0]))
    assert tuple(rgba[1]) == (1.0, 1.0, 1.0, 1.0)
    assert rgba[0, 2] > rgba[0, 0]  # blue
    assert rgba[2, 0] > rgba[2, 2]  # red
    assert np.allclose(rgba[0, :3] + rgba[2, :3], 2 - 0.55 * (2 - np.array(
        [0.13 + 0.70, 0.40 + 0.09, 0.67 + 0.17])))


def test_a_large_tensor_gets_a_badge_with_block_means():
    array = np.arange(64 * 128, dtype=float).reshape(64, 128)
    text, info = grid_info(array)
    assert text.strip() == "64×128" and info["mode"] == "badge"
    assert info["values"].shape == (8, 8)
    assert info["values"][0, 0] == array[:8, :16].mean()
    assert thumbnail(np.ones((2, 3))).shape == (2, 3)


def test_the_canvas_lists_one_tensor_entry_per_grid(canvas):
    trace = build_trace(LAYER)
    canvas.set_trace(trace)
    stepper = Stepper(trace)
    stepper.end()
    canvas.show_state(stepper.known, stepper.current)
    entries = canvas.label_entries()
    tensors = [e for e in entries if e["kind"] == "tensor"]
    w = trace.graph.names["W"]
    roles = {(e["node"], e["role"]) for e in tensors}
    assert (w, "value") in roles and (w, "gradient") in roles
    text = next(e["text"] for e in tensors if e["node"] == w and e["role"] == "gradient")
    grad = trace.grads[w]
    # every pre-activation is positive, so G = 1/4 and dW[i, j] = Σ_b X[b, i] / 4
    assert [row.split() for row in text.split("\n")] == [
        ["1.25", "1.25"], ["−0.75", "−0.75"], ["2.25", "2.25"]]
    assert grad.shape == (3, 2) and grad[2, 1] == pytest.approx(2.25)
    locals_ = [e["text"] for e in entries if e["kind"] == "local"]
    assert "G ↦ Xᵀ · G\n(2×2 → 3×2)" in locals_  # a matmul: its rule with shapes
    assert "1 (2×2)" in locals_  # an element-wise edge carries its shape


def test_a_big_matrix_is_a_badge_on_the_canvas(canvas):
    trace = build_trace(BIG)
    canvas.set_trace(trace)
    stepper = Stepper(trace)
    stepper.end()
    canvas.show_state(stepper.known, stepper.current)
    texts = [e["text"].strip() for e in canvas.label_entries() if e["kind"] == "tensor"]
    assert "8×12" in texts and texts.count("12×3") == 2
    canvas.grab()  # paints the thumbnails


def test_a_tensor_tooltip_lists_its_rows():
    from gui.canvas.label_text import tensor_tip

    assert tensor_tip(np.array([[1.5, -2.0], [0.25, 4.0]])) == "2×2\n[1.5, -2.0]\n[0.25, 4.0]"
    big = tensor_tip(np.zeros((784, 128)))
    assert big.startswith("784×128\n") and big.endswith("\n…")
    assert big.count("\n") == 2000 // 128 + 1
    assert tensor_tip(np.array([1.0, 2.0])) == "[1.0, 2.0]"
