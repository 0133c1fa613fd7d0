"""Issue 24, item 8: the graph's labels change language with the UI at once, not on
the next build: a tensor named by its size in a label ("[4×3: 12 values]") reads
"[4×3: 12 个值]" as soon as Chinese is chosen, and English again after."""

from __future__ import annotations

import threading

import pytest

from gui.canvas.strip_edge import drawn_place
from gui.state.model import Program
from tests.gui.test_i18n import _compiled_translation, _switch  # noqa: F401 - the .qm
from tests.gui.test_readability import settle

#: a 4×3 parameter: its update label names it by size (more entries than a label shows)
TEXT = "X = torch.ones(2, 4)\nW = param(torch.full((4, 3), 0.5))\nloss = sum(tanh(X @ W))"


def _labels(window) -> list[str]:
    return [entry["text"] for entry in window.canvas.label_entries()]


def test_the_graph_labels_change_language_at_once(window, qtbot):
    window.load_program(Program(TEXT, {}), 0, "sizes")
    window.model.set_learning_rate(0.1)
    window.model.end()
    settle(window)
    trace = window.model.trace
    english = [t for t in _labels(window) if "12 values]" in t]
    assert english, _labels(window)
    _switch(window, qtbot, "zh")
    settle(window)
    assert window.model.trace is trace  # no new build: the same graph, re-labelled
    labels = _labels(window)
    assert not [t for t in labels if "values]" in t], labels
    assert [t for t in labels if "12 个值]" in t], labels
    assert window.canvas.current_rect() is not None  # the step is still shown
    _switch(window, qtbot, "en")
    settle(window)
    assert [t for t in _labels(window) if "12 values]" in t] == english


def test_the_labels_an_edge_cuts_are_found_in_the_new_layout(window, qtbot):
    """The words' new widths place the labels again; which of them the view's edges cut
    is read from the new places (it was from the first language's until a new trace)."""
    window.load_program(Program(TEXT, {}), 0, "sizes")
    window.model.set_learning_rate(0.1)
    window.model.end()
    settle(window)
    canvas = window.canvas
    canvas.cut_labels()  # the English places, noted
    _switch(window, qtbot, "zh")
    settle(window)
    canvas.cut_labels()
    keys, low, high = canvas.inspector.places
    scene = canvas.scene
    for key, place in scene.label_pos.items():  # each label's box: the Chinese layout's
        i = keys.index(key)
        cx, cy, w, h = drawn_place(place)
        assert (low[i] == (cx - w / 2, cy - h / 2)).all() and \
            (high[i] == (cx + w / 2, cy + h / 2)).all(), key
    _switch(window, qtbot, "en")


#: 281 nodes (a worker thread lays it out again), with an update label named by size
BIG = "\n".join(["X = torch.ones(8, 8)", "W = param(torch.full((8, 8), 0.01))",
                  "h0 = tanh(X @ W)", *(f"h{i} = tanh(h{i - 1} * 0.9 + h0)" for i in range(1, 70)),
                  "loss = sum(h69)"])


def test_a_big_graph_changes_language_in_a_worker_thread(window, qtbot, monkeypatch):
    """The window answers meanwhile: the graph keeps its old labels until the new ones
    are placed in a worker thread; then its zoom, step and rows are as they were (rows
    an Apply took from the graph before it), and its labels as the GUI thread placed
    them before (``build_scene`` with the graph as it was)."""
    from gui.canvas import rescale, widget
    from gui.canvas.scene import build_scene
    from tests.gui.test_canvas_scene_shelf import assert_same_labels

    window.load_program(Program(BIG, {}), 0, "big")
    window.model.set_learning_rate(0.1)
    bigger = BIG.replace("loss = sum(h69)", "h70 = tanh(h69 * 0.9 + h0)\nloss = sum(h70)")
    assert window.model.apply_text(bigger)  # its rows from the graph before it
    qtbot.waitUntil(lambda: not window.model.building, timeout=60_000)
    window.model.end()
    settle(window)
    canvas, trace = window.canvas, window.model.trace
    assert len(trace.graph.nodes) >= rescale.IN_THREAD_NODES
    threads = []

    def spy(*args):
        threads.append(threading.current_thread())
        return build_scene(*args)

    monkeypatch.setattr(rescale, "build_scene", spy)
    monkeypatch.setattr(widget, "build_scene", spy)
    shown, zoom = canvas.scene, canvas.view.k()
    try:
        _switch(window, qtbot, "zh")
        assert canvas.scene is shown  # (its words laid out meanwhile)
        qtbot.waitUntil(lambda: not canvas.rescaler.pending, timeout=120_000)
        settle(window)
        assert threads and threading.main_thread() not in threads  # no layout here
        assert canvas.scene is not shown and window.model.trace is trace
        assert canvas.view.k() == pytest.approx(zoom)  # (refitted around wider words)
        assert canvas.current_rect() is not None
        assert any("64 个值]" in text for text in canvas.scene.label_texts.values())
        assert_same_labels(canvas.scene, build_scene(trace, trace, shown.grid,
                                                     canvas.text_scale))
    finally:
        _switch(window, qtbot, "en")
        qtbot.waitUntil(lambda: not canvas.rescaler.pending, timeout=120_000)
    assert any("64 values]" in text for text in canvas.scene.label_texts.values())
