"""The mistakes lesson on the recorder's path (issue 20 §4): a .grad that was not zero
before backward() is found, and the update says that zero_grad() was forgotten and uses
the sum, as the interpreter's path says it; the numbers are torch's."""

from __future__ import annotations

import torch

from core.engine.explain import render
from core.record.recording import load_recording
from core.record.to_trace import pass_trace
from tests.core.record.record_support import LESSONS, SCRIPTS, record_dir, recorded


def _grads_in_torch(passes, lr, x, y, optimizer):
    """Per pass: (this pass's gradient, .grad after backward, .grad before it, w after the
    update) with nothing zeroed."""
    w = torch.tensor(0.0, requires_grad=True)
    step = torch.optim.SGD([w], lr=lr) if optimizer else None
    rows = []
    for _ in range(passes):
        before = 0.0 if w.grad is None else w.grad.item()
        ((w * x - y) ** 2).mean().backward()
        if step is not None:
            step.step()
        else:
            with torch.no_grad():
                w -= lr * w.grad
        rows.append((w.grad.item() - before, w.grad.item(), before, w.item()))
    return rows


def _update(trace, name="w"):
    (step,) = [s for s in trace.steps if s.phase == "update" and s.target == name]
    return step


def test_lesson_13_hand_update_says_zero_grad_was_forgotten(tmp_path):
    done = record_dir(LESSONS / "13-mistake-forgot-zero-grad.py", tmp_path)
    assert done.returncode == 0, done.stderr
    recording = load_recording(tmp_path)
    x, y = torch.tensor([1.0, 2.0, 3.0, 4.0]), torch.tensor([2.5, 5.0, 7.5, 10.0])
    rows = _grads_in_torch(3, 0.01, x, y, optimizer=False)
    first = pass_trace(recording.load_pass(1))
    assert first.accumulated == {}  # nothing left over before the first backward()
    assert "not zeroed" not in render(_update(first).explanation)
    for k in (2, 3):
        now, total, left, _after = rows[k - 1]
        trace = pass_trace(recording.load_pass(k))
        assert float(trace.accumulated["w"]) == left  # .grad before backward(), not zero
        step = _update(trace)
        assert float(step.numbers["grad"]) == total  # what `w -= 0.01 * w.grad` used
        text = render(step.explanation)
        assert ".grad was not zeroed, so it still holds the earlier passes' gradients" in text
        assert f"({render_number(left)})" in text and render_number(total) in text
        w_node = [n for n in trace.graph.nodes if n.name == "w"][0]
        assert abs(float(trace.grads[w_node.id]) - now) <= 1e-5 * abs(now)  # this pass's
    # the Training plot's ‖w.grad‖: .grad after each backward(), the earlier passes' in it
    for p, (_now, total, _left, _after) in zip(recording.passes, rows, strict=False):
        assert abs(p.grad_norms["w"] - abs(total)) <= 1e-5 * abs(total), p.index


def render_number(value: float) -> str:
    from core.base.format import format_value

    return format_value(value)


def test_an_optimizer_without_zero_grad_uses_the_sum(tmp_path):
    status, result = recorded(SCRIPTS / "forgot_zero_grad_sgd.py")
    assert status == 0
    assert [p["not_zeroed"] for p in result["passes"]] == [[], ["w"], ["w"]]
    done = record_dir(SCRIPTS / "forgot_zero_grad_sgd.py", tmp_path)
    assert done.returncode == 0
    recording = load_recording(tmp_path)
    x, y = torch.tensor([1.0, 2.0, 3.0]), torch.tensor([2.0, 4.0, 6.0])
    rows = _grads_in_torch(3, 0.01, x, y, optimizer=True)
    for k in (2, 3):
        _now, total, left, after = rows[k - 1]
        step = _update(pass_trace(recording.load_pass(k)))
        assert step.kind == "sgd" and float(step.numbers["grad"]) == total
        assert float(step.numbers["before"]) == rows[k - 2][3]
        assert float(step.value) == after  # torch's SGD, w ← w − lr · (the sum)
        assert f"({render_number(left)})" in render(step.explanation)
