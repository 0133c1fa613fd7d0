"""The artists: the static graph layer and the dynamic layer.

* :class:`GraphLayer` (static) - edges, arrowheads, node shapes, node texts and names.
  Geometry (geometry.py) is computed in display space at draw time with numpy (one
  ``draw_path`` per style, not one patch per edge); texts outside the view are neither
  created nor drawn.
* :class:`DynamicLayer` (``animated``) - values, gradients, local-gradient edge labels
  and the current-step highlight, drawn after the static background (see blit.py).

The legend under the graph has its own layer (legend.py).
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.artist import Artist
from matplotlib.path import Path
from matplotlib.transforms import Bbox, IdentityTransform

from gui.canvas import groups, text_cache
from gui.canvas.geometry import Geometry
from gui.canvas.host import CanvasHost
from gui.canvas.scene import BORDER, Scene, Theme


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
    path = Path(verts, codes)
    # never simplified: a pan's strip then draws each edge exactly as a full draw does
    # (matplotlib simplifies paths of 128 points and more, which moves pixels)
    path.should_simplify = False
    return path


class GraphLayer(Artist):
    """Edges, arrowheads, node shapes, node texts: everything a step never changes."""

    zorder = 1

    def __init__(self, canvas: CanvasHost):
        super().__init__()
        self.canvas = canvas

    def draw(self, renderer) -> None:
        canvas = self.canvas
        if not self.get_visible() or canvas.trace is None:
            return
        geometry = canvas.view.geometry(renderer)
        canvas.geometry = geometry
        canvas.labels.apply_text_zoom(geometry.text_zoom)
        canvas._cut = canvas.cut_labels()
        with text_cache.fixed_view(canvas.ax.transData):
            self.draw_static(renderer, geometry)
        self.stale = False

    def _draw_shapes(self, renderer, scene: Scene, theme: Theme, geometry: Geometry,
                     views: list[Bbox], clip: Bbox) -> None:
        """Call bands, edges, arrowheads and node shapes of ``scene`` reaching into
        ``views`` (where ``geometry`` puts them in this view), clipped to ``clip``."""
        colours = theme.colours
        gc = renderer.new_gc()
        gc.set_clip_rectangle(clip)
        gc.set_joinstyle("round")
        gc.set_capstyle("butt")
        if self.get_alpha() is not None:  # out of date: the old graph, greyed
            gc.set_alpha(self.get_alpha())
        groups.draw_bands(scene, theme, renderer, geometry, clip)
        if geometry.edge_lines:
            lo, hi = geometry.edge_boxes()
            seen = np.zeros(len(lo), bool)
            for view in views:
                seen |= ((hi[:, 0] >= view.x0) & (lo[:, 0] <= view.x1)
                         & (hi[:, 1] >= view.y0) & (lo[:, 1] <= view.y1))
            _draw_edges(renderer, gc, geometry, seen, scene.edge_needed, colours)
        # what reaches into the view (not what is centred near it): a strip then draws
        # exactly what a full draw would
        shown = np.zeros(len(geometry.centres), bool)
        for view in views:
            shown |= geometry.boxes_near(view)
        for kind in ("operation", "data", "parameter", "constant"):
            chosen = np.flatnonzero(shown & (scene.kind == kind))
            if not len(chosen):
                continue
            gc.set_foreground(colours[f"{kind}_edge"])
            gc.set_linewidth(max(0.6, BORDER[kind] * geometry.scale))
            gc.set_dashes(0, None)
            path = rounded_boxes(geometry.centres[chosen], geometry.half[chosen],
                                 geometry.radius[chosen])
            renderer.draw_path(gc, path, IdentityTransform(), rgba(colours[f"{kind}_face"]))
        gc.restore()

    def draw_static(self, renderer, geometry: Geometry, boxes=None, clip=None,
                    split: bool = True) -> None:
        """Everything static, or what reaches into ``boxes`` ((x0, y0, x1, y1) display
        pixels: strips a pan brought into view): the same artists, clipped and drawn the
        same way, so the pixels inside the boxes are a full draw's (pan.py keeps the
        pixels outside them). ``clip``: shapes clipped to it rather than the axes.
        ``split=False``: boxes apart drawn at once too (small ones: the few artists
        reaching into them cost less than a draw per box)."""
        canvas = self.canvas
        scene, theme = canvas.scene, canvas.theme  # what is drawn, in which colours
        clip = canvas.ax.bbox if clip is None else clip
        views = [Bbox.from_extents(*geometry.view)] if boxes is None else [
            Bbox.from_extents(*box) for box in boxes]
        renderer.open_group("graph", gid=self.get_gid())
        if boxes is not None and split and _apart(boxes):
            # a pan's strips: each clipped to itself, so Agg fills the strip's pixels,
            # not every pixel of the view a long edge crosses (a clip at whole pixels
            # leaves the pixels inside the strip as a full draw makes them)
            for view in views:
                part = Bbox.intersection(view, clip)
                if part is not None:
                    self._draw_shapes(renderer, scene, theme, geometry, [view], part)
        else:
            self._draw_shapes(renderer, scene, theme, geometry, views, clip)
        if geometry.show_text:
            texts = np.zeros(len(geometry.centres), bool)
            for view in views:
                texts |= geometry.texts_near(view)
            for node in np.flatnonzero(texts):
                for i, text in enumerate(canvas.labels.static_texts(int(node))):
                    if ("static", int(node), i) in canvas._cut:
                        continue
                    text.draw(renderer)
            for text in canvas.labels.group_texts():
                if text.cut_key not in canvas._cut:
                    text.draw(renderer)
        renderer.close_group("graph")


def _apart(boxes) -> bool:
    """No two boxes share a pixel (a pan's strips never do; labels' boxes may)."""
    return not any(a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
                   for i, a in enumerate(boxes) for b in boxes[i + 1:])


def _draw_edges(renderer, gc, geometry: Geometry, seen, needed, colours) -> None:
    """The edges in ``seen``: one path per style, then their arrowheads."""
    lines = geometry.edge_lines
    width = max(0.6, 1.4 * geometry.scale)
    for wanted, colour, dashes in ((True, colours["edge"], None),
                                   (False, colours["not_needed"], (0, [4.0, 3.0]))):
        chosen = np.flatnonzero(seen & (needed == wanted))
        if not len(chosen):
            continue
        gc.set_foreground(colour)
        gc.set_linewidth(width)
        gc.set_dashes(*(dashes or (0, None)))
        renderer.draw_path(gc, _polylines([lines[e] for e in chosen]), IdentityTransform())
        heads = geometry.heads[chosen]
        gc.set_dashes(0, None)
        gc.set_linewidth(0.5)
        verts = np.concatenate([heads, heads[:, :1]], axis=1).reshape(-1, 2)
        codes = np.tile([Path.MOVETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY],
                        len(heads)).astype(Path.code_type)
        renderer.draw_path(gc, Path(verts, codes), IdentityTransform(), rgba(colour))


class DynamicLayer(Artist):
    """Values, gradients, local gradients and the highlight: what a step changes."""

    zorder = 5

    def __init__(self, canvas: CanvasHost):
        super().__init__()
        self.canvas = canvas
        self.set_animated(True)

    def draw(self, renderer) -> None:
        if not self.get_visible() or self.canvas.trace is None:
            return
        self.canvas.blitter.draw_dynamic(renderer, None)
        self.stale = False


def rgba(colour: str) -> tuple[float, float, float, float]:
    from matplotlib.colors import to_rgba

    return to_rgba(colour)

