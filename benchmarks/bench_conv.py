"""The conv row of ``bench_engine.py --json``: conv2d forward + VJP, ours beside torch's.

Issue 22: a 64×1×28×28 batch, 8 kernels of 3×3, stride 1, padding 1. ``trace_ms`` is
the registry op alone (:mod:`core.ops.conv`): its forward, then its VJP for the input
and for the weight, in float64. ``torch_ms`` is torch CPU's ``F.conv2d`` forward and
``backward`` with both needing gradients, in float32. Both on the same threads (set by
bench_engine before numpy loads), medians over interleaved blocks. Target: ≤ 3×.
``trace_cpu_ms``/``torch_cpu_ms``: the same runs' CPU time, steadier on a shared machine.

    python benchmarks/bench_conv.py [--repeat 7]
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.ops import OPS, forward, vjp  # noqa: E402

BLOCK = 5
SHAPES = {"x": (64, 1, 28, 28), "w": (8, 1, 3, 3)}
ATTRS = {"stride": 1, "padding": 1}


def _inputs():
    rng = np.random.default_rng(0)
    return rng.normal(size=SHAPES["x"]), rng.normal(size=SHAPES["w"]) * 0.3


def time_ours(x, w) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of forward + both VJPs."""
    entry = OPS["conv2d"]
    start, cpu = time.perf_counter(), time.process_time()
    out = forward(entry, (x, w), ATTRS)
    g = np.ones_like(out)
    vjp(entry, g, None, (x, w), out, ATTRS, 0)
    vjp(entry, g, None, (x, w), out, ATTRS, 1)
    return time.perf_counter() - start, time.process_time() - cpu


def time_torch(torch, x, w) -> tuple[float, float]:
    xt = torch.tensor(x, dtype=torch.float32, requires_grad=True)
    wt = torch.tensor(w, dtype=torch.float32, requires_grad=True)
    start, cpu = time.perf_counter(), time.process_time()
    out = torch.nn.functional.conv2d(xt, wt, stride=1, padding=1)
    out.backward(torch.ones_like(out))
    return time.perf_counter() - start, time.process_time() - cpu


def measure_conv(repeat: int, threads: int = 1) -> dict:
    x, w = _inputs()
    try:
        import torch  # noqa: PLC0415

        torch.set_num_threads(threads)
    except ImportError:
        torch = None
    for _ in range(3):  # warm up
        time_ours(x, w)
        if torch is not None:
            time_torch(torch, x, w)
    ours, theirs = [], []
    for _ in range(repeat):
        ours += [time_ours(x, w) for _ in range(BLOCK)]
        if torch is not None:
            theirs += [time_torch(torch, x, w) for _ in range(BLOCK)]
    def median(xs: list, which: int) -> float | None:
        return round(statistics.median(x[which] for x in xs) * 1000, 3) if xs else None

    return {"case": "conv", "trace_ms": median(ours, 0), "torch_ms": median(theirs, 0),
            "trace_cpu_ms": median(ours, 1), "torch_cpu_ms": median(theirs, 1),
            "threads": threads}


if __name__ == "__main__":
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 7
    print(json.dumps(measure_conv(repeat)))
