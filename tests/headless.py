"""``python main.py --headless ARGS`` run inside the test process, for the tests that check
what the command line prints and its exit status, not how its process behaves.

A new interpreter costs each call about 1.7 s of CPU when the run checks against torch
(importing torch); in the test process torch is imported once. The call goes through
``main.main`` with ``sys.argv``, the working folder, stdout and stderr as the process would
have them: stdout and stderr are UTF-8 text streams (as under this machine's C.UTF-8 locale),
and a ``SystemExit`` (argparse's exit 2, ``--help``) becomes the exit status.

The process contract itself (flushing, a closed or full stdout, ``--no-torch`` never
importing torch, Ctrl+C, memory caps, ASCII terminals) stays with tests that spawn
``main.py``: tests/core/test_faults.py, test_memory.py, test_cli.py's import test,
test_bad_input_corpus.py's process cases and the ``spawned`` runs below.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAIN = ROOT / "main.py"


def _exit_status(code) -> tuple[int, str]:
    """SystemExit's code as the interpreter turns it into a status (and stderr text)."""
    if code is None:
        return 0, ""
    if isinstance(code, int):
        return code, ""
    return 1, f"{code}\n"


def in_process(*args: str, cwd: Path | str = ROOT,
               text: bool = True) -> subprocess.CompletedProcess:
    """``main.py --headless ARGS`` run here; returns what ``subprocess.run(...,
    capture_output=True, text=text)`` would (args, returncode, stdout, stderr)."""
    return run_main(["--headless", *args], cwd=cwd, text=text)


def run_main(argv: list[str], cwd: Path | str = ROOT, text: bool = True,
             around=contextlib.nullcontext) -> subprocess.CompletedProcess:
    """``main.main(argv)`` with the process's ``sys.argv``, working folder and UTF-8
    stdout and stderr, inside the context ``around()`` (tests/gui_in_process.py puts the
    QApplication back there); a ``SystemExit`` becomes the exit status."""
    import main as app  # noqa: PLC0415 - main.py at the repository's root

    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
    saved_argv = sys.argv
    sys.argv = [str(MAIN), *argv]
    try:
        with around(), contextlib.chdir(cwd), contextlib.redirect_stdout(out), \
                contextlib.redirect_stderr(err):
            try:
                status = app.main(argv) or 0
            except SystemExit as exc:
                status, said = _exit_status(exc.code)
                err.write(said)
    finally:
        sys.argv = saved_argv
    out.flush()
    err.flush()
    stdout, stderr = out.buffer.getvalue(), err.buffer.getvalue()
    if text:
        stdout, stderr = stdout.decode(), stderr.decode()
    return subprocess.CompletedProcess([sys.executable, str(MAIN), *argv], status,
                                       stdout, stderr)


def spawned(*args: str, cwd: Path | str = ROOT, timeout: float = 120,
            text: bool = True) -> subprocess.CompletedProcess:
    """``main.py --headless ARGS`` in a new interpreter (for the process contract)."""
    return subprocess.run([sys.executable, str(MAIN), "--headless", *args],
                          capture_output=True, text=text, timeout=timeout, cwd=cwd,
                          stdin=subprocess.DEVNULL)
