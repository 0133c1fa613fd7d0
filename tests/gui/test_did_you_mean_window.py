"""The "did you mean" button fixes a typo where it is written, before the offer to add
the name to the Variables table (issue 24, item 7)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QPushButton

TYPO = "x = 1.0\ny = 3.0\ny_predicted = 2 * x\nloss = (y_predcted - y) ** 2\n"


def test_did_you_mean_fixes_the_typo_and_applies(window, qtbot):
    editor = window.findChild(QPlainTextEdit, "expressionEditor")
    error = window.findChild(QLabel, "editorError")
    suggestion = window.findChild(QPushButton, "didYouMeanButton")
    add = window.findChild(QPushButton, "addUnknownButton")
    assert suggestion.isHidden()
    editor.setPlainText(TYPO)
    qtbot.mouseClick(window.editor_panel.apply_button, Qt.MouseButton.LeftButton)
    assert "did you mean y_predicted?" in error.text()
    assert suggestion.isVisible() and suggestion.text() == "Did you mean y_predicted? Fix it"
    assert add.isVisible()
    layout = window.editor_panel.layout()
    assert layout.indexOf(suggestion) < layout.indexOf(add)  # offered first
    qtbot.mouseClick(suggestion, Qt.MouseButton.LeftButton)
    assert editor.toPlainText() == TYPO.replace("y_predcted", "y_predicted")
    assert error.isHidden() and suggestion.isHidden() and add.isHidden()
    assert not window.model.out_of_date
    assert float(window.model.trace.graph.output_node.value) == 1.0  # (2 − 3)²
    editor.undo()  # one Ctrl+Z in the editor gives the typed text back
    assert editor.toPlainText() == TYPO


def test_no_suggestion_for_a_name_that_looks_like_nothing(window, qtbot):
    editor = window.findChild(QPlainTextEdit, "expressionEditor")
    editor.setPlainText("loss = (w * q - y) ** 2\n")
    window.editor_panel.apply()
    assert window.findChild(QPushButton, "didYouMeanButton").isHidden()
    assert window.findChild(QPushButton, "addUnknownButton").isVisible()
