"""Preferences: the Python that runs the learner's scripts, and the limits of a run.

Kept in ``QSettings`` when the window has one (the interactive launch), else for this
window only (tests, screenshots). "Python for scripts" empty means the app's own
interpreter; another one (a venv with torchvision, say) needs only torch to be recorded.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

DEFAULT_TIMEOUT_S = 600


def physical_mb() -> int:
    """The machine's memory in MB (4096 where the system does not say)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    except (ValueError, OSError, AttributeError):
        return 4096


@dataclass
class RunPreferences:
    #: the interpreter that runs scripts; "" is the app's own
    python: str = ""
    timeout_s: int = DEFAULT_TIMEOUT_S
    #: the memory limit of a run; half the machine's by default
    memory_mb: int = 0

    def __post_init__(self) -> None:
        if self.memory_mb <= 0:
            self.memory_mb = max(256, physical_mb() // 2)

    @classmethod
    def load(cls, settings: QSettings | None) -> RunPreferences:
        if settings is None:
            return cls()

        def number(key: str, default: int, low: int, high: int) -> int:
            try:
                return min(high, max(low, int(settings.value(key, default))))
            except (TypeError, ValueError):
                return default

        prefs = cls(str(settings.value("scripts/python", "") or ""))
        prefs.timeout_s = number("scripts/timeoutSeconds", DEFAULT_TIMEOUT_S, 1, 86_400)
        prefs.memory_mb = number("scripts/memoryMB", prefs.memory_mb, 64, 1 << 22)
        return prefs

    def save(self, settings: QSettings | None) -> None:
        if settings is None:
            return
        settings.setValue("scripts/python", self.python)
        settings.setValue("scripts/timeoutSeconds", int(self.timeout_s))
        settings.setValue("scripts/memoryMB", int(self.memory_mb))

    def apply(self, runs) -> None:
        """Give a RunState (gui.state.run_state) these choices for its next run."""
        runs.python = self.python or None
        runs.timeout_s = self.timeout_s
        runs.memory_mb = self.memory_mb


def python_problem(path: str) -> str | None:
    """Why ``path`` cannot be the Python for scripts (None: it can, or it is empty)."""
    if not path:
        return None
    found = shutil.which(path) if os.sep not in path else path
    if found is None or not os.path.isfile(found):
        return "not found"
    if not os.access(found, os.X_OK):
        return "not executable"
    return None


class PreferencesDialog(QDialog):
    """Python for scripts, the time limit and the memory limit; OK keeps them."""

    def __init__(self, prefs: RunPreferences, parent=None):
        super().__init__(parent)
        self.setObjectName("preferencesDialog")
        self.setWindowTitle(self.tr("Preferences"))
        self.python = QLineEdit(prefs.python, objectName="pythonForScripts")
        self.python.setPlaceholderText(self.tr("This app's own Python (with PyTorch)"))
        self.python.setMinimumWidth(  # the placeholder whole (it read "This app's own P…")
            self.python.fontMetrics().horizontalAdvance(self.python.placeholderText()) + 16)
        self.python.setAccessibleName(self.tr("Python for scripts"))
        self.python.setToolTip(self.tr(
            "The interpreter that runs your scripts, as python FILE would. It needs "
            "torch; choose a virtual environment's python to use its packages "
            "(torchvision, say)."))
        browse = QPushButton(self.tr("Choose…"), objectName="choosePythonButton")
        browse.clicked.connect(self._browse)
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.python, 1)
        line.addWidget(browse)
        self.timeout = QSpinBox(objectName="timeLimitBox", minimum=1, maximum=86_400)
        self.timeout.setValue(int(prefs.timeout_s))
        self.timeout.setSuffix(self.tr(" s"))
        self.timeout.setAccessibleName(self.tr("Time limit of a run, in seconds"))
        self.memory = QSpinBox(objectName="memoryLimitBox", minimum=64, maximum=1 << 22)
        self.memory.setValue(int(prefs.memory_mb))
        self.memory.setSuffix(self.tr(" MB"))
        self.memory.setSingleStep(256)
        self.memory.setAccessibleName(self.tr("Memory limit of a run, in MB"))
        self.problem = QLabel(objectName="pythonProblem", wordWrap=True)
        self.problem.hide()
        form = QFormLayout()
        form.addRow(self.tr("Python for scripts:"), row)
        form.addRow(self.tr("Time limit:"), self.timeout)
        form.addRow(self.tr("Memory limit:"), self.memory)
        note = QLabel(self.tr(
            "A script runs with your permissions, as python FILE would. It is stopped "
            "when it runs longer or uses more memory than this; what it recorded until "
            "then can still be stepped."), wordWrap=True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Python for scripts"),
                                              self.python.text())
        if path:
            self.python.setText(path)

    def _accept(self) -> None:
        path = self.python.text().strip()
        problem = python_problem(path)
        if problem is not None:
            self.problem.setText(
                self.tr("Python for scripts: {0} is not found.").format(path)
                if problem == "not found" else
                self.tr("Python for scripts: {0} cannot be run.").format(path))
            self.problem.show()
            return
        self.accept()

    def preferences(self) -> RunPreferences:
        return RunPreferences(self.python.text().strip(), self.timeout.value(),
                              self.memory.value())
