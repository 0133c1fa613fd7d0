"""The Output pane: what a script run by Run prints (gui.state.run_state).

While it runs the pane is a live console (prints stream in, the caption is the progress
line); once it ended, the pane shows what the script had printed at the step on screen
(:meth:`RunState.output_at`), so stepping back hides what was printed later.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDockWidget, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from gui.panels.base import Area, DockSpec, Panel

translate = QCoreApplication.translate


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
        self._lines: list[str] = []
        self._recorded: str | None = None  # the recorded run's text now shown
        model.traceReplaced.connect(self.refresh)
        model.stepChanged.connect(self.refresh)
        runs = getattr(model, "run", None)
        if runs is not None:
            runs.started.connect(self._run_started)
            runs.outputAdded.connect(self._output_added)
            runs.progressChanged.connect(self._show_progress)
            runs.finished.connect(self.refresh)
            runs.opened.connect(self._opened)
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

    def _opened(self) -> None:
        """A session's saved recording: shown as at a run's end (the dock in front), with
        what the script had printed at the step on screen."""
        self._recorded = None
        self.open_dock()
        self.refresh()

    def _output_added(self, chunk: str) -> None:
        self._recorded = None  # streamed in: the next refresh sets what the step shows
        self.text.appendPlainText(chunk)
        self.text.verticalScrollBar().setValue(self.text.verticalScrollBar().maximum())

    def _show_progress(self) -> None:
        runs = self._recording()
        if runs is not None:
            self.caption.setText(progress_text(runs))

    def lines(self) -> list[str]:
        """The lines shown now."""
        return list(self._lines)

    def refresh(self, _position: int = 0) -> None:
        runs = self._recording()
        if runs is not None:
            return self._refresh_recorded(runs)
        self._recorded = None
        self._lines = []
        self.text.setPlainText("")
        self.caption.setText(self.tr("A training script's print(…) output shows here."))

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
    result = None if runs.is_running() else runs.result
    kind = (result.error or {}).get("type") if result is not None else None
    passes = progress["passes"] if result is None or result.status != "ok" else \
        runs.count or progress["passes"]
    recorded = translate("OutputPanel", "1 pass recorded") if passes == 1 else translate(
        "OutputPanel", "{0} passes recorded").format(passes)
    if runs.is_running():
        text = translate("OutputPanel", "Running · {0} s · {1}").format(seconds, recorded)
    elif result is not None and result.status == "stopped":
        text = translate("OutputPanel", "Stopped after {0} s · {1}").format(seconds, recorded)
    elif kind in ("TimeLimit", "MemoryLimit"):  # (not the script's own error)
        text = (translate("OutputPanel", "The time limit stopped it after {0} s · {1}")
                if kind == "TimeLimit" else translate(
                    "OutputPanel", "The memory limit stopped it after {0} s · {1}")).format(
            seconds, recorded)
    elif result is not None and result.status == "raised":
        text = translate("OutputPanel", "The script raised after {0} s · {1}").format(
            seconds, recorded)
    else:
        text = translate("OutputPanel", "Ran in {0} s · {1}").format(seconds, recorded)
    if loss is not None:
        text += " · " + translate("OutputPanel", "latest loss {0}").format(f"{loss:.6g}")
    if runs.stale:
        text += " · " + translate("OutputPanel", "the text changed since: Run again")
    return text
