"""The view the next step jumps to, composed ahead in idle time (issue 19).

Most steps through a big graph that follow the step jump: the new view keeps nothing
of the old one, and the step pastes its static layer from the tiles (tiles.py), redraws
under the labels its edge cuts, then draws the dynamic labels (pan.py). The steps the
learner can take next are known, → and ←: between two presses of a held key (~30 ms)
the canvas composes the static layer of the view each would jump to, off-screen and as
that step would, and the step copies it in one paste.

A composed view is used only when everything its pixels depend on is the same at the
step: the tiles' lattice key (trace, zoom, theme, text size, and every invalidation:
a new draw, What if, language), the view's place on the lattice, the axes' pixels and
the labels the view's edge cuts. Anything else draws as before: never a stale frame.
It runs on the GUI thread between events, one view at a time: a key pressed meanwhile
waits for that one view at most.
"""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QTimer

from gui.canvas import tiles
from gui.canvas.focus import focus_of

#: off: every jump composes its view when it comes (tests compare the two)
ENABLED = True
#: the next step's view once no step came for this long (seconds): a held key leaves
#: ~25 ms between its steps; back-to-back steps leave none, and are not slowed down
AHEAD_QUIET_S = 0.004
#: the previous step's once the learner paused this long (a held → key never needs it)
AHEAD_BACK_QUIET_S = 0.12
#: at most this many views kept (each a background: ~3.4 MB at 1200×700)
AHEAD_VIEWS = 2


class Ahead:
    """The views composed ahead for :class:`~gui.canvas.widget.GraphCanvas`
    (``canvas.blitter.ahead``)."""

    def __init__(self, canvas) -> None:
        self.canvas = canvas
        #: (lattice key, place, axes' pixels, cut labels) → a background whose axes'
        #: pixels are that view's static layer
        self.views: dict[tuple, np.ndarray] = {}
        self.timer = QTimer(canvas)  # one timer: a paint brings it forward
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.run)
        #: (step, quiet it waits for) whose view is still to compose
        self.pending: list[tuple[int, float]] = []
        self.state = None  # what ``pending`` was planned for
        self.used = 0  # steps that pasted a composed view (tests, benchmarks)
        #: what ``View.follow`` does from a view for a step (its dry runs here): the
        #: step's own follow needs not work it out again
        self.plans: dict[tuple, tuple] = {}
        #: the cut labels of the last view composed (under ``follow_key`` there)
        self.cuts: dict[tuple, frozenset] = {}

    def soon(self) -> None:
        """After a paint: compose the next views once the canvas is quiet."""
        if ENABLED:
            self.timer.start(round(AHEAD_QUIET_S * 1000) + 1)

    def run(self) -> None:
        c = self.canvas
        if not ENABLED or c.trace is None or c._draw_pending or not c.blitter.can_blit() \
                or tiles.lattice_key(c) is None:
            return
        state = (c._position, c.ax.get_xlim(), c.ax.get_ylim(), tiles.lattice_key(c))
        if state != self.state:
            self.state = state
            # (steps count from 1: the next step is ``steps[position]``, the previous
            # one ``steps[position - 2]``)
            self.pending = [(i, quiet) for i, quiet in ((c._position, AHEAD_QUIET_S),
                                                        (c._position - 2, AHEAD_BACK_QUIET_S))
                            if 0 <= i < len(c.trace.steps)]
        if not self.pending:
            return
        quiet = time.perf_counter() - getattr(c, "_last_step", 0.0)
        index, wanted = self.pending[0]
        if quiet >= wanted:
            self.pending.pop(0)
            self.compose(c.trace.steps[index])
        if self.pending:  # the other one in its own slice: a key pressed meanwhile comes first
            quiet = time.perf_counter() - getattr(c, "_last_step", 0.0)
            self.timer.start(max(round((self.pending[0][1] - quiet) * 1000) + 1, 0))

    def key(self, offset, area) -> tuple:
        c = self.canvas
        return (tiles.lattice_key(c), offset, area, frozenset(c._cut))

    def take(self, offset, area) -> np.ndarray | None:
        """The static background composed for the view now shown, if any (its axes'
        pixels; the step makes it the canvas's background: handed over, not kept)."""
        found = self.views.pop(self.key(offset, area), None)
        if found is not None:
            self.used += 1
        return found

    def compose(self, step) -> None:
        """The static layer of the view ``step`` would jump to (none if it does not
        jump), composed in a scratch renderer; the canvas is left as it was."""
        c, view = self.canvas, self.canvas.view
        ax = c.ax
        saved = (ax.get_xlim(), ax.get_ylim(), c._cut, c.geometry, c._current_key,
                 c._focus_nodes, c._focus_edges, c.hint)
        moves: list[tuple[float, float, float]] = []
        view._animate_to = lambda k, cx, cy: moves.append((k, cx, cy))  # where, not how
        try:
            c._current_key, c._focus_nodes, c._focus_edges = focus_of(c.trace, c.scene, step)
            plan = self.follow_key()
            view.follow()
            if not moves or abs(moves[0][0] - view.k()) <= 1e-9 * moves[0][0]:
                self.plan(plan, tuple(moves[0]) if moves else ())  # (a new zoom: not
                # planned, its follow sets more than the view)
            if moves and self.move_to(*moves[0]):
                self.compose_here()
        finally:
            del view._animate_to
            xlim, ylim, c._cut, c.geometry, c._current_key, c._focus_nodes, \
                c._focus_edges, c.hint = saved
            if (ax.get_xlim(), ax.get_ylim()) != (xlim, ylim):  # only when moved: most
                # next steps need no pan, and setting both limits costs ~0.5 ms
                ax.set_xlim(*xlim, emit=False)
                ax.set_ylim(*ylim, emit=False)

    def follow_key(self) -> tuple:
        """What ``View.follow`` reads: the view, the axes' place, the step and its
        neighbours, the graph and how its labels measure (the tiles' lattice key)."""
        c = self.canvas
        return (c.ax.get_xlim(), c.ax.get_ylim(), tuple(c.ax.bbox.bounds), id(c.scene),
                tuple(c.extent), len(c.scene.label_pos), c.forward_mode,  # (tangents)
                c._current_key, frozenset(c._focus_nodes), frozenset(c._focus_edges),
                c.hint, c.view_auto, tiles.lattice_key(c))

    def plan(self, key: tuple, move: tuple) -> None:
        self.plans.pop(key, None)
        while len(self.plans) >= AHEAD_VIEWS:
            del self.plans[next(iter(self.plans))]
        self.plans[key] = move

    def planned_cut(self) -> set | None:
        """The labels the view's edge cuts, if composing found them for the canvas as
        it is now (``Inspector.cut_labels``); None when unknown."""
        found = self.cuts.get(self.follow_key()) if ENABLED and self.cuts else None
        return None if found is None else set(found)

    def planned_move(self) -> tuple | None:
        """The follow a dry run found for the canvas as it is now: () for none, else
        ``View._animate_to``'s (k, cx, cy); None when unknown (``View.follow`` works it
        out)."""
        if not ENABLED or not self.plans:
            return None
        return self.plans.get(self.follow_key())

    def move_to(self, k: float, cx: float, cy: float) -> bool:
        """The axes set as the step's pan sets them (``View._animate_to``, instant);
        False when that is not a jump at this zoom by whole pixels."""
        c = self.canvas
        ax = c.ax
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        if abs(k - c.view.k()) > 1e-9 * k:
            return False  # a new zoom: drawn in full
        start = ((x0 + x1) / 2, (y0 + y1) / 2)
        cx = start[0] + round((cx - start[0]) * k) / k
        cy = start[1] + round((cy - start[1]) * k) / k
        box = ax.bbox
        half_w, half_h = box.width / k / 2, box.height / k / 2
        ax.set_xlim(cx - half_w, cx + half_w, emit=False)
        ax.set_ylim(cy - half_h, cy + half_h, emit=False)
        (nx0, _), (ny0, _) = ax.get_xlim(), ax.get_ylim()
        dx, dy = (x0 - nx0) * k, (y0 - ny0) * k
        if abs(dx - round(dx)) > 1e-3 or abs(dy - round(dy)) > 1e-3:
            return False
        top, bottom, left, right = c.scroller.axes_rows_cols(int(c.get_renderer().height))
        return abs(round(dy)) >= bottom - top or abs(round(dx)) >= right - left

    def compose_here(self) -> None:
        """The axes' static pixels of the view the axes show now, as a jump there
        makes them (``Scroller.static_parts`` into a scratch renderer)."""
        c = self.canvas
        offset = c._tiles.offset(c, start=False)
        if offset is None:
            return
        c._cut = c.cut_labels()
        self.cuts = {self.follow_key(): frozenset(c._cut)}  # (the step's, in the view)
        renderer = c.get_renderer()
        scratch = tiles.scratch_like(renderer)
        buffer = np.asarray(scratch.buffer_rgba())
        area = c.scroller.axes_rows_cols(buffer.shape[0])
        key = self.key(offset, area)
        if key in self.views:
            return
        c.geometry = c.view.geometry(scratch)
        fill = c.scroller.background_rgba().view(np.uint32)[0]
        c.scroller.static_parts(scratch, buffer, area, [area], (offset, fill), None)
        if not c._tiles.full() and c._tiles.missing_near(area, offset):  # as the step would
            # keep them from its background (Scroller.keep_tiles), but now
            height = buffer.shape[0]
            dirty = [(height - y1, height - y0, x0, x1)
                     for x0, y0, x1, y1 in c.scroller.recut_boxes(c._cut, scratch)]
            c._tiles.harvest(buffer, area, offset, fill, dirty)
        for old in [k for k in self.views if k[0] != key[0] or k[2] != area]:
            del self.views[old]  # another zoom, theme, draw or size: never used again
        while len(self.views) >= AHEAD_VIEWS:
            del self.views[next(iter(self.views))]
        self.views[key] = buffer.copy()  # (outside the axes: the step's own background)
