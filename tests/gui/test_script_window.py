"""A training script in the window (issue 12): the nn.Linear lesson stepped iteration by
iteration with real keys and the real PyTorch worker, compared with the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QSpinBox, QTableWidget, QTextBrowser

from tests.core.test_script import run_old
from tests.gui.test_torch_panel import TORCH_TIMEOUT

ROOT = Path(__file__).resolve().parents[2]
LESSONS = ROOT / "resources" / "examples" / "lessons"
NN_LINEAR = LESSONS / "12-regression-nn-linear.py"


@pytest.fixture(scope="module")
def cli_run() -> dict:
    """What the command line computes for the nn.Linear lesson (with the same seed)."""
    result = run_old("--expr-file", str(NN_LINEAR), "--json")  # the interpreter's own
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def open_lesson(window, qtbot, title_start: str) -> None:
    """By its menu entry's file, through the old interpreter's load_example (the menu
    itself runs a lesson through the recorder: tests/gui/test_lesson_menu.py)."""
    action = next(a for a in window.examples_menu.actions() if a.text().startswith(title_start))
    window.load_example(action.data())
    qtbot.waitUntil(lambda: window.model.script.run is not None, timeout=TORCH_TIMEOUT)


def press(window, qtbot, key, modifier=Qt.KeyboardModifier.NoModifier, times: int = 1) -> None:
    window.canvas.setFocus()
    for _ in range(times):
        qtbot.keyClick(window.canvas, key, modifier)


def params_on_screen(window) -> dict[str, np.ndarray]:
    graph = window.model.trace.graph
    return {n.name: n.value for n in graph.parameters}


def output_lines(window) -> list[str]:
    text = window.findChild(QPlainTextEdit, "outputText").toPlainText()
    return text.split("\n") if text else []


def test_iteration_one_stepped_to_the_end_is_the_command_lines_row_one(window, qtbot, cli_run):
    open_lesson(window, qtbot, "Linear regression with nn.Linear")
    assert window.model.script.iteration == 1 and window.model.position == 0
    press(window, qtbot, Qt.Key.Key_Right, times=window.model.length)
    assert window.model.position == window.model.length
    assert window.model.phase == "update"
    row = cli_run["training"][0]
    trace, known = window.model.trace, window.model.known
    assert float(trace.graph.output_node.value) == pytest.approx(row["loss"], rel=1e-12)
    for node in trace.graph.parameters:
        np.testing.assert_allclose(node.value, row["params"][node.name], rtol=1e-12)
        np.testing.assert_allclose(known.grads[node.id], row["grads"][node.name], rtol=1e-12)
        np.testing.assert_allclose(known.updates[node.id], row["updated"][node.name],
                                   rtol=1e-12)
    # the update phase reads as SGD's rule with the row's numbers
    text = window.findChild(QTextBrowser, "explanationView").toPlainText()
    assert "model.bias ← model.bias − lr · model.bias.grad" in text
    assert "optimizer.step() with torch.optim.SGD" in text
    # the Training panel: one row per backward() call, the loss of each
    panel = window.training_panel
    assert panel.table.rowCount() == 100
    assert panel.loss_points() == pytest.approx([r["loss"] for r in cli_run["training"]],
                                                rel=1e-12)
    # nn.Linear's initial numbers, drawn by the worker, go into a saved session
    assert len(window.model.session().to_dict()["draws"]) == 2


def test_the_selector_and_its_keys_jump_to_iteration_k(window, qtbot, cli_run):
    open_lesson(window, qtbot, "Linear regression with nn.Linear")
    window.show_training()
    box = window.findChild(QSpinBox, "iterationSelector")
    assert box.isVisible() and box.maximum() == 100
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, "7")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert window.model.script.iteration == 7 and window.model.position == 0
    for name, value in params_on_screen(window).items():
        np.testing.assert_allclose(value, cli_run["training"][6]["params"][name], rtol=1e-12)
    assert window.training_panel.table.currentRow() == 6
    markers = window.training_panel._iteration_markers  # the plot marks iteration k
    assert [list(m.get_xdata()) for m in markers] == [[7, 7], [7, 7]]
    press(window, qtbot, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier)
    assert window.model.script.iteration == 8 and box.value() == 8
    press(window, qtbot, Qt.Key.Key_End)
    known = window.model.known
    for node in window.model.trace.graph.parameters:
        np.testing.assert_allclose(known.updates[node.id],
                                   cli_run["training"][7]["updated"][node.name], rtol=1e-12)
    press(window, qtbot, Qt.Key.Key_BracketLeft, Qt.KeyboardModifier.ControlModifier, times=2)
    assert window.model.script.iteration == 6 and window.model.position == 0
    label = window.findChild(QLabel, "trainingNow").text()
    assert label.startswith("Iteration 6 of 100")


def test_the_output_pane_prints_up_to_the_point_on_screen(window, qtbot, cli_run):
    open_lesson(window, qtbot, "Linear regression with nn.Linear")
    prints = cli_run["prints"]
    assert window.output_dock.isVisible()
    assert output_lines(window) == prints[:1]  # printed before the loop
    press(window, qtbot, Qt.Key.Key_End)
    assert output_lines(window) == prints[:2]  # epoch 1: after the first backward()
    window.model.script.goto_iteration(21)
    assert output_lines(window) == prints[:2]
    press(window, qtbot, Qt.Key.Key_End)
    assert output_lines(window) == prints[:3]
    window.model.script.goto_iteration(100)
    press(window, qtbot, Qt.Key.Key_End)
    assert output_lines(window) == prints
    press(window, qtbot, Qt.Key.Key_Home)
    assert output_lines(window) == prints[:6]


def test_torch_checks_every_iteration_in_the_worker(window, qtbot):
    open_lesson(window, qtbot, "Linear regression with nn.Linear")
    qtbot.waitUntil(lambda: window.model.script.report is not None, timeout=TORCH_TIMEOUT)
    table = window.findChild(QTableWidget, "torchTable")
    assert table.rowCount() == 100
    assert {table.item(r, 4).text() for r in range(100)} == {"✓"}
    # torch's own loss (float32) beside ours (float64), within float32's precision
    for r, row in enumerate(window.model.script.run.rows):
        assert float(table.item(r, 2).text().replace("−", "-")) == pytest.approx(
            row.loss, rel=2e-3, abs=1e-6)
    assert set(window.training_panel.torch_marks()) == {"✓"}
    assert window.findChild(QLabel, "torchStatus").text() == "all 100 iterations match"


def test_an_update_outside_no_grad_is_shown_at_its_line_and_iteration_one_steps(window, qtbot):
    open_lesson(window, qtbot, "Mistake: an update outside no_grad()")
    text = (LESSONS / "14-mistake-update-outside-no-grad.py").read_text(encoding="utf-8")
    assert window.model.error is not None and window.model.error.line == 13
    assert "in-place operation" in window.model.error.message
    editor = window.editor_panel
    assert editor.editor.toPlainText() == text  # nothing the learner typed is lost
    error_label = editor.error_label
    assert error_label.isVisible() and "line 13" in error_label.text()
    assert window.model.script.count == 1
    press(window, qtbot, Qt.Key.Key_Right, times=window.model.length)
    assert window.model.position == window.model.length
    assert window.model.phase == "backward"  # the update is the line that failed


def test_a_saved_script_session_reopens_as_text_without_torch(window, qtbot, tmp_path):
    """Issue 20: a session holding a script but no recording opens as its text with
    "Run to record" (tests/gui/test_run_scripts.py: one that holds its recording), and
    nothing runs or imports torch."""
    open_lesson(window, qtbot, "Linear regression with nn.Linear")
    window.model.script.goto_iteration(3)
    window.model.goto(5)
    path = tmp_path / "lesson.json"
    assert window.save_to(path)
    code = (
        "import json, sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from gui.main_window import MainWindow\n"
        "w = MainWindow()\n"
        f"assert w.open_file({str(path)!r})\n"
        "print(json.dumps({'blank': getattr(w.model.trace, 'blank', False),"
        " 'text': w.editor_panel.editor.toPlainText(), 'running': w.is_running(),"
        " 'torch': 'torch' in sys.modules, 'hint': w.run_placeholder.text()}))\n")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, cwd=ROOT, env=env)
    assert result.returncode == 0, result.stderr
    reopened = json.loads(result.stdout.strip().splitlines()[-1])
    assert reopened["torch"] is False and reopened["running"] is False
    assert reopened["blank"] is True and "Run to record" in reopened["hint"]
    assert reopened["text"] == NN_LINEAR.read_text(encoding="utf-8")


def test_a_screenshot_of_a_script_from_the_command_line(tmp_path):
    out = tmp_path / "lesson.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--screenshot", str(out), "--expr-file",
         str(LESSONS / "13-mistake-forgot-zero-grad.py")], capture_output=True, text=True,
        timeout=300, cwd=ROOT, env=env)
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 10_000


def test_a_scripts_steps_export_with_the_optimizers_rule(window, qtbot, tmp_path):
    open_lesson(window, qtbot, "Mistake: a forgotten zero_grad()")
    window.model.script.goto_iteration(2)
    assert window.export_steps(tmp_path / "steps.pdf", "en")  # warnings are errors here
    assert (tmp_path / "steps.pdf").stat().st_size > 1000
