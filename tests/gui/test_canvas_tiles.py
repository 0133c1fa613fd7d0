"""The static layer kept in tiles: a jump pan pastes them (issue 19, gui/canvas/tiles.py)."""

from __future__ import annotations

import re

import numpy as np

from benchmarks.bench_canvas import chain_program
from core.engine.trace import Stepper, build_trace
from gui.canvas import prefetch, text_cache, tiles
from gui.graph_canvas import GraphCanvas


def _world_view(world: np.ndarray, offset, height: int, width: int) -> np.ndarray:
    """What a buffer at ``offset`` shows of ``world`` (lattice row R, column C at
    world[R + 500, C + 500]): content moved offset[0] columns right, offset[1] rows up."""
    rows = np.arange(height)[:, None] + offset[1] + 500
    cols = np.arange(width)[None, :] - offset[0] + 500
    return world[rows, cols]


def test_tiles_kept_at_one_place_paste_at_another_where_the_content_moved():
    rng = np.random.default_rng(0)
    world = rng.integers(0, 255, (1400, 1400, 4), dtype=np.uint8)
    world[:, :, 3] = 255
    fill = np.array([255, 255, 255, 255], np.uint8).view(np.uint32)[0]
    kept = tiles.StaticTiles()
    first, height, width = (37, -211), 420, 610
    kept.harvest(_world_view(world, first, height, width), (0, height, 0, width), first, fill,
                 dirty=[(100, 110, 200, 260)])
    assert kept.size > 0
    later = (37 - 45, -211 + 130)
    buffer = np.zeros((height, width, 4), np.uint8)
    pasted, missing = kept.paste(buffer, [(0, height, 0, width)], later, fill)
    assert pasted and missing
    want = _world_view(world, later, height, width)
    for top, bottom, left, right in pasted:
        assert np.array_equal(buffer[top:bottom, left:right], want[top:bottom, left:right])
    # the dirty box's tile was not kept: it is among the missing parts
    covered = np.zeros((height, width), bool)
    for top, bottom, left, right in pasted:
        covered[top:bottom, left:right] = True
    for top, bottom, left, right in missing:
        assert not covered[top:bottom, left:right].any()
        covered[top:bottom, left:right] = True
    assert covered.all()


def test_empty_tiles_are_marked_not_copied():
    fill = np.array([250, 250, 250, 255], np.uint8).view(np.uint32)[0]
    buffer = np.full((256, 256, 4), 250, np.uint8)
    buffer[..., 3] = 255
    kept = tiles.StaticTiles()
    kept.harvest(buffer, (0, 256, 0, 256), (0, 0), fill)
    assert len(kept.tiles) == 4 and set(kept.tiles.values()) == {tiles.EMPTY}
    assert kept.size == 0
    out = np.zeros_like(buffer)
    pasted, missing = kept.paste(out, [(0, 256, 0, 256)], (0, 0), fill)
    assert not missing and np.array_equal(out, buffer)


def _tree_canvas(qtbot):
    """A canvas on a tree of about 200 nodes (tall: the local and backward phases jump
    across it), every leaf a parameter (solid edges, see test_canvas_pan)."""
    canvas = GraphCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(1200, 700)
    canvas.show()
    qtbot.waitExposed(canvas)
    text = re.sub(r"^(x\d+_\d+) = (\S+)$", r"\1 = param(\2)", chain_program(200), flags=re.M)
    trace = build_trace(text)
    stepper = Stepper(trace)
    canvas.set_trace(trace)
    canvas.show_state(stepper.known, stepper.current)
    qtbot.waitUntil(lambda: not canvas._draw_pending and canvas.geometry is not None)
    return canvas, stepper, trace


def _wait_for_idle_work(qtbot, canvas) -> None:
    """Until the idle-time work is done (a draw pending stops it for a moment: the
    draw starts it again)."""
    qtbot.waitUntil(lambda: not canvas.prefetching and not canvas._draw_pending,
                    timeout=120_000)


def test_jumps_paste_the_tiles_made_in_idle_time_and_show_what_a_full_draw_shows(
        qtbot, monkeypatch):
    # no view counts as slow to draw (the 40 ms budget is CPU time: under load a view
    # went over it and the idle time drew no more tiles); the tiles made are counted
    monkeypatch.setattr(prefetch, "TILE_RENDER_S", float("inf"))
    canvas, stepper, trace = _tree_canvas(qtbot)
    _wait_for_idle_work(qtbot, canvas)
    assert canvas._tiles.tiles
    results = []
    paste = canvas._tiles.paste

    def spy(*args):
        result = paste(*args)
        results.append(result)
        return result

    canvas._tiles.paste = spy
    draws = []
    original = canvas.draw
    canvas.draw = lambda: (draws.append(stepper.position), original())
    stepper.goto(trace.phase_starts["local"])
    for _ in range(12):
        stepper.next()
        canvas.show_state(stepper.known, stepper.current)
        qtbot.wait(1)
    assert draws == []  # every jump was a scroll
    assert sum(1 for pasted, missing in results if pasted and not missing) >= 6
    canvas.draw = original
    scrolled = np.array(canvas.buffer_rgba(), copy=True).astype(int)
    labels = sorted(e["text"] for e in canvas.label_boxes())
    canvas.draw()
    full = np.asarray(canvas.buffer_rgba()).astype(int)
    assert sorted(e["text"] for e in canvas.label_boxes()) == labels
    diff = np.abs(scrolled - full).max(axis=-1)  # the tolerance of test_canvas_pan
    assert (diff > 1).mean() < 5e-4
    assert diff.max() <= 16


def test_a_view_slow_to_draw_stops_the_idle_tiles_at_that_zoom(qtbot, monkeypatch):
    """Every view over the budget: the idle time draws views' tiles until one of them
    rasterised no label on the way (that one was slow to draw, not to rasterise: a key
    pressed meanwhile would wait for a whole view), then no more; pans still keep theirs."""
    monkeypatch.setattr(prefetch, "TILE_RENDER_S", -1.0)
    renders = []
    render = tiles.render_view

    def counted(canvas, *rest):
        before = len(canvas._raster_cache)
        render(canvas, *rest)
        renders.append((canvas, before, len(canvas._raster_cache)))

    monkeypatch.setattr(tiles, "render_view", counted)
    text_cache.RASTERS.clear()  # no raster of this tree kept from an earlier test
    canvas, _, _ = _tree_canvas(qtbot)
    _wait_for_idle_work(qtbot, canvas)
    # (a canvas of an earlier test may still prepare its own in idle time)
    mine = [(before, after) for drawn, before, after in renders if drawn is canvas]
    assert mine != []
    assert mine[-1][0] == mine[-1][1]  # the view that stopped them made no raster
    assert all(after > before for before, after in mine[:-1])  # the others made some
    assert canvas._tiles.slow == (id(canvas.trace), canvas._tiles.key[1])


def test_a_new_draw_closes_the_queue_it_replaces_on_the_gui_thread(qtbot):
    """The idle-time queue is a generator in a cycle through the canvas: replaced by a
    draw, it is closed at once, not left to a collection another thread may run."""
    canvas, _stepper, _trace = _tree_canvas(qtbot)
    old = canvas._prefetch_queue
    assert old.gi_frame is not None  # started or not, not closed yet
    canvas.draw()
    assert canvas._prefetch_queue is not old and old.gi_frame is None  # closed
    fresh = canvas._prefetch_queue
    canvas._reset_graph()  # a new graph: an empty queue
    assert fresh.gi_frame is None and next(iter(canvas._prefetch_queue), None) is None


def test_a_view_drawn_for_its_missing_tiles_draws_only_near_them_and_exactly(
        qtbot, monkeypatch):
    """Idle time draws a view's tiles not kept yet: only what reaches into them (their
    texts, not the whole view's), and each such tile as the full draw made it."""
    canvas, _stepper, _trace = _tree_canvas(qtbot)
    canvas.draw()  # the tiles of this view, from a full draw (some left out: cut labels)
    reference = dict(canvas._tiles.tiles)
    assert len(reference) >= 8
    offset = canvas._tiles.offset(canvas)
    fill = canvas.scroller.background_rgba().view(np.uint32)[0]
    mine = tiles.StaticTiles()
    mine.key, mine.origin = canvas._tiles.key, canvas._tiles.origin
    kept = sorted(reference)[len(reference) // 4:]  # three quarters kept already
    mine.tiles = {tile: reference[tile] for tile in kept}
    drawn = []
    draw = tiles.text_cache.CachedText.draw
    monkeypatch.setattr(tiles.text_cache.CachedText, "draw",
                        lambda self, renderer: (drawn.append(self), draw(self, renderer))[1])
    tiles.render_view(canvas, offset, mine, fill)
    for tile, image in reference.items():  # the missing ones made again, to the pixel
        assert tile in mine.tiles
        if image is tiles.EMPTY:
            assert mine.tiles[tile] is tiles.EMPTY
        else:
            assert np.array_equal(mine.tiles[tile], image), tile
    every = len(canvas.label_entries())  # what a whole view's draw would draw, at least
    assert 0 < len(drawn) < every / 2  # (a whole view drew 35 of 45 here, its tiles 5)
