"""Crash safety: the current session is autosaved, so a killed process loses nothing.

Every change (an applied program, a value or role edit, a step, text typed in the
editor) rewrites ``recovery-<pid>.json`` atomically (``QSaveFile``) in the app's data
folder. A clean exit deletes it. The next interactive start looks for files left by
processes that are no longer running and offers, in a bar above the graph (never a
modal dialog), to restore the newest one.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSaveFile, QStandardPaths, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from core.language import ExpressionError
from core.session import load_session

PREFIX = "recovery-"
#: typing in the editor is saved after this pause; everything else at once
TYPING_DELAY_MS = 300


def recovery_dir() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base or Path.home() / ".backprop-stepper")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process with that number: leave its file alone
    return True


def _pid_of(path: Path) -> int | None:
    try:
        return int(path.stem[len(PREFIX):])
    except ValueError:
        return None


def orphaned_files(directory: Path | None = None) -> list[Path]:
    """Recovery files whose process has gone, newest first."""
    directory = directory or recovery_dir()
    files = []
    for path in directory.glob(f"{PREFIX}*.json"):
        pid = _pid_of(path)
        if pid is not None and not _alive(pid):
            files.append(path)
    return sorted(files, key=lambda p: p.stat().st_mtime, reverse=True)


class Autosave(QObject):
    """Writes the window's session to its recovery file on every change."""

    def __init__(self, window, directory: Path | None = None):
        super().__init__(window)
        self.window = window
        self.directory = directory or recovery_dir()
        self.path = self.directory / f"{PREFIX}{os.getpid()}.json"
        self._typing = QTimer(self, singleShot=True, interval=TYPING_DELAY_MS)
        self._typing.timeout.connect(self.save)
        model = window.model
        model.traceReplaced.connect(self.save)
        model.stepChanged.connect(self.save)
        model.undo_stack.indexChanged.connect(self.save)
        window.editor_panel.editor.textChanged.connect(self._typing.start)
        self.save()

    def save(self) -> None:
        session = self.window.model.session(getattr(self.window, "title", "") or "")
        draft = self.window.editor_panel.editor.toPlainText()
        if draft != session.text:
            session.settings["draft"] = draft  # typed but not applied yet: keep it too
        self.directory.mkdir(parents=True, exist_ok=True)
        handle = QSaveFile(str(self.path))
        if handle.open(QSaveFile.OpenModeFlag.WriteOnly):
            handle.write(session.to_json().encode("utf-8"))
            handle.commit()

    def discard(self) -> None:
        """A clean exit: nothing to recover."""
        self._typing.stop()
        self.path.unlink(missing_ok=True)


class RecoveryBar(QFrame):
    """'Your last session ended unexpectedly. Restore it?' with Restore / Discard."""

    def __init__(self, window, path: Path):
        super().__init__(window)
        self.setObjectName("recoveryBar")
        self.window = window
        self.path = path
        self.label = QLabel(objectName="recoveryText", wordWrap=True)
        self.restore_button = QPushButton(objectName="recoveryRestore")
        self.discard_button = QPushButton(objectName="recoveryDiscard")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.restore_button)
        layout.addWidget(self.discard_button)
        self.restore_button.clicked.connect(self.restore)
        self.discard_button.clicked.connect(self.discard)
        self.retranslate()

    def retranslate(self) -> None:
        self.label.setText(self.tr("The last session ended unexpectedly. Restore the work "
                                   "it had?"))
        self.restore_button.setText(self.tr("Restore"))
        self.discard_button.setText(self.tr("Discard"))

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def restore(self) -> bool:
        from gui.model import Program

        try:
            session = load_session(self.path)
            self.window.load_program(Program(session.text, dict(session.bindings)),
                                     session.position, session.title)
        except ExpressionError as error:
            self.window.message_bar.show_message(
                self.tr("Could not restore the last session: {0}").format(str(error)))
            self.discard()
            return False
        draft = session.settings.get("draft")
        if isinstance(draft, str):
            self.window.editor_panel.editor.setPlainText(draft)
        self.path.unlink(missing_ok=True)
        self.hide()
        return True

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)
        self.hide()


def install(window, directory: Path | None = None) -> tuple[Autosave, RecoveryBar | None]:
    """Offer the newest orphaned session (if any), then start autosaving this one."""
    directory = directory or recovery_dir()
    orphans = orphaned_files(directory)
    bar = None
    if orphans:
        for stale in orphans[1:]:  # only the newest is offered; older ones are superseded
            stale.unlink(missing_ok=True)
        bar = RecoveryBar(window, orphans[0])
        window.centralWidget().layout().insertWidget(0, bar)
        bar.show()  # a layout shows a new child of a visible window only later
        window.recovery_bar = bar
    autosave = Autosave(window, directory)
    window.autosave = autosave
    return autosave, bar
