"""The readability rule (issue 9) in forward mode (issue 14): the tangent labels too.

On the lesson and two examples, at 1280×720 and 1920×1080, at every step of the forward
walk (and at the start, middle and end of the reverse walk under it): no two labels
overlap (tangents included), none is under 9 px tall, no tangent sits on a node, the
legend stays inside the canvas, the
forward step's node and its tangent are inside the canvas and framed by current_rect,
and its tangent is drawn in the tangent colour.
"""

from __future__ import annotations

import pytest
from matplotlib.colors import to_hex
from PySide6.QtWidgets import QApplication

from gui.canvas.scene import _TANGENT
from tests.gui.test_readability import MIN_HEIGHT, SIZES, _inside, _intersect, load, settle

PROGRAMS = ("01-lesson", "05-cs231n-sigmoid-neuron", "09-one-layer")
CHECKED = ("1280x720", "1920x1080")


@pytest.fixture(scope="module")
def forward_window(qapp):
    from gui.main_window import MainWindow

    window = MainWindow()
    window.show()
    QApplication.processEvents()
    yield window
    window.forward_panel.mode_action.setChecked(False)
    window.close()
    window.deleteLater()


def forward_violations(window) -> list[str]:
    canvas, panel = window.canvas, window.forward_panel
    entries = canvas.label_entries()
    width, height = canvas.width(), canvas.height()
    found = []
    for i, a in enumerate(entries):
        if a["rect"][3] < MIN_HEIGHT:
            found.append(f"{a['kind']} {a['text']!r} is {a['rect'][3]:.1f} px tall")
        for b in entries[i + 1:]:
            if _intersect(a["rect"], b["rect"]):
                found.append(f"{a['kind']} {a['text']!r} overlaps {b['kind']} {b['text']!r}")
    renderer = canvas.get_renderer()
    for text in canvas._legend.drawn:  # whole, its tangent entry too, in a narrow window
        x0, _, x1, _ = text.get_window_extent(renderer).extents
        if x0 < canvas.figure.bbox.x0 or x1 > canvas.figure.bbox.x1:
            found.append(f"legend {text.get_text()!r} leaves the canvas")
    tangents = [e for e in entries if e["kind"] == "tangent"]
    for e in tangents:
        for v, box in enumerate(canvas.node_boxes()):
            if _intersect(e["rect"], box):
                found.append(f"tangent {e['text']!r} is on node {v}")
    row = panel.walk_list.currentRow()
    step = panel.steps[row]
    reached = {s.node for s in panel.steps[: row + 1] if s.kind != "value"}
    if not {e["node"] for e in tangents} <= reached:
        found.append(f"row {row}: tangents of {sorted(e['node'] for e in tangents)}, "
                     f"the walk reached only {sorted(reached)}")
    current = canvas.current_rect()
    if current is None or not _inside(current, width, height):
        found.append(f"row {row}: the forward step is not inside the canvas")
    own = [e for e in tangents if e["node"] == step.node]
    if step.kind != "value":
        if not own:
            found.append(f"row {row}: the step's tangent is not drawn")
        elif not _inside(own[0]["rect"], width, height):
            found.append(f"row {row}: the step's tangent leaves the canvas")
        elif not _inside_of(own[0]["rect"], current):
            found.append(f"row {row}: current_rect does not frame the tangent")
        else:
            colour = canvas.labels.dynamic_text((_TANGENT, step.node)).get_color()
            if to_hex(colour) != to_hex(canvas.colours["tangent"]):
                found.append(f"row {row}: the tangent is drawn in {colour}")
    return found


def _inside_of(inner, outer) -> bool:
    return (inner[0] >= outer[0] - 0.5 and inner[1] >= outer[1] - 0.5
            and inner[0] + inner[2] <= outer[0] + outer[2] + 0.5
            and inner[1] + inner[3] <= outer[1] + outer[3] + 0.5)


@pytest.mark.parametrize("size", CHECKED)
@pytest.mark.parametrize("name", PROGRAMS)
def test_tangent_labels_stay_readable_along_the_forward_walk(forward_window, name, size):
    window = forward_window
    window.resize(*SIZES[size])
    settle(window)
    load(window, name)
    panel = window.forward_panel
    panel.mode_action.setChecked(True)
    settle(window)
    found = []
    for position in (0, window.model.length // 2, window.model.length):
        window.model.goto(position)
        for row in range(panel.walk_list.count()):
            panel.walk_list.setCurrentRow(row)
            settle(window)
            found += [f"{name} {size} @{position} row {row}: {v}"
                      for v in forward_violations(window)]
    assert panel.walk_list.count() > 3
    assert not found, f"{len(found)} violations:\n" + "\n".join(found[:25])
