"""An error nobody caught while the window runs (gui/window/unexpected.py): the message
bar names it and where, the log keeps its traceback, and the window goes on."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt, QTimer

from gui.window import unexpected

pytestmark = pytest.mark.qt_no_exception_capture  # (pytest-qt's own hook stays out)


def _failing_slot():
    return {}["missing"]  # a KeyError raised in a slot the event loop calls


@pytest.fixture
def hooked(window, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back after the test
    unexpected.install(window, tmp_path)
    return window, tmp_path / unexpected.LOG_NAME


def _raise_in_event_loop(qtbot, window) -> None:
    QTimer.singleShot(0, window, _failing_slot)
    qtbot.waitUntil(lambda: window.message_bar.isVisible(), timeout=5000)


def test_the_message_bar_says_what_failed_and_where(hooked, qtbot, capsys):
    window, log = hooked
    _raise_in_event_loop(qtbot, window)
    said = window.message_bar.text()
    line = _failing_slot.__code__.co_firstlineno + 1
    assert said == (f"Something went wrong: KeyError: 'missing' (in "
                    f"tests/gui/test_unexpected.py, line {line}). Your work is autosaved; "
                    f"the details are in {log}.")
    assert "KeyError: 'missing'" in capsys.readouterr().err  # printed as before
    text = log.read_text(encoding="utf-8")
    assert text.startswith("--- ") and "Traceback (most recent call last)" in text
    assert "_failing_slot" in text


def test_the_window_goes_on(hooked, qtbot):
    window, _ = hooked
    _raise_in_event_loop(qtbot, window)
    before = window.model.position
    qtbot.keyClick(window.canvas, Qt.Key.Key_Right)
    assert window.model.position == before + 1


def test_the_same_error_again_is_said_and_logged_once(hooked, qtbot):
    window, log = hooked
    _raise_in_event_loop(qtbot, window)
    window.message_bar.hide()
    QTimer.singleShot(0, window, _failing_slot)
    qtbot.wait(50)
    assert not window.message_bar.isVisible()
    assert log.read_text(encoding="utf-8").count("--- ") == 1


def test_the_log_stays_bounded(hooked, qtbot):
    window, log = hooked
    log.write_text("old line\n" * (unexpected.LOG_LIMIT // 9 + 100), encoding="utf-8")
    _raise_in_event_loop(qtbot, window)
    text = log.read_text(encoding="utf-8")
    assert len(text.encode()) < unexpected.LOG_LIMIT
    assert text.startswith("old line\n") and "KeyError" in text


def test_an_unwritable_log_still_says_the_error(window, qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    blocked = tmp_path / "a file"
    blocked.write_text("", encoding="utf-8")
    unexpected.install(window, blocked)  # its folder is a file: nothing can be written
    _raise_in_event_loop(qtbot, window)
    assert window.message_bar.text().endswith(". Your work is autosaved.")


def test_each_window_says_its_errors_once_installed_for_both(hooked, qtbot):
    """A restored session opens a second window: the hook is installed once, and an
    error is said in the window the learner is in (the first one closed, too)."""
    from tests.gui.conftest import shown_window

    first, log = hooked
    second = shown_window(qtbot)
    assert unexpected.install(second) is sys.excepthook  # (not a second hook)
    _raise_in_event_loop(qtbot, second)
    assert not first.message_bar.isVisible()
    first.close()  # (hidden: a closed window stays until the app quits)
    second.message_bar.hide()
    QTimer.singleShot(0, second, lambda: [][1])
    qtbot.waitUntil(second.message_bar.isVisible, timeout=5000)
    assert "IndexError" in second.message_bar.text()
    assert log.read_text(encoding="utf-8").count("--- ") == 2  # each error logged once


def test_a_file_name_that_is_not_utf8_is_said_and_logged(hooked, qtbot):
    window, log = hooked

    def unreadable():  # (a name read from the disk, surrogate-escaped, in a message)
        raise RuntimeError("cannot read /tmp/caf\udce9.json")

    QTimer.singleShot(0, window, unreadable)
    qtbot.waitUntil(window.message_bar.isVisible, timeout=5000)
    assert "RuntimeError: cannot read /tmp/caf" in window.message_bar.text()
    assert "the details are in" in window.message_bar.text()
    assert "caf\\udce9" in log.read_text(encoding="utf-8")  # written escaped


#: the app as a learner starts it (gui.app.main), a slot that raises, then what it says
STARTED_APP = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from gui import app

def fail():
    raise ValueError("a slot failed")

def read():
    window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow")
    print("SAID:", window.message_bar.text())
    QApplication.quit()

def soon():
    QTimer.singleShot(300, fail)
    QTimer.singleShot(900, read)

QTimer.singleShot(0, soon)
sys.exit(app.main([]))
"""


def test_the_app_as_started_says_an_uncaught_error(tmp_path):
    import os
    import subprocess

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data")}
    done = subprocess.run([sys.executable, "-c", STARTED_APP], cwd=unexpected.ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    said = [line for line in done.stdout.splitlines() if line.startswith("SAID:")]
    assert said, done.stdout + done.stderr[-2000:]
    # (raised in this script's own code: no frame of the app's files to name)
    assert said[0].startswith("SAID: Something went wrong: ValueError: a slot failed. Your "
                              "work is autosaved; the details are in ")
    logs = list((tmp_path / "data").rglob(unexpected.LOG_NAME))
    assert len(logs) == 1 and "a slot failed" in logs[0].read_text(encoding="utf-8")
