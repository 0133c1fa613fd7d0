"""Ninja mode's picture: a heat map of answer − gradient, or level 3's two loss curves.

One small ``Figure`` on a ``FigureCanvasQTAgg`` (no pyplot). The heat map has no numbers
on it: the colours say where the answer is off and which way, never the gradient.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from gui.panels import lazy_plot
from gui.support import matplotlib_setup  # first, before any Artist
from gui.support.theme import RIGHT, WRONG

YOURS, REFERENCE = "#D55E00", "#0072B2"  # vermillion and blue, as gradients and locals


class NinjaPlot(matplotlib_setup.canvas_class()):  # hidden: drawn once shown
    def __init__(self, parent=None):
        # margins in pixels, set on every resize: a constrained layout collapses (and
        # warns) in a dock only ~70 px tall
        self.figure = Figure(figsize=(2.8, 2.0), dpi=100)
        super().__init__(self.figure)
        self.setParent(parent)
        self.setObjectName("ninjaPlot")
        self.dark = False
        #: what is drawn: "", "heatmap" or "curves" (tests read it)
        self.showing = ""
        self._image = None
        #: the axes, once the plot is first seen or drawn on (ninja mode starts hidden:
        #: gui.panels.lazy_plot)
        self._axes = None
        lazy_plot.when_first_seen(self, lambda: self.axes)

    @property
    def axes(self):
        if self._axes is None:
            self._axes = self.figure.add_subplot()
            self.clear()
        return self._axes

    def _style(self) -> None:
        fg, bg = ("#E6E6E6", "#262626") if self.dark else ("#202020", "#FFFFFF")
        self.figure.set_facecolor(bg)
        self.axes.set_facecolor(bg)
        self.axes.tick_params(colors=fg, labelsize=7)
        for spine in self.axes.spines.values():
            spine.set_color(fg)
        self.axes.title.set_color(fg)
        self.axes.title.set_fontsize(8)
        self._fg = fg

    def clear(self, message: str = "") -> None:
        self._image = None
        if self._axes is None and not message:
            self.showing = ""
            return  # made clear when first seen
        self.axes.clear()
        self._style()
        self.axes.set_xticks([])
        self.axes.set_yticks([])
        if message:
            self.axes.text(0.5, 0.5, message, ha="center", va="center", fontsize=8,
                           color=self._fg, wrap=True, transform=self.axes.transAxes)
        self.showing = ""
        self.draw_idle()

    def heatmap(self, difference: np.ndarray, title: str) -> None:
        """answer − gradient, red where the answer is too large, blue where too small."""
        diff = np.asarray(difference, dtype=np.float64)
        if diff.ndim == 1:
            diff = diff[None, :]
        elif diff.ndim > 2:
            diff = diff.reshape(-1, diff.shape[-1])
        finite = np.where(np.isfinite(diff), diff, 0.0)
        scale = float(np.max(np.abs(finite))) or 1.0
        if self.showing == "heatmap" and self._image is not None \
                and self._shape == finite.shape:  # the same grid: new colours only
            self._image.set_data(finite)
            self._image.set_clim(-scale, scale)
        else:  # clearing the axes and making ticks is ~0.1 s: only for a new shape
            self.axes.clear()
            self._style()
            self._image = self.axes.imshow(finite, cmap="RdBu_r", vmin=-scale, vmax=scale,
                                           aspect="auto", interpolation="nearest")
            self._shape = finite.shape
            self._ticks()
        self._title = title
        self.showing = "heatmap"
        self.draw_idle()

    def _ticks(self) -> None:
        """Row and column numbers where they do not crowd (a short dock has no room)."""
        rows, cols = self._shape
        roomy = self.height() >= 40 + 14 * rows
        self.axes.set_xticks(range(cols) if cols <= 12 and roomy else [])
        self.axes.set_yticks(range(rows) if rows <= 12 and roomy else [])

    def _margins(self) -> None:
        width, height = max(self.width(), 60), max(self.height(), 40)
        title = 16 if self.axes.get_title() else 4
        ticks = bool(self.axes.get_xticks().size) if self.showing else False
        left = 30 if ticks or self.showing == "curves" else 6
        self.figure.subplots_adjust(left=left / width, right=1 - 6 / width,
                                    bottom=(18 if ticks else 6) / height,
                                    top=1 - title / height)

    def draw_idle(self) -> None:
        if self._axes is None:
            return  # nothing to draw until the axes are made
        if self.showing == "heatmap":  # a short dock has no room for a title: the
            # tab's tooltip says it then
            self.axes.set_title(self._title if self.height() >= 100 else "", fontsize=8,
                                color=self._fg)
        self._margins()
        super().draw_idle()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self.showing == "heatmap":
            self._ticks()
        self.draw_idle()

    def curves(self, yours: list[float], reference: list[float], title: str) -> None:
        """Level 3: the loss per iteration with your gradients and with the right ones."""
        self._image = None
        self.axes.clear()
        self._style()
        x_ref = range(1, len(reference) + 1)
        self.axes.plot(x_ref, reference, color=REFERENCE, linestyle="--")
        shown = [v if np.isfinite(v) else np.nan for v in yours]
        self.axes.plot(range(1, len(shown) + 1), shown, color=YOURS, marker=".")
        finite = [v for v in (*shown, *reference) if np.isfinite(v)]
        if finite and min(finite) > 0 and max(finite) / min(finite) > 100:
            self.axes.set_yscale("log")
        self._curve_title = title
        roomy = self.height() >= 140  # a short dock: the words are beside the plot
        self.axes.set_title(title if roomy else "", fontsize=7, color=self._fg, wrap=True)
        self.showing = "curves"
        self.draw_idle()

    def set_dark(self, dark: bool) -> None:
        self.dark = dark
        if self._axes is None:
            return  # made in these colours
        self._style()
        self.draw_idle()


__all__ = ["NinjaPlot", "RIGHT", "WRONG"]
