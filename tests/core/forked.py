"""``python ARGS`` forked from the test process's warm zygote (core/record/zygote.py), for
the tests that compare a script's prints or read what it wrote, not how an interpreter
starts.

A fresh interpreter imports torch again: about 3–5 s of CPU a run on this 2-core machine.
The zygote's fork is what the app's Run uses after its first run: a new process in its own
session with the asked argv, cwd and environment, stdin from /dev/null, fresh seeds and
python's exit status. That it prints exactly what a fresh ``python FILE`` prints is checked
by test_lessons_recorded.py's ``test_a_zygote_fork_prints_what_a_fresh_python_prints``; the
tests of the process itself (exit codes of a real interpreter, imports, signals, memory
caps) keep ``subprocess``.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from core.record import zygote_client


def python_code(code: str, *args: str | Path, cwd: Path | str, text: bool = True,
                timeout: float = 300.0) -> subprocess.CompletedProcess:
    """``python -c CODE ARGS`` as the fork runs it: the code from a file of its own (a
    fresh temporary folder, so it shadows no module of ``cwd``)."""
    with tempfile.TemporaryDirectory(prefix="forked-") as folder:
        script = Path(folder) / "code.py"
        script.write_text(code, encoding="utf-8")
        done = python(script, *args, cwd=cwd, timeout=timeout)
    if text:
        done.stdout, done.stderr = done.stdout.decode(), done.stderr.decode()
    return done


def python(*args: str | Path, cwd: Path | str, env: dict | None = None,
           timeout: float = 300.0) -> subprocess.CompletedProcess:
    """What ``subprocess.run([sys.executable, *args], cwd=cwd, env=env,
    stdin=DEVNULL, capture_output=True, timeout=timeout)`` returns (bytes)."""
    assert zygote_client.warm_up(wait=120.0), "the zygote did not start"
    argv = [sys.executable, *(str(a) for a in args)]
    out_read, out_write = os.pipe()
    err_read, err_write = os.pipe()
    progress = os.open(os.devnull, os.O_WRONLY)
    try:
        child = zygote_client.spawn(argv, cwd, dict(os.environ if env is None else env),
                                    out_write, err_write, progress)
    finally:
        for fd in (out_write, err_write, progress):
            os.close(fd)
    if child is None:
        os.close(out_read)
        os.close(err_read)
        raise AssertionError("the warm zygote could not fork the run")
    try:
        stdout, stderr = _read_both(out_read, err_read, time.monotonic() + timeout)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        raise subprocess.TimeoutExpired(argv, timeout) from None
    finally:
        os.close(out_read)
        os.close(err_read)
    return subprocess.CompletedProcess(argv, child.wait(), stdout, stderr)


def _read_both(out_fd: int, err_fd: int, deadline: float) -> tuple[bytes, bytes]:
    """Both pipes to their end (EOF), as ``communicate`` reads them."""
    chunks: dict[int, list[bytes]] = {out_fd: [], err_fd: []}
    open_fds = [out_fd, err_fd]
    while open_fds:
        left = deadline - time.monotonic()
        if left <= 0:
            raise subprocess.TimeoutExpired("python", 0)
        for fd in select.select(open_fds, [], [], left)[0]:
            data = os.read(fd, 1 << 16)
            if data:
                chunks[fd].append(data)
            else:
                open_fds.remove(fd)
    return b"".join(chunks[out_fd]), b"".join(chunks[err_fd])
