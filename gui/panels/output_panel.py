"""The Output pane: what a training script prints, line by line, up to the point on screen.

A line printed after the k-th ``backward()`` call (``run.print_rows``) shows once
iteration k's backward pass has been stepped; the lines printed later are hidden, so
stepping the loop prints as the script would. The dock opens when a script is loaded.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDockWidget, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from gui.panels.base import Area, DockSpec, Panel, dock_of


def printed_by(run, iteration: int, backward_done: bool) -> list[str]:
    """The lines ``run`` has printed at iteration ``iteration`` (1-based), before or after
    its backward pass."""
    shown = []
    for line, calls in zip(run.prints, run.print_rows, strict=False):
        if calls < iteration or (calls == iteration and backward_done):
            shown.append(line)
    return shown


class OutputPanel(Panel, QWidget):
    DOCK = DockSpec("outputDock", "output_dock", Area.LeftDockWidgetArea,
                    QT_TRANSLATE_NOOP("MainWindow", "Output"),
                    split=("editorDock", Qt.Orientation.Vertical), hidden=True)

    def __init__(self, model, parent=None):
        super().__init__(parent)
        self.setObjectName("outputPanel")
        self.model = model
        self.text = QPlainTextEdit(objectName="outputText", readOnly=True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.caption = QLabel(objectName="outputCaption", wordWrap=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.caption)
        layout.addWidget(self.text, 1)
        self._run = None
        self._lines: list[str] = []
        model.traceReplaced.connect(self._trace_replaced)
        model.stepChanged.connect(self.refresh)
        self.retranslate()

    def retranslate(self) -> None:
        self.text.setAccessibleName(self.tr("What the script prints"))
        self.refresh()

    def _trace_replaced(self) -> None:
        run = self.model.script.run if self.model.script is not None else None
        if (run is None) != (self._run is None):
            dock = dock_of(self)
            if isinstance(dock, QDockWidget):  # open for a script, out of the way otherwise
                dock.setVisible(run is not None)
                window = dock.parentWidget()
                if run is not None and hasattr(window, "resizeDocks"):  # the editor keeps most
                    QTimer.singleShot(0, lambda: window.resizeDocks(
                        [dock], [max(110, window.height() // 5)], Qt.Orientation.Vertical))
        self._run = run
        self.refresh()

    def _backward_done(self) -> bool:
        trace, position = self.model.trace, self.model.position
        start = trace.phase_starts.get("update")
        return position >= (start - 1 if start is not None else len(trace))

    def lines(self) -> list[str]:
        """The lines shown now."""
        return list(self._lines)

    def refresh(self, _position: int = 0) -> None:
        run = self._run
        if run is None:
            self._lines = []
            self.text.setPlainText("")
            self.caption.setText(self.tr("A training script's print(…) output shows here."))
            return
        lines = printed_by(run, self.model.script.iteration, self._backward_done())
        if lines != self._lines:
            self._lines = lines
            self.text.setPlainText("\n".join(lines))
            self.text.verticalScrollBar().setValue(self.text.verticalScrollBar().maximum())
        self.caption.setText(self.tr("{0} of {1} lines printed so far (iteration {2})").format(
            len(lines), len(run.prints), self.model.script.iteration))
