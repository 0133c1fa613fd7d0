"""Training: learning rate, next iteration, train N, the loss plot, and PyTorch's ✓ per iteration.

A thin view of ``model.training`` (:mod:`gui.state.training_state`): it sends intent (a
learning rate, "iterate") and redraws from the state's signals. The plot is a matplotlib
``Figure`` on a ``FigureCanvasQTAgg`` (gui.panels.training.plot draws it). A script's
loop (a recorded run's passes, gui.panels.training.rows) fills the table, and choosing
a row chooses that iteration.
"""

from __future__ import annotations

import numpy as np

import gui.support.matplotlib_setup as matplotlib_setup  # before any other matplotlib import

# isort: split
import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from PySide6.QtCore import QEvent, QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QAction, QBrush, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.base.format import format_value, full_precision
from core.language.parser import ExpressionError, parse_number
from gui.panels.base import Area, DockSpec, Panel
from gui.panels.training import rows as training_rows
from gui.panels.training.iteration_selector import IterationSelector, mark_iteration
from gui.panels.training.plot import TrainingPlot
from gui.state.model import StepperModel
from gui.state.training_state import MAX_TRAIN
from gui.support import fonts, theme
from gui.support.theme import PLOT

OK_MARK, BAD_MARK, PENDING_MARK = "✓", "✗", "…"


class TrainingPanel(TrainingPlot, Panel, QWidget):
    DOCK = DockSpec("trainingDock", "training_dock", Area.RightDockWidgetArea,
                    tabify="torchDock")

    def __init__(self, model: StepperModel, parent=None):
        super().__init__(parent)
        self.setObjectName("trainingPanel")
        self.model = model
        self.training = model.training

        self.lr_label = QLabel()
        self.lr_field = QLineEdit(objectName="learningRateField")
        self.lr_field.setClearButtonEnabled(True)
        self.lr_field.returnPressed.connect(self.apply_learning_rate)
        self.lr_field.editingFinished.connect(self.apply_learning_rate)
        self.lr_field.textEdited.connect(lambda _: self._show_error(""))
        self.lr_error = QLabel(objectName="learningRateError", wordWrap=True)
        self.lr_error.setStyleSheet(f"color: {theme.WRONG};")
        self.lr_error.hide()

        self.next_button = QPushButton(objectName="nextIterationButton")
        self.next_button.clicked.connect(lambda: self.iterate(1))
        self.count_box = QSpinBox(objectName="trainCountBox")
        self.count_box.setRange(1, MAX_TRAIN)
        self.count_box.setValue(20)
        self.train_button = QPushButton(objectName="trainButton")
        self.train_button.clicked.connect(lambda: self.iterate(self.count_box.value()))
        self.forget_box = QCheckBox(objectName="forgetZeroGradBox")
        self.forget_box.toggled.connect(self.training.set_forget_zero_grad)
        for widget in (self.next_button, self.count_box, self.train_button, self.forget_box):
            widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)

        self.now_label = QLabel(objectName="trainingNow", wordWrap=True)
        self.now_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.figure = Figure(figsize=(4.0, 3.6), dpi=100, layout="constrained")
        self.plot = matplotlib_setup.deferred_canvas(self.figure)  # after the window shows
        self.plot.setObjectName("lossPlot")
        self.plot.setMinimumHeight(220)
        self.plot.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.loss_axes = self.figure.add_subplot(2, 1, 1)
        self.param_axes = self.figure.add_subplot(2, 1, 2, sharex=self.loss_axes)
        self.dark = False
        (self.loss_line,) = self.loss_axes.plot([], [], color=PLOT[False]["loss"], marker="o",
                                                markersize=3, linewidth=1.5)
        self.param_lines: dict[str, object] = {}
        for axes in (self.loss_axes, self.param_axes):
            axes.tick_params(labelsize=8)
            axes.grid(True, alpha=0.3)
        self.loss_axes.tick_params(labelbottom=False)
        self.param_axes.xaxis.set_major_locator(MaxNLocator(integer=True))

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

        #: Ctrl+4, in the Step menu next to the other phase jumps (the window adds it)
        self.update_phase_action = QAction(self, objectName="updatePhaseAction")
        self.update_phase_action.setShortcut(QKeySequence("Ctrl+4"))
        self.update_phase_action.triggered.connect(lambda: model.goto_phase("update"))

        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.lr_label, 0, 0)
        grid.addWidget(self.lr_field, 0, 1, 1, 2)
        grid.addWidget(self.lr_error, 1, 0, 1, 3)
        grid.addWidget(self.next_button, 2, 0)
        grid.addWidget(self.count_box, 2, 1)
        grid.addWidget(self.train_button, 2, 2)
        grid.addWidget(self.forget_box, 3, 0, 1, 3)
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(grid)
        self.selector = IterationSelector(model)  # a training script's loop
        self._own = (self.lr_label, self.lr_field, self.next_button, self.count_box,
                     self.train_button, self.forget_box)  # straight-line programs only
        layout.addWidget(self.selector)
        layout.addWidget(self.now_label)
        layout.addWidget(self.plot, 3)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.torch_status)

        self.training.historyChanged.connect(self._history_changed)
        self.training.iterationsAdded.connect(self._iterations_added)
        self.training.torchChanged.connect(self._torch_changed)
        self.training.settingsChanged.connect(self._settings_changed)
        model.traceReplaced.connect(self._trace_replaced)
        if getattr(model, "run", None) is not None:  # a pass chosen, on screen or not
            model.run.passChanged.connect(self._trace_replaced)
        model.quiz.changed.connect(self._show_now)
        self.retranslate()
        self._history_changed()
        self._trace_replaced()

    # ---- words (again on a language switch)
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Training"))
        self.lr_label.setText(self.tr("Learning rate"))
        self.lr_field.setPlaceholderText(self.tr("off — type e.g. 0.1 and press Enter"))
        self.lr_field.setToolTip(self.tr(
            "A learning rate adds the update phase: w ← w − lr · ∂loss/∂w for each parameter"))
        self.lr_field.setAccessibleName(self.tr("Learning rate"))
        self.next_button.setText(self.tr("Next iteration"))
        self.next_button.setToolTip(self.tr(
            "Make the updated values the parameters and run the next forward and backward "
            "pass (undo with Ctrl+Z)"))
        self.count_box.setSuffix(self.tr(" iterations"))
        self.count_box.setAccessibleName(self.tr("How many iterations to train"))
        self.train_button.setText(self.tr("Train"))
        self.train_button.setToolTip(self.tr("Run this many iterations at once"))
        self.forget_box.setText(self.tr("forget zero_grad()"))
        self.forget_box.setToolTip(self.tr(
            "As in PyTorch when .grad is not reset between iterations: each update uses "
            "this pass's gradient plus all the earlier ones"))
        self.update_phase_action.setText(self.tr("First step of the update"))
        self.selector.retranslate()
        self._set_headers()
        labels = (self.tr("loss"), self._lower_label(), self.tr("iteration"))
        fonts.ensure_for(labels)
        # the label texts exist already: they take the (now CJK-first) families anew
        family = matplotlib.rcParams["font.family"]
        self.loss_axes.set_ylabel(labels[0], fontsize=9, family=family)
        self.param_axes.set_ylabel(labels[1], fontsize=9, family=family)
        self.param_axes.set_xlabel(labels[2], fontsize=9, family=family)
        self._settings_changed()
        self._show_now()
        self._torch_changed()
        self.plot.draw_idle()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            # the window's theme switch sets the application palette: follow it
            self.set_dark(self.palette().window().color().lightness() < 128)
        super().changeEvent(event)

    # ---- intent
    def apply_learning_rate(self) -> bool:
        """Read the field: empty turns training off; a bad number says why, inline."""
        text = self.lr_field.text().strip()
        if not text:
            self._show_error("")
            self.training.set_learning_rate(None)
            return True
        try:
            value = parse_number(text, "learning rate")
            if np.ndim(value) != 0:
                raise ExpressionError("not one number", where="learning rate")
            self.training.set_learning_rate(float(value))
        except ExpressionError:
            self._show_error(self.tr("The learning rate must be one positive number, "
                                     "such as 0.1."))
            return False
        self._show_error("")
        return True

    def set_learning_rate_text(self, text: str) -> bool:
        self.lr_field.setText(text)
        return self.apply_learning_rate()

    def iterate(self, count: int) -> bool:
        if self.model.learning_rate is None and not self.apply_learning_rate():
            return False
        try:
            self.training.iterate(count)
        except ExpressionError as error:
            self._show_error(error.message + (f" ({error.hint})" if error.hint else ""))
            return False
        return True

    def _show_error(self, text: str) -> None:
        self.lr_error.setText(text)
        self.lr_error.setVisible(bool(text))
        self.lr_field.setProperty("invalid", bool(text))
        self.lr_field.setStyleSheet(f"border: 1px solid {theme.WRONG};" if text else "")

    # ---- state → view
    def _settings_changed(self) -> None:
        on = self.model.learning_rate is not None
        for widget in (self.next_button, self.count_box, self.train_button):
            widget.setEnabled(on)
        # a script's pass (recorded, or an iteration) has its optimizer's update phase
        self.update_phase_action.setEnabled((on or self.training.script)
                                            and "update" in self.model.trace.phase_starts)
        if self.forget_box.isChecked() != self.training.forget_zero_grad:
            self.forget_box.blockSignals(True)
            self.forget_box.setChecked(self.training.forget_zero_grad)
            self.forget_box.blockSignals(False)

    def _trace_replaced(self) -> None:
        script = self.training.script
        for widget in self._own:
            widget.setVisible(not script)
        self._select_current()
        loop = self.training.loop
        mark_iteration(self, loop.iteration if script and loop is not None else None)
        self._settings_changed()
        self._show_now()
        if not self.training.history:  # iteration 0: the parameters a run starts from
            self._plot()

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

    def _show_now(self) -> None:
        """The pass on screen: the values the next iteration starts from (not in a quiz)."""
        if self.training.script and not self.model.quiz.active:
            loop, history = self.training.loop, self.training.history
            if self.training.recorded and 1 <= loop.iteration <= len(history):
                self.now_label.setText(training_rows.now_text(loop, history[loop.iteration - 1]))
            elif not self.training.recorded:  # a forward-only recording
                self.now_label.setText(self.tr(
                    "The script never called backward(): there is no pass to train or check."))
            return
        if self.model.learning_rate is None:
            self.now_label.setText(self.tr(
                "Type a learning rate to add the update phase and train step by step."))
            return
        if self.model.quiz.active:
            self.now_label.setText(self.tr("Quiz mode: the numbers of this pass are hidden."))
            return
        loss, params = self.training.current_pass()
        values = ", ".join(f"{name} = {format_value(v)}" for name, v in params.items())
        number = len(self.training.history) + 1
        if loss is None:
            self.now_label.setText(self.tr("Pass {0}: {1}").format(number, values))
        else:
            self.now_label.setText(self.tr("Pass {0}: {1} · loss = {2}").format(
                number, values, format_value(loss)))

    def _set_headers(self) -> None:
        """#, loss, then each parameter's value and the .grad its update used, then ✓."""
        labels = ["#", self.tr("loss")]
        tips = ["", self.tr("The loss of this iteration's forward pass")]
        for name in self._names:
            labels += [name, f"{name}.grad"]
            tips += [self.tr("The value this iteration's forward pass used"),
                     self.tr("The gradient the update used (with forget zero_grad(): "
                             "the sum over all iterations so far)")]
        labels.append("PyTorch")
        tips.append(self.tr("✓: torch.optim.SGD with the same learning rate gives the same "
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
                cells += [(format_value(value), self.tr("{0} → {1} after the update").format(
                              full_precision(value), full_precision(it.updated[name])))
                          if value is not None else ("", ""),
                          (format_value(grad), full_precision(grad))
                          if grad is not None else ("", "")]
            cells.append((PENDING_MARK, ""))
            self._set_cells(row, cells)
        if history and not self.training.script:  # once the new rows are laid out, or the
            # last one shows cut in half
            QTimer.singleShot(0, self.table.scrollToBottom)
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
            text = self.tr("No PyTorch check: {0}").format(self.training.torch_error)
        elif self.training.checking or any(it.torch_match is None for it in history):
            text = self.tr("Checking with torch.optim.SGD…")
        else:
            bad = sum(1 for it in history if not it.torch_match)
            text = (self.tr("The one iteration matches torch.optim.SGD ✓") if not bad
                    and len(history) == 1 else
                    self.tr("All {0} iterations match torch.optim.SGD ✓").format(len(history))
                    if not bad else
                    self.tr("{0} of {1} iterations differ from torch.optim.SGD ✗").format(
                        bad, len(history)))
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
