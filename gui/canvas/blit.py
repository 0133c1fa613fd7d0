"""Drawing the dynamic labels and blitting the rectangles a step changes.

A step restores the static background only where something changed, redraws the few
dynamic labels there and blits those rectangles, so its cost follows what changed, not
the graph's size. Rasters of upcoming labels are made in idle time (prefetch.py).
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Iterable

import numpy as np
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.transforms import Bbox, IdentityTransform
from PySide6.QtCore import QPointF, QRect, QTimer
from PySide6.QtGui import QImage, QPainter

from gui.canvas import text_cache
from gui.canvas.ahead import Ahead
from gui.canvas.artists import rounded_boxes
from gui.canvas.focus import dynamic_keys, visible_now
from gui.canvas.geometry import Geometry
from gui.canvas.scene import _HIGHLIGHT, _LOCAL, draw_order
from gui.support import fonts

#: how Qt reads the Agg buffer: RGBA bytes of an opaque figure (the figure's face is
#: opaque, so alpha is 255 everywhere and Qt need not blend)
_FORMAT = QImage.Format.Format_RGBX8888
#: upcoming labels are rasterised this long after a draw, in idle time (prefetch.py)
PREFETCH_DELAY_MS = 30


class Blitter:
    """The dynamic half of :class:`~gui.canvas.widget.GraphCanvas`: its collaborator
    ``canvas.blitter`` (the canvas keeps the state: its background, what is drawn where)."""

    def __init__(self, canvas) -> None:
        self.canvas = canvas
        self.ahead = Ahead(canvas)  # the views the next steps jump to (ahead.py)

    def draw_dynamic(self, renderer, keys: Iterable[tuple[int, int]] | None) -> None:
        """Draw the dynamic artists (all shown ones, or ``keys``), noting their extents."""
        if keys is None:
            keys = self.keys_in_view()
            record = not self.canvas.is_saving()
        else:
            record = True
        with text_cache.fixed_view(self.canvas.ax.transData):
            self.draw_keys(renderer, keys, record)

    def draw_keys(self, renderer, keys, record: bool) -> None:
        visible, drawn, text_of = functools.partial(visible_now, self.canvas), self.canvas._drawn, \
            self.canvas.labels.dynamic_text
        for key in keys:
            if not visible(key):
                continue
            if key[0] == _HIGHLIGHT:
                self.draw_highlight(renderer, key[1])
                pasted = None
            else:
                pasted = text_of(key).draw(renderer)
            if not record:
                continue
            if pasted is not None:  # the raster's extent, padded as ``extent`` pads it
                x0, y0, x1, y1 = pasted
                drawn[key] = (x0 - 2.0, y0 - 2.0, x1 + 2.0, y1 + 2.0)
                continue
            box = self.extent(key, renderer)
            if box is not None:
                drawn[key] = box

    def keys_in_view(self) -> list[tuple[int, int]]:
        """The shown dynamic keys near the view, in drawing order (numpy picks them out
        of thousands; ``visible_now`` still has the last word)."""
        g = self.canvas.geometry
        if g is None:
            return dynamic_keys(self.canvas)
        keys = []
        for layer, shown in self.canvas._shown.items():
            if not shown:
                continue
            if layer == _HIGHLIGHT:
                keys += [(layer, k) for k in shown]
                continue
            index = np.fromiter(shown, int, len(shown))
            near = g.edge_in_view if layer == _LOCAL else g.in_view
            keys += [(layer, int(i)) for i in index[near[index]]]
        return sorted(keys, key=draw_order)

    def blit(self, bbox=None) -> None:
        """Ask for ``bbox`` to be painted (matplotlib's blit repaints at once: in a
        window that is one paint and flush of the window per rectangle); the event loop
        paints every rectangle of a step, and every other panel's, together."""
        if bbox is None:
            bbox = self.canvas.figure.bbox
        ratio = self.canvas.device_pixel_ratio or 1.0
        x0, y0, x1, y1 = bbox.extents
        height = self.canvas.figure.bbox.height
        left, top = math.floor(x0 / ratio), math.floor((height - y1) / ratio)
        self.canvas.update(QRect(left, top, math.ceil(x1 / ratio) - left,
                          math.ceil((height - y0) / ratio) - top))

    def paint(self, event) -> None:
        """Each rectangle of the region from the Agg buffer (a step blits a few small
        ones far apart: their bounding box, which matplotlib's paints, can be most of the
        canvas)."""
        self.canvas._draw_idle()  # only does something if a draw is pending
        renderer = getattr(self.canvas, "renderer", None)
        if renderer is None:
            return
        buffer = np.asarray(renderer.buffer_rgba())
        rows, cols = buffer.shape[:2]
        flat = buffer.reshape(-1)
        ratio = self.canvas.device_pixel_ratio or 1.0
        painter = QPainter(self.canvas)
        try:
            for rect in event.region():
                x0 = max(math.floor(rect.left() * ratio), 0)
                y0 = max(math.floor(rect.top() * ratio), 0)
                x1 = min(math.ceil((rect.left() + rect.width()) * ratio), cols)
                y1 = min(math.ceil((rect.top() + rect.height()) * ratio), rows)
                if x1 <= x0 or y1 <= y0:
                    continue
                # the rectangle read in place (the buffer's row stride), no copy; the
                # figure is opaque, so its pixels need no blending (RGBX: Qt copies)
                part = flat[4 * (y0 * cols + x0):4 * ((y1 - 1) * cols + x1)]
                image = QImage(part.data, x1 - x0, y1 - y0, 4 * cols, _FORMAT)
                image.setDevicePixelRatio(ratio)
                painter.drawImage(QPointF(x0 / ratio, y0 / ratio), image)
            self.canvas._draw_rect_callback(painter)
        finally:
            painter.end()
        # idle time (prefetch.py) counts from here: a step's work ends with its paint
        self.canvas._last_step = time.perf_counter()
        self.ahead.soon()

    def highlight_geometry(self, key: int, g: Geometry) -> tuple[Path, bool, float]:
        """The highlight's outline (made once per key and view: each step asks twice)."""
        cached = g.highlights.get(key)
        if cached is None:
            cached = g.highlights[key] = self.make_highlight(key, g)
        return cached

    def make_highlight(self, key: int, g: Geometry) -> tuple[Path, bool, float]:
        if key >= 0:
            pad = 3.0 * g.ppt
            path = rounded_boxes(g.centres[[key]], g.half[[key]] + pad, g.radius[[key]] + pad)
            return path, True, 3.0
        e = -key - 1
        line = g.edge_lines[e]
        head = g.heads[e]
        verts = np.concatenate([line, head[[0]]])
        return Path(verts), False, 4.5

    def draw_highlight(self, renderer, key: int) -> None:
        g = self.canvas.geometry
        path, _, width = self.highlight_geometry(key, g)
        gc = renderer.new_gc()
        gc.set_clip_rectangle(self.canvas.ax.bbox)
        gc.set_foreground(self.canvas.colours["highlight"])
        gc.set_linewidth(width)
        gc.set_joinstyle("round")
        gc.set_capstyle("round")
        gc.set_alpha(0.95)
        renderer.draw_path(gc, path, IdentityTransform())
        gc.restore()
        name = self.name_over(key)
        if name is not None:  # the name sits on the wire: keep it readable on top
            name.draw(renderer)

    def name_over(self, key: int) -> Text | None:
        """The name beside a highlighted node or edge source, which the highlight crosses."""
        if not self.canvas.geometry.show_text:
            return None
        source = key if key >= 0 else int(self.canvas.scene.edge_src[-key - 1])
        if not self.canvas.scene.is_op[source] or not self.canvas.geometry.in_view[source]:
            return None  # out of view the static layer does not draw it either
        texts = self.canvas.labels.static_texts(source)
        return texts[1] if len(texts) > 1 else None

    def extent(self, key: tuple[int, int], renderer=None) -> tuple | None:
        """Display extent of a dynamic artist if it is drawn now, padded for antialiasing."""
        if not visible_now(self.canvas, key):
            return None
        renderer = renderer or self.canvas.get_renderer()
        g = self.canvas.geometry
        if key[0] == _HIGHLIGHT:
            path, _, width = self.highlight_geometry(key[1], g)
            x0, y0 = path.vertices.min(axis=0)
            x1, y1 = path.vertices.max(axis=0)
            pad = width * g.ppt + 2
            name = self.name_over(key[1])
            if name is not None:  # its raster's extent when made: no text layout per step
                extent = name.cached_extent(renderer)
                if extent is None:  # not drawn yet (out of view): measure, don't rasterise
                    extent = name.get_window_extent(renderer).extents
                nx0, ny0, nx1, ny1 = extent
                x0, y0 = min(x0, nx0 - pad), min(y0, ny0 - pad)
                x1, y1 = max(x1, nx1 + pad), max(y1, ny1 + pad)
        else:
            x0, y0, x1, y1 = self.canvas.labels.dynamic_text(key).pixel_extent(renderer)
            pad = 2.0
        return (x0 - pad, y0 - pad, x1 + pad, y1 + pad)

    # ---- drawing and blitting -------------------------------------------------------

    def invalidate(self) -> None:
        self.canvas._background = None
        self.canvas._tiles.generation += 1  # the static layer may look otherwise: new tiles
        if self.canvas._draw_pending:
            # QtAgg's print_figure leaves the flag set and waits for a paint event
            self.canvas.update()
        else:
            self.canvas.draw_idle()

    def on_draw(self, event) -> None:
        if event.canvas is not self.canvas or self.canvas.is_saving():
            return
        fonts.register_qt_soon()  # deferred from start-up: the window is painted now
        # a copy to restore from (blits) and to scroll (pans, see pan.py)
        self.canvas._background = np.array(event.renderer.buffer_rgba(), copy=True)
        self.canvas._background_key = self.renderer_key()
        self.canvas._drawn_note = self.canvas.scroller.legend_note()
        offset = self.canvas._tiles.offset(self.canvas)
        if offset is not None:
            fill = self.canvas.scroller.background_rgba().view(np.uint32)[0]
            area = self.canvas.scroller.axes_rows_cols(self.canvas._background.shape[0])
            self.canvas.scroller.keep_tiles(event.renderer, area, offset, fill)
        self.canvas._drawn = {}
        self.draw_dynamic(event.renderer, None)
        self.canvas.prefetcher.restart()
        if not self.canvas._prefetch_scheduled:
            self.canvas._prefetch_scheduled = True
            QTimer.singleShot(PREFETCH_DELAY_MS, self.canvas, self.canvas.prefetcher.run)

    def show_counter(self) -> None:
        """The presentation's step counter again (its words change with every step):
        only the legend strip is drawn and blitted, not the figure (issue 19)."""
        if not self.canvas.counter:
            return
        if not self.can_blit() or getattr(self.canvas._background, "ndim", 0) != 3:
            self.invalidate()  # nothing to blit onto yet: the coming draw has it
            return
        renderer = self.canvas.get_renderer()
        buffer = np.asarray(renderer.buffer_rgba())
        height = buffer.shape[0]
        top = self.canvas.scroller.axes_rows_cols(height)[1]  # the strip: every row under the axes
        if top >= height:
            return
        # the strip as a full draw paints it: the figure's colour, then the legend layer
        # (the graph is clipped to the axes, so nothing else reaches into it)
        buffer[top:] = self.canvas.scroller.background_rgba()
        self.canvas._legend.draw(renderer)
        self.canvas._background[top:] = buffer[top:]  # blits and pans restore from it
        self.blit(Bbox.from_extents(0, 0, buffer.shape[1], height - top))

    def renderer_key(self):
        w, h = self.canvas.figure.bbox.size
        return (w, h, self.canvas.figure.dpi)

    def can_blit(self) -> bool:
        c = self.canvas
        return (c._background is not None and c.geometry is not None
                and not c._draw_pending and c._background_key == self.renderer_key()
                and getattr(c, "renderer", None) is not None)

    def blit_keys(self, changed: list[tuple[int, int]]) -> None:
        """The dynamic artists of ``changed`` keys, shown or hidden, blitted where they
        were and where they are now (a draw when there is nothing to blit onto)."""
        c = self.canvas
        if not self.can_blit():
            c.draw_idle()
            return
        regions = [c._drawn.pop(key) for key in changed if key in c._drawn]
        with text_cache.fixed_view(c.ax.transData):
            for key in changed:
                box = self.extent(key)
                if box is not None:
                    c._drawn[key] = box  # drawn below, where its region is restored
                    regions.append(box)
        self.blit_regions(regions)

    def blit_regions(self, boxes: list[tuple]) -> None:
        """Restore the background in ``boxes``, redraw the dynamic artists there, blit."""
        if not boxes:
            return
        width, height = self.canvas.figure.bbox.size
        regions = [list(b) for b in boxes]
        # the drawn artists' boxes as one array: a region finds those it touches at
        # once, not one Python test per drawn label (hundreds on a big graph, issue 19)
        drawn = np.array(list(self.canvas._drawn.values()), float).reshape(-1, 4)
        x0, y0, x1, y1 = drawn.T
        # grow and merge until every drawn artist touching a region lies inside it (a
        # region grows by all it touches at once: a few more passes than one by one)
        for _ in range(32):
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
            # every region against every drawn box at once (regions × boxes): a test per
            # region cost a tenth of a small graph's step
            r = np.array(regions, float)[:, :, None]
            touching = ((x0 < r[:, 2]) & (r[:, 0] < x1) & (y0 < r[:, 3]) & (r[:, 1] < y1)
                        & ~((r[:, 0] <= x0) & (r[:, 1] <= y0) & (x1 <= r[:, 2])
                            & (y1 <= r[:, 3])))
            for i in np.flatnonzero(touching.any(axis=1)):
                t = touching[i]
                _union(regions[i], (float(x0[t].min()), float(y0[t].min()),
                                    float(x1[t].max()), float(y1[t].max())))
                grown = True
            if not grown:
                break
        renderer = self.canvas.get_renderer()
        buffer = np.asarray(renderer.buffer_rgba())
        with text_cache.fixed_view(self.canvas.ax.transData):
            self.restore_and_draw(renderer, buffer, regions, width, height)

    def restore_and_draw(self, renderer, buffer, regions, width, height) -> None:
        rows = buffer.shape[0]
        background, drawn = self.canvas._background, self.canvas._drawn
        for r in regions:
            x0 = max(0, math.floor(r[0]))
            y0 = max(0, math.floor(r[1]))
            x1 = min(int(width), math.ceil(r[2]))
            y1 = min(int(height), math.ceil(r[3]))
            if x1 <= x0 or y1 <= y0:
                continue
            buffer[rows - y1:rows - y0, x0:x1] = background[rows - y1:rows - y0, x0:x1]
            keys = [key for key, box in drawn.items() if _overlap(box, (x0, y0, x1, y1))]
            self.draw_dynamic(renderer, sorted(keys, key=draw_order))
            self.blit(Bbox.from_extents(x0, y0, x1, y1))



def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _union(a: list[float], b) -> None:
    a[0], a[1] = min(a[0], b[0]), min(a[1], b[1])
    a[2], a[3] = max(a[2], b[2]), max(a[3], b[3])
