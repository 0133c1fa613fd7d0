"""Crash safety: the current session is autosaved, so a killed process loses nothing.

Every change (an applied program, a value or role edit, a step, text typed in the
editor) rewrites ``recovery-<pid>.json`` atomically (``QSaveFile``) in the app's data
folder; a window that shows only the untouched lesson writes nothing, so a start that is
killed at once leaves nothing behind. A clean exit deletes it. The next interactive
start looks for files left by processes that are no longer running and offers each of
them, newest first, in bars above the graph (never a modal dialog).

A left-behind file is deleted only once its work is restored (after this window has
saved it under its own name), or explicitly discarded: never because another one is
newer, and never by a start that is itself killed before anyone clicks. Restore uses
this window while it holds no work of its own; a second restore opens a second window,
so restoring one never overwrites another. Copies of the same work get one bar, and a
clean exit (a window closed, the application quit) removes every file of this process.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from core.io.session import MAX_FILE_BYTES, Session, load_session
from core.language.parser import ExpressionError
from core.language.reading import read_bytes
from gui.panels.base import Panel
from gui.state.session_save import write_atomically

PREFIX = "recovery-"
#: typing in the editor is saved after this pause; everything else at once
TYPING_DELAY_MS = 300
#: a script's recording is written beside the recovery file, once per run (a CNN's is
#: megabytes: not rewritten at every step), and named in its settings by this key
BESIDE = "recording_beside"


#: the folder under the user's data folder (the application's folder by its old name,
#: kept when the application name became ``backprop-stepper``)
DATA_FOLDER = ("BackpropStepper", "Backprop Stepper")


def recovery_dir() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    return Path(base).joinpath(*DATA_FOLDER) if base else Path.home() / ".backprop-stepper"


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
    #: the autosaves still writing (discard_all ends them at a clean exit)
    running: set[Autosave] = set()

    def __init__(self, window, directory: Path | None = None):
        super().__init__(window)
        self.window = window
        self.directory = directory or recovery_dir()
        self.path = _own_path(self.directory)
        Autosave.claimed.add(self.path)
        Autosave.running.add(self)
        self.written = False
        self.closed = False  # a clean exit: nothing is written any more
        self._pristine = self._is_lesson()
        self._typing = QTimer(self, singleShot=True, interval=TYPING_DELAY_MS)
        self._typing.timeout.connect(self.save)
        self.beside = self.path.with_name(self.path.name + ".recording")
        self._beside_text: str | None = None  # the recording written beside
        self._retry = QTimer(self, singleShot=True, interval=500)  # a recording being made
        self._retry.timeout.connect(self.save)
        model = window.model
        model.traceReplaced.connect(self.save)
        model.stepChanged.connect(self.save)
        model.undo_stack.indexChanged.connect(self.save)
        window.editor_panel.editor.textChanged.connect(self._typing.start)
        self.save()

    def _is_lesson(self) -> bool:
        """The untouched lesson of a fresh start: no work to lose."""
        from core.io.examples import LESSON_TEXT, lesson_bindings

        model = self.window.model
        return (model.program.text == LESSON_TEXT
                and self.window.editor_panel.editor.toPlainText() == LESSON_TEXT
                and model.undo_stack.isClean() and not model.undo_stack.count()
                and model.session().to_dict()["variables"]
                == Session(LESSON_TEXT, lesson_bindings()).to_dict()["variables"])

    def save(self) -> bool:
        """Write the session now; True once it is on disk."""
        if self.closed:  # after a clean exit a late signal must not leave a file behind
            return False
        if self._pristine and not self.written:
            if self._is_lesson():
                return False
            self._pristine = False
        session = self.window.model.session(getattr(self.window, "title", "") or "")
        draft = self.window.editor_panel.editor.toPlainText()
        if draft != session.text:
            session.settings["draft"] = draft  # typed but not applied yet: keep it too
        runs = getattr(self.window.model, "run", None)
        recording = runs.saved_json() if runs is not None else None
        if runs is not None and runs.saving:
            self._retry.start()
        if self._write_beside(recording):  # a script's run: restored as File → Open shows it
            session.settings[BESIDE] = self.beside.name
        return self.write(session)

    def _write_beside(self, recording: str | None) -> bool:
        """The script's recording (JSON text, made once per run) beside the recovery file,
        written when it changed; True when it is there."""
        if recording is self._beside_text:
            return recording is not None
        self._beside_text = None
        if recording is None:
            self.beside.unlink(missing_ok=True)
            return False
        if self._write_file(self.beside, recording):
            self._beside_text = recording
        return self._beside_text is not None

    def _write_file(self, path: Path, text: str) -> bool:
        """``text`` in ``path`` in the recovery folder, whole or not at all."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError:
            return False
        return write_atomically(path, text.encode("utf-8")) is None

    def write(self, session: Session) -> bool:
        """Put ``session`` in this window's recovery file (atomically); True when done."""
        if self.closed:
            return False
        self._pristine = False
        if self._write_file(self.path, session.to_json()):
            self.written = True
        return self.written

    def discard(self) -> None:
        """A clean exit (the work was saved, or its closing confirmed): nothing to recover."""
        self.closed = True
        try:
            self._typing.stop()
        except RuntimeError:  # its window is gone already (Qt deleted the timer with it)
            pass
        self.path.unlink(missing_ok=True)
        self.beside.unlink(missing_ok=True)
        Autosave.claimed.discard(self.path)
        Autosave.running.discard(self)


def discard_all() -> None:
    """The application quits cleanly: every window's recovery file goes (a restored
    session's second window too), so the next start offers nothing (issue 24)."""
    for autosave in list(Autosave.running):
        autosave.discard()


class RecoveryBar(Panel, QFrame):
    """'Your last session ended unexpectedly. Restore it?' with Restore / Discard.

    ``path`` is the newest file of the session; ``copies`` the older files holding the
    very same work (one bar for them all: restoring or discarding it ends every copy)."""

    def __init__(self, window, path: Path, copies: tuple[Path, ...] = ()):
        super().__init__(window)
        self.setObjectName("recoveryBar")
        self.window = window
        self.path = path
        self.copies = tuple(copies)
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
        _read_beside(self.path, session)
        target = self.window if _holds_no_work(self.window) else _new_window(self.window)
        if session.settings.get("recording") is None or not _open_script(target, session):
            target.load_program(Program(session.text, dict(session.bindings),
                                        tuple(session.draws)), session.position, session.title)
        target.holds_restored_work = True  # a second restore goes to a window of its own
        draft = session.settings.get("draft")
        if isinstance(draft, str):
            target.editor_panel.editor.setPlainText(draft)
        autosave = getattr(target, "autosave", None)
        session.settings.pop("recording", None)  # the target's autosave writes it beside
        if autosave is not None and autosave.write(session):  # the work is safe twice over
            self._forget()
        self.hide()
        return True

    def discard(self) -> None:
        self._forget()
        self.hide()

    def _forget(self) -> None:
        for path in (self.path, *self.copies):
            path.unlink(missing_ok=True)
            path.with_name(path.name + ".recording").unlink(missing_ok=True)


def _read_beside(path: Path, session: Session) -> None:
    """A script's recording written beside the recovery file, into ``session``'s settings
    (read as a session is: bounded; a bad one is left out, the text opens)."""
    name = session.settings.pop(BESIDE, None)
    if name != path.name + ".recording":
        return
    try:
        data = json.loads(read_bytes(path.with_name(name), MAX_FILE_BYTES))
    except (ExpressionError, OSError, ValueError):
        return
    session.settings["recording"] = data


def _open_script(window, session: Session) -> bool:
    """A script's session with its recording: shown as File → Open shows it (nothing
    runs); False when the recording cannot be read (its text opens instead)."""
    from gui.window import run_documents

    try:
        return run_documents.open_session(window, session)
    except ExpressionError:
        return False


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
    # the UI language's locale (gui.support.i18n), never the bare C locale's "6 12 2026"
    locale = QLocale()
    if locale.language() == QLocale.Language.C:
        locale = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    when = locale.toString(stamp, QLocale.FormatType.ShortFormat)
    return f"{when} · {session.title or first}"


def _work_of(path: Path) -> str | None:
    """What a recovery file holds, to find copies of one session (None: unreadable)."""
    try:
        data = load_session(path).to_dict()
    except ExpressionError:
        return None
    data.pop("position", None)
    settings = data.get("settings") or {}
    return repr((data.get("text"), data.get("variables"), data.get("draws"),
                 settings.get("draft")))


def _sessions(orphans: list[Path]) -> list[tuple[Path, tuple[Path, ...]]]:
    """The orphaned files by session, newest first: (newest file, older copies)."""
    groups: dict[str, list[Path]] = {}
    order: list[tuple[Path, list[Path]]] = []
    for path in orphans:
        key = _work_of(path)
        if key is None or key not in groups:
            copies: list[Path] = []
            if key is not None:
                groups[key] = copies
            order.append((path, copies))
        else:
            groups[key].append(path)
    return [(path, tuple(copies)) for path, copies in order]


def _holds_no_work(window) -> bool:
    """Nothing of this run's own is in the window yet (the lesson, or the last session
    reopened as it was): a restore may take the window's place instead of a second one."""
    if getattr(window, "holds_restored_work", False) or window.is_dirty():
        return False
    return window.editor_panel.editor.toPlainText() == window.model.program.text


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
    for position, (path, copies) in enumerate(_sessions(orphans)[:MAX_OFFERED]):
        bar = RecoveryBar(window, path, copies)
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
