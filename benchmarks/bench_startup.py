"""Start-up against its floor: whole processes, interleaved, five runs each (issue 19).

    python benchmarks/bench_startup.py [--json] [--runs 5]

- ``app_ms``: ``main.py --startup-time``, milliseconds from process start until the
  window has painted;
- ``floor_ms``: a bare PySide6 + matplotlib window that paints one FigureCanvas, the
  same way (process start until its first paint event);
- ``ratio``: the medians' quotient (goal: at most 1.2);
- ``app_cpu_ms``, ``floor_cpu_ms``, ``cpu_ratio``: the same runs' whole-process CPU time
  (user + system, from the OS's accounting of each finished child, so exiting is in
  both): steadier than the wall clock on a shared machine.

Both run offscreen with bytecode written as usual (a sandbox's PYTHONDONTWRITEBYTECODE
would make every run compile the app's own modules again, which no installed copy does).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FLOOR = r'''
import os, time
def age():
    with open("/proc/self/stat") as h:
        fields = h.read().rsplit(")", 1)[1].split()
    with open("/proc/uptime") as h:
        up = float(h.read().split()[0])
    return up - int(fields[19]) / os.sysconf("SC_CLK_TCK")
AGE, CLOCK = age(), time.perf_counter()
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
app = QApplication([])
figure = Figure()
figure.add_subplot().plot([0, 1], [0, 1])
canvas = FigureCanvasQTAgg(figure)
class Painted(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not hasattr(self, "ms"):
            self.ms = 1000 * (AGE + time.perf_counter() - CLOCK)
            QTimer.singleShot(0, app.quit)
        return False
painted = Painted()
canvas.installEventFilter(painted)
canvas.resize(1400, 900)
canvas.show()
app.exec()
print(round(painted.ms))
'''


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(args: list[str]) -> tuple[float, float]:
    """(ms until painted, the process's CPU ms)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    before = _children_cpu()
    out = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120, check=True)
    cpu = 1000 * (_children_cpu() - before)
    return float(out.stdout.strip().splitlines()[-1]), round(cpu)


def measure(runs: int = 5) -> dict[str, float]:
    _run(["main.py", "--startup-time"])  # bytecode written once, not timed
    apps, floors, app_cpus, floor_cpus = [], [], [], []
    for _ in range(runs):
        for args, walls, cpus in ((["-c", FLOOR], floors, floor_cpus),
                                  (["main.py", "--startup-time"], apps, app_cpus)):
            wall, cpu = _run(args)
            walls.append(wall)
            cpus.append(cpu)
    app, floor = statistics.median(apps), statistics.median(floors)
    app_cpu, floor_cpu = statistics.median(app_cpus), statistics.median(floor_cpus)
    return {"app_ms": round(app), "floor_ms": round(floor), "ratio": round(app / floor, 2),
            "app_runs": apps, "floor_runs": floors,
            "app_cpu_ms": round(app_cpu), "floor_cpu_ms": round(floor_cpu),
            "cpu_ratio": round(app_cpu / floor_cpu, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    result = measure(args.runs)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"start-up {result['app_ms']} ms, floor {result['floor_ms']} ms, "
              f"ratio {result['ratio']} (goal ≤ 1.2); CPU {result['app_cpu_ms']} ms, "
              f"floor {result['floor_cpu_ms']} ms, ratio {result['cpu_ratio']}")


if __name__ == "__main__":
    main()
