"""The Output pane: what a training script prints, line by line, up to the point on screen.

A line printed after the k-th ``backward()`` call (``run.print_rows``) shows once
iteration k's backward pass has been stepped; the lines printed later are hidden, so
stepping the loop prints as the script would. The dock opens when a script is loaded.

A script run by Run (gui.state.run_state) makes it a live console while it runs (prints
stream in, the caption is the progress line); once it ended, the pane shows what the
script had printed at the step on screen (:meth:`RunState.output_at`).
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDockWidget, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from gui.panels.base import Area, DockSpec, Panel, dock_of

translate = QCoreApplication.translate


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
        self._recorded: str | None = None  # the recorded run's text now shown
        model.traceReplaced.connect(self._trace_replaced)
        model.stepChanged.connect(self.refresh)
        runs = getattr(model, "run", None)
        if runs is not None:
            runs.started.connect(self._run_started)
            runs.outputAdded.connect(self._output_added)
            runs.progressChanged.connect(self._show_progress)
            runs.finished.connect(self.refresh)
        self.retranslate()

    def retranslate(self) -> None:
        self.text.setAccessibleName(self.tr("What the script prints"))
        self.refresh()

    def _recording(self):
        """The recorded run whose output shows here: running, or its pass (or its end)
        on screen."""
        runs = getattr(self.model, "run", None)
        if runs is None:
            return None
        blank = self.model.trace.blank and runs.result is not None
        return runs if runs.is_running() or runs.on_screen or blank else None

    def open_dock(self) -> None:
        dock = self.parentWidget()
        if isinstance(dock, QDockWidget):
            dock.show()
            dock.raise_()

    def _run_started(self) -> None:
        self._recorded = ""
        self.text.clear()
        self.open_dock()
        self._show_progress()

    def _output_added(self, chunk: str) -> None:
        self.text.appendPlainText(chunk)
        self.text.verticalScrollBar().setValue(self.text.verticalScrollBar().maximum())

    def _show_progress(self) -> None:
        runs = self._recording()
        if runs is not None:
            self.caption.setText(progress_text(runs))

    def _trace_replaced(self) -> None:
        if self._recording() is not None:
            self._run = None
            return self.refresh()
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
        runs = self._recording()
        if runs is not None:
            return self._refresh_recorded(runs)
        self._recorded = None
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

    def _refresh_recorded(self, runs) -> None:
        """A recorded run: what it had printed at the step on screen, and at its end the
        traceback (trimmed to the learner's own frames) or the limit that stopped it."""
        if runs.is_running():
            return self._show_progress()
        text = runs.output_at()
        if text == runs.output_text():
            error = runs.error_text()
            if error:
                text = f"{text}\n{error}" if text and not text.endswith("\n") else text + error
        if text != self._recorded:
            self._recorded = text
            self.text.setPlainText(text)
            self.text.verticalScrollBar().setValue(self.text.verticalScrollBar().maximum())
        self._lines = text.splitlines()
        self._show_progress()


def progress_text(runs) -> str:
    """The progress line: elapsed time, passes recorded so far, the latest loss."""
    progress = runs.progress()
    seconds = f"{progress['elapsed']:.1f}"
    loss = progress.get("loss")
    if runs.is_running():
        text = translate("OutputPanel", "Running · {0} s · {1} passes recorded").format(
            seconds, progress["passes"])
    elif runs.result is not None and runs.result.status == "stopped":
        text = translate("OutputPanel", "Stopped after {0} s · {1} passes recorded").format(
            seconds, progress["passes"])
    elif runs.result is not None and runs.result.status == "raised":
        text = translate("OutputPanel", "The script raised after {0} s · {1} passes "
                                        "recorded").format(seconds, progress["passes"])
    else:
        text = translate("OutputPanel", "Ran in {0} s · {1} passes recorded").format(
            seconds, runs.count or progress["passes"])
    if loss is not None:
        text += " · " + translate("OutputPanel", "latest loss {0}").format(f"{loss:.6g}")
    if runs.stale:
        text += " · " + translate("OutputPanel", "the text changed since: Run again")
    return text
