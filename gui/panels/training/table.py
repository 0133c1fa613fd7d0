"""The training panel's table: one row per iteration (its loss, each parameter's value
and the .grad its update used) and PyTorch's ✓; a script's row chooses its iteration.

A mixin of :class:`gui.panels.training.panel.TrainingPanel` (which keeps ``model`` and
``training``); its words keep the translation context ``TrainingPanel``. A recorded
run's rows are gui.panels.training.rows's.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableWidget, QTableWidgetItem

from core.base.format import format_value, full_precision
from gui.panels.training import rows as training_rows
from gui.support import theme

translate = QCoreApplication.translate
OK_MARK, BAD_MARK, PENDING_MARK = "✓", "✗", "…"


class IterationTable:
    """The iteration table and PyTorch's status under it (a mixin of the panel)."""

    def _make_table(self) -> None:
        """The table, sized for its rows, one row chosen at a time; the status line."""
        self.table = QTableWidget(0, 3, objectName="iterationTable")
        self._names: list[str] = []  # the parameters, two columns each (value, .grad)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.torch_status = QLabel(objectName="trainingTorchStatus", wordWrap=True)
        self._selecting = False  # the row follows the pass on screen (not a choice)
        self.table.currentCellChanged.connect(self._row_chosen)

    def _select_current(self) -> None:
        """The row of the iteration on screen selected (a script's loop or a recorded run)."""
        loop = self.training.loop
        if not self.training.script or loop is None or not loop.iteration:
            return
        # the one row on screen: not selectRow, which adds to the selection while
        # Ctrl is held (Ctrl+] moves here), so it grew with every iteration (issue 24)
        index = self.table.model().index(loop.iteration - 1, 0)
        flags = QItemSelectionModel.SelectionFlag
        self._selecting = True
        try:
            self.table.selectionModel().setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)
        finally:
            self._selecting = False
        self.table.scrollToItem(self.table.item(loop.iteration - 1, 0))

    def _row_chosen(self, row: int, _column: int, previous: int, _previous_column: int) -> None:
        """A row clicked or reached with the keys: its iteration (its pass) on screen."""
        loop = self.training.loop
        if self._selecting or row < 0 or row == previous or loop is None \
                or not self.training.script or row + 1 == loop.iteration:
            return
        loop.goto_iteration(row + 1)

    def _set_headers(self) -> None:
        """#, loss, then each parameter's value and the .grad its update used, then ✓."""
        labels = ["#", translate("TrainingPanel", "loss")]
        tips = ["", translate("TrainingPanel", "The loss of this iteration's forward pass")]
        for name in self._names:
            labels += [name, f"{name}.grad"]
            tips += [translate("TrainingPanel", "The value this iteration's forward pass used"),
                     translate("TrainingPanel",
                               "The gradient the update used (with forget zero_grad(): "
                               "the sum over all iterations so far)")]
        labels.append("PyTorch")
        tips.append(translate("TrainingPanel",
                              "✓: torch.optim.SGD with the same learning rate gives the same "
                              "loss, gradients and new values"))
        self.table.setColumnCount(len(labels))
        self.table.setHorizontalHeaderLabels(labels)
        for column, tip in enumerate(tips):
            self.table.horizontalHeaderItem(column).setToolTip(tip)

    @property
    def _torch_column(self) -> int:
        return 2 + 2 * len(self._names)

    def _history_changed(self) -> None:
        history = self.training.history
        if self.training.recorded:
            names = training_rows.parameter_names(history)
        else:
            names = list(history[0].params) if history else \
                [n.name for n in self.model.trace.graph.parameters]
        if names != self._names:
            self._names = names
            self._set_headers()
        self._selecting = True  # emptied and filled again: no row is chosen by that
        try:
            self.table.setRowCount(0)
            self._iterations_added(0)
        finally:
            self._selecting = False
        self._select_current()

    def _iterations_added(self, first: int) -> None:
        history = self.training.history
        self.table.setRowCount(len(history))
        recorded = self.training.recorded
        for row in range(first, len(history)):
            it = history[row]
            if recorded:
                self._set_cells(row, [*training_rows.cells(it, self._names),
                                      training_rows.mark(it)])
                continue
            cells = [(str(it.iteration), ""), (format_value(it.loss), full_precision(it.loss))]
            for name in self._names:
                value, grad = it.params.get(name), it.grads.get(name)
                cells += [(format_value(value), translate(
                              "TrainingPanel", "{0} → {1} after the update").format(
                              full_precision(value), full_precision(it.updated[name])))
                          if value is not None else ("", ""),
                          (format_value(grad), full_precision(grad))
                          if grad is not None else ("", "")]
            cells.append((PENDING_MARK, ""))
            self._set_cells(row, cells)
        if history and not self.training.script:  # once the new rows are laid out, or the
            # last one shows cut in half
            QTimer.singleShot(0, self.table, self.table.scrollToBottom)
        self._plot()
        self._torch_changed()
        self._show_now()

    def _set_cells(self, row: int, cells: list[tuple[str, str]]) -> None:
        for column, (text, tip) in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(tip)
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, column, item)

    def _torch_changed(self) -> None:
        history = self.training.history
        header = self.table.horizontalHeader()  # sized once, after: not once per cell
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        recorded = self.training.recorded
        for row, it in enumerate(history):
            item = self.table.item(row, self._torch_column)
            if item is None:
                continue
            mark = PENDING_MARK if it.torch_match is None else (
                OK_MARK if it.torch_match else BAD_MARK)
            if recorded:
                mark, tip = training_rows.mark(it)
                item.setToolTip(tip)
            item.setText(mark)
            colour = theme.RIGHT if it.torch_match else (
                theme.WRONG if it.torch_match is False else theme.MUTED)
            item.setForeground(QBrush(QColor(colour)))
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        if not history:
            text = ""
        elif recorded:
            text = training_rows.status(history, self.training.checking)
        elif self.training.torch_error:
            text = translate("TrainingPanel", "No PyTorch check: {0}").format(
                self.training.torch_error)
        elif self.training.checking or any(it.torch_match is None for it in history):
            text = translate("TrainingPanel", "Checking with torch.optim.SGD…")
        else:
            bad = sum(1 for it in history if not it.torch_match)
            if not bad and len(history) == 1:
                text = translate("TrainingPanel", "The one iteration matches torch.optim.SGD ✓")
            elif not bad:
                text = translate("TrainingPanel",
                                 "All {0} iterations match torch.optim.SGD ✓").format(len(history))
            else:
                text = translate("TrainingPanel",
                                 "{0} of {1} iterations differ from torch.optim.SGD ✗").format(
                                     bad, len(history))
        self.torch_status.setText(text)

    # ---- reading (tests, screenshots)
    def torch_marks(self) -> list[str]:
        column = self._torch_column
        return [self.table.item(row, column).text() for row in range(self.table.rowCount())]

    def cell(self, row: int, header: str) -> str:
        """The text under ``header`` (e.g. "w.grad") in iteration ``row + 1``'s row."""
        for column in range(self.table.columnCount()):
            if self.table.horizontalHeaderItem(column).text() == header:
                return self.table.item(row, column).text()
        raise KeyError(header)
