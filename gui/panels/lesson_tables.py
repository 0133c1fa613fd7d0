"""The lesson's three tables (forward, local gradients, backward), filling in step by step.

Every step has a row from the start; its numbers appear once the learner reaches it.
Clicking a row jumps there. The tables are also the canvas's text alternative. Below the
local gradients, grey rows list the edges that are not needed (an input that is data, a
constant, or reached by no parameter), each with its reason, as the command line does.

A big trace (more than ``EAGER_ROWS`` steps; 20,000 nodes make 75,000) gets its rows at
once but their cells only when they come into view or are stepped to: filling every
cell takes seconds. A long jump (End) leaves the cells of rows off screen as they were
and forgets them (made again, as they are then, when they come into view).

The first and last columns fit the rows on screen as those rows will be once done, in
the current row's bold font, measured once per trace (``_row_widths``): a step changes
no width unless it scrolls other rows into view. Columns fitting their contents
(ResizeToContents) measured the rows again on each of a step's ~20 item changes, about
half of a recorded pass's step (issue 19).
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
)

from core.base.format import full_precision
from core.engine.explain import unneeded, unneeded_edges
from core.engine.trace import PHASES, NoParameterStep, Step
from gui.panels.base import Area, DockSpec, Panel
from gui.panels.table_cells import cell_width, compact_value, fit_to
from gui.state.model import STEP_PHASES, StepperModel
from gui.support import theme
from gui.support.texts import engine_words, explain, formula_text, phase_title, target_text
from gui.support.theme import HIGHLIGHT, phase_colour

STEP_ROLE = Qt.ItemDataRole.UserRole
#: up to this many steps every cell is made at once (and columns fit their contents)
EAGER_ROWS = 600
#: rows made beyond the visible ones, so that a small scroll finds them ready
ROW_MARGIN = 30


class LessonTables(Panel, QTabWidget):
    DOCK = DockSpec("tablesDock", "tables_dock", Area.BottomDockWidgetArea,
                    QT_TRANSLATE_NOOP("MainWindow", "Lesson tables"),
                    split=("explanationDock", Qt.Orientation.Horizontal), width=560)

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
            # columns 0 and 2 are fitted by _rows_in_view, not ResizeToContents: that
            # measured the rows again on each of a step's ~20 item changes (issue 19)
            table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
            table.clicked.connect(lambda index, t=table: self._jump(t, index.row()))
            table.verticalScrollBar().valueChanged.connect(
                lambda _=0, t=table: self._rows_in_view(t))
            table.viewport().installEventFilter(self)
            self.tables[phase] = table
            self.addTab(table, phase_title(phase))
        self._rows: dict[int, tuple[QTableWidget, int]] = {}
        #: steps by phase, in row order, and the steps whose cells exist
        self._steps: dict[str, list[Step]] = {p: [] for p in PHASES}
        self._made: set[int] = set()
        self._lazy = False
        self._shown = 0
        self._current: int | None = None
        self._hidden: int | None = None  # quiz mode: the row that keeps its "?"
        #: widths of a row's cells in columns 0 and 2 once done, in the current row's font
        self._widths: dict[object, tuple[int, int]] = {}
        self._numbers = None  # a What-if's trace whose numbers the rows show
        model.traceReplaced.connect(self.rebuild)
        model.stepChanged.connect(self.update_position)
        model.quiz.changed.connect(self._show_quiz)
        self.currentChanged.connect(lambda _=0: self._rows_in_view(self.currentWidget()))
        self.rebuild()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            for table in getattr(self, "tables", {}).values():
                if watched is table.viewport():
                    self._rows_in_view(table)
        return super().eventFilter(watched, event)

    def _headers(self) -> dict[str, list[str]]:
        return {
            "forward": [self.tr("node"), self.tr("computation"), self.tr("value")],
            "local": [self.tr("local gradient"), self.tr("formula"), self.tr("value")],
            "backward": [self.tr("gradient of the loss"), self.tr("chain rule"),
                         self.tr("value")],
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

    def set_dark(self, dark: bool) -> None:
        self.dark = dark
        self.rebuild()

    # ---- building
    def rebuild(self) -> None:
        self._rows.clear()
        self._made = set()
        # a What-if's trace whose numbers the rows show: kept for the same trace (a new
        # language or theme rebuilds the rows), dropped for another
        if getattr(self, "_built_for", None) is not self.model.trace:
            self._numbers = None
        self._widths = {}
        by_phase: dict[str, list[Step]] = {p: [] for p in PHASES}
        for step in self.model.trace.steps:
            by_phase[step.phase].append(step)
        self._steps = by_phase
        self._lazy = len(self.model.trace.steps) > EAGER_ROWS
        self._shown = 0
        self._current = None
        self._hidden = None
        for phase, steps in by_phase.items():
            table = self.tables[phase]
            table.setUpdatesEnabled(False)
            table.clearContents()
            extra = self._unneeded_edges() if phase == "local" else []
            table.setRowCount(len(steps) + len(extra))
            for row, step in enumerate(steps):
                self._rows[step.index] = (table, row)
            if not self._lazy:
                for step in steps:
                    self._make_row(step)
            for row, edge in enumerate(extra, start=len(steps)):
                self._make_unneeded_row(table, row, edge)
            table.setUpdatesEnabled(True)
            self.setTabVisible(self.indexOf(table), bool(steps) or phase in STEP_PHASES)
        self._built_for = self.model.trace
        self.update_position(self.model.position)
        for table in self.tables.values():
            self._rows_in_view(table)

    def _make_row(self, step: Step) -> None:
        """The row's three cells, showing the step as it is at the current position."""
        table, row = self._rows[step.index]
        for column in range(3):
            item = QTableWidgetItem()
            item.setData(STEP_ROLE, step.index)
            if column == 2:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, column, item)
        self._made.add(step.index)
        self._fill(step, done=step.index <= self._shown and step.index != self._hidden)
        if step.index == self._current:
            self._paint_row(step.index, QBrush(QColor(HIGHLIGHT[self.dark])))

    def _unneeded_edges(self) -> list:
        steps = self.model.trace.steps
        if any(isinstance(s, NoParameterStep) for s in steps):
            return []  # no local phase: nothing is "not needed" more than anything else
        return unneeded_edges(self.model.trace.graph)

    def _make_unneeded_row(self, table: QTableWidget, row: int, edge) -> None:
        """A grey row for an edge the backward pass skips: "∂y_hat/∂x · x is data: …"."""
        why = unneeded(self.model.trace.graph, edge)
        sentence = explain(why)
        grey = QBrush(QColor(theme.MUTED))
        for column, text in enumerate((why.args["edge"], sentence, self.tr("not needed"))):
            item = QTableWidgetItem(text)
            item.setForeground(grey)
            item.setToolTip(sentence)
            font = item.font()
            font.setItalic(True)
            item.setFont(font)
            if column == 2:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, column, item)

    def unneeded_rows(self) -> list[list[str]]:
        """The texts of the not-needed rows under the local gradients."""
        table = self.tables["local"]
        first = len(self._steps["local"])
        return [[table.item(r, c).text() for c in range(3)]
                for r in range(first, table.rowCount())]

    def _rows_in_view(self, table, now: bool = False) -> None:
        """The rows on screen changed: make their cells (big traces) and fit the columns
        to them (not to every row: a wide matrix far away would squeeze the middle)."""
        if not isinstance(table, QTableWidget) or not table.rowCount():
            return
        # the viewport's height without a horizontal scroll bar: with it, a width that
        # brings the bar would hide a row, fit narrower, drop the bar, and so on forever
        top = table.rowAt(0)
        bottom = table.rowAt(max(0, table.maximumViewportSize().height() - 1))
        top = 0 if top < 0 else top
        bottom = table.rowCount() - 1 if bottom < 0 else bottom
        steps = self._steps.get(table.objectName().removesuffix("Table"), [])
        if self._lazy:
            for row in range(max(0, top - ROW_MARGIN),
                             min(len(steps), bottom + ROW_MARGIN + 1)):
                if steps[row].index not in self._made:
                    self._make_row(steps[row])
        if not table.isVisible():
            return  # fitted when shown
        widths = [self._row_widths(table, steps, row) for row in range(top, bottom + 1)]
        if now or self._numbers is not None:  # (a What-if's numbers: not those measured)
            items = [(table.item(r, 0), table.item(r, 2)) for r in range(top, bottom + 1)]
            widths += [tuple(cell_width(table, i.text(), i.font()) for i in pair)
                       for pair in items if None not in pair]
        fit_to(table, widths)

    def _row_widths(self, table: QTableWidget, steps: list[Step], row: int) -> tuple[int, int]:
        """Columns 0 and 2's widths for ``row`` as it is once done and current (bold);
        measured once per trace."""
        key = steps[row].index if row < len(steps) else ("not needed", table, row)
        if key not in self._widths:
            if row < len(steps):
                step = steps[row]
                texts = ("—", "") if isinstance(step, NoParameterStep) else (
                    target_text(step), engine_words(compact_value(step.value)))
                font = QFont(table.font())
                font.setBold(True)
                fonts = (font, font)
            else:
                items = (table.item(row, 0), table.item(row, 2))
                texts, fonts = [i.text() for i in items], [i.font() for i in items]
            self._widths[key] = tuple(cell_width(table, text, font)
                                      for text, font in zip(texts, fonts, strict=True))
        return self._widths[key]

    def show_numbers(self, trace) -> None:
        """The rows done, now and as the learner steps on, with ``trace``'s numbers (a
        What-if of the same program), or the model's own again; their columns fitted to
        them (stepping keeps the widths)."""
        own = getattr(self, "_built_for", None)
        if own is None:
            return
        self._numbers = None if trace is own else trace
        for index in self._made:
            step = own.steps[index - 1]
            if index > self._shown or index == self._hidden or isinstance(
                    step, NoParameterStep):
                continue  # not shown yet, or kept back by the quiz
            table, row = self._rows[index]
            self._write_numbers(step, table.item(row, 1), table.item(row, 2))
        for table in self.tables.values():  # (the rows on screen as they are now too)
            self._rows_in_view(table, now=True)

    def _write_numbers(self, step: Step, middle, value) -> None:
        """A done row's formula and value: the What-if's (show_numbers) where it has this
        step, else the model's, greyed and said so (a recorded pass's update: only torch
        knows the optimizer's rule, so a What-if cannot compute it again)."""
        twin = step if self._numbers is None else self._numbers.twin(step)
        shown = twin or step
        middle.setText(formula_text(shown))
        value.setText(engine_words(compact_value(shown.value)))  # ("[8 个值]")
        colour = phase_colour(step.phase, self.dark) if twin is not None else theme.MUTED
        value.setForeground(QBrush(QColor(colour)))
        value.setToolTip(full_precision(shown.value) if twin is not None else self.tr(
            "{0} (the pass's own: What if does not compute this step again)").format(
            full_precision(step.value)))

    def row_texts(self, index: int) -> list[str]:
        """The three cells of step ``index``'s row as shown (made now if they were not)."""
        if index not in self._made:
            self._make_row(self.model.trace.steps[index - 1])
        table, row = self._rows[index]
        return [table.item(row, column).text() for column in range(3)]

    def _fill(self, step: Step, done: bool) -> None:
        if step.index not in self._made:
            return  # made later, as it is then
        table, row = self._rows[step.index]
        target, middle, value = (table.item(row, c) for c in range(3))
        target.setText(target_text(step) if not isinstance(step, NoParameterStep) else "—")
        grey = QBrush(QColor(theme.MUTED))
        normal = QBrush(self.palette().text().color())
        if isinstance(step, NoParameterStep):
            middle.setText(explain(step.explanation) if done else "…")
            value.setText("")
        elif done:
            self._write_numbers(step, middle, value)
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
        low, high = sorted((self._shown, position))
        if high - low > len(self._made):  # a long jump: only the rows that have cells
            changed = [steps[i - 1] for i in sorted(self._made) if low < i <= high]
        else:
            changed = steps[low:high]
        jump = self._lazy and high - low > ROW_MARGIN
        if jump:
            # a long jump in a big trace: filling the ~170 rows it passed, off screen,
            # was 40% of End's time (issue 19); those on screen are made again below
            self._made.difference_update(step.index for step in changed)
            changed = []
        for step in changed:
            self._fill(step, done=position > self._shown)
        self._shown = position
        self._mark_current(position if position else None)
        if jump or self._numbers is not None:  # (if it scrolled, done already; a
            self._rows_in_view(self.currentWidget())  # What-if's numbers: not measured)
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
        if index not in self._made:
            self._make_row(self.model.trace.steps[index - 1])
        table, row = self._rows[index]
        self._paint_row(index, QBrush(QColor(HIGHLIGHT[self.dark])))
        self.setCurrentWidget(table)
        item = table.item(row, 0)
        if not table.viewport().rect().contains(table.visualItemRect(item)):
            # into the middle: the next steps find their rows on screen, and the table
            # scrolls (repaints every row, fits the columns) once every half a screen
            table.scrollToItem(item, QAbstractItemView.ScrollHint.PositionAtCenter)

    def _paint_row(self, index: int, brush: QBrush) -> None:
        if index not in self._made:
            return
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
            if item.data(STEP_ROLE) is not None:  # not a "not needed" row
                self.model.goto(int(item.data(STEP_ROLE)))
            return
        steps = self._steps.get(table.objectName().removesuffix("Table"), [])
        if 0 <= row < len(steps):
            self.model.goto(steps[row].index)
