"""Window tests: real widgets, real keys, no settings of the person running them."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QStandardPaths  # noqa: E402


@pytest.fixture(autouse=True)
def _test_paths():
    """QSettings and friends go to a test location, never the user's."""
    QStandardPaths.setTestModeEnabled(True)
    yield


@pytest.fixture(autouse=True)
def _automatic_gc_afterwards():
    """A window collects garbage on the GUI thread only (gui.support.gc_timer); the
    tests after it, which run no event loop, get Python's automatic collection back."""
    yield
    from gui.support import gc_timer

    gc_timer.uninstall()


@pytest.fixture(autouse=True)
def _english_afterwards():
    """A test that switches to Chinese leaves the next one in English (the language is
    a setting, kept across windows)."""
    yield
    from gui.support import i18n

    i18n.apply_language("en")


def shown_window(qtbot):
    """A main window, shown and active, as a learner would see it (a test that needs a
    second window, as a reopened session does, calls this)."""
    from gui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    return win


@pytest.fixture
def window(qtbot):
    """The main window, shown and active, as a learner would see it."""
    return shown_window(qtbot)


@pytest.fixture
def canvas(qtbot):
    """A graph canvas on its own, shown at 1200×700 (a module may define its own)."""
    from gui.graph_canvas import GraphCanvas

    widget = GraphCanvas()
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget
