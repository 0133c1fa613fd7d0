"""One PyTorch worker process per application, shared by every window.

Requests carry an id; a panel keeps only the answer to its latest request. The worker
gets one request at a time. A request with a ``key`` (one per panel) supersedes the
earlier ones with that key: those not sent yet are dropped, and one the worker has been
busy with for more than :data:`SUPERSEDE_AFTER_MS` is cancelled by restarting the
worker, so a one-line program applied after a 50,000-node one is checked at once, not
after it. If the worker cannot start or dies, every waiting request gets a ``failure``
answer, and the next request starts a fresh worker.
"""

from __future__ import annotations

import atexit
import json
import os
import sys
import time
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, Signal
from PySide6.QtWidgets import QApplication

from core.io.worker import NO_TORCH_ENV, REQUESTS
from gui.support.resources import root

#: a superseded check this long under way is cancelled (restarting the worker costs
#: about a second: quicker checks are left to finish)
SUPERSEDE_AFTER_MS = 1000


@dataclass
class _Request:
    id: int
    line: bytes
    key: object = None
    started: float = field(default=0.0)


def torch_blocked() -> bool:
    """torch deliberately made unimportable here (``sys.modules['torch'] = None``) or by env."""
    return bool(os.environ.get(NO_TORCH_ENV)) or ("torch" in sys.modules
                                                  and sys.modules["torch"] is None)


def worker_command() -> tuple[str, list[str]]:
    if getattr(sys, "frozen", False):
        return sys.executable, ["--torch-worker"]
    return sys.executable, [str(root() / "main.py"), "--torch-worker"]


class TorchService(QObject):
    #: request id, answer dict (the kind's answer field, or "failure")
    reportReady = Signal(int, object)

    _instance: TorchService | None = None

    @classmethod
    def instance(cls) -> TorchService:
        if cls._instance is None:
            cls._instance = TorchService()
            app = QApplication.instance()
            if app is not None:
                app.aboutToQuit.connect(cls._instance.stop)
            atexit.register(cls._instance.stop)
        return cls._instance

    def __init__(self, parent=None):
        super().__init__(parent)
        self._process: QProcess | None = None
        self._blocked = False
        self._buffer = b""
        self._next_id = 0
        self._pending: set[int] = set()
        self._queue: list[_Request] = []  # not sent yet, in order
        self._running: _Request | None = None  # the one the worker is busy with
        #: how many workers were stopped to cancel a superseded check (for tests)
        self.cancelled = 0

    def ask(self, kind: str, payload: dict, key: object = None) -> int:
        """Send a request of ``kind`` (core.io.worker.REQUESTS: "check", "train",
        "forward") with ``payload``; the answer carries the kind's answer field.

        A later request with the same ``key`` supersedes this one (by default the kind's
        own key: a newer forward request drops the older one)."""
        spec = REQUESTS[kind]
        return self._send({spec.field: payload}, spec.key if key is None else key)

    def _send(self, payload: dict, key: object = None) -> int:
        request_id = self._send_later(payload, key)
        self._pump()
        return request_id

    def _send_later(self, payload: dict, key: object = None) -> int:
        """Queue a request (at the end) without sending it yet."""
        self._next_id += 1
        request_id = self._next_id
        blocked = torch_blocked()
        if self._process is not None and blocked != self._blocked:
            self.stop()
        line = json.dumps({"id": request_id, **payload}, ensure_ascii=False)
        if key is not None:
            self._supersede(key)
        self._pending.add(request_id)
        self._queue.append(_Request(request_id, (line + "\n").encode("utf-8"), key))
        return request_id

    def _supersede(self, key: object) -> None:
        for old in [r for r in self._queue if r.key == key]:
            self._queue.remove(old)
            self._pending.discard(old.id)
        running = self._running
        if running is not None and running.key == key and self._process is not None \
                and (time.monotonic() - running.started) * 1000 > SUPERSEDE_AFTER_MS:
            self._pending.discard(running.id)
            self._running = None
            self.cancelled += 1
            self._kill()

    def _kill(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        try:
            process.kill()
            process.waitForFinished(1000)
        except RuntimeError:
            pass

    def _pump(self) -> None:
        """Send the next request once the worker is free."""
        if self._running is not None or not self._queue:
            return
        if self._process is None:
            self._start(torch_blocked())
        request = self._queue.pop(0)
        request.started = time.monotonic()
        self._running = request
        self._process.write(request.line)

    def _start(self, blocked: bool) -> None:
        process = QProcess(self)
        env = QProcessEnvironment.systemEnvironment()
        if blocked:
            env.insert(NO_TORCH_ENV, "1")
        else:
            env.remove(NO_TORCH_ENV)
        process.setProcessEnvironment(env)
        process.setWorkingDirectory(str(root()))
        process.readyReadStandardOutput.connect(self._read)
        process.finished.connect(self._finished)
        process.errorOccurred.connect(self._error)
        program, args = worker_command()
        self._process, self._blocked, self._buffer = process, blocked, b""
        process.start(program, args)

    def _read(self) -> None:
        process = self.sender()
        if process is not self._process:
            return
        self._buffer += bytes(process.readAllStandardOutput())
        while b"\n" in self._buffer:
            line, self._buffer = self._buffer.split(b"\n", 1)
            try:
                answer = json.loads(line)
            except ValueError:
                continue
            request_id = answer.get("id")
            if self._running is not None and self._running.id == request_id:
                self._running = None
            if request_id in self._pending:
                self._pending.discard(request_id)
                self.reportReady.emit(request_id, answer)
        self._pump()

    def _fail_pending(self, message: str) -> None:
        pending, self._pending = sorted(self._pending), set()
        self._queue, self._running = [], None
        for request_id in pending:
            self.reportReady.emit(request_id, {"id": request_id, "failure": message})

    def _error(self, error) -> None:
        process = self.sender()
        if process is not self._process:
            return
        if error == QProcess.ProcessError.FailedToStart:
            self._process = None
            self._fail_pending(self.tr("the PyTorch worker could not start: {0}").format(
                process.errorString()))

    def _finished(self, code: int, status) -> None:
        process = self.sender()
        if process is not self._process:
            return
        detail = bytes(process.readAllStandardError()).decode("utf-8", "replace").strip()
        self._process = None
        message = self.tr("the PyTorch worker stopped (exit code {0})").format(code)
        if detail:
            message += ": " + detail.splitlines()[-1]
        self._fail_pending(message)

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        try:
            process.closeWriteChannel()
            if not process.waitForFinished(1000):
                process.kill()
                process.waitForFinished(1000)
        except RuntimeError:  # the C++ object is already gone at interpreter exit
            pass
        self._pending.clear()
        self._queue, self._running = [], None
