"""Forward mode on the canvas: each node's tangent ∂node/∂w as a label of its own.

The forward panel hands over the walk (:mod:`core.engine.forward`); each node it reaches gets
a label in the tangent colour, made and placed by the tangent layer
(:mod:`gui.canvas.tangent_layer`, from the scene alone). :class:`Tangents` puts that layer
on the canvas: the labels appear step by step as the walk reaches each node and go with
Reverse mode, and the walk's node is the canvas's focus. While a What-if moves an input,
:meth:`Tangents.show_numbers` rewrites the label texts in place and blits them (no new
layout per move).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP

from gui.canvas import label_text
from gui.canvas.focus import focus_of, highlight_keys, visible_now
from gui.canvas.legend import build_legend
from gui.canvas.scene import _HIGHLIGHT, _TANGENT
from gui.canvas.tangent_layer import (  # noqa: F401  (labels_for: the forward panel's)
    grown_extent,
    label_numbers,
    labels_for,
    tangent_places,
)

#: the legend's entry in forward mode (long, and short for a narrow window)
LEGEND_LONG = QT_TRANSLATE_NOOP("GraphCanvas", "tangent ∂node/∂{0}")
LEGEND_SHORT = QT_TRANSLATE_NOOP("GraphCanvas", "tangent")


@dataclass(frozen=True)
class ForwardFocus:
    """The forward walk's current node, standing in for the reverse walk's step."""

    node: int
    index: int
    edge: None = None
    phase: str = "forward"


class Tangents:
    """The tangent labels (forward mode) of a :class:`~gui.canvas.widget.GraphCanvas`,
    which owns one: ``tangents``. Their places and texts go in the canvas's scene."""

    def __init__(self, canvas):
        self.canvas = canvas
        self.source = None  # (trace, labels, wrt) as the panel gave them
        self.current: int | None = None  # the walk's node now
        self.wanted: set[int] = set()  # the nodes the walk reached
        self.tips: dict[int, str] = {}  # node → its tangent's whole text (hover)
        #: how many times the labels were placed: their places change inside one scene
        #: (another "with respect to" may place as many labels elsewhere)
        self.placements = 0
        #: (known, current) the canvas showed last: shown again when the walk moves
        self.last_state = None
        #: (trace, tangent labels) of the What-if whose numbers the labels show; None:
        #: the canvas's own. A layout of the same graph (text size, language) shows
        #: them again (rescale.py)
        self.whatif_numbers: tuple | None = None
        #: how many times show_numbers rewrote labels: their widths changed, so the
        #: names at the view's edge are placed again (edge_names.py)
        self.rewrites = 0

    def reset(self) -> None:
        """A new graph: no tangent placed yet, its own numbers."""
        self.tips = {}
        self.whatif_numbers = None

    @property
    def forward_mode(self) -> bool:
        return self.source is not None

    def set_walk(self, trace, labels: dict[int, tuple[str, str]] | None,
                 wrt: str = "w") -> None:
        """Forward mode's labels for ``trace`` (placed now, or once it is drawn), or
        None: Reverse mode, none at all."""
        had = self.source is not None
        if not had and labels is None:
            return  # reverse mode already: the view stays as the learner left it
        if had and labels is not None and self.source[0] is trace \
                and self.source[1:] == (labels, wrt):
            return  # the same walk again (a language switch): nothing moves
        self.source = None if labels is None else (trace, dict(labels), wrt)
        if labels is None:
            self.wanted, self.current = set(), None
        if self.canvas.trace is not None and (trace is self.canvas.trace or labels is None):
            self._place()
            self.canvas._shown[_TANGENT] = self.keys()  # a full draw follows
            if self.current is None and self.last_state is not None:
                step = self.last_state[1]  # the reverse walk's step again
                canvas = self.canvas
                canvas._current_key, canvas._focus_nodes, canvas._focus_edges = focus_of(
                    canvas.trace, canvas.scene, step)
                canvas._shown[_HIGHLIGHT] = highlight_keys(canvas.scene, step)
            if had != (labels is not None):
                build_legend(self.canvas)
            self._refit()

    def show(self, shown, current: int | None) -> None:
        """The walk reached the nodes ``shown``; ``current`` is its step's node."""
        self.wanted = set(shown) if self.forward_mode else set()
        self.current = current if self.forward_mode else None
        if self.last_state is not None:
            self.canvas.show_state(*self.last_state)

    def after_trace(self) -> None:
        """set_trace: the labels again if they were made for this trace."""
        source = self.source
        if source is not None and source[0] is self.canvas.trace:
            self._place()
        elif source is not None:  # an older trace's: the panel sends new ones
            self.wanted, self.current = set(), None

    def _place(self) -> None:
        """Each tangent label placed off every other label, node and (where it can) edge,
        into the scene; the canvas's extent grows to take them in."""
        canvas, scene = self.canvas, self.canvas.scene
        self.placements += 1
        for key in [k for k in scene.label_pos if k[0] == _TANGENT]:
            del scene.label_pos[key]
            scene.label_texts.pop(key, None)
            canvas._texts.pop(key, None)
        self.tips = {}
        canvas.extent = scene.extent
        source = self.source
        if source is None or source[0] is not canvas.trace:
            return
        places = tangent_places(scene, source[1])
        for v, place in places.items():
            scene.label_pos[(_TANGENT, v)] = place
            scene.label_texts[(_TANGENT, v)] = source[1][v][0]
        self.tips = {v: tip for v, (_, tip) in source[1].items()}
        canvas.extent = grown_extent(canvas.extent, places.values())

    def _refit(self) -> None:
        """A view that showed the whole graph shows it with its tangents (or without)."""
        if self.canvas.trace is None:
            return
        if not self.canvas.hint:
            self.canvas.fit_view()
        else:
            self.canvas.blitter.invalidate()

    def keys(self) -> set[int]:
        """The tangent labels to show now (those the walk reached, of this trace)."""
        return {v for v in self.wanted if (_TANGENT, v) in self.canvas.scene.label_pos}

    def focus(self, current):
        source = self.source
        if self.current is None or source is None or source[0] is not self.canvas.trace:
            return current
        return ForwardFocus(self.current, current.index if current is not None else 0)

    def with_legend(self, entries: list) -> list:
        """Forward mode: the tangent's entry after the local gradient's."""
        if self.source is None:
            return entries
        t = label_text.tr if self.canvas.translate_legend else str
        at = next((i + 1 for i, e in enumerate(entries) if e[1] == "local"), len(entries))
        return [*entries[:at], ("square", "tangent",
                                t(LEGEND_LONG).format(self.source[2]),
                                t(LEGEND_SHORT)), *entries[at:]]

    def label_at(self, x: float, y: float) -> int | None:
        """The node whose shown tangent label is under display point (x, y)."""
        if self.canvas.geometry is None or not self.canvas.geometry.show_text:
            return None
        for v in self.canvas._shown.get(_TANGENT, ()):
            text = self.canvas._texts.get((_TANGENT, v))
            if text is not None and visible_now(self.canvas, (_TANGENT, v)):
                box = text.get_window_extent(self.canvas.get_renderer())
                if box.x0 <= x <= box.x1 and box.y0 <= y <= box.y1:
                    return v
        return None

    def with_box(self, node: int, box):
        """The current forward step's box: its node and its tangent label, if shown."""
        key = (_TANGENT, node)
        if node != self.current or not visible_now(self.canvas, key):
            return box
        text = self.canvas.labels.dynamic_text(key)
        x0, y0, x1, y1 = text.get_window_extent(self.canvas.get_renderer()).extents
        return (min(box[0], x0), min(box[1], y0), max(box[2], x1), max(box[3], y1))

    def tooltip(self, node: int) -> str:
        return self.tips.get(node, "")

    def shown_texts(self) -> dict[int, str]:
        """node → the tangent label shown now (forward mode)."""
        return {v: self.canvas.labels.dynamic_text((_TANGENT, v)).get_text()
                for v in sorted(self.canvas._shown.get(_TANGENT, ()))}

    # ---- What if: new numbers in the same places
    def show_numbers(self, trace, tangent_labels: dict[int, tuple[str, str]] | None = None
                     ) -> None:
        """Every label with the numbers of ``trace`` (a What-if trace of the same
        program: the same nodes), rewritten in place, the shown ones blitted; the
        canvas's own trace puts its numbers back. No new layout: a label keeps its
        place (the next full layout, after the change is made, fits the new sizes)."""
        canvas, scene = self.canvas, self.canvas.scene
        if canvas.trace is None or len(trace.graph.nodes) != len(canvas.trace.graph.nodes):
            return
        changed = []
        canvas.scene_numbers_own = trace is canvas.trace  # (every label is rewritten)
        self.whatif_numbers = None if canvas.scene_numbers_own else (trace, tangent_labels)
        for key, new in label_numbers(trace, scene, tangent_labels).items():
            if isinstance(new, tuple):  # a tensor's grid: its text and its cells
                new, scene.grid_info[key] = new
            if scene.label_texts.get(key) == new:
                continue
            scene.label_texts[key] = new
            artist = canvas._texts.get(key)
            if artist is not None:
                if key in scene.grid_info and hasattr(artist, "info"):
                    artist.info = scene.grid_info[key]
                artist.set_text(new)
                changed.append(key)
        if not changed:
            return
        self.rewrites += 1
        changed = [k for k in changed if k[1] in canvas._shown.get(k[0], ())]
        if not canvas.blitter.can_blit():
            canvas.draw_idle()
            return
        regions = [canvas._drawn.pop(k) for k in changed if k in canvas._drawn]
        for key in changed:
            box = canvas.blitter.extent(key)
            if box is not None:
                canvas._drawn[key] = box
                regions.append(box)
        canvas.blitter.blit_regions(regions)
