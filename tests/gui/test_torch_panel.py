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
