"""The loss of every pass of a recorded run, with the pass on screen marked (issue 20:
"the iteration timeline and the loss plot cover all passes", kept or summarised).

At the top of the Plots tab; a click on the plot chooses the nearest pass, as the Pass
box does. One ``Figure`` whose line and marker move (``set_data``, ``draw_idle``).
"""

from __future__ import annotations

import numpy as np

import gui.support.matplotlib_setup as matplotlib_setup  # before any other matplotlib import

# isort: split
import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from PySide6.QtCore import QCoreApplication

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
        self.axes = self.figure.add_subplot(1, 1, 1)
        self.axes.tick_params(labelsize=8)
        self.axes.grid(True, alpha=0.3)
        self.axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        (self.line,) = self.axes.plot([], [], color=PLOT[False]["loss"], marker="o",
                                      markersize=2.5, linewidth=1.2)
        self.marker = self.axes.axvline(1, color="#888888", linestyle="--", linewidth=1)
        self.marker.set_visible(False)
        self.mpl_connect("button_press_event", self._clicked)
        self.retranslate()

    def retranslate(self) -> None:
        labels = (translate("PassLossPlot", "pass"), translate("PassLossPlot", "loss"))
        # Chinese labels need the CJK font first, as in the Training panel's plot
        fonts.ensure_for(labels)
        family = matplotlib.rcParams["font.family"]
        self.axes.set_xlabel(labels[0], fontsize=8, family=family)
        self.axes.set_ylabel(labels[1], fontsize=8, family=family)
        self.setAccessibleName(translate("PassLossPlot", "The loss of every pass"))
        self.draw_idle()

    def set_dark(self, dark: bool) -> None:
        """The theme's colours (matplotlib draws its own background), as the Training
        panel's plot."""
        colours = PLOT[bool(dark)]
        self.figure.set_facecolor(colours["face"])
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
        k = self.runs.iteration
        self.marker.set_visible(bool(k))
        if k:
            self.marker.set_xdata([k, k])
        self.draw_idle()

    def _clicked(self, event) -> None:
        if event.inaxes is not self.axes or event.xdata is None or not self.runs.count:
            return
        self.runs.goto_pass(int(round(event.xdata)))
