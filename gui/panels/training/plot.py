"""The Training panel's plot (a mixin of gui.panels.training.panel.TrainingPanel): the
loss per iteration above; below, the parameters from iteration 0 on, or for a recorded
run each gradient's norm per pass. New iterations move the existing lines' data
(``set_data``) and ask for ``draw_idle``.

Makes the panel's figure (``_make_plot``: figure, plot, dark, param_lines; loss_axes,
param_axes and loss_line once the plot is first seen or asked for, gui.panels.lazy_plot);
needs the panel's ``training``, ``model`` and ``_names``.
"""

from __future__ import annotations

import numpy as np

import gui.support.matplotlib_setup as matplotlib_setup  # before any other matplotlib import

# isort: split
import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QSizePolicy

from gui.panels import lazy_plot
from gui.panels.training import rows as training_rows
from gui.panels.training.iteration_selector import mark_iteration
from gui.support import fonts
from gui.support.theme import PLOT

translate = QCoreApplication.translate
#: lines on the parameter plot (a vector parameter has one per entry)
MAX_LINES = 8


def _entries(name: str, value) -> list[tuple[str, float]]:
    """(label, number) per scalar inside a parameter value."""
    flat = np.ravel(np.asarray(value, dtype=np.float64))
    if flat.size == 1:
        return [(name, float(flat[0]))]
    return [(f"{name}[{i}]", float(v)) for i, v in enumerate(flat)]


class TrainingPlot:
    def _make_plot(self) -> None:
        """The canvas and its empty figure; the axes once the plot is first seen
        (gui.panels.lazy_plot: the panel starts behind the PyTorch tab)."""
        self.figure = Figure(figsize=(4.0, 3.6), dpi=100, layout="constrained")
        self.plot = matplotlib_setup.deferred_canvas(self.figure)  # after the window shows
        self.plot.setObjectName("lossPlot")
        self.plot.setMinimumHeight(220)
        self.plot.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.dark = False
        self.param_lines: dict[str, object] = {}
        #: (loss_axes, param_axes, loss_line) once made
        self._made: tuple | None = None
        #: the axes' labels (loss, the lower plot, iteration), set by retranslate
        self._axis_labels: tuple[str, str, str] | None = None
        lazy_plot.when_first_seen(self.plot, self._make_axes)

    loss_axes, param_axes, loss_line = lazy_plot.parts(3)  # made when first read

    def plot_made(self) -> bool:
        """Whether the plot's axes exist (shown once, or asked for)."""
        return self._made is not None

    def _make_axes(self) -> tuple:
        """The loss above, the parameters (or gradient norms) below, drawn from the
        training state as it is now."""
        if self._made is not None:
            return self._made
        loss_axes = self.figure.add_subplot(2, 1, 1)
        param_axes = self.figure.add_subplot(2, 1, 2, sharex=loss_axes)
        (loss_line,) = loss_axes.plot([], [], color=PLOT[False]["loss"], marker="o",
                                      markersize=3, linewidth=1.5)
        for axes in (loss_axes, param_axes):
            axes.tick_params(labelsize=8)
            axes.grid(True, alpha=0.3)
        loss_axes.tick_params(labelbottom=False)
        param_axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        self._made = (loss_axes, param_axes, loss_line)
        dark, self.dark = self.dark, False
        if dark:
            self.set_dark(True)
        self._label_axes()
        self._plot()
        mark = self.__dict__.pop("_pending_mark", None)
        if mark is not None:  # a pass chosen while the plot was never seen
            mark_iteration(self, mark)
        return self._made

    def _label_axes(self) -> None:
        """The axes' labels in the language shown (retranslate keeps them)."""
        if self._made is None or self._axis_labels is None:
            return
        labels = self._axis_labels
        fonts.ensure_for(labels)
        # the label texts exist already: they take the (now CJK-first) families anew
        family = matplotlib.rcParams["font.family"]
        self.loss_axes.set_ylabel(labels[0], fontsize=9, family=family)
        self.param_axes.set_ylabel(labels[1], fontsize=9, family=family)
        self.param_axes.set_xlabel(labels[2], fontsize=9, family=family)

    def set_dark(self, dark: bool) -> None:
        """The plot in the theme's colours (matplotlib draws its own background)."""
        dark = bool(dark)
        if dark == self.dark:
            return
        self.dark = dark
        colours = PLOT[dark]
        self.figure.set_facecolor(colours["face"])
        if self._made is None:
            return  # the axes are made in these colours
        for axes in (self.loss_axes, self.param_axes):
            axes.set_facecolor(colours["face"])
            axes.tick_params(colors=colours["text"], which="both")
            axes.yaxis.label.set_color(colours["text"])
            axes.xaxis.label.set_color(colours["text"])
            axes.grid(True, alpha=0.3, color=colours["grid"])
            for spine in axes.spines.values():
                spine.set_color(colours["grid"])
        self.loss_line.set_color(colours["loss"])
        for i, line in enumerate(self.param_lines.values()):
            line.set_color(colours["lines"][i % len(colours["lines"])])
            line.set_markerfacecolor(line.get_color())
        self._style_legend()
        self.plot.draw_idle()

    def _style_legend(self) -> None:
        legend = self.param_axes.get_legend()
        if legend is not None:
            colours = PLOT[self.dark]
            legend.get_frame().set_facecolor(colours["face"])
            legend.get_frame().set_edgecolor(colours["grid"])
            for text in legend.get_texts():
                text.set_color(colours["text"])


    def _plot(self) -> None:
        if self._made is None:
            return  # drawn from the state once the plot is first seen
        history = self.training.history
        xs = np.arange(1, len(history) + 1)
        losses = np.array([np.nan if it.loss is None else it.loss for it in history],
                          dtype=np.float64)
        self.loss_line.set_data(xs, losses)
        finite = losses[np.isfinite(losses)]
        positive = finite.size and np.all(finite > 0)
        self.loss_axes.set_yscale("log" if positive and finite.max() / finite.min() > 50
                                  else "linear")
        series, steps = self._series(history)
        for label in list(self.param_lines):
            if label not in series:
                self.param_lines.pop(label).remove()
        for i, (label, numbers) in enumerate(series.items()):
            line = self.param_lines.get(label)
            if line is None:
                lines = PLOT[self.dark]["lines"]
                (line,) = self.param_axes.plot([], [], label=label, linewidth=1.5, marker="o",
                                               markersize=3, color=lines[i % len(lines)])
                self.param_lines[label] = line
            line.set_data(steps[:len(numbers)], numbers)
        if self.param_lines and (len(self.param_lines) <= 6 or not self.training.script):
            self.param_axes.legend(fontsize=8, loc="best")
            self._style_legend()
        elif self.param_axes.get_legend() is not None:
            self.param_axes.get_legend().remove()
        for axes in (self.loss_axes, self.param_axes):
            axes.relim()
            if any(np.isfinite(np.asarray(line.get_ydata(), float)).any() for line in axes.lines):
                axes.autoscale_view()
            else:  # nothing to plot (a run without backward()): not the last run's range
                axes.set_ylim(0.0, 1.0)
        self.loss_axes.set_xlim(-0.5, max(2, len(history)) + 0.5)
        self.plot.draw_idle()

    def _lower_label(self) -> str:
        return translate("TrainingPanel", "gradient norm") if self.training.recorded \
            else translate("TrainingPanel", "parameters")

    def _series(self, history: list) -> tuple[dict[str, list[float]], np.ndarray]:
        """The lower plot's lines: the parameters from iteration 0 (before any update) to
        the value after the last; for a recorded run, each gradient's norm per pass (every
        pass's summary holds it)."""
        recorded = self.training.recorded
        label = self._lower_label()
        if self.param_axes.get_ylabel() != label:
            fonts.ensure_for((label,))
            self.param_axes.set_ylabel(label, fontsize=9, family=matplotlib.rcParams["font.family"])
        if recorded:
            norms = training_rows.norm_series(history, self._names)
            return dict(list(norms.items())[:MAX_LINES]), np.arange(1, len(history) + 1)
        if history:
            values = [history[0].params, *(it.updated for it in history)]
        elif self.model.learning_rate is not None:
            values = [self.training.current_pass()[1]]
        else:
            values = []
        series: dict[str, list[float]] = {}
        for params in values:
            for name, value in params.items():
                for label, number in _entries(name, value)[:MAX_LINES]:
                    series.setdefault(label, []).append(number)
        return series, np.arange(0, len(values))

    # ---- reading (tests, screenshots)
    def loss_points(self) -> list[float]:
        return [float(y) for y in self.loss_line.get_ydata()]

    def parameter_points(self, label: str) -> list[tuple[int, float]]:
        """(iteration, value) of a parameter's line, from iteration 0."""
        self._make_axes()
        line = self.param_lines.get(label)
        if line is None:
            return []
        return [(int(x), float(y)) for x, y in zip(line.get_xdata(), line.get_ydata(),
                                                    strict=True)]

