"""The legend under the graph wraps onto more rows on a narrow canvas instead of
dropping its last entries, "current" and "not needed" (issue 24, item 4), in Chinese
too; the strip grows to hold the rows."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication


def _legend_words(window) -> list[str]:
    canvas = window.canvas
    canvas.hint = False  # the legend itself, not the "zoomed in to read" note
    canvas.draw()
    QApplication.processEvents()
    return [t.get_text() for t in canvas._legend.drawn]


@pytest.mark.parametrize(("language", "current", "unneeded"),
                         [("en", "current", "not needed"), ("zh", "当前", "不需要")])
def test_a_narrow_canvas_wraps_the_legend(window, qtbot, language, current, unneeded):
    window.set_language(language)
    window.resize(1400, 900)
    qtbot.wait(50)
    wide = _legend_words(window)
    assert len(wide) == 9
    strip = window.canvas.ax.bbox.y0
    window.canvas.setMinimumWidth(0)
    window.resize(960, 540)
    window.editor_dock.setMinimumWidth(300)
    window.torch_dock.setMinimumWidth(300)
    qtbot.wait(50)
    assert window.canvas.width() < 420
    narrow = _legend_words(window)
    assert len(narrow) == 9, narrow  # every entry, none dropped
    assert any(current in w for w in narrow) and any(unneeded in w for w in narrow)
    rows = {round(t.get_position()[1]) for t in window.canvas._legend.drawn}
    assert len(rows) >= 2
    assert window.canvas.ax.bbox.y0 > strip * window.canvas.height() / 900  # a taller strip
    # every word lies inside the canvas and below the graph's axes
    canvas = window.canvas
    renderer = canvas.get_renderer()
    for text in canvas._legend.drawn:
        box = text.get_window_extent(renderer)
        assert box.x0 >= 0 and box.x1 <= canvas.figure.bbox.width + 0.5, text.get_text()
        assert box.y1 <= canvas.ax.bbox.y0 + 1, text.get_text()
