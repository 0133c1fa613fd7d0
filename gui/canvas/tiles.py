"""The static layer kept in tiles, so that a pan pastes what it shows (issue 19).

A step that follows into another part of a big graph (a jump: nothing of the old view
stays) drew the whole static layer again, about a full draw. The static layer does not
change while the zoom stays, so its pixels are kept in square tiles on the pixel lattice
of the view they were drawn in (every pan moves the view by whole pixels): from each
background a draw or a pan makes, and in idle time around the steps to come
(prefetch.py). A pan pastes the tiles it finds and draws only what is missing, and the
labels the new view's edge cuts (tiles hold every label: a cut depends on the view).

Tiles hold the static layer only (the dynamic labels are drawn over it, as on a blit);
any change of what the static layer looks like goes through a full draw, which starts a
new set (``Blitter.invalidate``).
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.backends.backend_agg import RendererAgg

from gui.canvas import text_cache

#: a tile's side (pixels)
TILE = 128
#: at most this many bytes of tiles per canvas (a graph bigger than that at its zoom keeps
#: the parts nearest the steps to come, in the order they were made)
MAX_TILE_BYTES = 96 << 20
#: a tile of the background colour only: nothing is kept but this mark
EMPTY = None
#: a view drawn for its missing tiles draws what reaches this near them (pixels)
_ROOM = 8


class StaticTiles:
    """Tiles of one static layer at one zoom, keyed by their place on the lattice."""

    def __init__(self):
        self.key = None
        #: bumped by every invalidation: the tiles made before it are not used again
        self.generation = 0
        self.origin = (0.0, 0.0)
        #: (trace, zoom) whose views draw too slowly to be drawn in idle time
        self.slow = None
        self.tiles: dict[tuple[int, int], np.ndarray | None] = {}
        self.size = 0

    def clear(self) -> None:
        self.key = None
        self.tiles = {}
        self.size = 0

    def full(self) -> bool:
        return self.size >= MAX_TILE_BYTES

    def offset(self, canvas, start: bool = True) -> tuple[int, int] | None:
        """The view's place on the lattice (columns, rows it moved since the tiles'
        first view), starting a new lattice when the static layer may look otherwise
        (another trace, zoom, theme, a fraction of a pixel); None when nothing is kept
        (``start=False``: None rather than a new lattice)."""
        key = lattice_key(canvas)
        if key is None:
            return None
        ox, oy = canvas.ax.transData.transform((0.0, 0.0))
        if key != self.key:
            if not start:
                return None
            self.clear()
            self.key, self.origin = key, (float(ox), float(oy))
        dx, dy = ox - self.origin[0], oy - self.origin[1]
        if abs(dx - round(dx)) > 1e-3 or abs(dy - round(dy)) > 1e-3:
            return None
        return round(dx), round(dy)

    def paste(self, buffer: np.ndarray, rects, offset, fill) -> tuple[list, list]:
        """Fill ``rects`` (top, bottom, left, right buffer rows and columns) of
        ``buffer`` from the tiles; the rectangles pasted and those still missing."""
        pasted, missing = [], []
        pixels, kept, (ox, oy) = buffer.view(np.uint32)[..., 0], self.tiles, offset
        for rect in rects:  # (_tiles_in, inlined: a jump pastes some sixty tiles)
            top, bottom, left, right = rect
            columns = range((left - ox) // TILE, -(-(right - ox) // TILE))
            for i in range((top + oy) // TILE, -(-(bottom + oy) // TILE)):
                row = i * TILE - oy
                t, b = max(top, row), min(bottom, row + TILE)
                if t >= b:
                    continue
                for j in columns:
                    col = j * TILE + ox
                    lo, hi = max(left, col), min(right, col + TILE)
                    if lo >= hi:
                        continue
                    image = kept.get((i, j), pasted)  # (the list: a tile not kept)
                    if image is pasted:
                        missing.append((t, b, lo, hi))
                        continue
                    if image is EMPTY:
                        pixels[t:b, lo:hi] = fill
                    else:  # the part's place inside the tile (see _lattice)
                        buffer[t:b, lo:hi] = image[t - row:b - row, lo - col:hi - col]
                    pasted.append((t, b, lo, hi))
        if not pasted:
            return pasted, list(rects)  # nothing kept there: drawn as they were
        return pasted, _merge_rows(missing)

    def harvest(self, buffer: np.ndarray, area, offset, fill, dirty=()) -> None:
        """Keep the tiles wholly inside ``area`` of a static background, except those a
        ``dirty`` box (buffer rows and columns: a cut label) reaches into."""
        top, bottom, left, right = area
        r_lo, c_lo = _lattice(top, left, offset)
        r_hi, c_hi = _lattice(bottom, right, offset)
        for i in range(-(-r_lo // TILE), r_hi // TILE):
            for j in range(-(-c_lo // TILE), c_hi // TILE):
                if (i, j) in self.tiles or self.full():
                    continue
                row, col = i * TILE - offset[1], j * TILE + offset[0]  # (see _lattice)
                if any(b[0] < row + TILE and row < b[1] and b[2] < col + TILE and col < b[3]
                       for b in dirty):
                    continue
                part = buffer[row:row + TILE, col:col + TILE]
                if (part.view(np.uint32) == fill).all():
                    self.tiles[(i, j)] = EMPTY
                else:
                    self.tiles[(i, j)] = part.copy()
                    self.size += part.nbytes

    def missing_whole(self, area, offset) -> list[tuple[int, int, int, int]]:
        """The tiles wholly inside ``area`` that are not kept: their buffer rows and
        columns (top, bottom, left, right), those ``harvest`` would keep."""
        top, bottom, left, right = area
        r_lo, c_lo = _lattice(top, left, offset)
        r_hi, c_hi = _lattice(bottom, right, offset)
        found = []
        for i in range(-(-r_lo // TILE), r_hi // TILE):
            for j in range(-(-c_lo // TILE), c_hi // TILE):
                if (i, j) not in self.tiles:
                    row, col = i * TILE - offset[1], j * TILE + offset[0]
                    found.append((row, row + TILE, col, col + TILE))
        return found

    def missing_near(self, area, offset) -> bool:
        """Whether a tile wholly inside ``area`` (buffer rows and columns) is not kept."""
        top, bottom, left, right = area
        r_lo, c_lo = _lattice(top, left, offset)
        r_hi, c_hi = _lattice(bottom, right, offset)
        return any((i, j) not in self.tiles for i in range(-(-r_lo // TILE), r_hi // TILE)
                   for j in range(-(-c_lo // TILE), c_hi // TILE))

    def first_missing(self, area, offset) -> tuple[int, int] | None:
        """The top left tile that ``area`` at ``offset`` touches and that is not kept."""
        for tile, _ in _tiles_in(area, offset):
            if tile not in self.tiles:
                return tile
        return None


def lattice_key(canvas):
    """What the static layer's pixels depend on, beside the view's place."""
    if canvas.trace is None or canvas.geometry is None:
        return None
    ox, oy = canvas.ax.transData.transform((0.0, 0.0))
    return (id(canvas.trace), round(canvas.view.k(), 9), round(float(ox) % 1.0, 4) % 1.0,
            round(float(oy) % 1.0, 4) % 1.0, canvas.figure.dpi, canvas.dark, canvas.out_of_date,
            canvas.text_scale, canvas._text_zoom, canvas._tiles.generation)


def _lattice(row: int, col: int, offset) -> tuple[int, int]:
    """A buffer row and column on the lattice: the content moved ``offset`` (columns
    right, display y up: rows up) since the lattice's first view."""
    return row + offset[1], col - offset[0]


def _tiles_in(rect, offset):
    """Each tile ``rect`` (buffer rows and columns) touches, and the part of ``rect``
    it covers."""
    top, bottom, left, right = rect
    r_lo, c_lo = _lattice(top, left, offset)
    r_hi, c_hi = _lattice(bottom, right, offset)
    for i in range(r_lo // TILE, -(-r_hi // TILE)):
        for j in range(c_lo // TILE, -(-c_hi // TILE)):
            row, col = i * TILE - offset[1], j * TILE + offset[0]
            part = (max(top, row), min(bottom, row + TILE), max(left, col),
                    min(right, col + TILE))
            if part[0] < part[1] and part[2] < part[3]:
                yield (i, j), part


def _merge_rows(parts: list) -> list:
    """Missing tile parts joined along each row of tiles, then rows of the same span
    joined (fewer boxes to draw)."""
    merged: list[list[int]] = []
    for top, bottom, left, right in sorted(parts):
        last = merged[-1] if merged else None
        if last is not None and last[0] == top and last[1] == bottom and last[3] == left:
            last[3] = right
        else:
            merged.append([top, bottom, left, right])
    spans: list[list[int]] = []
    for top, bottom, left, right in sorted(merged, key=lambda m: (m[2], m[3], m[0])):
        last = spans[-1] if spans else None
        if last is not None and last[2:] == [left, right] and last[1] == top:
            last[1] = bottom
        else:
            spans.append([top, bottom, left, right])
    return [tuple(m) for m in spans]


_SCRATCH: dict[tuple, RendererAgg] = {}


def scratch_like(renderer) -> RendererAgg:
    """An off-screen renderer the canvas's size (one, reused: views drawn in idle time)."""
    width, height = int(renderer.width), int(renderer.height)
    key = (width, height, renderer.dpi)
    scratch = _SCRATCH.get(key)
    if scratch is None:
        _SCRATCH.clear()
        scratch = _SCRATCH[key] = RendererAgg(width, height, renderer.dpi)
    return scratch


def render_view(canvas, offset: tuple[int, int], tiles: StaticTiles, fill) -> None:
    """Draw the static layer of the view ``offset`` (a place on the lattice) in a scratch
    renderer and keep its tiles; the canvas's view is left as it was."""
    renderer = canvas.get_renderer()
    height = int(renderer.height)
    scratch = scratch_like(renderer)
    now = tiles.offset(canvas)
    if now is None:
        return
    ax = canvas.ax
    xlim, ylim, cut = ax.get_xlim(), ax.get_ylim(), canvas._cut
    k = canvas.view.k()
    dx, dy = offset[0] - now[0], offset[1] - now[1]
    try:
        ax.set_xlim(xlim[0] - dx / k, xlim[1] - dx / k, emit=False)
        ax.set_ylim(ylim[0] - dy / k, ylim[1] - dy / k, emit=False)
        if tiles.offset(canvas, start=False) != offset:  # float rounding: off the lattice
            return
        canvas._cut = set()  # every label: a tile may serve any view
        area = canvas.scroller.axes_rows_cols(height)
        # only what reaches into the tiles not kept yet (a neighbouring step's view
        # left most of them): their texts alone are rasterised, not the whole view's.
        # Chosen with room (a line's width, antialiasing), clipped to the axes as a
        # full draw is: every pixel of those tiles is a full draw's
        boxes = [(col - _ROOM, height - bottom - _ROOM, right + _ROOM, height - row + _ROOM)
                 for row, bottom, col, right in tiles.missing_whole(area, offset)]
        if not boxes:
            return
        buffer = np.asarray(scratch.buffer_rgba())
        buffer.view(np.uint32)[..., 0] = fill
        geometry = canvas.view.geometry(scratch)
        with text_cache.fixed_view(ax.transData):
            canvas._graph_layer.draw_static(scratch, geometry, boxes, split=False)
        tiles.harvest(buffer, area, offset, fill)
    finally:
        ax.set_xlim(*xlim, emit=False)
        ax.set_ylim(*ylim, emit=False)
        canvas._cut = cut


def view_offsets(canvas, centres: np.ndarray, offset: tuple[int, int]):
    """For world points: the lattice place of a view centred on each (a generator)."""
    k = canvas.view.k()
    (x0, x1), (y0, y1) = canvas.ax.get_xlim(), canvas.ax.get_ylim()
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    for x, y in centres:
        yield (offset[0] + math.floor((cx - x) * k), offset[1] + math.floor((cy - y) * k))


def starting_at(tile: tuple[int, int], area) -> tuple[int, int]:
    """The place of the view whose area starts (top left) with ``tile``: its render
    keeps whole tiles only, and such renders tile the plane."""
    top, _, left, _ = area
    return left - tile[1] * TILE, tile[0] * TILE - top
