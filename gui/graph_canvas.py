"""The computational graph on a matplotlib canvas: drawn once, then updated step by step.

Two artists draw everything:

* :class:`_GraphLayer` (static) - edges, arrowheads, node shapes, node texts and names.
  Geometry is computed in display space at draw time with numpy (one ``draw_path`` per
  style, not one patch per edge), so node shapes keep their size in points while the
  view zooms; texts outside the view are neither created nor drawn.
* :class:`_DynamicLayer` (``animated``) - values, gradients, local-gradient edge labels
  and the current-step highlight. On screen it is drawn after the static background has
  been copied; a step restores the background only where something changed, redraws the
  few dynamic labels there and blits those rectangles. ``savefig`` draws it as usual.

A step therefore costs time in proportion to what changed, not to the graph's size.
"""

from __future__ import annotations

import math
import threading
import time
import weakref
from collections.abc import Iterable
from pathlib import Path as FilePath

import numpy as np

import gui.matplotlib_setup  # noqa: F401  (before any other matplotlib import)

# isort: split
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.transforms import Bbox, IdentityTransform, ScaledTranslation
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QPoint, Qt, QTimer, Signal

from core.format import format_value, full_precision
from core.layout import layered_layout, node_keys
from core.trace import BackwardStep, KnownState, LocalGradientStep, Step, Trace
from gui import fonts

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
#: a gradient label sums at most this many contributions (the rest become "…"): a
#: parameter used 10,000 times would otherwise get a label too long to draw or read
MAX_TERMS = 6
#: edge labels longer than this many characters go on two lines
WRAP_EDGE_LABEL = 24
#: paste texts from rasters made once (off: draw every text, for comparison in tests)
TEXT_CACHE = True

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


def _rounded_template(points_per_corner: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """Signs and unit arc offsets of a rounded box, counter-clockwise from the right."""
    signs, arcs = [], []
    corners = ((1, 1, 0.0), (-1, 1, 0.5 * math.pi), (-1, -1, math.pi), (1, -1, 1.5 * math.pi))
    for sx, sy, start in corners:
        for k in range(points_per_corner):
            angle = start + 0.5 * math.pi * k / (points_per_corner - 1)
            signs.append((sx, sy))
            arcs.append((math.cos(angle), math.sin(angle)))
    return np.array(signs, float), np.array(arcs, float)


_SIGNS, _ARCS = _rounded_template()


def rounded_boxes(centres: np.ndarray, half: np.ndarray, radius: np.ndarray) -> Path:
    """One compound path of rounded boxes (a circle is a box with radius = half size)."""
    if len(centres) == 0:
        return Path(np.zeros((0, 2)))
    core = np.maximum(half - radius[:, None], 0.0)
    verts = (centres[:, None, :] + _SIGNS[None] * core[:, None, :]
             + radius[:, None, None] * _ARCS[None])
    m = len(_SIGNS)
    verts = np.concatenate([verts, verts[:, :1]], axis=1).reshape(-1, 2)
    codes = np.full((len(centres), m + 1), Path.LINETO, dtype=Path.code_type)
    codes[:, 0] = Path.MOVETO
    codes[:, -1] = Path.CLOSEPOLY
    return Path(verts, codes.reshape(-1))


def _polylines(lines: list[np.ndarray]) -> Path:
    if not lines:
        return Path(np.zeros((0, 2)))
    verts = np.concatenate(lines)
    codes = np.full(len(verts), Path.LINETO, dtype=Path.code_type)
    starts = np.cumsum([0] + [len(line) for line in lines[:-1]])
    codes[starts] = Path.MOVETO
    return Path(verts, codes)


class _Geometry:
    """Where everything is in display space for one draw (one renderer, one view)."""

    def __init__(self, canvas: GraphCanvas, renderer):
        ax = canvas.ax
        self.renderer = renderer
        self.ppt = renderer.points_to_pixels(1.0)
        self.centres = ax.transData.transform(canvas.pos) if len(canvas.pos) else canvas.pos
        (x0, y0), (x1, y1) = ax.transData.transform([(0.0, 0.0), (1.0, 1.0)])
        comfort = min(abs(x1 - x0) / (COMFORT_X * self.ppt),
                      abs(y1 - y0) / (COMFORT_Y * self.ppt))
        self.scale = min(1.0, max(0.18, comfort / 0.9))
        self.show_text = comfort >= TEXT_SCALE
        self.half = canvas.half_pt * self.ppt * self.scale
        self.radius = canvas.radius_pt * self.ppt * self.scale
        box = ax.bbox
        self.view = (box.x0, box.y0, box.x1, box.y1)
        pad = 60 * self.ppt
        c = self.centres
        self.in_view = ((c[:, 0] > box.x0 - pad) & (c[:, 0] < box.x1 + pad)
                        & (c[:, 1] > box.y0 - pad) & (c[:, 1] < box.y1 + pad))
        self.edge_lines = self._edges(canvas)
        #: highlight outlines by key, made on first use (see GraphCanvas._highlight_geometry)
        self.highlights: dict[int, tuple] = {}
        if len(canvas.edges):
            mid = 0.5 * (c[canvas.edge_src] + c[canvas.edge_dst])
            for e, point in self.curve_mids.items():
                mid[e] = point
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

    def _edges(self, canvas: GraphCanvas) -> list[np.ndarray]:
        """Each edge as a polyline that starts and ends at the node borders."""
        self.curve_mids: dict[int, np.ndarray] = {}
        n_edges = len(canvas.edges)
        if not n_edges:
            self.heads = np.zeros((0, 3, 2))
            return []
        c = self.centres
        src, dst = canvas.edge_src, canvas.edge_dst
        p0, p2 = c[src], c[dst]
        d = p2 - p0
        length = np.hypot(d[:, 0], d[:, 1])
        length[length == 0] = 1.0
        normal = np.stack([-d[:, 1], d[:, 0]], axis=1) / length[:, None]
        bend = canvas.edge_bend
        p1 = 0.5 * (p0 + p2) + normal * (bend * CURVE_BEND * length)[:, None]
        u0 = p1 - p0
        u0 /= np.maximum(np.hypot(u0[:, 0], u0[:, 1]), 1e-9)[:, None]
        u2 = p2 - p1
        u2 /= np.maximum(np.hypot(u2[:, 0], u2[:, 1]), 1e-9)[:, None]
        circle = canvas.is_op
        start = p0 + u0 * self._boundary(src, u0, circle)[:, None]
        tip = p2 - u2 * self._boundary(dst, u2, circle)[:, None]
        arrow = ARROW_LENGTH * self.ppt * max(self.scale, 0.5)
        base = tip - u2 * arrow
        wing = np.stack([-u2[:, 1], u2[:, 0]], axis=1) * (ARROW_HALF_WIDTH * self.ppt
                                                           * max(self.scale, 0.5))
        self.heads = np.stack([tip, base + wing, base - wing], axis=1)
        end = base + u2 * 0.5
        lines = list(np.stack([start, end], axis=1))
        ts = np.linspace(0.0, 1.0, 14)[:, None]
        for e in np.flatnonzero(bend):
            ctrl = p1[e]
            curve = ((1 - ts) ** 2 * start[e] + 2 * (1 - ts) * ts * ctrl + ts ** 2 * end[e])
            lines[e] = curve
            self.curve_mids[int(e)] = 0.25 * start[e] + 0.5 * ctrl + 0.25 * end[e]
        return lines

    def node_box(self, node: int, pad: float = 0.0) -> tuple[float, float, float, float]:
        (x, y), (hw, hh) = self.centres[node], self.half[node] + pad
        return (x - hw, y - hh, x + hw, y + hh)


class _GraphLayer(Artist):
    """Edges, arrowheads, node shapes, node texts: everything a step never changes."""

    zorder = 1

    def __init__(self, canvas: GraphCanvas):
        super().__init__()
        self.canvas = canvas

    def draw(self, renderer) -> None:
        canvas = self.canvas
        if not self.get_visible() or canvas.trace is None:
            return
        geometry = _Geometry(canvas, renderer)
        canvas.geometry = geometry
        canvas.place_curve_labels()
        colours = canvas.colours
        ax = canvas.ax
        renderer.open_group("graph", gid=self.get_gid())
        gc = renderer.new_gc()
        gc.set_clip_rectangle(ax.bbox)
        gc.set_joinstyle("round")
        gc.set_capstyle("butt")
        view = Bbox.from_extents(*geometry.view)
        lines = geometry.edge_lines
        if lines:
            box_lo = np.array([line.min(axis=0) for line in lines])
            box_hi = np.array([line.max(axis=0) for line in lines])
            seen = ((box_hi[:, 0] >= view.x0) & (box_lo[:, 0] <= view.x1)
                    & (box_hi[:, 1] >= view.y0) & (box_lo[:, 1] <= view.y1))
            width = max(0.6, 1.4 * geometry.scale)
            for needed, colour, dashes in ((True, colours["edge"], None),
                                           (False, colours["not_needed"], (0, [4.0, 3.0]))):
                chosen = np.flatnonzero(seen & (canvas.edge_needed == needed))
                if not len(chosen):
                    continue
                gc.set_foreground(colour)
                gc.set_linewidth(width)
                gc.set_dashes(*(dashes or (0, None)))
                renderer.draw_path(gc, _polylines([lines[e] for e in chosen]),
                                   IdentityTransform())
                heads = geometry.heads[chosen]
                gc.set_dashes(0, None)
                gc.set_linewidth(0.5)
                verts = np.concatenate([heads, heads[:, :1]], axis=1).reshape(-1, 2)
                codes = np.tile([Path.MOVETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY],
                                len(heads)).astype(Path.code_type)
                path = Path(verts, codes)
                renderer.draw_path(gc, path, IdentityTransform(), _rgba(colour))
        for kind in ("operation", "data", "parameter", "constant"):
            chosen = np.flatnonzero(geometry.in_view & (canvas.kind == kind))
            if not len(chosen):
                continue
            gc.set_foreground(colours[f"{kind}_edge"])
            gc.set_linewidth(max(0.6, BORDER[kind] * geometry.scale))
            gc.set_dashes(0, None)
            path = rounded_boxes(geometry.centres[chosen], geometry.half[chosen],
                                 geometry.radius[chosen])
            renderer.draw_path(gc, path, IdentityTransform(), _rgba(colours[f"{kind}_face"]))
        gc.restore()
        if geometry.show_text:
            for node in np.flatnonzero(geometry.in_view):
                for text in canvas.static_texts(int(node)):
                    text.draw(renderer)
        renderer.close_group("graph")
        self.stale = False


class _DynamicLayer(Artist):
    """Values, gradients, local gradients and the highlight: what a step changes."""

    zorder = 5

    def __init__(self, canvas: GraphCanvas):
        super().__init__()
        self.canvas = canvas
        self.set_animated(True)

    def draw(self, renderer) -> None:
        if not self.get_visible() or self.canvas.trace is None:
            return
        self.canvas.draw_dynamic(renderer, None)
        self.stale = False


class _CachedText(Text):
    """A Text that Agg renders once into a small image and then only pastes.

    The same label is drawn on every full redraw and again by every blit around it;
    laying out and rasterising glyphs costs ~1 ms a text, pasting a few µs. Vector
    backends (SVG, PDF) draw the real text.
    """

    cache: dict | None = None  # set per canvas

    def draw(self, renderer) -> None:
        if (self.cache is None or not TEXT_CACHE or not isinstance(renderer, RendererAgg)
                or not self.get_visible() or not self.get_text()):
            super().draw(renderer)
            return
        x, y = self.get_transform().transform(self.get_unitless_position())
        if not (math.isfinite(x) and math.isfinite(y)):
            return
        key = (id(self), renderer.dpi)
        entry = self.cache.get(key)
        if entry is None:
            entry = self.cache[key] = self._rasterise(renderer, x, y)
        image, dx, dy = entry
        # one graphics context per renderer: making one costs more than pasting the image
        gc = getattr(renderer, "_pasting_gc", None)
        if gc is None:
            gc = renderer._pasting_gc = renderer.new_gc()
        clip = self.get_clip_box() if self.get_clip_on() else None
        gc.set_clip_rectangle(clip)
        renderer.draw_image(gc, round(x) + dx, round(y) + dy, image)

    def cached_extent(self, renderer) -> tuple[float, float, float, float] | None:
        """The extent of the raster if it has been made, else None (nothing is made)."""
        if self.cache is None or not TEXT_CACHE:
            return None
        entry = self.cache.get((id(self), renderer.dpi))
        if not entry:
            return None
        x, y = self.get_transform().transform(self.get_unitless_position())
        image, dx, dy = entry
        x0, y0 = round(x) + dx, round(y) + dy
        return (x0, y0, x0 + image.shape[1], y0 + image.shape[0])

    def pixel_extent(self, renderer) -> tuple[float, float, float, float]:
        """Display extent of the text and its background box (the raster, when made)."""
        entry = None
        if self.cache is not None and TEXT_CACHE and isinstance(renderer, RendererAgg):
            self.prepare(renderer)  # the same extent whether it was pasted before or not
            entry = self.cache[(id(self), renderer.dpi)]
        if entry:
            x, y = self.get_transform().transform(self.get_unitless_position())
            image, dx, dy = entry
            x0, y0 = round(x) + dx, round(y) + dy
            return (x0, y0, x0 + image.shape[1], y0 + image.shape[0])
        box = self.get_window_extent(renderer)
        patch = self.get_bbox_patch()
        if patch is not None:
            self.update_bbox_position_size(renderer)
            box = Bbox.union([box, patch.get_window_extent(renderer)])
        return box.extents

    def prepare(self, renderer) -> None:
        """Rasterise now (in idle time) so that the first real draw only pastes."""
        key = (id(self), renderer.dpi)
        if self.cache is not None and key not in self.cache:
            x, y = self.get_transform().transform(self.get_unitless_position())
            self.cache[key] = self._rasterise(renderer, x, y)

    def _rasterise(self, renderer, x: float, y: float):
        box = self.get_window_extent(renderer)
        patch = self.get_bbox_patch()
        if patch is not None:
            self.update_bbox_position_size(renderer)
            box = Bbox.union([box, patch.get_window_extent(renderer)])
        x0, y0 = math.floor(box.x0) - 2, math.floor(box.y0) - 2
        width, height = math.ceil(box.x1) + 2 - x0, math.ceil(box.y1) + 2 - y0
        local = RendererAgg(width, height, renderer.dpi)
        transform, position, clip = self.get_transform(), self.get_position(), self.get_clip_on()
        try:
            self.set_transform(IdentityTransform())
            self.set_position((x - x0, y - y0))
            self.set_clip_on(False)
            Text.draw(self, local)
        finally:
            self.set_transform(transform)
            self.set_position(position)
            self.set_clip_on(clip)
        # the buffer's first row is the top; draw_image wants the bottom row first
        image = np.array(local.buffer_rgba()[::-1], copy=True)
        return image, x0 - round(x), y0 - round(y)


class _LegendLayer(Artist):
    """A one-line legend in the strip under the graph, drawn from cached texts."""

    zorder = 10

    def __init__(self, canvas: GraphCanvas):
        super().__init__()
        self.canvas = canvas
        self.entries: list[tuple[str, str, Text, Text]] = []  # marker, role, long, short
        self._widths: dict[tuple[int, float], list[float]] = {}

    def draw(self, renderer) -> None:
        if not self.get_visible() or not self.entries:
            return
        ppt = renderer.points_to_pixels(1.0)
        figure = self.canvas.figure.bbox
        y = figure.y0 + figure.height * LEGEND_HEIGHT / 2
        marker, gap, spacing = 16 * ppt, 5 * ppt, 14 * ppt

        def layout(which: int) -> tuple[list[Text], list[float], float]:
            texts = [entry[which] for entry in self.entries]
            key = (which, renderer.dpi)
            if key not in self._widths:  # measured once: the labels never change
                self._widths[key] = [t.get_window_extent(renderer).width for t in texts]
            widths = self._widths[key]
            total = sum(widths) + len(widths) * (marker + gap) + (len(widths) - 1) * spacing
            return texts, widths, total

        texts, widths, total = layout(2)
        if total > figure.width - 8 * ppt:  # a narrow window: the short labels, closer
            spacing = 8 * ppt
            texts, widths, total = layout(3)
        x = figure.x0 + max(4 * ppt, (figure.width - total) / 2)
        colours = self.canvas.colours
        gc = renderer.new_gc()
        for (kind, role, *_), text, width in zip(self.entries, texts, widths, strict=True):
            centre = np.array([[x + marker / 2, y]])
            gc.set_dashes(0, None)
            if kind in ("box", "circle"):
                half = np.array([[7.0, 5.0]] if kind == "box" else [[5.5, 5.5]]) * ppt
                radius = np.array([2.0 if kind == "box" else 5.5]) * ppt
                gc.set_foreground(colours[f"{role}_edge"])
                gc.set_linewidth(BORDER[role] * 0.8)
                renderer.draw_path(gc, rounded_boxes(centre, half, radius), IdentityTransform(),
                                   _rgba(colours[f"{role}_face"]))
            elif kind == "square":
                gc.set_foreground(colours[role])
                gc.set_linewidth(0.5)
                half = np.array([[4.5, 4.5]]) * ppt
                renderer.draw_path(gc, rounded_boxes(centre, half, np.array([1.0 * ppt])),
                                   IdentityTransform(), _rgba(colours[role]))
            else:
                gc.set_foreground(colours[role])
                gc.set_linewidth(3.5 if kind == "line" else 1.2)
                if kind == "dashed":
                    gc.set_dashes(0, [4.0, 3.0])
                line = np.array([[x, y], [x + marker, y]])
                renderer.draw_path(gc, Path(line), IdentityTransform())
            text.set_position((x + marker + gap, y))
            text.draw(renderer)
            x += marker + gap + width + spacing
        gc.restore()
        self.stale = False


#: the legend: marker, colour role, long label, short label (for a narrow window);
#: QT_TRANSLATE_NOOP lets lupdate find the words, _tr looks them up when drawn
LEGEND = (
    ("box", "data", QT_TRANSLATE_NOOP("GraphCanvas", "data"),
     QT_TRANSLATE_NOOP("GraphCanvas", "data")),
    ("box", "parameter", QT_TRANSLATE_NOOP("GraphCanvas", "parameter"),
     QT_TRANSLATE_NOOP("GraphCanvas", "parameter")),
    ("box", "constant", QT_TRANSLATE_NOOP("GraphCanvas", "constant"),
     QT_TRANSLATE_NOOP("GraphCanvas", "constant")),
    ("circle", "operation", QT_TRANSLATE_NOOP("GraphCanvas", "operation"),
     QT_TRANSLATE_NOOP("GraphCanvas", "op")),
    ("square", "value", QT_TRANSLATE_NOOP("GraphCanvas", "value (above)"),
     QT_TRANSLATE_NOOP("GraphCanvas", "value")),
    ("square", "grad", QT_TRANSLATE_NOOP("GraphCanvas", "gradient ∂{0}/∂node (below)"),
     QT_TRANSLATE_NOOP("GraphCanvas", "gradient")),
    ("square", "local", QT_TRANSLATE_NOOP("GraphCanvas", "local gradient (on edge)"),
     QT_TRANSLATE_NOOP("GraphCanvas", "local")),
    ("line", "highlight", QT_TRANSLATE_NOOP("GraphCanvas", "current step"),
     QT_TRANSLATE_NOOP("GraphCanvas", "current")),
    ("dashed", "not_needed", QT_TRANSLATE_NOOP("GraphCanvas", "not needed"),
     QT_TRANSLATE_NOOP("GraphCanvas", "not needed")),
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("GraphCanvas", text)


def _rgba(colour: str) -> tuple[float, float, float, float]:
    from matplotlib.colors import to_rgba

    return to_rgba(colour)


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


class GraphCanvas(FigureCanvasQTAgg):
    """The graph of one trace; ``show_state`` reveals what is known at a position."""

    nodeClicked = Signal(int)

    def __init__(self, parent=None):
        fonts.register(defer_qt=True)  # Noto Sans SC, used once some text needs CJK glyphs
        figure = Figure(figsize=(12, 7), dpi=100)
        super().__init__(figure)
        if parent is not None:
            self.setParent(parent)
        self.setObjectName("graphCanvas")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.dark = False
        self.colours = LIGHT
        #: False: the legend stays English whatever the UI language (English exports)
        self.translate_legend = True
        self.ax = figure.add_axes((0.0, LEGEND_HEIGHT, 1.0, 1.0 - LEGEND_HEIGHT))
        self.ax.set_axis_off()
        self.ax.set_autoscale_on(False)
        self._graph_layer = _GraphLayer(self)
        self._dynamic_layer = _DynamicLayer(self)
        self.ax.add_artist(self._graph_layer)
        self.ax.add_artist(self._dynamic_layer)
        self._legend = _LegendLayer(self)
        self.figure.add_artist(self._legend)
        self.trace: Trace | None = None
        self.geometry: _Geometry | None = None
        self._background = None
        self._background_key = None
        self._drawn: dict[tuple[int, int], tuple[float, float, float, float]] = {}
        self._press: tuple[float, float, tuple] | None = None
        self._prefetch_scheduled = False
        self._panning = False
        self._reset_graph()
        self._build_legend()
        self._apply_theme()
        self.mpl_connect("draw_event", self._on_draw)
        self.mpl_connect("scroll_event", self._on_scroll)
        self.mpl_connect("button_press_event", self._on_press)
        self.mpl_connect("motion_notify_event", self._on_motion)
        self.mpl_connect("button_release_event", self._on_release)

    # ---- public API ------------------------------------------------------------

    def set_trace(self, trace: Trace) -> None:
        """Draw a new graph; nodes that were there before keep their places.

        A layout made beforehand by :meth:`layout_job` (in a worker thread) is used as is.
        """
        with _PREPARED_LOCK:
            arrays = _PREPARED.get(trace)
        if arrays is None:
            arrays = graph_arrays(trace, self.trace, self.pos)
        old_view = (self.ax.get_xlim(), self.ax.get_ylim()) if self.trace is not None else None
        had_graph = self.trace is not None and len(self.pos) > 0
        self._reset_graph()
        self.trace = trace
        for name, value in arrays.items():
            if name not in ("local_steps", "backward_steps", "leaves"):
                setattr(self, name, value)
        self._local_steps = arrays["local_steps"]
        self._backward_steps = arrays["backward_steps"]
        self._shown[_VALUE] = set(arrays["leaves"])
        self._build_legend()
        if old_view is not None and had_graph and self._fits(*old_view):
            self.ax.set_xlim(*old_view[0])
            self.ax.set_ylim(*old_view[1])
        else:
            self._initial_view()
        self._invalidate()

    def layout_job(self):
        """For a worker thread: a function that lays out a trace for this canvas ahead of
        :meth:`set_trace` (only numpy and Python: no artists, no widgets)."""
        before, before_pos = self.trace, self.pos

        def job(trace: Trace) -> None:
            arrays = graph_arrays(trace, before, before_pos)
            with _PREPARED_LOCK:
                _PREPARED[trace] = arrays

        return job

    def show_state(self, known: KnownState, current: Step | None) -> None:
        """Show what is known at a position; redraw only what changed."""
        if self.trace is None:
            return
        wanted = {
            _VALUE: set(known.values),
            _GRAD: set(known.grads),
            _LOCAL: self._edge_keys(known.local),
            _HIGHLIGHT: self._highlight_keys(current),
        }
        changed: list[tuple[int, int]] = []
        for layer, keys in wanted.items():
            shown = self._shown[layer]
            changed.extend((layer, k) for k in shown - keys)
            changed.extend((layer, k) for k in keys - shown)
            self._shown[layer] = keys
        if not changed:
            return
        if not self._can_blit():
            self.draw_idle()
            return
        regions = [self._drawn.pop(key) for key in changed if key in self._drawn]
        for key in changed:
            box = self._extent(key)
            if box is not None:
                self._drawn[key] = box  # drawn below, where its region is restored
                regions.append(box)
        self._blit_regions(regions)

    def retranslate(self) -> None:
        """The legend again in the current UI language (after a language switch)."""
        self._build_legend()
        self._invalidate()

    def _edge_keys(self, edges) -> set[int]:
        """Indices of ``edges`` (every trace edge has one: a C-level map, no Python loop)."""
        try:
            return set(map(self.edge_index.__getitem__, edges))
        except KeyError:
            return {self.edge_index[e] for e in edges if e in self.edge_index}

    def set_dark(self, dark: bool) -> None:
        self.dark = bool(dark)
        self.colours = DARK if self.dark else LIGHT
        self._apply_theme()
        self._invalidate()

    def fit_view(self) -> None:
        """Show the whole graph, as large as the comfortable spacing allows."""
        if self.trace is None:
            return
        self._set_view(*self._fit_scales(), *self._centre())
        self._invalidate()

    def zoom(self, factor: float, centre: tuple[float, float] | None = None) -> None:
        """Zoom in (factor > 1) or out around ``centre`` (data coords; default the middle)."""
        (x0, x1), (y0, y1) = self.ax.get_xlim(), self.ax.get_ylim()
        cx, cy = centre if centre is not None else ((x0 + x1) / 2, (y0 + y1) / 2)
        factor = float(factor)
        span = max(x1 - x0, 1e-9) / factor
        if not 0.05 < span < 1e5:
            return
        self.ax.set_xlim(cx - (cx - x0) / factor, cx + (x1 - cx) / factor)
        self.ax.set_ylim(cy - (cy - y0) / factor, cy + (y1 - cy) / factor)
        self._invalidate()

    def pan(self, dx_pixels: float, dy_pixels: float) -> None:
        """Move the view by a number of pixels (positive: the graph moves right/up)."""
        (x0, x1), (y0, y1) = self.ax.get_xlim(), self.ax.get_ylim()
        box = self.ax.bbox
        dx = dx_pixels * (x1 - x0) / box.width
        dy = dy_pixels * (y1 - y0) / box.height
        self.ax.set_xlim(x0 - dx, x1 - dx)
        self.ax.set_ylim(y0 - dy, y1 - dy)
        self._invalidate()

    def export_image(self, path: str | FilePath) -> None:
        """Write the figure at the current position: PNG, SVG or PDF by the suffix."""
        suffix = FilePath(path).suffix.lower().lstrip(".")
        if suffix not in ("png", "svg", "pdf"):
            raise ValueError(f"cannot export to .{suffix}: use .png, .svg or .pdf")
        self.figure.savefig(path, format=suffix, facecolor=self.colours["bg"])
        self._invalidate()  # savefig used its own renderer; the screen needs a fresh one

    def visible_labels(self) -> list[str]:
        """The texts on the graph that are visible now (names, values, gradients, edges)."""
        if self.trace is None:
            return []
        texts: list[str] = []
        for node in range(len(self.trace.graph.nodes)):
            texts.extend(t.get_text() for t in self.static_texts(node))
        for key in self._dynamic_keys():
            if key[0] != _HIGHLIGHT:
                texts.append(self._dynamic_text(key).get_text())
        return texts

    def node_labels(self, node_id: int) -> dict[str, str | None]:
        """What a node shows now: ``{"value": …, "gradient": …}`` (None when hidden)."""
        return {
            "value": self._dynamic_text((_VALUE, node_id)).get_text()
            if node_id in self._shown[_VALUE] else None,
            "gradient": self._dynamic_text((_GRAD, node_id)).get_text()
            if node_id in self._shown[_GRAD] else None,
        }

    def edge_label(self, edge: tuple[int, int, int]) -> str | None:
        """The local-gradient label of ``(source, consumer, position)``, None when hidden."""
        index = self.edge_index.get(edge)
        if index is None or index not in self._shown[_LOCAL]:
            return None
        return self._dynamic_text((_LOCAL, index)).get_text()

    def highlighted(self) -> tuple[str, int] | None:
        """``("node", id)`` or ``("edge", index into self.edges)`` of the current step."""
        for key in self._shown[_HIGHLIGHT]:
            return ("node", key) if key >= 0 else ("edge", -key - 1)
        return None

    def step_in_view(self, step: Step | None) -> bool:
        """Whether the step's node or edge midpoint is inside the current view."""
        g = self.geometry
        if g is None or step is None:
            return False
        if step.node is not None:
            return bool(g.in_view[step.node])
        index = self.edge_index.get(step.edge)
        return index is not None and bool(g.edge_in_view[index])

    def node_at(self, x: float, y: float) -> int | None:
        """The node under display point (x, y) (matplotlib pixels, origin bottom left)."""
        g = self.geometry
        if g is None or self.trace is None or not len(self.pos):
            return None
        d = np.abs(g.centres - (x, y))
        inside = np.flatnonzero((d[:, 0] <= g.half[:, 0] + 2) & (d[:, 1] <= g.half[:, 1] + 2))
        if not len(inside):
            return None
        return int(inside[np.argmin(np.hypot(*d[inside].T))])

    def node_widget_pos(self, node: int) -> QPoint:
        """Where node ``node`` is on the widget (logical pixels), for clicks and tests."""
        if self.geometry is None:
            self.draw()
        x, y = self.geometry.centres[node]
        ratio = self.device_pixel_ratio
        return QPoint(round(x / ratio), round(self.height() - y / ratio))

    def node_tooltip(self, node_id: int) -> str:
        node = self.trace.graph.nodes[node_id]
        name = node.name or node.label
        lines = [f"{name} ({node.kind})"]
        if node.kind == "operation":
            lines.append(f"{name} = {self._forward_formula(node_id)}")
        if node_id in self._shown[_VALUE]:
            lines.append(f"value = {full_precision(node.value)}")
        else:
            lines.append("value: not computed yet")
        if node_id in self._shown[_GRAD]:
            out = self.trace.graph.output_node
            lines.append(f"∂{out.label}/∂{name} = {full_precision(self.trace.grads[node_id])}")
        return "\n".join(lines)

    # ---- artists ---------------------------------------------------------------

    def _reset_graph(self) -> None:
        self.trace = None
        self.geometry = None
        self.pos = np.zeros((0, 2))
        self.kind = np.array([], dtype=str)
        self.is_op = np.zeros(0, bool)
        self.half_pt = np.zeros((0, 2))
        self.radius_pt = np.zeros(0)
        self.edges: list[tuple[int, int, int]] = []
        self.edge_index: dict = {}
        self.edge_src = self.edge_dst = np.zeros(0, int)
        self.edge_needed = np.zeros(0, bool)
        self.edge_bend = np.zeros(0)
        self._static: dict[int, list[Text]] = {}
        self._texts: dict[tuple[int, int], Text] = {}
        self._shown: dict[int, set[int]] = {_VALUE: set(), _GRAD: set(), _LOCAL: set(),
                                            _HIGHLIGHT: set()}
        self._drawn = {}
        self._offsets: dict[tuple[float, float], object] = {}
        self._raster_cache: dict = {}
        self._prefetch_queue = iter(())

    def _offset(self, dx: float, dy: float):
        """transData shifted by (dx, dy) points; shared by all texts with that offset."""
        key = (round(dx, 2), round(dy, 2))
        if key not in self._offsets:
            self._offsets[key] = self.ax.transData + ScaledTranslation(
                dx / 72, dy / 72, self.figure.dpi_scale_trans)
        return self._offsets[key]

    def _make_text(self, x: float, y: float, text: str, transform=None, **kwargs) -> Text:
        kwargs.setdefault("clip_on", True)
        if not fonts.cjk_in_use() and fonts.needs_cjk(text):
            fonts.use_cjk()  # before the Text is made: it reads the family list then
        artist = _CachedText(x, y, text, **kwargs)
        artist.cache = self._raster_cache
        artist.set_figure(self.figure)
        artist.set_transform(transform if transform is not None else self.ax.transData)
        artist.set_clip_box(self.ax.bbox)
        return artist

    _leaf_text = staticmethod(_leaf_text)

    def static_texts(self, node_id: int) -> list[Text]:
        """The node's own text and, for named results, its name beside it (made on demand)."""
        if node_id in self._static:
            return self._static[node_id]
        node = self.trace.graph.nodes[node_id]
        x, y = self.pos[node_id]
        colours = self.colours
        texts = []
        if node.kind == "operation":
            symbol = node.symbol
            size = (18.0 if symbol in ("²", "³") else 14.0 if len(symbol) == 1
                    else 10.5 if len(symbol) <= 3 else 8.5)
            texts.append(self._make_text(x, y, symbol, ha="center", va="center_baseline",
                                         fontsize=size, color=colours["fg"]))
            if node.name:
                texts.append(self._make_text(
                    x, y, node.name, self._offset(OP_RADIUS + 1.6, 0.0), ha="left",
                    va="center_baseline", fontsize=NAME_FONT, color=colours["fg"],
                    fontweight="bold" if node.id == self.trace.graph.output else "normal",
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": colours["bg"],
                          "edgecolor": "none", "alpha": 0.9}))
        else:
            weight = "bold" if node.kind == "parameter" else "normal"
            texts.append(self._make_text(x, y, self._leaf_text(node), ha="center",
                                         va="center_baseline", fontsize=FONT[node.kind],
                                         color=colours["fg"], fontweight=weight))
        self._static[node_id] = texts
        return texts

    def _dynamic_text(self, key: tuple[int, int]) -> Text:
        """The value / gradient / edge label of ``key`` (made on first use)."""
        text = self._texts.get(key)
        if text is not None:
            return text
        layer, index = key
        colours = self.colours
        box = {"boxstyle": "round,pad=0.12", "facecolor": colours["bg"], "edgecolor": "none",
               "alpha": 0.85}
        if layer == _LOCAL:
            edge = self.edges[index]
            step = self._local_steps.get(edge)
            value = self.trace.local[edge]
            formula = step.formula if step is not None else ""
            if value is None:  # a matmul's (a VJP-only op's) rule: no single number
                number = step.substituted if step is not None else ""
                formula, label = "", f"{formula} {number}".strip()
            else:
                number = format_value(value)
                label = number if formula in ("", number) else f"{formula} = {number}"
            if len(label) > WRAP_EDGE_LABEL and formula not in ("", number):
                label = f"{formula}\n= {number}"  # two short lines fit between two layers
            x, y = self._edge_mid_data(index)
            box = dict(box, alpha=0.92)
            text = self._make_text(x, y, label, ha="center", va="center_baseline",
                                   fontsize=EDGE_FONT, color=colours["local"], bbox=box)
        else:
            node = self.trace.graph.nodes[index]
            x, y = self.pos[index]
            dy = self.half_pt[index, 1] + LABEL_GAP
            if layer == _VALUE:
                label = format_value(node.value)
                text = self._make_text(x, y, label, self._offset(0.0, dy), ha="center",
                                       va="bottom", fontsize=LABEL_FONT,
                                       color=colours["value"], fontweight="bold", bbox=box)
            else:
                label = self._gradient_text(index)
                text = self._make_text(x, y, label, self._offset(0.0, -dy), ha="center",
                                       va="top", fontsize=LABEL_FONT, color=colours["grad"],
                                       fontweight="bold", bbox=box)
        self._texts[key] = text
        return text

    def _gradient_text(self, node_id: int) -> str:
        total = format_value(self.trace.grads[node_id])
        step = self._backward_steps.get(node_id)
        if step is None or len(step.contributions) < 2:
            return total
        contributions = step.contributions
        if len(contributions) > MAX_TERMS:  # a node used thousands of times: first, last
            contributions = [*contributions[:MAX_TERMS - 2], None, contributions[-1]]
        terms = [format_value(c.value) if c is not None else "…" for c in contributions]
        terms = [f"({t})" if t.startswith("−") else t for t in terms]
        return f"{' + '.join(terms)} = {total}"

    def _forward_formula(self, node_id: int) -> str:
        for step in self.trace.steps:
            if getattr(step, "node", None) == node_id and step.phase == "forward":
                return step.formula
        return self.trace.graph.nodes[node_id].label

    def _edge_mid_data(self, index: int) -> tuple[float, float]:
        """The middle of an edge in data coordinates (of the drawn curve, when curved)."""
        g = self.geometry
        if self.edge_bend[index] and g is not None and index in g.curve_mids:
            x, y = self.ax.transData.inverted().transform(g.curve_mids[index])
            return float(x), float(y)
        s, t = self.edge_src[index], self.edge_dst[index]
        x, y = 0.5 * (self.pos[s] + self.pos[t])
        return float(x), float(y)

    def place_curve_labels(self) -> None:
        """Curves bend in display space: put their labels on them again for this view."""
        for index in self.geometry.curve_mids:
            text = self._texts.get((_LOCAL, index))
            if text is not None:
                text.set_position(self._edge_mid_data(index))

    def _highlight_keys(self, current: Step | None) -> set[int]:
        if current is None:
            return set()
        if current.node is not None:
            return {current.node}
        if current.edge is not None and current.edge in self.edge_index:
            return {-self.edge_index[current.edge] - 1}
        return set()

    def _dynamic_keys(self) -> list[tuple[int, int]]:
        """Everything the dynamic layer shows now, in drawing order."""
        return sorted(((layer, k) for layer, keys in self._shown.items() for k in keys),
                      key=_draw_order)

    def _visible_now(self, key: tuple[int, int]) -> bool:
        """Shown, and inside the view at a zoom where texts are drawn."""
        g = self.geometry
        layer, index = key
        if g is None or index not in self._shown[layer]:
            return False
        if layer == _HIGHLIGHT:
            return True
        if not g.show_text:
            return False
        if layer == _LOCAL:
            return bool(g.edge_in_view[index])
        return bool(g.in_view[index])

    def draw_dynamic(self, renderer, keys: Iterable[tuple[int, int]] | None) -> None:
        """Draw the dynamic artists (all shown ones, or ``keys``), noting their extents."""
        if keys is None:
            keys = self._dynamic_keys()
            record = not self.is_saving()
        else:
            record = True
        for key in keys:
            if not self._visible_now(key):
                continue
            if key[0] == _HIGHLIGHT:
                self._draw_highlight(renderer, key[1])
            else:
                self._dynamic_text(key).draw(renderer)
            if record:
                box = self._extent(key, renderer)
                if box is not None:
                    self._drawn[key] = box

    def _highlight_geometry(self, key: int, g: _Geometry) -> tuple[Path, bool, float]:
        """The highlight's outline (made once per key and view: each step asks twice)."""
        cached = g.highlights.get(key)
        if cached is None:
            cached = g.highlights[key] = self._make_highlight(key, g)
        return cached

    def _make_highlight(self, key: int, g: _Geometry) -> tuple[Path, bool, float]:
        if key >= 0:
            pad = 3.0 * g.ppt
            path = rounded_boxes(g.centres[[key]], g.half[[key]] + pad, g.radius[[key]] + pad)
            return path, True, 3.0
        e = -key - 1
        line = g.edge_lines[e]
        head = g.heads[e]
        verts = np.concatenate([line, head[[0]]])
        return Path(verts), False, 4.5

    def _draw_highlight(self, renderer, key: int) -> None:
        g = self.geometry
        path, _, width = self._highlight_geometry(key, g)
        gc = renderer.new_gc()
        gc.set_clip_rectangle(self.ax.bbox)
        gc.set_foreground(self.colours["highlight"])
        gc.set_linewidth(width)
        gc.set_joinstyle("round")
        gc.set_capstyle("round")
        gc.set_alpha(0.95)
        renderer.draw_path(gc, path, IdentityTransform())
        gc.restore()
        name = self._name_over(key)
        if name is not None:  # the name sits on the wire: keep it readable on top
            name.draw(renderer)

    def _name_over(self, key: int) -> Text | None:
        """The name beside a highlighted node or edge source, which the highlight crosses."""
        if not self.geometry.show_text:
            return None
        source = key if key >= 0 else int(self.edge_src[-key - 1])
        if not self.is_op[source] or not self.geometry.in_view[source]:
            return None  # out of view the static layer does not draw it either
        texts = self.static_texts(source)
        return texts[1] if len(texts) > 1 else None

    def _extent(self, key: tuple[int, int], renderer=None) -> tuple | None:
        """Display extent of a dynamic artist if it is drawn now, padded for antialiasing."""
        if not self._visible_now(key):
            return None
        renderer = renderer or self.get_renderer()
        g = self.geometry
        if key[0] == _HIGHLIGHT:
            path, _, width = self._highlight_geometry(key[1], g)
            x0, y0 = path.vertices.min(axis=0)
            x1, y1 = path.vertices.max(axis=0)
            pad = width * g.ppt + 2
            name = self._name_over(key[1])
            if name is not None:  # its raster's extent when made: no text layout per step
                extent = name.cached_extent(renderer)
                if extent is None:  # not drawn yet (out of view): measure, don't rasterise
                    extent = name.get_window_extent(renderer).extents
                nx0, ny0, nx1, ny1 = extent
                x0, y0 = min(x0, nx0 - pad), min(y0, ny0 - pad)
                x1, y1 = max(x1, nx1 + pad), max(y1, ny1 + pad)
        else:
            x0, y0, x1, y1 = self._dynamic_text(key).pixel_extent(renderer)
            pad = 2.0
        return (x0 - pad, y0 - pad, x1 + pad, y1 + pad)

    # ---- drawing and blitting -------------------------------------------------------

    def _invalidate(self) -> None:
        self._background = None
        if self._draw_pending:
            # QtAgg's print_figure leaves the flag set and waits for a paint event
            self.update()
        else:
            self.draw_idle()

    def _on_draw(self, event) -> None:
        if event.canvas is not self or self.is_saving():
            return
        fonts.register_qt_soon()  # deferred from start-up: the window is painted now
        self._background = self.copy_from_bbox(self.figure.bbox)
        self._background_key = self._renderer_key()
        self._drawn = {}
        self.draw_dynamic(event.renderer, None)
        self._prefetch_queue = self._labels_to_come()
        if not self._prefetch_scheduled:
            self._prefetch_scheduled = True
            QTimer.singleShot(0, self._prefetch)

    def _labels_to_come(self):
        """Dynamic labels in view that later steps will show, in step order."""
        g, trace = self.geometry, self.trace
        if g is None or trace is None or not g.show_text:
            return iter(())
        keys = []
        for step in trace.steps:
            if step.node is not None and g.in_view[step.node]:
                keys.append((_GRAD if step.phase == "backward" else _VALUE, step.node))
                if getattr(step, "first", False):
                    keys.append((_GRAD, trace.graph.output))
            elif step.edge is not None and step.edge in self.edge_index:
                index = self.edge_index[step.edge]
                if g.edge_in_view[index]:
                    keys.append((_LOCAL, index))
        return iter(keys)

    @property
    def prefetching(self) -> bool:
        """True while labels of later steps are still being prepared in idle time."""
        return self._prefetch_scheduled

    def _prefetch(self) -> None:
        """Rasterise upcoming labels a few milliseconds at a time, between events."""
        self._prefetch_scheduled = False
        if self.trace is None or self._draw_pending:
            return
        renderer = self.get_renderer()
        deadline = time.perf_counter() + 0.008
        for key in self._prefetch_queue:
            self._dynamic_text(key).prepare(renderer)
            if time.perf_counter() > deadline:
                self._prefetch_scheduled = True
                QTimer.singleShot(0, self._prefetch)
                return

    def _renderer_key(self):
        w, h = self.figure.bbox.size
        return (w, h, self.figure.dpi)

    def _can_blit(self) -> bool:
        return (self._background is not None and self.geometry is not None
                and not self._draw_pending and self._background_key == self._renderer_key()
                and getattr(self, "renderer", None) is not None)

    def _blit_regions(self, boxes: list[tuple]) -> None:
        """Restore the background in ``boxes``, redraw the dynamic artists there, blit."""
        if not boxes:
            return
        width, height = self.figure.bbox.size
        regions = [list(b) for b in boxes]
        # grow and merge until every drawn artist touching a region lies inside it
        for _ in range(8):
            grown = False
            merged: list[list[float]] = []
            for r in regions:
                for m in merged:
                    if _overlap(r, m):
                        _union(m, r)
                        grown = True
                        break
                else:
                    merged.append(r)
            regions = merged
            for r in regions:
                for box in self._drawn.values():
                    if _overlap(r, box) and not _inside(box, r):
                        _union(r, box)
                        grown = True
            if not grown:
                break
        renderer = self.get_renderer()
        for r in regions:
            x0 = max(0, math.floor(r[0]))
            y0 = max(0, math.floor(r[1]))
            x1 = min(int(width), math.ceil(r[2]))
            y1 = min(int(height), math.ceil(r[3]))
            if x1 <= x0 or y1 <= y0:
                continue
            self.restore_region(self._background, bbox=(x0, height - y1, x1, height - y0),
                                xy=(0, 0))
            keys = [key for key, box in self._drawn.items() if _overlap(box, (x0, y0, x1, y1))]
            self.draw_dynamic(renderer, sorted(keys, key=_draw_order))
            self.blit(Bbox.from_extents(x0, y0, x1, y1))

    # ---- view ------------------------------------------------------------------------

    def _extent_data(self) -> tuple[float, float, float, float]:
        xs, ys = self.pos[:, 0], self.pos[:, 1]
        return float(xs.min()), float(xs.max()), float(ys.min()), float(ys.max())

    def _area(self) -> tuple[float, float]:
        box = self.ax.bbox
        ppt = self.figure.dpi / 72
        return (max(box.width - (MARGIN_LEFT + MARGIN_RIGHT) * ppt, 50.0),
                max(box.height - 2 * MARGIN_Y * ppt, 50.0))

    def _fit_scales(self) -> tuple[float, float]:
        """Pixels per layer and per row that fit the whole graph (at most comfortable)."""
        x0, x1, y0, y1 = self._extent_data()
        ppt = self.figure.dpi / 72
        w, h = self._area()
        sx = min(w / (x1 - x0) if x1 > x0 else math.inf, WIDEST_X * ppt)
        sy = min(h / (y1 - y0) if y1 > y0 else math.inf, WIDEST_Y * ppt)
        return sx, sy

    def _centre(self) -> tuple[float, float]:
        x0, x1, y0, y1 = self._extent_data()
        ppt = self.figure.dpi / 72
        sx, _ = self._fit_scales()
        # the names to the right of the nodes need more room than the boxes on the left
        shift = (MARGIN_RIGHT - MARGIN_LEFT) * ppt / 2 / sx
        return (x0 + x1) / 2 + shift, (y0 + y1) / 2

    def _set_view(self, sx: float, sy: float, cx: float, cy: float) -> None:
        box = self.ax.bbox
        half_w, half_h = box.width / sx / 2, box.height / sy / 2
        self.ax.set_xlim(cx - half_w, cx + half_w)
        self.ax.set_ylim(cy - half_h, cy + half_h)

    def _initial_view(self) -> None:
        """Fit when that stays readable; else a readable window at the start of the graph."""
        sx, sy = self._fit_scales()
        ppt = self.figure.dpi / 72
        readable_x, readable_y = 0.8 * COMFORT_X * ppt, 0.8 * COMFORT_Y * ppt
        if sx >= readable_x and sy >= readable_y:
            self._set_view(sx, sy, *self._centre())
            return
        x0, x1, y0, y1 = self._extent_data()
        cx, cy = self._centre()
        sx, sy = max(sx, readable_x), max(sy, readable_y)
        box = self.ax.bbox
        if sx < readable_x * 1.01 and x1 > x0:  # too wide: start at the inputs
            cx = x0 - MARGIN_LEFT * ppt / sx + box.width / sx / 2
        if sy < readable_y * 1.01 and y1 > y0:  # too tall: start at the first computed node
            first = next((s.node for s in self.trace.steps if s.node is not None), None)
            cy = self.pos[first, 1] if first is not None else y1
        self._set_view(sx, sy, cx, cy)

    def _fits(self, xlim, ylim) -> bool:
        x0, x1, y0, y1 = self._extent_data()
        return xlim[0] <= x0 and x1 <= xlim[1] and ylim[0] <= y0 and y1 <= ylim[1]

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        had_view = self.trace is not None
        fitted = had_view and self._fits(self.ax.get_xlim(), self.ax.get_ylim())
        super().resizeEvent(event)
        self._background = None
        if fitted:
            self._initial_view()

    # ---- mouse and keys ------------------------------------------------------------------

    def _on_scroll(self, event) -> None:
        if event.inaxes is not self.ax or self.trace is None:
            return
        self.zoom(1.2 ** event.step, (event.xdata, event.ydata))

    def _on_press(self, event) -> None:
        if event.button == 1 and event.x is not None:
            self._press = (event.x, event.y)
            self._panning = False

    def _on_motion(self, event) -> None:
        if self._press is not None and event.x is not None:
            dx, dy = event.x - self._press[0], event.y - self._press[1]
            if self._panning or math.hypot(dx, dy) > DRAG_THRESHOLD:
                self._panning = True
                self._press = (event.x, event.y)
                self.pan(dx, dy)
            return
        if self.trace is None or event.x is None:
            return
        node = self.node_at(event.x, event.y)
        tip = self.node_tooltip(node) if node is not None else ""
        if tip != self.toolTip():
            self.setToolTip(tip)
        shape = Qt.CursorShape
        cursor = shape.PointingHandCursor if node is not None else shape.ArrowCursor
        if self.cursor().shape() != cursor:
            self.setCursor(cursor)

    def _on_release(self, event) -> None:
        press, panning = self._press, self._panning
        self._press, self._panning = None, False
        if press is None or panning or event.button != 1 or event.x is None:
            return
        node = self.node_at(event.x, event.y)
        if node is not None:
            self.nodeClicked.emit(node)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """+/- zoom, 0 fits; every other key goes on to the window (stepping keys)."""
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal) and not modifiers:
            self.zoom(1.25)
        elif key == Qt.Key.Key_Minus and not event.modifiers():
            self.zoom(1 / 1.25)
        elif key == Qt.Key.Key_0 and not event.modifiers():
            self.fit_view()
        else:
            event.ignore()

    def keyReleaseEvent(self, event) -> None:  # noqa: N802 - Qt's name
        event.ignore()

    # ---- theme and legend ----------------------------------------------------------------

    def _build_legend(self) -> None:
        out = self.trace.graph.output_node.label if self.trace is not None else "out"
        out = out if len(out) <= 12 else "out"
        tr = _tr if self.translate_legend else str
        entries = [(marker, role, tr(long).format(out), tr(short))
                   for marker, role, long, short in LEGEND]

        def label(text: str) -> Text:
            return self._make_text(0, 0, text, IdentityTransform(), ha="left",
                                   va="center_baseline", fontsize=8.5,
                                   color=self.colours["fg"], clip_on=False)

        self._legend.entries = [(m, role, label(long), label(short))
                                for m, role, long, short in entries]
        self._legend._widths.clear()
        self._legend.stale = True

    def _apply_theme(self) -> None:
        c = self.colours
        self.figure.set_facecolor(c["bg"])
        self._build_legend()
        self._static.clear()
        self._texts.clear()
        self._raster_cache.clear()


def _draw_order(key: tuple[int, int]) -> tuple[int, int]:
    """Highlight first, then edge labels, values, gradients; the same on every path."""
    return key


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _inside(a, b) -> bool:
    return b[0] <= a[0] and b[1] <= a[1] and a[2] <= b[2] and a[3] <= b[3]


def _union(a: list[float], b) -> None:
    a[0], a[1] = min(a[0], b[0]), min(a[1], b[1])
    a[2], a[3] = max(a[2], b[2]), max(a[3], b[3])
