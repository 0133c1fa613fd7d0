"""Training: learning rate, next iteration, train N, the loss plot, and PyTorch's ✓ per iteration.

A thin view of ``model.training`` (:mod:`gui.state.training_state`): it sends intent (a
learning rate, "iterate") and redraws from the state's signals. The plot is a matplotlib
``Figure`` on a ``FigureCanvasQTAgg`` (gui.panels.training.plot draws it). A script's
loop (a recorded run's passes, gui.panels.training.rows) fills the table
(gui.panels.training.table), and choosing a row chooses that iteration.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.base.format import format_value
from core.language.parser import ExpressionError, parse_number
from gui.panels.base import STEP_PHASES, Area, DockSpec, Panel, PanelAction
from gui.panels.training import rows as training_rows
from gui.panels.training.iteration_selector import IterationSelector, mark_iteration
from gui.panels.training.plot import TrainingPlot
from gui.panels.training.table import IterationTable
from gui.state.model import StepperModel
from gui.state.training_state import MAX_TRAIN
from gui.support import theme


class TrainingPanel(IterationTable, TrainingPlot, Panel, QWidget):
    DOCK = DockSpec("trainingDock", "training_dock", Area.RightDockWidgetArea,
                    tabify="torchDock")
    #: Ctrl+4, in the Step menu next to the other phase jumps
    ACTIONS = (PanelAction("update_phase_action", "updatePhaseAction",
                           QT_TRANSLATE_NOOP("TrainingPanel", "First step of the update"),
                           "goto_update_phase", ("Ctrl+4",), STEP_PHASES),)

    def __init__(self, model: StepperModel, parent=None):
        super().__init__(parent)
        self.setObjectName("trainingPanel")
        self.model = model
        self.training = model.training

        self._make_controls()
        self.now_label = QLabel(objectName="trainingNow", wordWrap=True)
        self.now_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self._make_plot()
        self._make_table()
        self.make_actions()

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

    def _make_controls(self) -> None:
        """The learning rate field (and its error), Next iteration, Train N, forget
        zero_grad(): a straight-line program's own training."""
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
        self.selector.retranslate()
        self._set_headers()
        self._axis_labels = (self.tr("loss"), self._lower_label(), self.tr("iteration"))
        self._label_axes()
        self._settings_changed()
        self._show_now()
        self._torch_changed()
        self.plot.draw_idle()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            # the window's theme switch sets the application palette: follow it
            self.set_dark(self.palette().window().color().lightness() < 128)
        super().changeEvent(event)

    # ---- intent
    def goto_update_phase(self) -> None:
        self.model.goto_phase("update")

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
