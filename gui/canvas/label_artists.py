"""The label artists: texts made on demand for a node or an edge, then kept."""

from __future__ import annotations

from matplotlib.text import Text
from matplotlib.transforms import ScaledTranslation

from gui import fonts
from gui.canvas import label_text
from gui.canvas.scene import (
    _LOCAL,
    _VALUE,
    EDGE_FONT,
    FONT,
    LABEL_FONT,
    LABEL_GAP,
    NAME_FONT,
    OP_RADIUS,
    _leaf_text,
)
from gui.canvas.text_cache import CachedText


class LabelArtistsMixin:
    """Static and dynamic texts of :class:`~gui.canvas.widget.GraphCanvas`."""

    def _offset(self, dx: float, dy: float):
        """transData shifted by (dx, dy) points; shared by all texts with that offset."""
        key = (round(dx, 2), round(dy, 2))
        if key not in self._offsets:
            self._offsets[key] = self.ax.transData + ScaledTranslation(
                dx / 72, dy / 72, self.figure.dpi_scale_trans)
        return self._offsets[key]

    def _make_text(self, x: float, y: float, text: str, transform=None, **kwargs) -> Text:
        kwargs.setdefault("clip_on", True)
        if not fonts.cjk_in_use() and fonts.needs_cjk(text):
            fonts.use_cjk()  # before the Text is made: it reads the family list then
        artist = CachedText(x, y, text, **kwargs)
        artist.cache = self._raster_cache
        artist.set_figure(self.figure)
        artist.set_transform(transform if transform is not None else self.ax.transData)
        artist.set_clip_box(self.ax.bbox)
        return artist

    _leaf_text = staticmethod(_leaf_text)

    def static_texts(self, node_id: int) -> list[Text]:
        """The node's own text and, for named results, its name beside it (made on demand)."""
        if node_id in self._static:
            return self._static[node_id]
        node = self.trace.graph.nodes[node_id]
        x, y = self.pos[node_id]
        colours = self.colours
        texts = []
        if node.kind == "operation":
            symbol = node.symbol
            size = (18.0 if symbol in ("²", "³") else 14.0 if len(symbol) == 1
                    else 10.5 if len(symbol) <= 3 else 8.5)
            texts.append(self._make_text(x, y, symbol, ha="center", va="center_baseline",
                                         fontsize=size, color=colours["fg"]))
            if node.name:
                texts.append(self._make_text(
                    x, y, node.name, self._offset(OP_RADIUS + 1.6, 0.0), ha="left",
                    va="center_baseline", fontsize=NAME_FONT, color=colours["fg"],
                    fontweight="bold" if node.id == self.trace.graph.output else "normal",
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": colours["bg"],
                          "edgecolor": "none", "alpha": 0.9}))
        else:
            weight = "bold" if node.kind == "parameter" else "normal"
            texts.append(self._make_text(x, y, self._leaf_text(node), ha="center",
                                         va="center_baseline", fontsize=FONT[node.kind],
                                         color=colours["fg"], fontweight=weight))
        self._static[node_id] = texts
        return texts

    def _dynamic_text(self, key: tuple[int, int]) -> Text:
        """The value / gradient / edge label of ``key`` (made on first use)."""
        text = self._texts.get(key)
        if text is not None:
            return text
        layer, index = key
        colours = self.colours
        box = {"boxstyle": "round,pad=0.12", "facecolor": colours["bg"], "edgecolor": "none",
               "alpha": 0.85}
        if layer == _LOCAL:
            edge = self.edges[index]
            step = self._local_steps.get(edge)
            label = label_text.local_text(self.trace, edge, step)
            x, y = self._edge_mid_data(index)
            box = dict(box, alpha=0.92)
            text = self._make_text(x, y, label, ha="center", va="center_baseline",
                                   fontsize=EDGE_FONT, color=colours["local"], bbox=box)
        else:
            node = self.trace.graph.nodes[index]
            x, y = self.pos[index]
            dy = self.half_pt[index, 1] + LABEL_GAP
            if layer == _VALUE:
                label = label_text.format_value(node.value)
                text = self._make_text(x, y, label, self._offset(0.0, dy), ha="center",
                                       va="bottom", fontsize=LABEL_FONT,
                                       color=colours["value"], fontweight="bold", bbox=box)
            else:
                label = self._gradient_text(index)
                text = self._make_text(x, y, label, self._offset(0.0, -dy), ha="center",
                                       va="top", fontsize=LABEL_FONT, color=colours["grad"],
                                       fontweight="bold", bbox=box)
        self._texts[key] = text
        return text

    def _gradient_text(self, node_id: int) -> str:
        return label_text.gradient_text(self.trace, node_id, self._backward_steps.get(node_id))

    def _edge_mid_data(self, index: int) -> tuple[float, float]:
        """The middle of an edge in data coordinates (of the drawn curve, when curved)."""
        g = self.geometry
        if self.edge_bend[index] and g is not None and index in g.curve_mids:
            x, y = self.ax.transData.inverted().transform(g.curve_mids[index])
            return float(x), float(y)
        s, t = self.edge_src[index], self.edge_dst[index]
        x, y = 0.5 * (self.pos[s] + self.pos[t])
        return float(x), float(y)

    def place_curve_labels(self) -> None:
        """Curves bend in display space: put their labels on them again for this view."""
        for index in self.geometry.curve_mids:
            text = self._texts.get((_LOCAL, index))
            if text is not None:
                text.set_position(self._edge_mid_data(index))
