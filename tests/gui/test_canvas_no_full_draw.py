"""Fifty steps at 1,000 nodes draw nothing in full, in the window and in presentation
mode (issue 19). Nothing is timed: full draws are counted.

A full draw is the figure drawn whole (matplotlib's ``draw_event``, whoever asked for
it: ``canvas.draw()``, ``draw_idle``, a paint with a draw pending). A step blits the
labels it changed; a step that must follow the step pans by scrolling the background
(gui/canvas/pan.py); the presentation's step counter is blitted in its strip
(``GraphCanvas.show_counter``).
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.programs import chain

STEPS = 50


def _settle(window) -> None:
    """Until no draw is pending and the event loop has run the timers a step starts
    (a pending draw is a full one: it would be counted)."""
    app = QApplication.instance()
    deadline = time.monotonic() + 10
    quiet = 0
    while quiet < 3 and time.monotonic() < deadline:
        app.processEvents()
        quiet = 0 if window.canvas._draw_pending else quiet + 1


def _open_big(window, qtbot) -> None:
    window.resize(1400, 900)
    window.editor_panel.editor.setPlainText(chain(1000))
    window.editor_panel.apply()
    qtbot.waitUntil(lambda: not window.model.building
                    and len(window.model.trace.graph.nodes) >= 1000, timeout=60000)
    _settle(window)


def _count_full_draws(window, qtbot) -> tuple[list[int], int]:
    """Full draws while stepping forward STEPS times with →, and how many steps panned."""
    canvas, model = window.canvas, window.model
    draws: list[int] = []
    cid = canvas.mpl_connect("draw_event", lambda _event: draws.append(model.position))
    pans = 0
    try:
        canvas.setFocus()
        for _ in range(STEPS):
            before = (canvas.ax.get_xlim(), canvas.ax.get_ylim())
            QTest.keyClick(window, Qt.Key.Key_Right)
            _settle(window)
            pans += before != (canvas.ax.get_xlim(), canvas.ax.get_ylim())
            assert canvas.step_in_view(model.current)
    finally:
        canvas.mpl_disconnect(cid)
    return draws, pans


@pytest.mark.parametrize("presentation", [False, True], ids=["window", "presentation"])
def test_fifty_steps_at_a_thousand_nodes_draw_nothing_in_full(window, qtbot, presentation):
    _open_big(window, qtbot)
    if presentation:
        QTest.keyClick(window, Qt.Key.Key_F11)  # a new size and zoom: drawn in full, once
        assert window.presentation
        # its text size places the graph again, in a worker thread at this size (rescale.py)
        qtbot.waitUntil(lambda: not window.canvas.rescaler.pending, timeout=120_000)
        qtbot.wait(120)  # the fit it asks for once the full screen is laid out
        _settle(window)
        assert window.canvas.counter is not None
    model = window.model
    start = model.position
    draws, pans = _count_full_draws(window, qtbot)
    assert model.position == start + STEPS
    assert draws == []
    assert pans >= 1  # the view followed the step: its pans drew nothing in full either
    if presentation:  # the counter under the graph says where we are, blitted
        assert str(model.position) in window.canvas.counter()


def test_the_blitted_counter_is_what_a_full_draw_shows(qtbot):
    from core.engine.trace import Stepper, build_trace
    from gui.graph_canvas import GraphCanvas
    from tests.programs import chain_program

    canvas = GraphCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(900, 600)
    canvas.show()
    qtbot.waitExposed(canvas)
    trace = build_trace(chain_program(3, 3))
    stepper = Stepper(trace)
    words = ["Step 0 of 40"]
    canvas.counter = lambda: words[0]
    canvas.set_trace(trace)
    canvas.show_state(stepper.known, stepper.current)
    qtbot.waitUntil(lambda: not canvas._draw_pending and canvas.geometry is not None)
    draws = []
    canvas.mpl_connect("draw_event", lambda _event: draws.append(1))
    for i in range(1, 8):
        stepper.next()
        canvas.show_state(stepper.known, stepper.current)
        words[0] = f"Step {i} of 40 — a longer caption {'·' * i}"
        canvas.show_counter()
        qtbot.wait(1)
    assert draws == []
    blitted = np.array(canvas.buffer_rgba(), copy=True).astype(int)
    canvas.draw()
    full = np.asarray(canvas.buffer_rgba()).astype(int)
    assert canvas._legend.drawn[0].get_text() == words[0]
    assert (np.abs(blitted - full).max(axis=-1) > 1).sum() == 0


def test_the_counter_strip_after_stepped_pans_is_a_full_draws(window, qtbot):
    """Presentation mode on a network example, stepped to its end one step at a time
    (pans that re-cut labels at the strip's edge): the strip under the graph holds the
    whole counter, as a full draw paints it (a re-cut label's box once blanked part of
    it)."""
    from pathlib import Path

    window.resize(1400, 900)
    assert window.load_example(Path("resources/examples/09-one-layer.json"))
    _settle(window)
    canvas, model = window.canvas, window.model
    for position in range(1, model.length * 2 // 3 + 1):  # the window first, as seen
        model.goto(position)
        QApplication.processEvents()
    _settle(window)
    QTest.keyClick(window, Qt.Key.Key_F11)
    qtbot.wait(120)
    _settle(window)
    for position in range(model.position + 1, model.length + 1):
        model.goto(position)
        QApplication.processEvents()
    _settle(window)
    height = int(canvas.figure.bbox.height)
    top = canvas.scroller.axes_rows_cols(height)[1]
    stepped = np.array(canvas.buffer_rgba(), copy=True)[top:].astype(int)
    canvas.draw()
    full = np.asarray(canvas.buffer_rgba())[top:].astype(int)
    assert f"{model.length} of {model.length}" in canvas._legend.drawn[0].get_text()
    assert (np.abs(stepped - full).max(axis=-1) > 1).sum() == 0
