"""Training scripts (issue 12): rows for ``bench_engine.py --json``.

- ``training_loop``: the nn.Linear lesson (resources/examples/lessons/12-…) for 100
  iterations, parsed, run and every backward() checked against torch, torch imported
  beforehand. Target: ≤ 1 s.
- ``training_mlp``: a 784→100→10 net (ReLU, MSE loss, SGD) on a batch of 100 for 20
  iterations: ``engine_ms`` the interpreter without the torch check, ``torch_ms`` torch CPU
  running the same loop in the same process; medians of at least ``MIN_PAIRS`` interleaved
  runs, after one of each that is not counted. Target: ≤ 3× (``ok``, wall time); the CPU
  times beside it (``cpu_ratio``) are each side's own work when other processes share the
  machine.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: interleaved pairs of the MLP row at least: on a shared 2-core machine fewer medians wander
MIN_PAIRS = 11
LESSON = ROOT / "resources" / "examples" / "lessons" / "12-regression-nn-linear.py"
MLP = """import torch
import torch.nn as nn
torch.manual_seed(0)
X = torch.randn(100, 784)
Y = torch.randn(100, 10)
model = nn.Sequential(nn.Linear(784, 100), nn.ReLU(), nn.Linear(100, 10))
criterion = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
for epoch in range(20):
    l = criterion(model(X), Y)
    optimizer.zero_grad()
    l.backward()
    optimizer.step()
"""


def _torch_mlp(torch) -> None:
    torch.manual_seed(0)
    x, y = torch.randn(100, 784), torch.randn(100, 10)
    model = torch.nn.Sequential(torch.nn.Linear(784, 100), torch.nn.ReLU(),
                                torch.nn.Linear(100, 10))
    criterion = torch.nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    for _ in range(20):
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def _ms(run) -> float:
    start = time.perf_counter()
    run()
    return (time.perf_counter() - start) * 1000


def _cpu_ms(run) -> tuple[float, float]:
    """Wall and CPU time of one run: on a shared machine the CPU time is this process's
    own work (both sides run on one thread), whatever the other processes do."""
    start, cpu = time.perf_counter(), time.process_time()
    run()
    return (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000


def measure_training(repeat: int) -> list[dict]:
    import torch  # noqa: PLC0415 - not counted: the app imports it once, at start

    torch.set_num_threads(1)  # as bench_engine's MLP row: the same threads as numpy's

    from core.script import run_script  # noqa: PLC0415

    text = LESSON.read_text(encoding="utf-8")
    lesson = [_ms(lambda: run_script(text)) for _ in range(repeat)]
    ours, theirs = [], []
    run_script(MLP, check_torch=False)  # one of each first: first calls, caches, pages
    _torch_mlp(torch)
    for _ in range(max(repeat, MIN_PAIRS)):
        ours.append(_cpu_ms(lambda: run_script(MLP, check_torch=False)))
        theirs.append(_cpu_ms(lambda: _torch_mlp(torch)))
    lesson_ms = statistics.median(lesson)
    engine_ms, torch_ms = (statistics.median(t[0] for t in side) for side in (ours, theirs))
    engine_cpu, torch_cpu = (statistics.median(t[1] for t in side) for side in (ours, theirs))
    return [{"case": "training_loop", "iterations": 100, "total_ms": round(lesson_ms, 1),
             "target_ms": 1000, "ok": lesson_ms <= 1000},
            {"case": "training_mlp", "sizes": [784, 100, 10], "batch": 100, "iterations": 20,
             "engine_ms": round(engine_ms, 1), "torch_ms": round(torch_ms, 1),
             "ratio": round(engine_ms / torch_ms, 2), "ok": engine_ms <= 3 * torch_ms,
             "engine_cpu_ms": round(engine_cpu, 1), "torch_cpu_ms": round(torch_cpu, 1),
             "cpu_ratio": round(engine_cpu / max(torch_cpu, 1e-9), 2)}]


if __name__ == "__main__":
    import json
    import sys

    sys.path.insert(0, str(ROOT))
    print(json.dumps(measure_training(3)))
