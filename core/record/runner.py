"""Run a learner's script in a child process, within limits enforced from the parent.

The child is ``PYTHON core/record/bootstrap.py --out DIR [--keep …] FILE`` in its own
session (``start_new_session``), with the script's folder as cwd, stdin from /dev/null
and a pipe for progress events (``BPS_PROGRESS_FD``): forked by the warm zygote when it
runs (``zygote_client``: no second torch import), else a fresh interpreter. One monitor
thread per run polls the child's whole process tree every ~100 ms (wall clock, summed RSS,
Stop); two reader threads stream stdout (to ``on_stdout``) and progress events (to
``on_progress``), and a third keeps stderr. Everything the parent keeps is bounded (see
``streams``), so its memory stays small whatever the child prints. Stdlib + numpy; no Qt.
"""

from __future__ import annotations

import itertools
import json
import os
import pathlib
import re
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from core.record import proctree, zygote_client
from core.record.streams import BoundedLines, pump, pump_progress

BOOTSTRAP = pathlib.Path(__file__).with_name("bootstrap.py")
POLL_S = 0.1
#: pass and group events a run keeps (a summary each: loss, nodes, gradient norms)
MAX_STREAMED = 200_000
#: summary.json larger than this is not read for its exit (the bootstrap writes far less)
SUMMARY_MAX_BYTES = 64 * 1024 * 1024
TOKEN_ENV = "BPS_RUN_TOKEN"


def half_the_memory_mb() -> int:
    """Half of this machine's physical memory, in MB (the default memory limit)."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return 4096
    return int(total // 2 // (1024 * 1024))


@dataclass
class RunLimits:
    """What a run may use before the parent ends it."""

    timeout_s: float = 600.0
    memory_mb: int = field(default_factory=half_the_memory_mb)
    output_bytes: int = 10 * 1024 * 1024
    line_chars: int = 10_000


@dataclass
class RunResult:
    """How a run ended, and what it printed (within the output limits)."""

    status: str
    error: dict | None
    returncode: int | None
    stdout_lines: list[str]
    stdout_text: str
    output_dropped: dict
    stderr_lines: list[str]
    record_dir: pathlib.Path
    elapsed_s: float
    peak_mb: float
    #: the bootstrap's "pass" and "group" events, as streamed: what a run that ended
    #: before its summary.json (Stop, a limit, a crash) still knows of its passes
    streamed: list[dict] = field(default_factory=list)


def child_command(python: str | None, bootstrap: pathlib.Path, out: pathlib.Path,
                  keep_passes, script: pathlib.Path) -> list[str]:
    """The child's argv: the bootstrap under ``python``, or the frozen bundle itself."""
    args = ["--out", str(out)]
    if keep_passes:
        args += ["--keep", ",".join(str(int(k)) for k in keep_passes)]
    args.append(str(script))
    if python is None and getattr(sys, "frozen", False):
        return [sys.executable, "--record-child", *args]
    return [python or sys.executable, str(bootstrap), *args]


class ScriptRun:
    """One run of a script; ``start`` returns at once, ``wait`` gives the result.

    Thread-safe: ``stop``, ``is_running`` and ``wait`` may be called from any thread.
    Callbacks are called from the runner's reader threads. The record directory
    (``workdir`` or a new temporary folder) belongs to the caller afterwards.
    """

    def __init__(self, path, *, python: str | None = None, limits: RunLimits | None = None,
                 keep_passes=(), on_stdout: Callable[[str], None] | None = None,
                 on_progress: Callable[[dict], None] | None = None, workdir=None,
                 bootstrap: pathlib.Path | None = None, start_zygote: bool = True):
        self.path = pathlib.Path(path).resolve()
        self.python = python
        self.limits = limits if limits is not None else RunLimits()
        self.keep_passes = tuple(keep_passes)
        self.on_stdout = on_stdout
        self.on_progress = on_progress
        self.workdir = workdir
        self.bootstrap = pathlib.Path(bootstrap) if bootstrap is not None else BOOTSTRAP
        #: start the warm zygote if none runs (False: use one only if it already runs)
        self.start_zygote = start_zygote
        self.via_zygote = False  # the child was forked by the warm zygote (_start_child)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._done = threading.Event()
        self._result: RunResult | None = None
        self._monitor: threading.Thread | None = None
        self._pidfd: int | None = None
        self.callback_errors: list[BaseException] = []
        self._streamed: list[dict] = []

    # -- the public surface ------------------------------------------------------------
    def start(self) -> None:
        with self._lock:
            if self._monitor is not None:
                raise RuntimeError("this run was already started")
            self.record_dir = self._make_record_dir()
            self._stdout = BoundedLines(self.limits.output_bytes, self.limits.line_chars)
            self._stderr = BoundedLines(self.limits.output_bytes, self.limits.line_chars)
            proctree.become_subreaper()
            self._started = time.monotonic()
            self._wake_read, self._wake_write = os.pipe()
            os.set_blocking(self._wake_write, False)
            try:
                self._spawn()
            except BaseException:
                os.close(self._wake_read)
                os.close(self._wake_write)
                raise
            self._monitor = threading.Thread(target=self._watch, name="script-run-monitor",
                                             daemon=True)
            self._monitor.start()

    def stop(self) -> None:
        """Ask the run to end; the monitor ends the whole tree within 1 s."""
        self._stop.set()
        with self._lock:                 # never write to a closed (maybe reused) fd
            if self._monitor is not None and not self._done.is_set():
                try:
                    os.write(self._wake_write, b"x")
                except OSError:
                    pass

    def is_running(self) -> bool:
        return self._monitor is not None and not self._done.is_set()

    def wait(self, timeout: float | None = None) -> RunResult | None:
        """The result once the run ended, or None if ``timeout`` passed first."""
        if self._monitor is None:
            raise RuntimeError("the run was not started")
        if not self._done.wait(timeout):
            return None
        return self._result

    # -- the child -----------------------------------------------------------------------
    def _make_record_dir(self) -> pathlib.Path:
        if self.workdir is None:
            return pathlib.Path(tempfile.mkdtemp(prefix="bps-run-"))
        folder = pathlib.Path(self.workdir)
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def _spawn(self) -> None:
        self._token = uuid.uuid4().hex
        progress_read, progress_write = os.pipe()
        env = dict(os.environ, MPLBACKEND="Agg", PYTHONUNBUFFERED="1",
                   PYTHONIOENCODING="utf-8", BPS_PROGRESS_FD=str(progress_write))
        env[TOKEN_ENV] = self._token
        command = child_command(self.python, self.bootstrap, self.record_dir,
                                self.keep_passes, self.path)
        try:
            self._process, out_fd, err_fd = self._start_child(command, env, progress_write)
        finally:
            os.close(progress_write)
        proctree.set_address_backstop(self._process.pid, self.limits.memory_mb)
        try:
            self._pidfd = os.pidfd_open(self._process.pid)
        except (AttributeError, OSError):
            self._pidfd = None          # then the child's end is seen at the next poll
        self._tree = proctree.Tree(self._process.pid, f"{TOKEN_ENV}={self._token}".encode(),
                                   parent=getattr(self._process, "parent_pid", None))
        self._readers = [
            threading.Thread(target=pump, args=(out_fd, self._stdout, self._emit_stdout,
                                                self._callback_failed), daemon=True),
            threading.Thread(target=pump, args=(err_fd, self._stderr, None, None),
                             daemon=True),
            threading.Thread(target=pump_progress, args=(progress_read, self._emit_progress,
                                                         self._callback_failed), daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    def _start_child(self, command, env, progress_write):
        """(process, stdout fd, stderr fd): forked by the warm zygote when it can, else
        a fresh interpreter through subprocess (the first run, another python)."""
        self.via_zygote = False
        if zygote_client.enabled() and self.python in (None, sys.executable):
            out_read, out_write = os.pipe()
            err_read, err_write = os.pipe()
            try:
                child = zygote_client.spawn(command, self.path.parent, env, out_write,
                                            err_write, progress_write,
                                            start=self.start_zygote)
            finally:
                os.close(out_write)
                os.close(err_write)
            if child is not None:
                self.via_zygote = True
                return child, out_read, err_read
            os.close(out_read)
            os.close(err_read)
        process = subprocess.Popen(
            command, cwd=self.path.parent, env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, pass_fds=(progress_write,),
            start_new_session=True, bufsize=0)
        out_fd = os.dup(process.stdout.fileno())
        err_fd = os.dup(process.stderr.fileno())
        process.stdout.close()
        process.stderr.close()
        return process, out_fd, err_fd

    def _emit_stdout(self, line: str) -> None:
        if self.on_stdout is not None:
            self.on_stdout(line)

    def _emit_progress(self, event: dict) -> None:
        if event.get("event") in ("pass", "group") and len(self._streamed) < MAX_STREAMED:
            self._streamed.append(event)
        if self.on_progress is not None:
            self.on_progress(event)

    def _callback_failed(self, exc: BaseException) -> None:
        self.callback_errors.append(exc)

    # -- the monitor ---------------------------------------------------------------------
    def _watch(self) -> None:
        """Poll until the child ends or a limit/Stop ends it; then build the result."""
        peak = 0
        reason = None
        limit_bytes = self.limits.memory_mb * 1024 * 1024
        try:
            while self._process.poll() is None:
                table = proctree.scan()
                rss = self._tree.rss(table)
                peak = max(peak, rss)
                self._tree.reap(table)
                if self._stop.is_set():
                    reason = "stopped"
                elif rss > limit_bytes:
                    reason = "memory"
                elif time.monotonic() - self._started > self.limits.timeout_s:
                    reason = "time"
                if reason:
                    break
                self._sleep()
            self._tree.kill()      # a limit, Stop, or descendants left behind by the script
            returncode = self._process.wait()
            elapsed = time.monotonic() - self._started
            for reader in self._readers:
                reader.join(timeout=2.0)
            self._tree.reap()
            self._result = self._build_result(reason, returncode, elapsed, peak)
        except BaseException as exc:   # never leave wait() hanging
            self._result = self._failed_result(exc)
            raise
        finally:
            with self._lock:
                for fd in (self._wake_read, self._wake_write, self._pidfd):
                    if fd is not None:
                        os.close(fd)
                self._done.set()

    def _sleep(self) -> None:
        """Wait one poll, waking at once when the child ends or Stop is asked."""
        ended = getattr(self._process, "wait_fd", None)   # the zygote's status pipe
        ended = self._pidfd if ended is None else ended
        watched = [self._wake_read] + ([ended] if ended is not None else [])
        select.select(watched, [], [], POLL_S)

    def _build_result(self, reason, returncode, elapsed, peak) -> RunResult:
        status, error = classify_exit(reason, returncode, self.limits,
                                      self.record_dir / "summary.json",
                                      self._stderr.lines(), self.path)
        out = self._stdout
        text = out.text()
        return RunResult(
            status=status, error=error, returncode=returncode,
            stdout_lines=out.lines(text), stdout_text=text,
            output_dropped={"lines": out.dropped_lines, "bytes": out.dropped_bytes},
            stderr_lines=self._stderr.lines(), record_dir=self.record_dir,
            elapsed_s=elapsed, peak_mb=peak / (1024 * 1024), streamed=self._streamed)

    def _failed_result(self, exc: BaseException) -> RunResult:
        return RunResult("raised", {"type": "RunnerError", "message": str(exc), "line": None},
                         None, [], "", {"lines": 0, "bytes": 0}, [],
                         getattr(self, "record_dir", pathlib.Path()),
                         time.monotonic() - getattr(self, "_started", time.monotonic()), 0.0)


_run_script_calls = itertools.count()


def run_script(path, **kwargs) -> RunResult:
    """Run a script to its end (or its limits) and return the result: for the CLI. The
    first call in a process starts no zygote (a one-shot CLI would pay torch twice)."""
    kwargs.setdefault("start_zygote", next(_run_script_calls) > 0)
    run = ScriptRun(path, **kwargs)
    run.start()
    return run.wait()


# -- how it ended -------------------------------------------------------------------------
def classify_exit(reason, returncode, limits: RunLimits, summary: pathlib.Path,
                  stderr_lines: list[str], script: pathlib.Path):
    """(status, error) from the parent's own reason, the bootstrap's summary, the code."""
    if reason == "stopped":
        return "stopped", None
    if reason == "time":
        return "raised", _error("TimeLimit", f"stopped after {limits.timeout_s:g} s")
    if reason == "memory":
        return "raised", _error("MemoryLimit",
                                f"the script used more than {limits.memory_mb} MB")
    from_summary = _summary_exit(summary)
    if from_summary is not None:
        return from_summary
    if returncode == 0:
        return "ok", None
    raised = _traceback_error(stderr_lines, script)
    if returncode is not None and returncode < 0:
        number = -returncode
        if not (number == signal.SIGINT and raised and raised["type"] == "KeyboardInterrupt"):
            return "raised", _error("Signal",
                                    f"the script's process ended with signal {number}")
    if raised is not None:
        return "raised", raised
    return "raised", _error("SystemExit", f"the script's process exited with status "
                                          f"{returncode}")


def _error(kind: str, message: str, line=None) -> dict:
    return {"type": kind, "message": message, "line": line}


def _summary_exit(path: pathlib.Path):
    """The bootstrap's own account of the exit, when it wrote a well-formed one."""
    try:
        if path.stat().st_size > SUMMARY_MAX_BYTES:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    info = data.get("exit") if isinstance(data, dict) else None
    if not isinstance(info, dict) or info.get("status") not in ("ok", "raised"):
        return None
    error = info.get("error")
    if info["status"] == "ok":
        return "ok", None
    if not isinstance(error, dict):
        return "raised", _error("Exception", "the script raised")
    line = error.get("line")
    return "raised", _error(str(error.get("type", "Exception")),
                            str(error.get("message", "")),
                            line if isinstance(line, int) else None)


_EXCEPTION_LINE = re.compile(r"^([A-Za-z_][\w.]*)(?::\s?(.*))?$")
_FRAME_LINE = re.compile(r'^\s*File "(.*)", line (\d+)')


def _traceback_error(stderr_lines: list[str], script: pathlib.Path) -> dict | None:
    """The exception Python printed last on stderr (type, message, the script's line)."""
    starts = [i for i, line in enumerate(stderr_lines)
              if line.startswith("Traceback (most recent call last):")]
    if not starts:
        return None
    block = stderr_lines[starts[-1]:]
    line_number = None
    for text in block:
        frame = _FRAME_LINE.match(text)
        if frame and pathlib.Path(frame.group(1)) == script:
            line_number = int(frame.group(2))
    for text in reversed(block):
        match = _EXCEPTION_LINE.match(text)
        if match and not text.startswith((" ", "\t")):
            kind = match.group(1).rsplit(".", 1)[-1]
            return _error(kind, match.group(2) or "", line_number)
    return None
