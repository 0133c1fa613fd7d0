"""Crash safety with a real process and a real kill: the next start offers the work back."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt

from gui.window.recovery import install, orphaned_files
from tests.gui.polling import wait_for

ROOT = Path(__file__).resolve().parents[2]
TEXT = "loss = (w * 3 - 1) ** 2"


def _wait_for(predicate, timeout: float = 90.0):
    return wait_for(predicate, timeout)


def _killed_session(tmp_path: Path) -> Path:
    """Start the real app, let it autosave the program, kill -9 it; return its file."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    process = subprocess.Popen([sys.executable, "main.py", "--expr", TEXT, "--param", "w=2"],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        def saved():
            for path in (tmp_path / "data").rglob(f"recovery-{process.pid}.json"):
                try:
                    if json.loads(path.read_text())["text"] == TEXT:
                        return path
                except (OSError, ValueError, KeyError):
                    pass
            return None

        path = _wait_for(saved)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    assert path.exists(), "a killed process cannot clean up its recovery file"
    return path


def test_killed_session_is_offered_and_restored(tmp_path, window, qtbot):
    left_behind = _killed_session(tmp_path)
    assert orphaned_files(left_behind.parent) == [left_behind]

    autosave, bar = install(window, left_behind.parent)
    assert bar is not None and bar.isVisibleTo(window)
    assert window.editor_panel.editor.toPlainText() != TEXT  # nothing restored by itself
    qtbot.mouseClick(bar.restore_button, Qt.MouseButton.LeftButton)
    assert window.model.program.text == TEXT
    assert window.editor_panel.editor.toPlainText() == TEXT
    assert float(window.model.program.bindings["w"].value) == 2.0
    assert not left_behind.exists() and bar.isHidden()
    # this window now autosaves under its own name, and a clean exit removes it
    assert json.loads(autosave.path.read_text())["text"] == TEXT
    autosave.discard()
    assert not autosave.path.exists()


def test_typing_is_autosaved_and_a_live_process_file_is_not_offered(tmp_path, window, qtbot):
    autosave, bar = install(window, tmp_path)
    assert bar is None
    assert not autosave.path.exists()  # the untouched lesson: no work to keep yet
    window.editor_panel.editor.setPlainText("y = w * 5")
    qtbot.waitUntil(lambda: autosave.path.exists() and json.loads(
        autosave.path.read_text()).get("settings", {}).get("draft") == "y = w * 5")
    assert orphaned_files(tmp_path) == []  # our own process is alive
    autosave.discard()


def test_discard_forgets_the_killed_session(tmp_path, window, qtbot):
    left_behind = _killed_session(tmp_path)
    _, bar = install(window, left_behind.parent)
    qtbot.mouseClick(bar.discard_button, Qt.MouseButton.LeftButton)
    assert not left_behind.exists()
    assert window.model.program.text != TEXT
