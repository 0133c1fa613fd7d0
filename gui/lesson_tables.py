"""The lesson's three tables (forward, local gradients, backward), filling in step by step.

Every step has a row from the start; its numbers appear once the learner reaches it.
Clicking a row jumps there. The tables are also the canvas's text alternative.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
)

from core.format import format_value, full_precision
from core.trace import PHASES, NoParameterStep, Step
from gui.model import STEP_PHASES, StepperModel
from gui.texts import explain, phase_title
from gui.theme import HIGHLIGHT, phase_colour

STEP_ROLE = Qt.ItemDataRole.UserRole


class LessonTables(QTabWidget):
    def __init__(self, model: StepperModel, parent=None):
        super().__init__(parent)
        self.setObjectName("lessonTables")
        self.model = model
        self.dark = False
        self.tables: dict[str, QTableWidget] = {}
        headers = self._headers()
        for phase in PHASES:
            table = QTableWidget(0, 3, objectName=f"{phase}Table")
            table.setHorizontalHeaderLabels(headers.get(phase, headers["forward"]))
            table.verticalHeader().hide()
            table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
            table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            table.setWordWrap(False)
            table.setAccessibleName(phase_title(phase))
            header = table.horizontalHeader()
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
            header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
            header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
            table.clicked.connect(lambda index, t=table: self._jump(t, index.row()))
            self.tables[phase] = table
            self.addTab(table, phase_title(phase))
        self._rows: dict[int, tuple[QTableWidget, int]] = {}
        self._shown = 0
        self._current: int | None = None
        self._hidden: int | None = None  # quiz mode: the row that keeps its "?"
        model.traceReplaced.connect(self.rebuild)
        model.stepChanged.connect(self.update_position)
        model.quiz.changed.connect(self._show_quiz)
        self.rebuild()

    def _headers(self) -> dict[str, list[str]]:
        return {
            "forward": [self.tr("node"), self.tr("computation"), self.tr("value")],
            "local": [self.tr("edge"), self.tr("formula"), self.tr("value")],
            "backward": [self.tr("gradient"), self.tr("chain rule"), self.tr("value")],
            "update": [self.tr("parameter"), self.tr("gradient descent"), self.tr("new value")],
        }

    def retranslate(self) -> None:
        """Headers, tab titles and the rows' words in the language now installed."""
        headers = self._headers()
        for phase, table in self.tables.items():
            table.setHorizontalHeaderLabels(headers.get(phase, headers["forward"]))
            table.setAccessibleName(phase_title(phase))
            self.setTabText(self.indexOf(table), phase_title(phase))
        self.rebuild()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_dark(self, dark: bool) -> None:
        self.dark = dark
        self.rebuild()

    # ---- building
    def rebuild(self) -> None:
        self._rows.clear()
        by_phase: dict[str, list[Step]] = {p: [] for p in PHASES}
        for step in self.model.trace.steps:
            by_phase[step.phase].append(step)
        for phase, steps in by_phase.items():
            table = self.tables[phase]
            table.setUpdatesEnabled(False)
            table.setRowCount(len(steps))
            for row, step in enumerate(steps):
                self._rows[step.index] = (table, row)
                for column in range(3):
                    item = QTableWidgetItem()
                    item.setData(STEP_ROLE, step.index)
                    if column == 2:
                        item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                              | Qt.AlignmentFlag.AlignVCenter)
                    table.setItem(row, column, item)
                self._fill(step, done=False)
            table.setUpdatesEnabled(True)
            self.setTabVisible(self.indexOf(table), bool(steps) or phase in STEP_PHASES)
        self._shown = 0
        self._current = None
        self._hidden = None
        self._built_for = self.model.trace
        self.update_position(self.model.position)

    def _fill(self, step: Step, done: bool) -> None:
        table, row = self._rows[step.index]
        target, middle, value = (table.item(row, c) for c in range(3))
        target.setText(step.target if not isinstance(step, NoParameterStep) else "—")
        grey = QBrush(QColor("#8a8a8a"))
        normal = QBrush(self.palette().text().color())
        if isinstance(step, NoParameterStep):
            middle.setText(explain(step.explanation) if done else "…")
            value.setText("")
        elif done:
            middle.setText(" = ".join(p for p in (step.formula, step.substituted) if p)
                           if step.formula != step.substituted else step.formula)
            value.setText(format_value(step.value))
            value.setToolTip(full_precision(step.value))
            value.setForeground(QBrush(QColor(phase_colour(step.phase, self.dark))))
        else:
            middle.setText("…")
            value.setText("?")
            value.setToolTip("")
            value.setForeground(grey)
        target.setForeground(normal if done else grey)
        middle.setForeground(normal if done else grey)

    # ---- stepping
    def update_position(self, position: int) -> None:
        steps = self.model.trace.steps
        if position > self._shown:
            for step in steps[self._shown:position]:
                self._fill(step, done=True)
        else:
            for step in steps[position:self._shown]:
                self._fill(step, done=False)
        self._shown = position
        self._mark_current(position if position else None)
        self._show_quiz()

    def _show_quiz(self) -> None:
        """Quiz mode: the current step's row keeps "?" until the learner answers it."""
        if getattr(self, "_built_for", None) is not self.model.trace:
            return  # a new trace: rebuild() comes next and starts afresh
        hidden = self.model.quiz.hidden_step
        was, self._hidden = self._hidden, (hidden.index if hidden is not None else None)
        if was is not None and was != self._hidden and was <= self._shown:
            self._fill(self.model.trace.steps[was - 1], done=True)
        if hidden is not None:
            self._fill(hidden, done=False)

    def _mark_current(self, index: int | None) -> None:
        if self._current is not None and self._current in self._rows:
            self._paint_row(self._current, QBrush())
        self._current = index
        if index is None:
            return
        table, row = self._rows[index]
        self._paint_row(index, QBrush(QColor(HIGHLIGHT[self.dark])))
        self.setCurrentWidget(table)
        table.scrollToItem(table.item(row, 0))

    def _paint_row(self, index: int, brush: QBrush) -> None:
        table, row = self._rows[index]
        for column in range(3):
            item = table.item(row, column)
            item.setBackground(brush)
            font = item.font()
            font.setBold(brush.style() != Qt.BrushStyle.NoBrush)
            item.setFont(font)

    def _jump(self, table: QTableWidget, row: int) -> None:
        item = table.item(row, 0)
        if item is not None:
            self.model.goto(int(item.data(STEP_ROLE)))
