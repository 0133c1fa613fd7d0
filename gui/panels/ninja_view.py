"""Ninja mode's page of the quiz panel: write each gradient of the backward pass yourself.

At each backward step: an expression box for the node's gradient, Check, Show answer;
the grade (exact, close, max difference, shape), a hint when wrong, a heat map of
answer − gradient for a tensor; the score table; the level (1 every node, 2 fused
softmax + log + nll, 3 train with your gradients). A thin view of ``model.quiz``
(:mod:`gui.state.quiz_state`); the engine (:mod:`core.ninja`) reads, computes and grades.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.base.values import shape_of
from core.language.parser import ExpressionError
from core.ninja.grade import difference
from core.ninja.rules import grad_text
from core.ninja.train import train_with_answers
from gui.panels.ninja_hints import hint_text
from gui.panels.ninja_plot import NinjaPlot
from gui.support.theme import RIGHT, WRONG

TRAIN_ITERATIONS = 20


class OneLine(QLabel):
    """A label that keeps to one line, cut with … where the dock is narrow (the whole
    text in its tooltip): a second line would be clipped in a 720-pixel-high window."""

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight,
                                             self.contentsRect().width())
        with QPainter(self) as painter:  # (ended even when drawing raises)
            self.style().drawItemText(painter, self.contentsRect(), int(self.alignment()),
                                      self.palette(), self.isEnabled(), text,
                                      self.foregroundRole())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(40, super().minimumSizeHint().height())

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        super().setText(text)
        self.setToolTip(text)


class NinjaView(QWidget):
    def __init__(self, model, answer_field, parent=None):
        super().__init__(parent)
        self.setObjectName("ninjaView")
        self.model = model
        self.quiz = model.quiz
        self._note = ""
        self._drawn = None  # the verdict whose heat map is on screen
        self.question = OneLine(objectName="ninjaQuestion")
        self.question.setTextFormat(Qt.TextFormat.PlainText)
        font = self.question.font()
        font.setBold(True)
        self.question.setFont(font)
        self.level = QComboBox(objectName="ninjaLevel")
        self.level.addItems(["", "", ""])
        self.level.currentIndexChanged.connect(lambda i: self.quiz.set_level(i + 1))
        self.names = QLabel(objectName="ninjaNames", wordWrap=True)
        self.names.setTextFormat(Qt.TextFormat.PlainText)
        self.names.setStyleSheet("color: palette(mid);")
        self.answer = answer_field
        self.answer.setObjectName("ninjaAnswer")
        self.answer.returnPressed.connect(self.check)
        self.check_button = QPushButton(objectName="ninjaCheckButton")
        self.check_button.clicked.connect(self.check)
        self.show_button = QPushButton(objectName="ninjaShowAnswerButton")
        self.show_button.clicked.connect(self.show_answer)
        self.keep_button = QPushButton(objectName="ninjaKeepButton")
        self.keep_button.clicked.connect(self.quiz.keep_gradient)
        self.train_button = QPushButton(objectName="ninjaTrainButton")
        self.train_button.clicked.connect(self.train)
        self.leave_button = QPushButton(objectName="ninjaStopButton")
        self.leave_button.clicked.connect(lambda: self.quiz.set_active(False))
        self.iterations = QSpinBox(objectName="ninjaIterations", minimum=1, maximum=500,
                                   value=TRAIN_ITERATIONS)
        self.feedback = QLabel(objectName="ninjaFeedback", wordWrap=True)
        self.feedback.setTextFormat(Qt.TextFormat.PlainText)
        self.feedback.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(0, 4, objectName="ninjaScore")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        rows = self.table.fontMetrics().height() + 6
        self.table.verticalHeader().setDefaultSectionSize(rows)
        self.table.setMinimumHeight(2 * rows)
        self.plot = NinjaPlot(self)
        self.plot.setMinimumSize(160, 60)
        for button in (self.check_button, self.show_button, self.keep_button,
                       self.train_button, self.leave_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self._lay_out()
        self.quiz.changed.connect(self.refresh)

    def _lay_out(self) -> None:
        """Rows that fit the bottom dock at 1280×720 (about 125 px): the question with the
        level and the way out; the answer with Check and Show answer; then the names, the
        grade and the hint, scrolling if a hint is long. The score table and the picture
        share a tab: a wrong tensor answer brings its heat map to the front."""
        top = QHBoxLayout()
        top.addWidget(self.question, 1)
        for widget in (self.level, self.leave_button):
            top.addWidget(widget)
        train = QHBoxLayout()  # level 3 only
        train.addWidget(self.iterations)
        train.addWidget(self.train_button)
        train.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.answer, 1)
        for widget in (self.check_button, self.show_button, self.keep_button):
            row.addWidget(widget)
        words = QWidget(objectName="ninjaWords")
        inner = QVBoxLayout(words)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(1)
        inner.addWidget(self.names)
        inner.addWidget(self.feedback)
        inner.addStretch(1)
        scroll = QScrollArea(objectName="ninjaFeedbackScroll", widgetResizable=True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(words)
        scroll.setMinimumHeight(2 * self.feedback.fontMetrics().lineSpacing() + 4)
        left = QVBoxLayout()
        left.setSpacing(3)
        left.addLayout(top)
        left.addLayout(row)
        left.addWidget(scroll, 1)
        left.addLayout(train)
        self.tabs = QTabWidget(objectName="ninjaTabs")
        self.tabs.addTab(self.table, "")
        self.tabs.addTab(self.plot, "")
        self.tabs.setDocumentMode(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left, 2)
        layout.addWidget(self.tabs, 1)

    # ---- words
    def retranslate(self) -> None:
        levels = ((self.tr("Level 1"), self.tr("Level 1: every node of the backward pass")),
                  (self.tr("Level 2: fused"), self.tr(
                      "Level 2: softmax + log + nll (or cross_entropy) as one answer, "
                      "(softmax(logits) − onehot) / N")),
                  (self.tr("Level 3: train"), self.tr(
                      "Level 3: train with your gradients, beside the right ones")))
        for i, (text, tip) in enumerate(levels):
            self.level.setItemText(i, text)
            self.level.setItemData(i, tip, Qt.ItemDataRole.ToolTipRole)
        self.level.setToolTip(self.tr("Ninja level"))
        self.check_button.setText(self.tr("Check"))
        self.show_button.setText(self.tr("Show answer"))
        self.keep_button.setText(self.tr("Go on with it"))
        self.keep_button.setToolTip(self.tr("Level 3: keep this wrong gradient and see how "
                                            "training goes with it"))
        self.train_button.setText(self.tr("Train with your gradients"))
        self.leave_button.setText(self.tr("Leave"))
        self.leave_button.setToolTip(self.tr("Leave ninja mode (Ctrl+Shift+N)"))
        self.iterations.setToolTip(self.tr("Iterations of gradient descent"))
        self.answer.setPlaceholderText(self.tr("a gradient, e.g. 2 * s * d_loss or X.T @ d_z"))
        self.tabs.setTabText(1, self.tr("Picture"))
        self.tabs.setTabToolTip(1, self.tr("your answer − the gradient"))
        self.table.setHorizontalHeaderLabels([self.tr("Node"), self.tr("Tries"),
                                              self.tr("Result"), self.tr("Hint used")])
        self.refresh()

    # ---- intent
    def check(self) -> None:
        if self.quiz.hidden_step is None or not self.answer.text().strip():
            return
        try:
            verdict = self.quiz.check_gradient(self.answer.text())
        except ExpressionError as exc:
            self._note = self.tr("This does not read as a gradient: {0}").format(str(exc))
            self.refresh()
            return
        if verdict is not None and verdict.grade.right:
            self.answer.clear()

    def show_answer(self) -> None:
        if self.quiz.show_gradient() is not None:
            self.answer.clear()

    def train(self) -> None:
        """Level 3: the straight-line program trained with the learner's answers."""
        ninja = self.quiz.ninja
        program = self.model.program
        lr = self.model.learning_rate or 0.1
        try:
            run = train_with_answers(program.text, program.bindings, ninja.answers(), lr,
                                     self.iterations.value(), check_torch=False)
        except ExpressionError as exc:
            self._note = str(exc)
            self.refresh()
            return
        self.last_run = run
        title = self.tr("loss: yours (dots), the right gradients' (dashed, = torch SGD), "
                        "lr = {0}").format(f"{lr:g}")
        if run.stopped:
            title = self.tr("stopped: {0}").format(run.stopped)
        self.tabs.setCurrentWidget(self.plot)
        self.plot.curves(run.losses, run.reference, title)
        self._note = (self.tr("Your gradients train like torch's.") if run.trains else
                      self.tr("Your gradients do not train: the loss does not come down as "
                              "it should.")) + " " + title
        self.refresh()

    # ---- state → view
    def refresh(self) -> None:
        quiz, ninja = self.quiz, self.quiz.ninja
        if not quiz.active or quiz.mode != "ninja":
            return
        if self.level.currentIndex() != ninja.level - 1:
            self.level.blockSignals(True)
            self.level.setCurrentIndex(ninja.level - 1)
            self.level.blockSignals(False)
        step = quiz.hidden_step
        question = ninja.question_at(step)
        self.question.setText(self.question_text(question))
        for widget in (self.answer, self.check_button, self.show_button):
            widget.setEnabled(question is not None)
        self.names.setText(self.tr("Names: {0}; torch.exp, .T, @, .sum(0, keepdim=True), "
                                   "(h > 0), torch.zeros_like …").format(
            ", ".join(ninja.names(question))) if question is not None else
            self.given_reason() or "")
        level3 = ninja.level == 3 and not self.model.training.script
        feedback = ninja.feedback
        self.keep_button.setVisible(ninja.level == 3)
        self.keep_button.setEnabled(bool(level3 and question is not None and feedback
                                         and feedback.verdict is not None
                                         and feedback.verdict.grade.shape_ok
                                         and not feedback.verdict.grade.right))
        self.train_button.setVisible(ninja.level == 3)
        self.iterations.setVisible(ninja.level == 3)
        self.train_button.setEnabled(level3)
        self.feedback.setText(self._feedback_text())
        self.names.setVisible(not self.feedback.text())
        self._note = ""
        self._fill_table()
        self.tabs.setTabText(0, self.tr("Score: {0} of {1}").format(
            ninja.score.right_first_try, ninja.total))
        self._picture()

    def question_text(self, question) -> str:
        if question is not None:
            # the name to write first: a narrow dock cuts the end of the line
            return self.tr("{0} = {1} ({2}) = ?").format(
                grad_text(self.model.trace.graph, question.node), question.step.target,
                shape_of(question.expected))
        given = self._torch_given()
        if given is not None:
            return given
        if self.quiz.ninja.level == 3 and self.model.training.script:
            return self.tr("A recorded pass is fixed: level 3 trains straight-line programs.")
        if self.model.position >= self.model.length:
            return self.tr("End of the walk.")
        return self.tr("Press → to the next gradient to write.")

    def _torch_given(self) -> str | None:
        """The note at a node whose gradient is given, not asked: it comes back through a
        torch call with no rule of ours (a recorded pass), or through a rule the answer
        language cannot write yet (max_pool2d's routing). Short: a narrow dock cuts it."""
        reason = self.given_reason()
        if reason is None:
            return None
        return self.tr("{0} is given: press → to go on.").format(
            grad_text(self.model.trace.graph, self.model.current.node_id))

    def given_reason(self) -> str | None:
        """Why the node on screen is given (shown on the names' line, which wraps)."""
        step = self.model.current
        node_id = getattr(step, "node_id", None)
        if step is None or step.phase != "backward" or not self.quiz.active:
            return None
        graph = self.model.trace.graph
        walk = self.quiz.ninja.walk
        if node_id in walk.no_rule:
            return self.tr("Its rule cannot be written as an answer yet: {0}").format(
                step.formula)
        if node_id not in walk.torch_given:
            return None
        calls = sorted({n.params.get("short", "torch") for n in graph.nodes
                        if n.op == "torch_rule" and node_id in n.inputs})
        return self.tr("It comes back through {0}, whose rule only torch knows.").format(
            ", ".join(calls))

    def _feedback_text(self) -> str:
        if self._note:
            self.feedback.setStyleSheet(f"color: {WRONG};")
            return self._note
        feedback = self.quiz.ninja.feedback
        if feedback is None:
            self.feedback.setStyleSheet("")
            return ""
        key = feedback.question.key
        if feedback.verdict is None:
            self.feedback.setStyleSheet("")
            return self.tr("The answer: {0} = {1}").format(
                grad_text(self.model.trace.graph, feedback.question.node), feedback.text)
        g = feedback.verdict.grade
        mark = {True: "✓", False: "✗"}
        grade = self.tr("exact {0} · close {1} · max difference {2} · shape {3}").format(
            mark[g.exact], mark[g.close], "—" if g.maxdiff is None else f"{g.maxdiff:.3g}",
            mark[g.shape_ok])
        if g.right:
            self.feedback.setStyleSheet(f"color: {RIGHT};")
            return self.tr("✓ Right: {0}. {1}").format(key, grade)
        self.feedback.setStyleSheet(f"color: {WRONG};")
        return self.tr("✗ Not yet: {0}\nHint: {1}").format(
            grade, hint_text(feedback.verdict.hint))

    def _fill_table(self) -> None:
        ninja = self.quiz.ninja
        questions = ninja.walk.questions
        self.table.setRowCount(len(questions))
        yes, no = self.tr("yes"), self.tr("no")
        for row, q in enumerate(questions):
            record = ninja.score.records.get(q.key)
            result = "" if record is None else (
                self.tr("shown") if record.shown and not record.result else
                {"exact": self.tr("exact"), "close": self.tr("close")}.get(record.result, "✗"
                                                                             if record.attempts
                                                                             else ""))
            cells = (q.key, str(record.attempts) if record else "", result,
                     (yes if record.hint_used else no) if record else "")
            for column, text in enumerate(cells):
                item = self.table.item(row, column)
                if item is None:
                    item = QTableWidgetItem()
                    self.table.setItem(row, column, item)
                item.setText(text)

    def _picture(self) -> None:
        feedback = self.quiz.ninja.feedback
        if self.plot.showing == "curves" and self.quiz.ninja.level == 3:
            return
        verdict = feedback.verdict if feedback is not None else None
        if verdict is None or verdict.value is None or np.ndim(verdict.value) == 0 \
                or verdict.grade.right:  # nothing to show where it is right
            if self.plot.showing:
                self.plot.clear()
            self.tabs.setCurrentWidget(self.table)
            return
        if self.plot.showing == "heatmap" and self._drawn is verdict:
            return  # drawn already (a refresh redraws nothing that did not change)
        diff = difference(verdict.value, feedback.question.expected)
        if diff is None or diff.ndim == 0:
            self.plot.clear()
            return
        self._drawn = verdict
        self.plot.heatmap(diff, self.tr("your answer − the gradient"))
        self.tabs.setCurrentWidget(self.plot)
