"""File → Save writes in a worker thread (gui.state.session_save): a script's session
builds its recording there (seconds for the CNN lesson, which froze the window). The
window keeps painting and ticking its timers meanwhile, saves never interleave, a close
during a save waits for it, and the file is the one the synchronous save wrote.

Real windows, one real run of a script (a child process with real torch).
"""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QSaveFile, QTimer

from core.io.session import load_session
from gui.window import run_window
from tests.gui.conftest import shown_window

RUN_MS = 90_000

SCRIPT = """\
import torch
torch.manual_seed(0)
w = torch.randn(120, 120, requires_grad=True)
x = torch.randn(120)
for epoch in range(3):
    loss = (w @ x).pow(2).sum()
    print(f"epoch {epoch} loss {loss.item():.4f}")
    loss.backward()
    with torch.no_grad():
        w -= 0.001 * w.grad
        w.grad.zero_()
"""


def _ticking(interval_ms: int = 1):
    """A timer of the GUI thread, and its ticks: none while the GUI thread is busy."""
    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(interval_ms)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    return timer, ticks


def _recording(path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))["settings"]["recording"]


def test_saving_a_recorded_session_keeps_the_window_responsive(window, qtbot, tmp_path):
    script = tmp_path / "train.py"
    script.write_text(SCRIPT, encoding="utf-8")
    assert window.open_file(script)
    with qtbot.waitSignal(window.runFinished, timeout=RUN_MS):
        assert run_window.start(window)
    runs = window.model.run
    assert runs.result.status == "ok" and runs.count == 3
    expected = json.loads(json.dumps(runs.saved()))  # what the save on the GUI thread wrote
    target = tmp_path / "session.json"
    timer, ticks = _ticking()
    saving: list[str] = []
    timer.timeout.connect(lambda: saving.append(window.statusBar().currentMessage()))
    try:
        assert window.save_to(target)
    finally:
        timer.stop()
    assert ticks, "the GUI thread did nothing else while the session was saved"
    assert "Saving session.json…" in saving
    assert window.statusBar().currentMessage() == "Saved session.json"
    assert not window.is_dirty() and window.path == target
    assert _recording(target) == expected

    again = shown_window(qtbot)  # the saved file reopens as the run it came from
    assert again.open_file(target)
    assert again.model.run.count == runs.count
    assert json.loads(json.dumps(again.model.run.saved())) == expected
    assert load_session(target).text == SCRIPT

    # a Save asked for while a save is written waits for it; a close waits too
    second = tmp_path / "second.json"
    done: list[bool] = []

    def meanwhile() -> None:
        if not done:
            done.append(True)
            done.append(window.save_to(second))
            window.close()

    timer, _ = _ticking()
    timer.timeout.connect(meanwhile)
    try:
        assert window.save_to(target)
    finally:
        timer.stop()
    assert done == [True, True]
    assert _recording(target) == expected and _recording(second) == expected
    # the later Save is the window's document: the first one's end does not take it back
    assert window.path == second and window.save_job is None


def test_a_save_that_fails_in_its_worker_is_never_counted_as_saved(window, tmp_path,
                                                                   monkeypatch):
    """A bug in the worker (not a write error) is raised on the GUI thread, and the
    save stays failed: a close afterwards did count it as saved (the path taken, the
    document clean, "Saved" in the status bar, and the question about changes skipped)."""
    from core.io.session import Session

    def broken(self):
        raise RuntimeError("a bug in to_json")

    window.model.undo_stack.resetClean()  # changes not saved yet
    assert window.is_dirty()
    monkeypatch.setattr(Session, "to_json", broken)
    target = tmp_path / "session.json"
    with pytest.raises(RuntimeError, match="a bug in to_json"):
        window.save_to(target)
    assert window.statusBar().currentMessage() == ""  # not "Saving session.json…"
    monkeypatch.undo()
    window.close()
    assert window.path is None and not target.exists() and window.is_dirty()
    assert window.statusBar().currentMessage() != "Saved session.json"


def test_a_save_that_cannot_be_written_says_why(window, tmp_path):
    target = tmp_path / "no such folder" / "session.json"
    probe = QSaveFile(str(target))  # the reason the system gives, as the save on the GUI
    assert not probe.open(QSaveFile.OpenModeFlag.WriteOnly)  # thread said it
    window.model.set_program(window.model.program, 1)
    assert not window.save_to(target)
    assert window.message_bar.text() == f"Could not save session.json: {probe.errorString()}"
    assert not target.exists() and window.path is None


def test_a_program_session_saved_in_the_worker_opens_again(window, qtbot, tmp_path):
    target = tmp_path / "lesson.json"
    window.model.goto(4)
    assert window.save_to(target)
    again = shown_window(qtbot)
    assert again.open_file(target)
    assert again.model.program.text == window.model.program.text
    assert again.model.position == 4


QUIT_DURING_SAVE = """\
import sys
import numpy as np
from pathlib import Path
from PySide6.QtCore import QTimer
from gui.startup import application
from core.language.program import Binding, Program

app = application(offscreen=True, lang="en")
from gui.window.main_window import MainWindow

window = MainWindow()
x = np.random.default_rng(0).normal(size=400_000)  # megabytes of JSON: a slow save
window.load_program(Program("loss = sum(w * x)", {"x": Binding("data", x),
                                                  "w": Binding("parameter", np.float64(1.0))}))
target = Path(sys.argv[1])
seen = {}

def quit_now():
    seen["running"] = window.save_job is not None and not window.save_job.done.is_set()
    app.quit()

def save():
    QTimer.singleShot(0, quit_now)  # the first thing the save's local loop delivers
    seen["saved"] = window.save_to(target)

QTimer.singleShot(0, save)
app.exec()
print(seen["running"], seen["saved"])
"""


def test_quitting_during_a_save_waits_for_the_file(tmp_path):
    """The application quits while the worker writes: the save still ends, whole."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    target = tmp_path / "big.json"
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", QUIT_DURING_SAVE, str(target)], cwd=root,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen",
                               "PYTHONPATH": str(root)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True"]  # quit while writing; written
    session = load_session(target)
    assert session.bindings["x"].value.shape == (400_000,)
