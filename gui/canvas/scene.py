"""The scene: frozen numbers about one trace's graph (positions, sizes, kinds, edges).

Pure numpy and Python, so a worker thread can make it for a big graph; colours and the
sizes of everything in points live here too, beside the code that uses them first.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from core.base import cancel
from core.base.format import format_value
from core.drawing.labels import along
from core.drawing.layout import layered_layout, node_keys
from core.engine.trace import BackwardStep, LocalGradientStep, ParameterUpdate, Trace
from gui.canvas import grids as grids_module
from gui.canvas import label_text, placement
from gui.canvas.groups import call_groups
from gui.canvas.measure import text_size
from gui.canvas.placement import (  # noqa: F401  (the canvas's sizes, in one place)
    CURVE_BEND,
    EDGE_FONT,
    GRID_FONT,
    LABEL_FONT,
    LABEL_GAP,
    NAME_FONT,
)
from gui.support.theme import CANVAS_DARK as DARK  # noqa: F401  (the canvas's palettes)
from gui.support.theme import CANVAS_LIGHT as LIGHT  # noqa: F401

# sizes in points (world points: one point at zoom 1)
OP_RADIUS = 13.0
BOX_HALF_HEIGHT = {"data": 10.0, "parameter": 10.0, "constant": 8.0}
CORNER = {"data": 5.0, "parameter": 5.0, "constant": 3.0}
BORDER = {"data": 1.2, "parameter": 2.4, "constant": 0.8, "operation": 1.3}
FONT = {"data": 10.5, "parameter": 10.5, "constant": 9.0}
LEGEND_FONT = 8.5
#: the smallest graph font: text is drawn only while it is at least MIN_TEXT_PX tall
SMALLEST_FONT = 8.5
MIN_TEXT_PX = 9.5
#: text grows with the zoom up to this factor, then stays (geometry keeps growing)
MAX_TEXT_ZOOM = 2.5
ARROW_LENGTH, ARROW_HALF_WIDTH = 7.0, 3.2
#: zoom limits of a fit: at most this large for a small graph
WIDEST_ZOOM = 1.6
#: room around the graph in a fit (points)
MARGIN = 16.0
LEGEND_HEIGHT = 0.055
DRAG_THRESHOLD = 4  # pixels between a click and a pan

_VALUE, _GRAD, _LOCAL, _HIGHLIGHT, _UPDATE = 1, 2, 0, -1, 3  # draw order: highlight first
_TANGENT = 4  # forward mode's tangents (gui.canvas.tangent_labels): drawn last


#: layouts made in a worker thread, by trace (they go when the trace goes)
_PREPARED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_PREPARED_LOCK = threading.Lock()


def _leaf_text(node) -> str:
    return node.name or node.label



#: an update label longer than this many characters goes on three lines (name, value,
#: → new value): its width sets its layer's width, and so how far apart the current
#: node and its neighbours are drawn (issue 24, item 8)
WRAP_UPDATE_LABEL = 30


def update_text(trace: Trace, step) -> str:
    """``w: 1 → 1.2``: the parameter's name, its value and its value after the update;
    a long one as ``w:`` / ``[…]`` / ``→ […]`` on three lines."""
    node = trace.graph.nodes[step.node]
    name, old, new = node.name or node.label, format_value(node.value), format_value(step.value)
    text = f"{name}: {old} → {new}"
    if len(text) > WRAP_UPDATE_LABEL:
        text = f"{name}:\n{old}\n→ {new}"
    return label_text.sized(text)


@dataclass(frozen=True)
class Theme:
    """The canvas's colours, light or dark: what the layers draw in."""

    dark: bool
    colours: dict[str, str]


LIGHT_THEME, DARK_THEME = Theme(False, LIGHT), Theme(True, DARK)


@dataclass(frozen=True)
class Scene:
    """Everything :meth:`GraphCanvas.set_trace` computes about a trace's graph, in world
    points: the layered layout, node sizes, edges and their routes, and where every label
    goes (see gui.canvas.placement). Frozen: a new trace makes a new scene (forward mode
    adds its tangent labels to ``label_pos``/``label_texts``/``grid_info`` once)."""

    grid: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    pos: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    kind: np.ndarray = field(default_factory=lambda: np.array([], dtype=str))
    is_op: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    half_pt: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    radius_pt: np.ndarray = field(default_factory=lambda: np.zeros(0))
    edges: list = field(default_factory=list)
    edge_index: dict = field(default_factory=dict)
    edge_src: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    edge_dst: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    edge_needed: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    edge_bend: np.ndarray = field(default_factory=lambda: np.zeros(0))
    edge_paths: list = field(default_factory=list)
    edge_after0: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    edge_before2: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    bent_edges: list = field(default_factory=list)
    edge_mid_world: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    #: the graph's extent without forward mode's tangent labels (the canvas adds those)
    extent: tuple = (-1.0, 1.0, -1.0, 1.0)
    label_texts: dict = field(default_factory=dict)
    grid_info: dict = field(default_factory=dict)
    label_pos: dict = field(default_factory=dict)
    name_pos: dict = field(default_factory=dict)
    #: a script's function calls: (label, member nodes)
    call_groups: list = field(default_factory=list)
    group_pos: dict = field(default_factory=dict)
    text_scale: float = 1.0
    local_steps: dict = field(default_factory=dict)
    backward_steps: dict = field(default_factory=dict)
    update_steps: dict = field(default_factory=dict)
    leaves: list = field(default_factory=list)

    @cached_property
    def inner_points(self) -> tuple[list[int], np.ndarray, np.ndarray]:
        """The bent edges, their inner world points in one array, and where each edge's
        points start (and the end): made once per scene, transformed once per view
        (gui.canvas.geometry)."""
        bent = [e for e in self.bent_edges if len(self.edge_paths[e]) > 2]
        parts = [self.edge_paths[e][1:-1] for e in bent]
        inner = np.concatenate(parts) if parts else np.zeros((0, 2))
        return bent, inner, np.cumsum([0] + [len(p) for p in parts])


#: the scene's fields the canvas still answers as its own attributes: the tests read
#: these six (canvas.edges, canvas.edge_index …) and gui.canvas.strip_edge the places
#: (pos, half_pt, label_pos); the layers take the scene itself (issue 18)
CANVAS_FIELDS = ("grid", "pos", "half_pt", "edges", "edge_index", "edge_needed",
                 "label_pos", "call_groups")


def _previous_grid(before: Trace | None, before_grid: np.ndarray | None):
    """The grid places of ``before``'s nodes, by node key (they keep their rows)."""
    if before is None or before_grid is None or not len(before_grid):
        return None
    keys = node_keys(before.graph)
    return {k: (float(x), float(y)) for k, (x, y) in zip(keys, before_grid, strict=True)}


def _node_sizes(graph, m: float) -> tuple[np.ndarray, np.ndarray]:
    """Every node's half width and height, and its radius (operations) or corner."""
    n = len(graph.nodes)
    half = np.zeros((n, 2))
    radius = np.zeros(n)
    for node in graph.nodes:
        if node.kind == "operation":
            symbol = label_text.symbol_text(node.symbol)
            width, _ = text_size(symbol, label_text.symbol_size(symbol) * m)
            r = max(OP_RADIUS * m, width / 2 + 3 * m)
            half[node.id] = r
            radius[node.id] = r
        else:
            width, _ = text_size(_leaf_text(node), FONT[node.kind] * m,
                                 node.kind == "parameter")
            hh = BOX_HALF_HEIGHT[node.kind] * m
            half[node.id] = (max(width / 2 + 6.0 * m, hh + 2 * m), hh)
            radius[node.id] = CORNER[node.kind] * m
    return half, radius


def _edges_and_bends(graph) -> tuple[list, np.ndarray]:
    """``(source, consumer, position)`` of every edge, and how far parallel ones bend."""
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
    return edges, bend


def steps_by_place(trace: Trace) -> tuple[dict, dict, dict]:
    """The trace's local-gradient steps by edge, backward steps and updates by node."""
    local_steps = {s.edge: s for s in trace.steps if isinstance(s, LocalGradientStep)}
    backward_steps = {s.node: s for s in trace.steps if isinstance(s, BackwardStep)}
    # UpdateStep, or a recorded pass's optimizer step (core.engine.optimizer_step)
    update_steps = {s.node: s for s in trace.steps if isinstance(s, ParameterUpdate)}
    return local_steps, backward_steps, update_steps


def _label_texts(trace: Trace, edges, steps, stop) -> tuple[dict, dict]:
    """What every label says, by (layer, node or edge), and the tensors' grids."""
    local_steps, backward_steps, update_steps = steps
    texts, grids = {}, {}
    for node in trace.graph.nodes:
        stop.check()
        texts[(_VALUE, node.id)] = label_text.value_text(node.value)
        if node.id in trace.grads:
            texts[(_GRAD, node.id)] = label_text.gradient_text(
                trace, node.id, backward_steps.get(node.id))
        if np.ndim(node.value):  # tensors: a grid of cells, or a badge (gui.canvas.grids)
            for key, value in (((_VALUE, node.id), node.value),
                               ((_GRAD, node.id), trace.grads.get(node.id))):
                made = grids_module.grid_info(value) if key in texts else None
                if made is not None:
                    texts[key], grids[key] = made
    for node_id, step in update_steps.items():
        texts[(_UPDATE, node_id)] = update_text(trace, step)
    for i, edge in enumerate(edges):
        if i % 64 == 0:
            stop.check()
        if edge in trace.local:
            texts[(_LOCAL, i)] = label_text.local_text(trace, edge, local_steps.get(edge))
    return texts, grids


def _midpoints(placed, n_edges: int) -> np.ndarray:
    """Where each edge's local label sits, or the middle of its route."""
    mids = np.zeros((n_edges, 2))
    for i, path in enumerate(placed.paths):
        place = placed.labels.get((_LOCAL, i))
        mids[i] = place[:2] if place is not None else along([tuple(p) for p in path], [0.5])[0]
    return mids


def _extent(placed, half: np.ndarray) -> tuple[float, float, float, float]:
    """The box around every node, label, name and call band."""
    rects = [(x - w / 2, y - h / 2, x + w / 2, y + h / 2)
             for x, y, w, h in (*placed.labels.values(), *placed.names.values(),
                                *placed.groups.values())]
    rects += [(x - hw, y - hh, x + hw, y + hh)
              for (x, y), (hw, hh) in zip(placed.pos, half, strict=True)]
    if not rects:
        return (-1.0, 1.0, -1.0, 1.0)
    box = np.array(rects)
    return (float(box[:, 0].min()), float(box[:, 2].max()),
            float(box[:, 1].min()), float(box[:, 3].max()))


def build_scene(trace: Trace, before: Trace | None = None,
                before_grid: np.ndarray | None = None, text_scale: float = 1.0) -> Scene:
    """The :class:`Scene` of ``trace`` (nodes of ``before`` keep their rows).

    Pure numpy and Python, so a worker thread can make it for a big graph.
    """
    graph = trace.graph
    stop = cancel.token()  # a superseded build's layout stops between nodes (core.base.cancel)
    grid_map = layered_layout(graph, _previous_grid(before, before_grid))
    n = len(graph.nodes)
    grid = np.array([grid_map[i] for i in range(n)], float).reshape(n, 2)
    kind = np.array([node.kind for node in graph.nodes])
    m = float(text_scale)
    half, radius = _node_sizes(graph, m)
    edges, bend = _edges_and_bends(graph)
    steps = steps_by_place(trace)
    texts, grids = _label_texts(trace, edges, steps, stop)
    names = {node.id: node.name for node in graph.nodes
             if node.kind == "operation" and node.name}
    calls = call_groups(graph.groups, edges)
    stop.check()
    placed = placement.arrange(grid, half, edges, bend, texts, names, m, grids, calls)
    paths = placed.paths
    stop.check()
    return Scene(
        grid=grid, pos=placed.pos, kind=kind, is_op=kind == "operation", half_pt=half,
        radius_pt=radius, edges=edges, edge_index={edge: i for i, edge in enumerate(edges)},
        edge_src=np.array([e[0] for e in edges], int),
        edge_dst=np.array([e[1] for e in edges], int),
        edge_needed=np.array([graph.edge_needed(s, t) for s, t, _ in edges], bool),
        edge_bend=bend, edge_paths=paths,
        edge_after0=np.array([p[1] for p in paths], float).reshape(-1, 2),
        edge_before2=np.array([p[-2] for p in paths], float).reshape(-1, 2),
        bent_edges=[i for i, p in enumerate(paths) if len(p) > 2],
        edge_mid_world=_midpoints(placed, len(edges)), extent=_extent(placed, half),
        label_texts=texts, grid_info=grids, label_pos=placed.labels, name_pos=placed.names,
        call_groups=calls, group_pos=placed.groups, text_scale=m,
        local_steps=steps[0], backward_steps=steps[1], update_steps=steps[2],
        leaves=[n.id for n in graph.nodes if n.is_leaf])


#: the old name (gui.graph_canvas re-exports it)
graph_arrays = build_scene


def draw_order(key: tuple[int, int]) -> tuple[int, int]:
    """Highlight first, then edge labels, values, gradients; the same on every path."""
    return key
