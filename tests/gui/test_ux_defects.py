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
