"""The PyTorch panel: code at once, then torch's own output and an "all match"."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTableWidget, QWidget

from gui.main_window import MainWindow

TORCH_TIMEOUT = 120_000  # the worker imports torch (~1-2 s); generous for a loaded machine


def test_torch_panel_reaches_all_match_for_the_lesson(window, qtbot):
    panel = window.findChild(QWidget, "torchPanel")
    status = panel.findChild(QLabel, "torchStatus")
    code = panel.findChild(QPlainTextEdit, "torchCode").toPlainText()
    assert "w = torch.tensor(1.0, requires_grad=True)" in code
    assert "loss.backward()" in code
    qtbot.waitUntil(lambda: status.text() == "all match", timeout=TORCH_TIMEOUT)
    window.model.end()  # torch's numbers show as their step is reached
    output = panel.findChild(QPlainTextEdit, "torchOutput").toPlainText()
    assert output == "tensor(1., grad_fn=<PowBackward0>)\ntensor(-2.)\n"
    table = panel.findChild(QTableWidget, "torchTable")
    rows = {table.item(r, 0).text(): [table.item(r, c).text() for c in range(1, 5)]
            for r in range(table.rowCount())}
    assert rows["∂loss/∂w"] == ["−2", "−2", "−2", "✓"]
    assert rows["loss"][:2] == ["1", "1"]
    chain = panel.findChild(QLabel, "torchGradFns").text()
    assert "PowBackward0" in chain and "MulBackward0" in chain and "AccumulateGrad" in chain


def test_torch_rechecks_after_an_edit(window, qtbot):
    status = window.findChild(QLabel, "torchStatus")
    qtbot.waitUntil(lambda: status.text() == "all match", timeout=TORCH_TIMEOUT)
    table = window.findChild(QTableWidget, "variablesTable")
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "w")
    table.item(row, 2).setText("3")
    assert status.text() != "all match"
    qtbot.waitUntil(lambda: status.text() == "all match", timeout=TORCH_TIMEOUT)
    window.model.end()
    output = window.findChild(QPlainTextEdit, "torchOutput").toPlainText()
    assert output == "tensor(1., grad_fn=<PowBackward0>)\ntensor(2.)\n"


def test_without_torch_the_panel_says_so_and_the_rest_works(qtbot, monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.start_torch_check()
    status = window.findChild(QLabel, "torchStatus")
    qtbot.waitUntil(lambda: "not available" in status.text(), timeout=TORCH_TIMEOUT)
    window.model.end()
    assert window.model.position == 9
    assert "w = torch.tensor" in window.findChild(QPlainTextEdit, "torchCode").toPlainText()


def test_torch_results_appear_as_their_step_is_reached(window, qtbot):
    """Step 0 shows the code but not the answer; loss prints at step 3, w.grad at step 9."""
    panel = window.torch_panel
    status = panel.findChild(QLabel, "torchStatus")
    qtbot.waitUntil(lambda: status.text() == "all match", timeout=TORCH_TIMEOUT)
    assert "print(w.grad)" in panel.findChild(QPlainTextEdit, "torchCode").toPlainText()
    assert panel.printed_text() == ""
    assert "tensor(-2.)" not in panel.printed_text()
    assert panel.shown_rows() == ["w", "x", "y"]  # the inputs only: nothing computed yet
    assert panel.findChild(QLabel, "torchRevealNote").isVisible()
    window.model.goto(2)
    assert panel.printed_text() == ""
    assert "s" in panel.shown_rows() and "loss" not in panel.shown_rows()
    window.model.goto(3)  # the forward pass is done: print(loss)
    assert panel.printed_text() == "tensor(1., grad_fn=<PowBackward0>)\n"
    assert "∂loss/∂w" not in panel.shown_rows()
    window.model.goto(8)
    assert "∂loss/∂y_hat" in panel.shown_rows() and "∂loss/∂w" not in panel.shown_rows()
    window.model.goto(9)  # the last step: everything
    assert panel.printed_text() == "tensor(1., grad_fn=<PowBackward0>)\ntensor(-2.)\n"
    assert "∂loss/∂w" in panel.shown_rows()
    assert not panel.findChild(QLabel, "torchRevealNote").isVisible()
    window.model.reset()
    assert panel.printed_text() == ""


def test_the_view_option_shows_torch_results_from_the_start(window, qtbot):
    panel = window.torch_panel
    status = panel.findChild(QLabel, "torchStatus")
    qtbot.waitUntil(lambda: status.text() == "all match", timeout=TORCH_TIMEOUT)
    action = window.torch_results_action
    assert action.text() == "Show PyTorch's results from the start"
    assert not action.isChecked()
    action.trigger()
    assert window.model.position == 0
    assert panel.printed_text() == "tensor(1., grad_fn=<PowBackward0>)\ntensor(-2.)\n"
    assert "∂loss/∂w" in panel.shown_rows()
    action.trigger()
    assert panel.printed_text() == ""


def test_the_torch_results_option_is_saved(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    first = MainWindow(settings)
    qtbot.addWidget(first)
    first.torch_results_action.trigger()
    first.save_settings(settings)
    second = MainWindow(settings)
    qtbot.addWidget(second)
    second.restore_settings(settings)
    assert second.torch_results_action.isChecked()
    assert second.torch_panel.results_from_start


def _check_column_in_view(table) -> bool:
    header = table.horizontalHeader()
    right = header.sectionViewportPosition(4) + header.sectionSize(4)
    return right <= table.viewport().width() and table.horizontalScrollBar().maximum() == 0


def test_the_check_column_stays_in_view_in_the_default_dock(window, qtbot):
    # issue 24: at 1920×1080 a network's tensors pushed ✓ (and PyTorch's numbers) out of
    # the 350-pixel dock; a long value is cut with … and stays whole in its tooltip
    from gui.window import dock_layout

    window.resize(1728, 972)  # a first launch on 1920×1080
    dock_layout.apply_default_sizes(window)
    assert window.load_example("09-one-layer")
    panel = window.torch_panel
    qtbot.waitUntil(lambda: panel.status.text() == "all match", timeout=TORCH_TIMEOUT)
    window.model.end()
    table = panel.table
    qtbot.waitUntil(lambda: _check_column_in_view(table))
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "∂loss/∂W")
    assert table.item(row, 4).text() == "✓"
    assert table.item(row, 1).toolTip().count("0.6875") == 2  # the whole value, unelided
    names = table.columnWidth(0)
    assert names >= table.fontMetrics().horizontalAdvance("∂loss/∂W")
    # the lesson's scalars keep their digits whole
    assert window.load_example("01-lesson")
    qtbot.waitUntil(lambda: panel.status.text() == "all match", timeout=TORCH_TIMEOUT)
    window.model.end()
    qtbot.waitUntil(lambda: _check_column_in_view(table))
    metrics = table.fontMetrics()
    for r in range(table.rowCount()):
        for column in (1, 2, 3):
            text = table.item(r, column).text()
            assert metrics.horizontalAdvance(text) <= table.columnWidth(column), text
