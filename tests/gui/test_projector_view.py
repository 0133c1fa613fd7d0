"""At 1280×720 (a first launch: 1152×648 with the docks sized for it) the graph shows
the current node with its neighbours, not alone (issue 24, item 8)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget

from core.engine.trace import Stepper, build_trace
from gui.window import dock_layout
from tests.gui.test_readability import _inside, _intersect, load, neighbours, settle


def _seen(rect, width, height) -> bool:
    """The node's centre is on the canvas (a neighbour may be cut at the border)."""
    x, y, w, h = rect
    return 0 <= x + w / 2 <= width and 0 <= y + h / 2 <= height


def _node_steps(window, name, size):
    """Open ``name`` in a first-launch window of ``size`` (the docks sized for it) and
    go to each step that draws a node: yields (position, step)."""
    window.resize(*size)
    QApplication.processEvents()
    dock_layout.apply_default_sizes(window)
    load(window, name)
    settle(window)
    model = window.model
    for position in range(1, model.length + 1):
        model.goto(position)
        settle(window)
        step = model.current
        if step is not None and step.node is not None:
            yield position, step


@pytest.mark.parametrize(("name", "size"), [
    ("09-one-layer", (1152, 648)),
    ("12-regression-nn-linear", (1152, 648)),
    # a transposed weight sits beside its matmul, update labels on three lines
    ("16-feed-forward-net", (1920, 1080)),
    # columns as close as what stands at the same height allows (core.drawing.columns),
    # and a neighbour cut at the canvas's edge rather than left out (strip_edge)
    ("16-feed-forward-net", (1152, 648)),
    ("10-conv-pool", (1920, 1080)),
    # rows as tall as a column's own nodes need: x, W and b stand closer
    ("10-conv-pool", (1152, 648)),
])
def test_the_current_node_comes_with_its_neighbours(window, name, size):
    checked = 0
    for position, step in _node_steps(window, name, size):
        model, canvas = window.model, window.canvas
        boxes = canvas.node_boxes()
        nodes, _ = neighbours(model.trace, step)
        x, y, w, h = boxes[step.node]  # the step itself whole
        assert x >= 0 and y >= 0 and x + w <= canvas.width() and y + h <= canvas.height()
        width, height = canvas.width(), canvas.height()
        missing = [model.trace.graph.nodes[n].label for n in nodes
                   if not _seen(boxes[n], width, height)]
        assert not missing, f"{name} @{position}: {missing} out of view"
        checked += 1
    assert checked >= 5


def _name_entry(graph, entries, v) -> dict | None:
    """The label that names node ``v``: its name (a leaf's text in its box, an
    operation's beside it, or written at the view's edge: edge_names.py), or an
    unnamed operation's symbol."""
    node = graph.nodes[v]
    wanted = node.name or node.label
    for entry in entries:
        if entry.get("node") == v and entry["kind"] == "name" and entry["text"] == wanted:
            return entry
    if node.kind == "operation" and not node.name:
        return next((e for e in entries if e.get("node") == v and e["kind"] == "symbol"), None)
    return None


@pytest.mark.parametrize("name", ["10-conv-pool", "16-feed-forward-net"])
def test_a_neighbour_cut_at_the_edge_keeps_its_name(window, name):
    """At 1152×648 a neighbour kept on the canvas only as a box cut at its edge showed
    no name (the edge hides a label it cuts): 10-conv-pool's x, W and b at step 1,
    lesson 16's model.2.weight at step 5. Every neighbour whose box reaches onto the
    canvas is named, the name whole inside the canvas and clear of every other label."""
    found, cut = [], 0
    for position, step in _node_steps(window, name, (1152, 648)):
        model, canvas = window.model, window.canvas
        graph = model.trace.graph
        entries, boxes = canvas.label_entries(), canvas.node_boxes()
        # the graph's part of the canvas: above the legend strip, which hides the graph
        width = canvas.width()
        height = canvas.height() - canvas.ax.bbox.y0 / (canvas.device_pixel_ratio or 1.0)
        for v in sorted(neighbours(model.trace, step)[0]):
            x, y, w, h = boxes[v]
            if x + w <= 0 or y + h <= 0 or x >= width or y >= height:
                continue  # wholly off the canvas (or behind its legend strip)
            cut += not _inside(boxes[v], width, height)
            entry = _name_entry(graph, entries, v)
            label = graph.nodes[v].name or graph.nodes[v].label
            if entry is None:
                found.append(f"@{position}: {label} has no name on the canvas")
            elif not _inside(entry["rect"], width, height):
                found.append(f"@{position}: {label}'s name leaves the canvas")
            else:
                found += [f"@{position}: {label}'s name overlaps {e['kind']} {e['text']!r}"
                          for e in entries if e is not entry and _intersect(e["rect"],
                                                                            entry["rect"])]
    assert cut, f"{name}: no neighbour was cut at the edge (the test proves nothing)"
    assert not found, f"{name}: " + "\n".join(found)


def _pixels(canvas, rect) -> tuple[np.ndarray, np.ndarray]:
    """(what the window shows, what the figure drew) in a widget rect, RGB."""
    image = canvas.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    shown = np.frombuffer(image.constBits(), np.uint8).reshape(
        image.height(), image.bytesPerLine())[:, :3 * image.width()].reshape(
        image.height(), image.width(), 3)
    drawn = np.asarray(canvas.buffer_rgba())[:, :, :3]
    x, y, w, h = (round(v) for v in rect)
    return shown[y:y + h, x:x + w].astype(int), drawn[y:y + h, x:x + w].astype(int)


def test_the_edge_names_are_painted_and_go(window, qtbot):
    """The names at the edge are painted over the figure (a widget of their own, not
    in the figure's pixels), and go when the step moves on and their nodes are whole."""
    window.resize(1152, 648)
    QApplication.processEvents()
    dock_layout.apply_default_sizes(window)
    load(window, "10-conv-pool")
    settle(window)
    canvas = window.canvas
    window.model.goto(1)
    settle(window)
    marked = [e for e in canvas.label_entries() if e.get("marker")]
    assert {e["text"] for e in marked} == {"x", "W", "b"}
    overlay = canvas.findChild(QWidget, "edgeNames")
    assert overlay.isVisible()  # shown while it has markers
    assert {e["marker"] for e in marked} == {"left"}
    for entry in marked:
        shown, drawn = _pixels(canvas, entry["rect"])
        assert np.abs(shown - drawn).mean() > 10, entry["text"]
    window.model.goto(3)
    settle(window)
    assert not [e for e in canvas.label_entries() if e.get("marker")]
    # and hidden without (after the paint that found none): a transparent widget as
    # large as the canvas costs each repaint of it
    qtbot.waitUntil(lambda: not overlay.isVisible(), timeout=2000)
    for entry in marked:
        shown, drawn = _pixels(canvas, entry["rect"])
        assert np.abs(shown - drawn).max() <= 1, entry["text"]


def test_a_transpose_undone_reads_as_the_name():
    """Lesson 16's edge into model.1 read "G ↦ G · (model.2.weightᵀ)ᵀ", a label wider
    than the columns it sits between; the canvas writes ``G · model.2.weight``."""
    from gui.canvas.label_text import _untransposed

    assert _untransposed("G ↦ G · (model.2.weightᵀ)ᵀ") == "G ↦ G · model.2.weight"
    assert _untransposed("G ↦ Xᵀ · G") == "G ↦ Xᵀ · G"
    assert _untransposed("G ↦ ((a + b)ᵀ)ᵀ · G") == "G ↦ ((a + b)ᵀ)ᵀ · G"  # not a name



def test_a_neighbour_behind_the_legend_strip_keeps_its_name(window, qtbot):
    """In presentation mode lesson 16's Y (a neighbour of step 8's MSE, under the
    graph) stood wholly behind the legend strip under the graph, which hides it: no
    marker, no name. A neighbour behind the strip is named as one cut at the view's
    edge is: at the strip's edge, inside the view, clear of every other label."""
    from PySide6.QtCore import Qt

    from tests.gui.test_readability import load_recorded

    window.resize(1280, 720)
    QApplication.processEvents()
    load_recorded(window, "16-feed-forward-net")
    settle(window)
    qtbot.keyClick(window, Qt.Key.Key_F11)
    qtbot.wait(120)  # the fit it asks for once the full screen is laid out
    settle(window)
    assert window.presentation
    model, canvas = window.model, window.canvas
    model.goto(8)
    settle(window)
    graph = model.trace.graph
    y_node = next(v for v in neighbours(model.trace, model.current)[0]
                  if graph.nodes[v].name == "Y")
    # the view a few pixels lower down the graph: Y wholly behind the strip
    k, ratio = canvas.view.k(), canvas.device_pixel_ratio or 1.0
    strip = canvas.height() - canvas.ax.bbox.y0 / ratio
    y = canvas.node_boxes()[y_node][1]
    (x0, x1), (y0, y1) = canvas.ax.get_xlim(), canvas.ax.get_ylim()
    canvas.view._set_view(k, (x0 + x1) / 2, (y0 + y1) / 2 + (strip + 4 - y) * ratio / k)
    canvas.draw()
    settle(window)
    x, y, w, h = canvas.node_boxes()[y_node]
    assert strip <= y < canvas.height(), "Y is not wholly behind the strip"
    entries = canvas.label_entries()
    entry = _name_entry(graph, entries, y_node)
    assert entry is not None, "Y behind the strip has no name on the canvas"
    assert entry.get("marker") == "bottom"
    assert _inside(entry["rect"], canvas.width(), strip)
    assert not [e["text"] for e in entries if e is not entry
                and _intersect(e["rect"], entry["rect"])]


WHATIF = "a = param(1.0)\nb = 2.0\nc = 3.0\nd = a * b\ne = d + c\nf = e * a\nloss = f * f"


@pytest.mark.parametrize(("size", "position"), [((260, 200), 8), ((340, 240), 11)])
def test_a_what_if_places_the_edge_names_again(canvas, size, position):
    """A What-if writes wider numbers into the labels in place (a = −123.456789: f's
    value 3.011e4, the loss's ledger): a name at the view's edge stayed where it was,
    over them."""
    trace = build_trace(WHATIF)
    canvas.resize(*size)
    canvas.set_trace(trace)
    stepper = Stepper(trace, position)
    canvas.show_state(stepper.known, stepper.current)
    canvas.repaint()
    assert canvas.edge_names.markers()  # a name at the edge (the test proves something)
    canvas.show_numbers(build_trace(WHATIF.replace("param(1.0)", "param(-123.456789)")))
    canvas.repaint()
    entries = canvas.label_entries()
    assert "3.011e4" in {e["text"] for e in entries}
    found = [(m["text"], e["kind"], e["text"]) for m in entries if m.get("marker")
             for e in entries if not e.get("marker") and _intersect(e["rect"], m["rect"])]
    assert not found
