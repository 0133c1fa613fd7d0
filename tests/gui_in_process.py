"""``python main.py --screenshot / --export / --export-steps / --run …`` (the window's
command line) run inside the test process, for the tests that check what it writes,
prints and exits with, not how its process behaves.

A new interpreter costs each call Qt, matplotlib and torch imports and a new PyTorch
worker (5 s or more here); in the test process they are there once. The call goes
through tests/headless.py's :func:`~tests.headless.run_main`, as its ``--headless``
calls do (the same ``sys.argv``, working folder, UTF-8 stdout and stderr, ``SystemExit``
as the exit status). The window's renders create their QApplication through
``gui.startup.application``, which reuses pytest-qt's; what it changes on it (names,
icon, the offscreen environment variables, the GUI-thread collector) is put back after
the call, and the windows the call left open are closed and deleted, as its process
exit would have.

The process contract (a screenshot written by a real process, exit statuses seen by a
parent, ``--help``, ``--version``, ``--startup-time``, ``--headless`` dispatch, a
script's ``--run`` from a real process) stays with the ``spawned`` tests in
tests/gui/test_app_cli.py, test_run_cli.py and test_run_cli_session.py.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

from tests.headless import run_main

ROOT = Path(__file__).resolve().parents[1]
MAIN = ROOT / "main.py"
#: what gui.startup.application sets for an offscreen render
_ENVIRONMENT = ("QT_QPA_PLATFORM", "QT_SCALE_FACTOR", "QT_ENABLE_HIGHDPI_SCALING")


@contextlib.contextmanager
def _application_restored():
    """The QApplication's names, icon and environment as before; windows opened meanwhile
    closed and deleted; automatic garbage collection back on."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    names = (QCoreApplication.organizationName(), QCoreApplication.applicationName(),
             QGuiApplication.applicationDisplayName(), QGuiApplication.desktopFileName())
    icon = app.windowIcon()
    environment = {name: os.environ.get(name) for name in _ENVIRONMENT}
    before = {id(widget) for widget in QApplication.topLevelWidgets()}
    try:
        yield app
    finally:
        opened = [widget for widget in QApplication.topLevelWidgets()
                  if id(widget) not in before]
        for widget in opened:
            widget.close()
        for _ in range(3):  # what closing queued runs while its widgets still exist
            app.processEvents()
        for widget in opened:
            widget.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.setOrganizationName(names[0])
        QCoreApplication.setApplicationName(names[1])
        QGuiApplication.setApplicationDisplayName(names[2])
        QGuiApplication.setDesktopFileName(names[3])
        app.setWindowIcon(icon)
        for name, value in environment.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        from gui.support import gc_timer

        gc_timer.uninstall()


def window_cli(*args: str, cwd: Path | str = ROOT) -> subprocess.CompletedProcess:
    """``main.py ARGS`` (a window render) run here; returns what ``subprocess.run(...,
    capture_output=True, text=True)`` would (args, returncode, stdout, stderr)."""
    return run_main(list(args), cwd=cwd, around=_application_restored)


def spawned(*args: str, cwd: Path | str = ROOT,
            timeout: float = 300) -> subprocess.CompletedProcess:
    """``main.py ARGS`` in a new interpreter, offscreen (for the process contract)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, str(MAIN), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)
