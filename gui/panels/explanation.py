"""The current step in words: phase, the equation with numbers, and one plain sentence."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import QTextBrowser

from core.format import format_value
from core.quiz import hint
from core.trace import BackwardStep, NoParameterStep
from gui.panels.base import Area, DockSpec, Panel
from gui.state.model import StepperModel
from gui.support.texts import equation_text, explain, phase_title, role_title, shown, target_text
from gui.support.theme import phase_colour


class ExplanationView(Panel, QTextBrowser):
    DOCK = DockSpec("explanationDock", "explanation_dock", Area.BottomDockWidgetArea,
                    QT_TRANSLATE_NOOP("MainWindow", "Explanation"),
                    split=("stepDock", Qt.Orientation.Vertical), width=560, height=200)

    def __init__(self, model: StepperModel, parent=None):
        super().__init__(parent)
        self.setObjectName("explanationView")
        self.setOpenLinks(False)
        self.setAccessibleName(self.tr("Explanation of the current step"))
        self.model = model
        self.dark = False
        model.stepChanged.connect(self.refresh)
        model.traceReplaced.connect(self.refresh)
        model.quiz.changed.connect(self.refresh)
        self.refresh()

    def retranslate(self) -> None:
        self.setAccessibleName(self.tr("Explanation of the current step"))
        self.refresh()

    def set_dark(self, dark: bool) -> None:
        self.dark = dark
        self.refresh()

    def refresh(self) -> None:
        self.setHtml(self.html())

    def _quiz_html(self, step, colour: str) -> str:
        """Quiz mode: the number is the question; the formula shows after a wrong try."""
        if step.index in self.model.quiz.hinted and step.formula:
            equation = f"{shown(hint(step), step)} = ?"  # the numbers, not the value
        else:
            equation = f"{target_text(step)} = ?" if step.phase != "update" else \
                f"{step.target} ← ?"
        return (f'<p style="font-size:large; color:{colour}">{escape(equation)}</p><p>'
                + escape(self.tr("Quiz: type this number in the answer box and press Enter."))
                + "</p>")

    def html(self) -> str:
        model = self.model
        step = model.current
        phase = model.phase
        colour = phase_colour(phase, self.dark)
        heading = self.tr("Step {0} of {1} · {2}").format(model.position, model.length,
                                                          phase_title(phase))
        parts = [f'<p style="color:{colour}; font-weight:600">{escape(heading)}</p>']
        if step is None:
            graph = model.trace.graph
            inputs = ", ".join(
                f"{escape(name)} = {escape(format_value(value))} ({escape(role_title(role))})"
                for name, role, value in model.variables())
            parts.append(f'<p style="font-size:large"><b>{escape(inputs)}</b></p>')
            parts.append("<p>" + escape(self.tr(
                "Nothing is computed yet. Press → or Space to take the first step of the "
                "forward pass, which computes {0} from the inputs.").format(
                    graph.output_node.label)) + "</p>")
            return "".join(parts)
        if step is model.quiz.hidden_step:
            parts.append(self._quiz_html(step, colour))
            return "".join(parts)
        if not isinstance(step, NoParameterStep):
            parts.append(f'<p style="font-size:large; color:{colour}">'
                         f"{escape(equation_text(step))}</p>")
        parts.append(f"<p>{escape(explain(step.explanation))}</p>")
        if isinstance(step, BackwardStep) and len(step.contributions) > 1:
            graph = model.trace.graph
            items = []
            for c in step.contributions:
                items.append(escape(self.tr("via {0}: {1}").format(
                    graph.nodes[c.consumer].label, format_value(c.value))))
            parts.append("<p>" + " + ".join(items) + " = <b>" + escape(
                format_value(step.value)) + "</b></p>")
        return "".join(parts)
