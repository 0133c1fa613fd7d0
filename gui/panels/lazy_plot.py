"""Plots of hidden panels made when first seen (issue 19).

The window starts with the Training and Why-backwards tabs behind PyTorch, and the Plots
tab and ninja mode hidden: each of their figures' axes (ticks, grids, labels) cost
5–15 ms of the window's build, for nobody. A plot's canvas widget and its empty
``Figure`` are made at once (they are cheap, and the layout needs the widget); its axes
and lines wait until the widget is first painted, or until code asks for them (a test
reading the plot), whichever comes first. Painted, not shown: a dock tabbed behind
another is "visible" at a place outside the window, and gets no paint event until its
tab is chosen; a ``grab()`` of a hidden panel paints it. Until then the plot keeps only
what it needs to draw them from its state.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject


class _FirstSeen(QObject):
    def __init__(self, widget, make):
        super().__init__(widget)
        self._make = make
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            self._make()  # before the canvas's paintEvent, which draws what is pending
        return False


def when_first_seen(widget, make) -> None:
    """Call ``make()`` once, the first time ``widget`` is painted. ``make``
    must do nothing when the plot was made already (code asked for it first)."""
    _FirstSeen(widget, make)


def parts(count: int) -> tuple[property, ...]:
    """Properties for the ``count`` parts that ``_make_axes()`` returns, in its order
    (``axes, line = lazy_plot.parts(2)`` in a class body): reading one makes the plot."""
    return tuple(property(lambda self, i=i: self._make_axes()[i]) for i in range(count))
