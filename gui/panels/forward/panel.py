"""Forward mode beside reverse mode: the walk, "Why backwards", and a What-if slider.

The panel is its own dock, tabbed with PyTorch (the window places it as ``DOCK`` says).
Forward Mode (``mode_action``, in the Step menu and as a button on the step bar)
shows forward mode's walk for the input picked in ``forwardWrt``: the seed, then per
node its value and its tangent ∂node/∂w (:mod:`core.engine.forward`). "Why backwards"
counts the passes each mode needs and shows that both give the same ∂loss/∂w. The
What-if slider (gui.panels.forward.whatif_plot) moves one scalar input: every value
and gradient is recomputed (a what-if trace, the window's own program untouched) and
the plot shows loss against w with the tangent line at the current w, whose slope is
∂loss/∂w.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.base.format import format_value
from core.checks.forward_torch import forward_code
from core.engine.forward import MAX_COMPARED, compare_modes, cost, parse_seed, text, walk
from core.language.parser import ExpressionError
from gui.canvas.tangent_labels import labels_for
from gui.panels.base import STEP_MODES, Area, DockSpec, Panel, PanelAction, dock_of
from gui.panels.forward.whatif import WhatIfSession, unavailable
from gui.panels.forward.whatif_plot import WhatIfPlot, quiet
from gui.state.model import StepperModel
from gui.state.torch_service import TorchService
from gui.support.i18n import current_language

#: nodes × passes that "Why backwards" may spend comparing the modes
MAX_COMPARE_WORK = 200_000


class ForwardPanel(WhatIfPlot, Panel, QWidget):
    DOCK = DockSpec("forwardDock", "forward_dock", Area.RightDockWidgetArea,
                    tabify="torchDock")
    ACTIONS = (PanelAction("mode_action", "forwardModeAction",
                           QT_TRANSLATE_NOOP("ForwardPanel", "Forward Mode"), "_mode_toggled",
                           ("Ctrl+Shift+M",), STEP_MODES, checkable=True),)
    STEP_BAR = ("mode_button",)

    def __init__(self, model: StepperModel, parent=None):
        super().__init__(parent)
        self.setObjectName("forwardPanel")
        self.model = model
        self.steps = []
        self._range = (0.0, 2.0)
        self._whatif_trace = None
        self._stale = True
        self._on_screen = False
        # the window's graph canvas (attach): the tangents and What-if numbers go there
        self.canvas = None
        self._canvas_moved = False  # the canvas shows a What-if's numbers
        self.lesson_tables = None  # the window's (attach): their numbers follow too
        self.explanation = None  # the window's (attach): its numbers follow too

        self.make_actions()
        self.mode_action.toggled.connect(self._show_dock)
        # not the action's own button: a checked "Switch to …" would read as its opposite
        self.mode_button = QToolButton(objectName="forwardModeButton")
        self.mode_button.clicked.connect(self.mode_action.toggle)
        self.mode_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)

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

        pick = QHBoxLayout()
        pick.addWidget(self.wrt_label)
        pick.addWidget(self.wrt, 1)
        walk_page = QWidget()
        walk_layout = QVBoxLayout(walk_page)
        walk_layout.addWidget(self.title)
        walk_layout.addWidget(self.walk_list, 1)
        walk_layout.addWidget(self.step_text)
        walk_layout.addWidget(self.cost_label)
        whatif_page = self._make_whatif_page()
        code_page = self._make_code_page()
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

    def _make_code_page(self) -> QWidget:
        """The PyTorch tab: forward_ad's code for the walk, and whether it agrees."""
        self.code = QPlainTextEdit(objectName="forwardCode", readOnly=True)
        self.code.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.torch_status = QLabel(objectName="forwardTorch", wordWrap=True)
        code_page = QWidget()
        code_layout = QVBoxLayout(code_page)
        code_layout.addWidget(self.torch_status)
        code_layout.addWidget(self.code, 1)
        return code_page

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

    def attach(self, window) -> None:
        """The canvas shows the tangents; it, the lesson tables and the Explanation show
        the What-if's numbers; the Explanation's heading and the F11 caption name the
        mode where the learner reads; the canvas's drag and the Variables table's
        slider drive the What-if."""
        self.canvas = window.canvas
        self.lesson_tables = window.tables
        self.explanation = window.explanation
        self.tabs.currentChanged.connect(lambda _: self.show_model_numbers())
        # a quiz asks about the program's own numbers: a What-if leaves the graph then
        self.model.quiz.changed.connect(
            lambda: self.show_model_numbers() if self.model.quiz.active else None)
        self.whatif_session = WhatIfSession(window, self)
        dock = dock_of(self)
        if dock is not None:
            dock.visibilityChanged.connect(self.set_on_screen)
        explanation = window.explanation
        explanation.heading_note = self.mode_note
        self.mode_action.toggled.connect(lambda _on: explanation.refresh())

    def _show_dock(self, on: bool) -> None:
        dock = dock_of(self)
        if on and dock is not None:
            dock.show()
            dock.raise_()

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
        now = (self.tr("Now: forward mode (tangents carried from the seed)") if self.forward_mode
               else self.tr("Now: reverse mode (backpropagation)"))
        self.mode_action.setToolTip(now)
        button = self.mode_button
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
        # a script not run yet has no graph to carry a tangent through
        stepped = self.model.length > 0 or self.mode_action.isChecked()
        self.mode_action.setEnabled(stepped)
        self.mode_button.setEnabled(stepped)
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
