"""The app's side of the warm zygote (core/record/zygote.py): start it, ask it for runs.

One zygote per app process, for ``sys.executable`` only, started in the background at the
first run that could use it (that run, and any before it is ready, take the old
``subprocess`` path). A dedicated thread starts it and waits for its end, so its
``PR_SET_PDEATHSIG`` (tied to the starting thread) fires only when the app goes.
``BPS_NO_ZYGOTE=1`` turns it off. Standard library only; no Qt.
"""

from __future__ import annotations

import json
import os
import pathlib
import select
import socket
import subprocess
import sys
import threading
import time

from core.record.zygote import PLACEHOLDER, PROGRESS_FD, TOKEN_ENV

ZYGOTE = pathlib.Path(__file__).with_name("zygote.py")
READY_TIMEOUT_S = 120.0
REPLY_TIMEOUT_S = 10.0
_lock = threading.Lock()
_current: Zygote | None = None


def enabled() -> bool:
    return os.environ.get("BPS_NO_ZYGOTE", "") in ("", "0")


def zygote_command() -> list[str]:
    if getattr(sys, "frozen", False):
        return [sys.executable, "--record-zygote"]
    return [sys.executable, str(ZYGOTE)]


class Zygote:
    """One zygote process and its control socket."""

    def __init__(self):
        self.ready = threading.Event()
        self.dead = threading.Event()
        self.pid: int | None = None
        self._sock, self._child_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._keeper = threading.Thread(target=self._keep, name="record-zygote", daemon=True)
        self._keeper.start()

    def _keep(self) -> None:
        env = dict(os.environ, **{TOKEN_ENV: PLACEHOLDER})
        try:
            process = subprocess.Popen(zygote_command(), stdin=self._child_end,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                       env=env, start_new_session=True)  # no Ctrl-C
        except OSError:
            self.dead.set()
            self._sock.close()
            return
        finally:
            self._child_end.close()
        self._process = process
        self.pid = process.pid
        try:
            if not self.dead.is_set() and select.select([self._sock], [], [],
                                                        READY_TIMEOUT_S)[0]:
                if self._sock.recv(16) == b"ready":
                    self.ready.set()
        except (OSError, ValueError):   # killed (its socket closed) while starting
            pass
        if not self.ready.is_set():
            process.kill()
        process.wait()
        self.dead.set()
        with _lock:                     # never while a spawn is using it
            self._sock.close()

    def usable(self) -> bool:
        return self.ready.is_set() and not self.dead.is_set()

    def spawn(self, argv, cwd, env, fds) -> int:
        """Fork a run; its pid. fds: stdout, stderr, progress, status (write ends)."""
        request = json.dumps({"argv": [str(a) for a in argv], "cwd": str(cwd),
                              "env": env}).encode()
        try:
            socket.send_fds(self._sock, [request], list(fds))
            if not select.select([self._sock], [], [], REPLY_TIMEOUT_S)[0]:
                raise OSError("the zygote did not answer")
            reply = json.loads(self._sock.recv(4096) or b"{}")
            return int(reply["pid"])
        except (OSError, ValueError, KeyError, TypeError):
            self.kill()
            raise OSError("the zygote failed") from None

    def kill(self) -> None:
        self.dead.set()
        try:
            self._process.kill()
        except (AttributeError, OSError):
            pass
        self._sock.close()


def current(start: bool = True) -> Zygote | None:
    """The live zygote (starting one if there is none and ``start``)."""
    global _current
    if (_current is None or _current.dead.is_set()) and start:
        _current = Zygote()
    return _current


def warm_up(wait: float = 0.0) -> bool:
    """Start the zygote if needed; whether it is ready (waiting up to ``wait`` s)."""
    with _lock:
        zygote = current()
    return zygote.ready.wait(wait) and not zygote.dead.is_set()


def spawn(argv, cwd, env, stdout_fd, stderr_fd, progress_fd,
          start: bool = True) -> ZygoteChild | None:
    """A run forked by the zygote, or None (the caller takes the old path); ``start``:
    start a zygote (for the next runs) if none runs."""
    with _lock:
        zygote = current(start)
        if zygote is None or not zygote.usable():
            return None
        status_read, status_write = os.pipe()
        env = dict(env, BPS_PROGRESS_FD=str(PROGRESS_FD))
        try:
            pid = zygote.spawn(argv, cwd, env, (stdout_fd, stderr_fd, progress_fd,
                                                status_write))
        except OSError:
            os.close(status_read)
            return None
        finally:
            os.close(status_write)
        return ZygoteChild(pid, status_read, zygote.pid)


def _forget_in_child() -> None:
    global _current, _lock
    _current, _lock = None, threading.Lock()


os.register_at_fork(after_in_child=_forget_in_child)


class ZygoteChild:
    """A Popen-like view of a forked run: pid, poll(), wait(), returncode (negative:
    the signal that ended it, as subprocess gives it)."""

    def __init__(self, pid: int, status_fd: int, zygote_pid: int | None):
        self.pid = pid
        self.parent_pid = zygote_pid
        self.returncode: int | None = None
        self._status_fd: int | None = status_fd
        self._orphan = False             # the zygote went first: G is our child now

    @property
    def wait_fd(self) -> int | None:
        """Readable when poll() has news (None: poll on a timer)."""
        return self._status_fd

    def poll(self) -> int | None:
        if self.returncode is None:
            if self._status_fd is not None:
                self._read_status()
            if self._orphan:
                self._poll_orphan()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """The exit status; ``subprocess.TimeoutExpired`` after ``timeout`` s, as Popen."""
        end = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            left = 0.1 if end is None else min(0.1, end - time.monotonic())
            if left <= 0:
                raise subprocess.TimeoutExpired(f"pid {self.pid}", timeout)
            if self._status_fd is not None:
                select.select([self._status_fd], [], [], left)
            else:
                threading.Event().wait(min(left, 0.02))
        return self.returncode

    def _read_status(self) -> None:
        """The wait status from the zygote, if it has written it (never blocks)."""
        if not select.select([self._status_fd], [], [], 0)[0]:
            return
        data = os.read(self._status_fd, 4)
        while data and len(data) < 4:
            more = os.read(self._status_fd, 4 - len(data))
            if not more:
                break
            data += more
        os.close(self._status_fd)
        self._status_fd = None
        if len(data) == 4:
            self.returncode = os.waitstatus_to_exitcode(int.from_bytes(data, "little"))
        else:
            self._orphan = True

    def _poll_orphan(self) -> None:
        try:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:       # not ours (no subreaper): gone when /proc says so
            if not os.path.exists(f"/proc/{self.pid}"):
                self.returncode = -9
            return
        if pid:
            self.returncode = os.waitstatus_to_exitcode(status)
