"""Issue 24: defects seen on a real desktop, each checked as the learner meets it (real
keys and clicks, and what the window then shows)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from tests.gui.test_i18n import _compiled_translation  # noqa: F401 - the .qm for Chinese


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
    assert window.canvas.counter() == window.step_bar.label.text()
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
    assert window.load_example("11-regression-autograd")
    assert window.model.script.run is not None
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


def test_a_pasted_script_starts_at_step_0_of_its_first_iteration(window, qtbot):
    from core.reading import read_program
    from gui.window.lessons import find_example

    window.canvas.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_End)
    script = read_program(find_example("11-regression-autograd"))
    _paste_and_apply(window, qtbot, script)
    qtbot.waitUntil(lambda: window.model.script.run is not None, timeout=TORCH_TIMEOUT)
    assert window.model.position == 0 and window.model.script.iteration == 1
    assert window.step_bar.label.text().startswith(f"step 0 of {window.model.length}")
    assert _gradients_on_the_graph(window) == []


def test_the_last_session_reopens_at_step_0(window, qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from core.session import session_from_json
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
