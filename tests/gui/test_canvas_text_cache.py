"""The process's text rasters (gui/canvas/text_cache.py): keyed by what they show, so a
new canvas, graph or theme pastes what an earlier one made; a grid's raster, keyed by
the text itself, stays with its own scene."""

from __future__ import annotations

import numpy as np
import pytest

from core.engine.trace import Stepper, build_trace
from core.io.examples import LESSON_TEXT, lesson_bindings
from gui.canvas import grids, text_cache
from gui.graph_canvas import GraphCanvas
from tests.gui.test_tensor_grids import LAYER


def _drawn(qtbot, program: str, bindings=None, end: bool = True) -> GraphCanvas:
    canvas = GraphCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(1200, 700)
    canvas.show()
    qtbot.waitExposed(canvas)
    trace = build_trace(program, bindings)
    stepper = Stepper(trace)
    if end:
        stepper.end()
    canvas.set_trace(trace)
    canvas.show_state(stepper.known, stepper.current)
    canvas.draw()
    return canvas


@pytest.fixture
def rasterised(monkeypatch):
    """The texts rasterised from now on (each call of CachedText._rasterise), none kept
    from earlier tests."""
    text_cache.RASTERS.clear()
    made = []
    rasterise = text_cache.CachedText._rasterise

    def counted(self, *args):
        made.append(self.get_text())
        return rasterise(self, *args)

    monkeypatch.setattr(text_cache.CachedText, "_rasterise", counted)
    return made


def test_a_second_canvas_of_the_lesson_pastes_the_rasters_the_first_made(qtbot, rasterised):
    first = _drawn(qtbot, LESSON_TEXT, lesson_bindings())
    assert "−2" in rasterised  # ∂loss/∂w, made by the first canvas
    image = np.array(first.buffer_rgba(), copy=True)
    rasterised.clear()
    second = _drawn(qtbot, LESSON_TEXT, lesson_bindings())
    assert rasterised == []  # every text of the same graph was kept
    assert np.array_equal(np.asarray(second.buffer_rgba()), image)
    assert second._raster_cache is first._raster_cache is text_cache.RASTERS


def test_a_new_graph_pastes_the_texts_it_shares_and_rasterises_only_its_own(qtbot,
                                                                            rasterised):
    _drawn(qtbot, LESSON_TEXT, lesson_bindings())
    lesson = set(rasterised)
    rasterised.clear()
    _drawn(qtbot, "x = 1.0\nw = param(1.0)\nloss = (w * x) ** 2")
    assert rasterised  # its own numbers and names
    assert "×" in lesson and "×" not in rasterised  # the multiplication's sign: pasted


def test_a_grids_raster_stays_with_its_scene(qtbot):
    canvas = _drawn(qtbot, LAYER)
    own = canvas.labels.own_rasters
    assert own  # the grids of X, W, b, h were drawn
    assert all(isinstance(key[0], int) for key in own)  # keyed by the text itself
    assert not any(isinstance(key[0], int) for key in text_cache.RASTERS)
    assert not grids.GridText.shared_raster and text_cache.CachedText.shared_raster


def test_a_new_scene_keeps_only_the_newest_quarter():
    text_cache.RASTERS.clear()
    text_cache.RASTERS.update((i, None) for i in range(text_cache.MAX_RASTERS))
    text_cache.make_room()
    quarter = text_cache.MAX_RASTERS // 4
    assert list(text_cache.RASTERS) == list(range(text_cache.MAX_RASTERS - quarter,
                                                  text_cache.MAX_RASTERS))
    text_cache.make_room()  # nothing more goes
    assert len(text_cache.RASTERS) == quarter
    text_cache.RASTERS.clear()
