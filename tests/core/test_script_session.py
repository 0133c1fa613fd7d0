"""A session keeps the drawn numbers it was saved with, exactly; old sessions without
them still load, and bad ones are refused by name."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.base.errors import ExpressionError
from core.io.session import Session, session_from_dict, session_from_json

LESSON = (Path(__file__).resolve().parents[2] / "resources" / "examples" / "lessons"
          / "12-regression-nn-linear.py").read_text(encoding="utf-8")


def test_draws_survive_a_round_trip_exactly():
    draws = [np.array([[0.7645385265350342]]), np.array([0.8300079107284546]),
             np.float64(-0.25), np.arange(6, dtype=np.float64).reshape(2, 3) / 7]
    session = Session(LESSON, {}, 3, "nn.Linear", {"iteration": 4}, draws)
    back = session_from_json(session.to_json())
    assert back.settings == {"iteration": 4} and back.position == 3
    assert len(back.draws) == len(draws)
    for a, b in zip(back.draws, draws, strict=True):
        assert np.shape(a) == np.shape(b)
        assert np.array_equal(a, b)  # float32 numbers held in float64: exactly


def test_an_old_session_without_draws_still_loads():
    data = {"format": "backprop-stepper-session", "version": 2, "text": "loss = w * 2\n",
            "variables": {"w": {"role": "parameter", "value": 1.0}}}
    session = session_from_dict(data)
    assert session.draws == [] and "draws" not in session.to_dict()


@pytest.mark.parametrize("draws, words", [("x", "\"draws\" must be a list"),
                                          ([[]], "draw 1"), ([1.0, "a"], "draw 2"),
                                          ([0.0] * 1001, "at most 1000")])
def test_bad_draws_are_refused_by_name(draws, words):
    data = {"format": "backprop-stepper-session", "version": 2, "text": "", "draws": draws}
    with pytest.raises(ExpressionError, match=words):
        session_from_dict(data, "s.json")
