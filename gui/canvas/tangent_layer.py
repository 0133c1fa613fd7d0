"""Forward mode's label layer: each node's tangent ∂node/∂w as text, its place among
the scene's labels, and What-if's numbers for every label, all from a :class:`Scene`
(never the canvas; gui.canvas.tangent_labels.Tangents puts them on it).

A tangent label shows the number and, for element-wise ops where it fits, the sum
"local × input tangent" with the numbers (everything on hover). It is placed after all
the others by the same rules (:func:`core.drawing.labels.place`): every node and every
other label, shown now or later, is an obstacle, so none ever overlaps one.
"""

from __future__ import annotations

import numpy as np

from core.base.format import format_value
from core.base.values import shape_text
from core.drawing import labels as rules
from core.engine.trace import BackwardStep, LocalGradientStep, ParameterUpdate
from gui.canvas import grids, label_text, placement
from gui.canvas.measure import text_size
from gui.canvas.scene import (
    _GRAD,
    _LOCAL,
    _TANGENT,
    _UPDATE,
    _VALUE,
    LABEL_FONT,
    LABEL_GAP,
    Scene,
    update_text,
)

#: a tangent label with its sum longer than this shows only the number
MAX_TANGENT_LABEL = 26
#: a tensor tangent's short form lists this many entries, then "…"
TENSOR_ENTRIES = 3
#: the edges' marks for placing tangents off the lines, every this many points
EDGE_MARK_STEP = 5.0


def short_tensor(value) -> str:
    """``(3,) [1, 0.5, 2, …]``: the shape and the first entries (all of them on hover)."""
    array = np.asarray(value, dtype=np.float64)
    flat = array.ravel()
    cells = [format_value(v) for v in flat[:TENSOR_ENTRIES]]
    if flat.size > TENSOR_ENTRIES:
        cells.append("…")
    return f"{shape_text(array.shape)} [{', '.join(cells)}]"


def tangent_label(step) -> str:
    """What the canvas shows for one tangent step of the walk."""
    if np.ndim(step.value):
        return short_tensor(step.value)
    number = format_value(step.value)
    if step.kind != "tangent" or step.key != "tangent" or not step.substituted:
        return number
    label = f"{step.substituted} = {number}"
    return label if len(label) <= MAX_TANGENT_LABEL else number


def tangent_tip(step) -> str:
    """The whole tangent on hover: ∂node/∂w = the rule = the numbers = every digit."""
    parts = [step.target]
    for part in (step.formula, step.substituted):
        if part and part != parts[-1]:
            parts.append(part)
    joint = " =\n" if np.ndim(step.value) else " = "
    return " = ".join(parts) + joint + label_text.tensor_tip(step.value)


def labels_for(steps) -> dict[int, tuple[str, str]]:
    """node → (label, tooltip) for the seed and every tangent step, in walk order."""
    return {s.node: (tangent_label(s), tangent_tip(s)) for s in steps
            if s.kind in ("seed", "tangent")}


def place_off_edges(hard, soft, requests, pad: float = 1.5) -> list[tuple[float, float]]:
    """Like :func:`core.drawing.labels.place`: each label at its first candidate that touches no
    ``hard`` box (nodes, labels, the tangents placed before it) and, where one does, no
    ``soft`` one either (the edges' marks); with none free, its first candidate."""
    hard_index, soft_index = rules.OverlapIndex(), rules.OverlapIndex()
    for r in hard:
        hard_index.add(r)
    for r in soft:
        soft_index.add(r)
    chosen = []
    for w, h, cands in requests:
        rects = [rules.rect_at(cx, cy, w, h) for cx, cy in cands[:rules.MAX_CANDIDATES]]
        free = [i for i, r in enumerate(rects) if not hard_index.hits(r, pad)]
        best = next((i for i in free if not soft_index.hits(rects[i], 0.0)),
                    free[0] if free else 0)
        hard_index.add(rects[best])
        chosen.append(tuple(cands[best]))
    return chosen


def candidates(x, y, hw, hh, w, h, gap, places) -> list[tuple[float, float]]:
    """Beside the node first (right, left, the corners), then beyond its value (above)
    and its gradient (below), then further out."""
    out = []
    for k in range(3):
        far = k * (w + gap)
        right, left = x + hw + gap + w / 2 + far, x - hw - gap - w / 2 - far
        up, down = y + hh + gap + h / 2 + k * h, y - hh - gap - h / 2 - k * h
        out += [(right, y), (left, y), (right, up), (right, down), (left, up), (left, down)]
        if k == 0:
            top = max((p[1] + p[3] / 2 for p in places[0]), default=y + hh)
            bottom = min((p[1] - p[3] / 2 for p in places[1]), default=y - hh)
            out += [(x, top + gap + h / 2), (x, bottom - gap - h / 2)]
    return out[:rules.MAX_CANDIDATES]


def tangent_places(scene: Scene, labels: dict[int, tuple[str, str]]
                   ) -> dict[int, tuple[float, float, float, float]]:
    """node → (x, y, w, h): each tangent label of ``labels`` (node → (label, tooltip))
    placed off every node, label, name and call band of ``scene`` (none of its own
    tangents), and where it can off the edges, at the scene's text size."""
    m = scene.text_scale
    gap = LABEL_GAP * m
    obstacles = [(x - hw, y - hh, x + hw, y + hh)
                 for (x, y), (hw, hh) in zip(scene.pos, scene.half_pt, strict=True)]
    obstacles += [rules.rect_at(*p) for p in (*scene.label_pos.values(),
                                              *scene.name_pos.values(),
                                              *scene.group_pos.values())]
    order, requests = [], []
    placed = scene.label_pos
    for v, (text, _tip) in labels.items():
        w, h = text_size(text, LABEL_FONT * m, True)
        (x, y), (hw, hh) = scene.pos[v], scene.half_pt[v]
        above = [placed[k] for k in ((_VALUE, v), (_UPDATE, v)) if k in placed]
        below = [placed[k] for k in ((_GRAD, v),) if k in placed]
        order.append(v)
        requests.append((w, h, candidates(x, y, hw, hh, w, h, gap, (above, below))))
    soft = edge_marks(scene) if len(scene.pos) <= placement.PLACE_LIMIT else []
    return {v: (cx, cy, w, h) for v, (w, h, _), (cx, cy) in zip(
        order, requests, place_off_edges(obstacles, soft, requests), strict=True)}


def grown_extent(extent: tuple, places) -> tuple[float, float, float, float]:
    """``extent`` (x0, x1, y0, y1) grown to take in the ``places`` (x, y, w, h)."""
    places = list(places)
    if not places:
        return extent
    box = np.array([rules.rect_at(*place) for place in places])
    x0, x1, y0, y1 = extent
    return (min(x0, float(box[:, 0].min())), max(x1, float(box[:, 2].max())),
            min(y0, float(box[:, 1].min())), max(y1, float(box[:, 3].max())))


def edge_marks(scene: Scene) -> list:
    """Small boxes along every edge: a tangent keeps off the lines where it can."""
    marks = []
    for path in scene.edge_paths:
        for (x0, y0), (x1, y1) in zip(path[:-1], path[1:], strict=True):
            n = max(1, int(np.hypot(x1 - x0, y1 - y0) // EDGE_MARK_STEP))
            for t in np.linspace(0.0, 1.0, n + 1):
                x, y = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
                marks.append((x - 1.0, y - 1.0, x + 1.0, y + 1.0))
    return marks


def label_numbers(trace, scene: Scene, tangent_labels) -> dict:
    """(layer, index) → the label text (or (text, grid info)) with ``trace``'s numbers,
    for every label ``scene`` has a place for."""
    graph = trace.graph
    out: dict = {}
    keys = scene.label_pos.keys() | scene.label_texts.keys()
    backward = {s.node: s for s in trace.steps if isinstance(s, BackwardStep)}
    local_steps = {s.edge: s for s in trace.steps if isinstance(s, LocalGradientStep)}
    updates = {s.node: s for s in trace.steps if isinstance(s, ParameterUpdate)}
    for key in keys:
        layer, index = key
        if layer == _VALUE:
            value = graph.nodes[index].value
        elif layer == _GRAD and index in trace.grads:
            value = trace.grads[index]
        else:
            value = None
        if value is not None:
            made = grids.grid_info(value) if key in scene.grid_info else None
            out[key] = made if made is not None else (
                label_text.value_text(value) if layer == _VALUE
                else label_text.gradient_text(trace, index, backward.get(index)))
        elif layer == _LOCAL and scene.edges[index] in trace.local:
            edge = scene.edges[index]
            out[key] = label_text.local_text(trace, edge, local_steps.get(edge))
        elif layer == _UPDATE and index in updates:
            out[key] = update_text(trace, updates[index])
    for v, (text, _tip) in (tangent_labels or {}).items():
        if (_TANGENT, v) in scene.label_pos:
            out[(_TANGENT, v)] = text
    return out
