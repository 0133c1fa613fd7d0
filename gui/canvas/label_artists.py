"""The label artists: texts made on demand for a node or an edge, then kept.

Each text is centred on the place the scene gave it (world points); its font size is
its base size times the text size setting times the zoom (up to MAX_TEXT_ZOOM), set
again whenever the zoom changes.
"""

from __future__ import annotations

from matplotlib.text import Text

from gui.canvas import grids, label_text
from gui.canvas.scene import (
    _GRAD,
    _LOCAL,
    _UPDATE,
    _VALUE,
    EDGE_FONT,
    FONT,
    GRID_FONT,
    LABEL_FONT,
    NAME_FONT,
    _leaf_text,
)
from gui.canvas.text_cache import CachedText
from gui.support import fonts


class Labels:
    """The static and dynamic texts of a :class:`~gui.canvas.widget.GraphCanvas` (it owns
    one: ``labels``), made in its axes from its scene, in its colours, and kept in its
    ``_static`` and ``_texts`` (dropped by a new graph or theme)."""

    def __init__(self, canvas):
        self.canvas = canvas
        self.ax, self.figure = canvas.ax, canvas.figure

    def make_text(self, x: float, y: float, text: str, transform=None, **kwargs) -> Text:
        kwargs.setdefault("clip_on", True)
        if not fonts.cjk_in_use() and fonts.needs_cjk(text):
            fonts.use_cjk()  # before the Text is made: it reads the family list then
        base = kwargs.pop("fontsize", 10.0)
        artist = kwargs.pop("cls", CachedText)(x, y, text, fontsize=base, **kwargs)
        artist.base_size = base
        artist.cache = self.canvas._raster_cache
        artist.set_figure(self.figure)
        artist.set_transform(transform if transform is not None else self.ax.transData)
        artist.set_clip_box(self.ax.bbox)
        return artist

    def graph_text(self, x: float, y: float, text: str, base: float, **kwargs) -> Text:
        """A text of the graph: scaled with the text setting and the zoom."""
        artist = self.make_text(x, y, text, fontsize=base * self.canvas.text_scale, **kwargs)
        artist.base_size = base * self.canvas.text_scale
        artist.set_fontsize(artist.base_size * self.canvas._text_zoom)
        return artist

    def apply_text_zoom(self, zoom: float) -> None:
        """Every text made so far at the font size of this zoom."""
        if abs(zoom - self.canvas._text_zoom) < 1e-6:
            return
        self.canvas._text_zoom = zoom
        for texts in self.canvas._static.values():
            for text in texts:
                text.set_fontsize(text.base_size * zoom)
        for text in self.canvas._texts.values():
            text.set_fontsize(text.base_size * zoom)

    _leaf_text = staticmethod(_leaf_text)

    def static_texts(self, node_id: int) -> list[Text]:
        """The node's own text and, for named results, its name beside it (made on demand)."""
        if node_id in self.canvas._static:
            return self.canvas._static[node_id]
        node = self.canvas.trace.graph.nodes[node_id]
        x, y = self.canvas.scene.pos[node_id]
        colours = self.canvas.theme.colours
        texts = []
        if node.kind == "operation":
            symbol = label_text.symbol_text(node.symbol)
            texts.append(self.graph_text(x, y, symbol, label_text.symbol_size(symbol),
                                          ha="center", va="center", color=colours["fg"]))
            place = self.canvas.scene.name_pos.get(node_id)
            if node.name and place is not None:
                texts.append(self.graph_text(
                    place[0], place[1], node.name, NAME_FONT, ha="center", va="center",
                    color=colours["fg"],
                    fontweight="bold" if node.id == self.canvas.trace.graph.output else "normal",
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": colours["bg"],
                          "edgecolor": "none", "alpha": 0.9}))
        else:
            weight = "bold" if node.kind == "parameter" else "normal"
            texts.append(self.graph_text(x, y, self._leaf_text(node), FONT[node.kind],
                                          ha="center", va="center", color=colours["fg"],
                                          fontweight=weight))
        self.canvas._static[node_id] = texts
        return texts

    def dynamic_text(self, key: tuple[int, int]) -> Text:
        """The value / gradient / update / edge label of ``key`` (made on first use)."""
        text = self.canvas._texts.get(key)
        if text is not None:
            return text
        layer, index = key
        colours = self.canvas.theme.colours
        box = {"boxstyle": "round,pad=0.12", "facecolor": colours["bg"], "edgecolor": "none",
               "alpha": 0.85}
        label = self.canvas.scene.label_texts.get(key, "")
        x, y = self._label_centre(key)
        grid = self.canvas.scene.grid_info.get(key)
        if grid is not None:  # a tensor: cells on a diverging scale, or a badge
            role = colours["value" if layer == _VALUE else "grad"]
            text = self.graph_text(x, y, label, GRID_FONT, ha="center", va="center",
                                    color="#222222" if grid["mode"] == "grid" else role,
                                    family=grids.MONO,
                                    multialignment="left", cls=grids.GridText)
            text.info = grid
            text.frame = role
        elif layer == _LOCAL:
            text = self.graph_text(x, y, label, EDGE_FONT, ha="center", va="center",
                                    color=colours["local"], bbox=dict(box, alpha=0.92))
        else:
            colour = {_VALUE: "value", _GRAD: "grad", _UPDATE: "value"}.get(layer, "tangent")
            text = self.graph_text(x, y, label, LABEL_FONT, ha="center", va="center",
                                    color=colours[colour], fontweight="bold", bbox=box,
                                    multialignment="center")
        self.canvas._texts[key] = text
        return text

    def _label_centre(self, key: tuple[int, int]) -> tuple[float, float]:
        place = self.canvas.scene.label_pos.get(key)
        if place is not None:
            return float(place[0]), float(place[1])
        layer, index = key
        if layer == _LOCAL:
            x, y = self.canvas.scene.edge_mid_world[index]
        else:
            x, y = self.canvas.scene.pos[index]
        return float(x), float(y)
