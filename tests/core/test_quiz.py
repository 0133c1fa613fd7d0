"""Quiz answers: numbers only, tolerance that accepts 4 significant digits and zero."""

from __future__ import annotations

import pytest

from core.examples import LESSON_TEXT, lesson_bindings
from core.language import ExpressionError
from core.quiz import QuizScore, close_enough, is_quizzable, parse_answer
from core.trace import build_trace


@pytest.fixture()
def lesson():
    return build_trace(LESSON_TEXT, lesson_bindings())


@pytest.mark.parametrize(("typed", "expected", "ok"), [
    ("1", 1.0, True), ("−1", -1.0, True), ("-1.0", -1.0, True), ("1.0005", 1.0, True),
    ("1.01", 1.0, False), ("0", 0.0, True), ("1e-9", 0.0, True), ("0.001", 0.0, False),
    ("0.3333", 1 / 3, True), ("0.33", 1 / 3, False), ("nan", float("nan"), True),
    ("inf", float("inf"), True), ("−∞", float("-inf"), True), ("1", float("nan"), False),
    ("1, 2", [1.0, 2.0], True), ("[1, 2.0001]", [1.0, 2.0], True), ("1, 3", [1.0, 2.0], False),
])
def test_tolerance(typed, expected, ok):
    assert close_enough(parse_answer(typed), expected) is ok


@pytest.mark.parametrize("typed", ["", "  ", "two", "2*3", "__import__('os')", "1/0", "1;2"])
def test_answers_are_never_evaluated(typed):
    with pytest.raises(ExpressionError):
        parse_answer(typed)


def test_walk_scores_first_tries_and_hints_the_formula(lesson):
    score = QuizScore()
    first, local = lesson.step(1), lesson.step(4)
    assert score.check(first, "1").correct
    wrong = score.check(local, "2")
    assert not wrong.correct and wrong.hint == "∂loss/∂s = 2 · s"
    assert score.check(local, "-2").correct
    assert score.correct_first_try == 1 and score.answered == 2
    assert score.give_up(lesson.step(9)).answer == "−2"
    assert score.answered == 3 and score.correct_first_try == 1


def test_no_parameter_steps_are_not_quizzed():
    trace = build_trace("x = 1.0\ny = x * 2")
    assert [is_quizzable(s) for s in trace.steps] == [True, False, False]
