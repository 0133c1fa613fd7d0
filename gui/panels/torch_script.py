"""The PyTorch panel's table columns, sized so that ✓ stays in view in a narrow dock."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtWidgets import QHeaderView, QTableWidget

OK_MARK, BAD_MARK, PENDING_MARK = "✓", "✗", "…"


translate = QCoreApplication.translate
#: the value columns (ours, PyTorch, numeric) are at most this many digits wide: a longer
#: value is cut with …, whole in its tooltip, and ✓ stays in view in a narrow dock
VALUE_CHARS = 8
#: a cell's margins and the sort of room Qt keeps around a cell's text (pixels)
CELL_PAD = 14
#: the rows measured for the value columns' widths (a long run's first ones)
MEASURED_ROWS = 3000


def size_columns(table: QTableWidget) -> None:
    """The name column takes what is left; ours, PyTorch and numeric are as wide as their
    longest text up to VALUE_CHARS digits, hidden rows included (they show as the steps
    are reached), refitted whenever the table's contents change; ✓ fits its mark."""
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in (1, 2, 3):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(4, QHeaderView.ResizeMode.ResizeToContents)
    _ColumnFitter(table)


class _ColumnFitter(QObject):
    """Refits the value columns once per burst of changes (a child of the table: its
    connections go with it)."""

    def __init__(self, table: QTableWidget):
        super().__init__(table)
        self.table = table
        self.timer = QTimer(self, singleShot=True, interval=0)
        self.timer.timeout.connect(self.fit)
        model = table.model()
        for signal in (model.dataChanged, model.rowsInserted, model.modelReset,
                       model.headerDataChanged):
            signal.connect(self.schedule)
        self.timer.start()

    def schedule(self, *_args) -> None:
        self.timer.start()

    def fit(self) -> None:
        table = self.table
        metrics = table.fontMetrics()
        most = metrics.horizontalAdvance("0" * VALUE_CHARS) + CELL_PAD
        rows = min(table.rowCount(), MEASURED_ROWS)
        for column in (1, 2, 3):
            title = table.horizontalHeaderItem(column)
            items = (table.item(row, column) for row in range(rows))
            texts = [item.text() for item in items if item is not None]
            longest = max(texts, key=len, default="")
            width = max(metrics.horizontalAdvance(longest) + CELL_PAD,
                        metrics.horizontalAdvance(title.text() if title else "") + CELL_PAD)
            table.setColumnWidth(column, min(width, most))
