"""Graph canvas speed: first draw, one step, and a full redraw, for 10 … 1,000 nodes.

    python benchmarks/bench_canvas.py [--json] [--sizes 10 50 200 1000] [--steps 60]

For each size a program of about that many nodes is built (chains ``t = t + p * x`` of
parameters and data, summed by a tree, squared), drawn on an offscreen 1200×700 canvas,
and then:

* ``first_draw_ms`` - ``set_trace`` (layout, artists) + ``show_state`` at position 0 +
  the paint, until ``processEvents`` returns;
* ``step_ms`` - median of the app's own step update, ``show_state(known, current)`` +
  ``processEvents``, over steps whose node or edge is inside the view (a step entirely
  outside the view costs almost nothing and would flatter the figure);
* ``step_all_ms`` - the same median over every step walked;
* ``step_p90_ms`` - the 90th percentile of the steps ``step_ms`` takes the median of;
* ``step_held_ms`` - a key held down: the same phases walked one step at a time at
  the platform's autorepeat cadence (a press every ``HELD_MS``, Qt/X's default ~30/s),
  the event loop running between presses as it would for a user (the canvas composes
  the next view then, gui/canvas/ahead.py); median of each press until painted, over
  the steps in view (``step_held_p90_ms``: their 90th percentile). ``step_ms`` walks
  back to back, with no idle time: both are reported;
* ``full_redraw_ms`` - median of ``canvas.draw()`` + ``processEvents`` of the same figure.

Qt's draw only schedules a repaint: every timing waits until the canvas has painted
(:func:`settle`), so a figure is what the user sees, not what was scheduled. ``--cpu``
times the GUI thread's CPU instead of the wall clock (drawing and painting run in it
offscreen): steadier while other work shares the machine; give ``uptime`` with either. It leaves
out Qt's worker threads: Qt converts a big image in a thread pool, so a repaint of the
whole canvas (every pan and jump, and the full redraw) is ~0.3 ms of this thread but
1.3-2 ms of the wall clock (measured offscreen at 1200x700, load 12).
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

from PySide6.QtCore import QEvent, QObject  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from core.engine.trace import Stepper, build_trace  # noqa: E402
from gui.graph_canvas import GraphCanvas  # noqa: E402

SIZES = (10, 50, 200, 1000)
#: a held key's autorepeat: a press every this many ms (Qt/X's default rate, ~30/s)
HELD_MS = 33


def chain_program(target: int) -> str:
    """About ``target`` nodes: chains ``t = t + p * x`` summed by a tree, then squared."""
    chain_len = 1 if target < 30 else 3 if target < 120 else 6
    per_chain = 1 + 4 * chain_len + 1  # start, (p, x, ×, +) per link, one + of the tree
    chains = max(1, round((target - 1) / per_chain))
    lines, ends = [], []
    for c in range(chains):
        lines.append(f"t{c}_0 = param({0.1 * (c % 7 + 1):.1f})")
        for i in range(1, chain_len + 1):
            lines.append(f"p{c}_{i} = param({0.2 * (i % 5) + 0.1:.1f})")
            lines.append(f"x{c}_{i} = {i % 3 + 1}.0")
            lines.append(f"m{c}_{i} = p{c}_{i} * x{c}_{i}")
            lines.append(f"t{c}_{i} = t{c}_{i - 1} + m{c}_{i}")
        ends.append(f"t{c}_{chain_len}")
    k = 0
    while len(ends) > 1:
        merged = []
        for a, b in zip(ends[::2], ends[1::2], strict=False):
            lines.append(f"s{k} = {a} + {b}")
            merged.append(f"s{k}")
            k += 1
        if len(ends) % 2:
            merged.append(ends[-1])
        ends = merged
    lines.append(f"loss = {ends[0]} ** 2")
    return "\n".join(lines)


#: what the timings read: the wall clock, or with --cpu the GUI thread's CPU time
#: (steadier while other work shares the machine: offscreen, drawing and painting run
#: in this thread, so waiting for a core is left out)
CLOCK = time.perf_counter


def _ms(start: float) -> float:
    return (CLOCK() - start) * 1000


class PaintCounter(QObject):
    """Counts the paint events of what it is installed on (the canvas, or the whole
    application in bench_window)."""

    def __init__(self):
        super().__init__()
        self.count = 0

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


PAINTS = PaintCounter()


def settle(app: QApplication, canvas: GraphCanvas) -> None:
    """Until the canvas has painted what was scheduled: no draw pending, and two passes
    of the event loop in a row without a paint event."""
    quiet = 0
    for _ in range(1000):
        before = PAINTS.count
        app.processEvents()
        quiet = quiet + 1 if PAINTS.count == before and not canvas._draw_pending else 0
        if quiet >= 2:
            return


def measure(app: QApplication, canvas: GraphCanvas, target: int, steps: int) -> dict:
    trace = build_trace(chain_program(target))
    stepper = Stepper(trace)
    start = CLOCK()
    canvas.set_trace(trace)
    canvas.show_state(stepper.known, stepper.current)
    settle(app, canvas)
    first = _ms(start)
    # the canvas prepares the labels of later steps between events; a learner reads the
    # first screen before pressing a key, so let that finish (cold steps: step_all_ms)
    # (5 s of the clock: with --cpu, 5 s of this thread's work, at most a minute)
    deadline, wall = CLOCK() + 5, time.perf_counter() + 60
    while canvas.prefetching and CLOCK() < deadline and time.perf_counter() < wall:
        app.processEvents()

    # walk: forward from the start, then the local and backward phases from their starts
    positions = []
    for phase in ("forward", "local", "backward"):
        begin = trace.phase_starts.get(phase)
        if begin is not None:
            positions.extend(range(begin, min(begin + steps, len(trace) + 1)))
    visible, every = [], []
    for position in positions:
        stepper.goto(position - 1)
        canvas.show_state(stepper.known, stepper.current)
        settle(app, canvas)
        _timed_step(app, canvas, stepper, every, visible)

    held = held_walk(app, canvas, stepper, positions)
    full = []
    for _ in range(5):
        start = CLOCK()
        canvas.draw()
        settle(app, canvas)
        full.append(_ms(start))
    step = statistics.median(visible or every)
    return {
        "nodes": len(trace.graph.nodes),
        "first_draw_ms": round(first, 1),
        "step_ms": round(step, 2),
        "full_redraw_ms": round(statistics.median(full), 1),
        "step_all_ms": round(statistics.median(every), 2),
        # the slow tail of a key held down (a raster made mid-walk, a jump to a view
        # whose tiles were never made): the median hides it
        "step_p90_ms": round(statistics.quantiles(visible or every, n=10)[-1], 2)
        if len(visible or every) > 1 else round(step, 2),
        "steps_in_view": len(visible),
        "speedup": round(statistics.median(full) / step, 1),
        "step_held_ms": round(statistics.median(held), 2),
        "step_held_p90_ms": round(statistics.quantiles(held, n=10)[-1], 2)
        if len(held) > 1 else round(statistics.median(held), 2),
    }


def held_walk(app: QApplication, canvas: GraphCanvas, stepper: Stepper,
              positions: list[int]) -> list[float]:
    """Each run of ``positions`` walked as a held key walks it: a press every
    ``HELD_MS`` of the wall clock, the event loop running in between; the time of each
    press until painted (steps in view; every step if none is)."""
    runs: list[list[int]] = []
    for position in positions:
        if runs and position == runs[-1][-1] + 1:
            runs[-1].append(position)
        else:
            runs.append([position])
    visible, every = [], []
    for run in runs:
        stepper.goto(run[0] - 1)
        canvas.show_state(stepper.known, stepper.current)
        settle(app, canvas)
        due = time.perf_counter() + 0.3  # the learner reads, then holds the key
        for _position in run:  # (autorepeat keeps its cadence: a slow press's next is due)
            _idle(app, due)
            due += HELD_MS / 1000
            _timed_step(app, canvas, stepper, every, visible)
    return visible or every


def _timed_step(app: QApplication, canvas: GraphCanvas, stepper: Stepper,
                every: list[float], visible: list[float]) -> None:
    """One step forward, timed from showing it until the canvas has painted it; the
    time goes to ``every``, and to ``visible`` when the step is in view."""
    stepper.next()
    start = CLOCK()
    canvas.show_state(stepper.known, stepper.current)
    settle(app, canvas)
    elapsed = _ms(start)
    every.append(elapsed)
    if canvas.step_in_view(stepper.current):
        visible.append(elapsed)


def _idle(app: QApplication, until: float) -> None:
    """The event loop runs (timers, idle work) until ``until`` (the wall clock)."""
    now = time.perf_counter()
    while now < until:
        app.processEvents()
        time.sleep(min(0.0005, until - now))
        now = time.perf_counter()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print a JSON list")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--steps", type=int, default=40, help="steps timed per phase")
    parser.add_argument("--cpu", action="store_true",
                        help="time the GUI thread's CPU, not the wall clock (a shared machine)")
    args = parser.parse_args(argv)
    global CLOCK
    CLOCK = time.thread_time if args.cpu else time.perf_counter
    app = QApplication.instance() or QApplication([])
    results = []
    for size in args.sizes:
        canvas = GraphCanvas()  # a fresh canvas: no positions kept from the last graph
        canvas.installEventFilter(PAINTS)
        canvas.resize(1200, 700)
        canvas.show()
        app.processEvents()
        results.append(measure(app, canvas, size, args.steps))
        canvas.close()
        canvas.deleteLater()
        app.processEvents()
    if args.json:
        print(json.dumps(results, indent=1))
    else:
        print(f"{'nodes':>6} {'first draw':>11} {'step':>8} {'full redraw':>12} {'speedup':>8}"
              f" {'step (all)':>11} {'step (held)':>12}")
        for r in results:
            print(f"{r['nodes']:>6} {r['first_draw_ms']:>9.1f}ms {r['step_ms']:>6.2f}ms"
                  f" {r['full_redraw_ms']:>10.1f}ms {r['speedup']:>7.1f}x"
                  f" {r['step_all_ms']:>9.2f}ms {r['step_held_ms']:>10.2f}ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
