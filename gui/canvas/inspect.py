"""What is drawn now, measured: label boxes and the current step's box, for the
readability rule (tests) and for following the step (the view); and what is shown now
(the labels' texts, the highlight), which the window and the tests ask the canvas.

Boxes are in the widget's logical pixels from the top left, as ``QWidget.rect()``;
a label's box is its text layout box (``Text.get_window_extent``, no background patch).
"""

from __future__ import annotations

import numpy as np
from matplotlib.transforms import Bbox

from core.engine.trace import Step
from gui.canvas import label_text
from gui.canvas.focus import dynamic_keys, visible_now
from gui.canvas.scene import _GRAD, _HIGHLIGHT, _LOCAL, _TANGENT, _UPDATE, _VALUE
from gui.canvas.strip_edge import drawn_place, edge_cut

#: the longest part of an edge that :meth:`Inspector.current_rect` reports (pixels)
EDGE_RECT_LENGTH = 200.0


class Inspector:
    """Measurements of :class:`~gui.canvas.widget.GraphCanvas` (display space)."""

    def __init__(self, canvas) -> None:
        self.canvas = canvas
        #: every label's key, and its box's low and high corners (data units): made once
        #: per layout (``_places_for``: the scene, compared by identity, and what else
        #: moves labels in it), read by each step
        self.places: tuple = ([], None, None)
        self._places_for: tuple | None = None
        #: the view the labels its edges cut were last found for, and those labels
        self._cut_for: tuple | None = None
        self._cut: frozenset = frozenset()

    def cut_labels(self) -> set:
        """Labels of the current step and its neighbours that the view's edge would cut:
        they are not drawn (a cut "−0.53" can read as "0.53"); other labels may be cut.
        Keys: ("static", node, i) for a node's own texts, (layer, index) for the rest."""
        if self.canvas.trace is None or not len(self.canvas.scene.pos):
            return set()
        places = []  # (key, centre x, centre y, width, height) in data units
        for v in self.canvas._focus_nodes:
            (x, y), (hw, hh) = self.canvas.scene.pos[v], self.canvas.scene.half_pt[v]
            places.append((("static", v, 0), x, y, 2 * hw, 2 * hh))
            if v in self.canvas.scene.name_pos:
                places.append((("static", v, 1), *self.canvas.scene.name_pos[v]))
            for layer in (_VALUE, _GRAD, _UPDATE, _TANGENT):
                place = self.canvas.scene.label_pos.get((layer, v))
                if place is not None:
                    places.append(((layer, v), *place))
        for e in self.canvas._focus_edges:
            place = self.canvas.scene.label_pos.get((_LOCAL, e))
            if place is not None:
                places.append(((_LOCAL, e), *place))
        box = self.canvas.ax.bbox
        found = self._strip_cut(box)
        if not places:
            return found
        # one transform for every corner: a call per label cost ~0.1 ms (End: 600 labels)
        c = np.array([p[1:5] for p in places], dtype=float)
        corners = np.concatenate([c[:, :2] - c[:, 2:] / 2, c[:, :2] + c[:, 2:] / 2])
        low, high = np.split(self.canvas.ax.transData.transform(corners), 2)
        (x0, y0), (x1, y1) = low.T, high.T
        inside = (x0 >= box.x0) & (x1 <= box.x1) & (y0 >= box.y0) & (y1 <= box.y1)
        outside = (x1 <= box.x0) | (x0 >= box.x1) | (y1 <= box.y0) | (y0 >= box.y1)
        return found | {places[i][0] for i in np.flatnonzero(~inside & ~outside)}

    def _strip_cut(self, box) -> set:
        """Every label an edge of the view cuts: the legend strip's, the canvas's sides
        and top (a sliver of text reads as nothing, or as another word: the loss's
        name cut to "los", issue 24). The view is placed to cut no label of a node on
        the canvas (strip_edge.py); these are the rest."""
        c, scene = self.canvas, self.canvas.scene
        # once per layout: labels stay put (a new language lays out the same trace again,
        # at new widths: its scene is another one; forward mode places its tangents again
        # in the same scene)
        made = (c.trace, len(scene.label_pos), len(scene.group_pos), c.text_scale,
                c.tangents.placements)
        if self._places_for is None or self._places_for[0] is not scene or \
                self._places_for[1] != made:
            keys = [("static", v, 0) for v in range(len(scene.pos))]
            rows = [(*scene.pos[v], *(2 * scene.half_pt[v])) for v in range(len(scene.pos))]
            keys += [("static", v, 1) for v in scene.name_pos]
            rows += [drawn_place(place) for place in scene.name_pos.values()]
            keys += list(scene.label_pos)
            rows += [drawn_place(place) for place in scene.label_pos.values()]
            keys += [("group", i) for i in scene.group_pos]  # a call's label
            rows += [drawn_place(place[:4]) for place in scene.group_pos.values()]
            places = np.array(rows, float).reshape(-1, 4)
            self.places = (keys, places[:, :2] - places[:, 2:] / 2,
                           places[:, :2] + places[:, 2:] / 2)
            self._places_for, self._cut_for = (scene, made), None
        keys, low, high = self.places
        if not keys:
            return set()
        # the same view cuts the same labels: a step that does not pan reads them again
        view = (c.ax.get_xlim(), c.ax.get_ylim(), tuple(box.extents))
        if view != self._cut_for:
            self._cut_for = view
            self._cut = frozenset(keys[i] for i in np.flatnonzero(
                edge_cut(c.ax.transData, box, low, high)))
        return set(self._cut)

    def _ensure_drawn(self):
        if self.canvas.trace is None:
            return None
        c = self.canvas
        if c.geometry is None or c._draw_pending or c.get_renderer() is None:
            self.canvas.draw()
        return self.canvas.get_renderer()

    def _to_widget(self, x0: float, y0: float, x1: float, y1: float) -> tuple:
        """Display extents (origin bottom left, device pixels) to a widget rect."""
        ratio = self.canvas.device_pixel_ratio or 1.0
        height = self.canvas.figure.bbox.height
        return (x0 / ratio, (height - y1) / ratio, (x1 - x0) / ratio, (y1 - y0) / ratio)

    def label_entries(self) -> list[dict]:
        """Every label drawn now: kind, text, display extents and its owner."""
        renderer = self._ensure_drawn()
        if renderer is None:
            return []
        g = self.canvas.geometry
        entries = []
        if g.show_text:  # the static texts the graph layer draws (artists.py)
            for node in np.flatnonzero(g.texts_near(Bbox.from_extents(*g.view))):
                node = int(node)
                texts = self.canvas.labels.static_texts(node)
                for i, text in enumerate(texts):
                    if ("static", node, i) in self.canvas._cut:
                        continue
                    kind = "symbol" if self.canvas.scene.is_op[node] and i == 0 else "name"
                    entries.append({"kind": kind, "text": text.get_text(), "node": node,
                                    "extents": text.get_window_extent(renderer).extents})
            for text in self.canvas.labels.group_texts():
                if text.cut_key in self.canvas._cut:
                    continue
                entries.append({"kind": "group", "text": text.get_text(),
                                "extents": text.get_window_extent(renderer).extents})
        for key in dynamic_keys(self.canvas):
            layer, index = key
            if layer == _HIGHLIGHT or not visible_now(self.canvas, key):
                continue
            text = self.canvas.labels.dynamic_text(key)
            if layer == _LOCAL:
                kind, owner = "local", {"edge": index}
            elif layer == _VALUE:
                kind, owner = "value", {"node": index}
            elif layer == _UPDATE:
                kind, owner = "update", {"node": index}
            elif layer == _TANGENT:
                kind, owner = "tangent", {"node": index}
            else:
                step = self.canvas.scene.backward_steps.get(index)
                many = step is not None and len(step.contributions) >= 2
                kind, owner = ("ledger" if many else "gradient"), {"node": index}
            if key in self.canvas.scene.grid_info:  # one entry per drawn tensor grid (or badge)
                owner["role"] = {_VALUE: "value", _GRAD: "gradient"}.get(layer, kind)
                kind = "tensor"
            entries.append({"kind": kind, "text": text.get_text(), **owner,
                            "extents": text.get_window_extent(renderer).extents})
        for text in self._extra_texts():
            entries.append({"kind": "other", "text": text.get_text(),
                            "extents": text.get_window_extent(renderer).extents})
        shown = []
        for entry in entries:
            # graph texts are clipped to the axes (the legend strip's to the figure)
            box = self.canvas.figure.bbox if entry["kind"] == "other" else self.canvas.ax.bbox
            x0, y0, x1, y1 = entry["extents"]
            if x1 <= box.x0 or x0 >= box.x1 or y1 <= box.y0 or y0 >= box.y1:
                continue  # wholly outside: not drawn, not listed
            entry["rect"] = self._to_widget(x0, y0, x1, y1)
            shown.append(entry)
        shown += [{"kind": "name", "text": m.text, "node": m.node, "marker": m.side,
                   "rect": m.rect} for m in self.canvas.edge_names.markers()]  # edge_names.py
        return shown

    def _extra_texts(self) -> list:
        """Legend, hints and overlays: the labels of kind "other"."""
        return list(self.canvas._legend.drawn)

    def label_boxes(self) -> list[dict]:
        """One ``{"kind", "text", "rect": (x, y, w, h)}`` per label drawn now."""
        return [{"kind": e["kind"], "text": e["text"], "rect": e["rect"]}
                for e in self.label_entries()]

    def node_boxes(self) -> list[tuple[float, float, float, float]]:
        """Each node's box (widget rect), in view or not."""
        if self._ensure_drawn() is None:
            return []
        g = self.canvas.geometry
        return [self._to_widget(*g.node_box(i)) for i in range(len(g.centres))]

    def current_rect(self) -> tuple[float, float, float, float] | None:
        """The current step's node box, or the part of its edge around the label."""
        extents = self._current_extents()
        return None if extents is None else self._to_widget(*extents)

    def _current_extents(self) -> tuple[float, float, float, float] | None:
        if self._ensure_drawn() is None:
            return None
        for key in self.canvas._shown[_HIGHLIGHT]:
            g = self.canvas.geometry
            if key >= 0:  # forward mode: the node and its tangent label
                return self.canvas.tangents.with_box(key, g.node_box(key))
            return self._edge_extents(-key - 1)
        return None

    # ---- what is shown now (the window's and the tests' questions)
    def visible_labels(self) -> list[str]:
        """The texts on the graph that are visible now (names, values, gradients, edges)."""
        if self.canvas.trace is None:
            return []
        texts: list[str] = []
        for node in range(len(self.canvas.trace.graph.nodes)):
            texts.extend(t.get_text() for t in self.canvas.labels.static_texts(node))
        for key in dynamic_keys(self.canvas):
            if key[0] != _HIGHLIGHT:
                texts.append(self.canvas.labels.dynamic_text(key).get_text())
        return texts

    def node_labels(self, node_id: int) -> dict[str, str | None]:
        """What a node shows now: ``{"value": …, "gradient": …}`` (None when hidden)."""
        shown, text = self.canvas._shown, self.canvas.labels.dynamic_text
        return {
            "value": text((_VALUE, node_id)).get_text() if node_id in shown[_VALUE] else None,
            "gradient": text((_GRAD, node_id)).get_text() if node_id in shown[_GRAD] else None,
        }

    def edge_label(self, edge: tuple[int, int, int]) -> str | None:
        """The local-gradient label of ``(source, consumer, position)``, None when hidden."""
        index = self.canvas.scene.edge_index.get(edge)
        if index is None or index not in self.canvas._shown[_LOCAL]:
            return None
        return self.canvas.labels.dynamic_text((_LOCAL, index)).get_text()

    def highlighted(self) -> tuple[str, int] | None:
        """``("node", id)`` or ``("edge", index into scene.edges)`` of the current step."""
        for key in self.canvas._shown[_HIGHLIGHT]:
            return ("node", key) if key >= 0 else ("edge", -key - 1)
        return None

    def step_in_view(self, step: Step | None) -> bool:
        """Whether the step's node or edge midpoint is inside the current view."""
        g = self.canvas.geometry
        if g is None or step is None:
            return False
        if step.node is not None:
            return bool(g.in_view[step.node])
        index = self.canvas.scene.edge_index.get(step.edge)
        return index is not None and bool(g.edge_in_view[index])

    def node_tooltip(self, node_id: int) -> str:
        """Name, kind, formula and full-precision numbers, in the UI language."""
        shown = self.canvas._shown
        return label_text.node_tooltip(self.canvas.trace, node_id, node_id in shown[_VALUE],
                                       node_id in shown[_GRAD])

    def _edge_extents(self, index: int) -> tuple[float, float, float, float]:
        """Box of the edge's drawn line within EDGE_RECT_LENGTH / 2 of its label."""
        g = self.canvas.geometry
        line = np.concatenate([g.edge_lines[index], g.heads[index][[0]]])
        # densify so that clipping by arc length is fine-grained
        steps = np.linspace(0.0, 1.0, 12)[:, None]
        points = np.concatenate([a + steps * (b - a) for a, b in zip(line[:-1], line[1:],
                                                                      strict=True)])
        centre = g.edge_mids[index]
        near = np.hypot(*(points - centre).T) <= EDGE_RECT_LENGTH / 2
        chosen = points[near] if near.any() else points
        x0, y0 = chosen.min(axis=0)
        x1, y1 = chosen.max(axis=0)
        return (float(x0), float(y0), float(x1), float(y1))
