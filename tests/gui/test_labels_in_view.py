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
