"""Following the step without a full draw: the static background scrolled (issue 19).

When the view follows the step at the same zoom, it moves by whole pixels (see
``View``'s animation). The background kept since the last draw (graph layer,
legend strip) is shifted by that many pixels; only the strips that came into view, and
the labels whose cut changed at the view's edge, are drawn again; then the dynamic
labels, and one blit. A step that must draw in full says why (``Scroller.scroll_view``).
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.colors import to_rgba
from matplotlib.transforms import Bbox

from gui.canvas import text_cache
from gui.canvas.focus import visible_now
from gui.canvas.scene import _HIGHLIGHT


class Scroller:
    """The scrolled pan of :class:`~gui.canvas.widget.GraphCanvas`."""

    def __init__(self, canvas) -> None:
        self.canvas = canvas

    def axes_rows_cols(self, height: int) -> tuple[int, int, int, int]:
        """The axes' pixels in the buffer (rows from the top): where Agg clips them."""
        box = self.canvas.ax.bbox
        top = math.floor(height - box.y1 + 0.5)
        bottom = math.floor(height - box.y0 + 0.5)
        return max(top, 0), bottom, max(math.floor(box.x0 + 0.5), 0), math.floor(box.x1 + 0.5)

    def scroll_view(self, before, cut_before: set) -> bool:
        """Show the view that replaced ``before`` (xlim, ylim) by scrolling; False when
        it cannot be done and a full draw is needed: no background yet, a new zoom
        (every text at a new size), a move by a fraction of a pixel, or the legend
        strip's note changed."""
        canvas = self.canvas
        if (not text_cache.TEXT_CACHE or not canvas.blitter.can_blit() or canvas.geometry is None
                or getattr(canvas._background, "ndim", 0) != 3):
            return False
        (ox0, ox1), (oy0, oy1) = before
        (nx0, nx1), (ny0, ny1) = self.canvas.ax.get_xlim(), self.canvas.ax.get_ylim()
        k = self.canvas.view.k()
        if abs((ox1 - ox0) - (nx1 - nx0)) > 1e-9 * (ox1 - ox0) or \
                abs((oy1 - oy0) - (ny1 - ny0)) > 1e-9 * (oy1 - oy0):
            return False
        dx, dy = (ox0 - nx0) * k, (oy0 - ny0) * k  # the content moves by this (y up)
        if abs(dx - round(dx)) > 1e-3 or abs(dy - round(dy)) > 1e-3:
            return False
        renderer = self.canvas.get_renderer()
        old = self.canvas.geometry
        geometry = (old.moved(round(dx), round(dy)) if old.renderer is renderer
                    else self.canvas.view.geometry(renderer))
        if geometry.show_text != self.canvas.geometry.show_text or self.legend_note() != getattr(
                self.canvas, "_drawn_note", None):
            return False
        self.canvas.geometry = geometry
        cut = self.canvas.blitter.ahead.planned_cut()  # found in idle time (ahead.py)
        self.canvas._cut = self.canvas.cut_labels() if cut is None else cut
        self.scroll(renderer, round(dx), round(dy), cut_before)
        return True

    def scroll(self, renderer, dx: int, dy: int, cut_before: set) -> None:
        """The background (and the frame, when part of it stays) moved by ``dx``, ``dy``
        display pixels, what came into view and what the view's edge cuts anew drawn,
        then the dynamic labels; one blit."""
        buffer = np.asarray(renderer.buffer_rgba())
        area = self.axes_rows_cols(buffer.shape[0])
        background, dc, dr = self.canvas._background, dx, -dy
        kept = abs(dr) < area[1] - area[0] and abs(dc) < area[3] - area[2]
        if kept:  # the frame moves with its dynamic labels, the background with it
            strips = _shift(buffer, buffer, area, dc, dr)
            _shift(background, background, area, dc, dr)
            _outside(buffer, background, area)
        else:
            strips = _shift(buffer, background, area, dc, dr)
        height = buffer.shape[0]
        offset = self.canvas._tiles.offset(self.canvas)
        fill = self.background_rgba().view(np.uint32)[0]
        composed = None if kept or offset is None else \
            self.canvas.blitter.ahead.take(offset, area)
        changed = [] if composed is not None else self.static_parts(
            renderer, buffer, area, strips, (offset, fill), cut_before if kept else None)
        if kept:  # the new static parts into the background (the rest moved in it)
            for x0, y0, x1, y1 in changed:
                rows = slice(max(height - y1, 0), max(height - y0, 0))
                background[rows, max(x0, 0):max(x1, 0)] = buffer[rows, max(x0, 0):max(x1, 0)]
        elif composed is not None:  # a jump to a view composed ahead (ahead.py): it is
            # the new background, the strip under the axes the old one's; one copy shows it
            _outside(composed, background, area)
            np.copyto(buffer[area[0]:area[1]], composed[area[0]:area[1]])
            self.canvas._background = composed
        else:
            np.copyto(background[area[0]:area[1]], buffer[area[0]:area[1]])  # (the rest was
            # copied from it)
        if offset is not None:
            self.keep_tiles(renderer, area, offset, fill)
        if kept:
            self.keep_dynamic(changed, dx, dy)
        else:
            self.canvas._drawn = {}
            self.canvas.blitter.draw_dynamic(renderer, None)
        self.canvas.prefetcher.restart()
        self.canvas.blit(self.canvas.ax.bbox)

    def static_parts(self, renderer, buffer, area, strips: list, tiling,
                     cut_before: set | None) -> list[tuple]:
        """The static layer in ``strips`` (what came into view: pasted from the tiles
        where kept, tiles.py, else drawn) and under the labels whose cut changed (None:
        a jump, which keeps no pixel of the old view: what it pastes is hidden by
        cut_in, what it draws is drawn as cut now); the display boxes changed."""
        offset, fill = tiling
        height = buffer.shape[0]
        pasted, rects = (self.canvas._tiles.paste(buffer, strips, offset, fill)
                         if offset is not None else ([], strips))
        boxes = [(left, height - bottom, right, height - top)
                 for top, bottom, left, right in rects]
        whole = rects == [area]  # a jump: nothing kept, every static artist drawn anew
        recut = set() if cut_before is None else cut_before ^ self.canvas._cut
        if pasted:  # tiles hold every label: hide those this view's edge cuts
            recut |= self.cut_in(pasted, height, renderer)
        if not whole:  # inside the axes only: a label at the edge reaches into the
            # legend strip, which the static layer does not draw (it would stay empty)
            top, bottom, left, right = area
            boxes += [(max(x0, left), max(y0, height - bottom), min(x1, right),
                       min(y1, height - top))
                      for x0, y0, x1, y1 in self.recut_boxes(recut, renderer)
                      if x0 < right and x1 > left and y0 < height - top and y1 > height - bottom]
        if boxes:
            with text_cache.fixed_view(self.canvas.ax.transData):
                _redraw(self.canvas, renderer, self.canvas.geometry, buffer, boxes, whole)
        return [(left, height - bottom, right, height - top)
                for top, bottom, left, right in strips] + boxes

    def keep_dynamic(self, changed: list, dx: int, dy: int) -> None:
        """The dynamic labels moved with the frame (by ``dx``, ``dy`` display pixels)
        stay; drawn again are those in ``changed`` boxes (new static parts: strips and
        cut labels), those shown or hidden since, and the highlight (its name's place
        depends on the view)."""
        canvas, blitter = self.canvas, self.canvas.blitter
        old, drawn, regions = canvas._drawn, {}, list(changed)
        with text_cache.fixed_view(canvas.ax.transData):
            for key in blitter.keys_in_view():
                box = old.pop(key, None)
                if box is not None and key[0] != _HIGHLIGHT and visible_now(canvas, key):
                    drawn[key] = (box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy)
                    continue
                if box is not None:  # drawn before: gone or drawn anew there
                    regions.append((box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy))
                box = blitter.extent(key)
                if box is not None:
                    drawn[key] = box
                    regions.append(box)
        regions += [(b[0] + dx, b[1] + dy, b[2] + dx, b[3] + dy) for b in old.values()]
        canvas._drawn = drawn
        blitter.blit_regions(regions)

    def recut_boxes(self, keys: set, renderer) -> list[tuple[int, int, int, int]]:
        """Pixel boxes of the static labels that a new cut hides or shows again."""
        boxes = []
        calls = {text.cut_key: text for text in self.canvas.labels.group_texts()} \
            if any(key[0] == "group" for key in keys) else {}
        for key in keys:
            if key in calls:  # a call's label
                text = calls[key]
            elif key[0] != "static":
                continue  # the dynamic labels are all drawn again anyway
            else:
                texts = self.canvas.labels.static_texts(key[1])
                if key[2] >= len(texts):
                    continue
                text = texts[key[2]]
            x0, y0, x1, y1 = text.pixel_extent(renderer)
            boxes.append((math.floor(x0) - 2, math.floor(y0) - 2,
                          math.ceil(x1) + 2, math.ceil(y1) + 2))
        return boxes

    def cut_in(self, parts: list, height: int, renderer) -> set:
        """The static labels this view's edge cuts that reach into ``parts`` (buffer
        rows and columns): pasted from tiles, which hold every label."""
        found = set()
        for key in self.canvas._cut:
            for x0, y0, x1, y1 in self.recut_boxes({key}, renderer):
                top, bottom = height - y1, height - y0
                if any(p[0] < bottom and top < p[1] and p[2] < x1 and x0 < p[3]
                       for p in parts):
                    found.add(key)
        return found

    def keep_tiles(self, renderer, area, offset, fill) -> None:
        """The tiles of the static background now kept (tiles.py), except where a label
        the view's edge cuts would be missing from them."""
        if self.canvas._tiles.full() or not self.canvas._tiles.missing_near(area, offset):
            return
        height = self.canvas._background.shape[0]
        dirty = [(height - y1, height - y0, x0, x1)
                 for x0, y0, x1, y1 in self.recut_boxes(self.canvas._cut, renderer)]
        self.canvas._tiles.harvest(self.canvas._background, area, offset, fill, dirty)

    def background_rgba(self) -> np.ndarray:
        """The figure's background colour as Agg paints it."""
        colour = to_rgba(self.canvas.figure.get_facecolor())
        return np.array([int(c * 255 + 0.5) for c in colour], np.uint8)

    def legend_note(self):
        c = self.canvas
        return (c.out_of_date, bool(c.counter), c.hint, c._legend.get_visible())


def _redraw(canvas, renderer, geometry, buffer: np.ndarray, boxes: list,
            whole: bool = False) -> None:
    """The static layer again inside ``boxes`` (display pixels): emptied, then every
    artist reaching into them drawn as a full draw would; the pixels outside are kept
    (an artist is drawn whole, so it would be drawn twice there). ``whole``: the one box
    is the axes, where every artist is clipped, so nothing outside needs keeping."""
    height = buffer.shape[0]
    pixels = buffer.view(np.uint32)[..., 0]  # one word a pixel: a fill is a memset
    fill = canvas.scroller.background_rgba().view(np.uint32)[0]
    if whole:
        x0, y0, x1, y1 = boxes[0]
        pixels[max(height - y1, 0):max(height - y0, 0), max(x0, 0):max(x1, 0)] = fill
        canvas._graph_layer.draw_static(renderer, geometry, boxes)
        return
    # drawn once, in a scratch buffer the canvas's size, clipped to all the boxes'
    # bounding box; only the boxes' pixels are copied back. Per box (the labels a jump's
    # edges cut lie on all four sides) each draw cost ~1 ms of fixed work; over their
    # bounding box, most of the view was copied and masked whole (issue 19)
    scratch = _scratch_like(renderer)
    drawn = np.asarray(scratch.buffer_rgba()).view(np.uint32)[..., 0]
    parts = []
    for bx0, by0, bx1, by1 in boxes:
        rows = slice(max(height - by1, 0), max(height - by0, 0))
        cols = slice(max(bx0, 0), max(bx1, 0))
        drawn[rows, cols] = fill
        parts.append((rows, cols))
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    clip = Bbox.intersection(Bbox.from_extents(x0, y0, x1, y1), canvas.ax.bbox)
    if clip is not None:
        with text_cache.clipped(clip):  # (every artist reaching into a box, as drawn in
            # full: the pixels inside each box are a full draw's)
            canvas._graph_layer.draw_static(scratch, geometry, boxes, clip, split=False)
    for rows, cols in parts:
        pixels[rows, cols] = drawn[rows, cols]


_SCRATCH: dict[tuple, RendererAgg] = {}


def _scratch_like(renderer) -> RendererAgg:
    """An off-screen renderer the canvas's size for ``_redraw`` (its own: a view
    composed ahead draws in tiles.scratch_like's and redraws there too)."""
    key = (int(renderer.width), int(renderer.height), renderer.dpi)
    scratch = _SCRATCH.get(key)
    if scratch is None:
        _SCRATCH.clear()
        scratch = _SCRATCH[key] = RendererAgg(*key)
    return scratch


def _outside(buffer: np.ndarray, background: np.ndarray, area) -> None:
    """Outside ``area`` (the legend strip, the margins): the background's pixels."""
    top, bottom, left, right = area
    buffer[:top] = background[:top]
    buffer[bottom:] = background[bottom:]
    buffer[top:bottom, :left] = background[top:bottom, :left]
    buffer[top:bottom, right:] = background[top:bottom, right:]


def _shift(buffer: np.ndarray, background: np.ndarray, area: tuple[int, int, int, int],
           dc: int, dr: int) -> list[tuple[int, int, int, int]]:
    """``background``'s ``area`` (top, bottom, left, right) moved by dc columns and dr
    rows into ``buffer``; the rectangles left uncovered, as (top, bottom, left, right)."""
    top, bottom, left, right = area
    height, width = bottom - top, right - left
    # outside the area as it was (the legend strip); inside, what the rectangles
    # returned leave is pasted or drawn anew, so only the moved part is copied (in
    # place when ``buffer`` is ``background``: numpy copies overlapping parts safely)
    if buffer is not background:
        _outside(buffer, background, area)
    if abs(dr) >= height or abs(dc) >= width:  # all of the area is drawn anew
        return [area]
    dst_r0, dst_r1 = top + max(dr, 0), bottom + min(dr, 0)
    dst_c0, dst_c1 = left + max(dc, 0), right + min(dc, 0)
    _move(buffer, background, (dst_r0, dst_r1, dst_c0, dst_c1), dr, dc)
    rects = []
    if dst_r0 > top:
        rects.append((top, dst_r0, left, right))
    if dst_r1 < bottom:
        rects.append((dst_r1, bottom, left, right))
    if dst_c0 > left:
        rects.append((dst_r0, dst_r1, left, dst_c0))
    if dst_c1 < right:
        rects.append((dst_r0, dst_r1, dst_c1, right))
    return rects


#: rows moved at once at least, by ``_move`` in place (fewer: through the scratch copy)
_LEAST_CHUNK = 8
_MOVE_SCRATCH: list[np.ndarray] = []


def _move(buffer: np.ndarray, background: np.ndarray, dst: tuple[int, int, int, int],
          dr: int, dc: int) -> None:
    """``buffer[dst] = background[dst moved back by dr rows, dc columns]`` without the
    temporary copy numpy makes when both are one array (a pan moves the frame and the
    background in place): ~0.7 ms a move of a 1400×700 view, a fresh 4 MB each time.
    Moved up or down, chunks of whole rows in the order a memmove copies; otherwise
    through a scratch array kept for the next pan (issue 19)."""
    r0, r1, c0, c1 = dst
    target = buffer[r0:r1, c0:c1]
    source = background[r0 - dr:r1 - dr, c0 - dc:c1 - dc]
    if not np.may_share_memory(target, source):
        np.copyto(target, source)
        return
    if dc == 0 and abs(dr) >= _LEAST_CHUNK:  # each chunk's rows: read before overwritten
        rows, step = r1 - r0, abs(dr)
        # up: from the top down; down: from the bottom up (each chunk ``step`` rows)
        starts = range(0, rows, step) if dr < 0 else range((rows - 1) // step * step, -1, -step)
        for i in starts:
            j = min(i + step, rows)
            np.copyto(target[i:j], source[i:j])
        return
    scratch = _MOVE_SCRATCH[0] if _MOVE_SCRATCH else None
    if scratch is None or scratch.size < source.size:
        scratch = np.empty(source.size, np.uint8)
        _MOVE_SCRATCH[:] = [scratch]
    held = scratch[:source.size].reshape(source.shape)
    np.copyto(held, source)
    np.copyto(target, held)
