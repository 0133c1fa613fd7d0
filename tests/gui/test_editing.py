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
    # a new program starts at its step 0 (issue 24): nothing of it shown before its step
    assert window.model.position == 0
    assert "Step 0 of 13" in explanation(window)  # w also reaches loss directly now
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


# ---- forgiving programs (issue 10) ----------------------------------------------------


def test_all_unknown_names_at_once_and_the_one_click_fix(window, qtbot):
    from PySide6.QtWidgets import QPushButton

    editor = window.findChild(QPlainTextEdit, "expressionEditor")
    error = window.findChild(QLabel, "editorError")
    fix = window.findChild(QPushButton, "addUnknownButton")
    assert fix.isHidden()
    editor.setPlainText("loss = (w2 * a - y) ** 2 + b * c\n")
    qtbot.mouseClick(window.editor_panel.apply_button, Qt.MouseButton.LeftButton)
    assert "unknown name 'w2', and 3 more: 'a', 'b', 'c'" in error.text()
    assert window.model.out_of_date
    assert fix.isVisible() and fix.text() == "Add w2, a, b, c to the Variables table"
    qtbot.mouseClick(fix, Qt.MouseButton.LeftButton)
    # one click: they are variables, the program builds, the graph is up to date again
    assert error.isHidden() and fix.isHidden()
    assert not window.model.out_of_date
    assert {n: (r, float(v)) for n, r, v in window.model.variables()} == {
        "w2": ("parameter", 1.0), "a": ("data", 1.0), "y": ("data", 2.0),
        "b": ("parameter", 1.0), "c": ("data", 1.0)}
    table = window.findChild(QTableWidget, "variablesTable")
    assert {table.item(r, 0).text() for r in range(table.rowCount())} == {
        "w2", "a", "y", "b", "c"}
    assert float(window.model.trace.graph.output_node.value) == 2.0  # (1 − 2)² + 1


def test_a_failed_apply_marks_the_graph_out_of_date_until_undo_or_a_fix(window, qtbot):
    editor = window.findChild(QPlainTextEdit, "expressionEditor")
    seen = []
    window.model.outOfDateChanged.connect(seen.append)
    editor.setPlainText("loss = (w * x - y) ^ 2\n")
    window.editor_panel.apply()
    assert window.model.out_of_date and seen == [True]
    assert window.canvas.out_of_date  # the canvas greys the old graph and says so
    editor.setPlainText("loss = (w * x - y) ** 3\n")
    window.editor_panel.apply()
    assert not window.model.out_of_date and seen == [True, False]
    editor.setPlainText("loss = (")
    window.editor_panel.apply()
    assert window.model.out_of_date
    window.undo_action.trigger()  # back to the lesson: what is shown is what builds
    assert not window.model.out_of_date and not window.canvas.out_of_date
    # a bad value in the table is not a stale graph: the cell just goes back
    table = window.findChild(QTableWidget, "variablesTable")
    table.item(row_of(table, "x"), 2).setText("abc")
    assert not window.model.out_of_date


def test_the_variables_table_adds_and_removes_rows(window, qtbot):
    from PySide6.QtWidgets import QPushButton

    table = window.findChild(QTableWidget, "variablesTable")
    add = window.findChild(QPushButton, "addVariableButton")
    remove = window.findChild(QPushButton, "removeVariableButton")
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    assert table.rowCount() == 4
    cell = QApplication.focusWidget()
    assert isinstance(cell, QLineEdit)  # the new row's name, open for typing
    qtbot.keyClicks(cell, "z")
    qtbot.keyClick(cell, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "z" in window.editor_panel.variables.pending)
    row = row_of(table, "z")
    assert table.item(row, 0).font().italic()  # not used by the program yet
    table.item(row, 2).setText("3")
    assert float(window.editor_panel.variables.pending["z"].value) == 3.0
    # the program uses it: a real row now, with the value typed
    editor = window.findChild(QPlainTextEdit, "expressionEditor")
    editor.setPlainText("y_hat = w * x\ns = y_hat - y\nloss = s ** 2 + z\n")
    window.editor_panel.apply()
    assert window.editor_panel.variables.pending == {}
    assert ("z", "data") in [(n, r) for n, r, _ in window.model.variables()]
    assert float(window.model.trace.graph.output_node.value) == 4.0  # 1 + 3
    # remove: the program needs z, so it stays, and the message says why
    table.setCurrentCell(row_of(table, "z"), 0)
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert "the program uses z" in window.findChild(QLabel, "editorError").text()
    assert "z" in {n for n, _, _ in window.model.variables()}
    # a row not used yet goes at once
    window.editor_panel.variables.add("q")
    table.setCurrentCell(row_of(table, "q"), 0)
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert "q" not in {table.item(r, 0).text() for r in range(table.rowCount())}


def test_a_bad_name_for_a_new_row_is_refused(window, qtbot):
    from core.language.parser import ExpressionError

    variables = window.editor_panel.variables
    for bad in ("", "1x", "exp", "for", "x"):  # x: already a variable
        try:
            variables.add(bad)
        except ExpressionError:
            continue
        raise AssertionError(f"{bad!r} was accepted")
    assert variables.pending == {}


def test_the_declaration_forms_are_in_the_placeholder_and_the_help_menu(window, qtbot):
    editor = window.findChild(QPlainTextEdit, "expressionEditor")
    for form in ("w = param(1.0)", "x = 1.0", "x = [1, 2, 3]"):
        assert form in editor.placeholderText()
    help_menu = window.menuBar().actions()[-1].menu()
    action = next(a for a in help_menu.actions() if a.objectName() == "programHelpAction")
    assert action.text() == "Writing a Program"
    action.trigger()
    box = window.program_help_box
    assert box.isVisible()
    for form in ("w = param(1.0)", "x = 1.0", "x = [1, 2, 3]"):
        assert form in box.text()
    box.close()


def test_the_one_click_fix_guesses_the_role_from_the_name():
    from gui.state.variables_state import guess_role

    for name in ("w", "b", "w1", "w_out", "weight", "weights", "bias", "theta", "b2"):
        assert guess_role(name) == "parameter", name
    for name in ("x", "y", "a", "width", "beta", "wx", "data", "x1"):
        assert guess_role(name) == "data", name
