"""Quiz mode's answer box: the question, a field, Check / Show answer, feedback and score.

A thin view of ``model.quiz`` (:mod:`gui.state.quiz_state`). The typed text goes to
:mod:`core.engine.quiz`, which reads it as a number and never evaluates it.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.language.parser import ExpressionError
from gui.panels.base import STEP_MODES, Area, DockSpec, Panel, PanelAction
from gui.panels.ninja_view import NinjaView
from gui.state.model import StepperModel
from gui.support.texts import explain, shown, target_text
from gui.support.theme import RIGHT, WRONG

RIGHT_COLOUR, WRONG_COLOUR = RIGHT, WRONG  # gui.support.theme
NINJA_HEIGHT = 86  # ninja mode: question, answer row, names and feedback


class AnswerField(QLineEdit):
    """A line edit that keeps its Return: QLineEdit passes it on to the parent, and the
    window hands keys back to the focused field, which would check a second time."""

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()


class QuizPanel(Panel, QWidget):
    DOCK = DockSpec("quizDock", "quiz_dock", Area.BottomDockWidgetArea,
                    split=("stepDock", Qt.Orientation.Vertical), listed=False, hidden=True)
    #: the Step menu's toggles and their keys; ninja mode (issue 23) is a mode of the quiz
    ACTIONS = (
        PanelAction("toggle_action", "quizAction", QT_TRANSLATE_NOOP("QuizPanel", "Quiz Mode"),
                    "set_quiz_mode", ("Ctrl+Shift+Q",), STEP_MODES, checkable=True),
        PanelAction("ninja_action", "ninjaAction", QT_TRANSLATE_NOOP("QuizPanel", "Ninja Mode"),
                    "set_ninja_mode", ("Ctrl+Shift+N",), STEP_MODES, checkable=True),
    )
    STEP_BAR = ("quiz_button", "ninja_button")

    def __init__(self, model: StepperModel, parent=None):
        super().__init__(parent)
        self.setObjectName("quizPanel")
        self.model = model
        self.quiz = model.quiz
        self._note = ""  # a message of the panel's own (not a number)

        self.make_actions()
        self._make_mode_buttons()

        self.question = QLabel(objectName="quizQuestion", wordWrap=True)
        self.question.setTextFormat(Qt.TextFormat.PlainText)
        font = self.question.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.question.setFont(font)
        self.answer = AnswerField(objectName="quizAnswer")
        self.answer.returnPressed.connect(self.check)
        self.check_button = QPushButton(objectName="quizCheckButton")
        self.check_button.clicked.connect(self.check)
        self.give_up_button = QPushButton(objectName="quizShowAnswerButton")
        self.give_up_button.clicked.connect(self.give_up)
        self.feedback = QLabel(objectName="quizFeedback", wordWrap=True)
        self.feedback.setTextFormat(Qt.TextFormat.PlainText)
        self.feedback.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.score = QLabel(objectName="quizScore")
        self.stop_button = QPushButton(objectName="quizStopButton")
        self.stop_button.clicked.connect(lambda: self.quiz.set_active(False))
        for button in (self.check_button, self.give_up_button, self.stop_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)

        self.question.setMinimumWidth(220)
        self.answer.setMaximumWidth(260)
        row = QHBoxLayout()
        row.addWidget(self.question)
        row.addWidget(self.answer, 1)
        row.addWidget(self.check_button)
        row.addWidget(self.give_up_button)
        row.addSpacing(16)
        row.addWidget(self.feedback, 2)
        row.addSpacing(16)
        row.addWidget(self.score)
        row.addWidget(self.stop_button)
        self._make_ninja(row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.pages)

        # two lines of question or hint fit without clipping (a hint carries numbers
        # and the rule's name)
        lines = max(self.question.fontMetrics().lineSpacing(),
                    self.feedback.fontMetrics().lineSpacing())
        self._numbers_height = 2 * lines + 16
        self.setMinimumHeight(self._numbers_height)

        self.quiz.changed.connect(self.refresh)
        model.traceReplaced.connect(self._steps_replaced)
        self.retranslate()
        self._steps_replaced()

    def _steps_replaced(self) -> None:
        """A script not run yet has no step to ask about: the modes wait for its Run."""
        for action in (self.toggle_action, self.ninja_action):
            action.setEnabled(self.model.length > 0 or action.isChecked())

    def _make_mode_buttons(self) -> None:
        """The step bar's buttons for the two modes (STEP_BAR: the window puts them there)."""
        self.quiz_button = QToolButton(objectName="quizButton")
        self.quiz_button.setDefaultAction(self.toggle_action)
        self.ninja_button = QToolButton(objectName="ninjaButton")
        self.ninja_button.setDefaultAction(self.ninja_action)
        for button in (self.quiz_button, self.ninja_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)

    def _make_ninja(self, row: QHBoxLayout) -> None:
        """Ninja mode (issue 23), the panel's second page: each gradient written as an
        expression (gui/panels/ninja_view.py); its action is Ctrl+Shift+N."""
        numbers = QWidget(objectName="quizNumbers")
        numbers.setLayout(row)
        row.setContentsMargins(0, 0, 0, 0)
        self.ninja_view = NinjaView(self.model, AnswerField(), self)
        self.pages = QStackedWidget(objectName="quizPages")
        self.pages.addWidget(numbers)
        self.pages.addWidget(self.ninja_view)
        self.ninja_view.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)

    # ---- words
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Ninja mode") if self.quiz.mode == "ninja" else
                            self.tr("Quiz"))
        self.toggle_action.setToolTip(self.tr(
            "Hide each new number until you type it (Ctrl+Shift+Q)"))
        self.answer.setPlaceholderText(self.tr("your answer, e.g. -2, 0.5 or 1/4"))
        self.answer.setAccessibleName(self.tr("Your answer"))
        self.check_button.setText(self.tr("Check"))
        self.give_up_button.setText(self.tr("Show answer"))
        self.stop_button.setText(self.tr("Leave quiz"))
        self.ninja_action.setIconText(self.tr("Ninja"))  # the step bar's button: short
        self.ninja_action.setToolTip(self.tr(
            "Write each gradient of the backward pass yourself, as an expression "
            "(Ctrl+Shift+N)"))
        self.ninja_view.retranslate()
        self.refresh()

    # ---- intent
    def set_quiz_mode(self, on: bool) -> None:
        """Quiz Mode (Ctrl+Shift+Q): each new number hidden until typed."""
        if on:
            self.quiz.set_mode("numbers")
        else:
            self.quiz.set_active(False)

    def set_ninja_mode(self, on: bool) -> None:
        """Ninja Mode (Ctrl+Shift+N): each gradient written as an expression."""
        if on:
            self.quiz.set_mode("ninja")
        else:
            self.quiz.set_active(False)

    def check(self) -> None:
        if self.quiz.hidden_step is None or not self.answer.text().strip():
            return
        try:
            self.quiz.check(self.answer.text())
        except ExpressionError:
            self._note = self.tr("Type a number, such as -2, 0.5, 1e-3 or 1/4 (nothing is "
                                 "evaluated).")
            self.refresh()
            return
        self.answer.clear()

    def give_up(self) -> None:
        if self.quiz.give_up() is not None:
            self.answer.clear()

    # ---- state → view
    def refresh(self) -> None:
        quiz = self.quiz
        ninja = quiz.mode == "ninja"
        for action, on in ((self.toggle_action, quiz.active and not ninja),
                           (self.ninja_action, quiz.active and ninja)):
            if action.isChecked() != on:
                action.blockSignals(True)
                action.setChecked(on)
                action.blockSignals(False)
        if self.pages.currentIndex() != int(ninja):
            self.pages.setCurrentIndex(int(ninja))
            for index in range(self.pages.count()):  # only the page shown sets the size
                policy = QSizePolicy.Policy.Preferred if index == int(ninja) else \
                    QSizePolicy.Policy.Ignored
                self.pages.widget(index).setSizePolicy(policy, policy)
            self.setMinimumHeight(NINJA_HEIGHT if ninja else self._numbers_height)
            self.setWindowTitle(self.tr("Ninja mode") if ninja else self.tr("Quiz"))
        step = quiz.hidden_step
        if step is not None:
            self.question.setText(self.question_text(step))
        elif self.model.position >= self.model.length:
            self.question.setText(self.tr("End of the walk."))
        else:
            self.question.setText(self.tr("Press → for the next question."))
        self.answer.setEnabled(step is not None)
        self.check_button.setEnabled(step is not None)
        self.give_up_button.setEnabled(step is not None)
        self.feedback.setText(self._feedback_text())
        self._note = ""
        self.score.setText(self.tr("{0} of {1} right first try").format(
            quiz.score.correct_first_try, quiz.total))

    def question_text(self, step) -> str:
        """Local and total gradients are asked differently: both may read ∂loss/∂s."""
        if step.phase == "local":
            return self.tr("What is the local gradient {0}?").format(step.target)
        if step.phase == "backward":
            return self.tr("What is the gradient of the loss {0}?").format(step.target)
        if step.phase == "update":
            return self.tr("What is the new value of {0}?").format(step.target)
        return self.tr("What is {0}?").format(step.target)

    @staticmethod
    def hint_text(step, verdict, with_rule: bool = True) -> str:
        """The hint with its numbers, then the rule: "y_hat = w · x = 1 · 1 (…)"."""
        text = shown(verdict.hint, step)
        if with_rule and verdict.rule is not None:
            return f"{text} ({explain(verdict.rule)})"
        return text

    def _feedback_text(self) -> str:
        if self._note:
            self.feedback.setStyleSheet(f"color: {WRONG_COLOUR};")
            return self._note
        if self.quiz.feedback is None:
            self.feedback.setStyleSheet("")
            return ""
        step, verdict = self.quiz.feedback
        if verdict.correct:
            self.feedback.setStyleSheet(f"color: {RIGHT_COLOUR};")
            return self.tr("✓ Right: {0} = {1}").format(target_text(step), verdict.answer)
        if verdict.answer:  # given up
            self.feedback.setStyleSheet("")
            return self.tr("The answer: {0} = {1}").format(
                self.hint_text(step, verdict, with_rule=False), verdict.answer)
        self.feedback.setStyleSheet(f"color: {WRONG_COLOUR};")
        return self.tr("✗ Not quite. Hint: {0}").format(self.hint_text(step, verdict))

    def set_dark(self, dark: bool) -> None:
        self.ninja_view.plot.set_dark(dark)

    def focus_answer(self) -> None:
        field = self.ninja_view.answer if self.quiz.mode == "ninja" else self.answer
        if field.isEnabled():
            field.setFocus(Qt.FocusReason.OtherFocusReason)
