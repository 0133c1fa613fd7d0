"""A forward-only script in the window (issue 20 §2): it never calls backward(), so it
is recorded as one group of forward ops per iteration of its outer loop. The learner picks
a group with the iteration box or Ctrl+] / Ctrl+[ (real key presses), steps it forward
to its end, and the window says that no gradients were asked for.

One real run (a child process, real torch): the groups are checked against what
``python FILE`` printed.
"""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QSpinBox, QToolButton

RUN_MS = 90_000  # a torch import on a loaded 2-core machine, recorded

FORWARD = """\
import torch
x = torch.tensor([1.0, 2.0, 3.0])
print("start", x.sum().item())
for k in range(4):
    y = torch.tanh(x * (k + 1))
    print(k, round(y.sum().item(), 4))
print("end")
"""


def _output(window) -> str:
    return window.findChild(object, "outputText").toPlainText()


def test_groups_are_picked_with_the_box_and_keys_and_stepped_forward(window, qtbot,
                                                                        tmp_path):
    path = tmp_path / "plain.py"
    path.write_text(FORWARD, encoding="utf-8")
    expected = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                              cwd=tmp_path, check=True, timeout=120).stdout
    lines = expected.splitlines(keepends=True)
    window.editor_panel.editor.setPlainText(FORWARD)
    with qtbot.waitSignal(window.runFinished, timeout=RUN_MS):
        qtbot.mouseClick(window.findChild(QToolButton, "runButton"), Qt.MouseButton.LeftButton)
    runs, model = window.model.run, window.model
    # the end of the run: the last group (iteration 4 of the loop) at its last step
    assert runs.result.status == "ok" and runs.count == 0
    assert [g.iteration for g in runs.recording.groups] == [None, 1, 2, 3, 4]
    assert [g.kept for g in runs.recording.groups] == [True, True, True, False, True]
    assert runs.group == 5 and runs.on_screen and model.position == model.length > 0
    assert _output(window) == expected
    box = window.findChild(QSpinBox, "iterationSelector")
    assert box.isVisible() and (box.value(), box.maximum()) == (5, 5)
    assert window.training_panel.selector.label.text() == "Group"
    message = window.message_bar.text()
    assert "No gradients were asked for" in message and "iteration 4 of the loop" in message
    # a group is stepped forward: after its ops, nothing is differentiated
    assert [type(s).__name__ for s in model.trace.steps if s.phase != "forward"] == \
        ["NoParameterStep", "NoParameterStep"]
    assert "Group 5 of 5" in window.torch_panel.status.text()

    # Ctrl+[ : group 4 was kept only as a summary, and a run keeping it is offered
    qtbot.keyClick(window, Qt.Key.Key_BracketLeft, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.pass_notice.isVisible, timeout=5000)
    assert runs.group == 4 and runs.group_summary_only == 4 and box.value() == 4
    assert "Group 4 of 5 was kept only as a summary" in \
        window.findChild(QLabel, "passNoticeText").text()
    assert window.findChild(QPushButton, "runAgainKeepingButton").text() == \
        "Run again, keeping group 4"

    # Ctrl+[ again: group 3 (iteration 2) on screen, from its first step
    qtbot.keyClick(window, Qt.Key.Key_BracketLeft, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: runs.group == 3 and runs.group_summary_only is None
                    and model.trace.recorded_by is runs and model.position == 0,
                    timeout=30_000)
    assert not window.pass_notice.isVisible() and box.value() == 3
    assert "iteration 2 of the loop on line 4" in window.message_bar.text()
    assert _output(window) == "".join(lines[:2])  # "start" and iteration 1's line
    # step it to its end with the arrow key: its print shows, nothing after it
    for _ in range(model.length):
        qtbot.keyClick(window, Qt.Key.Key_Right)
    assert model.position == model.length
    assert _output(window) == "".join(lines[:3])
    ops = [n.op for n in model.trace.graph.nodes if n.kind == "operation"]
    assert ops == ["mul", "tanh", "sum"]

    # the box: group 1 (the computations before the loop); Ctrl+] goes to group 2
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, "1")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: runs.group == 1 and model.trace.recorded_by is runs,
                    timeout=30_000)
    assert "outside the loop" in window.message_bar.text() and _output(window) == ""
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: runs.group == 2 and model.position == 0, timeout=30_000)
    model.end()
    assert _output(window) == "".join(lines[:2])

    # saved, the session holds the groups; opened in another window, the group on screen
    # shows again at the same step, and nothing runs
    shown, position = _output(window), model.position
    session = tmp_path / "groups.json"
    assert window.save_to(session)
    from gui.window.main_window import MainWindow

    other = MainWindow()
    qtbot.addWidget(other)
    other.show()
    assert other.open_file(session)
    again = other.model.run
    qtbot.waitUntil(lambda: again.on_screen and again.group == 2, timeout=30_000)
    assert not other.is_running() and again.result.status == "ok"
    assert other.model.position == position and _output(other) == shown
    assert again.groups.count == 5 and again.count == 0
    assert "No gradients were asked for" in other.message_bar.text()
    # Ctrl+] there: group 3, built from the saved recording
    other.activateWindow()
    qtbot.keyClick(other, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: again.group == 3 and other.model.trace.recorded_by is again,
                    timeout=30_000)
    assert not other.is_running()
