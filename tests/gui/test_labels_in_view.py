"""Labels stay whole inside the canvas (issue 24's screenshot audit): "a label that
collides, vanishes or leaves the view is a bug".

- the "zoomed in to read" hint wraps on a narrow canvas instead of losing both ends;
- a lesson script's readable (zoomed-in) view is placed so that no label of the graph
  straddles the canvas's edge (``model.weight`` on the left, the loss's name on the
  right), at 1280×720 and 1920×1080.
"""

from __future__ import annotations

from gui.canvas import label_text
from tests.gui.test_readability import TOLERANCE, load, settle

LESSON = "12-regression-nn-linear"


def _outside(canvas, kinds=None) -> list[str]:
    width, height = canvas.width(), canvas.height()
    found = []
    for e in canvas.label_boxes():
        if kinds is not None and e["kind"] not in kinds:
            continue
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


def _narrow_walk(window, name: str, widths) -> list[str]:
    """Every step of ``name`` at each window width (the canvas narrower than the graph
    at a readable zoom): each label drawn whole inside the canvas."""
    found = []
    for width in widths:
        window.resize(width, 720)
        settle(window)
        load(window, name)
        settle(window)
        model, canvas = window.model, window.canvas
        for position in range(model.length + 1):
            model.goto(position)
            settle(window)
            found += [f"{width} @{position}: {cut}" for cut in _outside(canvas)
                      if not cut.startswith("other")]
    return found


def test_no_label_straddles_a_side_of_the_canvas(window):
    """A readable view narrower than the graph: the canvas's sides cut no label (the
    one-layer network's loss name read "los" at the right edge under Xvfb at 1920×1080,
    a label's sliver reads as nothing or as another word); a label the view cannot
    hold whole is not drawn, and the view is placed to need that for no node on it.
    Before: 10 of these 12 widths cut labels (grids, "mean", "loss", edge labels)."""
    found = _narrow_walk(window, "09-one-layer", range(1000, 1441, 40))
    assert not found, "\n".join(found[:20])


def test_no_call_label_straddles_a_side_of_the_canvas(window):
    """A lesson script's call bands: "model: nn.Linear" was drawn cut at the left edge
    at 5 of these 8 widths; a call's label the view cannot hold whole is not drawn."""
    found = _narrow_walk(window, LESSON, range(1000, 1441, 60))
    assert not found, "\n".join(found[:20])
