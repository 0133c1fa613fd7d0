"""What if and forward mode on a recorded pass (issue 20 §3-4): a pass whose nodes are all
registry ops is computed again by our engine with the moved value (its numbers checked
here against real torch); a pass holding a call whose rule only torch knows says why
both are unavailable. Real child processes, real keys and mouse."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QComboBox, QLabel, QListWidget, QSpinBox, QToolButton

from gui.canvas.events import WHATIF_PER_PIXEL
from tests.gui.test_forward_panel import settle, turn_on
from tests.gui.test_lesson_menu import LESSONS, RUN_MS

AUTOGRAD = LESSONS / "11-regression-autograd.py"
X = [1.0, 2.0, 3.0, 4.0, 5.0]
CUMSUM = """\
import torch
x = torch.tensor([1.0, 2.0, 3.0])
w = torch.tensor(0.5, requires_grad=True)
c = torch.cumsum(w * x, 0)
loss = (c * c).sum()
loss.backward()
"""


def lesson_11_pass(k: int) -> tuple[float, float]:
    """Lesson 11's loop in torch (float32): w when pass k began and torch's w.grad then."""
    x = torch.tensor(X)
    y = 3 * x
    w = torch.tensor(0.0, requires_grad=True)
    for _ in range(k - 1):
        ((w * x - y) ** 2).mean().backward()
        with torch.no_grad():
            w -= 0.02 * w.grad
        w.grad.zero_()
    start = w.item()
    ((w * x - y) ** 2).mean().backward()
    return start, w.grad.item()


def torch_at(w_value: float) -> tuple[float, float]:
    """The lesson's loss and ∂loss/∂w at w, by torch in float64."""
    x = torch.tensor(X, dtype=torch.float64)
    w = torch.tensor(w_value, dtype=torch.float64, requires_grad=True)
    loss = ((w * x - 3 * x) ** 2).mean()
    loss.backward()
    return loss.item(), w.grad.item()


def run_menu_lesson(window, qtbot, path) -> None:
    action = next(a for a in window.examples_menu.actions() if a.data() == str(path))
    with qtbot.waitSignal(window.runFinished, timeout=RUN_MS):
        action.trigger()


def test_forward_mode_and_what_if_on_a_recorded_pass_are_torchs_numbers(window, qtbot):
    run_menu_lesson(window, qtbot, AUTOGRAD)
    model = window.model
    box = window.findChild(QSpinBox, "iterationSelector")
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, "3")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: model.trace.recorded_pass == 3, timeout=RUN_MS)
    start, torch_grad = lesson_11_pass(3)
    w = model.trace.graph.names["w"]
    assert float(model.trace.graph.nodes[w].value) == start
    panel = turn_on(window, qtbot)
    assert window.findChild(QComboBox, "forwardWrt").currentText() == "w"
    steps = window.findChild(QListWidget, "forwardSteps")
    assert steps.count() > 1 and steps.item(0).text() == "∂w/∂w = 1"
    # forward mode's tangent at the loss, on the recorded float32 values, is torch's w.grad
    assert float(panel.steps[-1].value) == np.float64(torch_grad).item() or \
        abs(float(panel.steps[-1].value) - torch_grad) <= 1e-5 * abs(torch_grad)
    assert "forward_ad is not asked on a recorded pass" in \
        window.findChild(QLabel, "forwardTorch").text()
    # What if: a drag on w's node moves every number, through our engine
    model.end()
    settle(window, qtbot)
    canvas = window.canvas
    undo = model.undo_stack.count()
    at = canvas.node_widget_pos(w)
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=at)
    for dx in (10, 30, 50):
        qtbot.mouseMove(canvas, pos=at + QPoint(dx, 0))
    moved = start + 50 * WHATIF_PER_PIXEL * max(abs(start), 1.0)
    trace = panel.whatif_trace
    assert trace is not None and float(trace.graph.nodes[w].value) == moved
    loss, grad = torch_at(moved)
    assert float(trace.graph.output_node.value) == np.float64(loss) or \
        abs(float(trace.graph.output_node.value) - loss) <= 1e-12 * abs(loss)
    assert abs(float(trace.named_gradients()["w"]) - grad) <= 1e-12 * max(1.0, abs(grad))
    assert "What if w = " in window.findChild(QLabel, "whatIfValue").text()
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=at + QPoint(50, 0))
    # the recording is as it ran: nothing kept, the script's text says where w comes from
    assert model.undo_stack.count() == undo
    assert float(model.trace.graph.nodes[w].value) == start
    assert model.trace.recorded_pass == 3
    assert "gives w its value in its text" in model.error.message


def test_a_pass_holding_torchs_rule_says_why_both_are_unavailable(window, qtbot):
    window.editor_panel.editor.setPlainText(CUMSUM)
    with qtbot.waitSignal(window.runFinished, timeout=RUN_MS):
        qtbot.mouseClick(window.findChild(QToolButton, "runButton"), Qt.MouseButton.LeftButton)
    model = window.model
    assert model.trace.recorded_pass == 1
    assert any(n.op == "torch_rule" for n in model.trace.graph.nodes)
    panel = turn_on(window, qtbot)
    title = window.findChild(QLabel, "forwardTitle").text()
    assert title.startswith("Forward mode is unavailable on this pass: it holds torch.cumsum")
    assert "only torch knows" in title
    assert window.findChild(QListWidget, "forwardSteps").count() == 0
    label = window.findChild(QLabel, "whatIfValue").text()
    assert label.startswith("What if is unavailable on this pass: it holds torch.cumsum")
    assert not panel.slider.isEnabled()
    # a drag on w moves nothing and says why
    settle(window, qtbot)
    w = model.trace.graph.names["w"]
    at = window.canvas.node_widget_pos(w)
    qtbot.mousePress(window.canvas, Qt.MouseButton.LeftButton, pos=at)
    for dx in (10, 30, 50):
        qtbot.mouseMove(window.canvas, pos=at + QPoint(dx, 0))
    assert panel.whatif_trace is None
    assert window.findChild(QLabel, "whatIfValue").text() == label
    qtbot.mouseRelease(window.canvas, Qt.MouseButton.LeftButton, pos=at + QPoint(50, 0))
    assert float(model.trace.graph.nodes[w].value) == 0.5


def test_a_recorded_passs_update_is_said_to_be_its_own_under_a_what_if(window, qtbot):
    """A What-if of a recorded pass recomputes the forward and backward steps, not the
    update (the optimizer's rule is torch's): the update's row and the Explanation say its
    numbers are the pass's own, greyed, not mixed in silently with the What-if's."""
    from gui.support import theme

    run_menu_lesson(window, qtbot, AUTOGRAD)
    panel = turn_on(window, qtbot)
    panel.tabs.setCurrentIndex(1)
    model = window.model
    model.end()
    update = model.current
    assert update.phase == "update"  # (w -= 0.02 * w.grad: a recorded update)
    panel.set_whatif(10.0, "w")
    assert panel.whatif_trace.twin(update) is None  # (no update in the What-if's trace)
    assert "the pass's own" in window.explanation.toPlainText()
    table, row = window.tables._rows[update.index]
    value = table.item(row, 2)
    assert value.foreground().color().name().lower() == theme.MUTED.lower()
    assert "What if does not compute this step again" in value.toolTip()
    # the backward step before it is the What-if's: ∂loss/∂w at w = 10, by torch
    backward = model.trace.steps[update.index - 2]
    model.goto(backward.index)
    assert "the pass's own" not in window.explanation.toPlainText()
    assert float(panel.whatif_trace.twin(backward).value) == pytest.approx(torch_at(10.0)[1])
