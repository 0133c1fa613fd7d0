"""The PyTorch panel for a training script: a ✓ per backward() call in its table, and
the status line for the run (the words keep the panel's translation context)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem

from core.format import format_value

OK_MARK, BAD_MARK, PENDING_MARK = "✓", "✗", "…"


translate = QCoreApplication.translate


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
