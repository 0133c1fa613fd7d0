"""The view a step jumps to, composed ahead in idle time (issue 19, gui/canvas/ahead.py)."""

from __future__ import annotations

import numpy as np

from gui.canvas import ahead, prefetch
from tests.gui.test_canvas_tiles import _tree_canvas, _wait_for_idle_work


def _frame(canvas) -> tuple[np.ndarray, np.ndarray, tuple]:
    return (np.array(canvas.buffer_rgba(), copy=True),
            np.array(canvas._background, copy=True), (canvas.ax.get_xlim(), canvas.ax.get_ylim()))


def _step_to(qtbot, canvas, stepper, position: int, idle_ms: int) -> None:
    stepper.goto(position)
    canvas.show_state(stepper.known, stepper.current)
    qtbot.wait(idle_ms)


def test_a_jump_to_a_view_composed_ahead_shows_the_frame_drawn_without_it(
        qtbot, monkeypatch):
    """Each jump of the local and backward phases twice from the same state: once
    with nothing composed ahead, once after a held key's idle time composed the next
    view; the frames (and the backgrounds kept) are the same to the pixel."""
    monkeypatch.setattr(prefetch, "TILE_RENDER_S", float("inf"))
    canvas, stepper, trace = _tree_canvas(qtbot)
    _wait_for_idle_work(qtbot, canvas)
    helper = canvas.blitter.ahead
    compared = 0
    for phase in ("local", "backward"):
        begin = trace.phase_starts[phase]
        for position in range(begin, min(begin + 30, len(trace))):
            monkeypatch.setattr(ahead, "ENABLED", False)
            helper.views.clear()
            _step_to(qtbot, canvas, stepper, position, 1)
            used = helper.used
            _step_to(qtbot, canvas, stepper, position + 1, 1)
            without = _frame(canvas)
            assert helper.used == used  # nothing composed: drawn as always
            monkeypatch.setattr(ahead, "ENABLED", True)
            _step_to(qtbot, canvas, stepper, position, 1)
            canvas.update()  # a paint: the idle time after it composes the next view
            qtbot.wait(3 * round(ahead.AHEAD_QUIET_S * 1000) + 40)
            used = helper.used
            _step_to(qtbot, canvas, stepper, position + 1, 1)
            if helper.used == used:
                continue  # not a jump (or not one at this zoom)
            compared += 1
            with_ahead = _frame(canvas)
            assert np.array_equal(with_ahead[0], without[0]), position
            assert np.array_equal(with_ahead[1], without[1]), position
            assert with_ahead[2] == without[2]  # the follow planned ahead: the same view
    assert compared >= 4  # jumps did use a composed view
    assert helper.plans  # (and a follow planned ahead)


def test_a_composed_view_is_not_used_after_an_invalidation(qtbot, monkeypatch):
    """Whatever changes how the static layer looks invalidates (a new lattice key):
    the composed views kept before are never pasted, and are dropped."""
    monkeypatch.setattr(prefetch, "TILE_RENDER_S", float("inf"))
    canvas, stepper, trace = _tree_canvas(qtbot)
    _wait_for_idle_work(qtbot, canvas)
    helper = canvas.blitter.ahead
    stepper.goto(trace.phase_starts["local"])
    canvas.show_state(stepper.known, stepper.current)
    for _ in range(40):  # until some step's next view is a jump composed ahead
        canvas.update()
        qtbot.wait(3 * round(ahead.AHEAD_QUIET_S * 1000) + 40)
        if helper.views:
            break
        stepper.next()
        canvas.show_state(stepper.known, stepper.current)
    assert helper.views
    (lattice, offset, area, cut), = list(helper.views)[:1]
    assert lattice[-1] == canvas._tiles.generation
    canvas.blitter.invalidate()  # (a theme, language, What if, zoom: all come here)
    canvas._cut = set(cut)
    assert helper.take(offset, area) is None
    qtbot.waitUntil(lambda: not canvas._draw_pending)
    canvas.update()
    qtbot.wait(3 * round(ahead.AHEAD_QUIET_S * 1000) + 40)
    assert all(key[0][-1] == canvas._tiles.generation for key in helper.views)
    assert len(helper.views) <= ahead.AHEAD_VIEWS
