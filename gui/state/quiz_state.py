"""Quiz mode: the current step's number stays hidden until the learner types it.

Part of the one model: :class:`gui.state.model.StepperModel` owns a :class:`QuizState` as
``model.quiz``. Panels ask ``model.quiz.hidden_step`` (the step whose number they must
show as "?", or None) and listen to ``changed``. Answers are read by :mod:`core.engine.quiz`
as numbers, never evaluated.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from core.engine.quiz import QuizScore, QuizVerdict, is_quizzable
from core.engine.trace import Step
from gui.state.ninja_state import NinjaState


class QuizState(QObject):
    changed = Signal()  # on/off, a step hidden or revealed, a try, the score

    def __init__(self, model):
        super().__init__(model)
        self.model = model
        self.active = False
        self.score = QuizScore()
        #: steps whose number the learner has seen (answered, given up, or stepped past)
        self.revealed: set[int] = set()
        #: steps where a wrong try has shown the formula
        self.hinted: set[int] = set()
        #: the last verdict and the step it was about (kept after a right answer advances)
        self.feedback: tuple[Step, QuizVerdict] | None = None
        #: "numbers" (type each number) or "ninja" (write each gradient as an expression)
        self.mode = "numbers"
        self.ninja = NinjaState(model.trace)
        # connected before any panel: panels asking hidden_step on stepChanged see it new
        model.stepChanged.connect(self._moved)
        model.traceReplaced.connect(self._new_trace)

    # ---- reading
    @property
    def hidden_step(self) -> Step | None:
        """The current step, while quizzing and until it is answered or given up."""
        step = self.model.current
        if not self.active or step is None or step.index in self.revealed \
                or not is_quizzable(step):
            return None
        if self.mode == "ninja" and self.ninja.question_at(step) is None:
            return None  # ninja mode asks at the backward steps only
        return step

    @property
    def total(self) -> int:
        """How many numbers (in ninja mode: gradients) this walk can ask for."""
        if self.mode == "ninja":
            return self.ninja.total
        return sum(1 for step in self.model.trace.steps if is_quizzable(step))

    # ---- intent
    def set_active(self, on: bool) -> None:
        """Start a fresh walk (the steps already taken count as seen) or stop quizzing."""
        on = bool(on)
        if on == self.active:
            return
        self.active = on
        self._restart()
        self.changed.emit()

    def set_mode(self, mode: str, on: bool = True) -> None:
        """Switch between the numbers quiz and ninja mode (and start or stop it)."""
        if mode != self.mode:
            self.mode = mode
            if self.active:
                self._restart()
        self.set_active(on)
        self.changed.emit()

    def set_level(self, level: int) -> None:
        """Ninja level 1, 2 or 3: a fresh walk over the same trace."""
        if level != self.ninja.level:
            self.ninja.reset(self.model.trace, level)
            self.changed.emit()

    def check_gradient(self, text: str):
        """One try at the hidden gradient (ninja mode); right → on to the next step.

        Raises :class:`core.language.parser.ExpressionError` when ``text`` does not read."""
        step = self.hidden_step
        question = self.ninja.question_at(step)
        if question is None:
            return None
        verdict = self.ninja.check(question, text)
        self._ninja_moved(step, verdict.grade.right)
        return verdict

    def keep_gradient(self) -> None:
        """Level 3: go on with the wrong answer just graded."""
        step = self.hidden_step
        question = self.ninja.question_at(step)
        if question is not None:
            self.ninja.keep(question)
            self._ninja_moved(step, question.node in self.ninja.done)

    def show_gradient(self) -> str | None:
        step = self.hidden_step
        question = self.ninja.question_at(step)
        if question is None:
            return None
        text = self.ninja.show(question)
        self.revealed.add(step.index)
        self.changed.emit()
        return text

    def ninja_progress(self) -> dict | None:
        """Ninja mode's level and score for the session; None when nothing was tried."""
        if self.mode != "ninja" or not self.ninja.score.records:
            return None
        return self.ninja.progress()

    def restore_ninja(self, progress: dict) -> None:
        """A saved session's ninja progress: the mode, the level, the score and answers;
        the step on screen asks again if its gradient was not written yet."""
        self.mode = "ninja"
        self.set_active(True)
        self.ninja.restore(progress)
        step = self.model.current
        if step is not None and self.ninja.question_at(step) is not None:
            self.revealed.discard(step.index)
        self.changed.emit()

    def _ninja_moved(self, step: Step, done: bool) -> None:
        """A right answer reveals the step and moves on (the move tells everyone, once:
        a window redraw is ~0.1 s); a wrong one stays."""
        if done:
            self.revealed.add(step.index)
        if done and self.model.position < self.model.length:
            self.model.next()
        else:
            self.changed.emit()

    def check(self, text: str) -> QuizVerdict:
        """One try at the hidden number; right → revealed, then on to the next step.

        Raises :class:`core.language.parser.ExpressionError` when ``text`` is not a number.
        """
        step = self.hidden_step
        if step is None:
            return QuizVerdict(True)
        verdict = self.score.check(step, text)
        self.feedback = (step, verdict)
        if verdict.correct:
            self.revealed.add(step.index)
            self.changed.emit()
            if self.model.position < self.model.length:
                self.model.next()
        else:
            self.hinted.add(step.index)
            self.changed.emit()
        return verdict

    def give_up(self) -> QuizVerdict | None:
        step = self.hidden_step
        if step is None:
            return None
        verdict = self.score.give_up(step)
        self.feedback = (step, verdict)
        self.revealed.add(step.index)
        self.changed.emit()
        return verdict

    # ---- model → quiz
    def _restart(self) -> None:
        self.score.reset()
        self.ninja.reset(self.model.trace)
        self.revealed = set(range(1, self.model.position + 1))
        self.hinted = set()
        self.feedback = None

    def _moved(self, position: int) -> None:
        if not self.active:
            return
        self.revealed.update(range(1, position))  # everything before the current step shows
        self.changed.emit()

    def _new_trace(self) -> None:
        if not self.active:
            self.ninja.reset(self.model.trace)
        if self.active:
            self._restart()
            self.changed.emit()
