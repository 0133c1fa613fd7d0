"""What the window's launches share (gui.app's and gui.run_cli's renders): the
QApplication with its translation, and the "output not written" exit.

Imports no Qt until :func:`application` is called.
"""

from __future__ import annotations

import os
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


def application(offscreen: bool, lang: str | None = None):
    """The QApplication, with the translation for ``lang`` ("en", "zh"; None: the
    system's) installed."""
    import gui.support.matplotlib_setup  # noqa: F401  (before any matplotlib import: see there)

    if offscreen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        os.environ["QT_SCALE_FACTOR"] = "1"
        os.environ["QT_ENABLE_HIGHDPI_SCALING"] = "0"
    from PySide6.QtCore import QCoreApplication
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
    return app
