"""Ninja mode's picture: a heat map of answer − gradient, or level 3's two loss curves.

One small ``Figure`` on a ``FigureCanvasQTAgg`` (no pyplot). The heat map has no numbers
on it: the colours say where the answer is off and which way, never the gradient.
"""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure

from gui.support import matplotlib_setup  # noqa: F401 - first, before any Artist
from gui.support.theme import RIGHT, WRONG

YOURS, REFERENCE = "#D55E00", "#0072B2"  # vermillion and blue, as gradients and locals


class NinjaPlot(FigureCanvasQTAgg):
    def __init__(self, parent=None):
        self.figure = Figure(figsize=(2.8, 2.0), dpi=100, layout="constrained")
        super().__init__(self.figure)
        self.setParent(parent)
        self.setObjectName("ninjaPlot")
        self.axes = self.figure.add_subplot()
        self.dark = False
        #: what is drawn: "", "heatmap" or "curves" (tests read it)
        self.showing = ""
        self.clear()

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
        self.axes.clear()
        self._style()
        finite = np.where(np.isfinite(diff), diff, 0.0)
        scale = float(np.max(np.abs(finite))) or 1.0
        self.axes.imshow(finite, cmap="RdBu_r", vmin=-scale, vmax=scale, aspect="auto",
                         interpolation="nearest")
        rows, cols = finite.shape
        roomy = self.height() >= 120  # row numbers only where they do not crowd
        self.axes.set_xticks(range(cols) if cols <= 12 and roomy else [])
        self.axes.set_yticks(range(rows) if rows <= 12 and roomy else [])
        self.axes.set_title(title, fontsize=8, color=self._fg)
        self.showing = "heatmap"
        self.draw_idle()

    def curves(self, yours: list[float], reference: list[float], labels: tuple[str, str],
               title: str) -> None:
        """Level 3: the loss per iteration with your gradients and with the right ones."""
        self.axes.clear()
        self._style()
        x_ref = range(1, len(reference) + 1)
        self.axes.plot(x_ref, reference, color=REFERENCE, linestyle="--", label=labels[1])
        shown = [v if np.isfinite(v) else np.nan for v in yours]
        self.axes.plot(range(1, len(shown) + 1), shown, color=YOURS, marker=".",
                       label=labels[0])
        finite = [v for v in (*shown, *reference) if np.isfinite(v)]
        if finite and min(finite) > 0 and max(finite) / min(finite) > 100:
            self.axes.set_yscale("log")
        self.axes.legend(fontsize=7, labelcolor=self._fg, facecolor="none", edgecolor="none")
        self.axes.set_title(title, fontsize=8, color=self._fg)
        self.showing = "curves"
        self.draw_idle()

    def set_dark(self, dark: bool) -> None:
        self.dark = dark
        self._style()
        self.draw_idle()


__all__ = ["NinjaPlot", "RIGHT", "WRONG"]
