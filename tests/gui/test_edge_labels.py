"""Edge labels never read as arithmetic (issue 24, item 6): no edge passes through a
node's name or the local gradient of an edge at its ends: the local gradient sits
beside its edge, not on it ("s -2 · s = −2" read as a subtraction)."""

from __future__ import annotations

import pytest

from core.drawing.labels import beside, crosses, rect_at
from core.engine.trace import build_trace
from core.io.session import load_session
from gui.canvas.scene import _LOCAL, graph_arrays
from gui.state.model import Program, build
from gui.support.resources import example_files

LESSON = "x = 1.0\ny = 2.0\nw = param(1.0)\ny_hat = w * x\ns = y_hat - y\nloss = s ** 2"


def _rects(arrays):
    """(what, owner nodes, rect) of every name and label, in world points."""
    edges = arrays.edges
    for node, (x, y, w, h) in arrays.name_pos.items():
        yield f"name of node {node}", {node}, rect_at(x, y, w, h)
    for (layer, index), (x, y, w, h) in arrays.label_pos.items():
        if layer == _LOCAL:  # (values and gradients sit above and below their node)
            yield f"local label {index}", set(edges[index][:2]), rect_at(x, y, w, h)


def _crossings(trace) -> list[str]:
    arrays = graph_arrays(trace)
    found = []
    for what, owners, rect in _rects(arrays):
        for (s, t, _), path in zip(arrays.edges, arrays.edge_paths, strict=True):
            if owners & {s, t} and crosses(rect, path.tolist()):
                found.append(f"edge {s}→{t} runs through the {what}")
    return found


def test_the_lessons_s_and_its_local_gradient_are_apart():
    trace = build_trace(LESSON, {})
    arrays = graph_arrays(trace)
    s = next(n.id for n in trace.graph.nodes if n.name == "s")
    loss = trace.graph.output_node.id
    index = arrays.edge_index[next(e for e in arrays.edges if e[:2] == (s, loss))]
    path = arrays.edge_paths[index].tolist()
    x, y, w, h = arrays.label_pos[(_LOCAL, index)]
    assert not crosses(rect_at(x, y, w, h), path)  # beside the edge: no minus-sign stub
    nx, ny, nw, nh = arrays.name_pos[s]
    assert not crosses(rect_at(nx, ny, nw, nh), path)
    assert _crossings(trace) == []


#: the scalar and small-tensor examples; a crowded graph (a convolution's) may leave a
#: local gradient no free place beside its edge, and then it sits on it, as before
EXAMPLES = [p for p in example_files() if p.stem[:2] in {f"{i:02d}" for i in range(1, 10)}]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_no_edge_runs_through_a_text_of_its_ends(path):
    session = load_session(path)
    trace = build(Program(session.text, dict(session.bindings)))
    assert _crossings(trace) == []


def test_beside_keeps_a_label_clear_of_a_sloped_edge():
    path = [(0.0, 0.0), (100.0, 60.0)]
    for w, h in ((40.0, 12.0), (12.0, 40.0), (80.0, 14.0)):
        for cx, cy in beside(path, (0.5, 0.3), w, h, 2.0):
            assert not crosses(rect_at(cx, cy, w, h), path)
    assert crosses(rect_at(50.0, 30.0, 10.0, 10.0), path)
    assert not crosses(rect_at(50.0, 60.0, 10.0, 10.0), path)
    first = beside(path, (0.5,), 40.0, 12.0, 2.0)
    assert first[0][1] > 30.0 > first[1][1]  # the upper side first, then the lower
