"""Issue 24: defects seen on a real desktop, each checked as the learner meets it (real
keys and clicks, and what the window then shows)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from tests.gui.test_i18n import _compiled_translation  # noqa: F401 - the .qm for Chinese
from tests.gui.test_script_window import choose_pass, run_lesson


def _caption_strip(window, qtbot) -> np.ndarray:
    """The pixels of the strip under the graph (where F11 shows the step caption)."""
    from gui.canvas.scene import LEGEND_HEIGHT

    canvas = window.canvas
    qtbot.waitUntil(lambda: not canvas._draw_pending)
    image = canvas.grab().toImage()
    height = image.height()
    strip = int(height * LEGEND_HEIGHT)
    rows = image.copy(0, height - strip, image.width(), strip)
    buffer = np.frombuffer(rows.constBits(), np.uint8, rows.sizeInBytes())
    return buffer.reshape(rows.height(), rows.bytesPerLine()).copy()


def _fresh_strip(window, qtbot) -> np.ndarray:
    """The same strip drawn from scratch (no text kept from earlier draws)."""
    window.canvas._raster_cache.clear()
    window.canvas.draw()
    return _caption_strip(window, qtbot)


def _caption_follows_the_steps(window, qtbot, presses: int) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F11)
    assert window.presentation
    first = _caption_strip(window, qtbot)
    for _ in range(presses):
        qtbot.keyClick(window, Qt.Key.Key_Right)
    assert window.model.position == presses
    assert window.canvas.counter().startswith(window.step_bar.label.text())
    assert f"{presses}" in window.step_bar.label.text()
    stepped = _caption_strip(window, qtbot)
    assert not np.array_equal(stepped, first), "the caption still shows the first step"
    assert np.array_equal(stepped, _fresh_strip(window, qtbot)), \
        "the caption on screen is not the current step's"
    qtbot.keyClick(window, Qt.Key.Key_F11)


# ---- 1. the presentation caption follows every step
def test_presentation_caption_follows_every_step(window, qtbot):
    _caption_follows_the_steps(window, qtbot, 9)
    assert window.step_bar.label.text().startswith("step 9 of 9")


def test_presentation_caption_follows_every_step_in_chinese(window, qtbot):
    window.set_language("zh")
    _caption_follows_the_steps(window, qtbot, 4)
    assert "4" in window.step_bar.label.text() and "step" not in window.step_bar.label.text()


def test_presentation_caption_follows_every_step_in_a_script(window, qtbot):
    run_lesson(window, qtbot, "11-regression-autograd")
    assert window.model.run.on_screen and window.model.run.iteration == 20
    qtbot.keyClick(window, Qt.Key.Key_Home)  # the last pass from its start
    assert window.model.position == 0
    _caption_follows_the_steps(window, qtbot, 5)


# ---- 2. nothing is revealed before its step
TORCH_TIMEOUT = 120_000
LESSON_CODE = """import torch
x = torch.tensor(1.0)
y = torch.tensor(2.0)
w = torch.tensor(1.0, requires_grad=True)
y_hat = w * x
loss = (y_hat - y) ** 2
print(loss)
loss.backward()
print(w.grad)
"""


def _paste_and_apply(window, qtbot, text: str) -> None:
    """Select all in the editor, paste ``text`` from the clipboard, Ctrl+Return."""
    from PySide6.QtGui import QGuiApplication

    editor = window.editor_panel.editor
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    QGuiApplication.clipboard().setText(text)
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == text
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def _gradients_on_the_graph(window) -> list[str]:
    graph = window.model.trace.graph
    return [label for node in graph.nodes
            if (label := window.canvas.node_labels(node.id)["gradient"]) is not None]


def test_a_pasted_program_starts_at_step_0_and_prints_as_the_walk_reaches_them(window, qtbot):
    window.canvas.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_End)  # the lesson at its end, every gradient shown
    assert window.model.position == 9 and _gradients_on_the_graph(window)
    _paste_and_apply(window, qtbot, LESSON_CODE)
    assert window.model.program.text == LESSON_CODE
    n = window.model.length
    assert window.model.position == 0
    assert window.step_bar.label.text() == f"step 0 of {n} · start"
    assert _gradients_on_the_graph(window) == []
    panel = window.torch_panel
    window.start_torch_check()
    qtbot.waitUntil(lambda: panel.status.text() == "all match", timeout=TORCH_TIMEOUT)
    assert panel.printed_text() == ""  # step 0: nothing torch printed is computed yet
    assert window.output_panel.lines() == []
    window.canvas.setFocus()
    loss_at = next(s.index for s in window.model.trace.steps
                   if s.node == window.model.trace.graph.output)
    for _ in range(loss_at - 1):
        qtbot.keyClick(window, Qt.Key.Key_Right)
    assert panel.printed_text() == ""
    qtbot.keyClick(window, Qt.Key.Key_Right)  # the forward pass reaches loss: print(loss)
    assert panel.printed_text() == "tensor(1., grad_fn=<PowBackward0>)\n"
    qtbot.keyClick(window, Qt.Key.Key_End)  # the backward pass reaches w: print(w.grad)
    assert panel.printed_text() == "tensor(1., grad_fn=<PowBackward0>)\ntensor(-2.)\n"


def test_a_pasted_script_starts_at_step_0_and_runs_only_with_run(window, qtbot):
    """Apply on a pasted script after End: step 0, no gradient on the graph, and the
    message says Run runs it (issue 20: Apply never runs a script)."""
    from core.language.reading import read_program
    from gui.window.lessons import find_example

    window.canvas.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_End)
    script = read_program(find_example("11-regression-autograd"))
    _paste_and_apply(window, qtbot, script)
    qtbot.waitUntil(lambda: window.model.position == 0)
    assert not window.is_running()
    assert window.step_bar.label.text().startswith("step 0 of ")
    assert _gradients_on_the_graph(window) == []
    assert "Run" in window.message_bar.text()


def test_the_last_session_reopens_at_step_0(window, qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from core.io.session import session_from_json
    from gui.state.model import Program

    text = "w = param(2.0)\nloss = (w * 3 - 1) ** 2\n"
    window.load_program(Program(text, {}), None)
    window.model.goto(window.model.length)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window.save_settings(settings)
    assert session_from_json(settings.value("lastSession")).position == window.model.length
    window.new_session()
    assert window.reopen_last_session(settings)
    assert window.model.program.text == text
    assert window.model.position == 0
    assert window.step_bar.label.text().startswith("step 0 of ")
    assert _gradients_on_the_graph(window) == []


# ---- 3. the view fits after Apply
def _whole_graph_in_view(canvas) -> bool:
    return canvas.view.fits(canvas.ax.get_xlim(), canvas.ax.get_ylim())


def _readable(canvas) -> bool:
    """The graph's smallest text is drawn, at least MIN_TEXT_PX (9.5 px) tall."""
    return canvas.view.shown_text_at(canvas.view.k())


def test_a_new_graph_is_fitted_after_apply(window, qtbot):
    canvas = window.canvas
    canvas.setFocus()
    for _ in range(6):  # far out: the lesson small in the middle of the canvas
        qtbot.keyClick(window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    zoomed_out = canvas.view.k()
    _paste_and_apply(window, qtbot, "w = param(0.5)\nloss = (w * 3 - 1) ** 2\n")
    assert window.model.program.text.startswith("w = param(0.5)")
    assert canvas.view.k() > 2 * zoomed_out
    assert abs(canvas.view.k() - canvas.view.fit_k()) < 1e-9 * canvas.view.k()  # fitted, as F does
    assert _whole_graph_in_view(canvas) and not canvas.hint
    assert _readable(canvas)


def test_a_script_opened_after_a_zoom_fills_the_canvas(window, qtbot):
    canvas = window.canvas
    canvas.setFocus()
    for _ in range(6):
        qtbot.keyClick(window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    run_lesson(window, qtbot, "11-regression-autograd")
    assert window.model.run.on_screen
    assert _readable(canvas)
    x0, x1, y0, y1 = canvas.extent
    width, height = (x1 - x0) * canvas.view.k(), (y1 - y0) * canvas.view.k()
    box = canvas.ax.bbox
    # the graph spans the canvas one way (not a third of it)
    assert width >= 0.8 * box.width or height >= 0.8 * box.height or canvas.hint


def test_moving_between_iterations_keeps_one_zoom(window, qtbot):
    canvas = window.canvas
    run_lesson(window, qtbot, "11-regression-autograd")
    runs = window.model.run
    assert [p.index for p in runs.recording.passes if p.kept] == [1, 2, 3, 20]
    choose_pass(window, qtbot, 3)  # kept passes: the ones with a graph to show
    canvas.setFocus()
    zoom = canvas.view.k()
    seen = []
    for key, k in ((Qt.Key.Key_BracketLeft, 2), (Qt.Key.Key_BracketLeft, 1),
                   (Qt.Key.Key_BracketRight, 2), (Qt.Key.Key_BracketRight, 3)):
        qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda k=k: runs.iteration == k, timeout=TORCH_TIMEOUT)
        seen.append((runs.iteration, canvas.view.k()))
        assert _readable(canvas)
        assert _whole_graph_in_view(canvas) or canvas.hint  # too wide: readable, with a hint
        assert canvas.ax.get_xlim()[0] <= canvas.extent[0] + 1e-6  # the inputs not cut off
    choose_pass(window, qtbot, 20)  # the last pass: its numbers may be wider
    seen.append((runs.iteration, canvas.view.k()))
    assert _readable(canvas) and (_whole_graph_in_view(canvas) or canvas.hint)
    assert [i for i, _ in seen] == [2, 1, 2, 3, 20]
    assert all(abs(k - zoom) < 1e-9 * zoom for _, k in seen[:4])
    assert seen[4][1] <= zoom * (1 + 1e-9)  # never larger


# ---- 9. titles and the application's names
def test_the_window_title_names_the_document(window, qtbot, tmp_path):
    assert window.windowTitle() == "The lesson: linear regression, one sample[*] — Backprop Stepper"
    assert "Untitled" not in window.windowTitle()
    run_lesson(window, qtbot, "11-regression-autograd")
    assert window.windowTitle().startswith("Linear regression with autograd[*]")
    window.load_example("05-cs231n-sigmoid-neuron")
    assert window.windowTitle().startswith("CS231n: a sigmoid neuron[*]")
    window.set_language("zh")
    qtbot.waitUntil(lambda: window.windowTitle().startswith("CS231n：一个 sigmoid 神经元[*]"))
    assert window.windowTitle().endswith(" — Backprop Stepper")
    window.set_language("en")
    qtbot.waitUntil(lambda: window.windowTitle().startswith("CS231n: a sigmoid neuron[*]"))
    assert window.save_to(tmp_path / "my-work.json")
    assert window.windowTitle().startswith("my-work.json[*]")
    window.new_session()  # File → New: the lesson again, by its name
    assert window.windowTitle().startswith("The lesson: linear regression, one sample[*]")


def test_the_application_is_named_backprop_stepper(qtbot):
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QGuiApplication

    from gui.app import _application

    _application(offscreen=True, lang="en")
    assert QGuiApplication.desktopFileName() == "backprop-stepper"
    assert QCoreApplication.applicationName() == "backprop-stepper"
    assert QGuiApplication.applicationDisplayName() == "Backprop Stepper"
    desktop = Path(__file__).resolve().parents[2] / "packaging/linux/backprop-stepper.desktop"
    assert "StartupWMClass=backprop-stepper" in desktop.read_text().splitlines()


WM_PROBE = """
import subprocess
from PySide6.QtCore import QTimer
from gui.app import _application
app = _application(offscreen=False, lang="en")
from gui.window.main_window import MainWindow
window = MainWindow()
window.show()
def look():
    wid = str(int(window.winId()))
    for prop in ("WM_CLASS", "_NET_WM_NAME"):
        print(subprocess.run(["xprop", "-id", wid, prop], capture_output=True,
                             text=True).stdout.strip())
    app.quit()
QTimer.singleShot(1500, look)
app.exec()
"""


@pytest.mark.skipif(not (shutil.which("xvfb-run") and shutil.which("xprop")),
                    reason="needs Xvfb and xprop (a real X server)")
def test_the_x11_window_class_and_title_on_a_real_x_server(tmp_path):
    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    env.update(XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    done = subprocess.run(["xvfb-run", "-a", sys.executable, "-c", WM_PROBE], cwd=root,
                          env=env, capture_output=True, text=True, timeout=120)
    assert 'WM_CLASS(STRING) = "backprop-stepper", "backprop-stepper"' in done.stdout, \
        done.stdout + done.stderr
    assert ('_NET_WM_NAME(UTF8_STRING) = "The lesson: linear regression, one sample — '
            'Backprop Stepper"') in done.stdout


# ---- 5. recovery tells the truth
def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait(timeout=60)
    return process.pid


def _orphan(folder: Path, text: str, name: str | None = None) -> Path:
    """A recovery file left by a process that is gone (as a kill -9 leaves it)."""
    from core.io.session import Session
    from gui.state.model import Program, build

    folder.mkdir(parents=True, exist_ok=True)
    program = Program(text, {})
    build(program)  # a program that builds
    path = folder / (name or f"recovery-{_dead_pid()}.json")
    path.write_text(Session(text, {}, 3).to_json(), encoding="utf-8")
    return path


def _recovery_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("recovery-*.json"))


def test_a_clean_quit_leaves_nothing_to_offer(window, qtbot, tmp_path):
    from gui.window.recovery import discard_all, install, orphaned_files

    first = _orphan(tmp_path, "w = param(2.0)\nloss = (w * 3 - 1) ** 2\n")
    second = _orphan(tmp_path, "w = param(5.0)\nloss = (w + 1) ** 2\n")
    _, bar = install(window, tmp_path)
    bars = window.recovery_bars
    assert len(bars) == 2
    for shown in bars:  # the first fills this window, the second opens one of its own
        qtbot.mouseClick(shown.restore_button, Qt.MouseButton.LeftButton)
    assert not first.exists() and not second.exists()
    assert len(window.extra_windows) == 1
    qtbot.addWidget(window.extra_windows[0])  # closed after the test, as the user would
    assert len(_recovery_files(tmp_path)) == 2  # each window's own autosave
    discard_all()  # what the application runs when it quits
    assert _recovery_files(tmp_path) == []
    window.canvas.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Right)  # a late signal writes nothing again
    window.extra_windows[0].model.next()
    assert _recovery_files(tmp_path) == [] and orphaned_files(tmp_path) == []


def test_closing_a_window_removes_its_recovery_file(window, qtbot, tmp_path):
    from gui.window.recovery import install

    autosave, _ = install(window, tmp_path)
    _paste_and_apply(window, qtbot, "w = param(0.5)\nloss = (w * 3 - 1) ** 2\n")
    assert autosave.path.exists()
    window.close()  # Discard in the unsaved-changes question, or nothing to ask: closed
    assert _recovery_files(tmp_path) == []


def test_restore_uses_this_window_when_it_holds_no_work(window, qtbot, tmp_path):
    from gui.state.model import Program
    from gui.window.recovery import install

    reopened = "w = param(1.5)\nloss = w ** 2\n"
    window.load_program(Program(reopened, {}), 0, "")  # the last session, reopened
    lost = "w = param(2.0)\nloss = (w * 3 - 1) ** 2\n"
    _orphan(tmp_path, lost)
    _, bar = install(window, tmp_path)
    assert window.model.program.text == reopened
    qtbot.mouseClick(bar.restore_button, Qt.MouseButton.LeftButton)
    assert window.model.program.text == lost
    assert window.editor_panel.editor.toPlainText() == lost
    assert not getattr(window, "extra_windows", [])  # no second, identical window


def test_restore_opens_a_window_when_this_one_has_work(window, qtbot, tmp_path):
    from gui.window.recovery import install

    _orphan(tmp_path, "w = param(2.0)\nloss = (w * 3 - 1) ** 2\n")
    _, bar = install(window, tmp_path)
    mine = "w = param(0.5)\nloss = (w - 4) ** 2\n"
    _paste_and_apply(window, qtbot, mine)
    qtbot.mouseClick(bar.restore_button, Qt.MouseButton.LeftButton)
    qtbot.addWidget(window.extra_windows[0])  # closed after the test
    assert window.model.program.text == mine  # never overwritten
    assert window.extra_windows[0].model.program.text.startswith("w = param(2.0)")


def test_one_banner_per_orphaned_session(window, qtbot, tmp_path):
    from gui.window.recovery import install

    text = "w = param(2.0)\nloss = (w * 3 - 1) ** 2\n"
    copies = [_orphan(tmp_path, text), _orphan(tmp_path, text)]
    other = _orphan(tmp_path, "w = param(5.0)\nloss = (w + 1) ** 2\n")
    install(window, tmp_path)
    shown = [bar for bar in window.recovery_bars if bar.isVisibleTo(window)]
    assert len(shown) == 2
    same = next(bar for bar in shown if bar.path in copies)
    qtbot.mouseClick(same.discard_button, Qt.MouseButton.LeftButton)
    assert not any(path.exists() for path in copies) and other.exists()


def test_recovery_dates_are_in_the_locale_format(window, qtbot, tmp_path):
    import re

    from PySide6.QtCore import QDateTime, QLocale

    from gui.support import i18n
    from gui.window.recovery import install

    i18n.apply_language(i18n.SYSTEM)  # here the system locale is C (LANG=C.UTF-8)
    path = _orphan(tmp_path, "w = param(2.0)\nloss = (w * 3 - 1) ** 2\n")
    _, bar = install(window, tmp_path)
    stamp = QDateTime.fromSecsSinceEpoch(int(path.stat().st_mtime))
    english = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    detail = bar.detail.text()
    assert detail.startswith(english.toString(stamp, QLocale.FormatType.ShortFormat) + " · ")
    assert not re.match(r"\d{1,2} \d{1,2} \d{4}", detail)  # the C locale's "6 12 2026"
    assert "/" in detail.split(" · ")[0]
    for bar in window.recovery_bars:
        bar.discard()
    window.set_language("zh")  # a start in Chinese
    path = _orphan(tmp_path / "zh", "w = param(2.0)\nloss = (w * 3 - 1) ** 2\n")
    _, bar = install(window, tmp_path / "zh")
    chinese = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    stamp = QDateTime.fromSecsSinceEpoch(int(path.stat().st_mtime))
    assert bar.detail.text().startswith(chinese.toString(stamp, QLocale.FormatType.ShortFormat))


# ---- 11. presentation mode: Esc leaves it, and the menus stay reachable
def test_esc_leaves_presentation_mode_and_a_hint_says_how(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_F11)
    assert window.presentation and not window.menuBar().isVisible()
    hint = window.statusBar().currentMessage()
    assert "Esc" in hint and "F11" in hint and "F10" in hint
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_F10)  # the menus, while presenting
    assert window.presentation and window.menuBar().isVisible()
    qtbot.keyClick(window.canvas, Qt.Key.Key_F10)
    assert not window.menuBar().isVisible()
    qtbot.keyClick(window.canvas, Qt.Key.Key_Right)
    qtbot.keyClick(window.canvas, Qt.Key.Key_Escape)  # the canvas has the focus, as usual
    assert not window.presentation and not window.isFullScreen()
    assert window.menuBar().isVisible() and window.model.position == 1
    qtbot.keyClick(window.canvas, Qt.Key.Key_Escape)  # outside presentation: nothing
    assert not window.presentation
    rows = dict(window.shortcut_rows())
    assert rows["Leave presentation mode"] == "Esc"


# ---- 12. the mode toggle says what it does; the mode shows where the learner looks
def test_the_mode_toggle_says_what_it_does(window, qtbot):
    from PySide6.QtWidgets import QToolButton

    button = window.findChild(QToolButton, "forwardModeButton")
    assert button.text() == "Switch to forward mode"
    assert "reverse mode" in button.toolTip().lower()
    heading = window.explanation.toPlainText().splitlines()[0]
    assert heading == "Step 0 of 9 · start"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.forward_panel.forward_mode
    assert button.text() == "Switch to reverse mode"
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_Right)
    heading = window.explanation.toPlainText().splitlines()[0]
    assert heading == "Step 1 of 9 · Forward pass · forward mode"  # where the learner reads
    qtbot.keyClick(window, Qt.Key.Key_F11)  # the caption under the graph says it too
    assert window.canvas.counter() == "step 1 of 9 · Forward pass · forward mode"
    qtbot.keyClick(window, Qt.Key.Key_F11)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not window.forward_panel.forward_mode
    assert button.text() == "Switch to forward mode"
    assert window.explanation.toPlainText().splitlines()[0] == "Step 1 of 9 · Forward pass"
    assert window.forward_panel.mode_action.text() == "Forward Mode"  # the Step menu's ✓


# ---- 15. small things
def test_the_training_table_selects_one_row_per_iteration(window, qtbot):
    run_lesson(window, qtbot, "11-regression-autograd")
    choose_pass(window, qtbot, 1)
    window.show_training()
    table = window.training_panel.table
    window.canvas.setFocus()
    for expected in range(2, 6):  # kept passes (2, 3) and summaries (4, 5) alike
        qtbot.keyClick(window, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda e=expected: window.model.run.iteration == e,
                        timeout=TORCH_TIMEOUT)
        rows = sorted({index.row() for index in table.selectionModel().selectedRows()})
        assert rows == [expected - 1]  # the iteration on screen, and only it
        assert table.item(expected - 1, 0).text() == str(expected)


def test_the_overview_keeps_the_current_steps_labels_clear_of_the_neighbours(window, qtbot):
    from gui.canvas.blit import _overlap
    from gui.canvas.focus import dynamic_keys, visible_now
    from gui.canvas.scene import _HIGHLIGHT, _LOCAL

    window.resize(1280, 720)
    assert window.load_example("07-mean-squared-error")
    canvas = window.canvas
    canvas.setFocus()
    checked = 0
    for _ in range(window.model.length):
        qtbot.keyClick(window, Qt.Key.Key_Right)
        qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ShiftModifier)  # Whole graph
        canvas.draw()
        assert not canvas.geometry.show_text  # an overview at this size
        renderer = canvas.get_renderer()
        keys = [k for k in dynamic_keys(canvas) if k[0] != _HIGHLIGHT and visible_now(canvas, k)]
        boxes = [canvas.labels.dynamic_text(k).pixel_extent(renderer) for k in keys]
        for i, box in enumerate(boxes):
            assert not any(_overlap(box, other) for other in boxes[i + 1:]), keys
        current = window.model.current
        if current.edge is not None:  # the current step's own label is always drawn
            assert (_LOCAL, canvas.edge_index[current.edge]) in keys
            checked += 1
    assert checked >= 3


# ---- 14. a gradient not computed yet never shows as a number
def test_gradients_not_computed_yet_show_as_not_computed(window, qtbot):
    from core.engine.backward_steps import BackwardStep, ParameterUpdate

    window.model.set_learning_rate(0.1)  # the update phase too
    trace = window.model.trace
    window.canvas.setFocus()
    for position in range(len(trace) + 1):
        known = window.model.known
        for step in trace.steps:
            if not isinstance(step, (BackwardStep, ParameterUpdate)):
                continue
            value = window.tables.row_texts(step.index)[2]
            if step.index > position:
                assert value == "?", (position, step.equation)
            else:
                assert value not in ("?", "")
        for node in trace.graph.nodes:  # the canvas: a gradient label only once computed
            shown = window.canvas.node_labels(node.id)["gradient"]
            assert (shown is not None) == (node.id in known.grads), (position, node.label)
        qtbot.keyClick(window.canvas, Qt.Key.Key_Right)
    assert window.model.position == len(trace)


# ---- 8. beginners can read a network: a grid's digits stay at least 11 px
def _grid_pixel_sizes(canvas) -> list[float]:
    """The font size, in logical pixels, of every tensor grid drawn on the canvas now."""
    from gui.canvas.grids import MONO

    canvas.draw()
    pixels = canvas.figure.dpi / 72 / (canvas.device_pixel_ratio or 1.0)
    return [text.get_fontsize() * pixels for text in canvas._texts.values()
            if text.get_visible() and MONO in text.get_fontfamily()
            and getattr(text, "info", {}).get("mode") == "grid"]


def test_grid_digits_stay_eleven_pixels_at_1920x1080_even_zoomed_out(window, qtbot):
    from gui.window import dock_layout

    window.resize(1728, 972)  # a first launch on 1920×1080, docks at their defaults
    dock_layout.apply_default_sizes(window)
    assert window.load_example("09-one-layer")
    canvas = window.canvas
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_End)
    fitted = _grid_pixel_sizes(canvas)
    assert len(fitted) >= 6 and min(fitted) >= 11.0, fitted
    for _ in range(12):  # zoomed out as far as it goes: text stops at its readable floor
        qtbot.keyClick(canvas, Qt.Key.Key_Minus)
    # (drawn first: a graph that fits at a readable zoom was drawn above the floor)
    qtbot.waitUntil(lambda: not canvas._draw_pending, timeout=5000)
    assert canvas._text_zoom == pytest.approx(canvas.view.min_text_zoom())
    floor = _grid_pixel_sizes(canvas)
    assert floor and min(floor) >= 11.0, floor
