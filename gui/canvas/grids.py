"""Tensors on the canvas: small ones as a grid of cells on a diverging colour scale,
larger ones as a shape badge beside a heat-map thumbnail.

A grid label is one monospaced text (so columns line up and the placement can measure
it without a layout); :class:`GridText` paints the cells under it. Blue is below 0,
red above, white at 0, in both themes (the numbers stay dark on the light cells).
"""

from __future__ import annotations

import numpy as np
from matplotlib.path import Path
from matplotlib.transforms import IdentityTransform

from core.base.format import format_number
from core.base.values import shape_text
from core.drawing.labels import grid_cells, grid_shape
from gui.canvas.text_cache import CachedText

#: the thumbnail of a badge: at most this many bins along each axis
THUMB_BINS = 8
#: characters of room the thumbnail takes before the badge's shape text
THUMB_CHARS = 3
MONO = "DejaVu Sans Mono"
NEGATIVE, POSITIVE = np.array([0.13, 0.40, 0.67]), np.array([0.70, 0.09, 0.17])
#: the strongest cell blends this far from white towards its hue (the text stays legible)
STRENGTH = 0.55


def grid_info(value) -> tuple[str, dict] | None:
    """(text, info) of a tensor's grid or badge label, None for scalars and the long
    vectors the canvas draws as a column."""
    if value is None or np.ndim(value) == 0:
        return None
    array = np.asarray(value, dtype=np.float64)
    shape = grid_shape(array.shape)
    if shape is not None:
        rows, cols = shape
        cells = [format_number(v, 3) for v in array.reshape(rows, cols).ravel()]
        width = max(len(c) for c in cells)
        lines = [" ".join(cells[r * cols + c].rjust(width) for c in range(cols))
                 for r in range(rows)]
        return "\n".join(lines), {"mode": "grid", "rows": rows, "cols": cols,
                                  "chars": width, "values": array.reshape(rows, cols)}
    if array.ndim == 1:
        return None  # a long vector: the column of cells of issue 9
    text = " " * THUMB_CHARS + shape_text(array.shape)
    return text, {"mode": "badge", "values": thumbnail(array)}


def thumbnail(array: np.ndarray) -> np.ndarray:
    """A tensor as at most THUMB_BINS × THUMB_BINS block means (a heat map's data)."""
    matrix = array.reshape(array.shape[0], -1) if array.ndim >= 2 else array.reshape(1, -1)
    rows = np.array_split(np.arange(matrix.shape[0]), min(THUMB_BINS, matrix.shape[0]))
    cols = np.array_split(np.arange(matrix.shape[1]), min(THUMB_BINS, matrix.shape[1]))
    return np.array([[matrix[np.ix_(r, c)].mean() for c in cols] for r in rows])


def cell_colours(values: np.ndarray) -> np.ndarray:
    """RGBA per entry: white at 0, towards blue below and red above, by |v| / max |v|."""
    v = np.nan_to_num(np.asarray(values, float), nan=0.0, posinf=0.0, neginf=0.0)
    scale = float(np.abs(v).max()) or 1.0
    t = (np.abs(v) / scale * STRENGTH)[..., None]
    hue = np.where((v < 0)[..., None], NEGATIVE, POSITIVE)
    rgb = (1 - t) + t * hue
    return np.concatenate([rgb, np.ones(v.shape + (1,))], axis=-1)


def _rect_path(r) -> Path:
    x0, y0, x1, y1 = r
    return Path([(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)],
                [Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY])


class GridText(CachedText):
    """A grid or badge label: its cells (or thumbnail) painted first, then the text."""

    info: dict = {}
    frame: str = "#333333"
    #: keyed by its identity, which a later text may reuse once it is gone: its raster
    #: stays with its scene's labels, never in the process's RASTERS
    shared_raster = False

    def raster_key(self, dpi: float) -> tuple:
        """Its own raster: the cells show numbers the text does not."""
        return (id(self), id(self.info), *super().raster_key(dpi))

    def draw_plain(self, renderer) -> None:
        if not self.get_visible() or not self.get_text():
            return
        box = self.get_window_extent(renderer).extents
        gc = renderer.new_gc()
        gc.set_linewidth(0.6)
        gc.set_foreground(self.frame)
        values = self.info["values"]
        if self.info["mode"] == "grid":
            rows, cols = values.shape
            cells = grid_cells(self.info["chars"], rows, cols, tuple(box))
        else:
            x0, y0, x1, y1 = box
            unit = (x1 - x0) / max(len(self.get_text()), 1)
            side = min((THUMB_CHARS - 0.5) * unit, y1 - y0)
            rows, cols = values.shape
            cw, ch = side / cols, (y1 - y0) / rows
            cells = [(x0 + c * cw, y1 - (r + 1) * ch, x0 + (c + 1) * cw, y1 - r * ch)
                     for r in range(rows) for c in range(cols)]
        for rect, colour in zip(cells, cell_colours(values).reshape(-1, 4), strict=True):
            renderer.draw_path(gc, _rect_path(rect), IdentityTransform(), tuple(colour))
        gc.restore()
        super().draw_plain(renderer)
