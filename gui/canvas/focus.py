"""The current step on the canvas: its node or edge, the nodes next to it, and the keys
the dynamic layer shows for a position (functions of the trace and the scene), and
which of the shown labels are visible now.

The focus (the step and its neighbours) keeps its labels in an overview, and following
the step keeps it in view (view.py).
"""

from __future__ import annotations

from core.engine.trace import Step, Trace
from gui.canvas.overview import overview_keys
from gui.canvas.scene import _HIGHLIGHT, _LOCAL, Scene, draw_order


def focus_of(trace: Trace | None, scene: Scene, current: Step | None):
    """(current key, focus nodes, focus edges): ``("node", id)`` or ``("edge", index)``
    of the step, the nodes next to it (and it), and its edge."""
    if current is None or trace is None:
        return None, set(), set()
    graph = trace.graph
    if current.node is not None:
        node = graph.nodes[current.node]
        return (("node", current.node),
                {current.node, *node.inputs, *(c for c, _ in graph.consumers[current.node])},
                set())
    if current.edge is not None and current.edge in scene.edge_index:
        index = scene.edge_index[current.edge]
        return ("edge", index), {current.edge[0], current.edge[1]}, {index}
    return None, set(), set()


def highlight_keys(scene: Scene, current: Step | None) -> set[int]:
    """The highlight layer's key of the step: its node, or -1 - its edge's index."""
    if current is None:
        return set()
    if current.node is not None:
        return {current.node}
    if current.edge is not None and current.edge in scene.edge_index:
        return {-scene.edge_index[current.edge] - 1}
    return set()


def edge_keys(scene: Scene, edges) -> set[int]:
    """Indices of ``edges`` (every trace edge has one: a C-level map, no Python loop)."""
    try:
        return set(map(scene.edge_index.__getitem__, edges))
    except KeyError:
        return {scene.edge_index[e] for e in edges if e in scene.edge_index}


def dynamic_keys(canvas) -> list[tuple[int, int]]:
    """Everything the canvas's dynamic layer shows now, in drawing order."""
    return sorted(((layer, k) for layer, keys in canvas._shown.items() for k in keys),
                  key=draw_order)


def visible_now(canvas, key: tuple[int, int]) -> bool:
    """Shown, and inside the view at a zoom where texts are drawn."""
    g = canvas.geometry
    layer, index = key
    if g is None or index not in canvas._shown[layer]:
        return False
    if layer == _HIGHLIGHT:
        return True
    if key in canvas._cut:
        return False
    if not g.show_text:  # an overview: the current step and its neighbours only
        return key in overview_keys(canvas)
    if layer == _LOCAL:
        return bool(g.edge_in_view[index])
    return bool(g.in_view[index])
