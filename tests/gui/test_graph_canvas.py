"""The graph canvas: what it shows at each position, how it redraws, export, clicks."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from core.drawing.layout import node_keys
from core.engine.trace import Stepper, build_trace
from core.io.examples import LESSON_TEXT, lesson_bindings
from gui.canvas import text_cache
from tests.programs import MSE, REUSE, SQUARE, chain_program


def settle(qtbot, canvas):
    """Let a scheduled draw happen (draw_idle runs from the event loop)."""
    qtbot.waitUntil(lambda: not canvas._draw_pending and canvas.geometry is not None)


@pytest.fixture
def lesson(canvas, qtbot):
    trace = build_trace(LESSON_TEXT, lesson_bindings())
    canvas.set_trace(trace)
    stepper = Stepper(trace)
    canvas.show_state(stepper.known, stepper.current)
    settle(qtbot, canvas)
    return trace, stepper


def ids(trace):
    return trace.graph.names


def test_names_and_focus(canvas):
    assert canvas.objectName() == "graphCanvas"
    assert canvas.focusPolicy() == Qt.FocusPolicy.StrongFocus


def test_position_zero_shows_only_the_inputs(canvas, lesson):
    trace, _ = lesson
    labels = canvas.visible_labels()
    for name in ("w", "x", "y", "y_hat", "s", "loss", "×", "−", "(·)²"):
        assert name in labels
    assert sorted(t for t in labels if re.fullmatch(r"−?[0-9.]+", t)) == ["1", "1", "2"]
    assert "−2" not in labels and "−1" not in labels
    assert canvas.node_labels(ids(trace)["y_hat"]) == {"value": None, "gradient": None}
    assert canvas.highlighted() is None


def test_every_position_of_the_lesson_shows_exactly_what_is_known(canvas, lesson, qtbot):
    trace, stepper = lesson
    n = ids(trace)
    expected_values = {1: ("y_hat", "1"), 2: ("s", "−1"), 3: ("loss", "1")}
    for position in range(1, len(trace) + 1):
        stepper.next()
        canvas.show_state(stepper.known, stepper.current)
        for node in trace.graph.nodes:
            shown = canvas.node_labels(node.id)
            assert (shown["value"] is not None) == (node.id in stepper.known.values)
            assert (shown["gradient"] is not None) == (node.id in stepper.known.grads)
        for edge in canvas.edges:
            assert (canvas.edge_label(edge) is not None) == (edge in stepper.known.local)
        if position in expected_values:
            name, text = expected_values[position]
            assert canvas.node_labels(n[name])["value"] == text
        if position == 4:
            assert "2 · s = −2" in canvas.visible_labels()
            assert canvas.edge_label((n["s"], n["loss"], 0)) == "2 · s = −2"
        if position == 6:
            assert canvas.edge_label((n["w"], n["y_hat"], 0)) == "x = 1"
            assert canvas.edge_label((n["y_hat"], n["s"], 0)) == "1"
    assert canvas.node_labels(n["w"])["gradient"] == "−2"
    assert canvas.node_labels(n["loss"])["gradient"] == "1"
    assert canvas.node_labels(n["y_hat"])["gradient"] == "−2"
    # the data were never differentiated: no gradient under x and y
    assert canvas.node_labels(n["x"])["gradient"] is None
    assert canvas.node_labels(n["y"])["gradient"] is None


def test_stepping_back_hides_again(canvas, lesson):
    trace, stepper = lesson
    stepper.goto(9)
    canvas.show_state(stepper.known, stepper.current)
    assert "−2" in canvas.visible_labels()
    stepper.goto(0)
    canvas.show_state(stepper.known, stepper.current)
    assert "−2" not in canvas.visible_labels()
    assert "2 · s = −2" not in canvas.visible_labels()


def test_the_highlight_follows_the_current_step(canvas, lesson):
    trace, stepper = lesson
    n = ids(trace)
    seen = []
    while stepper.next():
        canvas.show_state(stepper.known, stepper.current)
        seen.append(canvas.highlighted())
    assert seen[0] == ("node", n["y_hat"])
    assert seen[2] == ("node", n["loss"])
    assert seen[3] == ("edge", canvas.edge_index[(n["s"], n["loss"], 0)])
    assert seen[8] == ("node", n["w"])
    assert all(a != b for a, b in zip(seen, seen[1:], strict=False))


def test_a_step_blits_instead_of_redrawing(canvas, lesson, qtbot):
    trace, stepper = lesson
    draws = []
    canvas.mpl_connect("draw_event", lambda event: draws.append(event))
    blits = []
    original = canvas.blitter.blit  # the canvas's blits go through its Blitter (blit.py)
    canvas.blitter.blit = lambda bbox=None: (blits.append(bbox), original(bbox))
    while stepper.next():
        canvas.show_state(stepper.known, stepper.current)
        qtbot.wait(1)
    assert draws == []
    assert len(blits) >= len(trace)
    # every blitted rectangle is a small part of the canvas
    area = canvas.figure.bbox.width * canvas.figure.bbox.height
    assert max(b.width * b.height for b in blits) < area / 4


@pytest.mark.parametrize("text", [LESSON_TEXT, REUSE, SQUARE, chain_program(3, 3)])
def test_blitted_pixels_equal_a_full_redraw(canvas, qtbot, text):
    trace = build_trace(text, lesson_bindings() if text == LESSON_TEXT else None)
    canvas.set_trace(trace)
    stepper = Stepper(trace)
    canvas.show_state(stepper.known, stepper.current)
    settle(qtbot, canvas)
    checkpoints = {len(trace) // 3, len(trace) // 2, len(trace)}
    while stepper.next():
        canvas.show_state(stepper.known, stepper.current)
        if stepper.position in checkpoints:
            blitted = np.array(canvas.buffer_rgba(), copy=True)
            canvas.draw()
            full = np.asarray(canvas.buffer_rgba())
            differ = _differ(blitted, full)
            assert differ.mean() < 1e-4, f"{differ.sum()} pixels differ at {stepper.position}"
    stepper.goto(1)
    canvas.show_state(stepper.known, stepper.current)  # a jump back, many changes at once
    blitted = np.array(canvas.buffer_rgba(), copy=True)
    canvas.draw()
    assert _differ(blitted, np.asarray(canvas.buffer_rgba())).mean() < 1e-4


def _differ(blitted: np.ndarray, full: np.ndarray) -> np.ndarray:
    """Pixels that differ by more than one level: a step that follows scrolls the
    background by whole pixels, and a line the canvas edge cut at another place is
    stroked up to 1/256 pixel apart (one level, never seen)."""
    return np.abs(blitted.astype(int) - full.astype(int)).max(axis=-1) > 1


def test_pasted_texts_look_like_drawn_texts(canvas, lesson, monkeypatch):
    trace, stepper = lesson
    stepper.goto(9)
    canvas.show_state(stepper.known, stepper.current)
    monkeypatch.setattr(text_cache, "TEXT_CACHE", False)
    canvas.draw()
    drawn = np.array(canvas.buffer_rgba(), copy=True)
    monkeypatch.setattr(text_cache, "TEXT_CACHE", True)
    canvas.draw()
    canvas.draw()  # the second time every text is pasted from its raster
    pasted = np.asarray(canvas.buffer_rgba())
    differ = np.abs(drawn.astype(int) - pasted.astype(int)).max(axis=-1) > 40
    assert differ.sum() < 60, f"{differ.sum()} pixels differ"


def test_reuse_shows_the_accumulated_sum_at_the_fork(canvas, qtbot):
    trace = build_trace(SQUARE)
    canvas.set_trace(trace)
    stepper = Stepper(trace)
    stepper.end()
    canvas.show_state(stepper.known, stepper.current)
    x = trace.graph.names["x"]
    assert canvas.node_labels(x)["gradient"] == "3 + 3 = 6"
    # x * x: two curved edges between the same pair, each with its own label
    settle(qtbot, canvas)
    pair = [i for i, (s, t, _) in enumerate(canvas.edges) if s == x]
    assert len(pair) == 2
    lines = [canvas.geometry.edge_lines[i] for i in pair]
    assert all(len(line) > 2 for line in lines)
    assert abs(lines[0][len(lines[0]) // 2, 1] - lines[1][len(lines[1]) // 2, 1]) > 10
    assert canvas.visible_labels().count("x = 3") == 2


def test_data_edges_are_marked_not_needed(canvas, lesson):
    trace, _ = lesson
    n = ids(trace)
    needed = dict(zip(canvas.edges, canvas.edge_needed, strict=True))
    assert not needed[(n["x"], n["y_hat"], 1)]
    assert not needed[(n["y"], n["s"], 1)]
    assert needed[(n["w"], n["y_hat"], 0)]


def test_vectors_and_mean(canvas, qtbot):
    trace = build_trace(MSE)
    canvas.set_trace(trace)
    stepper = Stepper(trace)
    stepper.end()
    canvas.show_state(stepper.known, stepper.current)
    labels = canvas.visible_labels()
    assert "1 2 3 4" in labels  # a vector is a 1×n grid of cells
    # a long local-gradient label goes on two lines: formula, then its value
    assert "1/4\n= [0.25, 0.25, 0.25, 0.25]" in labels
    assert canvas.node_labels(trace.graph.names["w"])["gradient"] == "−30"


@pytest.mark.parametrize("suffix, magic", [("png", b"\x89PNG"), ("svg", b"<?xml"),
                                           ("pdf", b"%PDF")])
def test_export_writes_the_current_state(canvas, lesson, tmp_path, suffix, magic, qtbot):
    trace, stepper = lesson
    stepper.goto(9)
    canvas.show_state(stepper.known, stepper.current)
    path = tmp_path / f"graph.{suffix}"
    canvas.export_image(path)
    data = path.read_bytes()
    assert data.startswith(magic)
    if suffix == "png":
        image = QImage(str(path))
        assert not image.isNull() and image.width() > 500
    if suffix == "svg":
        assert b"</svg>" in data
    # the screen is redrawn afterwards and blitting works again
    settle(qtbot, canvas)
    stepper.goto(8)
    canvas.show_state(stepper.known, stepper.current)
    assert canvas.node_labels(trace.graph.names["w"])["gradient"] is None


def test_export_rejects_unknown_suffix(canvas, lesson, tmp_path):
    with pytest.raises(ValueError):
        canvas.export_image(tmp_path / "graph.bmp")


def test_clicking_a_node_emits_its_id(canvas, lesson, qtbot):
    trace, _ = lesson
    w = trace.graph.names["w"]
    with qtbot.waitSignal(canvas.nodeClicked, timeout=2000) as blocker:
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=canvas.node_widget_pos(w))
    assert blocker.args == [w]
    s = trace.graph.names["s"]
    with qtbot.waitSignal(canvas.nodeClicked, timeout=2000) as blocker:
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=canvas.node_widget_pos(s))
    assert blocker.args == [s]


def test_hover_text_has_full_precision(canvas, qtbot):
    trace = build_trace("a = param(1.0)\nb = a / 3")
    canvas.set_trace(trace)
    stepper = Stepper(trace)
    stepper.end()
    canvas.show_state(stepper.known, stepper.current)
    tip = canvas.node_tooltip(trace.graph.names["b"])
    assert "0.3333333333333333" in tip
    assert "a / 3" in tip


def test_zoom_fit_and_pan(canvas, lesson, qtbot):
    (x0, x1) = canvas.ax.get_xlim()
    canvas.zoom(2.0)
    (z0, z1) = canvas.ax.get_xlim()
    assert z1 - z0 == pytest.approx((x1 - x0) / 2)
    canvas.pan(100, 0)
    assert canvas.ax.get_xlim()[0] < z0
    canvas.fit_view()
    settle(qtbot, canvas)
    assert canvas.geometry.in_view.all()
    box = canvas.ax.bbox
    assert (canvas.geometry.centres[:, 0] > box.x0).all()
    assert (canvas.geometry.centres[:, 0] < box.x1).all()


def test_wheel_zooms_and_drag_pans(canvas, lesson, qtbot):
    from matplotlib.backend_bases import MouseEvent

    before = canvas.ax.get_xlim()
    x, y = canvas.ax.bbox.x0 + 300, canvas.ax.bbox.y0 + 200
    MouseEvent("scroll_event", canvas, x, y, step=1)._process()
    after = canvas.ax.get_xlim()
    assert after[1] - after[0] < before[1] - before[0]
    MouseEvent("button_press_event", canvas, x, y, button=1)._process()
    MouseEvent("motion_notify_event", canvas, x + 80, y, button=1)._process()
    MouseEvent("button_release_event", canvas, x + 80, y, button=1)._process()
    assert canvas.ax.get_xlim()[0] < after[0]


def test_dark_theme_keeps_the_labels(canvas, lesson, qtbot):
    before = canvas.visible_labels()
    canvas.set_dark(True)
    settle(qtbot, canvas)
    assert canvas.visible_labels() == before
    assert canvas.figure.get_facecolor()[0] < 0.3


def test_an_edit_keeps_surviving_nodes_in_place(canvas, lesson, qtbot):
    trace, _ = lesson
    old = dict(zip(node_keys(trace.graph), map(tuple, canvas.grid), strict=True))
    xlim = canvas.ax.get_xlim()
    edited = build_trace(LESSON_TEXT.replace("loss = s ** 2", "loss = s ** 2 + 0.5 * w"),
                         lesson_bindings())
    canvas.set_trace(edited)
    new = dict(zip(node_keys(edited.graph), map(tuple, canvas.grid), strict=True))
    for key in ("w", "x", "y", "y_hat", "s"):
        assert new[key] == pytest.approx(old[key])
    assert canvas.node_labels(edited.graph.names["loss"])["value"] is None
    settle(qtbot, canvas)
    assert canvas.geometry.in_view.all()
    del xlim


def test_keys_other_than_zoom_go_to_the_window(canvas, lesson, qtbot):
    from PySide6.QtGui import QKeyEvent

    event = QKeyEvent(QKeyEvent.Type.KeyPress, Qt.Key.Key_Right, Qt.KeyboardModifier.NoModifier)
    canvas.keyPressEvent(event)
    assert not event.isAccepted()
    event = QKeyEvent(QKeyEvent.Type.KeyPress, Qt.Key.Key_Plus, Qt.KeyboardModifier.NoModifier)
    span = np.ptp(canvas.ax.get_xlim())
    canvas.keyPressEvent(event)
    assert np.ptp(canvas.ax.get_xlim()) < span


def test_a_big_graph_draws_only_what_is_in_view(canvas, qtbot):
    trace = build_trace(chain_program(6, 40))
    canvas.set_trace(trace)
    stepper = Stepper(trace)
    canvas.show_state(stepper.known, stepper.current)
    settle(qtbot, canvas)
    g = canvas.geometry
    assert g.show_text  # the first view is readable, not the whole graph squeezed
    assert 0 < g.in_view.sum() < len(trace.graph.nodes) / 3
    assert len(canvas._static) <= g.in_view.sum()  # texts are made only where seen
    # logically, everything known is still listed
    labels = canvas.visible_labels()
    assert sum(1 for n in trace.graph.nodes if n.is_leaf) <= len(labels)
    canvas.fit_view()  # too big to fit readable: Fit stays readable and says so
    settle(qtbot, canvas)
    assert canvas.geometry.show_text and canvas.hint
    assert not canvas.geometry.in_view.all()
    assert any("Whole graph" in b["text"] for b in canvas.label_boxes() if b["kind"] == "other")
    canvas.whole_view()  # the overview: everything, labels only around the current step
    settle(qtbot, canvas)
    assert canvas.geometry.in_view.all() and not canvas.geometry.show_text
    while stepper.position < 20:
        stepper.next()
        canvas.show_state(stepper.known, stepper.current)
    assert canvas.highlighted() == ("node", stepper.current.node)
