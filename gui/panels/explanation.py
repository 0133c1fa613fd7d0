"""The current step in words: phase, the equation with numbers, and one plain sentence.

A tensor gradient is shown as a grid whose entries are links: a click spells that entry
out as the sum it is (core.engine.expand); a local step of tiny shapes offers its Jacobian.
"""

from __future__ import annotations

from html import escape

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QUrl
from PySide6.QtWidgets import QTextBrowser

from core.base.format import format_number, format_value
from core.drawing.labels import grid_shape
from core.engine.backward_steps import brief_sum
from core.engine.expand import expand_element, jacobian_of
from core.engine.quiz import element_asked, hint
from core.engine.trace import BackwardStep, LocalGradientStep, NoParameterStep
from gui.panels.base import Area, DockSpec, Panel
from gui.state.model import StepperModel
from gui.support.texts import (
    engine_words,
    equation_text,
    explain,
    phase_title,
    role_title,
    shown,
    target_text,
)
from gui.support.theme import phase_colour


class ExplanationView(Panel, QTextBrowser):
    DOCK = DockSpec("explanationDock", "explanation_dock", Area.BottomDockWidgetArea,
                    QT_TRANSLATE_NOOP("MainWindow", "Explanation"),
                    split=("stepDock", Qt.Orientation.Vertical), width=560, height=160)

    def __init__(self, model: StepperModel, parent=None):
        super().__init__(parent)
        self.setObjectName("explanationView")
        self.setOpenLinks(False)
        self.setAccessibleName(self.tr("Explanation of the current step"))
        self.model = model
        self.dark = False
        #: words after the heading's phase ("forward mode" while it is on: the forward
        #: panel sets this), so the mode shows where the learner reads
        self.heading_note = lambda: ""
        #: (step index, entry index) of the gradient entry spelled out, if any
        self.expanded: tuple[int, tuple[int, ...]] | None = None
        #: the step index whose explicit Jacobian is shown, if any
        self.jacobian_step: int | None = None
        #: a What-if's trace whose numbers are explained (show_numbers), None: the model's
        self.numbers = None
        self.anchorClicked.connect(self._on_anchor)
        model.stepChanged.connect(self.refresh)
        model.traceReplaced.connect(lambda: self.show_numbers(None))  # (its own numbers)
        model.quiz.changed.connect(self.refresh)
        self.refresh()

    def retranslate(self) -> None:
        self.setAccessibleName(self.tr("Explanation of the current step"))
        self.refresh()

    def set_dark(self, dark: bool) -> None:
        self.dark = dark
        self.refresh()

    def show_numbers(self, trace) -> None:
        """The steps explained with ``trace``'s numbers (a What-if of the same program,
        as the canvas and the lesson tables show them), or the model's own (None)."""
        self.numbers = None if trace is self.model.trace else trace
        self.refresh()

    def _trace(self):
        return self.model.trace if self.numbers is None else self.numbers

    def refresh(self) -> None:
        # a tensor named by its size ("[4×3: 12 values]") and a long sum's left-out
        # terms, in the UI language
        self.setHtml(engine_words(self.html()))

    def expand(self, index: tuple[int, ...]) -> None:
        """Spell out entry ``index`` of the current backward step's gradient."""
        step = self.model.current
        if isinstance(step, BackwardStep):
            self.expanded = (step.index, tuple(int(i) for i in index))
            self.refresh()

    def toggle_jacobian(self) -> None:
        """Show or hide the explicit Jacobian of the current local step (tiny shapes)."""
        step = self.model.current
        if isinstance(step, LocalGradientStep):
            self.jacobian_step = None if self.jacobian_step == step.index else step.index
            self.refresh()

    def _on_anchor(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("entry:"):
            self.expand(tuple(int(i) for i in text[6:].split(",") if i))
        elif text == "jacobian:":
            self.toggle_jacobian()

    def _grid_html(self, step) -> str:
        """The gradient as a grid of links (one per entry), and the expanded entry."""
        value = np.asarray(step.value, dtype=np.float64)
        shape = grid_shape(value.shape)
        if shape is None:
            return ""
        rows = []
        for index in np.ndindex(*value.shape):
            if value.ndim == 1 or index[-1] == 0:
                rows.append([])
            href = "entry:" + ",".join(str(i) for i in index)
            rows[-1].append(f'<td align="right"><a href="{href}">'
                            f"{escape(format_number(value[index]))}</a></td>")
        table = ('<table cellspacing="0" cellpadding="3" border="1">'
                 + "".join(f"<tr>{''.join(r)}</tr>" for r in rows) + "</table>")
        parts = [table, "<p>" + escape(self.tr(
            "Click an entry to see it as the sum it is.")) + "</p>"]
        if self.expanded is not None and self.expanded[0] == step.index:
            index = self.expanded[1]
            for k in range(len(step.contributions)):
                try:
                    line = expand_element(self._trace(), step, index, k)
                except (IndexError, ValueError):
                    continue
                parts.append(f'<p style="font-family:monospace">{escape(line)}</p>')
        return "".join(parts)

    def _jacobian_html(self, step) -> str:
        matrix = jacobian_of(self._trace(), step)
        if matrix is None or not np.ndim(self._trace().graph.nodes[step.edge[0]].value):
            return ""
        rows, cols = matrix.shape
        link = self.tr("Hide the Jacobian") if self.jacobian_step == step.index else \
            self.tr("Show the explicit Jacobian ({0}×{1})").format(rows, cols)
        parts = [f'<p><a href="jacobian:">{escape(link)}</a></p>']
        if self.jacobian_step == step.index:
            parts.append("<p>" + escape(self.tr(
                "Row: an entry of the output; column: an entry of the input.")) + "</p>")
            body = "".join("<tr>" + "".join(
                f'<td align="right">{escape(format_number(v))}</td>' for v in row) + "</tr>"
                for row in matrix)
            parts.append(f'<table cellspacing="0" cellpadding="2" border="1">{body}</table>')
        return "".join(parts)

    def _quiz_html(self, step, colour: str) -> str:
        """Quiz mode: the number is the question; the formula shows after a wrong try."""
        if self.model.quiz.mode == "ninja":  # issue 23: the gradient, as an expression
            return (f'<p style="font-size:large; color:{colour}">{escape(step.target)} = ?</p>'
                    "<p>" + escape(self.tr("Ninja mode: write this gradient as an expression "
                                           "in the Ninja box and press Enter.")) + "</p>")
        if step.index in self.model.quiz.hinted and step.formula:
            equation = f"{shown(hint(step), step)} = ?"  # the numbers, not the value
        else:
            equation = f"{target_text(step)} = ?" if step.phase != "update" else \
                f"{step.target} ← ?"
        index = element_asked(step)
        if index is None:
            ask = self.tr("Quiz: type this number in the answer box and press Enter.")
        else:  # a tensor: one entry, or the whole of it as a nested list
            entry = "[" + ", ".join(str(i) for i in index) + "]"
            equation = f"{equation}   ({entry} = ?)"
            ask = self.tr("Quiz: type entry {0} of this tensor (or all of it as a nested "
                          "list, such as [[1, 2], [3, 4]]) and press Enter.").format(entry)
        return (f'<p style="font-size:large; color:{colour}">{escape(equation)}</p><p>'
                + escape(ask) + "</p>")

    def html(self) -> str:
        model = self.model
        step = model.current
        phase = model.phase
        colour = phase_colour(phase, self.dark)
        heading = self.tr("Step {0} of {1} · {2}").format(model.position, model.length,
                                                          phase_title(phase))
        if self.heading_note():
            heading += " · " + self.heading_note()
        parts = [f'<p style="color:{colour}; font-weight:600">{escape(heading)}</p>']
        if step is None and model.trace.blank:  # a script not run yet (Run records it)
            parts.append("<p>" + escape(self.tr(
                "This is a script: Run (Ctrl+R) runs it as python would, and each "
                "backward() it calls becomes a pass to step through here.")) + "</p>")
            return "".join(parts)
        if step is None:
            graph = model.trace.graph
            inputs = ", ".join(
                f"{escape(name)} = {escape(format_value(value))} ({escape(role_title(role))})"
                for name, role, value in model.variables(self._trace()))
            parts.append(f'<p style="font-size:large"><b>{escape(inputs)}</b></p>')
            parts.append("<p>" + escape(self.tr(
                "Nothing is computed yet. Press → or Space to take the first step of the "
                "forward pass, which computes {0} from the inputs.").format(
                    graph.output_node.label)) + "</p>")
            return "".join(parts)
        if step is model.quiz.hidden_step:
            parts.append(self._quiz_html(step, colour))
            return "".join(parts)
        if self.numbers is not None:  # a What-if's step in its place
            twin = self.numbers.twin(step)
            if twin is None:  # (a recorded pass's update: its rule is torch's)
                parts.append("<p><i>" + escape(self.tr(
                    "What if does not compute this step again: its numbers are the "
                    "pass's own.")) + "</i></p>")
            step = twin or step
        if not isinstance(step, NoParameterStep):
            parts.append(f'<p style="font-size:large; color:{colour}">'
                         + "<br>".join(escape(line) for line in getattr(  # a rule's lines
                             step, "lines", [equation_text(step)])) + "</p>")
        parts.append(f"<p>{escape(explain(step.explanation))}</p>")
        if isinstance(step, BackwardStep) and np.ndim(step.value):
            parts.append(self._grid_html(step))
        if isinstance(step, LocalGradientStep):
            parts.append(self._jacobian_html(step))
        if isinstance(step, BackwardStep) and len(step.contributions) > 1:
            parts.append(self._contributions_html(step))
        return "".join(parts)

    def _contributions_html(self, step: BackwardStep) -> str:
        """``via v1: 0.5 + via v3: 1 = 1.5``; of hundreds, the first and last few."""
        graph = self.model.trace.graph
        items = brief_sum(step.contributions, lambda c: self.tr("via {0}: {1}").format(
            graph.nodes[c.consumer].label, format_value(c.value)))
        return "<p>" + escape(items) + " = <b>" + escape(format_value(step.value)) + "</b></p>"
