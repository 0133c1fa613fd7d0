"""Quiz mode: the learner types the next number before the app shows it.

Answers are read with ``float()`` (via :func:`core.language.parser.parse_number`), never
evaluated, and compared with an absolute plus relative tolerance, so ``0`` can be the
right answer and 4 significant digits are enough. A fraction such as ``1/4`` or
``-2/3`` is read as two numbers and divided, so exact answers can be typed as the
lesson writes them. A wrong try gets a hint with the numbers filled in
(``y_hat = w · x = 1 · 1``) and the rule's name (``product rule: the other factor``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from core.base.format import format_value
from core.engine.explain import TEMPLATES, Explanation
from core.engine.trace import BackwardStep, LocalGradientStep, NoParameterStep, Step
from core.language.parser import ExpressionError, parse_number

RTOL = 2e-3
ATOL = 1e-6


@dataclass(frozen=True)
class QuizVerdict:
    correct: bool
    #: shown after a wrong try: the formula to use, without its value
    hint: str = ""
    #: the expected answer, formatted, once the learner gives up or gets it right
    answer: str = ""
    #: the rule behind the hint ("product rule: the other factor"), to be rendered
    rule: Explanation | None = None


def is_quizzable(step: Step) -> bool:
    return not isinstance(step, NoParameterStep) and step.value is not None


def element_asked(step: Step) -> tuple[int, ...] | None:
    """The one entry a tensor step asks for (its largest in size, first in row order:
    a number worth working out), or None for a scalar step. The whole tensor, typed as
    a nested list, is accepted too."""
    value = np.asarray(step.value, dtype=np.float64)
    if value.ndim == 0 or value.size < 2:
        return None
    flat = np.nan_to_num(np.abs(value), nan=0.0, posinf=0.0, neginf=0.0)
    return tuple(int(i) for i in np.unravel_index(int(np.argmax(flat)), value.shape))


def close_enough(given: np.ndarray, expected: np.ndarray) -> bool:
    given = np.asarray(given, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    if given.shape != expected.shape and given.size != 1 and expected.size != 1:
        return False
    try:
        return bool(np.all(np.isclose(given, expected, rtol=RTOL, atol=ATOL, equal_nan=True)))
    except ValueError:
        return False


#: a fraction of two plain numbers: ``1/4``, ``-2/3``, ``1.5 / 2`` (nothing more)
_NUMBER = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
_FRACTION = re.compile(rf"\s*({_NUMBER})\s*/\s*({_NUMBER})\s*")
MAX_ANSWER = 100_000  # characters: an answer is a few numbers


def _fraction(part: str) -> str:
    """``a/b`` as the text of its quotient; any other text unchanged."""
    match = _FRACTION.fullmatch(part)
    if match is None:
        return part
    top, bottom = float(match.group(1)), float(match.group(2))
    if bottom == 0:
        raise ExpressionError(f"{part.strip()} divides by zero", where="answer")
    return repr(top / bottom)


def parse_answer(text: str) -> np.ndarray:
    """A typed answer: a number, a fraction ``a/b``, ``nan``, ``inf``, or a comma list."""
    text = (text or "").strip().replace("∞", "inf").replace("−", "-")
    if not text:
        raise ExpressionError("type a number", where="answer")
    if len(text) > MAX_ANSWER:
        raise ExpressionError("the answer is too long", where="answer")
    parts = [p.strip() for p in text.strip("[]").split(",")]
    if all(p.lower().lstrip("+-") in ("nan", "inf", "infinity") for p in parts):
        values = [float(p) for p in parts]
        return np.float64(values[0]) if len(values) == 1 else np.array(values)
    if "/" in text:
        listed = "," in text or "[" in text
        text = ", ".join(_fraction(p) for p in parts)
        if listed and "," not in text:
            text = f"[{text}]"  # a one-entry list stays a list
    return parse_number(text, "answer")


def hint(step: Step) -> str:
    """The step's formula with its numbers filled in, but not the value it comes to."""
    parts = [step.target]
    for part in (step.formula, step.substituted):
        if part and part != parts[-1]:
            parts.append(part)
    return " = ".join(parts) if step.phase != "update" else \
        f"{step.target} ← {' = '.join(parts[1:])}"


def rule(step: Step) -> Explanation | None:
    """The rule a hint names: the op's derivative at the local phase, the chain rule
    backward, gradient descent at the update."""
    if isinstance(step, LocalGradientStep):
        op = step.graph.nodes[step.edge[1]].op
        return Explanation(f"rule.{op}") if f"rule.{op}" in TEMPLATES else None
    if isinstance(step, BackwardStep):
        count = len(step.contributions)
        return Explanation("rule.chain.fork", {"count": count}) if count > 1 \
            else Explanation("rule.chain")
    if step.phase == "update":
        return Explanation("rule.update")
    if step.phase == "forward":
        return Explanation("rule.forward")
    return None


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
        expected = step.value
        index = element_asked(step)
        if index is not None and np.ndim(given) == 0:
            expected = np.asarray(step.value)[index]  # the entry asked for
        elif index is not None and np.shape(given) != np.shape(step.value):
            expected = None  # a list of the wrong shape is never right
        if expected is not None and close_enough(given, expected):
            self.solved.setdefault(step.index, True)
            return QuizVerdict(True, answer=format_value(step.value))
        return QuizVerdict(False, hint=hint(step), rule=rule(step))

    def give_up(self, step: Step) -> QuizVerdict:
        self.solved[step.index] = False
        return QuizVerdict(False, hint(step), format_value(step.value), rule(step))

    def reset(self) -> None:
        self.tries.clear()
        self.solved.clear()
