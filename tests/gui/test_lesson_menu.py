"""Examples → Next lessons (issue 20 §1): a lesson of the app's own runs at once through
the recorder, in a real child process with real torch, and the window shows the end of
the run: the last pass at its last step, with the whole output.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QSpinBox

from gui.state.blank_trace import BlankTrace

LESSONS = Path(__file__).resolve().parents[2] / "resources" / "examples" / "lessons"
RUN_MS = 120_000  # a torch import on a loaded 2-core machine, recorded


def test_a_lesson_from_the_menu_runs_and_shows_its_last_pass(window, qtbot, tmp_path):
    path = LESSONS / "11-regression-autograd.py"
    text = path.read_text(encoding="utf-8")
    expected = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                              cwd=tmp_path, check=True, timeout=120).stdout
    action = next(a for a in window.examples_menu.actions() if a.data() == str(path))
    with qtbot.waitSignal(window.runFinished, timeout=RUN_MS):
        action.trigger()
        assert window.is_running()  # at once: no Run pressed, no notice
        assert window.run_notice_box is None
    runs = window.model.run
    assert runs.result.status == "ok" and runs.problem is None
    assert window.editor_panel.editor.toPlainText() == text
    assert window.windowTitle().startswith("Linear regression with autograd[*]")
    assert window.findChild(object, "outputText").toPlainText() == expected
    assert "n_iters = 20" in text and runs.count == 20  # one pass per backward()
    assert runs.iteration == runs.count and runs.on_screen
    assert not isinstance(window.model.trace, BlankTrace)
    assert window.model.position == window.model.length > 0  # the last step
    box = window.findChild(QSpinBox, "iterationSelector")
    assert (box.value(), box.maximum()) == (20, 20)
    assert not window.isWindowModified()


def test_a_json_example_from_the_menu_runs_nothing(window, qtbot):
    action = next(a for a in window.examples_menu.actions() if str(a.data()).endswith(".json"))
    action.trigger()
    assert not window.is_running() and window.model.run.result is None
    assert window.model.length > 0
