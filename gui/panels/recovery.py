"""Crash safety: the current session is autosaved, so a killed process loses nothing.

Every change (an applied program, a value or role edit, a step, text typed in the
editor) rewrites ``recovery-<pid>.json`` atomically (``QSaveFile``) in the app's data
folder; a window that shows only the untouched lesson writes nothing, so a start that is
killed at once leaves nothing behind. A clean exit deletes it. The next interactive
start looks for files left by processes that are no longer running and offers each of
them, newest first, in bars above the graph (never a modal dialog).

A left-behind file is deleted only once its work is restored (after this window has
saved it under its own name), or explicitly discarded: never because another one is
newer, and never by a start that is itself killed before anyone clicks. A second
restore opens a second window, so restoring one never overwrites another.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QObject, QSaveFile, QStandardPaths, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from core.language import ExpressionError
from core.session import Session, load_session
from gui.panels.base import Panel

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


#: bars offered at most (the rest wait for the next start: nothing is deleted)
MAX_OFFERED = 20


def _pid_of(path: Path) -> int | None:
    """``recovery-<pid>.json`` or, for a process's second window, ``recovery-<pid>-<n>.json``."""
    try:
        return int(path.stem[len(PREFIX):].split("-")[0])
    except ValueError:
        return None


def orphaned_files(directory: Path | None = None) -> list[Path]:
    """Recovery files whose process has gone, newest first."""
    directory = directory or recovery_dir()
    files = []
    for path in directory.glob(f"{PREFIX}*.json"):
        pid = _pid_of(path)
        if pid is not None and not _alive(pid):
            try:
                files.append((path.stat().st_mtime, path))
            except OSError:  # restored or discarded by another start meanwhile
                continue
    return [path for _, path in sorted(files, reverse=True)]


def _own_path(directory: Path) -> Path:
    """This process's first free recovery file name (one per window)."""
    path = directory / f"{PREFIX}{os.getpid()}.json"
    number = 2
    while path in Autosave.claimed:
        path = directory / f"{PREFIX}{os.getpid()}-{number}.json"
        number += 1
    return path


class Autosave(QObject):
    """Writes the window's session to its recovery file on every change."""

    #: recovery files this process's windows write
    claimed: set[Path] = set()

    def __init__(self, window, directory: Path | None = None):
        super().__init__(window)
        self.window = window
        self.directory = directory or recovery_dir()
        self.path = _own_path(self.directory)
        Autosave.claimed.add(self.path)
        self.written = False
        self._pristine = self._is_lesson()
        self._typing = QTimer(self, singleShot=True, interval=TYPING_DELAY_MS)
        self._typing.timeout.connect(self.save)
        model = window.model
        model.traceReplaced.connect(self.save)
        model.stepChanged.connect(self.save)
        model.undo_stack.indexChanged.connect(self.save)
        window.editor_panel.editor.textChanged.connect(self._typing.start)
        self.save()

    def _is_lesson(self) -> bool:
        """The untouched lesson of a fresh start: no work to lose."""
        from core.examples import LESSON_TEXT, lesson_bindings

        model = self.window.model
        return (model.program.text == LESSON_TEXT
                and self.window.editor_panel.editor.toPlainText() == LESSON_TEXT
                and model.undo_stack.isClean() and not model.undo_stack.count()
                and model.session().to_dict()["variables"]
                == Session(LESSON_TEXT, lesson_bindings()).to_dict()["variables"])

    def save(self) -> bool:
        """Write the session now; True once it is on disk."""
        if self._pristine and not self.written:
            if self._is_lesson():
                return False
            self._pristine = False
        session = self.window.model.session(getattr(self.window, "title", "") or "")
        draft = self.window.editor_panel.editor.toPlainText()
        if draft != session.text:
            session.settings["draft"] = draft  # typed but not applied yet: keep it too
        return self.write(session)

    def write(self, session: Session) -> bool:
        """Put ``session`` in this window's recovery file (atomically); True when done."""
        self._pristine = False
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError:
            return False
        handle = QSaveFile(str(self.path))
        if handle.open(QSaveFile.OpenModeFlag.WriteOnly):
            handle.write(session.to_json().encode("utf-8"))
            if handle.commit():
                self.written = True
        return self.written

    def discard(self) -> None:
        """A clean exit (the work was saved, or its closing confirmed): nothing to recover."""
        self._typing.stop()
        self.path.unlink(missing_ok=True)
        Autosave.claimed.discard(self.path)


class RecoveryBar(Panel, QFrame):
    """'Your last session ended unexpectedly. Restore it?' with Restore / Discard."""

    def __init__(self, window, path: Path):
        super().__init__(window)
        self.setObjectName("recoveryBar")
        self.window = window
        self.path = path
        self.label = QLabel(objectName="recoveryText", wordWrap=True)
        self.detail = QLabel(_describe(path), objectName="recoveryDetail")
        self.restore_button = QPushButton(objectName="recoveryRestore")
        self.discard_button = QPushButton(objectName="recoveryDiscard")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.detail)
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

    def restore(self) -> bool:
        """Into this window if it holds no work yet, else into a new one; the file is
        deleted only once the restoring window has saved the work under its own name."""
        from gui.state.model import Program

        try:
            session = load_session(self.path)
        except ExpressionError as error:
            self.window.message_bar.show_message(
                self.tr("Could not restore the last session: {0}").format(str(error)))
            self.discard()
            return False
        target = self.window if _holds_no_work(self.window) else _new_window(self.window)
        target.load_program(Program(session.text, dict(session.bindings), tuple(session.draws)),
                            session.position, session.title)
        draft = session.settings.get("draft")
        if isinstance(draft, str):
            target.editor_panel.editor.setPlainText(draft)
        autosave = getattr(target, "autosave", None)
        if autosave is not None and autosave.write(session):  # the work is safe twice over
            self.path.unlink(missing_ok=True)
        self.hide()
        return True

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)
        self.hide()


def _describe(path: Path) -> str:
    """When it was last saved and its first line, to tell several apart."""
    from PySide6.QtCore import QDateTime, QLocale

    try:
        stamp = QDateTime.fromSecsSinceEpoch(int(path.stat().st_mtime))
        session = load_session(path)
    except (OSError, ExpressionError):
        return ""
    first = next((line.strip() for line in session.text.splitlines() if line.strip()), "")
    first = first if len(first) <= 40 else first[:39] + "…"
    when = QLocale().toString(stamp, QLocale.FormatType.ShortFormat)
    return f"{when} · {session.title or first}"


def _holds_no_work(window) -> bool:
    autosave = getattr(window, "autosave", None)
    return autosave is not None and not autosave.written and autosave._is_lesson()


def _new_window(window):
    """A second window for a second restored session, with its own autosave."""
    from PySide6.QtCore import Qt

    from gui.window.main_window import MainWindow

    other = MainWindow(getattr(window, "settings", None))
    other.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    other.resize(window.size())
    autosave = Autosave(other, window.autosave.directory)
    other.autosave = autosave
    path = autosave.path
    other.destroyed.connect(lambda *_: (path.unlink(missing_ok=True),
                                        Autosave.claimed.discard(path)))
    window.extra_windows = [*getattr(window, "extra_windows", []), other]
    other.show()
    return other


def install(window, directory: Path | None = None) -> tuple[Autosave, RecoveryBar | None]:
    """Offer every orphaned session (newest first), then start autosaving this one."""
    directory = directory or recovery_dir()
    orphans = orphaned_files(directory)
    bars = []
    for position, path in enumerate(orphans[:MAX_OFFERED]):
        bar = RecoveryBar(window, path)
        window.centralWidget().layout().insertWidget(position, bar)
        bar.show()  # a layout shows a new child of a visible window only later
        bars.append(bar)
    window.recovery_bars = bars
    bar = bars[0] if bars else None
    if bar is not None:
        window.recovery_bar = bar
    autosave = Autosave(window, directory)
    window.autosave = autosave
    return autosave, bar
