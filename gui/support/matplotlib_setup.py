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


def deferred_canvas(figure):
    """A FigureCanvasQTAgg that draws only once its window has painted (issue 19):
    start-up shows the window, and a side plot a moment later, one event-loop turn."""
    import shiboken6
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
    from PySide6.QtCore import QTimer

    class DeferredCanvas(FigureCanvasQTAgg):
        def _draw_idle(self) -> None:
            if not shiboken6.isValid(self):
                return  # a draw asked for just before the window closed
            if self._draw_pending and not getattr(self.window(), "_painted", True):
                QTimer.singleShot(5, self, self._draw_idle)  # pending: drawn after the paint
                return
            super()._draw_idle()

    return DeferredCanvas(figure)
