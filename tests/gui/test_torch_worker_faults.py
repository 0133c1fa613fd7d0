"""Issue 13 in the window's PyTorch worker: deep graphs survive, a newer Apply wins."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.io.session import Session
from gui.state.torch_service import SUPERSEDE_AFTER_MS, TorchService
from tests.programs import chain, chain_answer

ROOT = Path(__file__).resolve().parents[2]


def worker_answer(text: str, stack_kb: int | None = None, timeout: float = 600) -> dict:
    """One request to a real worker process (``main.py --torch-worker``)."""
    def small_stack() -> None:
        resource.setrlimit(resource.RLIMIT_STACK, (stack_kb * 1024, stack_kb * 1024))

    request = json.dumps({"id": 7, "session": Session(text).to_dict()}) + "\n"
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--torch-worker"],
                            input=request, capture_output=True, text=True, timeout=timeout,
                            cwd=ROOT, preexec_fn=small_stack if stack_kb else None)
    assert result.returncode == 0, (result.returncode, result.stderr[-2000:])
    return json.loads(result.stdout)


def test_the_worker_survives_a_deep_graph():
    # 1 MB of stack: 12,000 nodes died (SIGSEGV, "stopped (exit code 11)") like 45,000 in 8 MB
    answer = worker_answer(chain(12_000), stack_kb=1024)
    report = answer["report"]
    assert report["match"] is True, report["mismatches"][:5]
    w = next(r for r in report["rows"] if r["name"] == "w" and r["quantity"] == "grad")
    assert w["torch"] == pytest.approx(chain_answer(12_000)[1], rel=1e-9)


@pytest.mark.soak
def test_the_worker_survives_the_50000_node_limit():
    report = worker_answer(chain(49_990))["report"]
    assert report["match"] is True


def test_the_worker_reports_unreliable_finite_differences_as_notes():
    report = worker_answer("w = param(1e22)\nloss = sin(w)")["report"]
    assert report["match"] is True
    w = next(r for r in report["rows"] if r["name"] == "w" and r["quantity"] == "grad")
    assert w["ok"] is True and w["numeric_note"] == "unreliable here: huge arguments"
    assert report["warnings"] == ["w (grad): finite differences unreliable here: "
                                  "huge arguments"]


def test_a_newer_check_supersedes_a_long_one(qtbot):
    service = TorchService()
    answers: dict[int, dict] = {}
    service.reportReady.connect(lambda rid, answer: answers.__setitem__(rid, answer))
    try:
        warm = service.ask("check", Session("w = param(1.0)\nloss = w * 2").to_dict(), key="panel")
        qtbot.waitUntil(lambda: warm in answers, timeout=120_000)  # torch imported
        slow = service.ask("check", Session(chain(30_000)).to_dict(), key="panel")
        start = time.monotonic()
        qtbot.waitUntil(lambda: time.monotonic() - start > SUPERSEDE_AFTER_MS / 1000 + 0.3,
                        timeout=10_000)
        assert slow not in answers  # still busy with it
        quick = service.ask("check", Session("w = param(3.0)\nloss = w * w").to_dict(), key="panel")
        asked = time.monotonic()
        qtbot.waitUntil(lambda: quick in answers, timeout=120_000)
        waited = time.monotonic() - asked
        print(f"\nthe newer check answered {waited:.1f} s after it was asked")
        assert service.cancelled == 1
        assert answers[quick]["report"]["match"] is True
        assert slow not in answers  # superseded: never answered, never shown
    finally:
        service.stop()


def test_requests_with_other_keys_are_not_superseded(qtbot):
    service = TorchService()
    answers: dict[int, dict] = {}
    service.reportReady.connect(lambda rid, answer: answers.__setitem__(rid, answer))
    try:
        first = service.ask("check", Session("w = param(1.0)\nloss = w * 2").to_dict(), key="a")
        second = service.ask("check", Session("w = param(2.0)\nloss = w * 3").to_dict(), key="b")
        third = service.ask("check", Session("w = param(2.0)\nloss = w * 4").to_dict(), key="b")
        qtbot.waitUntil(lambda: first in answers and third in answers, timeout=120_000)
        assert second not in answers  # queued behind the first, superseded by the third
        grads = {r["name"]: r["torch"] for r in answers[third]["report"]["rows"]
                 if r["quantity"] == "grad"}
        assert grads["w"] == 4.0
        assert service.cancelled == 0
    finally:
        service.stop()


def _panel_rows(window) -> dict:
    from PySide6.QtWidgets import QTableWidget

    table = window.findChild(QTableWidget, "torchTable")
    return {table.item(r, 0).text(): [table.item(r, c) for c in range(1, 5)]
            for r in range(table.rowCount())}


def test_the_panel_marks_untrusted_finite_differences_and_exact_rounding(window, qtbot):
    from PySide6.QtWidgets import QLabel

    status = window.findChild(QLabel, "torchStatus")
    window.model.apply_text("w = param(1e22)\nloss = sin(w)")
    qtbot.waitUntil(lambda: status.text() == "all match", timeout=120_000)
    numeric, ok = _panel_rows(window)["∂loss/∂w"][2:]
    assert numeric.text().endswith(" ?") and ok.text() == "✓"
    assert numeric.toolTip().startswith("finite differences unreliable here: huge arguments")
    window.model.apply_text("w = param([1e16, 1, 1, 1, -1e16])\nloss = sum(w)")
    qtbot.waitUntil(lambda: status.text() == "all match" and "loss" in _panel_rows(window)
                    and _panel_rows(window)["loss"][1].text() != "", timeout=120_000)
    ours, theirs, _, ok = _panel_rows(window)["loss"]
    assert ok.text() == "✓"
    if theirs.text() != ours.text():  # torch's order (SIMD width) found the exact 3
        assert "rounding: PyTorch's is exact" in ok.toolTip()
