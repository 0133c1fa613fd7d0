"""The canvas's blits are a collaborator it owns (issue 18): ``canvas.blitter``."""

from __future__ import annotations

from gui.canvas.blit import Blitter
from gui.canvas.widget import GraphCanvas


def test_the_blits_are_a_collaborator_not_a_mixin(qtbot):
    assert Blitter not in GraphCanvas.__mro__
    canvas = GraphCanvas()
    qtbot.addWidget(canvas)
    assert isinstance(canvas.blitter, Blitter) and canvas.blitter.canvas is canvas
    # what the window and the layers call on the canvas still answers
    for name in ("blit", "show_counter", "paintEvent"):
        assert callable(getattr(canvas, name))
    # the layers ask the Blitter itself for the dynamic labels, not the canvas
    assert callable(canvas.blitter.draw_dynamic) and not hasattr(canvas, "draw_dynamic")


def test_a_pan_keeps_the_dynamic_labels_it_moves(qtbot):
    """A pan that keeps part of the view moves the frame with its dynamic labels and
    draws again only those in the new strips, those shown or hidden since and the
    highlight: fewer than the view holds; and the frame is a full draw's."""
    import numpy as np

    from core.engine.trace import Stepper, build_trace
    from tests.programs import chain

    canvas = GraphCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(1200, 700)
    canvas.show()
    qtbot.waitExposed(canvas)
    stepper = Stepper(build_trace(chain(1000).replace("x = 1.5", "x = param(1.5)")))
    canvas.set_trace(stepper.trace)
    canvas.show_state(stepper.known, stepper.current)
    qtbot.waitUntil(lambda: not canvas._draw_pending and canvas.geometry is not None)
    drawn: list = []
    draw_keys = canvas.blitter.draw_keys
    canvas.blitter.draw_keys = lambda r, keys, record: (drawn.extend(keys),
                                                        draw_keys(r, keys, record))
    kept = 0
    for _ in range(60):
        before = canvas.ax.get_ylim()
        stepper.next()
        drawn.clear()
        canvas.show_state(stepper.known, stepper.current)
        moved = abs(canvas.ax.get_ylim()[0] - before[0]) * canvas.view.k()
        if 0 < moved < canvas.ax.bbox.height / 2:  # a pan that keeps most of the view
            kept += 1
            assert len(set(drawn)) < len(canvas._drawn)
    assert kept >= 2
    scrolled = np.array(canvas.buffer_rgba(), copy=True).astype(int)
    canvas.draw()
    diff = np.abs(scrolled - np.asarray(canvas.buffer_rgba()).astype(int)).max(axis=-1)
    assert (diff > 1).mean() < 5e-4 and diff.max() <= 16  # (see test_canvas_pan)
