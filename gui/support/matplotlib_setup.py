"""matplotlib for the GUI, imported through here first.

matplotlib writes a ``set()`` docstring listing every property for each Artist subclass
as its modules are imported, through ``matplotlib.artist.kwdoc``: about 80 ms of the
window's start-up spent on help() text the app never shows. Replacing ``kwdoc`` before
any Artist subclass exists skips that work and changes nothing else: the function only
builds documentation.
"""

from __future__ import annotations

import matplotlib.artist

matplotlib.artist.kwdoc = lambda artist: ""

_CANVAS: list = []  # the class, made once (it imports Qt and matplotlib's Qt backend)


def canvas_class():
    """A FigureCanvasQTAgg that draws only when it can be seen (issue 19):

    - start-up shows the window, and a side plot a moment later, one event-loop turn;
    - a plot hidden behind another tab (a tabified dock), covered, or closed keeps its
      draw pending, and its first paint event once shown draws it (matplotlib's
      ``paintEvent`` draws a pending draw first). Hidden, ``draw_idle`` would redraw a
      whole figure, at a size Qt may have collapsed, for nobody: 60–100 ms for each
      pass chosen with Ctrl+] (the Plots tab's loss plot).

    ``draw()`` itself is untouched: an explicit draw (a test, a screenshot) always draws."""
    if _CANVAS:
        return _CANVAS[0]
    import shiboken6
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
    from PySide6.QtCore import QTimer

    class DeferredCanvas(FigureCanvasQTAgg):
        _painting = False

        def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
            self._painting = True  # a paint (shown, or grab()) draws what is pending
            try:
                super().paintEvent(event)
            finally:
                self._painting = False

        def _draw_idle(self) -> None:
            if not shiboken6.isValid(self):
                return  # a draw asked for just before the window closed
            if self._draw_pending and not self._painting and (
                    not self.isVisible() or self.visibleRegion().isEmpty()):
                return  # pending: the paint event draws it once the plot is shown
            if self._draw_pending and not getattr(self.window(), "_painted", True):
                QTimer.singleShot(5, self, self._draw_idle)  # pending: drawn after the paint
                return
            super()._draw_idle()

    _CANVAS.append(DeferredCanvas)
    return DeferredCanvas


def deferred_canvas(figure):
    """A :func:`canvas_class` canvas for ``figure``."""
    return canvas_class()(figure)
