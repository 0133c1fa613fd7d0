"""One PyTorch worker process per application, shared by every window.

Requests carry an id; a panel keeps only the answer to its latest request. If the
worker cannot start or dies, every waiting request gets a ``failure`` answer, and the
next request starts a fresh worker.
"""

from __future__ import annotations

import atexit
import json
import os
import sys

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, Signal
from PySide6.QtWidgets import QApplication

from gui.resources import root
from gui.torch_worker import NO_TORCH_ENV


def torch_blocked() -> bool:
    """torch deliberately made unimportable here (``sys.modules['torch'] = None``) or by env."""
    return bool(os.environ.get(NO_TORCH_ENV)) or ("torch" in sys.modules
                                                  and sys.modules["torch"] is None)


def worker_command() -> tuple[str, list[str]]:
    if getattr(sys, "frozen", False):
        return sys.executable, ["--torch-worker"]
    return sys.executable, [str(root() / "main.py"), "--torch-worker"]


class TorchService(QObject):
    reportReady = Signal(int, object)  # request id, answer dict ("report" or "failure")

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

    def request(self, session_data: dict) -> int:
        return self._send({"session": session_data})

    def request_training(self, training: dict) -> int:
        """Check iterations against torch.optim.SGD: ``{"session", "learning_rate",
        "iterations", "forget_zero_grad"}``; the answer carries ``"training"``."""
        return self._send({"train": training})

    def _send(self, payload: dict) -> int:
        self._next_id += 1
        request_id = self._next_id
        blocked = torch_blocked()
        if self._process is not None and blocked != self._blocked:
            self.stop()
        if self._process is None:
            self._start(blocked)
        self._pending.add(request_id)
        line = json.dumps({"id": request_id, **payload}, ensure_ascii=False)
        self._process.write((line + "\n").encode("utf-8"))
        return request_id

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
            if request_id in self._pending:
                self._pending.discard(request_id)
                self.reportReady.emit(request_id, answer)

    def _fail_pending(self, message: str) -> None:
        pending, self._pending = sorted(self._pending), set()
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
