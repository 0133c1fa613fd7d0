"""Quiz answers: numbers only, tolerance that accepts 4 significant digits and zero."""

from __future__ import annotations

import numpy as np
import pytest

from core.engine.quiz import QuizScore, close_enough, is_quizzable, parse_answer
from core.engine.trace import build_trace
from core.io.examples import LESSON_TEXT, lesson_bindings
from core.language.parser import ExpressionError


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
    assert not wrong.correct and wrong.hint == "∂loss/∂s = 2 · s = 2 · (−1)"
    assert wrong.rule.key == "rule.powc"
    assert score.check(local, "-2").correct
    assert score.correct_first_try == 1 and score.answered == 2
    assert score.give_up(lesson.step(9)).answer == "−2"
    assert score.answered == 3 and score.correct_first_try == 1


def test_no_parameter_steps_are_not_quizzed():
    trace = build_trace("x = 1.0\ny = x * 2")
    assert [is_quizzable(s) for s in trace.steps] == [True, False, False]


@pytest.mark.parametrize(("typed", "expected"), [
    ("1/4", 0.25), ("-2/3", -2 / 3), ("−2/3", -2 / 3), (" 1 / 4 ", 0.25), ("+3/4", 0.75),
    ("1.5/3", 0.5), ("1e-3/2", 5e-4), ("1/4, 1/2", [0.25, 0.5]), ("[1/4]", [0.25]),
    ("1/2, 3", [0.5, 3.0]),
])
def test_fractions_are_read_as_numbers(typed, expected):
    import numpy as np

    value = parse_answer(typed)
    assert np.shape(value) == np.shape(expected)
    assert np.allclose(value, expected, rtol=0, atol=1e-15)


@pytest.mark.parametrize("typed", ["1/0", "1/2/3", "(1)/2", "1/x", "2**3/4", "1//2",
                                   "1/", "/2", "1/4; 2", "e/2", "1" * 200_000])
def test_only_plain_fractions_are_accepted(typed):
    with pytest.raises(ExpressionError):
        parse_answer(typed)


def test_a_fraction_is_a_right_answer(lesson):
    mse = build_trace("w = param(0.0)\nx = [1, 2, 3, 4]\ny = [2, 4, 6, 8]\n"
                      "loss = mean((w * x - y) ** 2)")
    mean_local = next(s for s in mse.steps if s.phase == "local")
    assert QuizScore().check(mean_local, "1/4").correct
    assert not QuizScore().check(mean_local, "1/3").correct


def test_hints_fill_in_the_numbers_and_name_the_rule(lesson):
    from core.engine.quiz import hint, rule

    assert hint(lesson.step(1)) == "y_hat = w · x = 1 · 1"
    assert hint(lesson.step(2)) == "s = y_hat − y = 1 − 2"
    assert hint(lesson.step(6)) == "∂y_hat/∂w = x = 1"
    assert rule(lesson.step(6)).key == "rule.mul"
    from core.engine.explain import render

    assert render(rule(lesson.step(6))) == "product rule: the other factor"
    assert hint(lesson.step(7)) == "∂loss/∂s = ∂loss/∂loss · local = 1 · (−2)"
    assert render(rule(lesson.step(8))).startswith("chain rule")
    fork = build_trace("w = param(3.0)\ns = w - 1\nloss = s * s")
    step = next(s for s in fork.steps if s.phase == "backward")
    assert rule(step).args == {"count": 2}
    trained = build_trace("w = param(1.0)\nloss = (w - 2) ** 2", learning_rate=0.1)
    assert hint(trained.steps[-1]) == "w ← w − lr · ∂loss/∂w = 1 − 0.1 · (−2)"
    assert rule(trained.steps[-1]).key == "rule.update"


MATRIX = ("X = [[1.0, 2.0, 3.0], [4.0, -5.0, 6.0]]\n"
          "W = param([[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]])\nloss = sum(X @ W)\n")


def test_a_tensor_step_asks_one_entry_or_accepts_the_nested_list():
    from core.engine.quiz import element_asked
    from core.engine.trace import build_trace

    trace = build_trace(MATRIX)
    step = next(s for s in trace.steps if s.phase == "forward" and np.ndim(s.value) == 2)
    # X @ W = [[2.2, 1.2], [1.9, 6.4]] by hand: the largest entry is [1, 1]
    assert element_asked(step) == (1, 1)
    score = QuizScore()
    assert score.check(step, "6.4").correct
    assert not score.check(step, "2.2").correct  # another entry is not the one asked
    assert score.check(step, "[[2.2, 1.2], [1.9, 6.4]]").correct
    assert not score.check(step, "[[2.2, 1.2], [1.9, 6.5]]").correct
    assert not score.check(step, "2.2, 1.2, 1.9, 6.4").correct  # a matrix keeps its rows
    scalar = next(s for s in trace.steps if s.phase == "forward" and np.ndim(s.value) == 0)
    assert element_asked(scalar) is None
