"""The lesson tables' cells (gui/panels/table_cells.py): the columns fitted to their rows,
the middle one never squeezed to nothing."""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidget

from gui.panels.table_cells import MIDDLE_SHARE, fit_to


def _table(qtbot, width: int = 600) -> QTableWidget:
    table = QTableWidget(3, 3)
    table.setHorizontalHeaderLabels(["parameter", "gradient descent", "new value"])
    table.horizontalHeader().setStretchLastSection(False)
    table.resize(width, 200)
    qtbot.addWidget(table)
    table.show()
    qtbot.waitExposed(table)
    return table


def test_narrow_columns_fit_their_rows(qtbot):
    table = _table(qtbot)
    fit_to(table, [(90, 120)])
    assert (table.columnWidth(0), table.columnWidth(2)) == (91, 121)  # (and the grid line)


def test_a_wide_value_gives_way_to_the_formula(qtbot):
    """Lesson 22's update: a 10×32 matrix's value took the width and left the formula
    "…" under a cut header ("ent d"). The value column gives way, down to its header,
    until the middle one has its header's width at least."""
    table = _table(qtbot)
    room = table.viewport().width()
    fit_to(table, [(90, 2000)])
    middle = room - table.columnWidth(0) - table.columnWidth(2)
    header = table.horizontalHeader()
    assert table.columnWidth(0) == 91
    assert middle >= min(header.sectionSizeHint(1), int(MIDDLE_SHARE * room))
    assert table.columnWidth(2) >= header.sectionSizeHint(2)


def test_names_give_way_last_and_headers_stay_whole(qtbot):
    table = _table(qtbot, width=300)
    fit_to(table, [(2000, 2000)])
    header = table.horizontalHeader()
    assert table.columnWidth(0) >= header.sectionSizeHint(0)
    assert table.columnWidth(2) == header.sectionSizeHint(2)
