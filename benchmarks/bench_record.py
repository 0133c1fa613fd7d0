"""The recorder's overhead: a recorded run against the plain run (issue 20 §2).

    python benchmarks/bench_record.py [--json] [--repeats 3] [--passes 100]

Rows ``{"case", "plain_ms", "recorded_ms", "ratio", "kept_mb"}``, each a median over
``--repeats`` runs:

* ``mlp`` - a 784→100→10 MLP, batch 100, ``--passes`` SGD passes on synthetic data from
  a seeded generator, as whole processes: ``python FILE`` against
  ``main.py --headless --run FILE --json`` (issue 20's bound: 1.5×);
* ``nn-linear-lesson`` - resources/examples/lessons/12-regression-nn-linear.py, the same
  two commands;
* ``mlp-loop`` - the same script's run alone, in this process (torch already imported):
  ``runpy`` plain against ``runpy`` under the recorder (bound: 2.5×).

``--cpu`` times CPU (user + system, all threads, the parent and the child of a recorded
run together) instead of the wall clock: steadier while other work shares the machine.
``kept_mb`` is what the recorder wrote (the kept passes' tensors and JSON), from a run of
the bootstrap itself into a folder this benchmark reads. The machine is shared: give
``uptime`` with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import runpy
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MLP = """\
import torch
import torch.nn as nn

generator = torch.Generator().manual_seed(0)
X = torch.randn(100, 784, generator=generator)
y = torch.randint(0, 10, (100,), generator=generator)
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(784, 100), nn.ReLU(), nn.Linear(100, 10))
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range({passes}):
    optimizer.zero_grad()
    loss = loss_fn(model(X), y)
    loss.backward()
    optimizer.step()
print(f"loss {{loss.item():.4f}}")
"""
LESSON = ROOT / "resources" / "examples" / "lessons" / "12-regression-nn-linear.py"
BOOTSTRAP = ROOT / "core" / "record" / "bootstrap.py"


CPU = False  # --cpu: CPU time (user + system, every thread) instead of the wall clock


def _timed(cmd: list[str], cwd: Path) -> float:
    """Milliseconds of the command: wall clock, or with --cpu its CPU time and its
    children's (the recorded run's parent and child together)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stdin=subprocess.DEVNULL)
    if not CPU:
        return (time.perf_counter() - start) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000


def _clock() -> float:
    return time.process_time() if CPU else time.perf_counter()


def kept_mb(path: Path) -> float:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "record"
        subprocess.run([sys.executable, str(BOOTSTRAP), "--out", str(out), str(path)],
                       cwd=path.parent, check=True, stdout=subprocess.DEVNULL,
                       stdin=subprocess.DEVNULL)
        size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    return round(size / 2**20, 2)


def whole_process(case: str, path: Path, repeats: int) -> dict:
    plain = [_timed([sys.executable, path.name], path.parent) for _ in range(repeats)]
    recorded = [_timed([sys.executable, str(ROOT / "main.py"), "--headless", "--run",
                        str(path), "--json"], path.parent) for _ in range(repeats)]
    p, r = statistics.median(plain), statistics.median(recorded)
    return {"case": case, "plain_ms": round(p), "recorded_ms": round(r),
            "ratio": round(r / p, 2), "kept_mb": kept_mb(path)}


def loop_alone(path: Path, repeats: int) -> dict:
    """The script run twice in this process: plain, then under the recorder."""
    from core.record import bootstrap  # noqa: PLC0415 - imports torch

    devnull = open(os.devnull, "w")  # noqa: SIM115 - the script's prints, for both runs
    plain, recorded, kept = [], [], 0.0
    real = sys.stdout
    for _ in range(repeats):
        sys.stdout = devnull
        try:
            start = _clock()
            runpy.run_path(str(path), run_name="__main__")
            plain.append((_clock() - start) * 1000)
            with tempfile.TemporaryDirectory() as folder:
                start = _clock()
                rec, finish = bootstrap.install(str(path), folder, set(), 200, 1_000_000)
                try:
                    with rec:
                        runpy.run_path(str(path), run_name="__main__")
                finally:
                    finish()
                recorded.append((_clock() - start) * 1000)
                kept = rec.writer.used / 2**20
        finally:
            sys.stdout = real
    devnull.close()
    p, r = statistics.median(plain), statistics.median(recorded)
    return {"case": "mlp-loop", "plain_ms": round(p), "recorded_ms": round(r),
            "ratio": round(r / p, 2), "kept_mb": round(kept, 2)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--passes", type=int, default=100)
    parser.add_argument("--cases", nargs="*", default=["mlp", "nn-linear-lesson", "mlp-loop"])
    parser.add_argument("--cpu", action="store_true",
                        help="CPU time instead of the wall clock (steadier on a busy machine)")
    args = parser.parse_args(argv)
    global CPU  # noqa: PLW0603 - one switch for the timers
    CPU = args.cpu
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        mlp = Path(folder) / "mlp.py"
        mlp.write_text(MLP.format(passes=args.passes))
        if "mlp" in args.cases:
            rows.append(whole_process("mlp", mlp, args.repeats))
        if "nn-linear-lesson" in args.cases:
            rows.append(whole_process("nn-linear-lesson", LESSON, args.repeats))
        if "mlp-loop" in args.cases:
            rows.append(loop_alone(mlp, args.repeats))
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        for row in rows:
            print(f"{row['case']:18} plain {row['plain_ms']:7} ms  recorded "
                  f"{row['recorded_ms']:7} ms  ×{row['ratio']:<5} kept {row['kept_mb']} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
