"""Forward mode beside reverse mode: the walk, "Why backwards", and a What-if slider.

The panel is its own dock (the window places it). Forward Mode (``mode_action``)
shows forward mode's walk for the input picked in ``forwardWrt``: the seed, then per
node its value and its tangent ∂node/∂w (:mod:`core.engine.forward`). "Why backwards" counts
the passes each mode needs and shows that both give the same ∂loss/∂w. The What-if
slider moves one scalar input: every value and gradient is recomputed (a what-if
trace, the window's own program untouched) and the plot shows loss against w with the
tangent line at the current w, whose slope is ∂loss/∂w.
"""

from __future__ import annotations

import functools

import numpy as np

import gui.support.matplotlib_setup  # noqa: F401  (before any other matplotlib import)

# isort: split
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QSlider,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.base.format import format_value
from core.checks.forward_torch import forward_code
from core.engine.forward import MAX_COMPARED, compare_modes, cost, parse_seed, tangents, text, walk
from core.engine.graph import Binding, evaluate
from core.engine.trace import build_trace
from core.language.parser import ExpressionError
from core.record.to_trace import whatif_trace
from gui.canvas.tangent_labels import labels_for
from gui.panels.forward.whatif import WhatIfSession, show_in_lesson_tables, unavailable
from gui.state.model import StepperModel
from gui.state.torch_service import TorchService
from gui.support import theme
from gui.support.i18n import current_language

TANGENT_COLOUR = theme.TANGENT
SLIDER_STEPS = 200
CURVE_POINTS = 41
#: nodes × passes that "Why backwards" may spend comparing the modes
MAX_COMPARE_WORK = 200_000


def quiet(method):
    """Run with numpy's warnings off: a learner's nan or overflow is shown as a number
    (nan, inf), never raised or printed."""

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        with np.errstate(all="ignore"):
            return method(*args, **kwargs)

    return wrapper


class ForwardPanel(QWidget):
    def __init__(self, model: StepperModel, parent=None):
        super().__init__(parent)
        self.setObjectName("forwardPanel")
        self.model = model
        self.steps = []
        self._range = (0.0, 2.0)
        self._whatif_trace = None
        self._stale = True
        self._on_screen = False
        # the window's graph canvas (install): the tangents and What-if numbers go there
        self.canvas = None
        self._canvas_moved = False  # the canvas shows a What-if's numbers
        self.lesson_tables = None  # the window's (install): their numbers follow too

        self.mode_action = QAction(self, objectName="forwardModeAction", checkable=True)
        self.mode_action.setShortcut(QKeySequence("Ctrl+Shift+M"))
        self.mode_action.toggled.connect(self._mode_toggled)

        self.title = QLabel(objectName="forwardTitle", wordWrap=True)
        self.wrt_label = QLabel()
        self.wrt = QComboBox(objectName="forwardWrt")
        self.wrt.currentTextChanged.connect(self._changed)
        self.walk_list = QListWidget(objectName="forwardSteps")
        self.walk_list.setWordWrap(True)
        self.walk_list.currentRowChanged.connect(self._step_picked)
        self.step_text = QLabel(objectName="forwardStepText", wordWrap=True)
        self.cost_label = QLabel(objectName="whyBackwards", wordWrap=True)
        self.cost_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.slider = QSlider(Qt.Orientation.Horizontal, objectName="whatIfSlider")
        self.slider.setRange(0, SLIDER_STEPS)
        self.slider.valueChanged.connect(self._slid)
        self.whatif_label = QLabel(objectName="whatIfValue")
        self.table = QTableWidget(0, 3, objectName="whatIfTable")
        self.table.verticalHeader().hide()
        self.table.setMaximumHeight(150)
        self.figure = Figure(figsize=(3.2, 2.2), dpi=90)
        self.axes = self.figure.add_subplot(1, 1, 1)
        self.plot = FigureCanvasQTAgg(self.figure)
        self.plot.setObjectName("whatIfPlot")
        self.plot.setMinimumHeight(170)
        self.plot_title = QLabel(objectName="whatIfPlotTitle")
        self.plot_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._curve = self.axes.plot([], [], color="#333333", linewidth=1.4)[0]
        # the tangent line and the point move with the slider: blitted over a background
        # kept from the last full draw (a full draw of the figure costs ~15 ms)
        self._tangent_line = self.axes.plot([], [], color=TANGENT_COLOUR, linewidth=1.6,
                                            animated=True)[0]
        self._point = self.axes.plot([], [], "o", color=TANGENT_COLOUR, animated=True)[0]
        self._background = None
        self.plot.mpl_connect("draw_event", self._drawn)

        pick = QHBoxLayout()
        pick.addWidget(self.wrt_label)
        pick.addWidget(self.wrt, 1)
        walk_page = QWidget()
        walk_layout = QVBoxLayout(walk_page)
        walk_layout.addWidget(self.title)
        walk_layout.addWidget(self.walk_list, 1)
        walk_layout.addWidget(self.step_text)
        walk_layout.addWidget(self.cost_label)
        whatif_page = QWidget()
        whatif_layout = QVBoxLayout(whatif_page)
        whatif_layout.addWidget(self.whatif_label)
        whatif_layout.addWidget(self.slider)
        whatif_layout.addWidget(self.plot_title)
        whatif_layout.addWidget(self.plot, 3)
        whatif_layout.addWidget(self.table, 1)
        self.code = QPlainTextEdit(objectName="forwardCode", readOnly=True)
        self.code.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.torch_status = QLabel(objectName="forwardTorch", wordWrap=True)
        code_page = QWidget()
        code_layout = QVBoxLayout(code_page)
        code_layout.addWidget(self.torch_status)
        code_layout.addWidget(self.code, 1)
        self.tabs = QTabWidget(objectName="forwardTabs")
        self.tabs.addTab(walk_page, "")
        self.tabs.addTab(whatif_page, "")
        self.tabs.addTab(code_page, "PyTorch")
        layout = QVBoxLayout(self)
        layout.addLayout(pick)
        layout.addWidget(self.tabs, 1)
        #: torch forward_ad's answer for the walk shown: {"ok": {name: bool}, …} or None
        self.torch_answer = None
        self._request_id = None
        TorchService.instance().reportReady.connect(self._on_answer)
        self.retranslate()
        model.traceReplaced.connect(self.reload)
        self.reload()

    # ---- words
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Why backwards"))
        self._name_mode()
        self.wrt_label.setText(self.tr("Seed ∂w/∂w = 1 for w ="))
        self.tabs.setTabText(0, self.tr("Forward mode"))
        self.tabs.setTabText(1, self.tr("What if"))
        self.table.setHorizontalHeaderLabels([self.tr("name"), self.tr("value"),
                                              self.tr("gradient")])
        # the words are a Qt label (Qt has the CJK font); the plot has only names and numbers
        self.plot_title.setText(self.tr("loss against w, with the tangent line"))
        self.refresh()

    def set_on_screen(self, on: bool) -> None:
        """The dock's tab is the one shown (QDockWidget.visibilityChanged)."""
        self._on_screen = on
        if on and self._stale:
            self.refresh()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    @property
    def forward_mode(self) -> bool:
        return self.mode_action.isChecked()

    def _mode_toggled(self, on: bool) -> None:
        self._name_mode()
        self._changed()

    def mode_note(self) -> str:
        """"forward mode" while it is on, else nothing."""
        return self.tr("forward mode") if self.forward_mode else ""

    def _name_mode(self) -> None:
        """The Step menu's checkable entry names the mode; the step bar's button says what
        a click does (issue 24)."""
        self.mode_action.setText(self.tr("Forward Mode"))
        now = (self.tr("Now: forward mode (tangents carried from the seed)") if self.forward_mode
               else self.tr("Now: reverse mode (backpropagation)"))
        self.mode_action.setToolTip(now)
        button = getattr(self, "mode_button", None)
        if button is not None:
            button.setText(self.tr("Switch to reverse mode") if self.forward_mode
                           else self.tr("Switch to forward mode"))
            button.setToolTip(now + " (Ctrl+Shift+M)")
            button.setAccessibleName(button.text())
            button.setAccessibleDescription(now)

    def _changed(self) -> None:
        """A new walk: our numbers at once, torch's when forward mode is on."""
        self.torch_answer = None
        if not self.forward_mode:
            self.show_model_numbers()
            if self.canvas is not None:
                self.canvas.set_tangents(None, None)
        self.refresh()
        if self.forward_mode:
            self.check_with_torch()

    # ---- the program
    def reload(self) -> None:
        """A new trace: the inputs to pick from, then everything else."""
        current = self.wrt.currentText()
        names = [name for name, _role, _value in self.model.variables()]
        self.wrt.blockSignals(True)
        self.wrt.clear()
        self.wrt.addItems(names)
        default = "w" if "w" in names else (names[0] if names else "")
        self.wrt.setCurrentText(current if current in names else default)
        self.wrt.blockSignals(False)
        self._whatif_trace = None
        self._changed()

    def seed(self):
        name = self.wrt.currentText()
        if not name:
            return None
        try:
            return parse_seed(self.model.trace.graph, name, where=name)
        except ExpressionError:
            return None

    @quiet
    def refresh(self) -> None:
        """Redo the walk, lazily: a hidden panel in reverse mode only notes that it must
        (a 20,000-node Apply must not pay for forward mode nobody looks at)."""
        if not (self.forward_mode or self._on_screen):
            self._stale = True
            return
        self._stale = False
        lang = current_language()
        graph = self.model.trace.graph
        seed = self.seed()
        self.walk_list.clear()
        self.steps = []
        if self._why_not("forward"):  # a recorded pass holding a call only torch knows
            self.title.setText(self._why_not("forward"))
            self.cost_label.setText(cost(graph, lang))
            if self.canvas is not None:
                self.canvas.set_tangents(None, None)
            self._setup_slider(None)
            return
        if seed is None:
            self.title.setText(self.tr("Forward mode needs data or a parameter to seed."))
            self.cost_label.setText(cost(graph, lang))
            self._setup_slider(None)
            return
        self.title.setText(text("title", lang, wrt=seed.wrt))
        self.steps = walk(graph, seed)
        if self.forward_mode and self.canvas is not None:
            self.canvas.set_tangents(self.model.trace, labels_for(self.steps), seed.wrt)
        for step in self.steps:
            self.walk_list.addItem(step.equation + self._tick(step))
        self.walk_list.setCurrentRow(len(self.steps) - 1)
        lines = [cost(graph, lang), text("why", lang, output=graph.output_node.label)]
        # one pass per parameter entry: bounded by the work, not only the count
        limit = max(1, min(MAX_COMPARED, MAX_COMPARE_WORK // max(1, len(graph.nodes))))
        for row in compare_modes(graph, self.model.trace.grads, limit):
            lines.append(text("equal", lang, output=graph.output_node.label, name=row.name,
                              forward=format_value(row.forward),
                              reverse=format_value(row.reverse),
                              same=self.tr("equal") if row.equal else self.tr("different")))
        self.cost_label.setText("\n".join(lines))
        self.code.setPlainText(forward_code(graph, seed))
        self._show_torch_status()
        self._setup_slider(seed)

    # ---- PyTorch's forward_ad, in the worker process
    def _why_not(self, what: str) -> str:
        return unavailable(self.model.trace, what)

    def check_with_torch(self) -> None:
        """Ask the worker for torch's tangents of the walk shown (superseding older asks);
        a recorded pass is not asked for (torch's own gradients were recorded with it)."""
        seed = self.seed()
        if seed is None or self.model.trace.recorded_by is not None:
            self._request_id = None
            self._show_torch_status()
            return
        self.torch_answer = None
        self._request_id = TorchService.instance().ask(
            "forward", {"session": self.model.session().to_dict(), "wrt": seed.wrt})
        self._show_torch_status()

    def _on_answer(self, request_id: int, answer: dict) -> None:
        if request_id != self._request_id:
            return
        self._request_id = None
        self.torch_answer = answer.get("forward") or {"available": False,
                                                      "error": answer.get("failure")}
        for row, step in enumerate(self.steps):
            item = self.walk_list.item(row)
            if item is not None:
                item.setText(step.equation + self._tick(step))
        self._show_torch_status()

    def _tick(self, step) -> str:
        answer = self.torch_answer
        if not answer or step.kind == "value":
            return ""
        name = self.model.trace.graph.nodes[step.node].name
        ok = (answer.get("ok") or {}).get(name)
        return "" if ok is None else ("  ✓" if ok else "  ✗")

    def _show_torch_status(self) -> None:
        answer = self.torch_answer
        if self.model.trace.recorded_by is not None:
            status = self.tr("PyTorch forward_ad is not asked on a recorded pass: its "
                             "gradients are checked against the ones torch recorded "
                             "(the PyTorch panel).")
        elif self._request_id is not None:
            status = self.tr("PyTorch forward_ad: checking…")
        elif answer is None:
            status = self.tr("PyTorch forward_ad: switch to forward mode to check")
        elif not answer.get("available"):
            status = self.tr("PyTorch forward_ad: not available ({0})").format(
                answer.get("error") or "")
        elif answer.get("match"):
            status = self.tr("PyTorch forward_ad: every tangent matches ✓")
        else:
            status = self.tr("PyTorch forward_ad: MISMATCH ✗ {0}").format(
                answer.get("error") or ", ".join(k for k, v in answer["ok"].items() if not v))
        self.torch_status.setText(status)

    def _step_picked(self, row: int) -> None:
        ok = 0 <= row < len(self.steps)
        self.step_text.setText(self.steps[row].text(current_language()) if ok else "")
        if self.canvas is not None and self.forward_mode:
            # the canvas shows the tangents the walk has reached, the current one framed
            reached = {s.node for s in self.steps[: row + 1] if s.kind != "value"}
            self.canvas.show_tangents(reached, self.steps[row].node if ok else None)

    # ---- what if
    def _setup_slider(self, seed) -> None:
        graph = self.model.trace.graph
        scalar = seed is not None and seed.index is None and np.ndim(
            graph.nodes[seed.node].value) == 0
        self.slider.setEnabled(scalar)
        self.plot.setVisible(scalar)
        if not scalar:
            self.whatif_label.setText(self._why_not("whatif")
                                      or self.tr("What if: pick a scalar input"))
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
        self._curve.set_data(xs, ys)
        self.axes.set_xlim(*self._range)
        finite = [y for y in ys if np.isfinite(y)]
        if finite:
            low, high = min(finite), max(finite)
            pad = (high - low) * 0.1 or 1.0
            self.axes.set_ylim(low - pad, high + pad)
        self.axes.set_xlabel(seed.wrt)
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
            cells = (name, format_value(g.nodes[i].value),
                     format_value(grads[name]) if name in grads else "")
            for column, cell in enumerate(cells):
                item = self.table.item(row, column)
                if item is None:
                    self.table.setItem(row, column, QTableWidgetItem(cell))
                else:
                    item.setText(cell)
        self.whatif_label.setText(self.tr("What if {0} = {1}: slope ∂{2}/∂{0} = {3}").format(
            node.name, format_value(np.float64(w)), g.output_node.label,
            format_value(np.float64(slope))))
        if canvas:
            self._canvas_numbers(trace)
        if seed is None or seed.node != node.id:
            return  # the plot is the picked input's
        low, high = self._range
        span = (high - low) / 4
        self._point.set_data([w], [loss])
        self._tangent_line.set_data([w - span, w + span],
                                    [loss - slope * span, loss + slope * span])
        self._blit()

    def _canvas_numbers(self, trace) -> None:
        """The canvas shows ``trace``'s numbers (a What-if), its tangents too."""
        if self.canvas is None:
            return
        if trace is self.model.trace and not self._canvas_moved:
            return  # nothing to put back (an Apply of a big program pays nothing here)
        self._canvas_moved = trace is not self.model.trace
        labels, seed = None, self.seed()
        if self.forward_mode and seed is not None:
            labels = labels_for(self.steps) if trace is self.model.trace else labels_for(
                walk(trace.graph, parse_seed(trace.graph, seed.wrt, where=seed.wrt)))
        self.canvas.show_numbers(trace, labels)
        show_in_lesson_tables(self.lesson_tables, trace)

    def show_model_numbers(self) -> None:
        """The What-if is over: the canvas shows the program's own numbers again."""
        self._canvas_numbers(self.model.trace)

    def _drawn(self, _event) -> None:
        self._background = self.plot.copy_from_bbox(self.figure.bbox)
        self._draw_moving()

    def _draw_moving(self) -> None:
        self.axes.draw_artist(self._tangent_line)
        self.axes.draw_artist(self._point)

    def _blit(self) -> None:
        if self._background is None:
            self.plot.draw_idle()
            return
        self.plot.restore_region(self._background)
        self._draw_moving()
        self.plot.blit(self.figure.bbox)

    @property
    def whatif_trace(self):
        """The trace of the last What-if position (None before the slider moved)."""
        return self._whatif_trace


def install(window) -> ForwardPanel:
    """Put the panel in its own dock (tabbed with PyTorch, shown when forward mode is
    on) and its mode toggle on the step bar; the window adds the toggle to Step."""
    panel = ForwardPanel(window.model)
    panel.canvas = window.canvas
    panel.lesson_tables = window.tables
    panel.tabs.currentChanged.connect(lambda _: panel.show_model_numbers())
    window.forward_panel = panel
    panel.whatif_session = WhatIfSession(window, panel)  # the canvas drag, the table slider
    dock = window._dock("forwardDock", panel.windowTitle(), panel,
                        Qt.DockWidgetArea.RightDockWidgetArea)
    panel.windowTitleChanged.connect(dock.setWindowTitle)
    dock.visibilityChanged.connect(panel.set_on_screen)
    window.tabifyDockWidget(window.torch_dock, dock)
    window.torch_dock.raise_()
    window.forward_dock = dock
    window.panel_docks.append(dock)
    window.addAction(panel.mode_action)

    def toggled(on: bool) -> None:
        if on:
            dock.show()
            dock.raise_()

    panel.mode_action.toggled.connect(toggled)
    from PySide6.QtWidgets import QToolButton  # noqa: PLC0415

    # not the action's own button: a checked "Switch to …" would read as its opposite
    button = QToolButton(objectName="forwardModeButton")
    button.clicked.connect(panel.mode_action.toggle)
    button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    panel.mode_button = button
    panel._name_mode()
    window.step_bar.add_control(button)
    # the mode where the learner reads: the Explanation's heading and the F11 caption
    window.explanation.heading_note = lambda: panel.mode_note()
    panel.mode_action.toggled.connect(lambda _on: window.explanation.refresh())
    return panel
