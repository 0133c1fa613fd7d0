"""Beginners can read a network (issue 24, item 8): intermediate results too long to
write out are named from the code (a recorded pass's ``model.0``, ``model.1``; ``+ in
out``), never ``+#8``; a matmul's rule says which gradient its G is."""

from __future__ import annotations

import numpy as np
import pytest

from core.engine.trace import build_trace
from core.record.recording import load_recording
from core.record.to_trace import pass_trace
from tests.core.record.record_support import record_dir

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


@pytest.fixture(scope="module")
def net_trace(tmp_path_factory):
    """The net's first pass, as the recorder recorded it (torch drew the weights)."""
    folder = tmp_path_factory.mktemp("net")
    (folder / "net.py").write_text(NET, encoding="utf-8")
    done = record_dir(folder / "net.py", folder)
    assert done.returncode == 0, done.stderr
    return pass_trace(load_recording(folder).load_pass(1))


def test_a_linear_layers_output_is_named_by_its_module(net_trace):
    graph = net_trace.graph
    labels = [n.label for n in graph.nodes]
    assert "model.0" in labels and "model.1" in labels, labels
    assert not any("#" in label for label in labels), labels
    # the module's value is the layer's: X · Wᵀ + b, with the weights torch drew
    node = next(n for n in graph.nodes if n.label == "model.0")
    x = np.array([[0.0, 1.0], [1.0, 1.0], [1.0, -1.0]])
    weight, bias = (graph.nodes[graph.names[f"model.0.{p}"]].value for p in ("weight", "bias"))
    # (float32 from torch against float64 here: an entry near 0, a sum of terms near 1,
    # is off by a few float32 roundings of those terms, so atol too: with rtol alone, one
    # draw of the weights in a few hundred failed, 0.0144 against 0.0144000364)
    assert np.allclose(node.value, x @ weight.T + bias, rtol=1e-6, atol=1e-6)


def test_no_step_text_says_a_number_placeholder(net_trace):
    for step in net_trace.steps:
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
