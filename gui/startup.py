"""What the window's launches share (gui.app's and gui.run_cli's renders): the
QApplication with its translation, and the "output not written" exit.

Imports no Qt until :func:`application` is called.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

WINDOW_SIZE = (1400, 900)
#: the application's id: desktop file name, X11 window class, application name
APP_ID = "backprop-stepper"


def not_written(target: str, detail: str | None = None) -> int:
    """Exit 3, "output not written", with one line (as the headless command line)."""
    from core.base.output import not_written as exit_not_written

    return exit_not_written(f"{target}: {detail}" if detail else target)


def folder_missing(target: str) -> bool:
    parent = Path(target).parent
    return not parent.is_dir()


def quick_feature_check() -> None:
    """PySide6 reads the source of every module imported after it (through
    ``inspect.getsource``) to find the ones that use PySide6, for its opt-in
    ``from __feature__ import …``: ~45 ms of the window's start-up for our ~150 modules
    (issue 19). The same test, "PySide6" in the module's source file, read directly;
    modules without a .py file are asked the usual way."""
    feature = sys.modules.get("shibokensupport.feature")
    usual = getattr(feature, "_mod_uses_pyside", None)
    if usual is None or getattr(usual, "quick", False):
        return

    def uses_pyside(module) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return usual(module)
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return usual(module)

    uses_pyside.quick = True
    feature._mod_uses_pyside = uses_pyside


def application(offscreen: bool, lang: str | None = None):
    """The QApplication, with the translation for ``lang`` ("en", "zh"; None: the
    system's) installed."""
    from gui.support import platform_check

    problem = platform_check.finish()  # main.py's check, before Qt could abort
    if problem:
        print(problem, file=sys.stderr)
        raise SystemExit(1)
    import gui.support.matplotlib_setup  # noqa: F401  (before any matplotlib import: see there)

    if offscreen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        os.environ["QT_SCALE_FACTOR"] = "1"
        os.environ["QT_ENABLE_HIGHDPI_SCALING"] = "0"
    from PySide6.QtCore import QCoreApplication

    quick_feature_check()
    from PySide6.QtGui import QGuiApplication, QIcon
    from PySide6.QtWidgets import QApplication

    from gui.support.resources import resource

    # argv[0] is the X11 window's instance name (WM_CLASS): the app's, not "main.py"
    app = QApplication.instance() or QApplication([APP_ID])
    QCoreApplication.setOrganizationName("BackpropStepper")
    # WM_CLASS's class, the desktop file (packaging/linux), and the name in window lists
    QCoreApplication.setApplicationName(APP_ID)
    QGuiApplication.setApplicationDisplayName("Backprop Stepper")
    QGuiApplication.setDesktopFileName(APP_ID)
    app.setWindowIcon(QIcon(str(resource("icons", "app.svg"))))
    from gui.support import i18n

    # the app's and Qt's own translations, the CJK font list for Chinese (gui.support.i18n)
    i18n.apply_language(lang or i18n.SYSTEM)
    from gui.support import gc_timer

    gc_timer.install()  # cyclic garbage collected on this thread only (see there)
    return app
