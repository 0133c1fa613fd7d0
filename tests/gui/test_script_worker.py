"""The worker's draw request for a script goes first: a check under way is cancelled and
sent again after it, so the window gets nn.Linear's numbers without waiting."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from core.io.session import Session
from core.script import run_script
from gui.state.torch_service import TorchService
from tests.programs import chain

LESSON = (Path(__file__).resolve().parents[2] / "resources" / "examples" / "lessons"
          / "12-regression-nn-linear.py").read_text(encoding="utf-8")


def test_a_draw_pre_empts_a_running_check_which_is_sent_again(qtbot):
    service = TorchService()
    order: list[int] = []
    answers: dict[int, dict] = {}

    def answered(request_id: int, answer: dict) -> None:
        order.append(request_id)
        answers[request_id] = answer

    service.reportReady.connect(answered)
    try:
        check = service.ask("check", Session(chain(3000)).to_dict(), key="panel")
        draw = service.ask("draw", {"text": LESSON})
        assert service.cancelled == 1  # the check under way was stopped for the draw
        qtbot.waitUntil(lambda: check in answers, timeout=240_000)
        assert order == [draw, check]  # the draw first, then the check, sent again
        assert answers[check]["report"]["match"] is True
        drawn = answers[draw]["draw"]["draws"]
        expected = run_script(LESSON, check_torch=False).draws
        assert [np.shape(v) for v in drawn] == [np.shape(v) for v in expected]
        assert np.allclose(np.asarray(drawn[0]), expected[0], rtol=0, atol=0)
    finally:
        service.stop()
