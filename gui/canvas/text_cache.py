"""Texts rasterised once and pasted afterwards (Agg only; vector backends draw them).

A raster is keyed by what it shows (text, style, font size, dpi), not by the artist:
the graph repeats the same few labels ("+", "0.3", "2 · s = −2") many times, and each
is rasterised once. Texts are drawn at whole pixels (pasted or not), so one raster fits
every place, and a pan by whole pixels moves them exactly.
"""

from __future__ import annotations

import math
from contextlib import contextmanager

import numpy as np
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.text import Text
from matplotlib.transforms import Bbox, IdentityTransform

#: paste texts from rasters made once (off: draw every text, for comparison in tests)
TEXT_CACHE = True
#: rasters kept in the process; past this the oldest quarter goes (What-if makes new
#: numbers)
MAX_RASTERS = 8000
#: the rasters of every canvas's texts, keyed by what they show (``raster_key``): a new
#: graph, theme or window pastes the "+", "0.3" and "x" an earlier one made (a window
#: drew the lesson's 26 labels anew, ~50 ms; each window of the tests did)
RASTERS: dict = {}


def make_room() -> None:
    """Before a new scene's texts: only the newest quarter of the rasters stays, so that
    its own idle-time rasters (prefetch.py stops at three quarters) have room."""
    excess = len(RASTERS) - MAX_RASTERS // 4
    if excess > 0:
        for key in list(RASTERS)[:excess]:
            RASTERS.pop(key, None)


#: while a view is fixed (see fixed_view): its data transform and its affine matrix
_FIXED: tuple | None = None


@contextmanager
def fixed_view(transform):
    """While drawing one view: texts placed by ``transform`` (the axes' data transform,
    affine on linear axes) find their pixel by six numbers, not by matplotlib's
    transform stack (~20 µs a text, twice a text a draw: the extent, then the paste)."""
    global _FIXED
    m = transform.get_affine().get_matrix()
    before = _FIXED
    _FIXED = (transform, float(m[0, 0]), float(m[0, 1]), float(m[0, 2]),
              float(m[1, 0]), float(m[1, 1]), float(m[1, 2]))
    try:
        yield
    finally:
        _FIXED = before


#: while redrawing a part of the view (see clipped): the box every text is clipped to
_CLIP: Bbox | None = None


@contextmanager
def clipped(box: Bbox):
    """Texts clipped to ``box`` (display pixels, inside the axes) instead of the axes:
    a pan redraws a part of the view and keeps every pixel outside it."""
    global _CLIP
    before = _CLIP
    _CLIP = box
    try:
        yield
    finally:
        _CLIP = before


class CachedText(Text):
    """A Text that Agg renders once into a small image and then only pastes.

    The same label is drawn on every full redraw and again by every blit around it;
    laying out and rasterising glyphs costs ~1 ms a text, pasting a few µs. Vector
    backends (SVG, PDF) draw the real text.
    """

    cache: dict | None = None  # RASTERS, or its own scene's (see shared_raster)
    _style: tuple | None = None
    #: its raster is keyed by what it shows, and goes to the process's RASTERS
    shared_raster = True

    def raster_key(self, dpi: float) -> tuple:
        """What the raster depends on; the style is read once (texts keep theirs)."""
        if self._style is None:
            patch = self.get_bbox_patch()
            box = None if patch is None else (
                _boxstyle_key(patch.get_boxstyle()), patch.get_facecolor(), patch.get_edgecolor(),
                patch.get_alpha(), patch.get_linewidth())
            self._style = (type(self).__name__, str(self.get_color()),
                           self._props_key(),
                           self.get_horizontalalignment(), self.get_verticalalignment(),
                           self._multialignment, self._linespacing,
                           self.get_rotation(), box)
        return (self._style, self.get_text(), self.get_fontsize(), dpi)

    def display_xy(self) -> tuple[float, float]:
        """The anchor in display pixels."""
        fixed = _FIXED
        if fixed is not None and self._transform is fixed[0]:
            _, a, b, c, d, e, f = fixed
            x, y = float(self._x), float(self._y)
            return a * x + b * y + c, d * x + e * y + f
        x, y = self.get_transform().transform(self.get_unitless_position())
        return x, y

    def _props_key(self) -> tuple:
        p = self.get_fontproperties()
        return (tuple(p.get_family()), p.get_style(), p.get_weight(), p.get_stretch(),
                p.get_variant(), p.get_math_fontfamily())

    def draw(self, renderer) -> tuple[int, int, int, int] | None:
        """Draw; the raster's extent when one was pasted (what ``pixel_extent`` gives:
        a blit notes it without looking the raster up again), else None."""
        if not self.get_visible() or not self.get_text():
            return None
        if not isinstance(renderer, RendererAgg):
            self.draw_plain(renderer)
            return None
        x, y = self.display_xy()
        if not (math.isfinite(x) and math.isfinite(y)):
            return None
        clip = self.get_clip_box() if self.get_clip_on() else None
        if _CLIP is not None and clip is not None:
            clip = _CLIP
        if self.cache is None or not TEXT_CACHE:
            self._draw_at(renderer, round(x), round(y), clip)
            return None
        image, dx, dy = self._entry(renderer.dpi, x, y)
        # one graphics context per renderer: making one costs more than pasting the image
        gc = getattr(renderer, "_pasting_gc", None)
        if gc is None:
            gc = renderer._pasting_gc = renderer.new_gc()
        x0, y0 = round(x) + dx, round(y) + dy
        x1, y1 = x0 + image.shape[1], y0 + image.shape[0]
        if clip is not None:  # wholly clipped away (a label just outside the view, which
            # the view's padded "near" draws): Agg would paint nothing
            cx0, cy0, cx1, cy1 = clip.extents
            if x0 >= cx1 or x1 <= cx0 or y0 >= cy1 or y1 <= cy0:
                return (x0, y0, x1, y1)
        gc.set_clip_rectangle(clip)
        renderer.draw_image(gc, x0, y0, image)
        return (x0, y0, x1, y1)

    def _entry(self, dpi: float, x: float, y: float):
        key = self.raster_key(dpi)
        entry = self.cache.get(key)
        if entry is None:
            if len(self.cache) >= MAX_RASTERS:
                for old in list(self.cache)[:MAX_RASTERS // 4]:
                    self.cache.pop(old, None)
            entry = self.cache[key] = self._rasterise(_scratch(dpi), round(x), round(y))
        return entry

    def _draw_at(self, renderer, x: int, y: int, clip=None) -> None:
        """Draw for real with the anchor at whole pixels (x, y) (as the rasters are)."""
        transform, position, clip_on = self.get_transform(), self.get_position(), self.get_clip_on()
        box = self.get_clip_box()
        try:
            self.set_transform(IdentityTransform())
            self.set_position((x, y))
            if clip is None:
                self.set_clip_on(False)
            else:
                self.set_clip_box(clip)
            self.draw_plain(renderer)
        finally:
            self.set_transform(transform)
            self.set_position(position)
            self.set_clip_box(box)
            self.set_clip_on(clip_on)

    def draw_plain(self, renderer) -> None:
        """Draw for real (what the raster holds); a grid paints its cells first."""
        Text.draw(self, renderer)

    def _cached(self, dpi: float):
        if self.cache is None or not TEXT_CACHE:
            return None
        return self.cache.get(self.raster_key(dpi))

    def cached_extent(self, renderer) -> tuple[float, float, float, float] | None:
        """The extent of the raster if it has been made, else None (nothing is made)."""
        entry = self._cached(renderer.dpi)
        if not entry:
            return None
        x, y = self.display_xy()
        image, dx, dy = entry
        x0, y0 = round(x) + dx, round(y) + dy
        return (x0, y0, x0 + image.shape[1], y0 + image.shape[0])

    def pixel_extent(self, renderer) -> tuple[float, float, float, float]:
        """Display extent of the text and its background box (the raster, when made)."""
        entry = None
        if self.cache is not None and TEXT_CACHE and isinstance(renderer, RendererAgg):
            self.prepare(renderer)  # the same extent whether it was pasted before or not
            entry = self._cached(renderer.dpi)
        if entry:
            x, y = self.display_xy()
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
        if self.cache is not None and TEXT_CACHE and self.get_text():
            x, y = self.display_xy()
            if math.isfinite(x) and math.isfinite(y):
                self._entry(renderer.dpi, x, y)

    def _rasterise(self, scratch: RendererAgg, x: int, y: int):
        transform, position, clip = self.get_transform(), self.get_position(), self.get_clip_on()
        layout = Text._get_layout(self, scratch)  # laid out once: it ignores the position
        self._get_layout = lambda renderer: layout
        try:
            self.set_transform(IdentityTransform())
            self.set_clip_on(False)
            self.set_position((x, y))
            box = self.get_window_extent(scratch)  # the same extent: it depends on dpi only
            patch = self.get_bbox_patch()
            if patch is not None:
                self.update_bbox_position_size(scratch)
                corners = patch.get_transform().transform(patch.get_path().vertices)
                (px0, py0), (px1, py1) = corners.min(axis=0), corners.max(axis=0)
                box = Bbox.from_extents(min(box.x0, px0), min(box.y0, py0),
                                        max(box.x1, px1), max(box.y1, py1))
            x0, y0 = math.floor(box.x0) - 2, math.floor(box.y0) - 2
            width, height = math.ceil(box.x1) + 2 - x0, math.ceil(box.y1) + 2 - y0
            if width > scratch.width or height > scratch.height:
                scratch = _scratch(scratch.dpi, width, height)
            _clear(scratch, width, height)
            self.set_position((x - x0, y - y0))
            self.draw_plain(scratch)
        finally:
            del self._get_layout
            self.set_transform(transform)
            self.set_position(position)
            self.set_clip_on(clip)
        # the buffer's first row is the top and the text sits at its bottom left;
        # draw_image wants the bottom row first
        rows = np.asarray(scratch.buffer_rgba())[scratch.height - height:, :width]
        return np.array(rows[::-1], copy=True), x0 - x, y0 - y


def _boxstyle_key(style) -> tuple:
    """A box style by what it draws: its kind and its numbers (its repr holds the
    object's address, so no two labels' boxes shared a raster: every boxed value
    "1" or "0.3" of a big graph was rasterised anew, issue 19)."""
    return (type(style).__name__, tuple(sorted(vars(style).items())))


_SCRATCH: dict[float, RendererAgg] = {}
_USED: dict[int, tuple[int, int]] = {}


def _clear(scratch: RendererAgg, width: int, height: int) -> None:
    """Empty the bottom-left corner the next raster uses and the last one used (the
    whole buffer would cost more than the raster)."""
    used_w, used_h = _USED.get(id(scratch), (scratch.width, scratch.height))
    w, h = max(width, used_w), max(height, used_h)
    np.asarray(scratch.buffer_rgba())[scratch.height - h:, :w] = 0
    _USED[id(scratch)] = (width, height)


def _scratch(dpi: float, width: int = 0, height: int = 0) -> RendererAgg:
    """One Agg renderer per dpi, reused for every raster: matplotlib caches text metrics
    per renderer, so a fresh renderer per text laid every text out twice."""
    renderer = _SCRATCH.get(dpi)
    if renderer is None or width > renderer.width or height > renderer.height:
        old = (renderer.width, renderer.height) if renderer is not None else (0, 0)
        renderer = _SCRATCH[dpi] = RendererAgg(max(width, old[0], 1024),
                                               max(height, old[1], 256), dpi)
    return renderer
