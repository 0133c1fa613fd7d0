"""Issue 13: recovery never deletes another instance's work (real processes, real kill -9).

- A is killed; B starts (the recovery bar shows A's work) and is killed before anyone
  clicks: the next start still offers A's work.
- Two instances killed at the same time: both are offered, neither is deleted unasked.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt

from gui.window.recovery import Autosave, install, orphaned_files
from tests.gui.polling import wait_for

ROOT = Path(__file__).resolve().parents[2]
TEXT_A = "loss = (w * 3 - 1) ** 2"
TEXT_B = "loss = (w * 5 + 2) ** 2"


def _env(tmp_path: Path) -> dict:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_DATA_HOME=str(tmp_path / "data"),
                XDG_CONFIG_HOME=str(tmp_path / "config"))


def _start(tmp_path: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "main.py", *args], cwd=ROOT, env=_env(tmp_path),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_for(predicate, timeout: float = 120.0):
    return wait_for(predicate, timeout)


def _saved(tmp_path: Path, pid: int, text: str):
    def check():
        for path in (tmp_path / "data").rglob(f"recovery-{pid}.json"):
            try:
                if json.loads(path.read_text())["text"] == text:
                    return path
            except (OSError, ValueError, KeyError):
                pass
        return None

    return check


def _kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def _children(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []


def _texts(paths) -> set[str]:
    return {json.loads(p.read_text())["text"] for p in paths}


def test_a_start_killed_before_anyone_clicks_keeps_the_earlier_work(tmp_path, window, qtbot):
    a = _start(tmp_path, "--expr", TEXT_A, "--param", "w=2")
    try:
        file_a = _wait_for(_saved(tmp_path, a.pid, TEXT_A))
    finally:
        _kill(a)
    # B: a plain start on the lesson; it offers A's work, and is killed before a click
    b = _start(tmp_path)
    try:
        # B's window is on screen (it offered A, then showed) once it starts its torch worker
        _wait_for(lambda: _children(b.pid))
    finally:
        _kill(b)
    assert file_a.exists(), "B must not delete A's work"
    orphans = orphaned_files(file_a.parent)
    assert file_a in orphans
    assert all(json.loads(p.read_text())["text"] == TEXT_A for p in orphans), \
        "B showed only the untouched lesson: it leaves no file behind"
    # the next start offers A's work, and restoring it gives it back
    autosave, bar = install(window, file_a.parent)
    assert bar is not None and bar.path == file_a
    qtbot.mouseClick(bar.restore_button, Qt.MouseButton.LeftButton)
    assert window.model.program.text == TEXT_A
    assert not file_a.exists()
    assert json.loads(autosave.path.read_text())["text"] == TEXT_A
    autosave.discard()


def test_two_instances_killed_together_are_both_offered(tmp_path, window, qtbot):
    a = _start(tmp_path, "--expr", TEXT_A, "--param", "w=2")
    b = _start(tmp_path, "--expr", TEXT_B, "--param", "w=1")
    try:
        file_a = _wait_for(_saved(tmp_path, a.pid, TEXT_A))
        file_b = _wait_for(_saved(tmp_path, b.pid, TEXT_B))
    finally:
        _kill(a)
        _kill(b)
    directory = file_a.parent
    assert set(orphaned_files(directory)) == {file_a, file_b}

    autosave, bar = install(window, directory)
    bars = window.recovery_bars
    assert len(bars) == 2 and all(b.isVisibleTo(window) for b in bars)
    assert file_a.exists() and file_b.exists()  # offering deletes nothing
    assert all(b.detail.text() for b in bars)  # when, and which program, to tell them apart

    first, second = bars
    qtbot.mouseClick(first.restore_button, Qt.MouseButton.LeftButton)
    assert not first.path.exists() and second.path.exists()
    qtbot.mouseClick(second.restore_button, Qt.MouseButton.LeftButton)
    others = window.extra_windows  # closed (and so deleted) below
    assert len(others) == 1  # the second restore opened a window: nothing overwritten
    assert {window.model.program.text, others[0].model.program.text} == {TEXT_A, TEXT_B}
    assert not file_a.exists() and not file_b.exists()
    # both are safe in this process's own recovery files until a clean exit
    own = [autosave.path, others[0].autosave.path]
    assert len(set(own)) == 2 and _texts(own) == {TEXT_A, TEXT_B}
    assert all(path in Autosave.claimed for path in own)
    path = others[0].autosave.path
    others[0].close()
    qtbot.waitUntil(lambda: not path.exists())
    autosave.discard()


def test_discarding_one_keeps_the_other(tmp_path, window, qtbot):
    a = _start(tmp_path, "--expr", TEXT_A, "--param", "w=2")
    b = _start(tmp_path, "--expr", TEXT_B, "--param", "w=1")
    try:
        file_a = _wait_for(_saved(tmp_path, a.pid, TEXT_A))
        file_b = _wait_for(_saved(tmp_path, b.pid, TEXT_B))
    finally:
        _kill(a)
        _kill(b)
    autosave, _ = install(window, file_a.parent)
    by_path = {bar.path: bar for bar in window.recovery_bars}
    qtbot.mouseClick(by_path[file_b].discard_button, Qt.MouseButton.LeftButton)
    assert not file_b.exists() and file_a.exists()
    autosave.discard()
    assert orphaned_files(file_a.parent) == [file_a]  # still offered next time
