"""The view: fit, zoom, pan and the first view of a graph (data limits of the axes)."""

from __future__ import annotations

import math

from gui.canvas.scene import (
    COMFORT_X,
    COMFORT_Y,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_Y,
    WIDEST_X,
    WIDEST_Y,
)


class ViewMixin:
    """Where :class:`~gui.canvas.widget.GraphCanvas` looks: limits of its axes."""

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
