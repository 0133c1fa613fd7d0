"""A session written in a worker thread (File → Save of a script's session builds its
recording: 7.4 MB and seconds for the CNN lesson, which froze the window).

The session is taken on the GUI thread; the worker makes the recording (a function the
run gave, gui.state.run_passes), the JSON, and writes the file atomically (QSaveFile: the
old file stays whole until the new one is committed). The window (:func:`begin`,
:func:`end`) waits for it in a local event loop that paints, ticks timers and delivers
queued signals but holds user input until the save ends, so nothing the learner does can
change or close the document half-way; a second save waits for the first; a quit (the
loop told to exit) waits for the write, at most ``QUIT_WAIT_S``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, QSaveFile, Qt, Signal

from core.io.session import Session

#: at most this long, the wait for a save still writing when the application quits
QUIT_WAIT_S = 60.0

#: how long the GUI thread waits for a save's worker to return once the save is done
THREAD_END_S = 5.0


class SessionSave(QObject):
    """One save: ``error`` (None: written) and ``recording_error`` (the recording could
    not be made: the text was saved without it) once ``done`` is set."""

    finished = Signal()

    def __init__(self, path: Path, session: Session,
                 make_recording: Callable[[], dict | None] | None) -> None:
        super().__init__()
        self.path, self.session, self.make_recording = path, session, make_recording
        self.error: str | None = None
        self.recording_error: Exception | None = None
        self.bug: BaseException | None = None
        self.done = threading.Event()
        #: the undo stack's index when the session was taken (the window's), and whether
        #: the window has said how the save ended
        self.clean_at = -1
        self.told = False

    def start(self) -> None:
        self.thread = threading.Thread(target=self._run, name="save-session", daemon=True)
        self.thread.start()

    def _run(self) -> None:  # the worker
        try:
            self._attach_recording()
            self.error = write_atomically(self.path, self.session.to_json().encode("utf-8"))
        except Exception as error:  # noqa: BLE001 - raised again on the GUI thread
            self.bug = error
        finally:
            self.done.set()
            self.finished.emit()

    def _attach_recording(self) -> None:
        if self.make_recording is None:
            return
        try:
            saved = self.make_recording()
        except (OSError, ValueError) as error:  # the record folder went away: text only
            self.recording_error = error
            return
        if saved is not None:
            self.session.settings = dict(self.session.settings, recording=saved)


def write_atomically(path: Path, data: bytes) -> str | None:
    """``data`` in ``path``, whole or not at all; the system's reason when not."""
    file = QSaveFile(str(path))
    if not file.open(QSaveFile.OpenModeFlag.WriteOnly) or file.write(data) != len(data) \
            or not file.commit():
        file.cancelWriting()
        return file.errorString()
    return None


def wait(job: SessionSave | None, timeout_s: float | None = None) -> None:
    """Until ``job`` has ended (events still delivered, user input held), or at most
    ``timeout_s`` once the loop was told to exit (the application quits)."""
    if job is None or job.done.is_set():
        return
    loop = QEventLoop()
    job.finished.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
    if not job.done.is_set():  # it may have ended before the connection
        loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    job.done.wait(QUIT_WAIT_S if timeout_s is None else timeout_s)


def begin(path: Path, session: Session, make_recording: Callable[[], dict | None] | None,
          before: SessionSave | None = None) -> SessionSave:
    """Start writing ``session`` (with the recording ``make_recording`` makes) in a
    worker; ``before``, a save still running, ends first (saves never interleave)."""
    wait(before)
    job = SessionSave(path, session, make_recording)
    job.start()
    return job


def end(job: SessionSave) -> SessionSave:
    """``job`` ended (see :func:`wait`); a bug in it raised here, on the GUI thread."""
    wait(job)
    if not job.done.is_set():
        job.error = "it was still being written when the application quit"
    else:  # its worker emits ``finished`` after ``done``: a quit right after this
        job.thread.join(THREAD_END_S)  # (interpreter exit) met it mid-emit: a crash
    if job.bug is not None:
        raise job.bug  # as loud as it would be on the GUI thread
    return job
