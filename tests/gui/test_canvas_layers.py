"""The canvas's layers take (scene, view, theme), not the canvas (issue 18): built here
from a Scene, a plain matplotlib Figure (Agg) and a Theme, with no GraphCanvas behind
them, they put every node, edge and label of the lesson exactly where the canvas does."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from core.engine.forward import parse_seed, walk
from core.engine.trace import Stepper, build_trace
from core.io.examples import LESSON_TEXT, lesson_bindings
from gui.canvas.geometry import Geometry, Viewport
from gui.canvas.label_artists import Labels
from gui.canvas.scene import _GRAD, _LOCAL, _UPDATE, _VALUE, DARK_THEME, build_scene
from gui.canvas.tangent_layer import grown_extent, labels_for, tangent_places
from gui.graph_canvas import GraphCanvas

#: label_entries' kinds of the dynamic labels, and their layers
LAYER = {"value": _VALUE, "gradient": _GRAD, "ledger": _GRAD, "local": _LOCAL,
         "update": _UPDATE}


@pytest.fixture
def drawn_lesson(qtbot):
    """The lesson on a real canvas at 1200×700, stepped to the end (every label shown)."""
    canvas = GraphCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(1200, 700)
    canvas.show()
    qtbot.waitExposed(canvas)
    trace = build_trace(LESSON_TEXT, lesson_bindings())
    canvas.set_trace(trace)
    stepper = Stepper(trace)
    stepper.goto(len(trace.steps))
    canvas.show_state(stepper.known, stepper.current)
    canvas.draw()
    return canvas, trace


def _figure_like(canvas):
    """A figure of its own with the canvas's size, dpi, axes box and limits."""
    figure = Figure(figsize=canvas.figure.get_size_inches(), dpi=canvas.figure.dpi)
    FigureCanvasAgg(figure)
    ax = figure.add_axes(canvas.ax.get_position().bounds)
    ax.set_axis_off()
    ax.set_xlim(canvas.ax.get_xlim())
    ax.set_ylim(canvas.ax.get_ylim())
    return ax, figure.canvas.get_renderer()


def test_the_layers_place_the_lesson_as_the_canvas_does_without_one(drawn_lesson):
    canvas, trace = drawn_lesson
    ax, renderer = _figure_like(canvas)
    scene = build_scene(trace)  # the trace's own scene, not the canvas's
    view = Viewport.of_axes(ax, canvas.view.min_text_zoom())
    geometry = Geometry(scene, view, renderer)
    theirs = canvas.geometry
    assert len(scene.pos) == 6 and len(scene.edges) == 5 and geometry.show_text
    assert geometry.k == pytest.approx(theirs.k) and geometry.k > 1.0
    np.testing.assert_allclose(geometry.centres, theirs.centres, atol=1e-9)
    np.testing.assert_allclose(geometry.half, theirs.half, atol=1e-9)
    np.testing.assert_allclose(geometry.heads, theirs.heads, atol=1e-9)
    for e in range(len(scene.edges)):
        np.testing.assert_allclose(geometry.edge_lines[e], theirs.edge_lines[e], atol=1e-9)
    assert geometry.in_view.all() and (geometry.text_zoom, geometry.view) == (
        theirs.text_zoom, theirs.view)

    labels = Labels(scene, view, canvas.theme, trace.graph)
    labels.apply_text_zoom(geometry.text_zoom)
    height = ax.figure.bbox.height
    entries = [e for e in canvas.label_entries() if e["kind"] != "other"]
    assert {"symbol", "name", "value", "gradient", "local"} <= {e["kind"] for e in entries}
    for entry in entries:
        if entry["kind"] in ("symbol", "name"):
            node = entry["node"]  # an operation's symbol, then its name; a leaf's name
            text = labels.static_texts(node)[int(entry["kind"] == "name" and scene.is_op[node])]
        else:
            owner = entry["edge"] if entry["kind"] == "local" else entry["node"]
            text = labels.dynamic_text((LAYER[entry["kind"]], owner))
        x0, y0, x1, y1 = text.get_window_extent(renderer).extents
        assert text.get_text() == entry["text"]
        assert (x0, height - y1, x1 - x0, y1 - y0) == pytest.approx(entry["rect"], abs=1e-6), \
            entry["text"]
    # the loss's gradient "1" above all: a real number in a real place
    loss = trace.graph.output
    assert labels.dynamic_text((_GRAD, loss)).get_text() == "1"


def test_the_label_layer_draws_in_its_theme_and_keeps_its_own_texts(drawn_lesson):
    canvas, trace = drawn_lesson
    ax, _ = _figure_like(canvas)
    scene = canvas.scene
    labels = Labels(scene, Viewport.of_axes(ax), DARK_THEME, trace.graph)
    value = labels.dynamic_text((_VALUE, trace.graph.names["w"]))
    assert value.get_color() == DARK_THEME.colours["value"]
    assert value.get_transform() is ax.transData and value.axes is None
    assert labels.texts == {(_VALUE, trace.graph.names["w"]): value}
    # the canvas's own texts are another layer's: nothing made here reaches them
    assert all(t is not value for t in canvas.labels.texts.values())
    assert labels.themed(canvas.theme).texts == {}


def test_the_tangent_layer_places_labels_off_the_scenes_own(drawn_lesson):
    _, trace = drawn_lesson
    scene = build_scene(trace)
    steps = walk(trace.graph, parse_seed(trace.graph, "w"))
    places = tangent_places(scene, labels_for(steps))
    assert set(places) == {s.node for s in steps if s.kind in ("seed", "tangent")}
    assert len(places) >= 3
    others = [*scene.label_pos.values(), *scene.name_pos.values()]
    for x, y, w, h in places.values():
        assert w > 0 and h > 0
        for ox, oy, ow, oh in others:  # none on another label
            assert abs(x - ox) >= (w + ow) / 2 - 1e-6 or abs(y - oy) >= (h + oh) / 2 - 1e-6
    x0, x1, y0, y1 = grown_extent(scene.extent, places.values())
    assert all(x0 <= x - w / 2 and x + w / 2 <= x1 and y0 <= y - h / 2 and y + h / 2 <= y1
               for x, y, w, h in places.values())
    assert grown_extent(scene.extent, []) == scene.extent
