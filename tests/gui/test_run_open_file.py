"""Issue 20's "Done when", in the window, as a learner does it with the keyboard and the
mouse: open a course-style .py (nothing runs), Run it (the notice answered with its Run
button), see the Output equal to ``python FILE``'s stdout, pick pass k in the iteration
box and step it to its end with the arrow key, through its update.

One real run (a child process, real torch).
"""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QSpinBox, QToolButton

from gui.state.blank_trace import BlankTrace

RUN_MS = 90_000  # a torch import on a loaded 2-core machine, recorded

COURSE = """\
import torch
import torch.nn as nn

torch.manual_seed(0)
X = torch.tensor([[1.0], [2.0], [3.0], [4.0]])
Y = torch.tensor([[2.0], [4.0], [6.0], [8.0]])
model = nn.Linear(1, 1)
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
print(f'Prediction before training: f(5) = {model(torch.tensor([5.0])).item():.3f}')
for epoch in range(5):
    y_pred = model(X)
    l = loss_fn(Y, y_pred)
    l.backward()
    optimizer.step()
    optimizer.zero_grad()
    w, b = model.parameters()
    print(f'epoch {epoch + 1}: w = {w[0][0].item():.3f}, loss = {l:.8f}')
print(f'Prediction after training: f(5) = {model(torch.tensor([5.0])).item():.3f}')
"""


def _output(window) -> str:
    return window.findChild(object, "outputText").toPlainText()


def test_open_a_py_run_it_and_step_pass_k_to_its_end(window, qtbot, tmp_path):
    path = tmp_path / "course.py"
    path.write_text(COURSE, encoding="utf-8")
    expected = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                              cwd=tmp_path, check=True, timeout=120).stdout
    lines = expected.splitlines(keepends=True)
    assert window.open_file(path)  # opening runs nothing
    assert isinstance(window.model.trace, BlankTrace) and not window.is_running()
    assert window.model.run.result is None and _output(window) == ""
    # Run: a file not typed in the app gets the notice once; its Run button runs it
    qtbot.mouseClick(window.findChild(QToolButton, "runButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.run_notice_box is not None, timeout=5000)
    assert not window.is_running()
    run_button = window.run_notice_box.button(QMessageBox.StandardButton.Ok)
    with qtbot.waitSignal(window.runFinished, timeout=RUN_MS):
        qtbot.mouseClick(run_button, Qt.MouseButton.LeftButton)
    runs, model = window.model.run, window.model
    assert runs.result.status == "ok" and runs.path == path
    assert _output(window) == expected  # Python's stdout, byte for byte
    assert runs.count == 5 and runs.iteration == 5 and model.position == model.length
    # pick pass 2 in the box, typed as a learner types it
    box = window.findChild(QSpinBox, "iterationSelector")
    assert window.training_panel.selector.label.text() == "Pass"  # RunState.groups: not this
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, "2")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: runs.iteration == 2 and runs.on_screen and model.position == 0,
                    timeout=30_000)
    # no answer early: at its first step, only lines printed before pass 2's values
    shown = _output(window)
    assert expected.startswith(shown) and lines[0] in shown and "epoch 2" not in shown
    # step it to its end with the arrow key: forward, local, backward, then the update
    window.activateWindow()
    window.canvas.setFocus()
    phases = []
    for _ in range(model.length):
        qtbot.keyClick(window, Qt.Key.Key_Right)
        phases.append(model.trace.step(model.position).phase)
    assert model.position == model.length
    assert phases[0] == "forward" and phases[-1] == "update"
    assert {"local", "backward"} <= set(phases)
    assert model.trace.check is not None and model.trace.check.mismatches == 0
    # at the end of pass 2: "epoch 2" is printed after its update, so it is not shown yet
    assert _output(window) == "".join(lines[:2])
