"""Ninja mode's walk in the window: the questions of the trace on screen and the score.

Owned by :class:`gui.state.quiz_state.QuizState` (ninja mode is a mode of the quiz),
which emits ``changed``. The engine does the work (:mod:`core.ninja`): answers are read
by the ``ast`` whitelist, computed with the ops' forwards, graded against the engine's
gradient and hinted. Here is what a walk remembers: each answer's value (``d_<name>``
for the next ones), the score per node and the last verdict.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.engine.trace import BackwardStep, Step, Trace
from core.ninja.progress import check_progress
from core.ninja.rules import grad_text, name_ok
from core.ninja.walk import Question, Record, Score, Verdict, Walk


@dataclass
class Feedback:
    """The last graded try (or Show answer) and the question it was about."""

    question: Question
    verdict: Verdict | None  # None: the answer was shown
    text: str


class NinjaState:
    def __init__(self, trace: Trace, level: int = 1):
        self.level = level
        self.reset(trace)

    def reset(self, trace: Trace, level: int | None = None) -> None:
        """A new walk over ``trace`` (a new program, a new iteration, another level),
        built when first asked for: a 10,000-node program pays nothing outside ninja mode."""
        if level is not None:
            self.level = level
        self._trace = trace
        self._walk: Walk | None = None
        self.done: set[int] = set()
        self.feedback = None
        self.score = Score()

    @property
    def walk(self) -> Walk:
        if self._walk is None:
            self._walk = Walk(self._trace, self.level)
            self.grads = self._walk.given_grads()
            self.true = self._walk.true_grads()
        return self._walk

    # ---- reading
    def question_at(self, step: Step | None) -> Question | None:
        """The question a backward step asks, while it is not answered yet."""
        if not isinstance(step, BackwardStep):
            return None
        question = self.walk.by_node.get(step.node_id)
        if question is None or question.node in self.done:
            return None
        return question

    @property
    def total(self) -> int:
        return len(self.walk.questions)

    def record(self, question: Question) -> Record:
        return self.score.record(question.key)

    def names(self, question: Question, limit: int = 40) -> list[str]:
        """What an answer may use here: values, then the gradients written so far (the
        latest ones, at most ``limit`` in all: a big graph has thousands)."""
        values = [n for n in self.walk.values if name_ok(n)][:limit // 2]
        graph = self.walk.trace.graph
        grads = [grad_text(graph, self.walk.find(k)) for k in list(self.grads)[-limit // 2:]
                 if self.walk.find(k) is not None]
        return values + grads

    def answers(self) -> dict[str, str]:
        """Each node's answer as the learner kept it (level 3 trains with them)."""
        return {key: r.answer for key, r in self.score.records.items() if r.answer}

    # ---- intent
    def check(self, question: Question, text: str) -> Verdict:
        """Grade one try. Raises ExpressionError for text that does not read, or uses a
        name not available here (not a try: nothing is counted)."""
        walk = self.walk
        answer = walk.parse(question, text, self.grads)
        verdict = self.walk.grade(question, answer, self.grads, self.true)
        record = self.record(question)
        record.attempts += 1
        record.answer = answer.text
        self.feedback = Feedback(question, verdict, answer.text)
        if verdict.grade.right:
            record.result = record.result or ("exact" if verdict.grade.exact else "close")
            self._accept(question, verdict.value)
        else:
            record.hint_used = True
        return verdict

    def keep(self, question: Question) -> None:
        """Level 3: go on with a wrong answer (training will show what it does)."""
        verdict = self.feedback.verdict if self.feedback else None
        if verdict is None or verdict.value is None or verdict.grade.shape_ok is False:
            return
        self._accept(question, verdict.value)

    def show(self, question: Question) -> str:
        """Show answer: our expression; the node counts as shown and its gradient is given."""
        text = self.walk.show(question)
        record = self.record(question)
        record.shown = True
        record.answer = record.answer if record.result else text
        self.feedback = Feedback(question, None, text)
        self._accept(question, self.true[question.key])
        return text

    def _accept(self, question: Question, value) -> None:
        self.grads[question.key] = np.asarray(value, dtype=self.walk.dtype)[()]
        self.done.add(question.node)

    # ---- sessions
    def progress(self) -> dict:
        return {"level": self.level,
                "records": {k: r.to_dict() for k, r in self.score.records.items()}}

    def restore(self, progress: dict) -> None:
        """Progress read from a session (validated again here): scores and answers back;
        nodes already right count as done, with the engine's gradient."""
        progress = check_progress(progress)
        self.reset(self._trace, progress["level"])
        for key, data in progress["records"].items():
            self.score.records[key] = Record(**data)
            node = self.walk.find(key)
            question = self.walk.by_node.get(node) if node is not None else None
            if question is not None and (data["result"] or data["shown"]):
                self._accept(question, self.true[question.key])
