"""Ninja mode on a recorded pass in the window: a real script run with Run (a real child
process, real torch), then every gradient typed with real key presses and graded in
float32 against torch's own ``.grad``; the node behind an opaque torch call is given."""

from __future__ import annotations

import re

import numpy as np
import torch
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QToolButton

from tests.gui.test_ninja_panel import (
    backward,
    feedback,
    ninja_on,
    question,
    table_rows,
    type_answer,
)

RUN_MS = 90_000  # a torch import on a loaded 2-core machine, recorded
SCRIPT = """\
import torch

X = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
W = torch.tensor([[0.5], [-0.25]], requires_grad=True)
b = torch.tensor([0.1], requires_grad=True)
h = X @ W + b
c = torch.cumsum(h, 0)
loss = (c * c).sum()
loss.backward()
"""


def torch_grads() -> dict[str, np.ndarray]:
    """The script's gradients, computed here by torch."""
    X = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    W = torch.tensor([[0.5], [-0.25]], requires_grad=True)
    b = torch.tensor([0.1], requires_grad=True)
    h = X @ W + b
    h.retain_grad()
    c = torch.cumsum(h, 0)
    (c * c).sum().backward()
    return {"W": W.grad.numpy(), "b": b.grad.numpy(), "h": h.grad.numpy()}


def test_a_recorded_pass_walked_in_ninja_mode(window, qtbot):
    window.editor_panel.editor.setPlainText(SCRIPT)
    with qtbot.waitSignal(window.runFinished, timeout=RUN_MS):
        qtbot.mouseClick(window.findChild(QToolButton, "runButton"), Qt.MouseButton.LeftButton)
    assert window.model.run.result.status == "ok"
    qtbot.keyClick(window, Qt.Key.Key_Home)  # the pass from its start: no step seen yet
    assert window.model.position == 0
    ninja_on(window, qtbot)
    walk = window.model.quiz.ninja.walk
    assert walk.dtype == np.float32  # the pass's dtype
    assert [q.key for q in walk.questions] == ["c · c", "c", "b", "X @ W", "W"]
    backward(window, qtbot)
    type_answer(window, qtbot, "d_loss * torch.ones_like(c * c)")
    assert feedback(window).startswith("✓ Right")
    type_answer(window, qtbot, 'grad("c * c") * c')  # the fork's second term missing
    assert "used twice" in feedback(window) or "sum" in feedback(window)
    type_answer(window, qtbot, '2 * grad("c * c") * c')
    assert feedback(window) == "✓ Right: c. exact ✓ · close ✓ · max difference 0 · shape ✓"
    # h: through torch.cumsum, a call with no rule of ours: given, with a note
    assert window.model.current.node_id == window.model.trace.graph.names["h"]
    assert question(window) == "d_h is given: press → to go on."
    assert window.findChild(QLabel, "ninjaNames").text() == \
        "It comes back through torch.cumsum, whose rule only torch knows."
    np.testing.assert_array_equal(window.model.quiz.ninja.grads["h"], torch_grads()["h"])
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_Right)
    assert question(window).startswith("d_b = ")
    type_answer(window, qtbot, "d_h")  # the sum over the batch forgotten
    assert "(.sum(0))" in feedback(window)
    type_answer(window, qtbot, "d_h.sum(0)")
    assert feedback(window).startswith("✓ Right: b. exact ✓")
    type_answer(window, qtbot, "d_h")
    type_answer(window, qtbot, 'X.T @ grad("X @ W")')
    # float32 matmuls may accumulate in another order than torch's, as the CPU's BLAS
    # kernel decides: exact on some machines, close (an ulp or so away) on others
    text = feedback(window)
    assert text.startswith("✓ Right: W. exact ") and "close ✓" in text, text
    difference = float(re.search(r"max difference (\S+)", text).group(1))
    assert difference == 0 if "exact ✓" in text else 0 < difference <= 1e-5, text
    assert question(window) == "End of the walk."
    # the values written are torch's, in float32: b's sum bitwise, W's matmul within an ulp
    grads = window.model.quiz.ninja.grads
    assert grads["b"].dtype == grads["W"].dtype == np.float32
    np.testing.assert_array_equal(grads["b"], torch_grads()["b"])
    np.testing.assert_allclose(grads["W"], torch_grads()["W"], rtol=1e-7, atol=0)
    w_grade = "exact" if "exact ✓" in text else "close"  # as its feedback said
    assert [row[:3] for row in table_rows(window)] == [
        ["c · c", "1", "exact"], ["c", "2", "exact"], ["b", "2", "exact"],
        ["X @ W", "1", "exact"], ["W", "1", w_grade]]


def test_the_conv_pool_example_walked_with_typed_correlations(window, qtbot):
    """Level 1 on 10-conv-pool: max_pool2d's routing is given with a note; the conv's
    dW is typed as a correlation and graded against the engine (checked against torch in
    tests/core/test_ninja_conv.py)."""
    from pathlib import Path

    window.load_example(Path(__file__).resolve().parents[2] / "resources" / "examples"
                        / "10-conv-pool.json")
    ninja_on(window, qtbot)
    backward(window, qtbot)
    type_answer(window, qtbot, "d_loss * torch.ones_like(m)")
    assert feedback(window).startswith("✓ Right: m.")
    assert question(window) == "d_r is given: press → to go on."
    assert window.findChild(QLabel, "ninjaNames").text().startswith(
        "Its rule cannot be written as an answer yet: ∂loss/∂m sent to each window's")
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_Right)
    type_answer(window, qtbot, "d_r * (h > 0)")
    type_answer(window, qtbot, "d_h.sum(0)")  # rows and columns left out
    assert "shape ✗" in feedback(window)
    type_answer(window, qtbot, "d_h.sum(0).sum(1).sum(1)")
    assert feedback(window).startswith("✓ Right: b.")
    type_answer(window, qtbot, "F.conv2d(x.transpose(0, 1), d_h.transpose(0, 1), padding=1)"
                ".transpose(0, 1)")
    assert feedback(window).startswith("✓ Right: W.")
    assert question(window) == "End of the walk."
