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
