"""The label artists: texts made on demand for a node, an edge or a call, then kept.

Each text is centred on the place the scene gave it (world points); its font size is
its base size times the text size setting (the scene's) times the zoom (up to
MAX_TEXT_ZOOM), set again whenever the zoom changes. The layer takes what it draws
(scene, view, theme and the graph's nodes), never the canvas: a test builds one from a
figure's axes alone.
"""

from __future__ import annotations

from matplotlib.text import Text

from gui.canvas import grids, label_text, text_cache
from gui.canvas.geometry import Viewport
from gui.canvas.groups import GROUP_FONT
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
    Scene,
    Theme,
    _leaf_text,
)
from gui.support import fonts
from gui.support.theme import CALL_BAND


class Labels:
    """The static and dynamic texts of one ``scene`` (its graph's nodes in ``graph``),
    made in ``view``'s axes in ``theme``'s colours, and kept in ``static`` (a node's own
    texts), ``texts`` (values, gradients, local gradients, updates, tangents) and
    ``calls`` (the calls' labels: :meth:`group_texts`), their rasters in
    ``raster_cache``. A new scene or theme makes a new Labels (the canvas owns one:
    ``labels``)."""

    def __init__(self, scene: Scene, view: Viewport, theme: Theme, graph=None):
        self.scene, self.view, self.theme, self.graph = scene, view, theme, graph
        self.static: dict[int, list[Text]] = {}
        self.texts: dict[tuple[int, int], Text] = {}
        self.calls: list[Text] | None = None
        self.text_zoom = 1.0  # the zoom the texts' font sizes are set for
        text_cache.make_room()  # for this scene's rasters
        #: the rasters of these texts (and the legend's): the process's, shared
        self.raster_cache: dict = text_cache.RASTERS
        self.own_rasters: dict = {}  # those keyed by the text itself (grids.GridText)

    def themed(self, theme: Theme) -> Labels:
        """The same scene's labels in ``theme``'s colours: none of these texts kept."""
        return Labels(self.scene, self.view, theme, self.graph)

    def make_text(self, x: float, y: float, text: str, transform=None, **kwargs) -> Text:
        kwargs.setdefault("clip_on", True)
        if not fonts.cjk_in_use() and fonts.needs_cjk(text):
            fonts.use_cjk()  # before the Text is made: it reads the family list then
        base = kwargs.pop("fontsize", 10.0)
        artist = kwargs.pop("cls", text_cache.CachedText)(x, y, text, fontsize=base, **kwargs)
        artist.base_size = base
        if isinstance(artist, text_cache.CachedText):  # (a plain Text draws every time)
            artist.cache = self.raster_cache if artist.shared_raster else self.own_rasters
        artist.set_figure(self.view.figure)
        artist.set_transform(transform if transform is not None else self.view.transform)
        artist.set_clip_box(self.view.box)
        return artist

    def graph_text(self, x: float, y: float, text: str, base: float, **kwargs) -> Text:
        """A text of the graph: scaled with the text setting and the zoom."""
        scale = self.scene.text_scale
        artist = self.make_text(x, y, text, fontsize=base * scale, **kwargs)
        artist.base_size = base * scale
        artist.set_fontsize(artist.base_size * self.text_zoom)
        return artist

    def apply_text_zoom(self, zoom: float) -> None:
        """Every text made so far at the font size of this zoom."""
        if abs(zoom - self.text_zoom) < 1e-6:
            return
        self.text_zoom = zoom
        for texts in self.static.values():
            for text in texts:
                text.set_fontsize(text.base_size * zoom)
        for text in self.texts.values():
            text.set_fontsize(text.base_size * zoom)

    _leaf_text = staticmethod(_leaf_text)

    def static_texts(self, node_id: int) -> list[Text]:
        """The node's own text and, for named results, its name beside it (made on demand)."""
        if node_id in self.static:
            return self.static[node_id]
        node = self.graph.nodes[node_id]
        x, y = self.scene.pos[node_id]
        colours = self.theme.colours
        texts = []
        if node.kind == "operation":
            symbol = label_text.symbol_text(node.symbol)
            texts.append(self.graph_text(x, y, symbol, label_text.symbol_size(symbol),
                                          ha="center", va="center", color=colours["fg"]))
            place = self.scene.name_pos.get(node_id)
            if node.name and place is not None:
                texts.append(self.graph_text(
                    place[0], place[1], node.name, NAME_FONT, ha="center", va="center",
                    color=colours["fg"],
                    fontweight="bold" if node.id == self.graph.output else "normal",
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": colours["bg"],
                          "edgecolor": "none", "alpha": 0.9}))
        else:
            weight = "bold" if node.kind == "parameter" else "normal"
            texts.append(self.graph_text(x, y, self._leaf_text(node), FONT[node.kind],
                                          ha="center", va="center", color=colours["fg"],
                                          fontweight=weight))
        self.static[node_id] = texts
        return texts

    def group_texts(self) -> list[Text]:
        """One label per call (gui.canvas.groups), made on first use."""
        if self.calls is None:
            colour = CALL_BAND[self.theme.dark][1]
            self.calls = []
            for i, (label, _) in enumerate(self.scene.call_groups):
                if i in self.scene.group_pos:
                    text = self.graph_text(*self.scene.group_pos[i][:2], label, GROUP_FONT,
                                           ha="center", va="center", color=colour,
                                           fontstyle="italic")
                    text.cut_key = ("group", i)  # in the canvas's _cut when a view cuts it
                    self.calls.append(text)
        return self.calls

    def dynamic_text(self, key: tuple[int, int]) -> Text:
        """The value / gradient / update / edge label of ``key`` (made on first use)."""
        text = self.texts.get(key)
        if text is not None:
            return text
        layer, index = key
        colours = self.theme.colours
        box = {"boxstyle": "round,pad=0.12", "facecolor": colours["bg"], "edgecolor": "none",
               "alpha": 0.85}
        label = self.scene.label_texts.get(key, "")
        x, y = self._label_centre(key)
        grid = self.scene.grid_info.get(key)
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
        self.texts[key] = text
        return text

    def _label_centre(self, key: tuple[int, int]) -> tuple[float, float]:
        place = self.scene.label_pos.get(key)
        if place is not None:
            return float(place[0]), float(place[1])
        layer, index = key
        if layer == _LOCAL:
            x, y = self.scene.edge_mid_world[index]
        else:
            x, y = self.scene.pos[index]
        return float(x), float(y)
