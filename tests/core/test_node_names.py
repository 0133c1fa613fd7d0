"""Beginners can read a network (issue 24, item 8): intermediate results too long to
write out are named from the code (``model.0(X)``, ``tanh(model.0(X))``, ``+ in out``),
never ``+#8``; a matmul's rule says which gradient its G is."""

from __future__ import annotations

import numpy as np

from core.engine.trace import build_trace
from core.loop_trace import iteration_trace
from core.script import run_script

NET = """import torch
import torch.nn as nn

X = torch.tensor([[0.0, 1.0], [1.0, 1.0], [1.0, -1.0]])
Y = torch.tensor([[0.0], [1.0], [-1.0]])
model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
criterion = nn.MSELoss()
for epoch in range(2):
    prediction = model(X)
    l = criterion(prediction, Y)
    l.backward()
"""
DRAWS = [np.full((3, 2), 0.1), np.zeros(3), np.full((1, 3), 0.2), np.zeros(1)]


def _net_trace():
    run = run_script(NET, check_torch=False, draws=DRAWS)
    return iteration_trace(run, 1)


def test_a_linear_layers_output_is_named_by_its_call():
    trace = _net_trace()
    labels = [n.label for n in trace.graph.nodes]
    assert "model.0(X)" in labels
    assert "tanh(model.0(X))" in labels
    assert not any("#" in label for label in labels), labels
    # the call's value is the layer's: X · Wᵀ + b
    node = next(n for n in trace.graph.nodes if n.label == "model.0(X)")
    x = np.array([[0.0, 1.0], [1.0, 1.0], [1.0, -1.0]])
    assert np.allclose(node.value, x @ DRAWS[0].T + DRAWS[1])


def test_no_step_text_says_a_number_placeholder():
    trace = _net_trace()
    for step in trace.steps:
        assert "#" not in step.text and "#" not in step.target, step.text


def test_a_long_expression_is_named_by_its_lines_target():
    text = ("a = param(0.5)\nb = param(-0.3)\nc = param(0.8)\nd = param(0.1)\n"
            "x1 = 1.0\nx2 = -2.0\nx3 = 0.5\nx4 = 3.0\n"
            "out = tanh(a * x1 + b * x2 + c * x3 + d * x4 + a * b)\nloss = out ** 2")
    trace = build_trace(text, {})
    labels = [n.label for n in trace.graph.nodes]
    assert "+ in out" in labels, labels
    assert not any("#" in label for label in labels)
    total = 0.5 * 1.0 - 0.3 * -2.0 + 0.8 * 0.5 + 0.1 * 3.0 + 0.5 * -0.3
    assert float(trace.graph.nodes[trace.graph.names["out"]].value) == np.tanh(total)
    assert any(s.target == "∂loss/∂(+ in out)" for s in trace.steps)


def test_short_expressions_keep_their_own_text():
    trace = build_trace("w = param(1.0)\nx = 1.0\ny = 2.0\nloss = (w * x - y) ** 2", {})
    assert [n.label for n in trace.graph.nodes if n.kind == "operation"] == [
        "w · x", "(w · x) − y", "loss"]


def test_the_matmul_rule_says_what_g_is():
    text = ("X = [[1.0, 2.0, 3.0], [4.0, -5.0, 6.0]]\n"
            "W = param([[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]])\nloss = mean(X @ W)")
    trace = build_trace(text, {})
    local = next(s for s in trace.steps if s.phase == "local" and "X @ W)/∂W" in s.target)
    assert "G stands for ∂loss/∂(X @ W): the gradient that will arrive at X @ W" in local.text
    back = trace.steps[-1]
    assert back.target == "∂loss/∂W"
    assert ("Chain rule through X @ W: its gradient G = ∂loss/∂(X @ W) is known now; "
            "X @ W's local rule turns G into ∂loss/∂W, which has the same shape as W.") \
        in back.text
    assert "as written above" not in back.text
