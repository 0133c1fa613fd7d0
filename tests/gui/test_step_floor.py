"""What a step does besides the canvas, counted, not timed (issue 19: a small graph's
step cost ~14 ms with every panel hidden but the step bar).

A step changes the step bar's "step k of n · phase" text and its slider: that repaints
them, and no more. Nothing lays the bar, its dock or the window out again (each did at
every step: the label's size followed its text), and the window paints no part of
itself except behind the bar's own widgets.
"""

from __future__ import annotations

import collections

import numpy as np
from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QRegion
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.programs import chain

STEPS = 12


class _Events(QObject):
    """Layout requests and paints, by the widget's objectName, while ``on``."""

    def __init__(self, window) -> None:
        super().__init__()
        self.window, self.on = window, False
        self.layouts: collections.Counter = collections.Counter()
        #: what the window painted itself, and what its children did (in its pixels)
        self.own, self.children = QRegion(), QRegion()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if self.on and event.type() == QEvent.Type.LayoutRequest:
            self.layouts[obj.objectName()] += 1
        elif self.on and event.type() == QEvent.Type.Paint and obj.isWidgetType():
            if obj is self.window:
                self.own = self.own.united(event.region())
            elif obj.window() is self.window:
                where = obj.mapTo(self.window, QPoint(0, 0))
                self.children = self.children.united(event.region().translated(where))
        return False

    def behind_no_child(self) -> QRegion:
        """What the window painted where none of its children painted."""
        return self.own.subtracted(self.children)


def _settle(app) -> None:
    for _ in range(5):
        app.processEvents()


def _open_chain(window, qtbot) -> None:
    """A program long enough to step through (a chain of 12 operations)."""
    window.resize(1280, 720)
    window.editor_panel.editor.setPlainText(chain(12))
    window.editor_panel.apply()
    qtbot.waitUntil(lambda: not window.model.building and window.model.length > STEPS + 2,
                    timeout=30000)


def _steps_within_a_phase(window, qtbot) -> _Events:
    """→ STEPS times from the first step of the forward pass, each press counted only
    when the phase stays (a new phase bolds its button: the bar's row may change)."""
    app = QApplication.instance()
    _open_chain(window, qtbot)
    model = window.model
    model.goto(1)
    _settle(app)
    window.canvas.setFocus()
    events = _Events(window)
    app.installEventFilter(events)
    counted = 0
    try:
        for _ in range(STEPS):
            phase, layouts = model.phase, events.layouts.copy()
            own, children = events.own, events.children
            events.on = True
            QTest.keyClick(window, Qt.Key.Key_Right)
            _settle(app)
            events.on = False
            if model.phase != phase:  # (a phase's change is not counted: undone)
                events.layouts, events.own, events.children = layouts, own, children
            else:
                counted += 1
    finally:
        app.removeEventFilter(events)
    assert counted >= STEPS // 2
    events.counted = counted
    return events


def test_a_step_lays_nothing_out_again(window, qtbot) -> None:
    events = _steps_within_a_phase(window, qtbot)
    label = window.step_bar.label
    assert label.text().startswith(f"step {window.model.position} of ")
    for name in ("stepBar", "stepDock", "mainWindow"):
        assert events.layouts[name] == 0, (name, events.counted, events.layouts)


def test_the_window_repaints_only_behind_what_changed(window, qtbot) -> None:
    """The window paints its background only behind the widgets a step repaints that
    paint none of their own (the bar's label and slider, a panel's scroll bar). The
    relayout a step caused repainted the docks' separators too, across the window
    (a region whose bounds were 1280×645)."""
    events = _steps_within_a_phase(window, qtbot)
    stray = events.behind_no_child()
    assert stray.isEmpty(), [r.getRect() for r in stray]


def test_the_position_label_fits_every_step(window, qtbot) -> None:
    """Its size is fixed for the trace, and the widest "step k of n · phase" fits it."""
    app = QApplication.instance()
    _open_chain(window, qtbot)
    model, label = window.model, window.step_bar.label
    sizes = set()
    for position in range(model.length + 1):
        model.goto(position)
        _settle(app)
        sizes.add((label.width(), label.height()))
        assert label.fontMetrics().horizontalAdvance(label.text()) <= label.contentsRect().width()
    assert len(sizes) == 1, sizes


def test_a_wider_position_label_stays_in_the_window(window, qtbot) -> None:
    """A trace of 1,049 steps widens the label ("step 1049 of 1049 · Backward pass"):
    at 1280 px the bar then takes two rows, and the label stays whole inside the window.
    The rows were chosen with the layout's stale minimum width (the label's old size),
    so the bar kept one row and the label reached 7 px past the window's right edge."""
    app = QApplication.instance()
    window.resize(1280, 720)
    _open_chain(window, qtbot)  # a short trace first: its label is the narrow one
    window.editor_panel.editor.setPlainText(chain(300))
    window.editor_panel.apply()
    qtbot.waitUntil(lambda: not window.model.building and window.model.length > 1000,
                    timeout=60000)
    window.model.end()
    _settle(app)
    label, bar = window.step_bar.label, window.step_bar
    assert label.text() == f"step {window.model.length} of {window.model.length} · Backward pass"
    left = label.mapTo(window, QPoint(0, 0)).x()
    assert left >= 0 and left + label.width() <= window.width(), (left, label.width())
    assert label.fontMetrics().horizontalAdvance(label.text()) <= label.contentsRect().width()
    assert bar.two_rows() == (bar.width() < bar._one_row_width())


def test_composing_a_step_that_needs_no_pan_sets_no_view_limits(qtbot, monkeypatch) -> None:
    """Composing ahead (gui/canvas/ahead.py) tries the next step's follow on the canvas
    and puts the view back; when that step needs no pan, the view never moved, and
    putting it back set both limits for nothing (~0.5 ms in most steps' idle time)."""
    from gui.canvas.widget import GraphAxes
    from tests.gui.test_canvas_tiles import _tree_canvas, _wait_for_idle_work

    canvas, stepper, trace = _tree_canvas(qtbot)
    _wait_for_idle_work(qtbot, canvas)
    helper, ax = canvas.blitter.ahead, canvas.ax
    calls: list[str] = []
    for name in ("set_xlim", "set_ylim"):
        original = getattr(GraphAxes, name)
        monkeypatch.setattr(ax, name, lambda *a, _f=original, _n=name, **k: (
            calls.append(_n), _f(ax, *a, **k))[1])
    still = 0
    for position in range(1, 40):
        stepper.goto(position)
        canvas.show_state(stepper.known, stepper.current)
        view = (ax.get_xlim(), ax.get_ylim())
        calls.clear()
        helper.compose(trace.steps[position])
        assert (ax.get_xlim(), ax.get_ylim()) == view  # the view is left as it was
        if list(helper.plans.values())[-1:] == [()]:  # that step needs no pan
            still += 1
            assert calls == [], position
    assert still >= 10


def _shifted(frame, area, dc: int, dr: int) -> np.ndarray:
    """What ``pan._shift`` makes of ``frame`` in place, from a copy of it."""
    top, bottom, left, right = area
    out, old = frame.copy(), frame.copy()
    r0, r1 = top + max(dr, 0), bottom + min(dr, 0)
    c0, c1 = left + max(dc, 0), right + min(dc, 0)
    out[r0:r1, c0:c1] = old[r0 - dr:r1 - dr, c0 - dc:c1 - dc]
    return out


def test_a_pan_moves_the_frame_in_place_as_a_copy_would() -> None:
    """The frame and the background move in place (gui/canvas/pan.py): by rows in
    chunks, or through a scratch array; the pixels are those a copy gives."""
    from gui.canvas import pan

    rng = np.random.default_rng(0)
    area = (3, 117, 5, 203)
    for dc, dr in [(0, -9), (0, 9), (0, -40), (0, 57), (0, 113), (0, -3), (7, 0), (-7, 0),
                   (11, -13), (-30, 25), (0, 8), (0, -8), (197, 0)]:
        frame = rng.integers(0, 255, (130, 210, 4), dtype=np.uint8)
        expected = _shifted(frame, area, dc, dr)
        strips = pan._shift(frame, frame, area, dc, dr)
        assert np.array_equal(frame, expected), (dc, dr)
        assert strips  # what came into view is left to draw


def test_a_pan_allocates_no_frame_sized_copy() -> None:
    """Moving a 1400×700 view in place once cost a temporary copy of it (numpy's,
    for overlapping parts of one array): 4 MB allocated at every pan."""
    import tracemalloc

    from gui.canvas import pan

    frame = np.zeros((746, 1400, 4), np.uint8)
    area = (0, 700, 0, 1400)
    pan._shift(frame, frame, area, 5, -3)  # (the scratch array, made once)
    for dc, dr in [(0, -37), (0, 21), (-23, 0), (12, -4)]:
        tracemalloc.start()
        try:
            pan._shift(frame, frame, area, dc, dr)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < frame.nbytes // 10, (dc, dr, peak)
