"""Ninja mode on the CNN ops: conv2d's dW, dX and db written as correlations (Show answer's
text, typed back, is right and agrees with torch), and max_pool2d's routing, which the
answer language cannot write yet, given rather than asked."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.engine.graph import Binding
from core.engine.trace import build_trace
from core.io.session import load_session
from core.ninja.hints import render_hint
from core.ninja.walk import Walk

ROOT = Path(__file__).resolve().parents[2]


def conv_trace(pad: int):
    rng = np.random.default_rng(pad)
    x, w, b = rng.normal(size=(2, 3, 5, 6)), rng.normal(size=(4, 3, 3, 3)), rng.normal(size=4)
    text = f"h = F.conv2d(x, W, b, padding={pad})\nloss = (h * h).sum()\n"
    trace = build_trace(text, {"x": Binding("parameter", x), "W": Binding("parameter", w),
                               "b": Binding("parameter", b)})
    return trace, (x, w, b)


@pytest.mark.parametrize("pad", [0, 1, 2])
def test_conv2d_gradients_as_correlations(pad, torch):
    trace, (x, w, b) = conv_trace(pad)
    walk = Walk(trace)
    tx, tw, tb = (torch.tensor(v, requires_grad=True) for v in (x, w, b))
    (torch.nn.functional.conv2d(tx, tw, tb, padding=pad) ** 2).sum().backward()
    theirs = {"x": tx.grad.numpy(), "W": tw.grad.numpy(), "b": tb.grad.numpy()}
    true = walk.true_grads()
    shown = {}
    for q in walk.questions:
        shown[q.key] = walk.show(q)
        verdict = walk.grade(q, walk.parse(q, shown[q.key], true), true, true)
        assert verdict.grade.close, (q.key, shown[q.key])
        if q.key in theirs:
            np.testing.assert_allclose(verdict.value, theirs[q.key], rtol=1e-10, atol=1e-10)
    assert shown["W"] == ("F.conv2d(x.transpose(0, 1), d_h.transpose(0, 1), "
                          f"padding={pad}).transpose(0, 1)")
    assert shown["x"] == f"F.conv2d(d_h, W[:, :, ::-1, ::-1].transpose(0, 1), padding={2 - pad})"
    assert shown["b"] == "d_h.sum(0).sum(1).sum(1)"


def test_conv2d_typical_mistakes_get_hints():
    trace, _ = conv_trace(1)
    walk = Walk(trace)
    true = walk.true_grads()
    q = walk.by_node[walk.find("b")]
    verdict = walk.grade(q, walk.parse(q, "d_h.sum(0)", true), true, true)  # rows left
    assert not verdict.grade.shape_ok and "shape of b: 4" in render_hint(verdict.hint)
    q = walk.by_node[walk.find("x")]
    unflipped = "F.conv2d(d_h, W.transpose(0, 1), padding=1)"  # the kernel not flipped
    verdict = walk.grade(q, walk.parse(q, unflipped, true), true, true)
    assert verdict.grade.shape_ok and not verdict.grade.close
    assert "conv" in render_hint(verdict.hint).lower() or "correlat" in \
        render_hint(verdict.hint).lower()


def test_the_conv_pool_example_at_level_1(torch):
    session = load_session(ROOT / "resources" / "examples" / "10-conv-pool.json")
    trace = build_trace(session.text, session.bindings)
    walk = Walk(trace)
    assert [q.key for q in walk.questions] == ["m", "h", "b", "W"]
    r = trace.graph.names["r"]
    assert walk.no_rule == {r} and r in walk.given  # max_pool2d's routing: given
    np.testing.assert_array_equal(walk.given_grads()["r"], trace.grads[r])
