"""Labels stay whole inside the canvas (issue 24's screenshot audit): "a label that
collides, vanishes or leaves the view is a bug".

- the "zoomed in to read" hint wraps on a narrow canvas instead of losing both ends;
- a lesson script's readable (zoomed-in) view is placed so that no label of the graph
  straddles the canvas's edge (``model.weight`` on the left, the loss's name on the
  right), at 1280×720 and 1920×1080.
"""

from __future__ import annotations

import pytest

from gui.canvas import label_text
from tests.gui.test_readability import TOLERANCE, load, settle

LESSON = "12-regression-nn-linear"


def _outside(canvas, kinds=None) -> list[str]:
    entries = [e for e in canvas.label_boxes() if kinds is None or e["kind"] in kinds]
    return _outside_entries(entries, canvas.width(), canvas.height())


def _outside_entries(entries, width: float, height: float) -> list[str]:
    found = []
    for e in entries:
        x, y, w, h = e["rect"]
        if x < -TOLERANCE or y < -TOLERANCE or x + w > width + TOLERANCE \
                or y + h > height + TOLERANCE:
            found.append(f"{e['kind']} {e['text']!r} at {[round(v) for v in e['rect']]}")
    return found


def test_the_zoomed_in_hint_wraps_on_a_narrow_canvas(window, qtbot):
    window.resize(960, 540)
    settle(window)
    load(window, LESSON)
    settle(window)
    canvas = window.canvas
    assert canvas.hint
    hint = [e for e in canvas.label_boxes() if e["kind"] == "other"]
    assert len(hint) == 1
    whole = label_text.tr(label_text.FIT_HINT)
    assert hint[0]["text"].replace("\n", " ") == whole
    assert hint[0]["rect"][2] > canvas.width() / 2  # read as a caption, not squeezed
    assert "\n" in hint[0]["text"]  # this canvas is narrower than the one-line hint
    assert not _outside(canvas, {"other"})
    window.resize(1920, 1080)  # wide again: one line
    settle(window)
    canvas.fit_view()
    settle(window)
    assert not _outside(canvas, {"other"})


def _script_at_iteration_3(window, size) -> None:
    """What tools/xvfb_walk.py shoots: the lesson at iteration 3, its backward pass."""
    window.resize(*size)
    settle(window)
    load(window, LESSON)
    settle(window)
    model = window.model
    model.script.goto_iteration(3, 0)
    settle(window)
    model.goto_phase("backward")
    settle(window)


@pytest.mark.parametrize("size", [(1280, 720), (1600, 1000), (1920, 1080)])
def test_a_script_view_cuts_no_label_at_any_step(window, size):
    """Item 2: a readable view of a graph wider than the canvas cut labels at its
    edges (1280×720: "model: nn.Linear" at x = −78, an edge's "G ↦ Xᵀ · G" at −18,
    Y's grid at y = −28; 1600×1000: the loss's "MSE" and its value at the right)."""
    _script_at_iteration_3(window, size)
    model, canvas = window.model, window.canvas
    found = [f"@{model.position}: {cut}" for cut in _outside(canvas)]
    for position in range(model.length + 1):
        model.goto(position)
        settle(window)
        found += [f"@{position}: {cut}" for cut in _outside(canvas)]
    assert not found, "\n".join(found[:20])


def _hidden_by_the_edge(canvas) -> list:
    """Labels that would be drawn now but that an edge of the view cuts (so hides)."""
    shown = canvas._shown
    return sorted(map(str, (key for key in canvas.cut_labels()
                            if key[0] in ("static", "group") or key[1] in shown.get(key[0], ()))))


def test_the_view_moves_rather_than_cut_when_there_is_room(window):
    """Item 2: back at the first step the view, free to move, is placed so that its
    edges cut no label drawn (it cut "model: nn.Linear" at x = −78 and Y's grid at
    y = −28 at 1280×720)."""
    _script_at_iteration_3(window, (1280, 720))
    window.model.goto(0)
    settle(window)
    canvas = window.canvas
    assert canvas.hint  # zoomed in to read: the graph is wider than the canvas
    assert not _hidden_by_the_edge(canvas)
    assert not _outside(canvas)


def test_the_loss_node_is_whole_or_not_drawn(window):
    """Item 3: the loss node at the canvas's right edge: its name, symbol and value
    whole inside, or not drawn at all; whole in view, it has its name."""
    _script_at_iteration_3(window, (1600, 1000))
    model, canvas = window.model, window.canvas
    loss = model.trace.graph.output_node.id
    width, height = canvas.width(), canvas.height()
    for position in range(model.length + 1):
        model.goto(position)
        settle(window)
        mine = [e for e in canvas.label_entries() if e.get("node") == loss]
        assert not _outside_entries(mine, width, height), (position, mine)
        x, y, w, h = canvas.node_boxes()[loss]
        if x >= 0 and x + w + 12 <= width and 0 <= y and y + h <= height:
            assert any(e["kind"] == "name" for e in mine), position
