"""Forward mode on the canvas: each node's tangent ∂node/∂w as a label of its own.

The forward panel hands over the walk (:mod:`core.engine.forward`); each node it reaches gets
a label in the tangent colour: the number and, for element-wise ops where it fits, the
sum "local × input tangent" with the numbers (everything on hover). Tangent labels are
placed after all the others by the same rules (:func:`core.drawing.labels.place`): every node
and every other label, shown now or later, is an obstacle, so none ever overlaps one.
They appear step by step as the walk reaches each node and go with Reverse mode. While
a What-if moves an input, :meth:`Tangents.show_numbers` rewrites the label texts in
place and blits them (no new layout per move).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP

from core.base.format import format_value
from core.base.values import shape_text
from core.drawing import labels as rules
from core.engine.trace import BackwardStep, LocalGradientStep, ParameterUpdate
from gui.canvas import grids, label_text, placement
from gui.canvas.focus import focus_of, highlight_keys, visible_now
from gui.canvas.legend import build_legend
from gui.canvas.measure import text_size
from gui.canvas.scene import (
    _GRAD,
    _HIGHLIGHT,
    _LOCAL,
    _TANGENT,
    _UPDATE,
    _VALUE,
    LABEL_FONT,
    LABEL_GAP,
    update_text,
)

#: the legend's entry in forward mode (long, and short for a narrow window)
LEGEND_LONG = QT_TRANSLATE_NOOP("GraphCanvas", "tangent ∂node/∂{0}")
LEGEND_SHORT = QT_TRANSLATE_NOOP("GraphCanvas", "tangent")
#: a tangent label with its sum longer than this shows only the number
MAX_TANGENT_LABEL = 26
#: a tensor tangent's short form lists this many entries, then "…"
TENSOR_ENTRIES = 3
#: the edges' marks for placing tangents off the lines, every this many points
EDGE_MARK_STEP = 5.0


@dataclass(frozen=True)
class ForwardFocus:
    """The forward walk's current node, standing in for the reverse walk's step."""

    node: int
    index: int
    edge: None = None
    phase: str = "forward"


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


class Tangents:
    """The tangent labels (forward mode) of a :class:`~gui.canvas.widget.GraphCanvas`,
    which owns one: ``tangents``. Their places and texts go in the canvas's scene."""

    def __init__(self, canvas):
        self.canvas = canvas
        self.source = None  # (trace, labels, wrt) as the panel gave them
        self.current: int | None = None  # the walk's node now
        self.wanted: set[int] = set()  # the nodes the walk reached
        self.tips: dict[int, str] = {}  # node → its tangent's whole text (hover)
        #: (known, current) the canvas showed last: shown again when the walk moves
        self.last_state = None

    def reset(self) -> None:
        """A new graph: no tangent placed yet."""
        self.tips = {}

    @property
    def forward_mode(self) -> bool:
        return self.source is not None

    def set_walk(self, trace, labels: dict[int, tuple[str, str]] | None,
                 wrt: str = "w") -> None:
        """Forward mode's labels for ``trace`` (placed now, or once it is drawn), or
        None: Reverse mode, none at all."""
        had = self.source is not None
        if not had and labels is None:
            return  # reverse mode already: the view stays as the learner left it
        if had and labels is not None and self.source[0] is trace \
                and self.source[1:] == (labels, wrt):
            return  # the same walk again (a language switch): nothing moves
        self.source = None if labels is None else (trace, dict(labels), wrt)
        if labels is None:
            self.wanted, self.current = set(), None
        if self.canvas.trace is not None and (trace is self.canvas.trace or labels is None):
            self._place()
            self.canvas._shown[_TANGENT] = self.keys()  # a full draw follows
            if self.current is None and self.last_state is not None:
                step = self.last_state[1]  # the reverse walk's step again
                canvas = self.canvas
                canvas._current_key, canvas._focus_nodes, canvas._focus_edges = focus_of(
                    canvas.trace, canvas.scene, step)
                canvas._shown[_HIGHLIGHT] = highlight_keys(canvas.scene, step)
            if had != (labels is not None):
                build_legend(self.canvas)
            self._refit()

    def show(self, shown, current: int | None) -> None:
        """The walk reached the nodes ``shown``; ``current`` is its step's node."""
        self.wanted = set(shown) if self.forward_mode else set()
        self.current = current if self.forward_mode else None
        if self.last_state is not None:
            self.canvas.show_state(*self.last_state)

    def after_trace(self) -> None:
        """set_trace: the labels again if they were made for this trace."""
        source = self.source
        if source is not None and source[0] is self.canvas.trace:
            self._place()
        elif source is not None:  # an older trace's: the panel sends new ones
            self.wanted, self.current = set(), None

    def _place(self) -> None:
        """Each tangent label placed off every other label, node and (where it can) edge,
        into the scene; the canvas's extent grows to take them in."""
        canvas, scene = self.canvas, self.canvas.scene
        for key in [k for k in scene.label_pos if k[0] == _TANGENT]:
            del scene.label_pos[key]
            scene.label_texts.pop(key, None)
            canvas._texts.pop(key, None)
        self.tips = {}
        canvas.extent = scene.extent
        source = self.source
        if source is None or source[0] is not canvas.trace:
            return
        m = canvas.text_scale
        gap = LABEL_GAP * m
        obstacles = [(x - hw, y - hh, x + hw, y + hh)
                     for (x, y), (hw, hh) in zip(scene.pos, scene.half_pt, strict=True)]
        obstacles += [rules.rect_at(*p) for p in (*scene.label_pos.values(),
                                                  *scene.name_pos.values(),
                                                  *scene.group_pos.values())]
        order, requests = [], []
        for v, (text, tip) in source[1].items():
            w, h = text_size(text, LABEL_FONT * m, True)
            (x, y), (hw, hh) = scene.pos[v], scene.half_pt[v]
            placed = scene.label_pos
            above = [placed[k] for k in ((_VALUE, v), (_UPDATE, v)) if k in placed]
            below = [placed[k] for k in ((_GRAD, v),) if k in placed]
            order.append(v)
            requests.append((w, h, candidates(x, y, hw, hh, w, h, gap, (above, below))))
            self.tips[v] = tip
        soft = self._edge_marks() if len(scene.pos) <= placement.PLACE_LIMIT else []
        for v, (w, h, _), (cx, cy) in zip(order, requests, place_off_edges(
                obstacles, soft, requests), strict=True):
            scene.label_pos[(_TANGENT, v)] = (cx, cy, w, h)
            scene.label_texts[(_TANGENT, v)] = source[1][v][0]
        if order:
            box = np.array([rules.rect_at(*scene.label_pos[(_TANGENT, v)]) for v in order])
            x0, x1, y0, y1 = canvas.extent
            canvas.extent = (min(x0, float(box[:, 0].min())), max(x1, float(box[:, 2].max())),
                             min(y0, float(box[:, 1].min())), max(y1, float(box[:, 3].max())))

    def _edge_marks(self) -> list:
        """Small boxes along every edge: a tangent keeps off the lines where it can."""
        marks = []
        for path in self.canvas.scene.edge_paths:
            for (x0, y0), (x1, y1) in zip(path[:-1], path[1:], strict=True):
                n = max(1, int(np.hypot(x1 - x0, y1 - y0) // EDGE_MARK_STEP))
                for t in np.linspace(0.0, 1.0, n + 1):
                    x, y = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
                    marks.append((x - 1.0, y - 1.0, x + 1.0, y + 1.0))
        return marks

    def _refit(self) -> None:
        """A view that showed the whole graph shows it with its tangents (or without)."""
        if self.canvas.trace is None:
            return
        if not self.canvas.hint:
            self.canvas.fit_view()
        else:
            self.canvas.blitter.invalidate()

    def keys(self) -> set[int]:
        """The tangent labels to show now (those the walk reached, of this trace)."""
        return {v for v in self.wanted if (_TANGENT, v) in self.canvas.scene.label_pos}

    def focus(self, current):
        source = self.source
        if self.current is None or source is None or source[0] is not self.canvas.trace:
            return current
        return ForwardFocus(self.current, current.index if current is not None else 0)

    def with_legend(self, entries: list) -> list:
        """Forward mode: the tangent's entry after the local gradient's."""
        if self.source is None:
            return entries
        t = label_text.tr if self.canvas.translate_legend else str
        at = next((i + 1 for i, e in enumerate(entries) if e[1] == "local"), len(entries))
        return [*entries[:at], ("square", "tangent",
                                t(LEGEND_LONG).format(self.source[2]),
                                t(LEGEND_SHORT)), *entries[at:]]

    def label_at(self, x: float, y: float) -> int | None:
        """The node whose shown tangent label is under display point (x, y)."""
        if self.canvas.geometry is None or not self.canvas.geometry.show_text:
            return None
        for v in self.canvas._shown.get(_TANGENT, ()):
            text = self.canvas._texts.get((_TANGENT, v))
            if text is not None and visible_now(self.canvas, (_TANGENT, v)):
                box = text.get_window_extent(self.canvas.get_renderer())
                if box.x0 <= x <= box.x1 and box.y0 <= y <= box.y1:
                    return v
        return None

    def with_box(self, node: int, box):
        """The current forward step's box: its node and its tangent label, if shown."""
        key = (_TANGENT, node)
        if node != self.current or not visible_now(self.canvas, key):
            return box
        text = self.canvas.labels.dynamic_text(key)
        x0, y0, x1, y1 = text.get_window_extent(self.canvas.get_renderer()).extents
        return (min(box[0], x0), min(box[1], y0), max(box[2], x1), max(box[3], y1))

    def tooltip(self, node: int) -> str:
        return self.tips.get(node, "")

    def shown_texts(self) -> dict[int, str]:
        """node → the tangent label shown now (forward mode)."""
        return {v: self.canvas.labels.dynamic_text((_TANGENT, v)).get_text()
                for v in sorted(self.canvas._shown.get(_TANGENT, ()))}

    # ---- What if: new numbers in the same places
    def show_numbers(self, trace, tangent_labels: dict[int, tuple[str, str]] | None = None
                     ) -> None:
        """Every label with the numbers of ``trace`` (a What-if trace of the same
        program: the same nodes), rewritten in place, the shown ones blitted; the
        canvas's own trace puts its numbers back. No new layout: a label keeps its
        place (the next full layout, after the change is made, fits the new sizes)."""
        canvas, scene = self.canvas, self.canvas.scene
        if canvas.trace is None or len(trace.graph.nodes) != len(canvas.trace.graph.nodes):
            return
        changed = []
        for key, new in _numbers(trace, canvas, tangent_labels).items():
            if isinstance(new, tuple):  # a tensor's grid: its text and its cells
                new, scene.grid_info[key] = new
            if scene.label_texts.get(key) == new:
                continue
            scene.label_texts[key] = new
            artist = canvas._texts.get(key)
            if artist is not None:
                if key in scene.grid_info and hasattr(artist, "info"):
                    artist.info = scene.grid_info[key]
                artist.set_text(new)
                changed.append(key)
        if not changed:
            return
        changed = [k for k in changed if k[1] in canvas._shown.get(k[0], ())]
        if not canvas.blitter.can_blit():
            canvas.draw_idle()
            return
        regions = [canvas._drawn.pop(k) for k in changed if k in canvas._drawn]
        for key in changed:
            box = canvas.blitter.extent(key)
            if box is not None:
                canvas._drawn[key] = box
                regions.append(box)
        canvas.blitter.blit_regions(regions)


def _numbers(trace, canvas, tangent_labels) -> dict:
    """(layer, index) → the label text (or (text, grid info)) with ``trace``'s numbers,
    for every label the canvas has a place for."""
    graph = trace.graph
    out: dict = {}
    keys = canvas.scene.label_pos.keys() | canvas.scene.label_texts.keys()
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
            made = grids.grid_info(value) if key in canvas.scene.grid_info else None
            out[key] = made if made is not None else (
                label_text.value_text(value) if layer == _VALUE
                else label_text.gradient_text(trace, index, backward.get(index)))
        elif layer == _LOCAL and canvas.scene.edges[index] in trace.local:
            edge = canvas.scene.edges[index]
            out[key] = label_text.local_text(trace, edge, local_steps.get(edge))
        elif layer == _UPDATE and index in updates:
            out[key] = update_text(trace, updates[index])
    for v, (text, _tip) in (tangent_labels or {}).items():
        if (_TANGENT, v) in canvas.scene.label_pos:
            out[(_TANGENT, v)] = text
    return out
