"""A recorded pass's modules on the canvas (issue 12, issue 20): a band under the nodes
each module computed, and its label, placed like every other label."""

from __future__ import annotations

import numpy as np
import pytest

from core.engine.trace import Stepper
from core.record.recording import load_recording
from core.record.to_trace import pass_trace
from gui.canvas.groups import BAND, call_groups
from gui.canvas.widget import GraphCanvas
from tests.core.record.record_support import LESSONS, record_dir


@pytest.fixture(scope="module")
def nn_linear(tmp_path_factory):
    """Pass 1 of the nn.Linear lesson, as the recorder recorded it."""
    folder = tmp_path_factory.mktemp("nn-linear")
    done = record_dir(LESSONS / "12-regression-nn-linear.py", folder)
    assert done.returncode == 0, done.stderr
    return pass_trace(load_recording(folder).load_pass(1))


def _overlap(a, b, tol: float = 0.5) -> bool:
    return (min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]) > tol
            and min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]) > tol)


def canvas_for(qtbot, trace, size=(1280, 720)) -> GraphCanvas:
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


@pytest.mark.parametrize(("label", "ops"), [
    ("model", ["transpose", "matmul", "add"]),
    ("loss", ["mse_loss"]),
])
def test_a_module_is_labelled_once_and_its_label_collides_with_nothing(qtbot, nn_linear,
                                                                        label, ops):
    canvas = canvas_for(qtbot, nn_linear)
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


def test_the_band_is_under_the_modules_nodes_and_not_under_the_others(qtbot, nn_linear):
    canvas = canvas_for(qtbot, nn_linear)
    image = canvas.grab().toImage()
    ratio = image.devicePixelRatio()
    face = BAND[False][0].lower()
    graph = canvas.trace.graph
    grouped = {m for _, nodes in canvas.call_groups for m in nodes}
    # the model's band (a one-node band, the loss's, is as wide as its node: hidden)
    members = {m for text, nodes in canvas.call_groups if text == "model" for m in nodes}
    boxes = canvas.node_boxes()

    def beside(node: int) -> str:
        """The colour just outside the node's box, below it (under the band, if any)."""
        x, y, w, h = boxes[node]
        return image.pixelColor(int((x + w / 2) * ratio), int((y + h + 3) * ratio)).name()

    assert all(beside(m) == face for m in members if graph.nodes[m].op != "add")
    outside = [n.id for n in graph.nodes if n.id not in grouped]
    assert outside and all(beside(n) != face for n in outside)


def test_two_calls_of_one_function_are_two_groups():
    groups = {2: "f()", 3: "f()", 5: "f()"}
    edges = [(2, 3, 0), (3, 4, 0), (4, 5, 0)]
    assert call_groups(groups, edges) == [("f()", [2, 3]), ("f()", [5])]


def test_named_data_tensors_are_data_nodes(nn_linear):
    data = {n.name: n for n in nn_linear.graph.nodes if n.kind == "data"}
    assert set(data) == {"X", "Y"}
    np.testing.assert_array_equal(data["X"].value, [[1.0], [2.0], [3.0], [4.0]])
