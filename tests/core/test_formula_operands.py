"""Issue 24, item 14: numbers in formulas are unambiguous. A negative number after an
operator is in parentheses, ``0 − 0.01 · (−30)``, never ``0 − 0.01 · −30``."""

from __future__ import annotations

import re

import pytest

from core.engine.backward_steps import ParameterUpdate
from core.engine.trace import build_trace
from core.record.recording import load_recording
from core.record.to_trace import pass_trace
from tests.core.record.record_support import record_dir

#: an operator, a space, then a minus sign straight away: "· −30", "+ −2"
AMBIGUOUS = re.compile(r"[·+−×/] [−-]\d")

SCRIPT = """import torch
X = torch.tensor([1.0, 2.0, 3.0, 4.0])
Y = torch.tensor([2.0, 4.0, 6.0, 8.0])
w = torch.tensor(0.0, requires_grad=True)
optimizer = torch.optim.{optimizer}
for epoch in range(2):
    l = ((w * X - Y) ** 2).mean()
    l.backward()
    optimizer.step()
    optimizer.zero_grad()
"""


def _update(folder, optimizer: str, iteration: int = 1) -> ParameterUpdate:
    """The update of pass ``iteration`` as the recorder recorded it (torch's numbers)."""
    folder.mkdir()
    script = folder / "script.py"
    script.write_text(SCRIPT.format(optimizer=optimizer), encoding="utf-8")
    done = record_dir(script, folder)
    assert done.returncode == 0, done.stderr
    trace = pass_trace(load_recording(folder).load_pass(iteration))
    return next(s for s in trace.steps if isinstance(s, ParameterUpdate))


def test_sgd_update_parenthesises_the_negative_gradient(tmp_path):
    # by hand: ∂l/∂w = mean(2 · x · (w · x − y)) at w = 0, y = 2x: mean(−4x²) = −30;
    # w ← 0 − 0.01 · (−30) = 0.3
    step = _update(tmp_path / "sgd", "SGD([w], lr=0.01)")
    assert step.equation == "w ← w − lr · w.grad = 0 − 0.01 · (−30) = 0.3"
    assert step.substituted == "0 − 0.01 · (−30)"
    assert not AMBIGUOUS.search(step.equation)


def test_momentum_and_adam_lines_parenthesise_negative_operands(tmp_path):
    # momentum 0.9: b ← −30 at the first step; the second step's b ← 0.9 · (−30) + g
    second = _update(tmp_path / "momentum", "SGD([w], lr=0.01, momentum=0.9)", 2)
    assert second.lines[0].startswith("b ← μ · b + w.grad = 0.9 · (−30) + (−")
    adam = _update(tmp_path / "adam", "Adam([w], lr=0.1)")
    # Adam's first step: m = (1 − 0.9) · (−30) = −3, v = (1 − 0.999) · (−30)² = 0.9
    assert "(1 − 0.9) · (−30) = −3" in adam.lines[0]
    assert "(1 − 0.999) · (−30)² = 0.9" in adam.lines[1]
    for step in (second, adam):
        for line in step.lines:
            assert not AMBIGUOUS.search(line), line


@pytest.mark.parametrize("text", [
    "w = param(-1.0)\ny = -2.0\nz = -3.0\na = w - y\nb = a * z\nloss = b / z + exp(w) * w",
    "w = param(0.0)\nx = [1, 2, 3, 4]\ny = [2, 4, 6, 8]\nloss = mean((w * x - y) ** 2)",
])
def test_straight_line_formulas_are_unambiguous(text):
    trace = build_trace(text, {}, 0.01)
    for step in trace.steps:
        assert not AMBIGUOUS.search(step.equation), step.equation
    update = next(s for s in trace.steps if isinstance(s, ParameterUpdate))
    if "mean" in text:  # the numbers: 0 − 0.01 · (−30) = 0.3
        assert update.equation.endswith("= 0 − 0.01 · (−30) = 0.3")
