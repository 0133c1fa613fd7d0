"""An update written by hand (``w -= lr * w.grad`` under no_grad, ``w.sub_(…)``,
``w.data -= …``) is the pass's update step, as an optimizer's step() is (issue 20 §2),
with the numbers torch computed: checked here against the same loop run in torch."""

from __future__ import annotations

import math

import numpy as np
import torch

from core.engine.explain import render
from core.record.recording import load_recording
from core.record.to_trace import pass_trace
from tests.core.record.record_support import LESSONS, SCRIPTS, record_dir


def _torch_loop(passes: int):
    """The script's loop in torch: per pass, each parameter's (before, grad, after)."""
    x = torch.tensor([1.0, 2.0, 3.0])
    y = torch.tensor([2.0, 4.0, 6.0])
    params = {n: torch.tensor(v, requires_grad=True) for n, v in
              (("w", 0.5), ("b", 0.0), ("c", 1.0))}
    out = []
    for _ in range(passes):
        w, b, c = params.values()
        ((w * x + b) * c - y).pow(2).mean().backward()
        row = {}
        with torch.no_grad():
            for name, p in params.items():
                before, grad = p.detach().clone(), p.grad.clone()
                p -= 0.1 * p.grad
                row[name] = (before.item(), grad.item(), p.item())
                p.grad.zero_()
        out.append(row)
    return out


def test_each_hand_written_update_is_the_pass_update_step(tmp_path):
    done = record_dir(SCRIPTS / "manual_updates.py", tmp_path, "--keep", "4")
    assert done.returncode == 0, done.stderr
    recording = load_recording(tmp_path)
    expected = _torch_loop(4)
    lines = {"w": "w -= lr * w.grad", "b": "b.sub_(lr * b.grad)",
             "c": "c.data -= lr * c.grad"}
    for k in range(1, 5):
        record = recording.load_pass(k)
        assert record.optimizer["class"] == "manual"
        params = record.optimizer["params"]
        assert set(params) == {"w", "b", "c"}
        for name, (before, grad, after) in expected[k - 1].items():
            got = params[name]
            assert got["line"] == lines[name]
            assert float(got["before"]) == before and float(got["after"]) == after
            # the grad was zeroed after the update: step() used this pass's .grad
            trace = pass_trace(record)
            (step,) = [s for s in trace.steps if s.phase == "update" and s.target == name]
            assert float(step.numbers["grad"]) == grad
            assert float(step.value) == after
            assert step.formula == lines[name]
        size = math.sqrt(sum((a - b) ** 2 for b, _, a in expected[k - 1].values()))
        assert math.isclose(recording.passes[k - 1].update, size, rel_tol=1e-6)
        # the next pass starts from the updated values (c through .data too)
        leaves = {n.name: float(n.value) for n in record.nodes if n.kind == "parameter"}
        assert leaves == {name: row[0] for name, row in expected[k - 1].items()}


def test_autograd_lesson_has_its_update_phase(tmp_path):
    done = record_dir(LESSONS / "11-regression-autograd.py", tmp_path)
    assert done.returncode == 0, done.stderr
    trace = pass_trace(load_recording(tmp_path).load_pass(1))
    (step,) = [s for s in trace.steps if s.phase == "update"]
    # w = 0, x = 1..5, y = 3x: ∂loss/∂w = mean(2x · (0 − 3x)) = −6 · 11 = −66; lr 0.02
    assert float(step.numbers["grad"]) == -66.0
    assert np.isclose(float(step.value), 1.32, rtol=0, atol=1e-6)
    assert "changes in place" in render(step.explanation)
