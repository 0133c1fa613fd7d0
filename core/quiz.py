"""Quiz mode: the learner types the next number before the app shows it.

Answers are read with ``float()`` (via :func:`core.language.parse_number`), never
evaluated, and compared with an absolute plus relative tolerance, so ``0`` can be the
right answer and 4 significant digits are enough.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from core.format import format_value
from core.language import ExpressionError, parse_number
from core.trace import NoParameterStep, Step

RTOL = 2e-3
ATOL = 1e-6


@dataclass(frozen=True)
class QuizVerdict:
    correct: bool
    #: shown after a wrong try: the formula to use, without its value
    hint: str = ""
    #: the expected answer, formatted, once the learner gives up or gets it right
    answer: str = ""


def is_quizzable(step: Step) -> bool:
    return not isinstance(step, NoParameterStep) and step.value is not None


def close_enough(given: np.ndarray, expected: np.ndarray) -> bool:
    given = np.asarray(given, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    if given.shape != expected.shape and given.size != 1 and expected.size != 1:
        return False
    try:
        return bool(np.all(np.isclose(given, expected, rtol=RTOL, atol=ATOL, equal_nan=True)))
    except ValueError:
        return False


def parse_answer(text: str) -> np.ndarray:
    """A typed answer: a number, ``nan``, ``inf``, or a comma-separated list."""
    text = (text or "").strip().replace("∞", "inf").replace("−", "-")
    if not text:
        raise ExpressionError("type a number", where="answer")
    parts = [p.strip() for p in text.strip("[]").split(",")]
    if all(p.lower().lstrip("+-") in ("nan", "inf", "infinity") for p in parts):
        values = [float(p) for p in parts]
        return np.float64(values[0]) if len(values) == 1 else np.array(values)
    return parse_number(text, "answer")


@dataclass
class QuizScore:
    """Per step: tries so far and whether it was solved; first-try answers score."""

    tries: dict[int, int] = field(default_factory=dict)
    solved: dict[int, bool] = field(default_factory=dict)

    @property
    def correct_first_try(self) -> int:
        return sum(1 for k, ok in self.solved.items() if ok and self.tries.get(k) == 1)

    @property
    def answered(self) -> int:
        return len(self.solved)

    def check(self, step: Step, text: str) -> QuizVerdict:
        """Check one try at ``step``'s number; raises ExpressionError for non-numbers."""
        given = parse_answer(text)
        self.tries[step.index] = self.tries.get(step.index, 0) + 1
        if close_enough(given, step.value):
            self.solved.setdefault(step.index, True)
            return QuizVerdict(True, answer=format_value(step.value))
        return QuizVerdict(False, hint=f"{step.target} = {step.formula}" if step.formula
                           else step.target)

    def give_up(self, step: Step) -> QuizVerdict:
        self.solved[step.index] = False
        return QuizVerdict(False, f"{step.target} = {step.formula}", format_value(step.value))

    def reset(self) -> None:
        self.tries.clear()
        self.solved.clear()
