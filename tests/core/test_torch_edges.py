"""Where a plain ``upstream · local`` is not what torch computes (found by the properties).

Each program agrees with torch float64 number by number, nan and signed infinities
included, through ``compare`` and against torch autograd written out by hand.
"""

from __future__ import annotations

import numpy as np
import pytest

from core.engine.graph import Binding
from core.engine.trace import build_trace

torch = pytest.importorskip("torch")
from core.checks.torch_check import compare  # noqa: E402

INF = float("inf")

CASES = {
    # an inf upstream gradient stays out of positions torch masks (inf · 0 would be nan)
    "relu-masks": ("w = param([-1.0, 0.0, 2.0])\nloss = sum(relu(w)) * 1e308 * 10",
                   [0.0, 0.0, INF]),
    "maximum-masks": ("w = param([1.0, 2.0, 3.0])\nloss = sum(max(w, 2.0)) * 1e308 * 10",
                      [0.0, INF, INF]),
    "minimum-masks": ("w = param([1.0, 2.0, 3.0])\nloss = sum(min(w, 2.0)) * 1e308 * 10",
                      [INF, INF, 0.0]),
    "max-reduction-masks": ("w = param([1.0, 3.0, 2.0])\nloss = max(w) * 1e308 * 10",
                            [0.0, INF, 0.0]),
    "min-reduction-masks": ("w = param([1.0, 3.0, 2.0])\nloss = min(w) * 1e308 * 10",
                            [INF, 0.0, 0.0]),
    "zero-power": ("w = param(3.0)\nloss = w ** 0 * 1e308 * 10", 0.0),
    "zero-variable-exponent": ("w = param(3.0)\nk = param(0.0)\nloss = w ** k * 1e308 * 10",
                               0.0),
    # torch divides: grad / x stays finite where 1 / x overflows
    "log-of-subnormal": ("w = param(5e-324)\nloss = log(w) * 1e-300", 2.0240225330731062e+23),
    "divide-by-subnormal": ("w = param(1.0)\nd = param(5e-324)\nloss = w / d * 1e-300",
                            2.0240225330731062e+23),
    # ties go to the first operand, as torch.maximum does: the sign of zero survives
    "maximum-signed-zero-tie": ("w = param(1.0)\nloss = log(max(w - w, -0.0))", None),
    "minimum-signed-zero-tie": ("w = param(1.0)\nloss = 1 * log(min(-(w - w), 0.0))", None),
    "min-reduction-keeps-minus-zero": ("w = param(2.0)\nz = min(-(w - w))\nloss = w * 1 / z",
                                       None),
    # torch's sigmoid is 1 / (1 + exp(-x)): exactly 0 below about -709.8, not a subnormal
    "sigmoid-far-tail": ("w = param([5e-324, 1.0])\nc = w / sigmoid(log(w) - 30)\n"
                         "loss = sum(c * c)", None),
    # three contributions are added in torch's order (the last-made consumer first)
    "fork-order": ("w = param(1e-08)\nw2 = w + w / w\nloss = -log(w2)", None),
}


@pytest.mark.parametrize("name", CASES)
def test_agrees_with_torch(name):
    text, expected = CASES[name]
    trace = build_trace(text)
    report = compare(trace.graph, trace.grads, with_numeric=False)
    assert report.error is None
    assert report.match, report.mismatches
    if expected is not None:
        first = trace.graph.parameters[0]
        got = trace.gradient(first.id)
        assert np.array_equal(np.asarray(got), np.asarray(expected), equal_nan=False), got


def test_fork_sum_in_torch_order_is_bit_identical():
    trace = build_trace("w = param(1e-08)\nw2 = w + w / w\nloss = -log(w2)")
    w = torch.tensor(1e-08, dtype=torch.float64, requires_grad=True)
    (-torch.log(w + w / w)).backward()
    assert float(trace.gradient(trace.graph.names["w"])) == w.grad.item()


def test_display_order_of_contributions_is_unchanged():
    trace = build_trace("w = param(2.0)\na = w * 3\nb = w * 4\nc = w * 5\nloss = a + b + c")
    step = next(s for s in trace.steps if s.phase == "backward" and s.node ==
                trace.graph.names["w"])
    assert [c.consumer for c in step.contributions] == sorted(c.consumer
                                                              for c in step.contributions)
    assert float(step.value) == 12.0


def test_bindings_with_infinities_follow_torch_masks():
    trace = build_trace("loss = relu(v).sum() * big",
                        {"v": Binding("parameter", np.array([-1.0, 2.0])),
                         "big": Binding("data", np.float64(INF))})
    assert trace.gradient(trace.graph.names["v"]).tolist() == [0.0, INF]


def test_sigmoid_underflows_to_zero_like_torch():
    trace = build_trace("w = param(-720.0)\nloss = sigmoid(w) * 2")
    assert float(trace.graph.nodes[1].value) == 0.0
    assert torch.sigmoid(torch.tensor(-720.0, dtype=torch.float64)).item() == 0.0


def test_generated_code_keeps_a_minus_zero_input():
    from core.checks.torch_check import generate_code, printed_output

    trace = build_trace("loss = 1 / w", {"w": Binding("parameter", np.float64(-0.0))})
    code = generate_code(trace.graph)
    assert "w = torch.tensor(-0.0, requires_grad=True)" in code
    assert "-inf" in printed_output(trace.graph)
