"""What the lesson tables' cells show and how wide their columns are: a matrix in a
narrow cell, the width a cell needs, and columns fitted to their rows."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem, QTableWidget

from core.base.format import format_number, format_value
from core.base.values import shape_text

#: a matrix in a table cell: at most this many rows and entries per row, then "…"
COMPACT_ROWS, COMPACT_COLS = 2, 3


def compact_value(value) -> str:
    """A value for a narrow cell: numbers as before, a matrix as its shape and its rows
    in three digits, ``3×2 [0.688 0.688; −0.5 −0.5; 1.38 1.38]`` (all of it on hover)."""
    if value is None or np.ndim(value) < 2:
        return format_value(value)
    array = np.asarray(value, dtype=np.float64)
    matrix = array.reshape(array.shape[0], -1)
    rows = [" ".join([format_number(v, 3) for v in row[:COMPACT_COLS]]
                     + (["…"] if len(row) > COMPACT_COLS else []))
            for row in matrix[:COMPACT_ROWS]]
    if len(matrix) > COMPACT_ROWS:
        rows.append("…")
    return f"{shape_text(array.shape)} [{'; '.join(rows)}]"


def cell_width(table: QTableWidget, text: str, font: QFont) -> int:
    """The width a cell of ``table`` needs to show ``text`` in ``font`` whole: what its
    delegate asks of the style when a column is fitted to its contents."""
    option = QStyleOptionViewItem()
    table.initViewItemOption(option)
    option.features |= QStyleOptionViewItem.ViewItemFeature.HasDisplay
    option.text, option.font, option.fontMetrics = text, font, QFontMetrics(font)
    return table.style().sizeFromContents(QStyle.ContentsType.CT_ItemViewItem, option,
                                          QSize(), table).width()


#: the middle column (the formula) keeps at least this share of the table's width, or
#: its header's, whichever is less: a wide matrix in the value column squeezed it to
#: "…", header and all (lesson 22); short of that, nothing is cut
MIDDLE_SHARE = 0.35


def fit_to(table: QTableWidget, widths: list[tuple[int, int]]) -> None:
    """Columns 0 and 2 as wide as the widest of ``widths`` (cell pairs) and their
    headers, as QTableView.resizeColumnToContents makes them; untouched if they are.
    Where the middle column would get less than MIDDLE_SHARE says, the value column
    gives way first (its cells elide; their tooltips hold them whole), then the names,
    down to their headers."""
    header = table.horizontalHeader()
    grid = 1 if table.showGrid() else 0
    heads = [header.sectionSizeHint(column) for column in (0, 2)]
    wanted = [max([heads[position]] + [w[position] + grid for w in widths])
              for position in range(2)]
    room = table.viewport().width()
    over = sum(wanted) + min(header.sectionSizeHint(1), int(MIDDLE_SHARE * room)) - room
    for position in (1, 0):
        if over > 0:
            give = min(over, max(wanted[position] - heads[position], 0))
            wanted[position] -= give
            over -= give
    for position, column in enumerate((0, 2)):
        if wanted[position] != table.columnWidth(column):
            table.setColumnWidth(column, wanted[position])
