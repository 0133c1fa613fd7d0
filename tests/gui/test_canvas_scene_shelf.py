"""The scene shelf (gui/canvas/scene_shelf.py): undo and redo show a graph placed before
without laying it out again, and only as its own trace's labels."""

from __future__ import annotations

import gc

from PySide6.QtCore import Qt

from core.engine.trace import Stepper, build_trace
from gui.canvas import scene_shelf
from gui.canvas.scene import _TANGENT, _VALUE, build_scene
from gui.canvas.scene_shelf import SHELF_SIZE, SceneShelf
from tests.programs import REUSE, SQUARE, chain


def show(canvas, trace, position: int = 0) -> None:
    canvas.set_trace(trace)
    stepper = Stepper(trace, position)
    canvas.show_state(stepper.known, stepper.current)


def assert_same_labels(scene, fresh) -> None:
    assert scene.label_texts == fresh.label_texts
    assert scene.label_pos == fresh.label_pos
    assert scene.local_steps == fresh.local_steps
    assert scene.backward_steps == fresh.backward_steps
    assert scene.update_steps == fresh.update_steps


def test_going_back_to_a_graph_reuses_its_scene_with_its_own_steps(canvas):
    first, second = build_trace(REUSE), build_trace(SQUARE)
    show(canvas, first)
    placed = canvas.scene
    show(canvas, second)
    show(canvas, first, len(first.steps))
    assert canvas.scene.pos is placed.pos  # not laid out again
    assert canvas.scene.label_pos is placed.label_pos
    fresh = build_scene(first)
    assert_same_labels(canvas.scene, fresh)
    assert all(step.trace is first for step in canvas.scene.backward_steps.values())
    # and it still steps and draws: the last step's gradient labels are shown
    assert canvas._shown[_VALUE] and canvas.label_entries()


def test_a_scene_showing_what_if_numbers_is_placed_again(canvas):
    trace = build_trace("w = param(2.0)\nx = 3.0\nloss = (w * x) ** 2")
    other = build_trace("w = param(5.0)\nx = 3.0\nloss = (w * x) ** 2")
    show(canvas, trace, len(trace.steps))
    canvas.show_numbers(other)  # What if: the other trace's numbers in these labels
    assert canvas.scene.label_texts != build_scene(trace).label_texts
    show(canvas, build_trace(SQUARE))
    show(canvas, trace)
    assert_same_labels(canvas.scene, build_scene(trace))
    # What if ended (its own numbers back) before the change: shelved again
    canvas.show_numbers(other)
    canvas.show_numbers(trace)
    placed = canvas.scene
    show(canvas, build_trace(SQUARE))
    show(canvas, trace)
    assert canvas.scene.pos is placed.pos
    assert_same_labels(canvas.scene, build_scene(trace))


def test_a_new_text_size_or_language_places_it_again(canvas):
    first, second = build_trace(REUSE), build_trace(SQUARE)
    show(canvas, first)
    placed = canvas.scene
    show(canvas, second)
    canvas.retranslate()
    show(canvas, first)
    assert canvas.scene.pos is not placed.pos
    show(canvas, second)
    canvas.set_text_scale(1.5)
    show(canvas, first)
    assert canvas.scene.text_scale == 1.5
    assert canvas.scene.label_pos == build_scene(first, text_scale=1.5).label_pos


def test_the_shelf_holds_its_traces_weakly_and_only_the_last_few():
    shelf = SceneShelf()
    traces = [build_trace(chain(3 + i)) for i in range(SHELF_SIZE + 1)]
    for trace in traces:
        shelf.keep(trace, build_scene(trace))
    assert len(shelf.scenes) == SHELF_SIZE
    assert shelf.take(traces[0], 1.0) is None  # the oldest went first
    assert shelf.take(traces[-1], 2.0) is None  # placed for another text size
    kept = traces[1]
    del traces
    gc.collect()
    assert list(shelf.scenes) == [id(kept)]  # a trace let go of takes its scene with it
    assert not any(s.local_steps for _, s in shelf.scenes.values())  # (no trace inside)


def test_the_shelf_keeps_at_most_its_node_budget(monkeypatch):
    monkeypatch.setattr(scene_shelf, "SHELF_NODES", 15)
    shelf = SceneShelf()
    small, big = build_trace(chain(3)), build_trace(chain(12))
    shelf.keep(small, build_scene(small))
    shelf.keep(big, build_scene(big))  # 14 nodes: 19 with the small one
    assert list(shelf.scenes) == [id(big)]
    bigger = build_trace(chain(14))  # 16 nodes: over the budget on its own
    shelf.keep(bigger, build_scene(bigger))
    assert not shelf.scenes


def test_forward_modes_labels_are_not_shelved():
    trace = build_trace(SQUARE)
    scene = build_scene(trace)
    scene.label_pos[(_TANGENT, 0)] = (0.0, 0.0, 10.0, 5.0)
    scene.label_texts[(_TANGENT, 0)] = "ẋ = 1"
    shelf = SceneShelf()
    shelf.keep(trace, scene)
    back = shelf.take(trace, 1.0)
    assert back is not None and not any(key[0] == _TANGENT for key in back.label_pos)
    assert_same_labels(back, build_scene(trace))


def test_redo_of_a_big_program_in_the_window_lays_nothing_out_again(window, qtbot):
    model, canvas = window.model, window.canvas
    assert model.apply_text(chain(1_500))
    big = model.trace
    placed = canvas.scene
    qtbot.waitUntil(lambda: not canvas._draw_pending)
    before = canvas.grab().toImage()
    window.undo_action.trigger()
    window.redo_action.trigger()
    assert model.trace is big and canvas.trace is big
    assert canvas.scene.pos is placed.pos  # not laid out again
    qtbot.waitUntil(lambda: not canvas._draw_pending)
    assert canvas.grab().toImage() == before  # and drawn as it was
    canvas.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_End)
    assert canvas.current_rect() is not None


def test_forward_modes_labels_come_back_with_an_undone_graph(window, qtbot):
    from tests.gui.test_forward_panel import turn_on

    turn_on(window, qtbot)
    canvas = window.canvas

    def tangents() -> dict:
        qtbot.waitUntil(lambda: any(key[0] == _TANGENT for key in canvas.scene.label_pos))
        return {k: p for k, p in canvas.scene.label_pos.items() if k[0] == _TANGENT}

    tangents()
    lesson = canvas.scene
    assert window.model.apply_text(SQUARE)  # (forward mode goes on, with respect to x)
    window.undo_action.trigger()
    assert canvas.scene.pos is lesson.pos  # the lesson's scene, from the shelf
    shelved = tangents()
    canvas.retranslate()  # placed again from scratch, forward mode as it is now
    assert canvas.scene.pos is not lesson.pos
    assert tangents() == shelved
    assert window.forward_panel.forward_mode
