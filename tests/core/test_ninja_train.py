"""Level 3 (train with your gradients) and ninja progress in a session."""

from __future__ import annotations

import json

import pytest

from core.base.errors import ExpressionError
from core.engine.training import train
from core.io.examples import LESSON_TEXT, lesson_bindings
from core.io.session import Session, session_from_json
from core.ninja.train import train_with_answers

RIGHT = {"s": "2 * s * d_loss", "y_hat": "d_s", "w": "d_y_hat * x"}


def test_right_gradients_train_exactly_like_the_engine_and_torch():
    run = train_with_answers(LESSON_TEXT, lesson_bindings(), RIGHT, 0.1, 12)
    assert run.losses == run.reference  # the same floats
    assert run.torch_match is True  # torch.optim.SGD gives the reference curve
    assert run.trains and run.losses[-1] < 0.01 and not run.stopped
    # w moves 1 → 2 (the lesson's y): loss (w − 2)², w ← w − 0.1 · 2(w − 2): × 0.64 a step
    assert run.losses[:3] == pytest.approx([1.0, 0.64, 0.4096])


def test_a_wrong_gradient_visibly_fails_to_train():
    wrong = {**RIGHT, "y_hat": "-d_s"}  # a sign error
    run = train_with_answers(LESSON_TEXT, lesson_bindings(), wrong, 0.1, 12)
    assert not run.trains
    assert run.losses[-1] > run.losses[0] * 10  # it climbs: gradient ascent
    assert run.reference == train(LESSON_TEXT, lesson_bindings(), 0.1, 12,
                                  check_torch=False).losses


def test_a_wrong_shape_stops_the_run_with_a_reason():
    from core.io.session import load_session

    session = load_session("resources/examples/09-one-layer.json")
    answers = {"h": "d_loss * torch.ones_like(h) / 8", "(X @ W) + b": "d_h * (h > 0)",
               "b": 'grad("(X @ W) + b").sum(0)', "X @ W": 'grad("(X @ W) + b")',
               "W": 'grad("X @ W").T @ X'}
    run = train_with_answers(session.text, session.bindings, answers, 0.1, 5, check_torch=False)
    assert run.stopped == "the gradient of W does not have its shape" and len(run.losses) == 1
    answers["W"] = 'X.T @ grad("X @ W")'
    run = train_with_answers(session.text, session.bindings, answers, 0.1, 5, check_torch=False)
    assert run.losses == run.reference and run.trains


def test_every_parameter_needs_an_answer():
    with pytest.raises(ExpressionError, match="no answer for the parameter w"):
        train_with_answers(LESSON_TEXT, lesson_bindings(), {"s": "2 * s"}, 0.1, 3,
                           check_torch=False)


PROGRESS = {"level": 2, "records": {"s": {"attempts": 2, "result": "exact", "hint_used": True,
                                          "shown": False, "answer": "2 * s * d_loss"}}}


def test_progress_round_trips_in_a_session():
    session = Session("loss = w * 2", ninja=PROGRESS)
    again = session_from_json(session.to_json())
    assert again.ninja == PROGRESS
    assert "ninja" not in Session("loss = w * 2").to_dict()


@pytest.mark.parametrize("bad", [
    [], {"level": 4}, {"level": True}, {"records": []}, {"extra": 1},
    {"records": {"s": {"attempts": -1}}}, {"records": {"s": {"attempts": True}}},
    {"records": {"s": {"result": "maybe"}}}, {"records": {"s": {"answer": 3}}},
    {"records": {"s": {"answer": "x" * 20_001}}}, {"records": {"s": {"code": "x"}}},
])
def test_bad_progress_is_refused_naming_the_field(bad):
    text = json.dumps({"format": "backprop-stepper-session", "version": 2,
                       "text": "loss = w * 2", "ninja": bad})
    with pytest.raises(ExpressionError, match='"ninja"'):
        session_from_json(text, "s.json")
