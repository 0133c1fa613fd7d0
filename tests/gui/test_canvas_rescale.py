"""A big graph placed again for a new text size in a worker thread (gui/canvas/rescale.py):
the window stays usable, and the graph then reads as the GUI thread would have placed it."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from core.engine.trace import Stepper, build_trace
from gui.canvas import rescale
from gui.canvas.rescale import IN_THREAD_NODES
from gui.canvas.scene import build_scene
from tests.gui.test_canvas_scene_shelf import assert_same_labels
from tests.programs import SQUARE, chain_program

#: about 1,050 nodes: over the line, and a layout of about half a second
BIG = chain_program(links=8, chains=30)
LAYOUT_MS = 120_000


@pytest.fixture(scope="module")
def big():
    trace = build_trace(BIG)
    assert len(trace.graph.nodes) >= IN_THREAD_NODES
    return trace


@pytest.fixture
def layouts(monkeypatch):
    """The (thread, scale) of each layout rescale.py makes (the real build_scene)."""
    made = []

    def spy(trace, before, grid, scale):
        made.append((threading.current_thread(), scale))
        return build_scene(trace, before, grid, scale)

    monkeypatch.setattr(rescale, "build_scene", spy)
    return made


def show(canvas, trace, position: int) -> Stepper:
    canvas.set_trace(trace)
    stepper = Stepper(trace, position)
    canvas.show_state(stepper.known, stepper.current)
    return stepper


def test_a_big_graph_is_placed_again_in_a_worker_thread(canvas, qtbot, big, layouts):
    show(canvas, big, 40)
    shown, key = canvas.scene, canvas._current_key
    canvas.set_text_scale(1.5)
    assert canvas.rescaler.pending and canvas.scene is shown  # the old layout, meanwhile
    assert canvas.cursor().shape() == Qt.CursorShape.BusyCursor
    stepper = Stepper(big, 41)  # and it steps meanwhile
    canvas.show_state(stepper.known, stepper.current)
    stepped = canvas._current_key, {layer: set(keys) for layer, keys in canvas._shown.items()}
    assert stepped[0] != key
    qtbot.waitUntil(lambda: not canvas.rescaler.pending, timeout=LAYOUT_MS)
    assert [scale for _, scale in layouts] == [1.5]
    assert layouts[0][0] is not threading.main_thread()
    assert canvas.scene is not shown and canvas.scene.text_scale == 1.5
    assert_same_labels(canvas.scene, build_scene(big, None, shown.grid, 1.5))
    assert (canvas._current_key, canvas._shown) == stepped  # at the step taken meanwhile
    assert canvas.cursor().shape() == Qt.CursorShape.ArrowCursor
    canvas.repaint()
    assert canvas.label_entries()


def test_sizes_asked_for_meanwhile_end_at_the_last(canvas, qtbot, big, layouts):
    show(canvas, big, 0)
    for scale in (1.25, 1.5, 2.0):  # Ctrl++ three times
        canvas.set_text_scale(scale)
    qtbot.waitUntil(lambda: not canvas.rescaler.pending, timeout=LAYOUT_MS)
    assert [scale for _, scale in layouts] == [1.25, 2.0]  # not one per press
    assert canvas.scene.text_scale == 2.0
    assert_same_labels(canvas.scene, build_scene(big, None, None, 2.0))


def test_a_graph_replaced_meanwhile_keeps_its_own_layout(canvas, qtbot, big, layouts):
    show(canvas, big, 0)
    canvas.set_text_scale(1.5)
    small = build_trace(SQUARE)
    show(canvas, small, 0)  # an Apply while the big graph is being placed
    placed = canvas.scene
    assert placed.text_scale == 1.5  # laid out at once, at the size asked for
    qtbot.waitUntil(lambda: not canvas.rescaler.pending, timeout=LAYOUT_MS)
    assert canvas.trace is small and canvas.scene is placed
    assert canvas.cursor().shape() == Qt.CursorShape.ArrowCursor


def test_a_size_asked_for_after_the_graph_was_replaced_is_laid_out(canvas, qtbot, big,
                                                                   layouts):
    show(canvas, big, 0)
    canvas.set_text_scale(1.25)
    other = build_trace(BIG)
    show(canvas, other, 0)  # an Apply: laid out at once at 1.25
    canvas.set_text_scale(1.5)  # and Ctrl++ again while the first layout still runs
    qtbot.waitUntil(lambda: not canvas.rescaler.pending, timeout=LAYOUT_MS)
    assert canvas.trace is other and canvas.scene.text_scale == 1.5
    assert [scale for _, scale in layouts] == [1.25, 1.5]
    assert canvas.cursor().shape() == Qt.CursorShape.ArrowCursor


def test_a_language_asked_for_while_a_size_is_laid_out_gets_both(canvas, qtbot, big,
                                                                  layouts):
    show(canvas, big, 0)
    shown = canvas.scene
    canvas.set_text_scale(1.5)
    canvas.retranslate()  # a new language meanwhile: that layout's words are the old ones
    assert canvas.scene is shown and canvas.rescaler.pending
    qtbot.waitUntil(lambda: canvas.scene is not shown and not canvas.rescaler.pending,
                    timeout=LAYOUT_MS)
    assert canvas.scene.text_scale == 1.5
    main = threading.main_thread()
    assert [(thread is main, scale) for thread, scale in layouts] == [(False, 1.5)] * 2


def test_no_label_is_rasterised_for_the_layout_being_replaced(canvas, qtbot, big):
    show(canvas, big, 0)
    canvas.repaint()  # drawn: its labels are queued for idle time
    assert canvas._prefetch_queue is not None and not canvas._draw_pending
    canvas.set_text_scale(1.5)
    rasters = len(canvas._raster_cache)
    canvas._last_step = 0.0  # the learner has not stepped for a while: idle time
    canvas.prefetcher.run()  # while the layout is made: nothing for the one it replaces
    assert len(canvas._raster_cache) == rasters
    qtbot.waitUntil(lambda: not canvas.rescaler.pending, timeout=LAYOUT_MS)


def test_a_small_graph_is_placed_again_at_once(canvas, layouts):
    show(canvas, build_trace(SQUARE), 2)
    canvas.set_text_scale(1.5)
    assert canvas.scene.text_scale == 1.5 and not canvas.rescaler.pending
    assert layouts == []
    assert_same_labels(canvas.scene, build_scene(canvas.trace, None, None, 1.5))


def test_a_language_asked_for_while_one_is_laid_out_is_laid_out_after_it(canvas, qtbot, big,
                                                                         layouts):
    show(canvas, big, 5)
    shown, step = canvas.scene, canvas.highlighted()
    canvas.retranslate()
    canvas.retranslate()  # another language before the first one's layout ended
    qtbot.waitUntil(lambda: canvas.scene is not shown and not canvas.rescaler.pending,
                    timeout=LAYOUT_MS)
    assert len(layouts) == 2  # the first one's words dropped, the last one's placed
    assert canvas.scene.text_scale == 1.0 and canvas.highlighted() == step is not None


@pytest.fixture
def laid_out(monkeypatch):
    """The trace of each layout rescale.py makes (the real build_scene)."""
    made = []

    def spy(trace, before, grid, scale):
        made.append(trace)
        return build_scene(trace, before, grid, scale)

    monkeypatch.setattr(rescale, "build_scene", spy)
    return made


def test_a_language_asked_for_after_the_graph_was_replaced_is_laid_out(canvas, qtbot, big,
                                                                       laid_out):
    """A size laid out for one graph, another graph shown, then a new language: the
    graph on screen gets the new words (they were lost with the first layout)."""
    other = build_trace(chain_program(links=8, chains=31))
    show(canvas, big, 5)
    canvas.set_text_scale(1.5)  # laid out in a worker thread
    show(canvas, other, 5)  # (an Apply: laid out at once, at the size asked for)
    canvas.retranslate()
    qtbot.waitUntil(lambda: not canvas.rescaler.pending and laid_out[-1] is other,
                    timeout=LAYOUT_MS)
    assert laid_out == [big, other] and canvas.trace is other


def test_a_scene_with_the_old_words_is_not_kept_for_undo(canvas, qtbot, big):
    """Replaced while its new words are laid out, the scene on screen is not shelved:
    undo would have brought the old language back."""
    other = build_trace(chain_program(links=8, chains=31))
    show(canvas, big, 5)
    canvas.retranslate()
    assert canvas.rescaler.pending
    show(canvas, other, 5)  # an Apply meanwhile
    assert id(big) not in canvas.shelf.scenes
    qtbot.waitUntil(lambda: not canvas.rescaler.pending, timeout=LAYOUT_MS)
    show(canvas, big, 5)  # undo: laid out anew, in the language now
    assert id(other) in canvas.shelf.scenes  # (laid out in it: kept)


def test_an_apply_laid_out_while_the_language_changed_gets_the_new_words(canvas, qtbot, big,
                                                                          laid_out):
    """An Apply's build thread lays its graph out in the language of its start: shown
    after the language changed, it is laid out again for the new words."""
    other = build_trace(chain_program(links=8, chains=31))
    show(canvas, big, 5)
    job = canvas.layout_job()  # an Apply's build starts
    canvas.retranslate()  # the language changes meanwhile
    qtbot.waitUntil(lambda: not canvas.rescaler.pending, timeout=LAYOUT_MS)
    job(other)  # (its thread's layout, made here)
    show(canvas, other, 5)  # the build ends: its graph is shown, as the thread laid it out
    assert canvas.rescaler.pending  # and laid out again for the words now
    qtbot.waitUntil(lambda: not canvas.rescaler.pending, timeout=LAYOUT_MS)
    assert laid_out == [big, other] and canvas.trace is other


def test_a_small_apply_laid_out_while_the_language_changed_is_laid_out_here(canvas):
    from gui.canvas.scene import _PREPARED

    show(canvas, build_trace(SQUARE), 1)
    job = canvas.layout_job()
    canvas.retranslate()
    other = build_trace(SQUARE)
    job(other)
    prepared = _PREPARED[other]
    show(canvas, other, 1)
    assert canvas.scene is not prepared and not canvas.rescaler.pending


WHATIF = "w = param(2.0)\nx = 3.0\nloss = (w * x) ** 2"


@pytest.mark.parametrize("change", ["size", "language"])
def test_what_if_numbers_stay_through_a_new_layout(canvas, change):
    """A What-if's numbers on the canvas (the forward panel's slider) are shown again in
    a layout made for a new text size or language: they were the trace's own until the
    slider moved again, while the panel showed the What-if's."""
    trace = build_trace(WHATIF)
    other = build_trace(WHATIF.replace("2.0", "5.0"))
    show(canvas, trace, len(trace.steps))
    canvas.show_numbers(other)
    whatif, shown = dict(canvas.scene.label_texts), canvas.scene
    assert whatif != build_scene(trace).label_texts
    if change == "size":
        canvas.set_text_scale(1.5)
    else:
        canvas.retranslate()
    assert canvas.scene is not shown  # laid out anew
    assert canvas.scene.label_texts == whatif and not canvas.scene_numbers_own
    assert "225" in canvas.scene.label_texts.values()  # (5 · 3)² = 225
    canvas.show_numbers(trace)  # the What-if ends: its own numbers, kept through the next
    canvas.set_text_scale(1.0)
    assert canvas.scene.label_texts == build_scene(trace).label_texts
    assert canvas.scene_numbers_own


def test_what_if_numbers_stay_through_a_layout_in_the_worker_thread(canvas, qtbot, big):
    other = build_trace(BIG.replace("= param(", "= param(0.5 + ", 1))
    assert len(other.graph.nodes) == len(big.graph.nodes)
    show(canvas, big, 40)
    canvas.show_numbers(other)
    whatif = dict(canvas.scene.label_texts)
    assert whatif != build_scene(big).label_texts
    canvas.set_text_scale(1.5)
    assert canvas.rescaler.pending
    qtbot.waitUntil(lambda: not canvas.rescaler.pending, timeout=LAYOUT_MS)
    assert canvas.scene.text_scale == 1.5 and canvas.scene.label_texts == whatif


def test_a_new_graph_drops_the_what_if_numbers(canvas):
    trace = build_trace(WHATIF)
    show(canvas, trace, len(trace.steps))
    canvas.show_numbers(build_trace(WHATIF.replace("2.0", "5.0")))
    edited = build_trace(WHATIF.replace("2.0", "3.0"))  # the value set: a new trace
    show(canvas, edited, len(edited.steps))
    canvas.set_text_scale(1.5)
    assert canvas.scene.label_texts == build_scene(edited).label_texts
