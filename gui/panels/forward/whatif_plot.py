"""The forward panel's What-if page: a slider that moves one scalar input, every value
and gradient recomputed (a what-if trace, the window's own program untouched), the loss
against w with the tangent line at the current w, and the canvas's numbers following.

A mixin of :class:`gui.panels.forward.panel.ForwardPanel` (which keeps ``model``,
``seed()``, ``steps`` and ``canvas``); its words keep the translation context
``ForwardPanel``. The canvas's drag and the Variables table's slider are
gui.panels.forward.whatif's.
"""

from __future__ import annotations

import functools

import numpy as np

import gui.support.matplotlib_setup as matplotlib_setup  # before any other matplotlib import

# isort: split
from matplotlib.figure import Figure
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QSlider, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from core.base.format import format_value
from core.engine.forward import parse_seed, tangents, walk
from core.engine.graph import Binding, evaluate
from core.engine.trace import build_trace
from core.language.parser import ExpressionError
from core.record.to_trace import whatif_trace
from gui.canvas.tangent_labels import labels_for
from gui.panels import lazy_plot
from gui.panels.forward.whatif import LineHolder
from gui.support import theme
from gui.support.texts import engine_words

translate = QCoreApplication.translate
TANGENT_COLOUR = theme.TANGENT
SLIDER_STEPS = 200
CURVE_POINTS = 41


def quiet(method):
    """Run with numpy's warnings off: a learner's nan or overflow is shown as a number
    (nan, inf), never raised or printed."""

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        with np.errstate(all="ignore"):
            return method(*args, **kwargs)

    return wrapper


class WhatIfPlot:
    """The What-if slider, table and plot (a mixin of the forward panel)."""

    def _make_whatif_page(self) -> QWidget:
        """The slider, its value, the plot and the table of every name's numbers."""
        self.slider = QSlider(Qt.Orientation.Horizontal, objectName="whatIfSlider")
        self.slider.setRange(0, SLIDER_STEPS)
        self.slider.valueChanged.connect(self._slid)
        self.whatif_label = QLabel(objectName="whatIfValue")
        self.table = QTableWidget(0, 3, objectName="whatIfTable")
        self.table.verticalHeader().hide()
        self.table.setMaximumHeight(150)
        self.figure = Figure(figsize=(3.2, 2.2), dpi=90)
        # a plot behind another tab or covered keeps its draw pending (matplotlib_setup)
        self.plot = matplotlib_setup.deferred_canvas(self.figure)
        self.plot.setObjectName("whatIfPlot")
        self.plot.setMinimumHeight(170)
        self.plot_title = QLabel(objectName="whatIfPlotTitle")
        self.plot_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        #: (axes, curve, tangent line, point) once the plot is first seen or asked for
        #: (the panel starts behind the PyTorch tab: gui.panels.lazy_plot); until then
        #: the curve's and the moving point's data wait in _curve_data, _moving_data
        self._plot_made: tuple | None = None
        self._curve_data: tuple | None = None
        self._moving_data: tuple | None = None
        self._background = None
        self.plot.mpl_connect("draw_event", self._drawn)
        lazy_plot.when_first_seen(self.plot, self._make_axes)
        whatif_page = QWidget()
        whatif_layout = QVBoxLayout(whatif_page)
        whatif_layout.addWidget(LineHolder(self.whatif_label))  # its text: no new layout
        whatif_layout.addWidget(self.slider)
        whatif_layout.addWidget(self.plot_title)
        whatif_layout.addWidget(self.plot, 3)
        whatif_layout.addWidget(self.table, 1)
        return whatif_page

    axes, _curve, _tangent_line, _point = lazy_plot.parts(4)  # made when first read

    def _make_axes(self) -> tuple:
        """The axes, loss against w, and the tangent line and point, which move with
        the slider: blitted over a background kept from the last full draw (a full draw
        of the figure costs ~15 ms)."""
        if self._plot_made is not None:
            return self._plot_made
        axes = self.figure.add_subplot(1, 1, 1)
        curve = axes.plot([], [], color="#333333", linewidth=1.4)[0]
        tangent = axes.plot([], [], color=TANGENT_COLOUR, linewidth=1.6, animated=True)[0]
        point = axes.plot([], [], "o", color=TANGENT_COLOUR, animated=True)[0]
        self._plot_made = (axes, curve, tangent, point)
        if self._curve_data is not None:
            self._show_curve()
        if self._moving_data is not None:
            self._show_moving()
        self.plot.draw_idle()
        return self._plot_made

    # ---- what if
    def _setup_slider(self, seed) -> None:
        graph = self.model.trace.graph
        scalar = seed is not None and seed.index is None and np.ndim(
            graph.nodes[seed.node].value) == 0
        self.slider.setEnabled(scalar)
        self.plot.setVisible(scalar)
        if not scalar:
            self.whatif_label.setText(self._why_not("whatif")
                                      or translate("ForwardPanel", "What if: pick a scalar input"))
            self.table.setRowCount(0)
            return
        w = float(graph.nodes[seed.node].value)
        half = max(2.0, 2.0 * abs(w)) if np.isfinite(w) else 2.0
        centre = w if np.isfinite(w) else 0.0
        if not np.isfinite(centre - half) or not np.isfinite(centre + half):
            centre, half = 0.0, 2.0  # a w near the float limit: the plot around 0
        self._range = (centre - half, centre + half)
        self._draw_curve(seed)
        self.slider.blockSignals(True)
        self.slider.setValue(SLIDER_STEPS // 2)
        self.slider.blockSignals(False)
        self.set_whatif(centre, canvas=False)

    def _draw_curve(self, seed) -> None:
        graph = self.model.trace.graph
        xs = np.linspace(*self._range, CURVE_POINTS)
        ys = []
        with np.errstate(all="ignore"):
            for x in xs:
                values = evaluate(graph, {seed.node: np.float64(x)})
                ys.append(float(np.sum(values[graph.output])))
        finite = [y for y in ys if np.isfinite(y)]
        ylim = None
        if finite:
            low, high = min(finite), max(finite)
            pad = (high - low) * 0.1 or 1.0
            ylim = (low - pad, high + pad)
        self._curve_data = (xs, ys, self._range, ylim, seed.wrt)
        if self._plot_made is not None:
            self._show_curve()

    def _show_curve(self) -> None:
        xs, ys, xlim, ylim, wrt = self._curve_data
        self._curve.set_data(xs, ys)
        self.axes.set_xlim(*xlim)
        if ylim is not None:
            self.axes.set_ylim(*ylim)
        self.axes.set_xlabel(wrt)
        self._background = None  # the curve changed: the next update draws in full

    def value_at(self, position: int) -> float:
        low, high = self._range
        return low + (high - low) * position / SLIDER_STEPS

    def _slid(self, position: int) -> None:
        self.set_whatif(self.value_at(position))

    @quiet
    def set_whatif(self, w: float, name: str | None = None, canvas: bool = True) -> None:
        """Recompute every value and gradient with input ``name`` (default: the picked
        one) at ``w``: this panel's table and plot and (``canvas``) the canvas's numbers."""
        seed = self.seed()
        name = name or (seed.wrt if seed is not None and seed.index is None else None)
        program = self.model.program
        graph = self.model.trace.graph
        if name not in graph.names:
            return
        node = graph.nodes[graph.names[name]]
        bindings = dict(program.bindings)
        bindings[node.name] = Binding(node.kind, np.float64(w))
        try:
            if self.model.trace.recorded_by is not None:
                # a recorded pass: its graph again through our engine, the one leaf moved
                trace = whatif_trace(graph, {node.id: np.float64(w)})
            else:
                trace = build_trace(program.text, bindings, self.model.trace.learning_rate)
        except (ExpressionError, ValueError) as exc:
            self.whatif_label.setText(self._why_not("whatif") or str(exc))
            return
        self._whatif_trace = trace
        g = trace.graph
        slope = float(np.sum(tangents(g, parse_seed(g, node.name, where=node.name))[g.output]))
        loss = float(np.sum(g.output_node.value))
        grads = trace.named_gradients()
        names = [(name, i) for name, i in g.names.items() if "@" not in name]
        self.table.setRowCount(len(names))
        for row, (name, i) in enumerate(names):
            cells = (name, engine_words(format_value(g.nodes[i].value)),  # ("[8 个值]")
                     engine_words(format_value(grads[name])) if name in grads else "")
            for column, cell in enumerate(cells):
                item = self.table.item(row, column)
                if item is None:
                    self.table.setItem(row, column, QTableWidgetItem(cell))
                else:
                    item.setText(cell)
        self.whatif_label.setText(translate(
            "ForwardPanel", "What if {0} = {1}: slope ∂{2}/∂{0} = {3}").format(
            node.name, format_value(np.float64(w)), g.output_node.label,
            format_value(np.float64(slope))))
        if canvas:
            self._canvas_numbers(trace)
        if seed is None or seed.node != node.id:
            return  # the plot is the picked input's
        low, high = self._range
        span = (high - low) / 4
        self._moving_data = ([w], [loss], [w - span, w + span],
                             [loss - slope * span, loss + slope * span])
        if self._plot_made is not None:  # else drawn once the plot is first seen
            self._show_moving()
            self._blit()

    def _show_moving(self) -> None:
        xs, ys, tangent_xs, tangent_ys = self._moving_data
        self._point.set_data(xs, ys)
        self._tangent_line.set_data(tangent_xs, tangent_ys)

    def _canvas_numbers(self, trace) -> None:
        """The canvas shows ``trace``'s numbers (a What-if), its tangents too, and so do
        the lesson tables and the Explanation."""
        if self.canvas is None:
            return
        if self.model.quiz is not None and self.model.quiz.active:
            trace = self.model.trace  # a quiz asks about the program's own numbers: the
            # graph, the tables and the Explanation keep them (the What-if's are here)
        if trace is self.model.trace and not self._canvas_moved:
            return  # nothing to put back (an Apply of a big program pays nothing here)
        self._canvas_moved = trace is not self.model.trace
        labels, seed = None, self.seed()
        if self.forward_mode and seed is not None:
            labels = labels_for(self.steps) if trace is self.model.trace else labels_for(
                walk(trace.graph, parse_seed(trace.graph, seed.wrt, where=seed.wrt)))
        self.canvas.show_numbers(trace, labels)
        if self.lesson_tables is not None:
            self.lesson_tables.show_numbers(trace)
        if self.explanation is not None:
            self.explanation.show_numbers(trace)

    def show_model_numbers(self) -> None:
        """The What-if is over: the canvas shows the program's own numbers again."""
        self._canvas_numbers(self.model.trace)

    def _drawn(self, _event) -> None:
        if self._plot_made is None:
            return
        self._background = self.plot.copy_from_bbox(self.figure.bbox)
        self._draw_moving()

    def _draw_moving(self) -> None:
        self.axes.draw_artist(self._tangent_line)
        self.axes.draw_artist(self._point)

    def _blit(self) -> None:
        if self._background is not None and self.plot.visibleRegion().isEmpty():
            # not on screen (the walk's tab, the PyTorch tab in front, a canvas drag):
            # no blit per move, one full draw once the plot is seen again
            self._background = None
        if self._background is None:
            self.plot.draw_idle()  # pending while the plot cannot be seen
            return
        self.plot.restore_region(self._background)
        self._draw_moving()
        self.plot.update()  # painted with the other panels (blit would repaint at once)

    @property
    def whatif_trace(self):
        """The trace of the last What-if position (None before the slider moved)."""
        return self._whatif_trace

