"""The graph canvas widget: the public API; its parts (collaborators) live beside it.

The computational graph on a matplotlib canvas, drawn once, then updated step by step:
``scene`` (frozen numbers), ``label_text`` (what labels say), ``artists`` (layers),
``text_cache`` + ``blit`` + ``prefetch`` (fast steps), ``view`` (fit, zoom, pan),
``pan`` (following the step by scrolling the background), ``legend`` (the strip under
the graph, and the theme), ``tiles`` (the static layer kept at the current zoom, pasted
by a pan that jumps).

The layers take the canvas's parts, not the canvas (issue 18): ``geometry`` (the scene
in display space for a viewport), ``label_artists`` (the texts: scene, viewport, theme),
``tangent_layer`` (forward mode's labels: scene); the canvas passes its own in.
"""

from __future__ import annotations

import functools
import time
from operator import attrgetter
from pathlib import Path as FilePath

import gui.support.matplotlib_setup  # noqa: F401  (before any other matplotlib import)

# isort: split
from matplotlib.axes import Axes
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import Qt, Signal

from core.base import cancel
from core.drawing.layout import node_keys
from core.engine.trace import KnownState, Step, Trace
from gui.canvas.artists import DynamicLayer, GraphLayer
from gui.canvas.blit import Blitter
from gui.canvas.edge_names import EdgeNames
from gui.canvas.edge_names_export import markers_in_figure
from gui.canvas.events import Pointer
from gui.canvas.focus import edge_keys, focus_of, highlight_keys
from gui.canvas.geometry import Geometry, Viewport
from gui.canvas.inspect import Inspector
from gui.canvas.label_artists import Labels
from gui.canvas.legend import LegendLayer, apply_theme, build_legend
from gui.canvas.pan import Scroller
from gui.canvas.prefetch import Prefetcher
from gui.canvas.rescale import IN_THREAD_NODES, PREPARED_WORDS, Rescaler
from gui.canvas.scene import (
    _GRAD,
    _HIGHLIGHT,
    _LOCAL,
    _PREPARED,
    _PREPARED_LOCK,
    _UPDATE,
    _VALUE,
    CANVAS_FIELDS,
    DARK_THEME,
    LEGEND_HEIGHT,
    LIGHT_THEME,
    Scene,
    build_scene,
)
from gui.canvas.scene_shelf import SceneShelf
from gui.canvas.tangent_labels import _TANGENT, Tangents
from gui.canvas.tiles import StaticTiles
from gui.canvas.view import View
from gui.support import fonts


def _delegate(cls, part: str, name: str):
    """A canvas method that asks its collaborator ``part`` (an instance of ``cls``)."""
    target = getattr(cls, name)

    @functools.wraps(target)
    def method(self, *args, **kwargs):
        return getattr(getattr(self, part), name)(*args, **kwargs)

    return method


class GraphAxes(Axes):
    """The graph's axes, made by the canvas and shared with no other axes.

    A step reads the view limits some 25 times (following, the pan, the blit, the
    markers, composing ahead); matplotlib's ``viewLim`` first asks every axes sharing
    each axis whether it awaits an autoscale (~20 µs a read, ~0.5 ms a step). These
    share with none: only their own flags can ask for one (issue 19)."""

    def _unstale_viewLim(self) -> None:  # noqa: N802 - matplotlib's name
        if any(self._stale_viewlims.values()):
            super()._unstale_viewLim()


class GraphCanvas(FigureCanvasQTAgg):
    """The graph of one trace; ``show_state`` reveals what is known at a position."""

    nodeClicked = Signal(int)
    #: a horizontal drag on a scalar input (What if): its name, then each new value,
    #: then the last one and whether it is kept (release) or not (Esc, right button)
    whatIfStarted = Signal(str)
    whatIfMoved = Signal(str, float)
    whatIfFinished = Signal(str, float, bool)

    def __init__(self, parent=None):
        fonts.register(defer_qt=True)  # Noto Sans SC, used once some text needs CJK glyphs
        figure = Figure(figsize=(12, 7), dpi=100)
        super().__init__(figure)
        if parent is not None:
            self.setParent(parent)
        self.setObjectName("graphCanvas")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.theme = LIGHT_THEME  # its colours (scene.Theme): set_dark changes it
        #: False: the legend stays English whatever the UI language (English exports)
        self.translate_legend = True
        self.ax = figure.add_axes((0.0, LEGEND_HEIGHT, 1.0, 1.0 - LEGEND_HEIGHT),
                                  axes_class=GraphAxes)
        self.ax.set_axis_off()
        self.ax.set_autoscale_on(False)
        self._graph_layer = self.ax.add_artist(GraphLayer(self))
        self._dynamic_layer = self.ax.add_artist(DynamicLayer(self))
        self._legend = self.figure.add_artist(LegendLayer(self))  # legend.py
        #: its collaborators: the blits (blit.py), the scrolled pan (pan.py), idle-time
        #: rasters (prefetch.py), what is drawn where, in widget pixels (inspect.py)
        self.blitter = Blitter(self)
        self.scroller = Scroller(self)
        self.prefetcher = Prefetcher(self)
        self.inspector = Inspector(self)
        self.pointer = Pointer(self)  # the mouse and keys (events.py)
        self.view = View(self)  # fit, zoom, pan, following the step (view.py)
        self.tangents = Tangents(self)  # forward mode's labels (tangent_labels.py)
        self.edge_names = EdgeNames(self)  # names the view's edge cuts (edge_names.py)
        self.shelf = SceneShelf()  # the last graphs' scenes, for undo (scene_shelf.py)
        self.trace: Trace | None = None
        self.geometry: Geometry | None = None
        self._background = self._background_key = None  # the static layer (blit.py)
        self._tiles = StaticTiles()  # the static layer kept for pans (tiles.py)
        self._drawn: dict[tuple[int, int], tuple[float, float, float, float]] = {}
        self._press: tuple[float, float, tuple] | None = None
        self._whatif: list | None = None  # [name, x at the press, value, value now]
        self._prefetch_scheduled = self._panning = False
        #: graph text size (View → Text size, presentation mode): relays the labels out
        self.text_scale = 1.0
        #: View → Follow the current step; no animation (playing, stepping fast)
        self.following = True
        self.instant_pans = False
        #: the legend strip says "zoomed in to read …" / "out of date …" instead
        self.hint = False
        self.out_of_date = False
        #: text is drawn at no smaller zoom than this (1 in presentation mode: text at
        #: least its full size times the text setting)
        self.least_zoom = 0.0
        #: presentation mode: a function giving the step counter, drawn under the graph
        self.counter = None
        #: the view is the canvas's own fit (False once the learner zooms or pans)
        self.view_auto = True
        self._reset_graph()
        apply_theme(self)  # builds the legend too
        self.mpl_connect("draw_event", self.blitter.on_draw)
        self.mpl_connect("scroll_event", self.pointer.on_scroll)
        self.mpl_connect("button_press_event", self.pointer.on_press)
        self.mpl_connect("motion_notify_event", self.pointer.on_motion)
        self.mpl_connect("button_release_event", self.pointer.on_release)

    # ---- public API ------------------------------------------------------------

    def set_trace(self, trace: Trace) -> None:
        """Draw a new graph; nodes that were there before keep their places.

        A layout made beforehand by :meth:`layout_job` (in a worker thread) is used as is.
        """
        with _PREPARED_LOCK:
            scene = _PREPARED.pop(trace, None)  # used once: it refers to the trace
            words = PREPARED_WORDS.pop(trace, None)
        # an Apply's layout made while the UI language changed has the old words: a
        # small one laid out here again, a big one in a worker thread once shown
        old_words = words is not None and words != self.rescaler.words
        if old_words and len(trace.graph.nodes) < IN_THREAD_NODES:
            scene = old_words = None
        if scene is None and trace is not self.trace:  # undo, redo: placed before
            scene = self.shelf.take(trace, self.text_scale)
        if scene is None or scene.text_scale != self.text_scale:
            scene = build_scene(trace, self.trace, self.scene.grid, self.text_scale)
        old_view = (self.ax.get_xlim(), self.ax.get_ylim()) if self.trace is not None else None
        # the same graph again (a value edit, the next iteration of a script) keeps the
        # view, zoom and all; a new graph is fitted (issue 24)
        same_graph = (self.trace is not None and len(self.scene.pos) > 0
                      and len(self.trace.graph.nodes) == len(trace.graph.nodes)
                      and node_keys(self.trace.graph) == node_keys(trace.graph))
        # the view the canvas chose (a fit, or readable around the step with the hint),
        # not one the learner zoomed or panned
        old_fitted = same_graph and self.view_auto
        old_k = self.view.k() if same_graph else None
        if self.trace is not None and self.trace is not trace and self.scene_numbers_own:
            self.shelf.keep(self.trace, self.scene)
        self._reset_graph()
        self.trace = trace
        self.scene = scene
        self.labels = Labels(scene, Viewport.of_axes(self.ax), self.theme, trace.graph)
        self.extent = scene.extent  # grows with forward mode's tangent labels
        self._shown[_VALUE] = set(scene.leaves)
        self.tangents.after_trace()  # forward mode: its labels, placed after the others
        build_legend(self)
        if old_fitted:  # the whole graph was in view: it stays so, at the same zoom
            self.view.refit_keeping(old_k)  # unless wider numbers need a little less
        elif same_graph:  # zoomed or panned by the learner: left as it was
            self.ax.set_xlim(*old_view[0])
            self.ax.set_ylim(*old_view[1])
        else:
            self.view.fit_view()
        self.blitter.invalidate()
        if old_words:
            self.rescaler.start()

    def layout_job(self):
        """For a worker thread: a function that lays out a trace for this canvas ahead of
        :meth:`set_trace` (only numpy and Python: no artists, no widgets)."""
        before, before_grid, scale = self.trace, self.scene.grid, self.text_scale
        words = self.rescaler.words  # the UI language's generation it is laid out in

        def job(trace: Trace) -> None:
            scene = build_scene(trace, before, before_grid, scale)
            cancel.check()  # superseded: never stored (the scene keeps its weak key alive)
            with _PREPARED_LOCK:
                _PREPARED[trace] = scene
                PREPARED_WORDS[trace] = words

        return job

    def show_state(self, known: KnownState, current: Step | None) -> None:
        """Show what is known at a position; redraw only what changed."""
        if self.trace is None:
            return
        self.tangents.last_state = (known, current)
        current = self.tangents.focus(current)  # forward mode: the walk's node
        wanted = {
            _VALUE: set(known.values),
            _GRAD: set(known.grads),
            _LOCAL: edge_keys(self.scene, known.local),
            _UPDATE: set(known.updates),
            _HIGHLIGHT: highlight_keys(self.scene, current),
            _TANGENT: self.tangents.keys(),
        }
        self._current_key, self._focus_nodes, self._focus_edges = focus_of(
            self.trace, self.scene, current)  # the step and its neighbours
        self._position = current.index if current is not None else 0
        self._last_step = time.perf_counter()
        changed: list[tuple[int, int]] = []
        for layer, keys in wanted.items():
            shown = self._shown[layer]
            changed.extend((layer, k) for k in shown - keys)
            changed.extend((layer, k) for k in keys - shown)
            self._shown[layer] = keys
        if not changed:
            return
        before = (self.ax.get_xlim(), self.ax.get_ylim())
        could_blit = self.blitter.can_blit()
        self.view.follow()  # a pan scrolls the background (pan.py) or asks for a full draw
        if before != (self.ax.get_xlim(), self.ax.get_ylim()):
            if self._draw_pending and could_blit:
                self._draw_pending = False
                self.draw()  # a new zoom (an overview's step): there when the step returns
            return
        if self.cut_labels() != self._cut and could_blit:
            if not self.scroller.scroll_view(before, self._cut):  # what the view's edge cuts
                self._draw_pending = False
                self.draw()
            return
        self.blitter.blit_keys(changed)

    colours = property(attrgetter("theme.colours"), doc="``self.theme.colours``")
    # the label layer's texts (label_artists.py), read by the canvas's other parts
    _static = property(attrgetter("labels.static"), doc="``self.labels.static``")
    _texts = property(attrgetter("labels.texts"), doc="``self.labels.texts``")
    _text_zoom = property(attrgetter("labels.text_zoom"), doc="``self.labels.text_zoom``")
    _raster_cache = property(attrgetter("labels.raster_cache"),
                             doc="``self.labels.raster_cache``")
    dark = property(attrgetter("theme.dark"), doc="``self.theme.dark``")

    forward_mode = property(attrgetter("tangents.forward_mode"),
                            doc="Forward mode: the tangents' labels are on (tangent_labels.py)")
    prefetching = property(attrgetter("_prefetch_scheduled"), doc="True while labels of "
                           "later steps are still being prepared in idle time.")

    # what tests and the window ask the canvas; its collaborators answer
    label_entries = _delegate(Inspector, "inspector", "label_entries")
    label_boxes = _delegate(Inspector, "inspector", "label_boxes")
    node_boxes = _delegate(Inspector, "inspector", "node_boxes")
    current_rect = _delegate(Inspector, "inspector", "current_rect")
    cut_labels = _delegate(Inspector, "inspector", "cut_labels")
    node_widget_pos = _delegate(Pointer, "pointer", "node_widget_pos")
    edge_label_at = _delegate(Pointer, "pointer", "edge_label_at")
    edge_tooltip = _delegate(Pointer, "pointer", "edge_tooltip")
    keyPressEvent = _delegate(Pointer, "pointer", "key_press")  # noqa: N815 - Qt's name
    keyReleaseEvent = _delegate(Pointer, "pointer", "key_release")  # noqa: N815
    show_counter = _delegate(Blitter, "blitter", "show_counter")
    blit = _delegate(Blitter, "blitter", "blit")  # (matplotlib's blit, through the Blitter)
    paintEvent = _delegate(Blitter, "blitter", "paint")  # noqa: N815 - Qt's name

    visible_labels = _delegate(Inspector, "inspector", "visible_labels")
    node_labels = _delegate(Inspector, "inspector", "node_labels")
    edge_label = _delegate(Inspector, "inspector", "edge_label")
    highlighted = _delegate(Inspector, "inspector", "highlighted")
    step_in_view = _delegate(Inspector, "inspector", "step_in_view")
    node_tooltip = _delegate(Inspector, "inspector", "node_tooltip")
    fit_view = _delegate(View, "view", "fit_view")
    whole_view = _delegate(View, "view", "whole_view")
    zoom = _delegate(View, "view", "zoom")
    pan = _delegate(View, "view", "pan")
    follow = _delegate(View, "view", "follow")
    set_tangents = _delegate(Tangents, "tangents", "set_walk")
    show_tangents = _delegate(Tangents, "tangents", "show")
    tangent_labels = _delegate(Tangents, "tangents", "shown_texts")
    tangent_tooltip = _delegate(Tangents, "tangents", "tooltip")
    show_numbers = _delegate(Tangents, "tangents", "show_numbers")

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.view.resized(event, super().resizeEvent)

    def retranslate(self) -> None:
        """The legend and the graph's labels (size words, "[4×3: 12 个值]") in the UI
        language now installed, not on the next build: the same graph placed again for
        the words' new widths (a big one in a worker thread: rescale.py); its rows, view
        and step stay."""
        build_legend(self)
        self.blitter.invalidate()
        if self.trace is not None:
            self.shelf.clear(self.scene)  # their labels' words are the old language's
            self.rescaler.relabel()

    def set_out_of_date(self, on: bool) -> None:
        """After a failed Apply: the old graph greyed, and "out of date — …" under it."""
        self.out_of_date = bool(on)
        self._graph_layer.set_alpha(0.35 if self.out_of_date else None)
        self.blitter.invalidate()

    def set_text_scale(self, scale: float) -> None:
        """Graph text size (1 = normal): the labels are placed again for it (a big
        graph's in a worker thread: rescale.py)."""
        scale = min(max(float(scale), 0.6), 3.0)
        if abs(scale - self.text_scale) < 1e-9:
            return
        self.text_scale = scale
        self.shelf.clear()  # placed for the old size
        self.rescaler.relayout()

    #: the layout for a new text size in a worker thread (rescale.py), made when needed
    rescaler = functools.cached_property(Rescaler)

    def set_dark(self, dark: bool) -> None:
        theme = DARK_THEME if dark else LIGHT_THEME
        if theme is self.theme:
            return  # the theme it has (start-up sets it once more)
        self.theme = theme
        apply_theme(self)
        self.blitter.invalidate()

    def export_image(self, path: str | FilePath) -> None:
        """Write the figure at the current position: PNG, SVG or PDF by the suffix."""
        suffix = FilePath(path).suffix.lower().lstrip(".")
        if suffix not in ("png", "svg", "pdf"):
            raise ValueError(f"cannot export to .{suffix}: use .png, .svg or .pdf")
        if self.trace is not None and (self.geometry is None or self._draw_pending):
            self.draw()  # (the markers are placed for the view as drawn)
        with markers_in_figure(self):  # the names at the view's edge, as on screen
            self.figure.savefig(path, format=suffix, facecolor=self.colours["bg"])
        self.blitter.invalidate()  # savefig used its own renderer; the screen needs a fresh one

    def _reset_graph(self) -> None:
        self.trace = None
        self.geometry = None
        self.scene = Scene()  # the graph's frozen numbers (gui.canvas.scene)
        #: its texts, made on demand (label_artists.py): a new scene or theme, new ones
        self.labels = Labels(self.scene, Viewport.of_axes(self.ax), self.theme)
        self.extent = self.scene.extent
        self._current_key: tuple[str, int] | None = None
        self._position = 0
        self._cut: set = set()
        self._focus_nodes: set[int] = set()
        self._focus_edges: set[int] = set()
        self._shown: dict[int, set[int]] = {_VALUE: set(), _GRAD: set(), _LOCAL: set(),
                                            _UPDATE: set(), _HIGHLIGHT: set(), _TANGENT: set()}
        self._drawn = {}
        self.prefetcher.restart(empty=True)
        self.tangents.reset()
        #: the scene's labels hold its trace's numbers (not What if's: not shelved then)
        self.scene_numbers_own = True


# the scene's fields, read as the canvas's own (tests, gui.canvas.view and geometry)
for _name in CANVAS_FIELDS:
    setattr(GraphCanvas, _name, property(attrgetter(f"scene.{_name}"),
                                         doc=f"``self.scene.{_name}``"))
