"""Names of the current step's neighbours that the view's edge cuts, written inside the
view at that edge (issue 24, item 8).

At 1280×720 a neighbour is often kept on the canvas only as a box cut at its edge, and
an edge hides the labels it cuts (strip_edge.py): its name too, so a beginner saw
unnamed boxes (10-conv-pool's x, W and b). Such a neighbour's name is drawn like a
map's off-screen marker: in a small framed box just inside the edge the node crosses,
a triangle pointing out at it, at the node's height (or along the top and bottom
edges, at its x), moved along the edge by the least to keep clear of every label drawn
there, of the other nodes and of the other markers.

The markers are a transparent child widget over the canvas, painted by Qt after the
canvas's own pixels: no part of the figure (its tiles, blits and scrolled pans) draws
them, so a step costs what it did (an exported image draws them as figure artists:
edge_names_export.py). They follow whatever the canvas paints (a step's blits, a pan, a
draw): each paint of the canvas paints this widget over the same region, which places
the markers again when the view or the step changed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QEvent, QObject, QPointF, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

from gui.canvas.scene import _HIGHLIGHT, NAME_FONT
from gui.canvas.strip_edge import SLACK, drawn_place
from gui.support import fonts

#: the frame's room around the text (pixels), and the triangle's half height: at least
#: TIP pixels, else this share of the text's pixel size (it grows with the text)
PAD, TIP, TIP_SHARE = 2.0, 3.0, 0.28
#: room kept between a marker and the view's edge, and around other labels (pixels)
EDGE_GAP, CLEAR = 1.0, 1.0
#: a marker may move this far along the edge (a share of the edge's length) to find room
MOST_SHIFT = 0.5
#: a name moved off a whole node stays within this many pixels of its place
NEARBY = 90.0
#: the frame's rounded corners' radius (pixels), and its fill's opacity over the graph
CORNER, FILL_ALPHA = 3.0, 0.94


@dataclass(frozen=True)
class Marker:
    node: int
    text: str
    #: "left", "right", "top" or "bottom": the edge the node crosses; "near": the node
    #: is whole, its name moved beside it (no triangle)
    side: str
    rect: tuple[float, float, float, float]  # widget pixels: x, y, w, h (frame included)
    font: QFont
    kind: str  # the node's kind: its frame's colour


def _tip(font: QFont) -> float:
    """The triangle's half height for a marker in ``font``."""
    return max(TIP, TIP_SHARE * font.pixelSize())


def _arrow(font: QFont) -> float:
    """The room the triangle takes at the marker's end, its gap to the text included."""
    return 2 * _tip(font) + 1


def _widget_rect(canvas, extents) -> np.ndarray:
    """Display extents (x0, y0, x1, y1, origin bottom left) to widget x0, y0, x1, y1."""
    ratio = canvas.device_pixel_ratio or 1.0
    height = canvas.figure.bbox.height
    x0, y0, x1, y1 = extents
    return np.array([x0 / ratio, (height - y1) / ratio, x1 / ratio, (height - y0) / ratio])


def _name(canvas, v: int) -> tuple[str, QFont]:
    """What names node ``v``, and its Qt font at its size in widget pixels: a leaf's
    text (its name) as its box shows it; an operation's name (its label from the code
    when it has none: "X @ (model.0.weightᵀ)" says more at an edge than "@") as names
    beside a node are drawn."""
    node = canvas.trace.graph.nodes[v]
    words = node.name or node.label
    if canvas.scene.is_op[v]:
        size = NAME_FONT * canvas.text_scale * canvas._text_zoom
        bold = node.id == canvas.trace.graph.output
    else:
        text = canvas.labels.static_texts(v)[0]
        size, bold = text.get_fontsize(), text.get_fontweight() in ("bold", 700, "heavy")
    logical = canvas.figure.dpi / 72 / (canvas.device_pixel_ratio or 1.0)
    font = QFont(fonts.CJK_FAMILY if fonts.needs_cjk(words) else fonts.LATIN_FAMILY)
    font.setPixelSize(max(1, round(size * logical)))
    font.setBold(bool(bold))
    return words, font


def _side(area: np.ndarray, box: np.ndarray) -> str:
    """The edge of ``area`` (x0, y0, x1, y1) that ``box`` reaches out of the most."""
    out = {"left": area[0] - box[0], "top": area[1] - box[1],
           "right": box[2] - area[2], "bottom": box[3] - area[3]}
    return max(out, key=out.get)


def _display_boxes(canvas, places) -> np.ndarray:
    """World places (cx, cy, w, h), one a row, as widget boxes (x0, y0, x1, y1)."""
    p = np.asarray(places, float).reshape(-1, 4)
    low, high = p[:, :2] - p[:, 2:] / 2, p[:, :2] + p[:, 2:] / 2
    # (the data transform is affine, no rotation: strip_edge.edge_cut)
    m = canvas.ax.transData.get_affine().get_matrix()
    ratio = canvas.device_pixel_ratio or 1.0
    height = canvas.figure.bbox.height
    x0, x1 = low[:, 0] * m[0, 0] + m[0, 2], high[:, 0] * m[0, 0] + m[0, 2]
    y0, y1 = low[:, 1] * m[1, 1] + m[1, 2], high[:, 1] * m[1, 1] + m[1, 2]
    return np.column_stack([x0, height - y1, x1, height - y0]) / ratio


def _obstacles(canvas, area: np.ndarray, skip: set) -> np.ndarray:
    """Widget boxes (x0, y0, x1, y1) a marker keeps clear of: the dynamic labels drawn
    now and the current node's ring, the names and call labels drawn, and the node
    boxes near the view but ``skip``'s."""
    rows = [_widget_rect(canvas, box) for key, box in canvas._drawn.items()
            if key[0] != _HIGHLIGHT or key[1] >= 0]  # (a node's ring, not an edge's band)
    scene = canvas.scene
    near = [v for v in np.flatnonzero(canvas.geometry.in_view).tolist() if v not in skip]
    places = [(*scene.pos[v], *(2 * scene.half_pt[v])) for v in near]
    places += [drawn_place(scene.name_pos[v]) for v in near
               if v in scene.name_pos and ("static", v, 1) not in canvas._cut]
    places += [drawn_place(place[:4]) for i, place in (scene.group_pos or {}).items()
               if ("group", i) not in canvas._cut]  # a script's call's label
    found = np.concatenate([np.array(rows, float).reshape(-1, 4),
                            _display_boxes(canvas, places)])
    keep = ((found[:, 2] > area[0]) & (found[:, 0] < area[2])
            & (found[:, 3] > area[1]) & (found[:, 1] < area[3]))
    return found[keep]


def _first_free(x0s: np.ndarray, y0s: np.ndarray, size, obstacles) -> np.ndarray | None:
    """The first of the boxes at ``x0s``, ``y0s`` (top left corners) of ``size`` that
    keeps CLEAR of every obstacle, as (x0, y0, x1, y1); None when none does."""
    if not len(x0s):
        return None
    w, h = size
    free = np.arange(len(x0s))
    o = obstacles  # those that reach the candidates' span
    o = o[(o[:, 2] + CLEAR > x0s.min()) & (o[:, 0] - CLEAR < x0s.max() + w)
          & (o[:, 3] + CLEAR > y0s.min()) & (o[:, 1] - CLEAR < y0s.max() + h)]
    if len(o):
        x, y = x0s[:, None], y0s[:, None]
        hit = ((x < o[None, :, 2] + CLEAR) & (x + w > o[None, :, 0] - CLEAR)
               & (y < o[None, :, 3] + CLEAR) & (y + h > o[None, :, 1] - CLEAR))
        free = np.flatnonzero(~hit.any(axis=1))
    if not len(free):
        return None
    i = int(free[0])
    return np.array([x0s[i], y0s[i], x0s[i] + w, y0s[i] + h])


def _inside(area, size) -> tuple[float, float, float, float]:
    """The least and most x0 and y0 of a box of ``size`` inside ``area``."""
    w, h = size
    return (area[0] + EDGE_GAP, area[2] - EDGE_GAP - w, area[1] + EDGE_GAP,
            area[3] - EDGE_GAP - h)


def _along_edge(area, box, size, side, obstacles) -> np.ndarray | None:
    """The marker's box (x0, y0, x1, y1) of ``size`` just inside ``side`` of ``area``,
    beside the node's ``box``, moved along the edge by the least to clear the
    ``obstacles``; None when nowhere within MOST_SHIFT of the edge is clear."""
    w, h = size
    x_lo, x_hi, y_lo, y_hi = _inside(area, size)
    across = side in ("left", "right")
    lo, hi = (y_lo, y_hi) if across else (x_lo, x_hi)
    if hi < lo or x_hi < x_lo or y_hi < y_lo:
        return None
    start = (box[1] + box[3] - h) / 2 if across else (box[0] + box[2] - w) / 2
    start = min(max(start, lo), hi)
    reach = MOST_SHIFT * (hi - lo + (h if across else w))
    shifts = np.arange(1.0, reach + 1.0, 1.0)
    starts = np.concatenate([[start], np.column_stack([start + shifts,
                                                       start - shifts]).ravel()])
    starts = starts[(starts >= lo) & (starts <= hi)]
    if across:
        edge = x_lo if side == "left" else x_hi
        return _first_free(np.full(len(starts), edge), starts, size, obstacles)
    edge = y_lo if side == "top" else y_hi
    return _first_free(starts, np.full(len(starts), edge), size, obstacles)


def _nearby(area, want, size, obstacles) -> np.ndarray | None:
    """The box of ``size`` nearest ``want`` (its wished top left corner) inside
    ``area``, within NEARBY pixels, clear of the ``obstacles``."""
    x_lo, x_hi, y_lo, y_hi = _inside(area, size)
    if x_hi < x_lo or y_hi < y_lo:
        return None
    x, y = min(max(want[0], x_lo), x_hi), min(max(want[1], y_lo), y_hi)
    xs = np.arange(max(x_lo, x - NEARBY), min(x_hi, x + NEARBY) + 1.0, 2.0)
    ys = np.arange(max(y_lo, y - NEARBY), min(y_hi, y + NEARBY) + 1.0, 1.0)
    gx, gy = (a.ravel() for a in np.meshgrid(xs, ys))
    order = np.argsort(np.hypot(gx - x, 2 * (gy - y)), kind="stable")  # rows cost more
    return _first_free(gx[order], gy[order], size, obstacles)


def may_need_markers(canvas) -> bool:
    """False when every node of the step and its neighbours is inside the view with its
    name, so none needs a marker (found without a draw: the step-through export's)."""
    if canvas.trace is None or not canvas._focus_nodes:
        return False
    scene = canvas.scene
    (x0, x1), (y0, y1) = canvas.ax.get_xlim(), canvas.ax.get_ylim()
    places = [(*scene.pos[v], *(2 * scene.half_pt[v])) for v in canvas._focus_nodes]
    places += [drawn_place(scene.name_pos[v]) for v in canvas._focus_nodes if v in scene.name_pos]
    p = np.asarray(places, float)
    return not bool(np.all((p[:, 0] - p[:, 2] / 2 >= x0) & (p[:, 0] + p[:, 2] / 2 <= x1)
                           & (p[:, 1] - p[:, 3] / 2 >= y0) & (p[:, 1] + p[:, 3] / 2 <= y1)))


def markers(canvas) -> list[Marker]:
    """A marker for each of the current step's neighbours (and itself) whose box reaches
    into the view, or behind the legend strip under it, while its name is not drawn
    whole inside the view."""
    g = canvas.geometry
    if canvas.trace is None or g is None or not g.show_text or not canvas._focus_nodes:
        return []
    scene = canvas.scene
    area = _widget_rect(canvas, canvas.ax.bbox.extents)
    focus = sorted(canvas._focus_nodes)
    named = [bool(scene.is_op[v] and v in scene.name_pos and canvas.trace.graph.nodes[v].name)
             for v in focus]
    # the nodes' boxes, then the names beside them, in one transform (a call each cost
    # ~35 µs: a tenth of a small graph's step, issue 19)
    boxes = _display_boxes(canvas, [(*scene.pos[v], *(2 * scene.half_pt[v])) for v in focus]
                           + [drawn_place(scene.name_pos[v])
                              for v, has in zip(focus, named, strict=True) if has])
    names = iter(boxes[len(focus):])
    wanted = []
    # (a neighbour wholly behind the legend strip under the graph is hidden as one cut
    # at the canvas's edge is: it gets a marker at the strip's edge)
    bottom = max(area[3], canvas.height())
    for v, box, has_name in zip(focus, boxes, named, strict=False):
        drawn = next(names) if has_name else box
        if box[2] <= area[0] or box[0] >= area[2] or box[3] <= area[1] or box[1] >= bottom:
            continue  # wholly out of the view
        key = ("static", v, 1 if has_name else 0)
        if key not in canvas._cut and drawn[0] >= area[0] - SLACK \
                and drawn[2] <= area[2] + SLACK and drawn[1] >= area[1] - SLACK \
                and drawn[3] <= area[3] + SLACK:
            continue  # named whole on the canvas
        whole = box[0] >= area[0] and box[2] <= area[2] and box[1] >= area[1] \
            and box[3] <= area[3]
        wanted.append((v, box, "near" if whole else _side(area, box), drawn))
    if not wanted:
        return []
    # (a node cut at the edge shows no text: its marker may cover what is left of it)
    obstacles = _obstacles(canvas, area, {v for v, _, side, _ in wanted if side != "near"})
    found = []
    for v, box, side, drawn in wanted:
        words, font = _name(canvas, v)
        metrics = QFontMetricsF(font)
        arrow = 0.0 if side == "near" else _arrow(font)
        size = (metrics.horizontalAdvance(words) + 2 * PAD + arrow, metrics.height() + 2 * PAD)
        if side == "near":  # where the name was, brought inside
            rect = _nearby(area, ((drawn[0] + drawn[2] - size[0]) / 2,
                                  (drawn[1] + drawn[3] - size[1]) / 2), size, obstacles)
        else:  # at the edge, else as near it as there is room
            rect = _along_edge(area, box, size, side, obstacles)
            if rect is None:
                rect = _nearby(area, ((box[0] + box[2] - size[0]) / 2,
                                      (box[1] + box[3] - size[1]) / 2), size, obstacles)
        if rect is None:
            continue
        obstacles = np.vstack([obstacles, rect])
        found.append(Marker(v, words, side, (float(rect[0]), float(rect[1]),
                                              float(rect[2] - rect[0]), float(rect[3] - rect[1])),
                            font, str(scene.kind[v])))
    return found


class EdgeNames(QWidget):
    """The markers, painted over ``canvas`` (its child, as large as it)."""

    def __init__(self, canvas) -> None:
        super().__init__(canvas)
        self.canvas = canvas
        self.setObjectName("edgeNames")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._state = None  # what the markers were placed for
        self._markers: list[Marker] = []
        self._check_due = False
        self.setGeometry(canvas.rect())
        # hidden while it has no marker: a transparent widget as large as the canvas
        # costs Qt 1-2 ms at each full repaint of the canvas (a pan), markers or not
        self.hide()
        canvas.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        canvas = getattr(self, "canvas", None)  # (None while the wrapper is torn down)
        if canvas is not None and watched is canvas:
            if event.type() == QEvent.Type.Resize:
                self.setGeometry(canvas.rect())
            elif event.type() == QEvent.Type.Paint and not self.isVisible():
                self._check_soon()  # (not while the canvas paints: after it)
        return False

    def _check_soon(self) -> None:
        if not self._check_due:
            self._check_due = True
            QTimer.singleShot(0, self, self._check)

    def _check(self) -> None:
        """Shown when the canvas as painted has markers; hidden when it has none."""
        self._check_due = False
        canvas = getattr(self, "canvas", None)
        if canvas is None or canvas.trace is None:
            return
        if canvas._draw_pending:  # placed for the drawn figure: once it is
            self._check_soon()
            return
        self.setVisible(bool(self.markers()))

    def _now(self):
        c = self.canvas
        return (id(c.trace), c.ax.get_xlim(), c.ax.get_ylim(), c.width(), c.height(),
                c._position, c._current_key, frozenset(c._focus_nodes), id(c._cut),
                c.text_scale, c.theme, id(c.geometry), c.tangents.rewrites)  # (What if)

    def markers(self) -> list[Marker]:
        """The markers for what the canvas shows now (placed again when that changed)."""
        state = self._now()
        if state != self._state:
            self._state = state
            before = self._markers
            self._markers = markers(self.canvas) if self.canvas.geometry is not None else []
            if before != self._markers:
                for m in (*before, *self._markers):
                    x, y, w, h = m.rect
                    self.update(QRect(int(x) - 1, int(y) - 1, int(w) + 3, int(h) + 3))
        return self._markers

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        canvas = getattr(self, "canvas", None)
        if canvas is None or canvas.trace is None or canvas._draw_pending:
            return
        found = self.markers()
        if not found:
            self._check_soon()  # none now: hidden, after this paint
            return
        colours = self.canvas.theme.colours
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            for m in found:
                _paint(painter, m, colours)
        finally:
            painter.end()


def triangle(m: Marker) -> list[tuple[float, float]]:
    """The corners (widget pixels) of the triangle at the end of ``m`` that points out
    of the view; none for a name moved beside a whole node."""
    if m.side == "near":
        return []
    x, y, w, h = m.rect
    tip, mid = _tip(m.font), y + h / 2
    end = x + w - 2 if m.side == "right" else x + 2  # the triangle's outer end
    inner = end - tip if m.side == "right" else end + tip
    if m.side in ("left", "right"):
        return [(end, mid), (inner, mid - tip), (inner, mid + tip)]
    out = -tip if m.side == "top" else tip  # up or down, at the text's left
    return [(x + 2 + tip / 2, mid + out), (x + 2, mid - out / 2), (x + 2 + tip, mid - out / 2)]


def text_rect(m: Marker) -> tuple[float, float, float, float]:
    """Where ``m``'s name is centred (widget x, y, w, h): its frame beside the triangle."""
    x, y, w, h = m.rect
    arrow = _arrow(m.font)
    left = 0.0 if m.side in ("near", "right") else arrow
    right = arrow if m.side == "right" else 0.0
    return x + left, y, w - left - right, h


def _paint(painter: QPainter, m: Marker, colours) -> None:
    """A framed name; a triangle at the end of it that points out of the view."""
    x, y, w, h = m.rect
    frame = QColor(colours.get(f"{m.kind}_edge", colours["fg"]))
    fill = QColor(colours["bg"])
    fill.setAlphaF(FILL_ALPHA)
    path = QPainterPath()
    path.addRoundedRect(QRectF(x + 0.5, y + 0.5, w - 1, h - 1), CORNER, CORNER)
    painter.setPen(QPen(frame, 1.0))
    painter.setBrush(fill)
    painter.drawPath(path)
    corners = triangle(m)
    if corners:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(frame)
        painter.drawPolygon(QPolygonF([QPointF(*c) for c in corners]))
    painter.setPen(QColor(colours["fg"]))
    painter.setFont(m.font)
    painter.drawText(QRectF(*text_rect(m)), Qt.AlignmentFlag.AlignCenter, m.text)
