"""The PyTorch panel: generated code, what torch prints, and the number-by-number check.

The code shows from the start; what torch prints and each comparison row appear once
the learner's step reaches the number they give away (all of them after the last step),
unless "Show PyTorch's results from the start" (``results_from_start``) is on.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QSize, Qt, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.base.format import format_value, full_precision
from gui.panels.base import Area, DockSpec, Panel
from gui.panels.torch_code import code_for, code_job
from gui.panels.torch_recorded import recorded, show_recorded
from gui.panels.torch_script import size_columns
from gui.state.model import StepperModel
from gui.state.torch_service import TorchService
from gui.support.i18n import Retranslator

OK_MARK, BAD_MARK = "✓", "✗"


def _array(value):
    return None if value is None else np.asarray(value, dtype=np.float64)[()]


class CodeView(QPlainTextEdit):
    """The code, asking for six lines, not Qt's 192 px: the panel's wrapped words make
    its scroll area lay it out at its preferred height, and with that asked for, a
    short dock cut the status line (the ✓) in half at 1280×720. It still grows into
    the room there is (stretch)."""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        lines = 6 * self.fontMetrics().lineSpacing() + 2 * self.frameWidth() + 8
        return QSize(super().sizeHint().width(), lines)


class TorchPanel(Panel, QWidget):
    """Listens to the model; asks the shared worker for a check whenever the trace changes."""

    DOCK = DockSpec("torchDock", "torch_dock", Area.RightDockWidgetArea,
                    QT_TRANSLATE_NOOP("MainWindow", "PyTorch"), width=350)

    statusChanged = Signal(str)

    def __init__(self, model: StepperModel, parent=None):
        super().__init__(parent)
        self.setObjectName("torchPanel")
        self.model = model
        self._request_id: int | None = None
        self._enabled = False  # the first check waits until the window has been painted
        self.report: dict | None = None
        self._answer: dict | None = None  # the last answer shown, shown again on a switch
        # off: torch's numbers appear as their step is reached (View menu, saved)
        self.results_from_start = False
        self._printed: list[str] = []  # what torch prints, line by line
        # the table's rows by what they show, (quantity, node); the rows shown now
        self._rows_of: dict[tuple[str, int], list[int]] = {}
        self._shown_keys: set[tuple[str, int]] = set()
        self._texts = Retranslator()  # words re-set on a language switch
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self._make_code(mono)
        self._make_check(mono)
        layout = self._lay_out()
        TorchService.instance().reportReady.connect(self._on_report)
        model.traceReplaced.connect(self._on_trace)
        self._show_code()
        self._add_notes(layout)
        model.stepChanged.connect(self._reveal)
        model.quiz.changed.connect(self._reveal)
        self._reveal()

    def _make_code(self, mono) -> None:
        """The generated code and its copy button."""
        tr = self._texts.bind
        self.code = CodeView(objectName="torchCode", readOnly=True)
        self.code.setFont(mono)
        self.code.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        tr(self.code.setAccessibleName, lambda: self.tr("PyTorch code"))
        self.copy_button = QPushButton(objectName="copyCodeButton")
        tr(self.copy_button.setText, lambda: self.tr("Copy code"))
        tr(self.copy_button.setToolTip, lambda: self.tr("Copy the PyTorch code to the clipboard"))
        self.copy_button.clicked.connect(self.copy_code)

    def _make_check(self, mono) -> None:
        """What torch prints, the comparison table, the grad_fn chain and the status."""
        tr = self._texts.bind
        self.output = QPlainTextEdit(objectName="torchOutput", readOnly=True)
        self.output.setFont(mono)
        tr(self.output.setAccessibleName, lambda: self.tr("What PyTorch prints"))
        self.output.setFixedHeight(self.output.fontMetrics().lineSpacing() * 3 + 14)
        self.table = QTableWidget(0, 5, objectName="torchTable")
        tr(self.table.setHorizontalHeaderLabels, lambda: [
            self.tr("name"), self.tr("ours"), self.tr("PyTorch"), self.tr("numeric"), "✓"])
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        size_columns(self.table)  # ✓ in view in a narrow dock (issue 24)
        self.grad_fns = QLabel(objectName="torchGradFns", wordWrap=True)
        self.grad_fns.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel(self.tr("loading PyTorch…"), objectName="torchStatus", wordWrap=True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setProperty("state", "pending")

    def _lay_out(self) -> QVBoxLayout:
        """Each part under its caption, top to bottom (_quiz_changed finds the captions)."""
        code_row = QHBoxLayout()
        code_row.addWidget(self._label(lambda: self.tr("Code")))
        code_row.addStretch(1)
        code_row.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(code_row)
        layout.addWidget(self.code, 5)
        layout.addWidget(self._label(lambda: self.tr("PyTorch prints")))
        layout.addWidget(self.output)
        layout.addWidget(self._label(lambda: self.tr("Ours vs PyTorch vs finite differences")))
        layout.addWidget(self.table, 4)
        layout.addWidget(self._label(lambda: self.tr("grad_fn chain (from the output back)")))
        layout.addWidget(self.grad_fns)
        layout.addWidget(self.status)
        return layout

    def _add_notes(self, layout: QVBoxLayout) -> None:
        """The notes under the code: quiz mode hides the numbers; they appear as you step."""
        self._quiz_note = QLabel(objectName="torchQuizNote", wordWrap=True)
        self._quiz_note.setStyleSheet("font-style: italic;")
        layout.insertWidget(layout.indexOf(self.code) + 1, self._quiz_note)
        self.model.quiz.changed.connect(self._quiz_changed)
        self._quiz_changed()
        self._reveal_note = QLabel(objectName="torchRevealNote", wordWrap=True)
        self._reveal_note.setStyleSheet("font-style: italic;")
        layout.insertWidget(layout.indexOf(self.output) - 1, self._reveal_note)  # above
        # the caption: _quiz_changed finds each caption just before its widget
        self._texts.bind(self._reveal_note.setText, lambda: self.tr(
            "PyTorch's results appear as you step."))
        self._texts.bind(self._reveal_note.setToolTip, lambda: self.tr(
            "View → Show PyTorch's results from the start shows them all at once"))

    def set_results_from_start(self, on: bool) -> None:
        """Show what torch prints and every comparison row at once (the old behaviour)."""
        self.results_from_start = bool(on)
        self._reveal()

    def _revealed(self, quantity: str, node: int) -> bool:
        """Whether the learner's step has reached this number (a value or a gradient)."""
        model = self.model
        if self.results_from_start or model.position >= model.length:
            return True
        known = model.known
        return node in (known.values if quantity == "value" else known.grads)

    def _reveal(self, _position: int = 0) -> None:
        """Show the lines torch prints and the table rows that the current step has reached."""
        if (runs := recorded(self)) is not None:
            return show_recorded(self, runs)  # a recorded pass: what the script printed
        graph = self.model.trace.graph
        params = [n.id for n in graph.parameters]
        reached = [self._revealed("value", graph.output)]
        if len(self._printed) == 1 + len(params):  # print(loss), then print(p.grad) each
            reached += [self._revealed("grad", p) for p in params]
        else:  # not the shape generate_code prints: all of it at the end
            reached = [self._revealed("value", -1)] * len(self._printed)
        text = "".join(line + "\n" for line, on in zip(self._printed, reached, strict=True)
                       if on)
        if self.output.toPlainText() != text:
            self.output.setPlainText(text)
        model = self.model
        if self.results_from_start or model.position >= model.length:
            wanted = set(self._rows_of)
        else:  # only the rows whose number changed state: a step touches one or two
            known = model.known
            wanted = {("value", n) for n in known.values} | {("grad", n) for n in known.grads}
            wanted &= self._rows_of.keys()
        for key in wanted ^ self._shown_keys:
            for row in self._rows_of[key]:
                self.table.setRowHidden(row, key not in wanted)
        self._shown_keys = wanted
        waiting = not all(reached) or len(wanted) < len(self._rows_of)
        self._reveal_note.setVisible(waiting and not self.model.quiz.active)

    def printed_text(self) -> str:
        """What the panel shows of torch's printed output now."""
        return self.output.toPlainText()

    def shown_rows(self) -> list[str]:
        """The names in the comparison table's visible rows, top to bottom."""
        return [self.table.item(r, 0).text() for r in range(self.table.rowCount())
                if not self.table.isRowHidden(r)]

    def _quiz_changed(self) -> None:
        """While quizzing, what PyTorch prints and the comparison would give answers away."""
        quizzing = self.model.quiz.active
        self._show_parts()
        self._quiz_note.setText(self.tr("Quiz mode: PyTorch's numbers are hidden until you "
                                        "leave the quiz."))
        self._quiz_note.setVisible(quizzing)

    def _show_parts(self) -> None:
        """Each part with its caption, or neither: what PyTorch prints and the comparison
        hide while quizzing; the comparison and the grad_fn chain on a recorded pass too,
        whose check is the status line (they stood there empty, captions and all)."""
        quizzing = self.model.quiz.active
        from_run = recorded(self) is not None
        layout = self.layout()
        for widget, hidden in ((self.output, quizzing), (self.table, quizzing or from_run),
                               (self.grad_fns, from_run)):
            caption = layout.itemAt(layout.indexOf(widget) - 1).widget()
            for part in (widget, caption):
                if part is not None and part.isVisibleTo(self) == hidden:
                    part.setVisible(not hidden)

    def _label(self, text) -> QLabel:
        label = QLabel(self)
        self._texts.bind(label.setText, text)
        return label

    def retranslate(self) -> None:
        """Labels, headers, and the status of the check in the language now installed."""
        self._texts.apply()
        if hasattr(self, "_quiz_note"):  # made at the end of __init__
            self._quiz_changed()
        if self._request_id is not None:
            self._set_status(self._pending_text(), "pending")
        elif self._answer is not None:
            self._show_answer(self._answer)
        elif self.status.property("state") == "pending":
            self._set_status(self._pending_text(), "pending")

    def _pending_text(self) -> str:
        return self.tr("loading PyTorch…") if self.report is None else self.tr("checking…")

    # ---- driving
    def start(self) -> None:
        """Allow checks (called once the window is on screen) and run the first one."""
        if not self._enabled:
            self._enabled = True
            self._request()

    def _on_trace(self) -> None:
        self._show_parts()
        if (runs := recorded(self)) is not None:
            return show_recorded(self, runs)  # torch ran in the script: nothing to ask
        self._show_code()
        if self._enabled:
            self._request()

    def _show_code(self) -> None:
        self.code.setPlainText(code_for(self.model.trace))

    #: for a worker thread: a function that writes a trace's PyTorch code ahead
    code_job = staticmethod(code_job)

    def _request(self) -> None:
        if (runs := recorded(self)) is not None:
            return show_recorded(self, runs)
        self.output.clear()
        self._printed, self._rows_of, self._shown_keys = [], {}, set()
        self.table.setRowCount(0)
        self.grad_fns.clear()
        self._answer = None
        self._set_status(self._pending_text(), "pending")
        self._request_id = TorchService.instance().ask("check", self.model.session().to_dict(),
                                                       key=id(self))  # newest wins

    def copy_code(self) -> None:
        QGuiApplication.clipboard().setText(self.code.toPlainText())

    # ---- answers
    def _on_report(self, request_id: int, answer: dict) -> None:
        if request_id != self._request_id:
            return
        self._request_id = None
        self._answer = answer
        self._show_answer(answer)

    def _show_answer(self, answer: dict) -> None:
        if "failure" in answer:
            self._set_status(self.tr("PyTorch check failed: {0}").format(answer["failure"]), "bad")
            return
        report = answer["report"]
        self.report = report
        if not report["available"]:
            self._set_status(self.tr("PyTorch is not available, so there is no comparison "
                                     "({0}). Everything else works.").format(report["error"]),
                             "unavailable")
            return
        self._printed = report["printed"].rstrip("\n").split("\n") if report["printed"] else []
        self._fill_table(report["rows"])
        self._reveal()
        chain = [f"{fn} ({label})" if label else fn for label, fn in report["grad_fns"]]
        self.grad_fns.setText(" → ".join(chain) if chain else self.tr("(no grad_fn: nothing "
                                                                      "needs a gradient)"))
        if report["match"]:
            self._set_status(self.tr("all match"), "ok")
        elif report["error"]:
            self._set_status(self.tr("mismatch: {0}").format(report["error"]), "bad")
        else:
            self._set_status(self.tr("mismatch: {0}").format(", ".join(report["mismatches"])),
                             "bad")

    def _fill_table(self, rows: list[dict]) -> None:
        output = self.model.trace.graph.output_node.label
        self.table.setRowCount(len(rows))
        self._rows_of = {}
        for i, row in enumerate(rows):
            self._rows_of.setdefault((row["quantity"], int(row.get("node", -1))), []).append(i)
            self.table.setRowHidden(i, False)
        self._shown_keys = set(self._rows_of)  # all shown: _reveal hides what is not reached
        for i, row in enumerate(rows):
            name = row["name"] if row["quantity"] == "value" else f"∂{output}/∂{row['name']}"
            cells = [name]
            tips = [name]
            for key in ("ours", "torch", "numeric"):
                value = _array(row[key])
                if value is None:
                    cells.append("—" if key != "numeric" else "")
                    tips.append("")
                else:
                    cells.append(format_value(value))
                    tips.append(full_precision(value))
            if row.get("numeric_note"):  # shown, but not trusted: say why (issue 13)
                cells[3] += " ?"
                tips[3] = self._note(row["numeric_note"]) + "\n" + tips[3]
            cells.append(OK_MARK if row["ok"] else BAD_MARK)
            tips.append(self.tr("agrees") if row["ok"] else self.tr("disagrees"))
            if row.get("note"):
                tips[4] += " (" + self._note(row["note"]) + ")"
            for column, (text, tip) in enumerate(zip(cells, tips, strict=True)):
                item = QTableWidgetItem(text)
                item.setToolTip(tip)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(i, column, item)

    def _note(self, note: str) -> str:
        """The engine's notes on a row (core.checks.torch_check), in the language shown."""
        notes = {
            "unreliable here: cancellation":
                self.tr("finite differences unreliable here: cancellation"),
            "unreliable here: huge arguments":
                self.tr("finite differences unreliable here: huge arguments"),
            "unreliable here: rounding in the difference quotient":
                self.tr("finite differences unreliable here: rounding"),
            "rounding: torch's is exact": self.tr("rounding: PyTorch's is exact"),
            "rounding: ours is exact": self.tr("rounding: ours is exact"),
        }
        return notes.get(note, note)

    def _set_status(self, text: str, state: str) -> None:
        self.status.setText(text)
        if self.status.property("state") != state:  # re-polished only when its colour
            # changes: a recorded pass set the same status at every step (~1 ms each)
            self.status.setProperty("state", state)
            self.status.style().unpolish(self.status)
            self.status.style().polish(self.status)
        self.statusChanged.emit(text)

