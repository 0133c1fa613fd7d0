"""A training script's function calls on the canvas (issue 12): a band under the nodes
each call computed, and its label, placed like every other label."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.engine.trace import Stepper, Trace
from core.script import run_script
from core.script_check import run_checked
from gui.canvas.groups import BAND, call_groups
from gui.canvas.widget import GraphCanvas

LESSONS = Path(__file__).resolve().parents[2] / "resources" / "examples" / "lessons"


def _overlap(a, b, tol: float = 0.5) -> bool:
    return (min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]) > tol
            and min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]) > tol)


def canvas_for(qtbot, lesson: str, size=(1280, 720)) -> GraphCanvas:
    run = run_script((LESSONS / lesson).read_text(encoding="utf-8"), check_torch=False)
    trace = Trace(run.rows[0].graph)
    canvas = GraphCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(*size)
    canvas.show()
    canvas.set_trace(trace)
    stepper = Stepper(trace)
    stepper.end()
    canvas.show_state(stepper.known, stepper.current)
    canvas.draw()
    return canvas


@pytest.mark.parametrize(("lesson", "label", "ops"), [
    ("12-regression-nn-linear.py", "model: nn.Linear", ["transpose", "matmul", "add"]),
    ("18-nn-module-class.py", "LinearRegression.forward()", ["transpose", "matmul", "add"]),
    ("11-regression-autograd.py", "forward()", ["mul"]),
])
def test_a_call_is_labelled_once_and_its_label_collides_with_nothing(qtbot, lesson, label,
                                                                      ops):
    canvas = canvas_for(qtbot, lesson)
    graph = canvas.trace.graph
    members = [m for text, nodes in canvas.call_groups if text == label for m in nodes]
    assert [graph.nodes[m].op for m in members] == ops
    boxes = canvas.label_boxes()
    groups = [b for b in boxes if b["kind"] == "group"]
    assert [b["text"] for b in groups if b["text"] == label] == [label]
    for group in groups:
        others = [b for b in boxes if b is not group]
        assert not [b for b in others if _overlap(group["rect"], b["rect"])], group
        for node in canvas.node_boxes():
            assert not _overlap(group["rect"], node)
        x, y, w, h = group["rect"]
        assert x >= 0 and y >= 0 and x + w <= canvas.width() and y + h <= canvas.height()


def test_the_band_is_under_the_calls_nodes_and_not_under_the_others(qtbot):
    canvas = canvas_for(qtbot, "12-regression-nn-linear.py")
    image = canvas.grab().toImage()
    ratio = image.devicePixelRatio()
    face = BAND[False][0].lower()
    graph = canvas.trace.graph
    members = {m for _, nodes in canvas.call_groups for m in nodes}
    boxes = canvas.node_boxes()

    def beside(node: int) -> str:
        """The colour just outside the node's box, below it (under the band, if any)."""
        x, y, w, h = boxes[node]
        return image.pixelColor(int((x + w / 2) * ratio), int((y + h + 3) * ratio)).name()

    assert all(beside(m) == face for m in members if graph.nodes[m].op != "add")
    outside = [n.id for n in graph.nodes if n.id not in members]
    assert outside and all(beside(n) != face for n in outside)


def test_two_calls_of_one_function_are_two_groups():
    groups = {2: "f()", 3: "f()", 5: "f()"}
    edges = [(2, 3, 0), (3, 4, 0), (4, 5, 0)]
    assert call_groups(groups, edges) == [("f()", [2, 3]), ("f()", [5])]


def test_named_data_tensors_are_data_nodes_and_torch_still_agrees():
    run = run_checked((LESSONS / "12-regression-nn-linear.py").read_text(encoding="utf-8"))
    graph = run.rows[0].graph
    data = {n.name: n for n in graph.nodes if n.kind == "data"}
    assert set(data) == {"X", "Y"}
    np.testing.assert_array_equal(data["X"].value, [[1.0], [2.0], [3.0], [4.0]])
    assert all(row.torch_match for row in run.rows)


def test_a_name_two_data_tensors_share_stays_a_constant():
    text = """import torch
w = torch.tensor(1.0, requires_grad=True)
x = torch.tensor([1.0, 2.0])
a = w * x
x = torch.tensor([3.0, 4.0])
l = (a + w * x).sum()
l.backward()
"""
    run = run_script(text, check_torch=False)
    graph = run.rows[0].graph
    assert not [n for n in graph.nodes if n.kind == "data"]
    # by hand: l = sum(w x1 + w x2) -> dl/dw = 1 + 2 + 3 + 4
    assert float(run.rows[0].grads["w"]) == 10.0

