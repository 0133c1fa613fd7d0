"""The readability rule (issue 9), measured on the real window at real sizes.

At every checked position of every example and of a few programs of our own:

- no two label rects intersect;
- no label of the current step, or of its neighbours, leaves the canvas;
- no rect is under 9 px tall, and none is cut by the legend strip under the graph;
- the current rect lies inside the canvas, with the step's own label within 40 px;
- at the last step every node in view lists its value, and its gradient if it has one.

``make test`` checks positions 0, 1, each phase's first and last step and the end at
two sizes; ``make soak`` walks every step at three sizes.
"""

from __future__ import annotations

import time

import pytest
from PySide6.QtWidgets import QApplication

from gui.state.model import Program
from gui.support.resources import example_files, resource

MIN_HEIGHT = 9.0
NEAR = 40.0
#: overlaps smaller than this (pixels, in both directions) are rounding, not collisions
TOLERANCE = 0.5

OWN = {
    "three-uses": "a = param(2.0)\nb = a * a\nc = b + a\nloss = c * a",
    "two-layer-neuron": ("w1 = param(0.5)\nb1 = param(0.1)\nw2 = param(-1.0)\nb2 = param(0.2)\n"
                         "x = 1.0\ny = 2.0\nh = tanh(w1 * x + b1)\nout = w2 * h + b2\n"
                         "loss = (out - y) ** 2"),
    "six-vector": ("w = param(0.5)\nx = [1, 2, 3, 4, 5, 6]\ny = [2, 4, 6, 8, 10, 12]\n"
                   "loss = mean((w * x - y) ** 2)"),
    "hidden-layer": ("x1 = 1.0\nx2 = -2.0\nw11 = param(0.5)\nw12 = param(-0.3)\n"
                     "w21 = param(0.8)\nw22 = param(0.1)\nb1 = param(0.1)\nb2 = param(-0.2)\n"
                     "v1 = param(1.0)\nv2 = param(-1.5)\n"
                     "h1 = tanh(w11 * x1 + w12 * x2 + b1)\nh2 = tanh(w21 * x1 + w22 * x2 + b2)\n"
                     "out = v1 * h1 + v2 * h2\nloss = (out - 2.0) ** 2"),
    "two-d-layer": ("X = [[1.0, 2.0, 3.0], [4.0, -5.0, 6.0]]\n"
                    "W = param([[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]])\nb = param([0.1, -0.2])\n"
                    "y = torch.tensor([1, 0])\nh = relu(X @ W + b)\n"
                    "loss = F.cross_entropy(h, y)"),
    "big-matrix": ("X = torch.ones(8, 12)\nW = param(torch.full((12, 3), 0.5))\n"
                   "loss = sum(tanh(X @ W))"),
}
#: the next lessons' training scripts (issue 12), stepped at their first recorded pass
LESSONS = ["11-regression-autograd", "12-regression-nn-linear", "16-feed-forward-net",
           "18-nn-module-class"]
LESSON_FOLDER = resource("examples", "lessons")
#: known defects, each failing until it is mended (strict: a mended one fails here too)
KNOWN: dict[tuple[str, str], str] = {}
PROGRAMS = [*(path.stem for path in example_files()), *OWN, *LESSONS]
SIZES = {"1280x720": (1280, 720), "1400x900": (1400, 900), "1920x1080": (1920, 1080)}
QUICK_SIZES = ("1280x720", "1400x900")


def load(window, name: str) -> None:
    if name in OWN:
        window.load_program(Program(OWN[name], {}), 0, name)
    elif name in LESSONS:
        # a lesson script runs through the recorder (as the Examples menu runs it) and is
        # stepped at its first pass
        assert window.load_example(LESSON_FOLDER / f"{name}.py")
        runs = window.model.run
        deadline = time.monotonic() + 300
        while window.is_running() or runs.result is None:
            assert time.monotonic() < deadline, f"{name} did not run"
            QApplication.processEvents()
            time.sleep(0.01)
        assert runs.goto_pass(1)
        while not (runs.on_screen and runs.iteration == 1):
            assert time.monotonic() < deadline, f"{name}'s pass 1 did not open"
            QApplication.processEvents()
            time.sleep(0.01)
    else:
        path = next(p for p in example_files() if p.stem == name)
        assert window.load_example(path)


def load_recorded(window, name: str) -> None:
    """A lesson of ours as the Examples menu opens it: run by PyTorch, and stepped on
    its recorded last pass (issue 20)."""
    model = window.model
    window.load_example(name)
    deadline = time.monotonic() + 180
    while not (not model.run.is_running() and model.run.on_screen and model.length > 0):
        assert time.monotonic() < deadline, f"{name} did not run"
        QApplication.processEvents()
        time.sleep(0.01)


def settle(window) -> None:
    """Until the window has drawn what it was asked; a graph of 250 nodes or more laid
    out for a new text size in a worker thread (gui/canvas/rescale.py) first."""
    app = QApplication.instance()
    deadline = time.monotonic() + 120
    for _ in range(3):  # (an event handled below may start such a layout: waited for)
        rescaler = window.canvas.__dict__.get("rescaler")  # (made when first needed)
        while rescaler is not None and rescaler.pending and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.002)
        for _ in range(50):
            app.processEvents()
            if not window.canvas._draw_pending:
                break
        rescaler = window.canvas.__dict__.get("rescaler")
        if rescaler is None or not rescaler.pending:
            break


def _gap(a, b) -> float:
    """Distance between two rects (0 when they touch or overlap)."""
    dx = max(a[0] - (b[0] + b[2]), b[0] - (a[0] + a[2]), 0.0)
    dy = max(a[1] - (b[1] + b[3]), b[1] - (a[1] + a[3]), 0.0)
    return (dx * dx + dy * dy) ** 0.5


def _intersect(a, b) -> bool:
    return (min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]) > TOLERANCE
            and min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]) > TOLERANCE)


def _inside(rect, width: float, height: float) -> bool:
    x, y, w, h = rect
    return x >= -TOLERANCE and y >= -TOLERANCE and x + w <= width + TOLERANCE \
        and y + h <= height + TOLERANCE


def neighbours(trace, step) -> tuple[set[int], set[int]]:
    """(nodes, edge indices) the current step is about, and the nodes next to it."""
    graph = trace.graph
    if step is None:
        return set(), set()
    if step.node is not None:
        node = graph.nodes[step.node]
        return {step.node, *node.inputs, *(c for c, _ in graph.consumers[step.node])}, set()
    if step.edge is not None:
        return {step.edge[0], step.edge[1]}, set()
    return set(), set()


def own_label(canvas, entries, step) -> list[dict]:
    if step.node is not None:
        kinds = {"forward": ("value",), "backward": ("gradient", "ledger"),
                 "update": ("update", "value")}.get(step.phase, ("value",))
        return [e for e in entries if e.get("node") == step.node
                and (e["kind"] in kinds or e.get("role") in kinds)]
    index = canvas.edge_index.get(step.edge)
    return [e for e in entries if e.get("edge") == index and e["kind"] == "local"]


def violations(window) -> list[str]:
    """Every way the window breaks the rule now, one short line each."""
    canvas, model = window.canvas, window.model
    entries = canvas.label_entries()
    width, height = canvas.width(), canvas.height()
    found = []
    strip = height - canvas.ax.bbox.y0 / (canvas.device_pixel_ratio or 1.0)  # its top edge
    for i, a in enumerate(entries):
        top, bottom = a["rect"][1], a["rect"][1] + a["rect"][3]
        if a["kind"] != "other" and top < strip - TOLERANCE and bottom > strip + TOLERANCE:
            found.append(f"{a['kind']} {a['text']!r} is cut by the legend strip")
        if a["rect"][3] < MIN_HEIGHT:
            found.append(f"{a['kind']} {a['text']!r} is {a['rect'][3]:.1f} px tall")
        for b in entries[i + 1:]:
            if _intersect(a["rect"], b["rect"]):
                found.append(f"{a['kind']} {a['text']!r} overlaps {b['kind']} {b['text']!r}")
    step = model.current
    nodes, _ = neighbours(model.trace, step)
    for e in entries:
        mine = e.get("node") in nodes or (step is not None and step.edge is not None
                                          and e.get("edge") == canvas.edge_index.get(step.edge))
        if mine and not _inside(e["rect"], width, height):
            found.append(f"{e['kind']} {e['text']!r} of the current step leaves the canvas")
    current = canvas.current_rect()
    if step is not None and (step.node is not None or step.edge is not None):
        if current is None or not _inside(current, width, height):
            found.append(f"the current step ({step.phase}) is not inside the canvas")
        elif not any(_gap(current, e["rect"]) <= NEAR for e in own_label(canvas, entries, step)):
            found.append(f"the current step's label ({step.phase}) is not near it")
    if model.position == model.length:
        trace = model.trace
        listed = {(e.get("node"), e.get("role", e["kind"])) for e in entries}
        boxes = canvas.node_boxes()
        for node in trace.graph.nodes:
            if not _inside(boxes[node.id], width, height):
                continue
            if (node.id, "value") not in listed:
                found.append(f"node {node.name or node.label!r} in view lists no value")
            if node.id in model.known.grads and (node.id, "gradient") not in listed \
                    and (node.id, "ledger") not in listed:
                found.append(f"node {node.name or node.label!r} in view lists no gradient")
    return found


def checked_positions(model, every: bool) -> list[int]:
    n = model.length
    if every:
        return list(range(n + 1))
    trace = model.trace
    starts = sorted(trace.phase_starts.values())
    ends = [s - 1 for s in starts[1:]] + [n - 1]
    marks = {0, 1, n, *(s + 1 for s in starts), *(e + 1 for e in ends)}
    return sorted(p for p in marks if 0 <= p <= n)


def walk(window, name: str, size: tuple[int, int], every: bool, opener=load) -> list[str]:
    window.resize(*size)
    settle(window)
    opener(window, name)
    settle(window)
    found = []
    for position in checked_positions(window.model, every):
        window.model.goto(position)
        settle(window)
        found += [f"{name} {size[0]}x{size[1]} @{position}: {v}" for v in violations(window)]
    return found


@pytest.fixture(scope="module")
def big_window(qapp):
    from gui.main_window import MainWindow

    window = MainWindow()
    window.show()
    QApplication.processEvents()
    yield window
    window.close()
    window.deleteLater()


@pytest.mark.parametrize("size", QUICK_SIZES)
@pytest.mark.parametrize("name", PROGRAMS)
def test_labels_stay_readable(big_window, name, size, request):
    if (name, size) in KNOWN:
        request.applymarker(pytest.mark.xfail(strict=True, reason=KNOWN[name, size]))
    found = walk(big_window, name, SIZES[size], every=False)
    assert not found, f"{len(found)} violations:\n" + "\n".join(found[:25])


@pytest.mark.soak
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("name", PROGRAMS)
def test_labels_stay_readable_at_every_step(big_window, name, size):
    found = walk(big_window, name, SIZES[size], every=True)
    assert not found, f"{len(found)} violations:\n" + "\n".join(found[:25])


def test_a_recorded_pass_stays_readable_at_every_step(window):
    """Lesson 16's recorded pass at 1280×720: the view placed at an earlier step left
    the last step's "@" with its gradient behind the legend strip, and the update of
    model.2.weight (drawn 4 % wider than measured) a pixel past the canvas's left edge."""
    # (a window of its own: one that has stepped the lesson's text opens it as is)
    found = walk(window, "16-feed-forward-net", SIZES["1280x720"], every=True,
                 opener=load_recorded)
    assert not found, f"{len(found)} violations:\n" + "\n".join(found[:25])


def _first_launch(window, name: str) -> None:
    """``name`` in a window with the docks sized as a first launch sizes them."""
    from gui.window import dock_layout

    dock_layout.apply_default_sizes(window)
    load(window, name)


#: known defects at a first launch's 1152×648 (strict: a mended one fails here too)
FIRST_LAUNCH_KNOWN = {
    # at the last step (model.2.bias's update) the view must keep the bias's labels above
    # it and the "+" below it with its gradient (a 6×1 grid): the "@" under them is
    # then wholly on the canvas with its gradient (another 6×1 grid, under it) across
    # the legend strip's edge, which hides it. At the least readable zoom the canvas
    # (565×333 px above the strip) is 40 px too short for all three; moving the "@" out
    # of view cuts the "+"'s gradient instead (strip_edge.clear_of_strip finds no view
    # that clears both). Mending it needs the labels placed otherwise (a tall gradient
    # beside its node) or a smaller strip.
    "16-feed-forward-net": "the last step's '@' lists no gradient (its grid is behind "
                           "the strip's edge)",
}


@pytest.mark.parametrize("name", ["10-conv-pool", "16-feed-forward-net"])
def test_a_first_launch_window_stays_readable_at_every_step(window, name, request):
    """At 1152×648, the window a first launch opens on a 1280×720 screen, with its
    docks: lesson 16's last step showed the "@" (model.1 @ (model.2.weightᵀ)) in view
    without its gradient (issue 24)."""
    if name in FIRST_LAUNCH_KNOWN:
        request.applymarker(pytest.mark.xfail(strict=True, reason=FIRST_LAUNCH_KNOWN[name]))
    found = walk(window, name, (1152, 648), every=True, opener=_first_launch)
    assert not found, f"{len(found)} violations:\n" + "\n".join(found[:25])
