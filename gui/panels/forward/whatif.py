"""What if, from the canvas and the Variables table: move one scalar input and watch.

A horizontal drag on an input's node (gui.canvas.events) or a slider put in its row of
the Variables table ("What if…", Ctrl+Shift+W) moves the value live: each move goes
through the forward panel's What-if path (a trace with the changed binding, the
program untouched), so the canvas's numbers, the What-if table and the plot follow.
Letting go sets the value as one undoable change; Esc (or the right button during a
drag) puts everything back. The live moves never reach the undo stack.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import QSlider, QWidget

from core.base.format import format_value

#: the row slider's positions across its range (like the panel's)
ROW_STEPS = 200
translate = QCoreApplication.translate


def unavailable(trace, what: str) -> str:
    """Why forward mode (``what`` = "forward") or What if ("whatif") is unavailable on
    ``trace``: a recorded pass holding a call whose rule only torch knows (issue 20 §3);
    "" when it is available."""
    built = trace.recorded
    if trace.recorded_by is None or built is None:
        return ""
    calls = ", ".join(sorted(set(built.torch_rule_only)))
    if not calls:
        return ""
    if what == "forward":
        return translate(
            "ForwardPanel", "Forward mode is unavailable on this pass: it holds {0}, whose "
            "rule only torch knows (its numbers are torch's, recorded for this pass), so no "
            "tangent can be carried through it.").format(calls)
    return translate(
        "ForwardPanel", "What if is unavailable on this pass: it holds {0}, whose rule only "
        "torch knows, so the pass cannot be computed again with another value.").format(calls)


def number_text(value: float) -> str:
    """The value as the table shows it and as it is set: six significant digits."""
    return f"{value:.6g}"


def slider_range(value: float) -> tuple[float, float]:
    """Around the value, as the panel's slider: ± max(2, 2 |value|)."""
    half = max(2.0, 2.0 * abs(value))
    return value - half, value + half


class LineHolder(QWidget):
    """Holds the What-if line (a QLabel) outside any layout (issue 19).

    The line's text changes on every move of a drag. A label in a layout asks the
    layout again each time, and the request climbs to the tab widget, which repaints the
    whole panel (slider, plot, table, tab bar) for each move. Held here, a new text asks
    for a new layout only when it no longer fits; the holder's size hints are the
    label's, so the panel is laid out as before."""

    def __init__(self, label: QWidget, parent=None):
        super().__init__(parent)
        self.label = label
        label.setParent(self)
        self.setSizePolicy(label.sizePolicy())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self.label.sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self.label.minimumSizeHint()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.label.setGeometry(self.rect())
        super().resizeEvent(event)

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:  # the label's text changed
            hint = self.label.minimumSizeHint()
            if hint.width() > self.width() or self.label.sizeHint().height() != self.height():
                self.updateGeometry()  # it no longer fits: the panel's layout again
        return super().event(event)


class RowSlider(QSlider):
    """The What-if slider in a row of the Variables table: keys and mouse move it live;
    Enter or a mouse release keeps the value, Esc does not."""

    def __init__(self, session: WhatIfSession, name: str, value: float, parent=None):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setObjectName("variablesWhatIfSlider")
        self.session, self.name = session, name
        self.low, self.high = slider_range(value)
        self.setRange(0, ROW_STEPS)
        self.setValue(ROW_STEPS // 2)
        self.setPageStep(5)  # a page: a fortieth of the range (0.1 for w = 1)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(name)
        self.valueChanged.connect(self._moved)
        self.sliderReleased.connect(lambda: session.finish(name, self.value_now(), True))

    def value_now(self) -> float:
        return float(number_text(self.low + (self.high - self.low) * self.value() / ROW_STEPS))

    def _moved(self, _position: int) -> None:
        value = self.value_now()
        self.setToolTip(f"{self.name} = {format_value(np.float64(value))}")
        self.session.move(self.name, value)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.session.finish(self.name, self.value_now(), True)
        elif key == Qt.Key.Key_Escape:
            self.session.finish(self.name, self.value_now(), False)
        else:
            super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().focusOutEvent(event)
        if self.session.row_slider is self:  # clicked elsewhere: the value stays
            self.session.finish(self.name, self.value_now(), True)


class WhatIfSession(QObject):
    """One What-if at a time: its name and the value it started from."""

    def __init__(self, window, panel):
        super().__init__(panel)
        self.window, self.panel, self.model = window, panel, window.model
        self.name: str | None = None
        self.start = 0.0
        self.row_slider: RowSlider | None = None
        canvas = window.canvas
        canvas.whatIfStarted.connect(self.begin)
        canvas.whatIfMoved.connect(self.move)
        canvas.whatIfFinished.connect(self.finish)
        window.editor_panel.whatIfRequested.connect(self.open_row_slider)

    def _value_of(self, name: str) -> float | None:
        graph = self.model.trace.graph
        if name not in graph.names:
            return None
        value = graph.nodes[graph.names[name]].value
        return float(value) if np.ndim(value) == 0 else None

    def begin(self, name: str) -> None:
        value = self._value_of(name)
        if value is not None:
            self.name, self.start = name, value

    def move(self, name: str, value: float) -> None:
        """A live move: every number follows, the program stays as it is."""
        if self.name != name:
            self.begin(name)
        if self.name is None:
            return
        self.panel.set_whatif(value, name)
        self._show_in_table(name, value)

    def finish(self, name: str, value: float, keep: bool) -> None:
        """Keep: one undoable change (Set name = value). Not: everything as it was."""
        if self.name != name:
            self.begin(name)
        slider, self.row_slider = self.row_slider, None
        table = self.window.editor_panel.table
        if slider is not None:
            for row in range(table.rowCount()):
                if table.cellWidget(row, 2) is slider:
                    table.removeCellWidget(row, 2)
            table.setFocus(Qt.FocusReason.OtherFocusReason)
        start, self.name = self.start, None
        if start is None:
            return
        if keep and value != start:
            self.model.edit_value(name, number_text(value))
        else:
            self.panel.set_whatif(start, name)
        self.panel.show_model_numbers()
        self.window.editor_panel.refresh_table()

    def _show_in_table(self, name: str, value: float) -> None:
        """The Variables table's value cell follows (its edit signal held back)."""
        table = self.window.editor_panel.table
        for row in range(table.rowCount()):
            item = table.item(row, 0)
            cell = table.item(row, 2)
            if item is not None and item.text() == name and cell is not None:
                table.blockSignals(True)
                cell.setText(number_text(value))
                table.blockSignals(False)

    def open_row_slider(self, name: str) -> RowSlider | None:
        """The slider in ``name``'s row of the Variables table, focused."""
        value = self._value_of(name)
        table = self.window.editor_panel.table
        row = next((r for r in range(table.rowCount())
                    if table.item(r, 0) is not None and table.item(r, 0).text() == name), None)
        if value is None or row is None or not np.isfinite(value):
            return None
        if self.row_slider is not None:
            self.finish(self.row_slider.name, self.row_slider.value_now(), True)
        self.begin(name)
        slider = RowSlider(self, name, value)
        self.row_slider = slider
        table.setCellWidget(row, 2, slider)
        slider.setFocus(Qt.FocusReason.OtherFocusReason)
        return slider
