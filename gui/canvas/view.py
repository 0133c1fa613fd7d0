"""The view: fit, whole graph, zoom, pan, and following the current step.

One scale maps world points to pixels in both directions (``k`` pixels a point). Fit
never goes below the zoom where text stays readable: a graph too big for that is shown
readable around the current step, with a hint (the legend strip says so). Whole graph
is the overview; only the current step and its neighbours keep their labels there.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEasingCurve, QVariantAnimation
from PySide6.QtGui import QGuiApplication

from gui.canvas.geometry import Geometry, Viewport
from gui.canvas.scene import (
    _GRAD,
    _LOCAL,
    _TANGENT,
    _UPDATE,
    _VALUE,
    LEGEND_HEIGHT,
    MARGIN,
    MIN_TEXT_PX,
    SMALLEST_FONT,
    WIDEST_ZOOM,
)
from gui.canvas.strip_edge import clear_of_sides, clear_of_strip, drawn_place

#: a pan that follows the step takes this long (none offscreen or while playing)
PAN_MS = 120
#: room kept between the followed step's labels and the canvas edge (pixels)
FOLLOW_MARGIN = 10.0


class View:
    """Where a :class:`~gui.canvas.widget.GraphCanvas` looks: the limits of its axes,
    set from the scene's extent and the current step (the canvas owns one: ``view``)."""

    def __init__(self, canvas):
        self.canvas = canvas
        self.ax, self.figure = canvas.ax, canvas.figure  # the axes it sets, in their figure
        self._animation: QVariantAnimation | None = None  # a pan that follows the step
        self._last_pan_step = 0.0  # when the last one started (stepping fast: none)
        self._legend_share: float | None = None  # the strip's height when wrapped

    # ---- scales
    def ppt(self) -> float:
        return self.figure.dpi / 72

    def min_text_zoom(self) -> float:
        """The zoom below which the smallest graph text would be under MIN_TEXT_PX."""
        logical = self.ppt() / (self.canvas.device_pixel_ratio or 1.0)
        readable = MIN_TEXT_PX / (SMALLEST_FONT * self.canvas.text_scale * logical * 1.04)
        return max(readable, self.canvas.least_zoom)

    def viewport(self) -> Viewport:
        """Where the canvas's layers draw now (its axes, the least text zoom)."""
        return Viewport.of_axes(self.ax, self.min_text_zoom())

    def geometry(self, renderer) -> Geometry:
        """Where everything of the canvas's scene is in this view, for ``renderer``."""
        return Geometry(self.canvas.scene, self.viewport(), renderer)

    def k(self) -> float:
        (x0, x1) = self.ax.get_xlim()
        return self.ax.bbox.width / max(x1 - x0, 1e-9)

    def _set_view(self, k: float, cx: float, cy: float) -> None:
        box = self.ax.bbox
        half_w, half_h = box.width / k / 2, box.height / k / 2
        self.ax.set_xlim(cx - half_w, cx + half_w)
        self.ax.set_ylim(cy - half_h, cy + half_h)

    def fit_k(self) -> float:
        x0, x1, y0, y1 = self.canvas.extent
        box = self.ax.bbox
        margin = 2 * MARGIN * self.ppt()
        k = min((box.width - margin) / max(x1 - x0, 1.0),
                (box.height - margin) / max(y1 - y0, 1.0))
        return max(min(k, WIDEST_ZOOM * self.ppt()), 1e-3)

    def _centre(self) -> tuple[float, float]:
        x0, x1, y0, y1 = self.canvas.extent
        return (x0 + x1) / 2, (y0 + y1) / 2

    # ---- commands
    def fit_view(self) -> None:
        """The whole graph if its text stays readable; else readable, panned, with a hint."""
        if self.canvas.trace is None:
            return
        k = self.fit_k()
        readable = self.min_text_zoom() * self.ppt()
        self.stop_animation()
        self.canvas.view_auto = True
        if k >= readable:
            self.canvas.hint = False
            self._set_view(k, *self._centre())
        else:
            self.canvas.hint = True
            self._set_view(readable, *self._readable_centre(readable))
        self.canvas.blitter.invalidate()

    def refit_keeping(self, k: float) -> None:
        """The same graph again (another iteration): zoom ``k`` while the whole graph
        fits at it, else the fit; moving between iterations then keeps one zoom, which
        only ever shrinks to the widest numbers' (issue 24)."""
        if self.canvas.trace is None:
            return
        fit = self.fit_k()
        if min(k, fit) < self.min_text_zoom() * self.ppt():
            self.fit_view()  # readable around the step, with the hint
            return
        self.stop_animation()
        self.canvas.hint = False
        self.canvas.view_auto = True
        self._set_view(min(k, fit), *self._centre())

    def whole_view(self) -> None:
        """Overview: the whole graph whatever its size (labels of the current step stay)."""
        if self.canvas.trace is None:
            return
        self.stop_animation()
        self.canvas.hint = False
        self.canvas.view_auto = False  # the learner's overview: another iteration keeps it
        self._set_view(self.fit_k(), *self._centre())
        self.canvas.blitter.invalidate()

    def _readable_centre(self, k: float) -> tuple[float, float]:
        """Around the current step, or at the inputs of the first computed node."""
        focus = self.focus_extent()
        x0, x1, y0, y1 = self.canvas.extent
        box = self.ax.bbox
        if focus is not None:
            cx, cy = (focus[0] + focus[2]) / 2, (focus[1] + focus[3]) / 2
        else:
            first = next((s.node for s in self.canvas.trace.steps if s.node is not None), None)
            cy = self.canvas.scene.pos[first, 1] if first is not None else (y0 + y1) / 2
            cx = x0  # (the clamp below puts the graph's left edge in, with the margin)
        # keep the view on the graph, FOLLOW_MARGIN in from its edges as follow() does:
        # flush with them, the outermost labels' hinted text (a pixel or two wider than
        # measured) left the canvas or crossed the legend strip, which hides it
        margin = FOLLOW_MARGIN / k
        half_w, half_h = box.width / k / 2 - margin, box.height / k / 2 - margin
        cx = min(max(cx, x0 + half_w), x1 - half_w) if x1 - x0 > 2 * half_w else (x0 + x1) / 2
        cy = min(max(cy, y0 + half_h), y1 - half_h) if y1 - y0 > 2 * half_h else (y0 + y1) / 2
        cx = clear_of_sides(self.canvas, k, cx, cy, focus)
        return cx, clear_of_strip(self.canvas, k, cx, cy, focus)

    def zoom(self, factor: float, centre: tuple[float, float] | None = None) -> None:
        """Zoom in (factor > 1) or out around ``centre`` (data coords; default the middle)."""
        (x0, x1), (y0, y1) = self.ax.get_xlim(), self.ax.get_ylim()
        cx, cy = centre if centre is not None else ((x0 + x1) / 2, (y0 + y1) / 2)
        factor = float(factor)
        k = self.k() * factor
        if not 0.005 < k / self.ppt() < 20:
            return
        self.stop_animation()
        self.canvas.view_auto = False
        self.ax.set_xlim(cx - (cx - x0) / factor, cx + (x1 - cx) / factor)
        self.ax.set_ylim(cy - (cy - y0) / factor, cy + (y1 - cy) / factor)
        self.canvas.blitter.invalidate()

    def pan(self, dx_pixels: float, dy_pixels: float) -> None:
        """Move the view by a number of pixels (positive: the graph moves right/up)."""
        (x0, x1), (y0, y1) = self.ax.get_xlim(), self.ax.get_ylim()
        k = self.k()
        dx, dy = dx_pixels / k, dy_pixels / k
        self.canvas.view_auto = False
        self.ax.set_xlim(x0 - dx, x1 - dx)
        self.ax.set_ylim(y0 - dy, y1 - dy)
        # a drag: whole pixels
        if not self.canvas.scroller.scroll_view(((x0, x1), (y0, y1)), self.canvas._cut):
            self.canvas.blitter.invalidate()

    def fit_legend_strip(self) -> None:
        """The strip under the graph as tall as the legend's rows at this width: a
        narrow canvas wraps it rather than drop "current" and "not needed" (issue 24)."""
        figure = self.figure.bbox
        if figure.width < 2 or not self.canvas._legend.entries:
            return
        share = self.canvas._legend.strip_fraction(self.canvas.get_renderer(), figure.width,
                                                   figure.height)
        wrapped = self._legend_share
        if share > LEGEND_HEIGHT or wrapped is not None:  # (a one-row strip: untouched,
            # as an export that places the axes itself set it)
            if wrapped != share:
                self.ax.set_position((0.0, share, 1.0, 1.0 - share))
            self._legend_share = share if share > LEGEND_HEIGHT else None

    def fits(self, xlim, ylim) -> bool:
        x0, x1, y0, y1 = self.canvas.extent
        return xlim[0] <= x0 and x1 <= xlim[1] and ylim[0] <= y0 and y1 <= ylim[1]

    def resized(self, event, resize) -> None:
        """The canvas's resize event, handed on to ``resize`` (Qt's own) in between: a
        fitted view fits again, any other keeps its scale and centre."""
        had_view = self.canvas.trace is not None and self.ax.bbox.width > 1
        fitted = had_view and self.fits(self.ax.get_xlim(), self.ax.get_ylim())
        k = self.k() if had_view else None
        (x0, x1), (y0, y1) = self.ax.get_xlim(), self.ax.get_ylim()
        resize(event)
        self.canvas._background = None
        self.fit_legend_strip()
        if self.canvas.trace is None:
            return
        if fitted or k is None or self.canvas.hint:
            self.fit_view()
        else:  # the same scale and centre: nothing stretches
            self._set_view(k, (x0 + x1) / 2, (y0 + y1) / 2)

    # ---- following the step
    def focus_extent(self, own_only: bool = False, neighbour_labels: bool = True):
        """World box of the current step's node or edge and its labels, and its
        neighbours (with their labels, or only their boxes)."""
        if self.canvas.trace is None or self.canvas._current_key is None:
            return None
        nodes, edges = set(), set()
        kind, index = self.canvas._current_key
        if kind == "node":
            nodes.add(index)
        else:
            edges.add(index)
        own = set(nodes)
        if not own_only:
            nodes |= self.canvas._focus_nodes
        boxes, scene = [], self.canvas.scene
        for v in nodes:
            (x, y), (hw, hh) = scene.pos[v], scene.half_pt[v]
            boxes.append((x - hw, y - hh, x + hw, y + hh))
            if not neighbour_labels and v not in own:
                continue
            for layer in (_VALUE, _GRAD, _UPDATE, _TANGENT):
                place = scene.label_pos.get((layer, v))
                if place is not None:
                    boxes.append(_rect(place))
            if v in scene.name_pos:
                boxes.append(_rect(scene.name_pos[v]))
        for e in edges:
            place = scene.label_pos.get((_LOCAL, e))
            if place is not None:
                boxes.append(_rect(place))
            (x, y) = scene.edge_mid_world[e]
            boxes.append((x - 1, y - 1, x + 1, y + 1))
        if not boxes:
            return None
        return (min(b[0] for b in boxes), min(b[1] for b in boxes),
                max(b[2] for b in boxes), max(b[3] for b in boxes))

    def follow(self) -> None:
        """Pan so that the current step and its labels (and, when they fit, its
        neighbours') are inside the view; nothing when they already are."""
        canvas = self.canvas
        if not canvas.following or canvas.trace is None or canvas._current_key is None:
            return
        planned = canvas.blitter.ahead.planned_move()  # found in idle time (ahead.py)
        if planned is not None:
            if planned:
                self._animate_to(*planned)
            return
        k = self.k()
        (x0, x1), (y0, y1) = self.ax.get_xlim(), self.ax.get_ylim()
        margin = FOLLOW_MARGIN / k
        view = (x0 + margin, y0 + margin, x1 - margin, y1 - margin)
        target = self.focus_extent()
        if target is None:
            return
        def too_big(box) -> bool:
            return box[2] - box[0] > view[2] - view[0] or box[3] - box[1] > view[3] - view[1]

        keep = None  # what must stay whole in view, when less than the target
        if too_big(target):  # the neighbours' nodes at least, then the step alone
            target = self.focus_extent(neighbour_labels=False)
            own = self.focus_extent(own_only=True)
            if too_big(target):  # centred between its neighbours (issue 24: a 1280×720
                # projector showed the step alone) when the step itself stays whole
                cx, cy = (target[0] + target[2]) / 2, (target[1] + target[3]) / 2
                half_w, half_h = (view[2] - view[0]) / 2, (view[3] - view[1]) / 2
                if (own[0] >= cx - half_w and own[2] <= cx + half_w
                        and own[1] >= cy - half_h and own[3] <= cy + half_h):
                    keep = own
                else:
                    target = own
        if (target[0] >= view[0] and target[2] <= view[2] and target[1] >= view[1]
                and target[3] <= view[3]):
            return
        # centre what has to be seen (not the least move): the next steps, usually
        # nearby, then need no pan at all, and a pan is a full redraw
        dx = _centre_shift(target[0], target[2], view[0], view[2])
        dy = _centre_shift(target[1], target[3], view[1], view[3])
        if not self.shown_text_at(k):  # an overview: a readable zoom, centred on the step
            k = self.min_text_zoom() * self.ppt()
            self.canvas.hint = True
            self._animate_to(k, (target[0] + target[2]) / 2, (target[1] + target[3]) / 2)
            return
        cx, cy = self._clamped(k, (x0 + x1) / 2 + dx, (y0 + y1) / 2 + dy, keep or target)
        # no edge cuts a label of a node on the canvas: with the step's neighbours in
        # view when that can be, else the step alone
        own = self.focus_extent(own_only=True)
        cx = clear_of_sides(self.canvas, k, cx, cy, keep or target, own)
        cy = clear_of_strip(self.canvas, k, cx, cy, keep or target, own)
        self._animate_to(k, cx, cy)

    def _clamped(self, k: float, cx: float, cy: float, keep) -> tuple[float, float]:
        """The view's centre moved back over the graph where it would show empty space
        beside it, as long as ``keep`` (the followed box) stays inside."""
        x0, x1, y0, y1 = self.canvas.extent
        box = self.ax.bbox
        margin = FOLLOW_MARGIN / k
        half_w, half_h = box.width / k / 2 - margin, box.height / k / 2 - margin
        for axis, (lo, hi, half, k_lo, k_hi) in enumerate(
                ((x0, x1, half_w, keep[0], keep[2]), (y0, y1, half_h, keep[1], keep[3]))):
            c = cx if axis == 0 else cy
            if hi - lo > 2 * half:
                c = min(max(c, lo + half), hi - half)
            c = min(max(c, k_hi - half), k_lo + half)  # the followed box wins
            if axis == 0:
                cx = c
            else:
                cy = c
        return cx, cy

    def shown_text_at(self, k: float) -> bool:
        return k / self.ppt() >= self.min_text_zoom() - 1e-9

    def _animate_to(self, k: float, cx: float, cy: float) -> None:
        now = time.perf_counter()
        fast = now - self._last_pan_step < PAN_MS / 1000  # stepping fast
        self._last_pan_step = now
        instant = (self.canvas.instant_pans or fast or abs(k - self.k()) > 1e-6 * k
                   or QGuiApplication.platformName() == "offscreen")
        self.stop_animation()
        (x0, x1), (y0, y1) = self.ax.get_xlim(), self.ax.get_ylim()
        start = ((x0 + x1) / 2, (y0 + y1) / 2)
        if abs(k - self.k()) <= 1e-9 * k:  # a pan by whole pixels: the background scrolls
            cx = start[0] + round((cx - start[0]) * k) / k
            cy = start[1] + round((cy - start[1]) * k) / k
        if instant:
            self._move_view(k, cx, cy)
            return
        animation = QVariantAnimation(self.canvas)
        animation.setDuration(PAN_MS)
        animation.setStartValue(0.0)
        animation.setEndValue(1.0)
        animation.setEasingCurve(QEasingCurve.Type.OutCubic)

        def moved(t) -> None:
            t = float(t)
            self._move_view(k, start[0] + round(t * (cx - start[0]) * k) / k,
                            start[1] + round(t * (cy - start[1]) * k) / k)

        animation.valueChanged.connect(moved)
        animation.finished.connect(lambda: moved(1.0))
        self._animation = animation
        animation.start()

    def _move_view(self, k: float, cx: float, cy: float) -> None:
        """Set the view; scrolled when only its place changed by whole pixels."""
        before = (self.ax.get_xlim(), self.ax.get_ylim())
        self._set_view(k, cx, cy)
        if before != (self.ax.get_xlim(), self.ax.get_ylim()) and not \
                self.canvas.scroller.scroll_view(before, self.canvas._cut):
            self.canvas.blitter.invalidate()

    def stop_animation(self) -> None:
        animation = self._animation
        if animation is not None:
            animation.stop()
            self._animation = None


def _rect(place) -> tuple[float, float, float, float]:
    cx, cy, w, h = drawn_place(place)
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def _centre_shift(lo: float, hi: float, view_lo: float, view_hi: float) -> float:
    """Move the view so that [lo, hi] is inside it, a quarter in from the side it came
    in by: the steps after it usually go on the same way, and meet the view still."""
    if lo >= view_lo and hi <= view_hi:
        return 0.0
    room = (view_hi - view_lo) - (hi - lo)
    if room <= 0:
        return (lo + hi) / 2 - (view_lo + view_hi) / 2
    if hi > view_hi:  # leaving on the high side: put it a quarter in from the low side
        return lo - (view_lo + room / 4)
    return hi - (view_hi - room / 4)

