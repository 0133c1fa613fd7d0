"""An error nobody caught while the window runs: said in its message bar, and logged.

PySide hands an exception raised in a slot or an event handler to ``sys.excepthook``,
which prints it and goes on. Started from a desktop launcher there is no terminal to
print to: a click then did nothing, silently. The hook installed here prints as before,
appends the traceback to ``errors.log`` in the app's data folder (kept under
``LOG_LIMIT``), and the window's message bar names what failed and where. The window
goes on; the autosave (recovery.py) has kept the learner's work.
"""

from __future__ import annotations

import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from gui.window.recovery import recovery_dir

translate = QCoreApplication.translate

ROOT = Path(__file__).resolve().parent.parent.parent
LOG_NAME = "errors.log"
# the log keeps its newest half when it grows past this many bytes
LOG_LIMIT = 256 * 1024


def install(window, folder: Path | None = None) -> Callable:
    """``sys.excepthook`` for the app's windows (the hook before it still runs first);
    once a process: every window's errors are said in the window the learner is in."""
    if getattr(sys.excepthook, "window_hook", False):
        return sys.excepthook
    previous = sys.excepthook
    log = (folder or recovery_dir()) / LOG_NAME
    last = [None]  # the last error said: one raised at every paint is said once

    def hook(kind, error, tb) -> None:
        try:
            previous(kind, error, tb)
        except Exception:  # noqa: BLE001 - the hook must not raise in turn
            traceback.print_exc()
        if issubclass(kind, (KeyboardInterrupt, SystemExit)):
            return
        try:
            text = "".join(traceback.format_exception(kind, error, tb))
            if text == last[0]:
                return
            last[0] = text
            written = _append(log, text)
            shown = _window_now(window)
            if shown is not None:
                shown.message_bar.show_message(message(error, tb, log if written else None))
        except Exception:  # noqa: BLE001
            traceback.print_exc()

    hook.window_hook = True
    sys.excepthook = hook
    return hook


def _window_now(first):
    """The window the learner is in: the active one, else one on screen (a restored
    session's, after the first was closed), else none."""
    active = QApplication.activeWindow()
    if active is not None and hasattr(active, "message_bar"):
        return active
    shown = [w for w in QApplication.topLevelWidgets()
             if hasattr(w, "message_bar") and w.isVisible()]
    if first in shown:
        return first
    return shown[-1] if shown else None


def where(tb) -> str | None:
    """The innermost frame in the app's own files, as "gui/x.py, line 12"."""
    found = None
    for frame in traceback.extract_tb(tb):
        path = Path(frame.filename)
        if path.is_absolute() and ROOT in path.parents and ".venv" not in path.parts:
            found = f"{path.relative_to(ROOT).as_posix()}, line {frame.lineno}"
        elif not path.is_absolute() and path.parts[:1] in (("gui",), ("core",)):
            found = f"{path.as_posix()}, line {frame.lineno}"  # (a frozen bundle)
    return found


def message(error: BaseException, tb, log: Path | None) -> str:
    """The message bar's sentence: what failed, where, and what was kept."""
    what = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    place = where(tb)
    if place is not None:
        what = translate("MainWindow", "{0} (in {1})").format(what, place)
    if log is None:
        return translate("MainWindow", "Something went wrong: {0}. Your work is autosaved.") \
            .format(what)
    return translate("MainWindow", "Something went wrong: {0}. Your work is autosaved; the "
                                   "details are in {1}.").format(what, log)


def _append(log: Path, text: str) -> bool:
    """``text`` at the end of ``log`` with the time; False when it cannot be written."""
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        if log.exists() and log.stat().st_size > LOG_LIMIT:
            kept = log.read_bytes()[-LOG_LIMIT // 2:]
            log.write_bytes(kept[kept.find(b"\n") + 1:])  # from a whole line
        # (a file name that is not UTF-8 reaches the text as surrogates: written escaped)
        with log.open("a", encoding="utf-8", errors="backslashreplace") as out:
            out.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')}\n{text}")
        return True
    except (OSError, ValueError):
        return False
