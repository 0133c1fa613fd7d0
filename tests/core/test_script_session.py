"""A script session keeps its drawn numbers (so it reopens the same, without torch); the
worker draws them and checks a script on request. Old sessions still load."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest

from core.base.errors import ExpressionError
from core.io.session import Session, session_from_dict, session_from_json
from core.io.worker import serve
from core.script import run_script

LESSON = (Path(__file__).resolve().parents[2] / "resources" / "examples" / "lessons"
          / "12-regression-nn-linear.py").read_text(encoding="utf-8")


def test_draws_survive_a_round_trip_exactly():
    draws = run_script(LESSON, check_torch=False).draws
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


def _ask(*requests: dict) -> list[dict]:
    out = io.StringIO()
    serve(io.StringIO("".join(json.dumps(r) + "\n" for r in requests)), out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_the_worker_draws_then_checks_a_script():
    drawn, checked = _ask({"id": 1, "draw": {"text": LESSON}},
                          {"id": 2, "script": {"text": LESSON, "draws": None}})
    expected = run_script(LESSON, check_torch=False).draws
    assert drawn["id"] == 1 and drawn["draw"]["error"] is None
    assert [np.asarray(v).tolist() for v in expected] == drawn["draw"]["draws"]
    report = checked["script"]
    assert checked["id"] == 2 and report["available"]
    assert [r["iteration"] for r in report["rows"]] == list(range(1, 101))
    assert all(r["torch_match"] for r in report["rows"])


def test_the_worker_checks_a_script_with_the_numbers_it_is_given():
    draws = [np.asarray(v).tolist() for v in run_script(LESSON, check_torch=False).draws]
    (checked,) = _ask({"id": 7, "script": {"text": LESSON, "draws": draws}})
    assert all(r["torch_match"] for r in checked["script"]["rows"])
