"""Clicking a conv2d gradient entry: its sum with numbers, and the cells that meet in it."""

from __future__ import annotations

import numpy as np
import pytest

from core.base.format import format_number
from core.engine.expand import conv_entry, expand_element
from core.engine.trace import build_trace

TEXT = ("import torch.nn.functional as F\n"
        "x = torch.tensor([[[[1.0, 2, 0, 1], [0, 1, 3, 2], [2, 0, 1, 0], [1, 3, 2, 1]]],"
        " [[[0.5, 1, 2, 0], [1, 1, 0, 2], [0, 2, 1, 1], [3, 0, 1, 2]]]])\n"
        "W = param([[[[1.0, 0, -1], [1, 0, -1], [0.5, 0, -0.5]]], "
        "[[[0.0, 1, 0], [1, -1, 1], [0, 1, 0]]]])\n"
        "b = param([0.1, -0.2])\n"
        "h = F.conv2d(x, W, b, stride={s}, padding={p})\n"
        "loss = (h * h).sum()\n")


def _step(trace, name):
    node = trace.graph.names[name]
    return next(s for s in trace.steps if s.phase == "backward" and s.node_id == node)


@pytest.mark.parametrize(("s", "p"), [(1, 1), (2, 1), (1, 0), (2, 0)])
def test_each_kernel_entry_is_its_sum_over_the_batch_and_positions(s, p):
    trace = build_trace(TEXT.format(s=s, p=p))
    step = _step(trace, "W")
    x = np.asarray(trace.graph.nodes[trace.graph.names["x"]].value)
    grad = trace.gradient(trace.graph.names["W"])
    for index in [(0, 0, 0, 0), (1, 0, 2, 1), (0, 0, 1, 2)]:
        zoom = conv_entry(trace, step, index)
        g = np.asarray(step.contributions[0].upstream)
        # the terms are G cell times X cell, and add up to the entry torch checked
        total = sum(g[gc] * x[xc] for gc, xc in zoom.pairs)
        assert total == pytest.approx(grad[index])
        o, c, i, j = index
        for gc, xc in zoom.pairs:
            assert gc[1] == o and xc[1] == c and gc[0] == xc[0]
            assert xc[2] == gc[2] * s + i - p and xc[3] == gc[3] * s + j - p
        assert zoom.text.startswith(f"∂loss/∂W[{o}, {c}, {i}, {j}] = Σ_b Σ_y Σ_x G[b, {o}, y, x]"
                                    f" · x[b, {c}, ")
        assert zoom.text.endswith(f" = {format_number(grad[index])}  (G = ∂loss/∂h)")
        if len(zoom.pairs) > 4:
            assert f"… ({len(zoom.pairs) - 4} more terms)" in zoom.text


def test_the_rule_writes_stride_and_padding_into_the_index():
    trace = build_trace(TEXT.format(s=2, p=1))
    text = expand_element(trace, _step(trace, "W"), (0, 0, 0, 2))
    assert "x[b, 0, y·2 − 1, x·2 + 1]" in text


@pytest.mark.parametrize(("s", "p"), [(1, 1), (2, 1), (2, 0)])
def test_input_entry_is_a_full_correlation_with_the_flipped_kernel(s, p):
    text = TEXT.format(s=s, p=p).replace("]]]])\nW", "]]]], requires_grad=True)\nW")
    trace = build_trace(text)
    step = _step(trace, "x")
    w = np.asarray(trace.graph.nodes[trace.graph.names["W"]].value)
    g = np.asarray(step.contributions[0].upstream)
    grad = trace.gradient(trace.graph.names["x"])
    for index in [(0, 0, 0, 0), (1, 0, 2, 3), (0, 0, 1, 1)]:
        zoom = conv_entry(trace, step, index)
        assert sum(g[gc] * w[wc] for gc, wc in zoom.pairs) == pytest.approx(grad[index])
        assert "(G correlated in full with the flipped kernel)" in zoom.text


def test_bias_entry_sums_g():
    trace = build_trace(TEXT.format(s=1, p=1))
    step = _step(trace, "b")
    zoom = conv_entry(trace, step, (1,))
    assert zoom.text.startswith("∂loss/∂b[1] = Σ_b Σ_y Σ_x G[b, 1, y, x] = ")
    assert "(28 more terms)" in zoom.text  # 2 samples × 4 × 4 positions, 4 shown


def test_a_max_pool_input_entry_names_its_windows_or_says_why_it_gets_0():
    text = ("import torch.nn.functional as F\n"
            "r = param([[[[0.0, 0, 1, 0, 2], [0, 0, 0.5, 0, 3], [0, 0, 0.5, 2.5, 3],"
            " [0, 0.5, 2, 1, 2], [0, 0, 1, 1, 3]]]])\n"
            "m = F.max_pool2d(r, 2)\nloss = (m * m).sum()\n")
    trace = build_trace(text)
    step = _step(trace, "r")
    m = trace.graph.nodes[trace.graph.names["m"]].value
    assert expand_element(trace, step, (0, 0, 2, 3)) == \
        f"∂loss/∂r[0, 0, 2, 3] = G[0, 0, 1, 1] = {format_number(2 * m[0, 0, 1, 1])} = " \
        f"{format_number(2 * m[0, 0, 1, 1])}  (G = ∂loss/∂m)"
    # a tie: the first zero of the top-left window takes it all, the second gets 0
    assert expand_element(trace, step, (0, 0, 0, 0)).startswith("∂loss/∂r[0, 0, 0, 0] = "
                                                               "G[0, 0, 0, 0]")
    assert "it is the first largest of no window it is in" in \
        expand_element(trace, step, (0, 0, 0, 1))
    assert "no window covers it" in expand_element(trace, step, (0, 0, 4, 4))
