"""Editing: values and roles re-run the trace, Apply, undo/redo, errors keep the graph."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTextBrowser,
)


def explanation(window) -> str:
    return window.findChild(QTextBrowser, "explanationView").toPlainText()


def row_of(table: QTableWidget, name: str) -> int:
    return next(r for r in range(table.rowCount()) if table.item(r, 0).text() == name)


def test_editing_a_value_reruns_and_keeps_the_position(window, qtbot):
    table = window.findChild(QTableWidget, "variablesTable")
    qtbot.keyClick(window, Qt.Key.Key_Right)
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert "s = y_hat − y = 1 − 2 = −1" in explanation(window)
    # type a new value for w into its cell, as a user would
    row = row_of(table, "w")
    table.setFocus()
    table.setCurrentCell(row, 2)
    table.editItem(table.item(row, 2))
    cell = QApplication.focusWidget()
    assert isinstance(cell, QLineEdit)
    qtbot.keyClicks(cell, "3")
    # while typing in the cell, Left moves the text cursor, not the trace
    qtbot.keyClick(cell, Qt.Key.Key_Left)
    assert window.model.position == 2
    assert cell.cursorPosition() == 0
    qtbot.keyClick(cell, Qt.Key.Key_Return)  # the delegate commits on the next event loop turn
    qtbot.waitUntil(lambda: "s = y_hat − y = 3 − 2 = 1" in explanation(window))
    assert window.model.position == 2
    assert table.item(row_of(table, "w"), 2).text() == "3"
    assert window.isWindowModified()


def test_undo_and_redo_a_value_edit_with_keys(window, qtbot):
    table = window.findChild(QTableWidget, "variablesTable")
    window.model.goto(9)
    table.item(row_of(table, "x"), 2).setText("2")  # y_hat = 2, s = 0, ∂loss/∂w = 0
    assert "∂loss/∂w = ∂loss/∂y_hat · ∂y_hat/∂w = 0 · 2 = 0" in explanation(window)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "= −2 · 1 = −2" in explanation(window)
    assert table.item(row_of(table, "x"), 2).text() == "1"
    assert window.model.position == 9
    assert not window.isWindowModified()
    qtbot.keyClick(window, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert table.item(row_of(table, "x"), 2).text() == "2"
    assert "0 · 2 = 0" in explanation(window)


def test_role_edit_adds_steps_and_undoes(window, qtbot):
    table = window.findChild(QTableWidget, "variablesTable")
    assert window.model.length == 9
    table.item(row_of(table, "x"), 1).setText("parameter")
    assert window.model.length == 11  # ∂y_hat/∂x and ∂loss/∂x join the trace
    assert window.model.program.bindings["x"].role == "parameter"
    assert "x = torch.tensor(1.0, requires_grad=True)" in window.torch_panel.code.toPlainText()
    window.undo_action.trigger()
    assert window.model.length == 9


def test_bad_value_shows_an_error_and_keeps_everything(window):
    table = window.findChild(QTableWidget, "variablesTable")
    window.model.goto(4)
    trace = window.model.trace
    table.item(row_of(table, "w"), 2).setText("two")
    error = window.findChild(QLabel, "editorError")
    assert "not a number" in error.text()
    assert window.model.trace is trace and window.model.position == 4
    assert table.item(row_of(table, "w"), 2).text() == "1"


def test_list_values_work(window):
    table = window.findChild(QTableWidget, "variablesTable")
    editor = window.findChild(QPlainTextEdit, "expressionEditor")
    editor.setPlainText("y_hat = w * x\nloss = mean((y_hat - y) ** 2)\n")
    window.findChild(QLabel, "editorError")
    window.editor_panel.apply()
    table.item(row_of(table, "x"), 2).setText("1, 2, 3, 4")
    table.item(row_of(table, "y"), 2).setText("2, 4, 6, 8")
    table.item(row_of(table, "w"), 2).setText("0")
    window.model.end()
    assert "−30" in explanation(window)


def test_apply_with_ctrl_return_in_the_editor_and_undo(window, qtbot):
    editor = window.findChild(QPlainTextEdit, "expressionEditor")
    window.model.goto(3)
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    cursor = editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    cursor.movePosition(cursor.MoveOperation.Left)  # before the final newline
    editor.setTextCursor(cursor)
    qtbot.keyClicks(editor, " + w")
    # arrows and Space type in the editor, they do not step
    qtbot.keyClick(editor, Qt.Key.Key_Left)
    qtbot.keyClick(editor, Qt.Key.Key_Right)
    qtbot.keyClick(editor, Qt.Key.Key_Home)
    assert window.model.position == 3
    assert editor.textCursor().positionInBlock() == 0
    qtbot.keyClick(editor, Qt.Key.Key_End)
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.model.program.text.endswith("loss = s ** 2 + w\n")
    assert window.model.position == 3
    assert "Step 3 of 13" in explanation(window)  # w also reaches loss directly now
    assert "s² = (−1)² = 1" in explanation(window)
    assert editor.toPlainText().endswith("+ w\n")  # Ctrl+Return typed no newline
    window.canvas.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.model.program.text.endswith("loss = s ** 2\n")
    assert editor.toPlainText().endswith("loss = s ** 2\n")


def test_arrow_sent_to_the_window_while_typing_moves_the_cursor(window, qtbot):
    editor = window.findChild(QPlainTextEdit, "expressionEditor")
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    cursor = editor.textCursor()
    cursor.setPosition(0)
    editor.setTextCursor(cursor)
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert window.model.position == 0
    assert editor.textCursor().position() == 1


def test_bad_expression_keeps_the_graph_and_marks_the_spot(window, qtbot):
    editor = window.findChild(QPlainTextEdit, "expressionEditor")
    window.model.goto(5)
    trace = window.model.trace
    labels = window.canvas.visible_labels()
    editor.setPlainText("y_hat = w * x\ns = y_hat - y\nloss = s ^ 2\n")
    qtbot.mouseClick(window.editor_panel.apply_button, Qt.MouseButton.LeftButton)
    error = window.findChild(QLabel, "editorError")
    assert error.isVisible()
    assert "line 3, column 8" in error.text()
    assert "**" in error.text()  # the hint: use ** for powers
    assert window.model.trace is trace and window.model.position == 5
    assert window.canvas.visible_labels() == labels
    marks = editor.extraSelections()
    assert marks and marks[-1].cursor.blockNumber() == 2
    assert editor.textCursor().blockNumber() == 2
    # an unknown name is reported the same way
    editor.setPlainText("loss = (w * q - y) ** 2\n")
    window.editor_panel.apply()
    assert "line 1, column 13: unknown name 'q'" in error.text()
    # fixing it clears the error
    editor.setPlainText("loss = (w * x - y) ** 2\n")
    window.editor_panel.apply()
    assert error.isHidden()
    assert window.model.length == 9 - 3 + 3 or window.model.length > 0


def test_a_declaration_typed_in_the_text_wins_over_the_table(window):
    table = window.findChild(QTableWidget, "variablesTable")
    editor = window.findChild(QPlainTextEdit, "expressionEditor")
    editor.setPlainText("x = 2.0\nw = param(0.5)\ny_hat = w * x\nloss = (y_hat - y) ** 2\n")
    window.editor_panel.apply()
    assert table.item(row_of(table, "x"), 2).text() == "2"
    assert table.item(row_of(table, "w"), 2).text() == "0.5"
    assert table.item(row_of(table, "y"), 2).text() == "2"  # still from the table
    # a table edit then overrides the declaration, and re-applying the same text keeps it
    table.item(row_of(table, "x"), 2).setText("3")
    window.editor_panel.apply()
    assert table.item(row_of(table, "x"), 2).text() == "3"
