"""The feature-map band: image tensors as maps, the kernel-gradient zoom, max-pool routes."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from core.base.format import format_number
from core.language.program import Program
from core.ops import OPS
from gui.support.resources import example_files

CONV = next(p for p in example_files() if p.stem == "10-conv-pool")
SIZES = [(1280, 720), (1920, 1080)]


def _step(window, pred):
    trace = window.model.trace
    return next(s for s in trace.steps if pred(trace.graph, s))


def _goto(window, qtbot, pred):
    window.model.goto(_step(window, pred).index)
    qtbot.wait(10)
    return window.feature_maps


def _overlaps(boxes) -> list:
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            (ax, ay, aw, ah), (bx, by, bw, bh) = a["rect"], b["rect"]
            if min(ax + aw, bx + bw) - max(ax, bx) > 0.5 and \
                    min(ay + ah, by + bh) - max(ay, by) > 0.5:
                found.append((a["text"], b["text"]))
    return found


def test_the_band_shows_only_for_programs_with_image_ops(window, qtbot):
    assert window.feature_maps.isHidden()  # the lesson
    assert window.load_example(CONV)
    assert window.feature_maps.isVisible()


def test_before_the_first_step_the_band_shows_the_images_and_kernels(window, qtbot):
    """Step 0 left the band empty at its full height (lesson 23: the graph got 230 px):
    the first conv's known inputs show, not its output (not computed yet)."""
    window.load_example(CONV)
    window.model.goto(0)
    qtbot.wait(10)
    band = window.feature_maps
    assert [g.title for g in band.plan.groups] == ["x  1×1×5×5", "W  1×1×3×3"]
    assert band.plan.lines[0].startswith("Before the first step: what the first conv takes in")
    numbers = [b["text"] for b in band.label_boxes() if b["kind"] == "number"]
    assert len(numbers) == 25 + 9  # x and the kernel, every cell with its number
    x = np.asarray(window.model.trace.graph.nodes[window.model.trace.graph.names["x"]].value)
    assert numbers[:5] == [f"{v:g}" for v in x[0, 0, 0]]
    assert not _overlaps(band.label_boxes())


def test_forward_conv_shows_input_kernel_and_output_maps_with_their_numbers(window, qtbot):
    window.load_example(CONV)
    band = _goto(window, qtbot, lambda g, s: s.phase == "forward"
                 and g.nodes[s.node_id].op == "conv2d")
    titles = [g.title for g in band.plan.groups]
    assert titles == ["x  1×1×5×5", "W  1×1×3×3", "h  1×1×5×5"]
    numbers = [b["text"] for b in band.label_boxes() if b["kind"] == "number"]
    x = np.asarray(window.model.trace.graph.nodes[window.model.trace.graph.names["x"]].value)
    h = np.asarray(window.model.trace.graph.nodes[window.model.trace.graph.names["h"]].value)
    # every cell of the 5×5 maps and of the kernel shows its number (25 + 9 + 25)
    assert len(numbers) == 59
    assert numbers[:5] == ["1", "2", "0", "1", "3"] == [f"{v:g}" for v in x[0, 0, 0]]
    assert numbers[-5:] == [f"{v:g}".replace("-", "−") for v in h[0, 0, 4]]


def test_clicking_a_kernel_gradient_cell_spells_it_out_and_lights_its_cells(window, qtbot):
    window.load_example(CONV)
    band = _goto(window, qtbot, lambda g, s: s.phase == "backward" and s.node_id == g.names["W"])
    kernels = next(i for i, g in enumerate(band.plan.groups) if g.clickable)
    rect = next(r for g, m, row, col, r in band.cell_rects() if (g, m, row, col) == (kernels, 0,
                                                                                   1, 2))
    qtbot.mouseClick(band, Qt.MouseButton.LeftButton,
                     pos=QPoint(int(rect[0] + rect[2] / 2), int(rect[1] + rect[3] / 2)))
    line = next(t for t in band.plan.lines if t.startswith("∂loss/∂W[0, 0, 1, 2] ="))
    assert "Σ_b Σ_y Σ_x G[b, 0, y, x] · x[b, 0, y, x + 1]" in line
    grad = window.model.trace.gradient(window.model.trace.graph.names["W"])
    assert line.endswith(f"= {grad[0, 0, 1, 2]:g}  (G = ∂loss/∂h)")
    x_group, g_group = band.plan.groups[0], band.plan.groups[1]
    # padding 1, offset (1, 2): row y + 0, column x + 1 of the input meets G[y, x]
    assert x_group.highlight == {(0, r, c) for r in range(5) for c in range(1, 5)}
    assert g_group.highlight == {(0, r, c) for r in range(5) for c in range(4)}
    assert band.plan.groups[kernels].highlight == {(0, 1, 2)}


def test_max_pool_routes_each_gradient_to_torchs_argmax(window, qtbot):
    torch = pytest.importorskip("torch")
    window.load_example(CONV)
    band = _goto(window, qtbot, lambda g, s: s.phase == "backward" and s.node_id == g.names["r"])
    r = np.asarray(window.model.trace.graph.nodes[window.model.trace.graph.names["r"]].value)
    _, indices = torch.nn.functional.max_pool2d(torch.tensor(r), 2, return_indices=True)
    targets = {(t[1], t[2], t[3]) for _, t in band.plan.arrows}
    expected = {(0, int(i) // 5, int(i) % 5) for i in indices.flatten()}
    assert targets == expected
    result = band.plan.groups[-1]
    assert result.highlight == expected
    assert len(result.dimmed) == 25 - len(expected)  # the others get 0, greyed
    assert any("first largest cell" in line for line in band.plan.lines)
    assert band.plan.groups[0].windows == [(0, 0, 2, 2), (0, 2, 2, 4), (2, 0, 4, 2),
                                           (2, 2, 4, 4)]


def test_local_step_of_a_conv_names_g(window, qtbot):
    window.load_example(CONV)
    band = _goto(window, qtbot, lambda g, s: s.phase == "local" and s.edge[1] == g.names["h"]
                 and s.edge[2] == 1)
    assert band.plan.lines[0].startswith("∂h/∂W: G ↦ correlate(x, G)")
    assert "G = the gradient arriving from the conv's output (h)" in band.plan.lines


@pytest.mark.parametrize("size", SIZES)
def test_the_band_stays_readable_at_every_step(window, qtbot, size):
    window.resize(*size)
    window.load_example(CONV)
    band = window.feature_maps
    for position in range(window.model.length + 1):
        window.model.goto(position)
        qtbot.wait(1)
        if position == window.model.length:
            band.click_entry((0, 0, 2, 2))
        boxes = band.label_boxes()
        assert not _overlaps(boxes), (position, _overlaps(boxes))
        for b in boxes:
            x, y, w, h = b["rect"]
            assert x >= 0 and y >= 0 and x + w <= band.width() + 0.5 \
                and y + h <= band.height() + 0.5, (position, b)


BATCH = ("import torch.nn.functional as F\ntorch.manual_seed(0)\n"
         "x = torch.randn(3, 10, 9, 9)\nw = param(torch.randn(2, 10, 3, 3))\n"
         "h = F.conv2d(x, w, stride=2)\nd = F.dropout(h, 0.25)\nloss = d.sum()\n")


@pytest.mark.parametrize("size", SIZES)
def test_a_batch_shows_one_sample_eight_channels_and_a_heat_map_with_a_readout(window, qtbot,
                                                                                   size):
    window.resize(*size)
    window.load_program(Program(BATCH, {}), 0, "batch")
    band = _goto(window, qtbot, lambda g, s: s.phase == "forward"
                 and g.nodes[s.node_id].op == "conv2d")
    assert band.sample_box.isVisible() and band.sample_box.maximum() == 2
    x_group = band.plan.groups[0]
    assert x_group.maps.shape == (8, 9, 9) and x_group.more == 2
    boxes = band.label_boxes()
    assert not _overlaps(boxes)
    # fewer maps rather than cells too small to see: the rest are counted
    assert any(b["text"] == f"+{10 - band.limit} more" for b in boxes)
    assert any(b["text"] == f"+{20 - band.limit} more" for b in boxes)  # 2 × 10 kernels
    x = np.asarray(window.model.trace.graph.nodes[window.model.trace.graph.names["x"]].value)
    np.testing.assert_array_equal(x_group.maps, x[0, :8])
    band.sample_box.setValue(2)
    np.testing.assert_array_equal(band.plan.groups[0].maps, x[2, :8])
    # 9×9 maps are heat maps: no numbers, a readout under the mouse instead
    assert not any(b["kind"] == "number" for b in band.label_boxes())
    assert not _overlaps(band.label_boxes())
    rect = next(r for g, m, row, col, r in band.cell_rects() if (g, m, row, col) == (0, 0, 4,
                                                                                   7))
    qtbot.mouseMove(band, QPoint(int(rect[0] + rect[2] / 2), int(rect[1] + rect[3] / 2)))
    qtbot.waitUntil(lambda: band.readout != "")
    assert band.readout == f"x[2, 0, 4, 7] = {format_number(x[2, 0, 4, 7])}"


def test_dropout_shows_its_mask_and_scale(window, qtbot):
    window.load_program(Program(BATCH, {}), 0, "batch")
    band = _goto(window, qtbot, lambda g, s: s.phase == "forward"
                 and g.nodes[s.node_id].op == "dropout")
    titles = [g.title for g in band.plan.groups]
    assert titles[1].startswith("dropout_mask  3×2×4×4")
    assert any("1/(1 − p) = 1.333" in line for line in band.plan.lines)
    graph = window.model.trace.graph
    node = next(n for n in graph.nodes if n.op == "dropout")
    mask = np.asarray(graph.nodes[node.inputs[1]].value)
    np.testing.assert_array_equal(band.plan.groups[1].maps, mask[0])
    assert OPS["dropout"].forward(np.ones(2), np.array([1.0, 0.0]), 0.25).tolist() == \
        [1 / 0.75, 0.0]


def test_clicking_a_max_pool_input_cell_says_where_its_gradient_comes_from(window, qtbot):
    window.load_example(CONV)
    band = _goto(window, qtbot, lambda g, s: s.phase == "backward" and s.node_id == g.names["r"])
    result = len(band.plan.groups) - 1
    rect = next(r for g, m, row, col, r in band.cell_rects() if (g, m, row, col) == (result, 0,
                                                                                   0, 1))
    qtbot.mouseClick(band, Qt.MouseButton.LeftButton,
                     pos=QPoint(int(rect[0] + rect[2] / 2), int(rect[1] + rect[3] / 2)))
    # r[0, 0, 0, 1] ties with r[0, 0, 0, 0] at 0: the first one takes the window's gradient
    assert any(line.startswith("∂loss/∂r[0, 0, 0, 1] = 0: it is the first largest of no "
                               "window it is in") for line in band.plan.lines)
    assert not _overlaps(band.label_boxes())
