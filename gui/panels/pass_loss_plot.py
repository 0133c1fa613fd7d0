"""The loss of every pass of a recorded run, with the pass on screen marked (issue 20:
"the iteration timeline and the loss plot cover all passes", kept or summarised).

At the top of the Plots tab; a click on the plot chooses the nearest pass, as the Pass
box does. One ``Figure`` whose line and marker move (``set_data``, ``draw_idle``); its axes
are made when the plot is first seen (gui.panels.lazy_plot).
"""

from __future__ import annotations

import numpy as np

import gui.support.matplotlib_setup as matplotlib_setup  # before any other matplotlib import

# isort: split
import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from PySide6.QtCore import QCoreApplication

from gui.panels import lazy_plot
from gui.support import fonts
from gui.support.theme import PLOT

translate = QCoreApplication.translate


class PassLossPlot(matplotlib_setup.canvas_class()):
    def __init__(self, runs, parent=None):
        self.figure = Figure(figsize=(4.0, 1.8), dpi=100, layout="constrained")
        super().__init__(self.figure)
        self.setParent(parent)
        self.setObjectName("passLossPlot")
        self.setMinimumHeight(140)
        self.runs = runs
        #: (axes, line, marker) once the plot is first seen or asked for (the Plots tab
        #: starts hidden: gui.panels.lazy_plot)
        self._made: tuple | None = None
        self._dark: bool | None = None  # the theme set before the axes were made
        self.mpl_connect("button_press_event", self._clicked)
        lazy_plot.when_first_seen(self, self._make_axes)
        self.retranslate()

    axes, line, marker = lazy_plot.parts(3)  # made when first read

    def _make_axes(self) -> tuple:
        """The axes, the line and the pass marker, drawn from the run as it is now."""
        if self._made is not None:
            return self._made
        axes = self.figure.add_subplot(1, 1, 1)
        axes.tick_params(labelsize=8)
        axes.grid(True, alpha=0.3)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        (line,) = axes.plot([], [], color=PLOT[False]["loss"], marker="o",
                            markersize=2.5, linewidth=1.2)
        marker = axes.axvline(1, color="#888888", linestyle="--", linewidth=1)
        marker.set_visible(False)
        self._made = (axes, line, marker)
        self.retranslate()
        if self._dark is not None:
            self.set_dark(self._dark)
        if self.runs is not None:
            self.refresh()
        return self._made

    def retranslate(self) -> None:
        self.setAccessibleName(translate("PassLossPlot", "The loss of every pass"))
        if self._made is None:
            return  # labelled when made
        labels = (translate("PassLossPlot", "pass"), translate("PassLossPlot", "loss"))
        # Chinese labels need the CJK font first, as in the Training panel's plot
        fonts.ensure_for(labels)
        family = matplotlib.rcParams["font.family"]
        self.axes.set_xlabel(labels[0], fontsize=8, family=family)
        self.axes.set_ylabel(labels[1], fontsize=8, family=family)
        self.draw_idle()

    def set_dark(self, dark: bool) -> None:
        """The theme's colours (matplotlib draws its own background), as the Training
        panel's plot."""
        self._dark = bool(dark)
        colours = PLOT[bool(dark)]
        self.figure.set_facecolor(colours["face"])
        if self._made is None:
            return  # the axes are made in these colours
        self.axes.set_facecolor(colours["face"])
        self.axes.tick_params(colors=colours["text"], which="both")
        self.axes.xaxis.label.set_color(colours["text"])
        self.axes.yaxis.label.set_color(colours["text"])
        self.axes.grid(True, alpha=0.3, color=colours["grid"])
        for spine in self.axes.spines.values():
            spine.set_color(colours["grid"])
        self.line.set_color(colours["loss"])
        self.line.set_markerfacecolor(colours["loss"])
        self.marker.set_color(colours["grid"])
        self.draw_idle()

    def points(self) -> tuple[list[int], list[float]]:
        """(pass, loss) of every pass whose loss is a number."""
        passes = self.runs.recording.passes if self.runs.recording is not None else []
        shown = [(p.index, p.loss) for p in passes
                 if isinstance(p.loss, (int, float)) and np.isfinite(p.loss)]
        return [k for k, _ in shown], [loss for _, loss in shown]

    def refresh(self) -> None:
        """A new run: the whole line again."""
        if self._made is None:
            return  # drawn from the run once made
        xs, ys = self.points()
        self.line.set_data(xs, ys)
        if xs:
            self.axes.set_xlim(0.5, max(xs) + 0.5)
            low, high = min(ys), max(ys)
            pad = (high - low) * 0.08 or abs(high) * 0.1 or 1.0
            self.axes.set_ylim(low - pad, high + pad)
        self.mark()

    def mark(self) -> None:
        """The pass on screen (or chosen as a summary) marked with a dashed line."""
        if self._made is None:
            return  # marked from the run once made
        k = self.runs.iteration
        self.marker.set_visible(bool(k))
        if k:
            self.marker.set_xdata([k, k])
        self.draw_idle()

    def _clicked(self, event) -> None:
        if event.inaxes is not self.axes or event.xdata is None or not self.runs.count:
            return
        self.runs.goto_pass(int(round(event.xdata)))
