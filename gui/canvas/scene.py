"""The scene: frozen numbers about one trace's graph (positions, sizes, kinds, edges).

Pure numpy and Python, so a worker thread can make it for a big graph; colours and the
sizes of everything in points live here too, beside the code that uses them first.
"""

from __future__ import annotations

import threading
import weakref

import numpy as np

from core.layout import layered_layout, node_keys
from core.trace import BackwardStep, LocalGradientStep, Trace

LIGHT = {
    "bg": "#FFFFFF", "fg": "#222222", "edge": "#4D4D4D", "not_needed": "#999999",
    "data_face": "#FFFFFF", "data_edge": "#333333",
    "parameter_face": "#FFF3C4", "parameter_edge": "#6B5500",
    "constant_face": "#E6E6E6", "constant_edge": "#8C8C8C",
    "operation_face": "#FFFFFF", "operation_edge": "#333333",
    "value": "#009E73", "grad": "#D55E00", "local": "#0072B2", "highlight": "#E69F00",
}
DARK = {
    "bg": "#1E1F22", "fg": "#E6E6E6", "edge": "#B3B3B3", "not_needed": "#7A7A7A",
    "data_face": "#2B2D31", "data_edge": "#D9D9D9",
    "parameter_face": "#4D4219", "parameter_edge": "#F2D88A",
    "constant_face": "#3A3B3F", "constant_edge": "#9A9A9A",
    "operation_face": "#2B2D31", "operation_edge": "#D9D9D9",
    "value": "#35D0A5", "grad": "#FF8F4D", "local": "#5CB8F0", "highlight": "#F5B942",
}

# sizes in points
OP_RADIUS = 13.0
BOX_HALF_HEIGHT = {"data": 10.0, "parameter": 10.0, "constant": 8.0}
CORNER = {"data": 5.0, "parameter": 5.0, "constant": 3.0}
BORDER = {"data": 1.2, "parameter": 2.4, "constant": 0.8, "operation": 1.3}
FONT = {"data": 10.5, "parameter": 10.5, "constant": 9.0}
LABEL_FONT = 10.0
NAME_FONT = 10.5
EDGE_FONT = 9.5
#: gap between a node's border and its value / gradient label (points)
LABEL_GAP = 6.0
ARROW_LENGTH, ARROW_HALF_WIDTH = 7.0, 3.2
#: comfortable spacing of layers and rows (points): below it texts start to crowd
COMFORT_X, COMFORT_Y = 135.0, 62.0
#: the widest spacing fit_view uses for a small graph (points)
WIDEST_X, WIDEST_Y = 190.0, 92.0
#: below this fraction of the comfortable spacing, texts are hidden and nodes shrink
TEXT_SCALE = 0.62
#: room around the graph for boxes, names, values and gradients (points)
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_Y = 40.0, 70.0, 36.0
LEGEND_HEIGHT = 0.055
CURVE_BEND = 0.32
DRAG_THRESHOLD = 4  # pixels between a click and a pan

_VALUE, _GRAD, _LOCAL, _HIGHLIGHT = 1, 2, 0, -1  # draw order: highlight, edges, values, grads


def _char_width(c: str) -> float:
    """Rough advance of a DejaVu Sans glyph (or a full-width CJK one), in em."""
    if c >= "\u2e80":
        return 1.0
    if c in "il.,:;'|!1 ()[]":
        return 0.36
    if c.isupper() or c in "mwMW@%":
        return 0.72
    if c.isdigit():
        return 0.64
    return 0.6


def text_width_points(text: str, size: float) -> float:
    return sum(_char_width(c) for c in text) * size


#: layouts made in a worker thread, by trace (they go when the trace goes)
_PREPARED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_PREPARED_LOCK = threading.Lock()


def _leaf_text(node) -> str:
    return node.name or node.label


def graph_arrays(trace: Trace, before: Trace | None = None,
                 before_pos: np.ndarray | None = None) -> dict[str, object]:
    """Everything :meth:`GraphCanvas.set_trace` computes about a trace's graph: the layout
    (nodes of ``before`` keep their places), node sizes and kinds, edges.

    Pure numpy and Python, so a worker thread can make it for a big graph.
    """
    previous = None
    if before is not None and before_pos is not None and len(before_pos):
        keys = node_keys(before.graph)
        previous = {k: (float(x), float(y)) for k, (x, y) in zip(keys, before_pos, strict=True)}
    graph = trace.graph
    positions = layered_layout(graph, previous)
    n = len(graph.nodes)
    kind = np.array([node.kind for node in graph.nodes])
    half = np.zeros((n, 2))
    radius = np.zeros(n)
    for node in graph.nodes:
        if node.kind == "operation":
            half[node.id] = OP_RADIUS
            radius[node.id] = OP_RADIUS
        else:
            size = FONT[node.kind]
            pad = 7.0 if node.kind != "constant" else 4.5
            width = text_width_points(_leaf_text(node), size) / 2 + pad
            half[node.id] = (max(width, BOX_HALF_HEIGHT[node.kind] + 2),
                             BOX_HALF_HEIGHT[node.kind])
            radius[node.id] = CORNER[node.kind]
    edges = [(source, node.id, index) for node in graph.nodes
             for index, source in enumerate(node.inputs)]
    bend = np.zeros(len(edges))
    pairs: dict[tuple[int, int], list[int]] = {}
    for i, (s, t, _) in enumerate(edges):
        pairs.setdefault((s, t), []).append(i)
    for group in pairs.values():
        if len(group) > 1:
            for k, i in enumerate(group):
                bend[i] = k - (len(group) - 1) / 2
    return {
        "pos": np.array([positions[i] for i in range(n)], float).reshape(n, 2),
        "kind": kind,
        "is_op": kind == "operation",
        "half_pt": half,
        "radius_pt": radius,
        "edges": edges,
        "edge_index": {edge: i for i, edge in enumerate(edges)},
        "edge_src": np.array([e[0] for e in edges], int),
        "edge_dst": np.array([e[1] for e in edges], int),
        "edge_needed": np.array([graph.edge_needed(s, t) for s, t, _ in edges], bool),
        "edge_bend": bend,
        "local_steps": {s.edge: s for s in trace.steps if isinstance(s, LocalGradientStep)},
        "backward_steps": {s.node: s for s in trace.steps if isinstance(s, BackwardStep)},
        "leaves": [n.id for n in graph.nodes if n.is_leaf],
    }

