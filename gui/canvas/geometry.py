"""Where everything is in display space for one view: node centres and sizes, edge
polylines and arrowheads, what is near the view (issue 19: split from artists.py).

Made once per draw and per pan (a pan makes a new view) with numpy over every node and
edge; an edge's polyline only when something draws it. It takes a :class:`Scene` (the
graph's numbers) and a :class:`Viewport` (where they are seen), never the canvas: a
test builds one from a figure's axes alone.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.transforms import Bbox

from gui.canvas.scene import ARROW_HALF_WIDTH, ARROW_LENGTH, MAX_TEXT_ZOOM, Scene


@dataclass(frozen=True)
class Viewport:
    """Where the layers draw: ``figure``'s axes, seen through ``transform`` (world points
    to display pixels: the axes' ``transData``, which follows their limits) and clipped
    to ``box`` (the axes' display box, as live); text is drawn at no zoom below
    ``min_text_zoom`` (gui.canvas.view.View.min_text_zoom, read when it was made)."""

    figure: Any
    transform: Any
    box: Any
    min_text_zoom: float = 0.0

    @classmethod
    def of_axes(cls, ax, min_text_zoom: float = 0.0) -> Viewport:
        return cls(ax.figure, ax.transData, ax.bbox, min_text_zoom)


class Geometry:
    """Where everything is in display space for one draw (one renderer, one view).

    The view maps world points to pixels with one scale ``k`` (equal aspect): node
    shapes follow it, texts too up to MAX_TEXT_ZOOM, so the placement made at zoom 1
    stays free of overlaps at every zoom where text is drawn.
    """

    def __init__(self, scene: Scene, view: Viewport, renderer):
        self.scene, self.transform = scene, view.transform
        self.renderer = renderer
        self.ppt = renderer.points_to_pixels(1.0)
        self.centres = view.transform.transform(scene.pos) if len(scene.pos) else scene.pos
        (x0, _), (x1, _) = view.transform.transform([(0.0, 0.0), (1.0, 0.0)])
        self.k = abs(x1 - x0)
        self.zoom = self.k / self.ppt
        self.text_zoom = min(max(self.zoom, view.min_text_zoom), MAX_TEXT_ZOOM)
        self.show_text = self.zoom >= view.min_text_zoom - 1e-9
        self.scale = min(self.zoom, MAX_TEXT_ZOOM)
        self.half = scene.half_pt * self.k
        self.radius = scene.radius_pt * self.k
        box = view.box
        self.view = (box.x0, box.y0, box.x1, box.y1)
        pad = 60 * self.ppt
        c = self.centres
        self.in_view = ((c[:, 0] > box.x0 - pad) & (c[:, 0] < box.x1 + pad)
                        & (c[:, 1] > box.y0 - pad) & (c[:, 1] < box.y1 + pad))
        self.bent: list[int] = []
        self.edge_lines = self._edges(scene)
        #: highlight outlines by key, made on first use (see blit.Blitter.highlight_geometry)
        self.highlights: dict[int, tuple] = {}
        self._edge_boxes = self._name_boxes = None
        if len(scene.edges):
            mid = view.transform.transform(scene.edge_mid_world)
            self.edge_mids = mid
            self.edge_in_view = ((mid[:, 0] > box.x0) & (mid[:, 0] < box.x1)
                                 & (mid[:, 1] > box.y0) & (mid[:, 1] < box.y1))
        else:
            self.edge_mids = np.zeros((0, 2))
            self.edge_in_view = np.zeros(0, bool)

    def _boundary(self, node: np.ndarray, direction: np.ndarray, circle: np.ndarray) -> np.ndarray:
        """Distance from the centre to the border of each node along ``direction``."""
        half = self.half[node]
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.minimum(half[:, 0] / np.abs(direction[:, 0]),
                           half[:, 1] / np.abs(direction[:, 1]))
        return np.where(circle[node], self.radius[node], t) + 1.5 * self.ppt

    def _edges(self, scene: Scene) -> EdgeLines | list:
        """Each edge as a polyline that starts and ends at the node borders."""
        n_edges = len(scene.edges)
        if not n_edges:
            self.heads = np.zeros((0, 3, 2))
            return []
        transform = self.transform.transform
        c = self.centres
        src, dst = scene.edge_src, scene.edge_dst
        p0, p2 = c[src], c[dst]
        after0, before2 = transform(scene.edge_after0), transform(scene.edge_before2)
        u0 = after0 - p0
        u0 /= np.maximum(np.hypot(u0[:, 0], u0[:, 1]), 1e-9)[:, None]
        u2 = p2 - before2
        u2 /= np.maximum(np.hypot(u2[:, 0], u2[:, 1]), 1e-9)[:, None]
        circle = scene.is_op
        start = p0 + u0 * self._boundary(src, u0, circle)[:, None]
        tip = p2 - u2 * self._boundary(dst, u2, circle)[:, None]
        arrow = ARROW_LENGTH * self.ppt * max(self.scale, 0.5)
        base = tip - u2 * arrow
        wing = np.stack([-u2[:, 1], u2[:, 0]], axis=1) * (ARROW_HALF_WIDTH * self.ppt
                                                           * max(self.scale, 0.5))
        self.heads = np.stack([tip, base + wing, base - wing], axis=1)
        end = base + u2 * 0.5
        self._starts, self._ends = start, end
        bent, inner, cuts = scene.inner_points
        self.bent = bent
        if len(bent):  # curves and routes: their inner points as well, one transform
            inner = transform(inner)
            self._inner = (inner, cuts)
        return EdgeLines(start, end, bent, inner, cuts)

    def edge_boxes(self) -> tuple[np.ndarray, np.ndarray]:
        """Each edge's display box (low corners, high corners), its arrowhead's tip and
        wings in it (a strip or tile that holds only the head draws it too), made once
        per view."""
        if self._edge_boxes is None:
            lo = np.minimum(np.minimum(self._starts, self._ends), self.heads.min(axis=1))
            hi = np.maximum(np.maximum(self._starts, self._ends), self.heads.max(axis=1))
            bent = np.asarray(self.bent, int)
            if len(bent):  # curves and routes: every point counts
                inner, cuts = self._inner
                lo[bent] = np.minimum(lo[bent], np.minimum.reduceat(inner, cuts[:-1]))
                hi[bent] = np.maximum(hi[bent], np.maximum.reduceat(inner, cuts[:-1]))
            self._edge_boxes = (lo, hi)
        return self._edge_boxes

    def boxes_near(self, view: Bbox, pad: float = 8.0) -> np.ndarray:
        """Nodes whose box (and its border) reaches into ``view``."""
        c, half = self.centres, self.half
        return ((c[:, 0] + half[:, 0] >= view.x0 - pad) & (c[:, 0] - half[:, 0] <= view.x1 + pad)
                & (c[:, 1] + half[:, 1] >= view.y0 - pad)
                & (c[:, 1] - half[:, 1] <= view.y1 + pad))

    def texts_near(self, view: Bbox, pad: float = 8.0) -> np.ndarray:
        """Nodes whose texts (in the node's box, the name beside it) may reach into
        ``view``: the places were made for the largest text, so they hold it."""
        near = self.boxes_near(view, pad)
        names = self.scene.name_pos
        if names:
            if self._name_boxes is None:
                nodes = np.fromiter(names, int, len(names))
                place = np.array(list(names.values()), float).reshape(-1, 4)
                lo = self.transform.transform(place[:, :2] - place[:, 2:] / 2)
                hi = self.transform.transform(place[:, :2] + place[:, 2:] / 2)
                self._name_boxes = (nodes, lo, hi)
            nodes, lo, hi = self._name_boxes
            hit = ((hi[:, 0] >= view.x0 - pad) & (lo[:, 0] <= view.x1 + pad)
                   & (hi[:, 1] >= view.y0 - pad) & (lo[:, 1] <= view.y1 + pad))
            near[nodes[hit]] = True
        return near

    def moved(self, dx: int, dy: int) -> Geometry:
        """This geometry after a pan by whole display pixels at the same zoom: every
        display point shifted, not the whole graph transformed again (issue 19; pan.py).
        A display-space attribute added above must be shifted here too."""
        g, d = copy.copy(self), np.array([dx, dy], float)
        g.centres, g.heads, g.edge_mids = self.centres + d, self.heads + d, self.edge_mids + d
        g.highlights = {}
        b = self.view
        pad = 60 * self.ppt
        c = g.centres
        g.in_view = ((c[:, 0] > b[0] - pad) & (c[:, 0] < b[2] + pad)
                     & (c[:, 1] > b[1] - pad) & (c[:, 1] < b[3] + pad))
        m = g.edge_mids
        g.edge_in_view = (m[:, 0] > b[0]) & (m[:, 0] < b[2]) & (m[:, 1] > b[1]) & (m[:, 1] < b[3])
        if len(self.edge_lines):
            g._starts, g._ends = self._starts + d, self._ends + d
            inner, cuts = self._inner if self.bent else (np.zeros((0, 2)), np.zeros(1, int))
            g._inner = (inner + d, cuts)
            g.edge_lines = EdgeLines(g._starts, g._ends, self.bent, inner + d, cuts)
        if self._edge_boxes is not None:
            g._edge_boxes = (self._edge_boxes[0] + d, self._edge_boxes[1] + d)
        if self._name_boxes is not None:
            nodes, lo, hi = self._name_boxes
            g._name_boxes = (nodes, lo + d, hi + d)
        return g

    def node_box(self, node: int, pad: float = 0.0) -> tuple[float, float, float, float]:
        (x, y), (hw, hh) = self.centres[node], self.half[node] + pad
        return (x - hw, y - hh, x + hw, y + hh)


class EdgeLines:
    """Each edge's polyline in display pixels (``lines[e]``), made when first asked:
    a view draws a few of a big graph's edges, and a pan makes a new view."""

    def __init__(self, start: np.ndarray, end: np.ndarray, bent: list[int],
                 inner: np.ndarray, cuts: np.ndarray):
        self._start, self._end, self._inner = start, end, inner
        spans = zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True) if len(bent) else ()
        self._spans = dict(zip(bent, spans, strict=True))  # a bent edge: its inner points
        self._made: dict[int, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self._start)

    def __getitem__(self, e) -> np.ndarray:
        e = int(e)
        line = self._made.get(e)
        if line is None:
            span = self._spans.get(e)
            if span is None:
                line = np.stack([self._start[e], self._end[e]])
            else:
                line = np.concatenate([self._start[e][None], self._inner[span[0]:span[1]],
                                       self._end[e][None]])
            self._made[e] = line
        return line

