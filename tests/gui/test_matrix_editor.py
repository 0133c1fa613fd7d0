"""The Variables table edits a small matrix as a grid of cells too (right-click → Edit
as a grid…); every cell is read as one number, never evaluated."""

from __future__ import annotations

LAYER = ("X = [[1.0, 2.0, 3.0], [4.0, -5.0, 6.0]]\n"
         "W = param([[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]])\nb = param([0.1, -0.2])\n"
         "h = relu(X @ W + b)\nloss = mean(h)\n")


def _value(window, name):
    graph = window.model.trace.graph
    return graph.nodes[graph.names[name]].value


def test_a_matrix_is_edited_cell_by_cell(window):
    assert window.model.apply_text(LAYER)
    panel = window.editor_panel
    assert panel.edit_as_grid("b") is None  # a vector stays a text cell
    dialog = panel.edit_as_grid("W")
    assert dialog.grid.rowCount() == 3 and dialog.grid.columnCount() == 2
    assert dialog.grid.item(1, 1).text() == "−0.4"
    dialog.grid.item(2, 1).setText("−6")
    dialog.accept()
    w = _value(window, "W")
    assert w.shape == (3, 2) and w[2, 1] == -6.0 and w[1, 1] == -0.4


def test_a_bad_cell_is_named_and_changes_nothing(window):
    assert window.model.apply_text(LAYER)
    dialog = window.editor_panel.edit_as_grid("W")
    dialog.grid.item(0, 1).setText("__import__('os')")
    dialog.accept()
    assert window.model.error is not None and "W[0, 1]" in str(window.model.error)
    assert _value(window, "W")[0, 1] == 0.2
    dialog = window.editor_panel.edit_as_grid("W")
    dialog.grid.item(0, 0).setText("1, 2")
    dialog.accept()
    assert "W[0, 0]" in str(window.model.error) and _value(window, "W").shape == (3, 2)


def test_a_right_click_on_a_matrix_offers_the_grid(window):
    from PySide6.QtWidgets import QMenu

    assert window.model.apply_text(LAYER)
    table = window.editor_panel.table
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "W")
    point = table.visualItemRect(table.item(row, 2)).center()
    table.customContextMenuRequested.emit(point)
    menu = table.findChildren(QMenu)[-1]
    action = menu.actions()[0]
    assert action.text() == "Edit as a grid…"
    action.trigger()
    dialog = window.editor_panel.findChild(type(window.editor_panel.edit_as_grid("W")),
                                           "matrixDialog")
    assert dialog is not None and dialog.grid.rowCount() == 3
    menu.close()
