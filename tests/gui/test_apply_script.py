"""Apply on a script (issue 20 §4): nothing is built and nothing runs; the window says it
is a script that Run runs, the editor keeps the text, the graph shows "Run to record".
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from gui.state.blank_trace import BlankTrace

LOOP = """\
from pathlib import Path
Path(__file__ if "__file__" in dir() else "x").parent.joinpath("canary.txt").write_text("ran")
import torch
w = torch.tensor(1.0, requires_grad=True)
for i in range(2):
    loss = (w * 3 - 1) ** 2
    loss.backward()
"""
NUMPY = "import numpy as np\nx = np.ones(3)\nprint(x.sum())\n"


def _children() -> set[int]:
    """This process's child processes, from /proc (every thread's list)."""
    found: set[int] = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        try:
            found.update(int(p) for p in (task / "children").read_text().split())
        except OSError:
            continue
    return found


def _paste_and_apply(window, qtbot, text: str) -> None:
    editor = window.editor_panel.editor
    QGuiApplication.clipboard().setText(text)
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == text
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


@pytest.mark.parametrize("text", [LOOP, NUMPY], ids=["loop", "import-numpy"])
def test_apply_on_a_script_says_run_runs_it(window, qtbot, text):
    before = _children()
    _paste_and_apply(window, qtbot, text)
    message = window.message_bar.text()
    assert "script" in message and "Run (Ctrl+R)" in message and "permissions" in message
    assert window.editor_panel.editor.toPlainText() == text  # the editor keeps the text
    assert isinstance(window.model.trace, BlankTrace) and window.model.length == 0
    assert window.run_placeholder.isVisible() and not window.canvas.isVisible()
    assert "Run to record" in window.run_placeholder.text()
    assert window.model.error is None and not window.model.building
    status = window.torch_panel.status.text()  # never "ran" when nothing ran
    assert status.startswith("Not run yet") and "ran" not in status.split()
    qtbot.wait(300)  # nothing started in the background either
    assert not window.is_running() and window.model.run.result is None
    assert _children() <= before  # no child process was started
    assert not Path("canary.txt").exists()


def test_undo_brings_back_the_program_before_the_script(window, qtbot):
    length = window.model.length
    _paste_and_apply(window, qtbot, NUMPY)
    assert window.model.length == 0
    window.model.undo_stack.undo()
    assert window.model.length == length and not isinstance(window.model.trace, BlankTrace)


def test_applying_a_straight_line_program_still_builds_it(window, qtbot):
    _paste_and_apply(window, qtbot, "import torch\nw = param(2.0)\nloss = (w * 3 - 1) ** 2\n")
    assert window.model.length > 0 and not window.run_placeholder.isVisible()
    assert "script" not in window.message_bar.text()


def test_a_session_of_a_script_that_only_imports_opens_with_run_to_record(window, qtbot,
                                                                         tmp_path):
    """is_script decides for sessions too: an import of numpy is a script, not an error."""
    from core.io.session import Session

    path = tmp_path / "numpy.json"
    path.write_text(Session(NUMPY, {}, 0, "numpy").to_json(), encoding="utf-8")
    before = _children()
    assert window.open_file(path)
    assert window.editor_panel.editor.toPlainText() == NUMPY
    assert isinstance(window.model.trace, BlankTrace) and window.run_placeholder.isVisible()
    qtbot.wait(300)
    assert not window.is_running() and _children() <= before
