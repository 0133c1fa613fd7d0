"""The worker's protocol is one table (core.io.worker.REQUESTS): every kind is answered in
its own field by serve(), and a bad request is a failure line that leaves it serving."""

from __future__ import annotations

import io
import json

from core.io.session import Session
from core.io.worker import REQUESTS, serve


def _serve(*requests: dict | str) -> list[dict]:
    lines = [r if isinstance(r, str) else json.dumps(r) for r in requests]
    out = io.StringIO()
    assert serve(io.StringIO("\n".join(lines) + "\n"), out) == 0
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_every_kind_is_answered_in_its_own_field():
    session = Session("w = param(3.0)\nloss = w * w").to_dict()
    payloads = {
        "check": session,
        "train": {"session": session, "learning_rate": 0.1, "iterations": 2,
                  "forget_zero_grad": False},
        "forward": {"session": session, "wrt": "w"},
    }
    assert set(payloads) == set(REQUESTS)
    kinds = list(payloads)
    answers = _serve(*({"id": i, REQUESTS[k].field: payloads[k]} for i, k in enumerate(kinds)))
    assert [a["id"] for a in answers] == list(range(len(kinds)))
    for kind, answer in zip(kinds, answers, strict=True):
        assert "failure" not in answer, answer
        assert set(answer) == {"id", REQUESTS[kind].answer}
    by_kind = dict(zip(kinds, answers, strict=True))
    assert by_kind["check"]["report"]["match"] is True
    assert by_kind["train"]["training"]["torch_match"] == [True, True]
    assert by_kind["forward"]["forward"]["match"] is True


def test_a_bad_request_is_a_failure_and_the_worker_goes_on():
    good = {"id": 3, "session": Session("w = param(1.0)\nloss = w * 2").to_dict()}
    answers = _serve("not json", {"id": 2, "forward": {"wrt": "w"}}, good)
    assert answers[0]["id"] is None and answers[0]["failure"].startswith("JSONDecodeError")
    assert answers[1]["id"] == 2 and answers[1]["failure"].startswith("KeyError")
    assert answers[2]["report"]["match"] is True
