"""Issue 24, item 8: the graph's labels change language with the UI at once, not on
the next build: a tensor named by its size in a label ("[4×3: 12 values]") reads
"[4×3: 12 个值]" as soon as Chinese is chosen, and English again after."""

from __future__ import annotations

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
    keys, low, high = canvas._all_places
    scene = canvas.scene
    for key, place in scene.label_pos.items():  # each label's box: the Chinese layout's
        i = keys.index(key)
        cx, cy, w, h = drawn_place(place)
        assert (low[i] == (cx - w / 2, cy - h / 2)).all() and \
            (high[i] == (cx + w / 2, cy + h / 2)).all(), key
    _switch(window, qtbot, "en")
