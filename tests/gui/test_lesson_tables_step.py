"""A step leaves the lesson tables' columns as they are (issue 19).

Columns that fitted their contents measured the rows again on each of a step's ~20 item
changes, about half of a recorded pass's step. They are now fitted once to the rows on
screen as those rows are once done, in the current row's bold font: stepping changes
no width, and nothing is cut.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from gui.panels.lesson_tables import compact_value

LAYER = ("X = [[1.0, 2.0, 3.0], [4.0, -5.0, 6.0]]\n"
         "W = param([[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]])\nb = param([0.1, -0.2])\n"
         "y = torch.tensor([1, 0])\nh = relu(X @ W + b)\nloss = F.cross_entropy(h, y)\n")


def cells_fit(table) -> list[str]:
    """The texts in columns 0 and 2 of the rows on screen that their column would cut."""
    grid = 1 if table.showGrid() else 0
    cut = []
    for row in range(table.rowCount()):
        if not table.viewport().rect().intersects(table.visualRect(table.model().index(row, 0))):
            continue
        for column in (0, 2):
            index = table.model().index(row, column)
            if table.sizeHintForIndex(index).width() + grid > table.columnWidth(column):
                cut.append(table.item(row, column).text())
    return cut


def test_stepping_changes_no_column_width_and_the_current_row_shows_bold(window, qtbot):
    assert window.model.apply_text(LAYER)
    steps = window.model.trace.steps
    tables = window.tables
    window.setFocus()
    for _ in steps:  # every tab shown once
        qtbot.keyClick(window, Qt.Key.Key_Right)
    qtbot.keyClick(window, Qt.Key.Key_Home)
    resized = []
    for table in tables.tables.values():
        table.horizontalHeader().sectionResized.connect(
            lambda column, old, new, t=table: resized.append((t.objectName(), column, old, new)))
    view, still = None, 0
    for step in steps:
        resized.clear()
        qtbot.keyClick(window, Qt.Key.Key_Right)
        table, row = tables._rows[step.index]
        assert tables.currentWidget() is table
        assert all(table.item(row, c).font().bold() for c in range(3)), step.index
        rect = table.visualItemRect(table.item(row, 0))
        assert table.viewport().rect().contains(rect), step.index
        if step.index > 1:
            before, before_row = tables._rows[step.index - 1]
            assert not before.item(before_row, 0).font().bold()
        if step.value is not None and step.phase == "forward":
            assert table.item(row, 2).text() == compact_value(step.value)
        assert cells_fit(table) == [], step.index
        # the same rows on screen as before the step: the same widths (a scroll or
        # another tab may fit the columns to the rows that came into view)
        if view == (table, table.verticalScrollBar().value()):
            assert resized == [], step.index
            still += 1
        view = (table, table.verticalScrollBar().value())
    assert still >= len(steps) // 2
    assert tables.row_texts(1)[2] == "2×2 [2.2 1.2; 1.9 6.4]"  # X @ W, by hand
