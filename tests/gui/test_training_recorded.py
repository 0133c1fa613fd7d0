"""The Training table of a recorded run (issue 20 §4): a row per backward() call, from
the kept passes' numbers and the other passes' summaries, checked against the same loop
run here with real torch; a row clicked, or reached with the keys, is that pass."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSpinBox, QTableWidget

from core.base.format import format_value
from tests.gui.test_lesson_menu import LESSONS, RUN_MS

NN_LINEAR = LESSONS / "12-regression-nn-linear.py"


def torch_loop() -> list[dict]:
    """Lesson 12's loop with real torch: per pass, the loss and each parameter's value
    and .grad when backward() ran (before step())."""
    torch.manual_seed(3)
    x = torch.tensor([[1.0], [2.0], [3.0], [4.0]])
    y = torch.tensor([[3.0], [5.0], [7.0], [9.0]])
    model = torch.nn.Linear(1, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    passes = []
    for _ in range(100):
        loss = torch.nn.MSELoss()(y, model(x))
        loss.backward()
        passes.append({"loss": loss.item(), **{
            name: (p.detach().numpy().astype(np.float64).copy(),
                   p.grad.numpy().astype(np.float64).copy())
            for name, p in (("model.weight", model.weight), ("model.bias", model.bias))}})
        optimizer.step()
        optimizer.zero_grad()
    return passes


def run_lesson(window, qtbot, path) -> None:
    action = next(a for a in window.examples_menu.actions() if a.data() == str(path))
    with qtbot.waitSignal(window.runFinished, timeout=RUN_MS):
        action.trigger()
    training = window.model.training
    qtbot.waitUntil(lambda: not training.checking, timeout=RUN_MS)
    window.training_dock.raise_()


def click_row(qtbot, table: QTableWidget, row: int) -> None:
    table.scrollToItem(table.item(row, 0))
    point = table.visualItemRect(table.item(row, 1)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=point)


@pytest.fixture
def lesson(window, qtbot):
    run_lesson(window, qtbot, NN_LINEAR)
    return window


def test_a_recorded_run_fills_the_table_from_its_passes(lesson):
    window = lesson
    expected = torch_loop()
    panel = window.training_panel
    table = window.findChild(QTableWidget, "iterationTable")
    assert table.rowCount() == 100 == window.model.run.count
    for row in range(100):
        assert panel.cell(row, "#") == str(row + 1)
        # the recorded loss is torch's float32 loss, shown as the table shows numbers
        assert panel.cell(row, "loss") == format_value(np.float64(np.float32(
            expected[row]["loss"])))
    kept = [p.index for p in window.model.run.recording.passes if p.kept]
    assert kept == [1, 2, 3, 100]
    for k in kept:
        for name in ("model.weight", "model.bias"):
            value, grad = expected[k - 1][name]
            assert panel.cell(k - 1, name) == format_value(value)
            assert panel.cell(k - 1, f"{name}.grad") == format_value(grad)
    # a pass kept only as a summary: its loss and each gradient's norm, no values
    _value, grad = expected[49]["model.weight"]
    assert panel.cell(49, "model.weight") == ""
    assert panel.cell(49, "model.weight.grad") == \
        f"‖·‖ = {format_value(np.float64(np.float32(np.linalg.norm(grad))))}"
    marks = panel.torch_marks()
    assert [marks[k - 1] for k in kept] == ["✓"] * 4
    assert set(marks) - {"✓"} == {"—"}
    status = window.findChild(QLabel, "trainingTorchStatus").text()
    assert "All 4 kept passes match torch's recorded gradients ✓" in status
    assert "96 passes kept as summaries" in status
    # the loss plot covers every pass; the lower plot each gradient's norm per pass
    assert panel.loss_points() == pytest.approx(
        [float(np.float32(p["loss"])) for p in expected], rel=1e-6)
    assert len(panel.parameter_points("‖model.weight.grad‖")) == 100
    # the canvas bands the nn.Linear's ops under the module's name, as the script has it
    graph = window.model.trace.graph
    assert [(text, [graph.nodes[m].op for m in members])
            for text, members in window.canvas.call_groups if text == "model"] == \
        [("model", ["transpose", "matmul", "add"])]
    assert "model" in [b["text"] for b in window.canvas.label_boxes() if b["kind"] == "group"]
    # the lesson's own widgets (learning rate, Next iteration) are not the run's
    assert window.findChild(object, "learningRateField").isHidden()


def test_choosing_a_row_chooses_its_pass(lesson, qtbot):
    window = lesson
    runs = window.model.run
    table = window.findChild(QTableWidget, "iterationTable")
    box = window.findChild(QSpinBox, "iterationSelector")
    assert table.currentRow() == 99 and runs.iteration == 100  # the end of the run
    click_row(qtbot, table, 1)
    qtbot.waitUntil(lambda: window.model.trace.recorded_pass == 2, timeout=RUN_MS)
    assert window.model.position == 0 and box.value() == 2
    assert table.currentRow() == 1 and len(table.selectionModel().selectedRows()) == 1
    qtbot.keyClick(table, Qt.Key.Key_Down)  # the keys move through the passes too
    qtbot.waitUntil(lambda: window.model.trace.recorded_pass == 3, timeout=RUN_MS)
    assert box.value() == 3
    click_row(qtbot, table, 49)  # a summary: the run-again offer, as the box gives it
    qtbot.waitUntil(lambda: runs.summary_only == 50)
    assert box.value() == 50 and table.currentRow() == 49
    assert window.pass_notice.isVisible()
    # and the other way: Ctrl+[ moves the box, and the table's row follows
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_BracketLeft, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: box.value() == 49)
    assert table.currentRow() == 48 and len(table.selectionModel().selectedRows()) == 1
    now = window.findChild(QLabel, "trainingNow").text()
    assert now.startswith("Pass 49 of 100") and "loss = " in now


def test_ctrl_4_jumps_to_a_recorded_pass_update(lesson, qtbot):
    window = lesson
    model = window.model
    model.goto(0)
    window.canvas.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert model.position == model.trace.phase_starts["update"] > 1
    assert model.trace.step(model.position).phase == "update"


def test_a_saved_session_of_the_run_fills_the_table_again(lesson, qtbot, tmp_path):
    """Nothing runs: the table comes from the session's saved recording (its summaries,
    and the kept passes that fit)."""
    window = lesson
    before = [window.training_panel.cell(row, "loss") for row in range(100)]
    session = tmp_path / "lesson.json"
    assert window.save_to(session)
    from gui.window.main_window import MainWindow

    other = MainWindow()
    qtbot.addWidget(other)
    other.show()
    assert other.open_file(session)
    training = other.model.training
    qtbot.waitUntil(lambda: training.recorded and not training.checking, timeout=RUN_MS)
    assert not other.is_running()
    panel = other.training_panel
    assert [panel.cell(row, "loss") for row in range(100)] == before
    kept = [p.index for p in other.model.run.recording.passes if p.kept]
    assert 100 in kept
    assert panel.cell(99, "model.weight") == window.training_panel.cell(99, "model.weight")
    assert [panel.torch_marks()[k - 1] for k in kept] == ["✓"] * len(kept)


def test_a_forward_only_recording_hides_the_lessons_training(window, qtbot):
    """Lesson 10 (by hand) never calls backward(): its forward ops are on screen, and no
    learning rate can be typed (it would build the script's text as a program)."""
    run_lesson(window, qtbot, LESSONS / "10-regression-by-hand.py")
    runs = window.model.run
    assert runs.count == 0 and runs.on_screen and window.model.length > 0
    for name in ("learningRateField", "nextIterationButton", "trainButton"):
        assert window.findChild(object, name).isHidden(), name
    assert window.findChild(QTableWidget, "iterationTable").rowCount() == 0
    assert window.findChild(QLabel, "trainingNow").text() == \
        "The script never called backward(): there is no pass to train or check."
