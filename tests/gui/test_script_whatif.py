"""What if on a training script's recorded pass (issues 12, 14 and 20): the pass's own graph
is recomputed with the one value changed, and the Variables table refuses edits (a
script gives its values in its text)."""

from __future__ import annotations

import numpy as np
import torch
from PySide6.QtWidgets import QTableWidget

from tests.gui.test_forward_panel import turn_on
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


def test_a_lesson_the_window_cannot_step_opens_in_the_editor_to_be_run(window, qtbot):
    from PySide6.QtWidgets import QPlainTextEdit

    from gui.support.resources import resource

    text = resource("examples", "lessons", "10-regression-by-hand.py").read_text("utf-8")
    assert not window.load_example("10-regression-by-hand")
    editor = window.editor_panel.editor
    assert isinstance(editor, QPlainTextEdit) and editor.toPlainText() == text
    # Apply on a script builds nothing (issue 20 §4): "Run to record", and Run runs it
    assert window.model.length == 0 and window.run_placeholder.isVisible()
    assert "Run (Ctrl+R)" in window.message_bar.text()
