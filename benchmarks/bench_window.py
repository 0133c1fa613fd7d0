"""Apply in the window, end to end, for big programs (issue 6): offscreen, real widgets.

    python benchmarks/bench_window.py [--json] [--sizes 300,1000,2000,5000,20000]

For each size N, a program of N operations (one per line) is typed into the editor and
applied. Figures in milliseconds:

- ``apply_ms``: how long ``apply()`` blocks the GUI thread (small programs: everything;
  big ones: starting the worker thread);
- ``ready_ms``: from Apply until the new trace is installed and drawn;
- ``max_gap_ms``: the longest the GUI thread did not run a 5 ms QTimer meanwhile (the
  worst stall the user sees: the GIL held by ``ast.parse``, a garbage collection over
  the new trace, installing it in the panels, the first draw);
- ``step_ms``: the median of 50 → presses (issue 9), each from ``QTest.keyClick`` until
  every panel has painted (canvas, explanation, lesson tables, step bar, PyTorch panel):
  the paint events themselves are waited for, not only scheduled (see :func:`settle`).
  The window is 1400×900 and offscreen, so the view's pans are instant;
- ``end_ms`` / ``home_ms``: End from the start, then Home from the end, the same way.
- ``whatif_ms`` (issue 14, on the lesson, under the key ``"lesson"``): the median of
  one What-if slider move, from Page Up/Down on the slider until every panel is
  painted, at the start, the middle and the end of the steps (target: ≤ 33 ms, i.e.
  at least 30 updates a second). The canvas's numbers follow each move too.
- ``whatif_canvas_ms`` (the same key): the median of one move of a What-if drag on w's
  node in the canvas (a real mouse press, moves, release), forward mode on, from the
  mouse move until every panel is painted (canvas labels blitted, What-if table, plot).
- ``script_iteration_ms`` (issue 12, top level): the median of Ctrl+] on the nn.Linear
  lesson script (resources/examples/lessons/12-regression-nn-linear.py), from the key
  until every panel is painted with iteration k's graph at its step 0, over iterations
  2..31 (``script_iteration_max_ms``: the worst), with the PyTorch tab in front as the
  window starts; ``script_iteration_training_ms``: Ctrl+[ back with the Training tab in
  front, whose plot marks iteration k (one more matplotlib draw).
- ``recorded`` (issue 19, for issue 20's passes): a small training script (a
  1→16→1 MLP, three passes) run with Run, a real child process recording it; then
  ``step_ms`` (median of → presses from the pass's start), ``end_ms`` and ``home_ms``
  on the pass on screen, the same way as for a program, once this run's pass is on the
  canvas; each press must move the step (``unpainted``: presses after which the canvas
  did not paint; more than half stop the benchmark); ``--no-recorded`` leaves it out.
- ``--cpu``: the key presses (``step_ms``, ``end_ms``, ``home_ms``, the recorded row),
  the What-if moves and the script's iterations in the GUI thread's CPU time, not the
  wall clock: steadier on a shared machine (the window paints in that thread offscreen;
  a kept pass's trace, made in a worker thread, is not counted).
- ``startup`` (issue 19): ``main.py --startup-time`` against its ``floor``, a bare
  PySide6 + matplotlib window painting one FigureCanvas, whole processes interleaved,
  five runs each (see bench_startup.py); ``--no-startup`` leaves it out.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QPoint, Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from benchmarks.bench_canvas import PaintCounter  # noqa: E402
from tests.programs import chain  # noqa: E402  (the same chain the window tests build)


def measure(window, app, n_ops: int) -> dict[str, float]:
    model = window.model
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer(interval=5)
    timer.timeout.connect(tick)
    window.editor_panel.editor.setPlainText(chain(n_ops))
    model.reset()
    app.processEvents()
    timer.start()
    start = last[0] = time.perf_counter()
    window.editor_panel.apply()
    applied = time.perf_counter()
    while model.building or len(model.trace.graph.nodes) < n_ops:
        app.processEvents()
    window.canvas.draw()  # the first draw (draw_idle would do it at the next idle)
    tick()
    ready = time.perf_counter()
    app.processEvents()
    timer.stop()
    settle(window, app)
    window.canvas.setFocus()
    steps = [press(window, app, Qt.Key.Key_Right) for _ in range(STEP_PRESSES)]
    end_ms = press(window, app, Qt.Key.Key_End)
    home_ms = press(window, app, Qt.Key.Key_Home)
    return {"nodes": len(model.trace.graph.nodes), "steps": len(model.trace.steps),
            "async": applied - start < (ready - start) / 2,
            "apply_ms": round((applied - start) * 1000), "ready_ms": round((ready - start) * 1000),
            "max_gap_ms": round(max(gaps) * 1000),
            "step_ms": round(statistics.median(steps), 2), "end_ms": round(end_ms, 1),
            "home_ms": round(home_ms, 1)}


STEP_PRESSES = 50
WHATIF_MOVES = 30
SCRIPT_ITERATIONS = 30


def measure_whatif(window, app) -> dict[str, float]:
    """What-if slider moves on the lesson, at three positions of the walk."""
    window.load_example(Path(__file__).resolve().parent.parent / "resources" / "examples"
                        / "01-lesson.json")
    settle(window, app)
    panel = window.forward_panel
    panel.mode_action.setChecked(True)
    panel.tabs.setCurrentIndex(1)
    settle(window, app)
    times = []
    for position in (0, window.model.length // 2, window.model.length):
        window.model.goto(position)
        settle(window, app)
        for i in range(WHATIF_MOVES):
            key = Qt.Key.Key_PageUp if i % 10 < 5 else Qt.Key.Key_PageDown
            begin = CLOCK()
            QTest.keyClick(panel.slider, key)
            settle(window, app)
            times.append((CLOCK() - begin) * 1000)
    median = statistics.median(times)
    drags = measure_drag(window, app)
    # What if off again: left on, the canvas does not follow the step, and the recorded
    # pass's steps (measure_recorded) happened out of view and painted nothing (0.02 ms)
    panel.mode_action.setChecked(False)
    settle(window, app)
    return {"whatif_ms": round(median, 2), "whatif_per_s": round(1000 / median, 1),
            "whatif_max_ms": round(max(times), 2),
            "whatif_canvas_ms": round(statistics.median(drags), 2),
            "whatif_canvas_per_s": round(1000 / statistics.median(drags), 1),
            "whatif_canvas_max_ms": round(max(drags), 2)}


def measure_drag(window, app) -> list[float]:
    """Drags on w's node: each mouse move until everything is painted (ms)."""
    canvas, model = window.canvas, window.model
    times = []
    for position in (0, model.length // 2, model.length):
        model.goto(position)
        settle(window, app)
        start = canvas.node_widget_pos(model.trace.graph.names["w"])
        QTest.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
        for i in range(WHATIF_MOVES):
            dx = 10 + (i % 20 if i % 40 < 20 else 20 - i % 20) * 3
            begin = CLOCK()
            QTest.mouseMove(canvas, start + QPoint(dx, 0))
            settle(window, app)
            times.append((CLOCK() - begin) * 1000)
        QTest.keyClick(canvas, Qt.Key.Key_Escape)  # nothing kept
        QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=start)
        settle(window, app)
    return times


RECORDED = """\
import torch
torch.manual_seed(0)
x = torch.linspace(-1, 1, 32).reshape(32, 1)
y = 3 * x ** 2 - x + 0.5
model = torch.nn.Sequential(torch.nn.Linear(1, 16), torch.nn.Tanh(), torch.nn.Linear(16, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.05)
for epoch in range(3):
    loss = ((model(x) - y) ** 2).mean()
    print(f"epoch {epoch} loss {loss.item():.4f}")
    opt.zero_grad()
    loss.backward()
    opt.step()
"""


def measure_recorded(window, app) -> dict[str, float]:
    """A recorded pass of a small training script (issue 20's Run, a real child process
    and torch): → through its first steps, End and Home, each until everything is
    painted, as for a program. Each press must move the step and repaint the canvas:
    run after the lesson's script, the wait once ended on that run's result, so the
    presses stepped a pass being replaced and the row read 0.02 ms (nothing painted)."""
    window.editor_panel.editor.setPlainText(RECORDED)
    settle(window, app)
    runs = window.model.run
    # the lesson's run (measure_script) and its pass on screen: wait for this run's
    # result and its pass's trace (made in a worker after the result)
    before, shown = runs.result, window.model.trace
    window.run_action.trigger()
    deadline = time.monotonic() + 180  # a torch import in the child, recorded

    def ready() -> bool:
        return (not window.is_running() and runs.result is not None
                and runs.result is not before and runs.on_screen
                and window.model.trace is not shown and window.model.length > 0
                and window.canvas.trace is window.model.trace)

    while not ready() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)
    if not ready():
        raise SystemExit("the recorded run did not finish (no torch in this venv?)")
    settle(window, app)
    window.model.goto(0)
    settle(window, app)
    window.canvas.setFocus()
    canvas_paints = PaintCounter()
    window.canvas.installEventFilter(canvas_paints)

    unpainted = []

    def stepped(key, expected: int) -> float:
        painted = canvas_paints.count
        ms = press(window, app, key)
        if window.model.position != expected:
            raise SystemExit(f"a recorded step went to {window.model.position}, not {expected}")
        if canvas_paints.count == painted:
            unpainted.append(expected)
        return ms

    presses = min(STEP_PRESSES, window.model.length - 1)
    steps = [stepped(Qt.Key.Key_Right, i + 1) for i in range(presses)]
    end_ms = stepped(Qt.Key.Key_End, window.model.length)
    home_ms = stepped(Qt.Key.Key_Home, 0)
    window.canvas.removeEventFilter(canvas_paints)
    if len(unpainted) > presses // 2:
        raise SystemExit(f"recorded steps that painted no canvas: {unpainted}")
    return {"nodes": len(window.model.trace.graph.nodes), "steps": window.model.length,
            "step_ms": round(statistics.median(steps), 2), "end_ms": round(end_ms, 1),
            "home_ms": round(home_ms, 1), "unpainted": len(unpainted)}


def measure_script(window, app) -> dict[str, float]:
    """Ctrl+] through the nn.Linear lesson's recorded passes (kept ones and summaries),
    each until it is on screen and every panel is painted."""
    window.load_example(Path(__file__).resolve().parent.parent / "resources" / "examples"
                        / "lessons" / "12-regression-nn-linear.py")
    runs = window.model.run  # a lesson of ours runs at once through the recorder
    deadline = time.monotonic() + 180
    while (runs.is_running() or runs.iteration != 100) and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)
    runs.goto_pass(1)
    while runs.iteration != 1 and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)
    if runs.iteration != 1:
        raise SystemExit("the nn.Linear lesson did not run (no PyTorch?)")
    settle(window, app)
    result = {}
    for key, key_back in ((Qt.Key.Key_BracketRight, "script_iteration"),
                          (Qt.Key.Key_BracketLeft, "script_iteration_training")):
        if key_back == "script_iteration_training":  # the Training tab in front: its plot too
            window.show_training()
            settle(window, app)
        times = []
        for _ in range(SCRIPT_ITERATIONS):
            begin = CLOCK()
            target = runs.iteration + (1 if key == Qt.Key.Key_BracketRight else -1)
            QTest.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
            while runs.iteration != target and time.monotonic() < deadline + 120:
                app.processEvents()  # a kept pass is made in a worker
            settle(window, app)
            times.append((CLOCK() - begin) * 1000)
        result[f"{key_back}_ms"] = round(statistics.median(times), 2)
        result[f"{key_back}_max_ms"] = round(max(times), 2)
    assert runs.iteration == 1
    return result


PAINTS = PaintCounter()  # installed on the application: every widget's paint events


def settle(window, app) -> None:
    """Until every panel has painted: no canvas draw pending, and two passes of the
    event loop in a row that painted nothing (a paint can schedule another one, and an
    update posted in one pass is delivered in the next)."""
    quiet = 0
    for _ in range(1000):
        before = PAINTS.count
        app.processEvents()
        pending = getattr(window.canvas, "_draw_pending", False)
        quiet = quiet + 1 if PAINTS.count == before and not pending else 0
        if quiet >= 2:
            return


#: the clock of the key presses: the wall clock, or with --cpu the GUI thread's CPU
CLOCK = time.perf_counter


def press(window, app, key) -> float:
    """Milliseconds from a key press until every panel has been painted."""
    begin = CLOCK()
    QTest.keyClick(window, key)
    settle(window, app)
    return (CLOCK() - begin) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--sizes", default="300,1000,2000,5000,20000")
    parser.add_argument("--whatif-only", action="store_true",
                        help="only the What-if slider on the lesson")
    parser.add_argument("--script-only", action="store_true",
                        help="only the iterations of the nn.Linear lesson script")
    parser.add_argument("--no-startup", action="store_true",
                        help="without the start-up row (app against its floor)")
    parser.add_argument("--no-recorded", action="store_true",
                        help="without the recorded pass (Run: a child process and torch)")
    parser.add_argument("--cpu", action="store_true",
                        help="key presses (step, End, Home), What-if moves and script "
                             "iterations in the GUI thread's CPU time, not the wall clock "
                             "(a shared machine)")
    args = parser.parse_args()
    global CLOCK
    CLOCK = time.thread_time if args.cpu else time.perf_counter
    app = QApplication.instance() or QApplication([])
    app.installEventFilter(PAINTS)
    from gui.main_window import MainWindow

    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    app.processEvents()
    only = args.whatif_only or args.script_only
    rows: dict = {} if only else {
        int(n): measure(window, app, int(n)) for n in args.sizes.split(",")}
    lesson = {} if args.script_only else measure_whatif(window, app)
    script = {} if args.whatif_only else measure_script(window, app)
    recorded = {} if only or args.no_recorded else measure_recorded(window, app)
    startup = None
    if not (only or args.no_startup):
        from bench_startup import measure as measure_startup

        startup = measure_startup()
    if args.json:
        if lesson:
            rows["lesson"] = lesson
        rows.update(script)
        if recorded:
            rows["recorded"] = recorded
        if startup is not None:
            rows["startup"] = startup
        print(json.dumps(rows, indent=2))
        return
    print(f"{'ops':>7} {'nodes':>7} {'steps':>7} {'async':>6} {'apply':>7} {'ready':>7} "
          f"{'max gap':>8} {'step':>7} {'End':>7} {'Home':>7}   (ms)")
    for n, r in rows.items():
        print(f"{n:>7,} {r['nodes']:>7,} {r['steps']:>7,} {str(r['async']):>6} "
              f"{r['apply_ms']:>7} {r['ready_ms']:>7} {r['max_gap_ms']:>8} {r['step_ms']:>7} "
              f"{r['end_ms']:>7} {r['home_ms']:>7}")
    if lesson:
        print(f"What if (lesson): {lesson['whatif_ms']} ms a move, {lesson['whatif_per_s']} "
              f"a second (worst {lesson['whatif_max_ms']} ms)")
        print(f"What if, a drag on the canvas (lesson): {lesson['whatif_canvas_ms']} ms a "
              f"move, {lesson['whatif_canvas_per_s']} a second "
              f"(worst {lesson['whatif_canvas_max_ms']} ms)")
    if script:
        print(f"Script iteration (nn.Linear lesson, Ctrl+]): {script['script_iteration_ms']} ms "
              f"(worst {script['script_iteration_max_ms']} ms); with the Training tab in front "
              f"{script['script_iteration_training_ms']} ms")
    if recorded:
        print(f"Recorded pass ({recorded['nodes']} nodes, {recorded['steps']} steps): "
              f"→ {recorded['step_ms']} ms, End {recorded['end_ms']} ms, "
              f"Home {recorded['home_ms']} ms")
    if startup is not None:
        print(f"Start-up: {startup['app_ms']} ms, floor {startup['floor_ms']} ms, ratio "
              f"{startup['ratio']} (goal ≤ 1.2)")


if __name__ == "__main__":
    main()
