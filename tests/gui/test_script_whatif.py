"""What if on a training script's recorded pass (issues 12, 14 and 20): the pass's own graph
is recomputed with the one value changed, and the Variables table refuses edits (a
script gives its values in its text)."""

from __future__ import annotations

import numpy as np
import torch
from PySide6.QtWidgets import QTableWidget

from tests.gui.test_forward_panel import turn_on
from tests.gui.test_lesson_menu import RUN_MS
from tests.gui.test_script_window import open_lesson


def test_what_if_w_on_the_autograd_lesson_gives_torchs_loss_and_slope(window, qtbot):
    open_lesson(window, qtbot, "Linear regression with autograd")
    panel = turn_on(window, qtbot)
    panel.set_whatif(1.5, "w")
    trace = panel.whatif_trace
    assert trace is not None
    x = torch.tensor([1.0, 2, 3, 4, 5], dtype=torch.float64)
    w = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
    loss = ((w * x - 3 * x) ** 2).mean()
    loss.backward()
    assert float(np.sum(trace.graph.output_node.value)) == loss.item()
    assert float(trace.named_gradients()["w"]) == w.grad.item()
    table = window.findChild(QTableWidget, "whatIfTable")
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert rows["w"] == "1.5"


def test_a_scripts_variables_are_not_edited_from_the_table(window, qtbot):
    open_lesson(window, qtbot, "Linear regression with autograd")
    before = window.model.session().to_dict()
    assert not window.model.edit_value("w", "2.0")
    assert "text" in window.model.error.message  # says where the value is given
    assert window.model.session().to_dict() == before


def test_a_lesson_without_backward_runs_and_shows_its_forward_ops(window, qtbot):
    """Lesson 10 (by hand) calls no backward(): load_example runs it at once through the
    recorder, as the Examples menu does, and its forward ops are on screen (issue 20)."""
    from PySide6.QtWidgets import QPlainTextEdit

    from gui.support.resources import resource

    text = resource("examples", "lessons", "10-regression-by-hand.py").read_text("utf-8")
    with qtbot.waitSignal(window.runFinished, timeout=RUN_MS):
        assert window.load_example("10-regression-by-hand")
    editor = window.editor_panel.editor
    assert isinstance(editor, QPlainTextEdit) and editor.toPlainText() == text
    runs = window.model.run
    assert runs.result.status == "ok" and runs.count == 0 and runs.on_screen
    assert window.model.length > 0 and not window.run_placeholder.isVisible()
    assert "called no backward()" in window.message_bar.text()
    # Apply on a script builds nothing (issue 20 §4): Run runs it
    window.model.apply_text(text)
    assert "Run (Ctrl+R)" in window.message_bar.text()
