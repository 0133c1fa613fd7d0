"""The PyTorch panel for a training script: a ✓ per backward() call in its table, and
the status line for the run (the words keep the panel's translation context)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer
from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem

from core.base.format import format_value

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


def fill_iterations(table: QTableWidget, rows: list, checked: list | None = None) -> None:
    """One row per iteration: its loss, torch's loss (``checked``: the worker's rows) and
    torch's verdict (the columns are sized once)."""
    checked = checked or []
    header = table.horizontalHeader()
    modes = [header.sectionResizeMode(c) for c in range(table.columnCount())]
    for column in range(len(modes)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
    table.setRowCount(len(rows))
    for i, row in enumerate(rows):
        match = row.torch_match
        theirs = checked[i].get("loss") if i < len(checked) else None
        cells = [translate("TorchPanel", "iteration {0}: loss").format(row.iteration),
                 format_value(row.loss), "" if theirs is None else format_value(theirs), "",
                 PENDING_MARK if match is None else (OK_MARK if match else BAD_MARK)]
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if column:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(i, column, item)
        table.setRowHidden(i, False)
    for column, mode in enumerate(modes):
        header.setSectionResizeMode(column, mode)


def script_status(script, pending: str) -> tuple[str, str]:
    """(text, state) of the status line for the run on screen."""
    rows = script.run.rows
    if script.torch_error:
        text = translate("TorchPanel", "PyTorch check failed: {0}")
        return text.format(script.torch_error), "bad"
    if script.report is None:
        return pending, "pending"
    if all(row.torch_match for row in rows):
        if len(rows) == 1:
            return translate("TorchPanel", "the one iteration matches"), "ok"
        return translate("TorchPanel", "all {0} iterations match").format(len(rows)), "ok"
    bad = sum(1 for row in rows if not row.torch_match)
    return translate("TorchPanel", "mismatch: {0} of {1} iterations").format(bad, len(rows)), "bad"
