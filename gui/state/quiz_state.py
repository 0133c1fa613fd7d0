"""Quiz mode: the current step's number stays hidden until the learner types it.

Part of the one model: :class:`gui.state.model.StepperModel` owns a :class:`QuizState` as
``model.quiz``. Panels ask ``model.quiz.hidden_step`` (the step whose number they must
show as "?", or None) and listen to ``changed``. Answers are read by :mod:`core.quiz`
as numbers, never evaluated.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from core.quiz import QuizScore, QuizVerdict, is_quizzable
from core.trace import Step


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
        return step

    @property
    def total(self) -> int:
        """How many numbers this walk can ask for."""
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

    def check(self, text: str) -> QuizVerdict:
        """One try at the hidden number; right → revealed, then on to the next step.

        Raises :class:`core.language.ExpressionError` when ``text`` is not a number.
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
        self.revealed = set(range(1, self.model.position + 1))
        self.hinted = set()
        self.feedback = None

    def _moved(self, position: int) -> None:
        if not self.active:
            return
        self.revealed.update(range(1, position))  # everything before the current step shows
        self.changed.emit()

    def _new_trace(self) -> None:
        if self.active:
            self._restart()
            self.changed.emit()
