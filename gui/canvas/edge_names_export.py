"""The edge-name markers in an exported image (File → Export Image).

On screen the markers are a Qt widget over the canvas (edge_names.py): the figure's own
pixels have none, so an export of the figure showed the step's neighbours that the
view's edge cuts as unnamed boxes (10-conv-pool's x, W and b at 1280×720). For an
export they are added to the figure as artists, in the places, frames, triangles and
fonts the widget paints, and removed after it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from matplotlib.colors import to_rgba
from matplotlib.patches import FancyBboxPatch, Polygon
from matplotlib.text import Text
from matplotlib.transforms import Affine2D

from gui.canvas.edge_names import CORNER, FILL_ALPHA, Marker, text_rect, triangle
from gui.support import fonts

#: above the graph's layers and the legend strip, as the widget is over the canvas
ZORDER = 50


@contextmanager
def markers_in_figure(canvas) -> Iterator[list[Marker]]:
    """The markers the canvas shows now, drawn by its figure until the block ends."""
    found = canvas.edge_names.markers()  # (none without a graph drawn)
    artists = [artist for marker in found for artist in _artists(canvas, marker)]
    for artist in artists:
        canvas.figure.add_artist(artist)
    try:
        yield found
    finally:
        for artist in artists:
            artist.remove()


def _artists(canvas, m: Marker) -> list:
    """The frame, triangle and text of ``m`` (widget pixels) as figure artists placed
    in points from the figure's bottom left: right at any export resolution."""
    figure = canvas.figure
    ratio = canvas.device_pixel_ratio or 1.0
    per_px = ratio * 72 / figure.dpi  # points a widget pixel
    top = figure.bbox.height / ratio  # the figure's height in widget pixels

    def point(x: float, y: float) -> tuple[float, float]:
        return x * per_px, (top - y) * per_px

    transform = Affine2D().scale(1 / 72) + figure.dpi_scale_trans
    colours = canvas.theme.colours
    frame = colours.get(f"{m.kind}_edge", colours["fg"])
    fill = to_rgba(colours["bg"], FILL_ALPHA)
    x, y, w, h = m.rect
    common = {"transform": transform, "zorder": ZORDER}
    gid = f"edge-name-{m.node}"  # (an SVG's ids: the name's frame, tip and text)
    found = [FancyBboxPatch(point(x + 0.5, y + h - 0.5), (w - 1) * per_px, (h - 1) * per_px,
                            boxstyle=f"round,pad=0,rounding_size={CORNER * per_px}",
                            facecolor=fill, edgecolor=frame, linewidth=per_px, gid=f"{gid}-frame",
                            **common)]
    corners = triangle(m)
    if corners:
        found.append(Polygon([point(*c) for c in corners], closed=True, facecolor=frame,
                             edgecolor="none", gid=f"{gid}-tip", **common))
    tx, ty, tw, th = text_rect(m)
    # in the figure's own fonts, glyph by glyph (Latin, then Noto Sans SC: it has no "ᵀ",
    # "↦" or "ŷ", which a Chinese-named operation's label may hold)
    fonts.ensure_for([m.text])
    found.append(Text(*point(tx + tw / 2, ty + th / 2), m.text, color=colours["fg"],
                      ha="center", va="center",
                      size=m.font.pixelSize() * per_px,
                      weight="bold" if m.font.bold() else "normal", parse_math=False,
                      gid=f"{gid}-text", **common))
    return found
