"""The label spans a follow reads (strip_edge._spans): right at every step, and made once
per step (issue 19: two Python loops over every node on every pan of a big graph)."""

from __future__ import annotations

import numpy as np
import pytest

from core.engine.trace import Stepper, build_trace
from gui.canvas import strip_edge
from gui.graph_canvas import GraphCanvas

#: a chain program of ~200 nodes (benchmarks/bench_canvas.py's kind), values and
#: gradients shown one step at a time
PROGRAM = "\n".join(
    [f"t{c}_0 = param(0.{c % 7 + 1})" for c in range(6)]
    + [line for c in range(6) for i in range(1, 4) for line in (
        f"p{c}_{i} = param(0.{i + 1})", f"x{c}_{i} = {i}.0", f"m{c}_{i} = p{c}_{i} * x{c}_{i}",
        f"t{c}_{i} = t{c}_{i - 1} + m{c}_{i}")]
    + ["s = " + " + ".join(f"t{c}_3" for c in range(6)), "loss = s ** 2"])


@pytest.fixture
def canvas(qtbot):
    canvas = GraphCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(900, 600)
    canvas.show()
    trace = build_trace(PROGRAM)
    canvas.set_trace(trace)
    canvas.stepper = Stepper(trace)
    canvas.show_state(canvas.stepper.known, canvas.stepper.current)
    return canvas


def _spans_node_by_node(canvas) -> np.ndarray:
    """The spans as defined: each node's box widened by its labels shown now."""
    boxes, layers = strip_edge._places(canvas)
    spans = boxes.copy()
    for layer, (nodes, rects) in layers.items():
        shown = canvas._shown.get(layer, ())
        for v, rect in zip(nodes.tolist(), rects, strict=True):
            if v in shown:
                spans[v, :2] = np.minimum(spans[v, :2], rect[:2])
                spans[v, 2:] = np.maximum(spans[v, 2:], rect[2:])
    return spans


def test_the_spans_are_each_nodes_box_and_its_shown_labels_at_every_step(canvas):
    stepper, checked = canvas.stepper, 0
    while stepper.next():
        canvas.show_state(stepper.known, stepper.current)
        _, spans = strip_edge._spans(canvas)
        assert np.array_equal(spans, _spans_node_by_node(canvas)), stepper.current.index
        checked += 1
    assert checked > 100
    assert any(canvas._shown[layer] for layer in strip_edge._places(canvas)[1])


def test_a_follow_makes_the_spans_once_and_a_step_makes_them_anew(canvas, monkeypatch):
    stepper = canvas.stepper
    for _ in range(30):
        stepper.next()
    canvas.show_state(stepper.known, stepper.current)
    made = []
    isin = np.isin
    monkeypatch.setattr(strip_edge.np, "isin", lambda *a, **k: made.append(1) or isin(*a, **k))
    canvas._edge_spans = None
    k = canvas.view.k()
    (x0, x1), (y0, y1) = canvas.ax.get_xlim(), canvas.ax.get_ylim()
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    layers = sum(1 for layer, (nodes, _) in strip_edge._places(canvas)[1].items()
                 if len(nodes) and canvas._shown.get(layer))
    assert layers >= 1
    strip_edge.clear_of_sides(canvas, k, cx, cy)  # a follow asks for the sides, then
    strip_edge.clear_of_strip(canvas, k, cx, cy)  # the strip: one set of spans
    assert len(made) == layers
    made.clear()
    stepper.next()
    canvas.show_state(stepper.known, stepper.current)  # new shown sets: made anew
    _, spans = strip_edge._spans(canvas)
    assert made
    assert np.array_equal(spans, _spans_node_by_node(canvas))
