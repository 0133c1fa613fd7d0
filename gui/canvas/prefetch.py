"""Rasters made in idle time, before a step needs them (issue 19).

Laying out and rasterising a text costs about a millisecond; pasting its raster a few
microseconds. While the learner reads, the canvas rasterises the texts steps will show,
in the order they will want them: the next steps' labels, then what the view will show
around the next steps and around each phase's first steps (the step bar jumps there),
then the rest of the walk. A few milliseconds at a time, never while steps come fast.
"""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QTimer

from gui.canvas import tiles
from gui.canvas.scene import _GRAD, _LOCAL, _TANGENT, _UPDATE, _VALUE
from gui.canvas.text_cache import MAX_RASTERS

#: in slices this long (seconds), this far apart (ms): a key waits at most one slice
PREFETCH_SLICE_S, PREFETCH_GAP_MS = 0.010, 4
#: the labels of this many steps ahead first
PREFETCH_STEPS = 12
#: then what the view shows around this many steps from here and from each phase's start
PREFETCH_AROUND = 60
#: only once no step came for this long (seconds)
PREFETCH_IDLE_S = 0.25
_NODE_LAYERS = (_VALUE, _GRAD, _UPDATE, _TANGENT)
#: a view's static layer drawn into tiles in idle time takes less than this (seconds),
#: or no more are drawn at that zoom (long edges): the graph keeps what its pans leave
TILE_RENDER_S = 0.04


class Prefetcher:
    """Idle-time rasters of :class:`~gui.canvas.widget.GraphCanvas`."""

    def __init__(self, canvas) -> None:
        self.canvas = canvas

    def restart(self, empty: bool = False) -> None:
        """A new queue of texts to come (after a draw or a pan; ``empty`` for a new
        graph, nothing drawn yet). The old generator is closed here, on the GUI thread:
        left to the garbage collector, its cycle through the canvas was once finalised
        by a build thread's collection ("generator already executing")."""
        old = getattr(self.canvas, "_prefetch_queue", None)
        self.canvas._prefetch_queue = iter(()) if empty else self.labels_to_come()
        close = getattr(old, "close", None)
        if close is not None and not getattr(old, "gi_running", False):
            close()

    def labels_to_come(self):
        """The texts to rasterise, in the order steps will want them (a generator)."""
        g, trace = self.canvas.geometry, self.canvas.trace
        if g is None or trace is None or not g.show_text:
            return iter(())
        return self.walk_texts(g, trace)

    def walk_texts(self, g, trace):
        start = self.canvas._position
        steps = trace.steps
        for step in steps[start:start + PREFETCH_STEPS]:
            if step.node is not None and g.in_view[step.node]:
                layer = _GRAD if step.phase == "backward" else _VALUE
                yield self.canvas.labels.dynamic_text((layer, step.node))
                if getattr(step, "first", False):
                    yield self.canvas.labels.dynamic_text((_GRAD, trace.graph.output))
            elif step.edge is not None and step.edge in self.canvas.scene.edge_index:
                index = self.canvas.scene.edge_index[step.edge]
                if g.edge_in_view[index]:
                    yield self.canvas.labels.dynamic_text((_LOCAL, index))
        yield from self.canvas.labels.group_texts()
        # around the next steps first; then from here and from each phase's start in
        # turn (the step bar jumps there: each phase's first views warm, not one
        # phase's sixty while the raster budget runs out before the next phase)
        order = list(range(start, min(start + PREFETCH_STEPS, len(steps))))
        begins = [start, *sorted(trace.phase_starts.values())]
        order += [b + i for i in range(PREFETCH_AROUND) for b in begins if b + i < len(steps)]
        order += [*range(start, len(steps)), *range(start)]
        (x0, x1), (y0, y1) = self.canvas.ax.get_xlim(), self.canvas.ax.get_ylim()
        half = np.array([(x1 - x0) / 2, (y1 - y0) / 2])  # a view around each step
        nodes_done = np.zeros(len(self.canvas.scene.pos), bool)
        edges_done = np.zeros(len(self.canvas.scene.edges), bool)
        steps_done: set[int] = set()
        for i in order:
            if i in steps_done:
                continue
            steps_done.add(i)
            centre = self.step_centre(steps[i])
            if centre is None:
                continue
            near = np.all(np.abs(self.canvas.scene.pos - centre) <= half, axis=1) & ~nodes_done
            nodes_done |= near
            for v in np.flatnonzero(near):
                v = int(v)
                yield from self.canvas.labels.static_texts(v)
                for layer in _NODE_LAYERS:
                    if (layer, v) in self.canvas.scene.label_texts:
                        yield self.canvas.labels.dynamic_text((layer, v))
            if len(self.canvas.scene.edges):
                near = (np.all(np.abs(self.canvas.scene.edge_mid_world - centre) <= half, axis=1)
                        & ~edges_done)
                edges_done |= near
                for e in np.flatnonzero(near):
                    if (_LOCAL, int(e)) in self.canvas.scene.label_texts:
                        yield self.canvas.labels.dynamic_text((_LOCAL, int(e)))
            yield _TilesAround(self.canvas, centre)  # its view's static layer (tiles.py)

    def step_centre(self, step):
        if step.node is not None:
            return self.canvas.scene.pos[step.node]
        index = self.canvas.scene.edge_index.get(step.edge) if step.edge is not None else None
        return None if index is None else self.canvas.scene.edge_mid_world[index]

    def run(self) -> None:
        """Rasterise upcoming labels a few milliseconds at a time, between events."""
        self.canvas._prefetch_scheduled = False
        if self.canvas.trace is None or self.canvas._draw_pending:
            return
        rescaler = self.canvas.__dict__.get("rescaler")  # (made when first needed)
        if rescaler is not None and rescaler.pending:
            return  # this graph is being placed again (rescale.py): its draw prefetches
        quiet = time.perf_counter() - getattr(self.canvas, "_last_step", 0.0)
        if quiet < PREFETCH_IDLE_S:  # stepping goes on: rasters now would slow it down
            self.canvas._prefetch_scheduled = True
            QTimer.singleShot(round((PREFETCH_IDLE_S - quiet) * 1000) + 1, self.canvas,
                              self.run)
            return
        renderer = self.canvas.get_renderer()
        deadline = time.perf_counter() + PREFETCH_SLICE_S
        for text in self.canvas._prefetch_queue:
            if len(self.canvas._raster_cache) >= MAX_RASTERS * 3 // 4:
                return  # enough: the oldest would go again
            text.prepare(renderer)
            if time.perf_counter() > deadline:
                self.canvas._prefetch_scheduled = True
                QTimer.singleShot(PREFETCH_GAP_MS, self.canvas, self.run)
                return


class _TilesAround:
    """A view around a world point: its static layer drawn into tiles, if not kept yet
    (prepared in the queue like a text)."""

    def __init__(self, canvas, centre):
        self.canvas, self.centre = canvas, centre

    def prepare(self, renderer) -> None:
        canvas = self.canvas
        kept = canvas._tiles
        offset = kept.offset(canvas)
        # a graph whose view draws slowly (long edges) keeps only what its pans leave:
        # a key pressed meanwhile would wait for the whole view
        slow = (id(canvas.trace), kept.key[1] if kept.key else None)
        if (offset is None or kept.full() or kept.slow == slow
                or getattr(canvas._background, "ndim", 0) != 3):
            return
        area = canvas.scroller.axes_rows_cols(int(renderer.height))
        target = next(tiles.view_offsets(canvas, [self.centre], offset))
        fill = canvas.scroller.background_rgba().view(np.uint32)[0]
        for _ in range(4):  # a view touches the whole tiles of at most four renders
            tile = kept.first_missing(area, target)
            if tile is None or kept.full():
                return
            start, rasters = time.thread_time(), len(canvas._raster_cache)
            tiles.render_view(canvas, tiles.starting_at(tile, area), kept, fill)
            # (a view whose labels were rasterised on the way is not slow to draw: the
            # next one pastes them; judged so, a big graph kept only its first view)
            if (time.thread_time() - start > TILE_RENDER_S
                    and len(canvas._raster_cache) == rasters):
                kept.slow = slow
                return
