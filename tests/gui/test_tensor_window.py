"""Tensor programs in the window: applied, stepped from start to end, nothing crashes.

The grids and heat maps are another room's work; here values may be text, but every
step of a 2-D program (a matmul's local step has a rule instead of a number) shows.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

LAYER = ("X = [[1.0, 2.0, 3.0], [4.0, -5.0, 6.0]]\n"
         "W = param([[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]])\nb = param([0.1, -0.2])\n"
         "y = torch.tensor([1, 0])\nh = relu(X @ W + b)\nloss = F.cross_entropy(h, y)\n")


def test_a_two_d_program_steps_through_the_window(window, qtbot):
    assert window.model.apply_text(LAYER)
    trace = window.model.trace
    assert any(s.phase == "local" and s.value is None for s in trace.steps)
    window.setFocus()
    for _ in range(len(trace.steps)):
        qtbot.keyClick(window, Qt.Key_Right)
        window.grab()  # paint every step: canvas, tables and explanation
    assert window.model.position == len(trace.steps)
    assert "Xᵀ · ∂loss/∂(X @ W)" in trace.steps[-1].equation


def test_a_matrix_value_can_be_typed_in_the_variables_table(window):
    assert window.model.apply_text(LAYER)
    assert window.model.edit_value("W", "[[1, 2], [3, 4], [5, 6]]")
    w = window.model.trace.graph.nodes[window.model.trace.graph.names["W"]].value
    assert w.shape == (3, 2) and w[2, 1] == 6.0


def test_the_variables_table_shows_a_matrix_row_by_row_and_edits_keep_its_shape(window):
    from gui.panels.variables_table import value_text

    assert window.model.apply_text(LAYER)
    table = window.editor_panel.table
    rows = {table.item(r, 0).text(): r for r in range(table.rowCount())}
    cell = table.item(rows["W"], 2)
    assert cell.text() == "[[0.1, 0.2], [0.3, −0.4], [0.5, 0.6]]"
    assert value_text([[1.0, -2.0]]) == "[[1, −2]]"
    cell.setText("[[1, 2], [3, 4], [5, −6]]")  # as a double-click edit commits it
    w = window.model.trace.graph.nodes[window.model.trace.graph.names["W"]].value
    assert w.shape == (3, 2) and w[2, 1] == -6.0


def test_the_lesson_tables_show_a_matrix_compactly(window):
    import numpy as np

    from gui.panels.lesson_tables import compact_value

    assert window.model.apply_text(LAYER)
    window.model.goto(1)  # X @ W = [[2.2, 1.2], [1.9, 6.4]] (by hand)
    tables = window.tables
    assert tables.row_texts(1)[2] == "2×2 [2.2 1.2; 1.9 6.4]"
    big = compact_value(np.arange(64 * 128.0).reshape(64, 128))
    assert big == "64×128 [0 1 2 …; 128 129 130 …; …]"
