"""A training script in the window (issues 12 and 20): the nn.Linear lesson run through
the recorder (a real child process, real torch), then stepped pass by pass with real keys,
its numbers checked against the same loop run here with real torch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTextBrowser,
    QToolButton,
)

from gui.support.resources import resource
from gui.window import dock_layout
from tests.gui.test_lesson_menu import RUN_MS
from tests.gui.test_training_recorded import torch_loop
from tests.gui_in_process import window_cli

ROOT = Path(__file__).resolve().parents[2]
LESSONS = ROOT / "resources" / "examples" / "lessons"
NN_LINEAR = LESSONS / "12-regression-nn-linear.py"
PARAMS = ("model.weight", "model.bias")


@pytest.fixture(scope="module")
def torch_run() -> dict:
    """Lesson 12 with real torch: its prints (python FILE) and, per pass, the loss and each
    parameter's value and .grad at backward(); "after": the parameters after pass k's
    step() (pass k + 1's values)."""
    prints = subprocess.run([sys.executable, str(NN_LINEAR)], capture_output=True, text=True,
                            check=True, timeout=120).stdout.splitlines()
    return {"prints": prints, "passes": torch_loop()}


def open_lesson(window, qtbot, title_start: str) -> None:
    """By its Examples menu entry: a lesson of ours runs at once through the recorder; the
    window shows the end of the run when ``runFinished`` comes."""
    action = next(a for a in window.examples_menu.actions() if a.text().startswith(title_start))
    with qtbot.waitSignal(window.runFinished, timeout=RUN_MS):
        action.trigger()
    assert window.model.run.problem is None


def run_lesson(window, qtbot, stem: str) -> None:
    """A lesson of ours by its file's stem, from the Examples menu; waits for its run."""
    path = LESSONS / f"{stem}.py"
    action = next(a for a in window.examples_menu.actions() if a.data() == str(path))
    with qtbot.waitSignal(window.runFinished, timeout=RUN_MS):
        action.trigger()
    assert window.model.run.problem is None


def choose_pass(window, qtbot, k: int) -> None:
    """Pass k typed into the iteration box (Return), as the learner chooses it."""
    box = window.findChild(QSpinBox, "iterationSelector")
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, str(k))
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.model.run.iteration == k, timeout=RUN_MS)


def press(window, qtbot, key, modifier=Qt.KeyboardModifier.NoModifier, times: int = 1) -> None:
    window.canvas.setFocus()
    for _ in range(times):
        qtbot.keyClick(window.canvas, key, modifier)


def params_on_screen(window) -> dict[str, np.ndarray]:
    graph = window.model.trace.graph
    return {n.name: n.value for n in graph.parameters}


def output_lines(window) -> list[str]:
    text = window.findChild(QPlainTextEdit, "outputText").toPlainText()
    return text.splitlines()


def test_load_example_runs_a_lesson_of_ours_through_the_recorder(window, qtbot):
    """MainWindow.load_example of a lesson script runs it at once, as the Examples menu
    does (issue 20 §1), and the window lands where a run lands: the last pass at its
    last step."""
    with qtbot.waitSignal(window.runFinished, timeout=RUN_MS):
        assert window.load_example("12-regression-nn-linear")
        assert window.is_running() and window.run_notice_box is None
    model, runs = window.model, window.model.run
    assert runs.result.status == "ok" and runs.problem is None
    assert runs.iteration == runs.count == 100 and runs.on_screen
    assert model.position == model.length > 0
    assert model.trace.recorded is not None  # the recorded pass, nothing else built
    assert window.editor_panel.editor.toPlainText() == NN_LINEAR.read_text(encoding="utf-8")
    assert window.windowTitle().startswith(
        "Linear regression with nn.Linear, a loss and an optimizer[*]")
    assert not window.isWindowModified()


def test_pass_one_stepped_to_the_end_is_torchs_first_pass(window, qtbot, torch_run,
                                                          tmp_path):
    open_lesson(window, qtbot, "Linear regression with nn.Linear")
    model, runs = window.model, window.model.run
    assert runs.iteration == runs.count == 100  # the end of the run: the last pass,
    assert model.position == model.length > 0  # at its last step
    choose_pass(window, qtbot, 1)
    assert model.position == 0
    press(window, qtbot, Qt.Key.Key_Right, times=model.length)
    assert model.position == model.length
    assert model.phase == "update"
    first, second = torch_run["passes"][0], torch_run["passes"][1]
    trace, known = model.trace, model.known
    assert float(trace.graph.output_node.value) == first["loss"]  # torch's float32 loss
    assert sorted(n.name for n in trace.graph.parameters) == sorted(PARAMS)
    for node in trace.graph.parameters:
        value, grad = first[node.name]
        np.testing.assert_array_equal(np.reshape(node.value, value.shape), value)
        np.testing.assert_allclose(np.reshape(known.grads[node.id], grad.shape), grad,
                                   rtol=1e-6)
        after = second[node.name][0]  # what step() left: pass 2's value
        np.testing.assert_allclose(np.reshape(known.updates[node.id], after.shape), after,
                                   rtol=1e-6)
    # the update phase reads as SGD's rule with the pass's numbers
    text = window.findChild(QTextBrowser, "explanationView").toPlainText()
    assert "model.bias ← model.bias − lr · model.bias.grad" in text
    assert "optimizer.step() with torch.optim.SGD" in text
    # the Training panel: one row per backward() call, the loss of each (torch's)
    panel = window.training_panel
    assert panel.table.rowCount() == 100
    assert panel.loss_points() == [p["loss"] for p in torch_run["passes"]]
    # a saved session holds the run's recording (nothing runs when it is opened)
    assert window.save_to(tmp_path / "lesson.json")
    saved = json.loads((tmp_path / "lesson.json").read_text(encoding="utf-8"))
    recording = saved["settings"]["recording"]
    assert sorted(recording["passes"], key=int) == ["1", "2", "3", "100"]  # the kept ones
    assert [p["loss"] for p in recording["summary"]["passes"]] == \
        [p["loss"] for p in torch_run["passes"]]


def test_the_selector_and_its_keys_jump_to_pass_k(window, qtbot, torch_run):
    open_lesson(window, qtbot, "Linear regression with nn.Linear")
    model, runs = window.model, window.model.run
    passes = torch_run["passes"]
    window.show_training()
    box = window.findChild(QSpinBox, "iterationSelector")
    assert box.isVisible() and box.maximum() == 100
    choose_pass(window, qtbot, 2)
    assert model.position == 0 and box.value() == 2
    for name, value in params_on_screen(window).items():
        np.testing.assert_array_equal(np.reshape(value, passes[1][name][0].shape),
                                      passes[1][name][0])
    assert window.training_panel.table.currentRow() == 1
    markers = window.training_panel._iteration_markers  # the plot marks pass k
    assert [list(m.get_xdata()) for m in markers] == [[2, 2], [2, 2]]
    press(window, qtbot, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: runs.iteration == 3, timeout=RUN_MS)
    assert box.value() == 3
    press(window, qtbot, Qt.Key.Key_End)
    known = model.known
    for node in model.trace.graph.parameters:
        after = passes[3][node.name][0]  # what pass 3's step() left: pass 4's value
        np.testing.assert_allclose(np.reshape(known.updates[node.id], after.shape), after,
                                   rtol=1e-6)
    for k in (2, 1):
        press(window, qtbot, Qt.Key.Key_BracketLeft, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda k=k: runs.iteration == k, timeout=RUN_MS)
    assert model.position == 0 and box.value() == 1
    label = window.findChild(QLabel, "trainingNow").text()
    assert label.startswith("Pass 1 of 100")


def test_the_output_pane_prints_up_to_the_point_on_screen(window, qtbot, torch_run):
    open_lesson(window, qtbot, "Linear regression with nn.Linear")
    prints = torch_run["prints"]
    assert window.output_dock.isVisible()
    text = window.findChild(QPlainTextEdit, "outputText").toPlainText()
    assert text == "\n".join(prints) + "\n"  # the end of the run: all of it, as printed
    press(window, qtbot, Qt.Key.Key_Home)
    assert output_lines(window) == prints[:6]  # before the last backward()
    choose_pass(window, qtbot, 1)
    # pass 1 starts where its first recorded value (the model's weight, as the forward
    # pass first reads it) appears: after the line the script prints before its loop
    assert output_lines(window) == prints[:1]
    press(window, qtbot, Qt.Key.Key_End)
    assert output_lines(window) == prints[:1]  # printed before the loop; epoch 1's line
    choose_pass(window, qtbot, 3)  # comes after step(), on the way to the next pass
    assert output_lines(window) == prints[:2]
    press(window, qtbot, Qt.Key.Key_End)
    assert output_lines(window) == prints[:2]  # epoch 1's line, and no later one
    choose_pass(window, qtbot, 100)
    press(window, qtbot, Qt.Key.Key_End)
    assert output_lines(window) == prints


def test_torch_checks_every_kept_pass(window, qtbot, torch_run):
    open_lesson(window, qtbot, "Linear regression with nn.Linear")
    runs = window.model.run
    kept = [p.index for p in runs.recording.passes if p.kept]
    assert kept == [1, 2, 3, 100]
    status = window.findChild(QLabel, "torchStatus")
    for k in kept:
        choose_pass(window, qtbot, k)
        check = window.model.trace.check
        assert check.compared > 0 and check.mismatches == 0
        assert status.text() == \
            f"Pass {k} of 100: our rules match PyTorch's gradients ✓ ({check.compared} nodes)"
        # the recorded loss is torch's own
        assert float(window.model.trace.graph.output_node.value) == \
            torch_run["passes"][k - 1]["loss"]
    training = window.model.training
    qtbot.waitUntil(lambda: not training.checking, timeout=RUN_MS)
    marks = window.training_panel.torch_marks()
    assert [marks[k - 1] for k in kept] == ["✓"] * 4
    assert [p.loss for p in runs.recording.passes] == [p["loss"] for p in torch_run["passes"]]


def test_an_update_outside_no_grad_is_torchs_error_at_its_line_and_pass_one_steps(
        window, qtbot):
    open_lesson(window, qtbot, "Mistake: an update outside no_grad()")
    text = (LESSONS / "14-mistake-update-outside-no-grad.py").read_text(encoding="utf-8")
    assert window.model.error is not None and window.model.error.line == 13
    assert "in-place operation" in window.model.error.message
    editor = window.editor_panel
    assert editor.editor.toPlainText() == text  # nothing the learner typed is lost
    error_label = editor.error_label
    assert error_label.isVisible() and "line 13" in error_label.text()
    assert window.model.run.count == 1
    # the traceback names the lesson's file, not a copy's "script.py"
    traceback = output_lines(window)
    assert any('14-mistake-update-outside-no-grad.py", line 13' in line for line in traceback)
    assert not any("script.py" in line for line in traceback)
    window.model.goto(0)
    press(window, qtbot, Qt.Key.Key_Right, times=window.model.length)
    assert window.model.position == window.model.length
    assert window.model.phase == "backward"  # the update is the line that failed


def test_a_saved_script_session_reopens_as_text_without_torch(window, qtbot, tmp_path):
    """Issue 20: a session holding a script but no recording opens as its text with
    "Run to record" (tests/gui/test_run_scripts.py: one that holds its recording), and
    nothing runs or imports torch."""
    open_lesson(window, qtbot, "Linear regression with nn.Linear")
    choose_pass(window, qtbot, 3)
    window.model.goto(5)
    path = tmp_path / "lesson.json"
    assert window.save_to(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["settings"].pop("recording")["passes"]  # an older session: text only
    path.write_text(json.dumps(data), encoding="utf-8")
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


def test_the_last_session_of_a_script_reopens_as_text_and_runs_nothing(window, tmp_path):
    """The interactive start: a script left open last time opens with "Run to record";
    the recorder does not run it."""
    from PySide6.QtCore import QSettings

    from core.io.session import Session

    text = NN_LINEAR.read_text(encoding="utf-8")
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    settings.setValue("lastSession", Session(text, title="lesson").to_json())
    assert window.reopen_last_session(settings)
    assert window.editor_panel.editor.toPlainText() == text
    assert getattr(window.model.trace, "blank", False)
    assert "Run to record" in window.run_placeholder.text()
    assert not window.is_running() and window.model.run.result is None


def test_a_screenshot_of_a_script_from_the_command_line(qapp, tmp_path):
    out = tmp_path / "lesson.png"
    result = window_cli("--screenshot", str(out), "--run",
                        str(LESSONS / "13-mistake-forgot-zero-grad.py"), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 10_000


def test_a_scripts_steps_export_with_the_optimizers_rule(window, qtbot, tmp_path):
    open_lesson(window, qtbot, "Mistake: a forgotten zero_grad()")
    choose_pass(window, qtbot, 2)
    assert window.export_steps(tmp_path / "steps.pdf", "en")  # warnings are errors here
    assert (tmp_path / "steps.pdf").stat().st_size > 1000


def test_a_script_not_run_yet_says_to_run_it_and_offers_no_mode(window, qtbot):
    """A script applied from the editor is not built: until it runs there is no step, so
    the Explanation says to Run it (it said "Step 0 of 0 … which computes  from the
    inputs"), and Play, Quiz, Ninja and forward mode wait, greyed, for a graph."""
    editor = window.editor_panel.editor
    editor.setPlainText("for i in range(3):\n    print(i)\n")
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.model.trace.blank and window.model.length == 0
    text = window.explanation.toPlainText()
    assert "Run (Ctrl+R)" in text and "from the inputs" not in text
    names = ("playButton", "quizButton", "ninjaButton", "forwardModeButton")
    buttons = [window.findChild(QToolButton, n) or window.findChild(QPushButton, n)
               for n in names]
    assert [b.isEnabled() for b in buttons] == [False] * 4
    qtbot.keyClick(window.canvas, Qt.Key.Key_P)  # nothing to play
    assert not window.quiz_panel.toggle_action.isEnabled() and not window.model.quiz.active
    assert window.load_example(resource("examples", "01-lesson.json"))
    assert [b.isEnabled() for b in buttons] == [True] * 4
    assert "from the inputs" in window.explanation.toPlainText()


def test_past_the_last_or_first_pass_the_keys_stay_and_say_so(window, qtbot):
    """Ctrl+] on the last pass went back to that pass's step 0 without a word."""
    open_lesson(window, qtbot, "Linear regression with nn.Linear")
    model, runs = window.model, window.model.run
    assert runs.iteration == runs.count == 100 and model.position == model.length
    press(window, qtbot, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier)
    assert runs.iteration == 100 and model.position == model.length
    assert window.statusBar().currentMessage() == \
        "This is the loop's last iteration (100 of 100)."
    choose_pass(window, qtbot, 1)
    press(window, qtbot, Qt.Key.Key_Right, times=2)
    press(window, qtbot, Qt.Key.Key_BracketLeft, Qt.KeyboardModifier.ControlModifier)
    assert runs.iteration == 1 and model.position == 2
    assert window.statusBar().currentMessage() == "This is the loop's first iteration."


def test_a_recorded_pass_shows_no_empty_comparison_in_the_pytorch_panel(window, qtbot):
    """On a recorded pass the check is the status line: the comparison table and the
    grad_fn chain stood there empty under their captions, pushing the ✓ out of view at
    1280×720. They come back for a program of the editor."""
    window.resize(1280, 720)
    open_lesson(window, qtbot, "Linear regression with nn.Linear")
    table = window.findChild(QTableWidget, "torchTable")
    chain = window.findChild(QLabel, "torchGradFns")
    status = window.findChild(QLabel, "torchStatus")
    captions = [label for label in window.torch_panel.findChildren(QLabel)
                if label.text() in ("Ours vs PyTorch vs finite differences",
                                    "grad_fn chain (from the output back)")]
    assert len(captions) == 2
    assert not table.isVisibleTo(window.torch_panel) and not chain.isVisibleTo(window.torch_panel)
    assert not any(c.isVisibleTo(window.torch_panel) for c in captions)
    assert "✓" in status.text() and status.isVisibleTo(window.torch_panel)
    # whole, unscrolled, in a first launch's 1152×648 window (it was cut in half)
    window.resize(1152, 648)
    dock_layout.apply_default_sizes(window)
    for _ in range(5):
        QApplication.processEvents()
    scroll = window.torch_panel.parentWidget().parentWidget()  # (its scroll area)
    assert scroll.objectName() == "torchPanelScroll"
    assert window.torch_panel.height() <= scroll.viewport().height()  # nothing to scroll
    assert status.visibleRegion().boundingRect().height() == status.height()
    assert window.load_example(resource("examples", "01-lesson.json"))
    assert table.isVisibleTo(window.torch_panel) and chain.isVisibleTo(window.torch_panel)
    assert all(c.isVisibleTo(window.torch_panel) for c in captions)
