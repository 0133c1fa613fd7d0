"""Run in the window with real child processes (core.record.runner) and real torch:
the live console, the end of the run, stepping back in time, passes, Stop, errors.

Scripts are tiny and limits short: each run costs about a torch import.
"""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtWidgets import QLabel, QPushButton, QSpinBox, QToolButton

from gui.state.blank_trace import BlankTrace

RUN_MS = 90_000  # a torch import on a loaded 2-core machine, recorded

TRAIN = """\
import torch
torch.manual_seed(0)
x = torch.tensor([[1.0], [2.0], [3.0]])
y = torch.tensor([[2.0], [4.0], [6.0]])
model = torch.nn.Linear(1, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.05)
for epoch in range(6):
    pred = model(x)
    loss = ((pred - y) ** 2).mean()
    print(f"epoch {epoch} loss {loss.item():.4f}")
    opt.zero_grad()
    loss.backward()
    opt.step()
print("done")
"""


def _python_prints(tmp_path, text: str) -> str:
    """What `python FILE` prints, for the same file in its own folder."""
    path = tmp_path / "plain.py"
    path.write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                          cwd=tmp_path, check=False, timeout=120)
    return done.stdout


def _run(window, qtbot, text: str) -> None:
    window.editor_panel.editor.setPlainText(text)
    with qtbot.waitSignal(window.runFinished, timeout=RUN_MS):
        qtbot.mouseClick(window.findChild(QToolButton, "runButton"), Qt.MouseButton.LeftButton)
        assert window.is_running()


def _output(window) -> str:
    return window.findChild(object, "outputText").toPlainText()


def test_a_pasted_script_runs_and_steps_back_in_time(window, qtbot, tmp_path):
    expected = _python_prints(tmp_path, TRAIN)
    _run(window, qtbot, TRAIN)
    runs = window.model.run
    assert not window.is_running() and runs.result.status == "ok"
    # the end of the run: the last pass at its last step, with the whole output
    assert _output(window) == expected
    assert runs.count == 6 and runs.iteration == 6
    assert window.model.position == window.model.length > 0
    box = window.findChild(QSpinBox, "iterationSelector")
    assert box.isVisible() and (box.value(), box.maximum()) == (6, 6)
    lines = expected.splitlines(keepends=True)
    # Home: pass 6 before it began, so "epoch 5" (printed in its forward pass) is not shown
    qtbot.keyClick(window, Qt.Key.Key_Home)
    assert window.model.position == 0
    assert _output(window) == "".join(lines[:5])
    # a step back from the end: backward() was called, "done" not printed yet
    window.model.end()
    qtbot.keyClick(window, Qt.Key.Key_Left)
    assert _output(window) == "".join(lines[:6])
    assert window.torch_panel.output.toPlainText() == "".join(lines[:6])
    # pass 2 through the box: stepped from its start, then to its end
    box.setValue(2)
    qtbot.waitUntil(lambda: runs.iteration == 2 and runs.on_screen, timeout=30_000)
    assert window.model.position == 0 and _output(window) == lines[0]
    window.model.end()
    assert _output(window) == "".join(lines[:2])
    # Ctrl+[ goes to pass 1
    qtbot.keyClick(window, Qt.Key.Key_BracketLeft, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: runs.iteration == 1, timeout=30_000)
    assert _output(window) == ""  # nothing printed before the first pass
    # the Plots tab: every pass's loss, as the script printed it, the pass on screen marked
    plot = window.plots_panel.loss_plot
    assert not window.plots_dock.isHidden() and plot.isVisibleTo(window.plots_panel)
    xs, ys = plot.points()
    printed = [float(line.split()[-1]) for line in lines if line.startswith("epoch")]
    assert xs == [1, 2, 3, 4, 5, 6] and [round(y, 4) for y in ys] == printed
    assert list(plot.marker.get_xdata()) == [1, 1] and plot.marker.get_visible()
    # an unsaved pasted script ran in a folder of its own, removed with the document
    folder = runs.folder
    assert folder is not None and folder.is_dir() and (folder / "script.py").exists()
    window.new_session()
    assert not folder.exists()


def test_pass_kept_only_as_summary_offers_a_run_keeping_it(window, qtbot):
    _run(window, qtbot, TRAIN.replace("torch.manual_seed(0)\n", ""))
    runs = window.model.run
    kept = [p.kept for p in runs.recording.passes]
    assert kept == [True, True, True, False, False, True]  # first three and the last
    box = window.findChild(QSpinBox, "iterationSelector")
    box.setValue(4)
    qtbot.waitUntil(window.pass_notice.isVisible)
    assert runs.summary_only == 4
    text = window.pass_notice.label.text()
    assert "Pass 4 of 6" in text and "without a seed" in text
    button = window.findChild(QPushButton, "runAgainKeepingButton")
    assert button.text() == "Run again, keeping pass 4"
    with qtbot.waitSignal(window.runFinished, timeout=RUN_MS):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert runs.recording.passes[3].kept and runs.iteration == 4 and runs.on_screen
    assert not window.pass_notice.isVisible()


def test_stop_ends_a_long_script_and_the_window_keeps_drawing(window, qtbot):
    """Prints stream in while it runs; the event loop never stalls long; Stop ends it
    within 1 s (1.5 s with this machine's load, as issue 21's window test allows)."""
    script = ("import time, torch\nw = torch.tensor(1.0, requires_grad=True)\n"
              "for i in range(100000):\n    loss = (w * 3 - 1) ** 2\n    loss.backward()\n"
              "    print('step', i, flush=True)\n    time.sleep(0.02)\n")
    window.editor_panel.editor.setPlainText(script)
    gaps, clock = [], QElapsedTimer()
    clock.start()
    watcher = QTimer(interval=10)
    last = [clock.elapsed()]

    def tick() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    watcher.timeout.connect(tick)
    watcher.start()
    qtbot.mouseClick(window.findChild(QToolButton, "runButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "step 3" in _output(window), timeout=RUN_MS)
    assert window.is_running() and window.stop_action.isEnabled()
    assert "Running" in window.output_panel.caption.text()
    gaps.clear()
    qtbot.waitUntil(lambda: window.model.run.progress()["passes"] >= 20, timeout=30_000)
    worst_running = max(gaps)
    started = time.monotonic()
    with qtbot.waitSignal(window.runFinished, timeout=5000):
        qtbot.mouseClick(window.findChild(QToolButton, "stopButton"), Qt.MouseButton.LeftButton)
    stopped_in = time.monotonic() - started
    watcher.stop()
    assert stopped_in < 1.5, stopped_in
    assert worst_running < 150, worst_running
    runs = window.model.run
    assert runs.result.status == "stopped" and not window.is_running()
    assert "Stopped" in window.output_panel.caption.text()
    passes = runs.progress()["passes"]
    assert passes >= 20 and runs.count == passes  # every pass, kept or only summarised
    assert runs.on_screen and runs.recording.passes[0].kept  # what was kept is stepped
    assert not runs.recording.passes[-1].kept
    print(f"worst event-loop gap while running: {worst_running} ms; Stop: {stopped_in:.2f} s")


def test_a_script_that_raises_shows_its_traceback_and_line(window, qtbot):
    script = ("import torch\nw = torch.tensor(2.0, requires_grad=True)\n"
              "loss = (w * 3) ** 2\nloss.backward()\nprint('before')\n"
              "raise ValueError('the learner broke it')\n")
    _run(window, qtbot, script)
    runs = window.model.run
    assert runs.result.status == "raised"
    text = _output(window)
    assert text.startswith("before\nTraceback (most recent call last):")
    assert "line 6" in text and text.rstrip().endswith("ValueError: the learner broke it")
    assert "bootstrap" not in text and "runpy" not in text
    assert window.model.error is not None and window.model.error.line == 6
    assert window.editor_panel.editor.extraSelections()  # the line is marked
    assert runs.count == 1 and runs.on_screen  # the pass before it can be stepped
    # editing the text makes the recording out of date: Run again
    window.editor_panel.editor.appendPlainText("# fixed")
    assert runs.stale and window.run_action.text() == "Run again"
    assert window.findChild(QToolButton, "runButton").text() == "Run again"
    assert window.model.out_of_date


def test_torchvision_gets_a_hint(window, qtbot):
    _run(window, qtbot, "import torchvision\nprint('never')\n")
    assert window.model.run.result.status == "raised"
    assert isinstance(window.model.trace, BlankTrace)
    assert "torchvision" in _output(window)
    assert "Python for scripts" in window.message_bar.text()


def test_plots_show_in_their_tab(window, qtbot):
    pytest.importorskip("matplotlib")
    script = ("import matplotlib.pyplot as plt\nplt.plot([1, 2, 3], [1, 4, 9])\nplt.show()\n"
              "plt.plot([3, 2, 1])\nplt.show()\nprint('plotted')\n")
    _run(window, qtbot, script)
    assert _output(window) == "plotted\n"
    assert not window.plots_dock.isHidden()
    assert len(window.plots_panel.images) == 2
    assert "2 figures" in window.plots_panel.caption.text()
    assert not window.plots_panel.loss_plot.isVisibleTo(window.plots_panel)  # no passes
    assert window.run_placeholder.isVisible()  # no backward(): nothing to step
    assert "no backward()" in window.run_placeholder.text()


def test_a_session_keeps_the_recording_and_opens_without_running(window, qtbot, tmp_path):
    """Saved after a run, the session holds the script, its output and its passes; opened
    in another window it shows them at once, and nothing runs (a canary file stays away)."""
    script = TRAIN + "from pathlib import Path\nPath('canary.txt').write_text('ran')\n"
    _run(window, qtbot, script)
    runs = window.model.run
    canary = runs.folder / "canary.txt"
    assert canary.exists()  # the run itself made it, in the script's own folder
    box = window.findChild(QSpinBox, "iterationSelector")
    box.setValue(2)
    qtbot.waitUntil(lambda: runs.iteration == 2 and runs.on_screen, timeout=30_000)
    window.model.goto(3)
    expected_output = _output(window)
    session = tmp_path / "run.json"
    assert window.save_to(session)
    assert session.stat().st_size < 20_000_000
    from gui.window.main_window import MainWindow

    other = MainWindow()
    qtbot.addWidget(other)
    other.show()
    assert other.open_file(session)
    again = other.model.run
    qtbot.waitUntil(lambda: again.on_screen and again.iteration == 2, timeout=30_000)
    assert not other.is_running()
    assert other.model.position == 3 and _output(other) == expected_output
    assert again.count == 6 and again.output_text() == runs.output_text()
    assert other.editor_panel.editor.toPlainText() == script
    other.model.end()
    assert _output(other) == "".join(runs.output_text().splitlines(keepends=True)[:2])
    again.goto_pass(6, position=-1)
    qtbot.waitUntil(lambda: again.iteration == 6, timeout=30_000)
    assert _output(other) == runs.output_text()
    assert not (again.folder / "canary.txt").exists() and not (tmp_path / "canary.txt").exists()


def test_an_old_session_holding_a_script_opens_as_text(window, tmp_path):
    from core.io.session import Session, save_session

    path = tmp_path / "old.json"
    save_session(Session(TRAIN, title="old script"), path)
    assert window.open_file(path)
    assert isinstance(window.model.trace, BlankTrace) and window.run_placeholder.isVisible()
    assert "Run to record" in window.run_placeholder.text()
    assert window.editor_panel.editor.toPlainText() == TRAIN and not window.is_running()


def test_a_forward_only_script_is_stepped_forward(window, qtbot, tmp_path):
    script = ("import numpy as np\nimport torch\nx = torch.tensor(np.array([1.0, 2.0, 3.0]))\n"
              "p = torch.softmax(x * 2, dim=0)\nprint(p)\n")
    expected = _python_prints(tmp_path, script)
    _run(window, qtbot, script)
    runs = window.model.run
    assert _output(window) == expected and runs.count == 0
    assert runs.on_screen and window.model.length > 0 and window.canvas.isVisible()
    assert "No gradients were asked for" in window.message_bar.text()


def test_closing_the_window_ends_a_running_script(qtbot):
    import os

    from gui.window.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.editor_panel.editor.setPlainText(
        "import os, time\nfrom pathlib import Path\nPath('pid').write_text(str(os.getpid()))\n"
        "while True:\n    time.sleep(0.05)\n")
    window.run_script()
    runs = window.model.run
    qtbot.waitUntil(lambda: runs.folder is not None and (runs.folder / "pid").exists()
                    and bool((runs.folder / "pid").read_text()), timeout=RUN_MS)
    pid = int((runs.folder / "pid").read_text())
    folder = runs.folder
    window.close()
    assert not window.is_running() and not folder.exists()

    def gone() -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return False

    qtbot.waitUntil(gone, timeout=3000)


def test_an_opened_file_runs_in_its_folder_even_when_edited(window, qtbot, tmp_path):
    """`./data` works: the file's folder is the working folder, also for edits not saved
    yet (they run from a hidden copy beside the file, removed when the run ends)."""
    (tmp_path / "data.txt").write_text("3.5\n")
    path = tmp_path / "reads.py"
    path.write_text("from pathlib import Path\nprint(Path('data.txt').read_text().strip())\n",
                    encoding="utf-8")
    window.open_file(path)
    window._noticed_files = {str(path.resolve())}  # the notice was answered before
    with qtbot.waitSignal(window.runFinished, timeout=RUN_MS):
        assert window.run_script()
    assert _output(window) == "3.5\n" and window.model.run.path == path
    window.editor_panel.editor.appendPlainText("import sys\nprint(sys.argv[0].endswith('.py'))")
    with qtbot.waitSignal(window.runFinished, timeout=RUN_MS):
        assert window.run_script()
    assert _output(window) == "3.5\nTrue\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.txt", "reads.py"]
    assert path.read_text(encoding="utf-8").count("\n") == 2  # the file itself unchanged



def test_a_pass_chosen_as_the_run_ends_shows_only_what_was_printed_before_it(window, qtbot):
    """Output streamed in while a lesson ran is replaced by what the step on screen had
    printed, even when that is nothing: the panel once kept all of lesson 16's epochs
    when its pass 1 was chosen before the run's end had opened."""
    from gui.support.resources import resource

    runs = window.model.run
    assert window.load_example(resource("examples", "lessons") / "16-feed-forward-net.py")
    qtbot.waitUntil(lambda: not window.is_running() and runs.result is not None,
                    timeout=RUN_MS)
    assert runs.goto_pass(1)
    qtbot.waitUntil(lambda: runs.on_screen and runs.iteration == 1, timeout=30_000)
    window.model.goto(5)
    assert "epoch 15" in runs.output_text() and runs.output_at() == ""
    assert _output(window) == ""  # its first line is printed after pass 15


def test_the_time_limit_is_said_as_a_limit_not_as_an_error(window, qtbot):
    """A run the time limit ends: the Output caption and the status line say the limit
    of Run → Preferences stopped it (they said "The script raised" and "TimeLimit:
    stopped after 2 s", a type name), and no line of the script is marked."""
    window.run_prefs.timeout_s = 2  # (Run → Preferences; applied at each Run)
    script = ("import time, torch\nw = torch.tensor(1.0, requires_grad=True)\n"
              "for i in range(100000):\n    loss = (w * 3 - 1) ** 2\n    loss.backward()\n"
              "    time.sleep(0.02)\n")
    _run(window, qtbot, script)
    runs = window.model.run
    assert runs.result.status == "raised" and runs.result.error["type"] == "TimeLimit"
    caption = window.output_panel.caption.text()
    assert caption.startswith("The time limit stopped it after ") and "raised" not in caption
    message = str(window.model.error)
    assert message.startswith("The time limit stopped the script (stopped after 2 s)")
    assert "TimeLimit" not in message and window.model.error.line is None
    assert runs.count >= 1 and runs.on_screen  # what it recorded is stepped


def test_the_graphs_place_says_running_while_a_script_runs(window, qtbot):
    """It said "Run to record (Ctrl+R)" while the script ran."""
    window.editor_panel.editor.setPlainText(
        "import time\nfor i in range(1000):\n    print('step', i, flush=True)\n"
        "    time.sleep(0.02)\n")
    qtbot.keyClick(window.editor_panel.editor, Qt.Key.Key_Return,
                   Qt.KeyboardModifier.ControlModifier)  # applied: not built, "Run to record"
    placeholder = window.findChild(QLabel, "runPlaceholder")
    assert placeholder.isVisible() and placeholder.text().startswith("Run to record")
    qtbot.mouseClick(window.findChild(QToolButton, "runButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "step 1" in _output(window), timeout=RUN_MS)
    assert placeholder.isVisible() and placeholder.text().startswith("Running…")
    with qtbot.waitSignal(window.runFinished, timeout=5000):
        qtbot.mouseClick(window.findChild(QToolButton, "stopButton"), Qt.MouseButton.LeftButton)
    assert not placeholder.text().startswith("Running…")
