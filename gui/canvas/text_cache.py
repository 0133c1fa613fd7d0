"""Texts rasterised once and pasted afterwards (Agg only; vector backends draw them)."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.text import Text
from matplotlib.transforms import Bbox, IdentityTransform

#: paste texts from rasters made once (off: draw every text, for comparison in tests)
TEXT_CACHE = True


class CachedText(Text):
    """A Text that Agg renders once into a small image and then only pastes.

    The same label is drawn on every full redraw and again by every blit around it;
    laying out and rasterising glyphs costs ~1 ms a text, pasting a few µs. Vector
    backends (SVG, PDF) draw the real text.
    """

    cache: dict | None = None  # set per canvas

    def draw(self, renderer) -> None:
        if (self.cache is None or not TEXT_CACHE or not isinstance(renderer, RendererAgg)
                or not self.get_visible() or not self.get_text()):
            self.draw_plain(renderer)
            return
        x, y = self.get_transform().transform(self.get_unitless_position())
        if not (math.isfinite(x) and math.isfinite(y)):
            return
        key = (id(self), renderer.dpi, self.get_fontsize())
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

    def draw_plain(self, renderer) -> None:
        """Draw for real (what the raster holds); a grid paints its cells first."""
        Text.draw(self, renderer)

    def cached_extent(self, renderer) -> tuple[float, float, float, float] | None:
        """The extent of the raster if it has been made, else None (nothing is made)."""
        if self.cache is None or not TEXT_CACHE:
            return None
        entry = self.cache.get((id(self), renderer.dpi, self.get_fontsize()))
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
            entry = self.cache[(id(self), renderer.dpi, self.get_fontsize())]
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
        key = (id(self), renderer.dpi, self.get_fontsize())
        if self.cache is not None and key not in self.cache:
            x, y = self.get_transform().transform(self.get_unitless_position())
            self.cache[key] = self._rasterise(renderer, x, y)

    def _rasterise(self, renderer, x: float, y: float):
        scratch = _scratch(renderer.dpi)
        box = self.get_window_extent(scratch)  # the same extent: it depends on dpi only
        patch = self.get_bbox_patch()
        if patch is not None:
            self.update_bbox_position_size(scratch)
            box = Bbox.union([box, patch.get_window_extent(scratch)])
        x0, y0 = math.floor(box.x0) - 2, math.floor(box.y0) - 2
        width, height = math.ceil(box.x1) + 2 - x0, math.ceil(box.y1) + 2 - y0
        if width > scratch.width or height > scratch.height:
            scratch = _scratch(renderer.dpi, width, height)
        scratch.clear()
        transform, position, clip = self.get_transform(), self.get_position(), self.get_clip_on()
        try:
            self.set_transform(IdentityTransform())
            self.set_position((x - x0, y - y0))
            self.set_clip_on(False)
            self.draw_plain(scratch)
        finally:
            self.set_transform(transform)
            self.set_position(position)
            self.set_clip_on(clip)
        # the buffer's first row is the top and the text sits at its bottom left;
        # draw_image wants the bottom row first
        rows = np.asarray(scratch.buffer_rgba())[scratch.height - height:, :width]
        return np.array(rows[::-1], copy=True), x0 - round(x), y0 - round(y)


_SCRATCH: dict[float, RendererAgg] = {}


def _scratch(dpi: float, width: int = 0, height: int = 0) -> RendererAgg:
    """One Agg renderer per dpi, reused for every raster: matplotlib caches text metrics
    per renderer, so a fresh renderer per text laid every text out twice."""
    renderer = _SCRATCH.get(dpi)
    if renderer is None or width > renderer.width or height > renderer.height:
        old = (renderer.width, renderer.height) if renderer is not None else (0, 0)
        renderer = _SCRATCH[dpi] = RendererAgg(max(width, old[0], 1024),
                                               max(height, old[1], 256), dpi)
    return renderer
