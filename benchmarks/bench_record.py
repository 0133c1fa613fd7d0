"""The recorder's overhead: a recorded run against the plain run (issue 20 §2).

    python benchmarks/bench_record.py [--json] [--repeats 3] [--loop-repeats 11] [--passes 100]

Rows ``{"case", "plain_ms", "recorded_ms", "ratio", "kept_mb"}``, each a median over
``--repeats`` runs:

* ``mlp`` - a 784→100→10 MLP, batch 100, ``--passes`` SGD passes on synthetic data from
  a seeded generator, as whole processes: ``python FILE`` against
  ``main.py --headless --run FILE --json`` (issue 20's bound: 1.5×);
* ``nn-linear-lesson`` - resources/examples/lessons/12-regression-nn-linear.py, the same
  two commands;
* ``mlp-loop`` - the same script's run alone, in this process (torch already imported):
  ``runpy`` plain against ``runpy`` under the recorder (bound: 2.5×). Always CPU time (this
  process's, every thread), ``--loop-repeats`` pairs (default 11) in ABBA order, a
  collection before each run; ``ratio`` is the median of each pair's ratio (a pair shares
  the machine's load), ``ratios`` all of them, sorted.

``--threads N`` runs torch with N threads in every run (``torch.set_num_threads`` here,
``OMP_NUM_THREADS`` for the processes): on a machine other work shares, torch's spinning
worker threads make multi-threaded timings noise. Plain and recorded runs are interleaved.
``--cpu`` times CPU (user + system, all threads, the parent and the child of a recorded
run together) instead of the wall clock: steadier while other work shares the machine.
``kept_mb`` is what the recorder wrote (the kept passes' tensors and JSON), from a run of
the bootstrap itself into a folder this benchmark reads. The machine is shared: give
``uptime`` with the figures.
"""

from __future__ import annotations

import argparse
import gc
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
                   stdin=subprocess.DEVNULL, env=_env())
    if not CPU:
        return (time.perf_counter() - start) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000


THREADS = 0  # --threads: torch's threads in every run (0: torch's default)


def _env() -> dict:
    env = dict(os.environ)
    if THREADS:
        env["OMP_NUM_THREADS"] = env["MKL_NUM_THREADS"] = str(THREADS)
    return env


def kept_mb(path: Path) -> float:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "record"
        subprocess.run([sys.executable, str(BOOTSTRAP), "--out", str(out), str(path)],
                       cwd=path.parent, check=True, stdout=subprocess.DEVNULL,
                       stdin=subprocess.DEVNULL, env=_env())
        size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    return round(size / 2**20, 2)


def whole_process(case: str, path: Path, repeats: int) -> dict:
    """Plain and recorded runs interleaved, so both see the same load."""
    plain, recorded = [], []
    for _ in range(repeats):
        plain.append(_timed([sys.executable, path.name], path.parent))
        recorded.append(_timed([sys.executable, str(ROOT / "main.py"), "--headless", "--run",
                                str(path), "--json"], path.parent))
    p, r = statistics.median(plain), statistics.median(recorded)
    return {"case": case, "plain_ms": round(p), "recorded_ms": round(r),
            "ratio": round(r / p, 2), "kept_mb": kept_mb(path)}


def loop_alone(path: Path, repeats: int) -> dict:
    """The script run in this process, plain and under the recorder, in pairs."""
    import torch  # noqa: PLC0415 - only this case runs torch here

    from core.record import bootstrap  # noqa: PLC0415

    if THREADS:
        torch.set_num_threads(THREADS)

    devnull = open(os.devnull, "w")  # noqa: SIM115 - the script's prints, for both runs
    plain, recorded, kept = [], [], 0.0
    real = sys.stdout

    def run_plain() -> float:
        gc.collect()
        start = time.process_time()
        runpy.run_path(str(path), run_name="__main__")
        return (time.process_time() - start) * 1000

    def run_recorded() -> float:
        with tempfile.TemporaryDirectory() as folder:
            gc.collect()
            start = time.process_time()
            rec, finish = bootstrap.install(str(path), folder, set(), 200, 1_000_000)
            try:
                with rec:
                    runpy.run_path(str(path), run_name="__main__")
            finally:
                finish()
            took = (time.process_time() - start) * 1000
            nonlocal kept
            kept = rec.writer.used / 2**20
        return took

    sys.stdout = devnull
    try:  # once each untimed: torch's first optimizer step imports a few seconds' worth
        runpy.run_path(str(path), run_name="__main__")
        run_recorded()
        for i in range(repeats):  # ABBA: neither run always goes first
            if i % 2:
                recorded.append(run_recorded())
                plain.append(run_plain())
            else:
                plain.append(run_plain())
                recorded.append(run_recorded())
    finally:
        sys.stdout = real
    devnull.close()
    ratios = sorted(round(r / p, 2) for p, r in zip(plain, recorded, strict=True))
    return {"case": "mlp-loop", "plain_ms": round(statistics.median(plain)),
            "recorded_ms": round(statistics.median(recorded)),
            "ratio": round(statistics.median(ratios), 2), "kept_mb": round(kept, 2),
            "ratios": ratios}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--loop-repeats", type=int, default=11,
                        help="pairs of in-process runs (mlp-loop)")
    parser.add_argument("--passes", type=int, default=100)
    parser.add_argument("--cases", nargs="*", default=["mlp", "nn-linear-lesson", "mlp-loop"])
    parser.add_argument("--cpu", action="store_true",
                        help="CPU time instead of the wall clock (steadier on a busy machine)")
    parser.add_argument("--threads", type=int, default=0,
                        help="torch's threads in every run (default: torch's own choice)")
    args = parser.parse_args(argv)
    global CPU, THREADS  # noqa: PLW0603 - switches for the timers and the runs
    CPU, THREADS = args.cpu, args.threads
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        mlp = Path(folder) / "mlp.py"
        mlp.write_text(MLP.format(passes=args.passes))
        if "mlp" in args.cases:
            rows.append(whole_process("mlp", mlp, args.repeats))
        if "nn-linear-lesson" in args.cases:
            rows.append(whole_process("nn-linear-lesson", LESSON, args.repeats))
        if "mlp-loop" in args.cases:
            rows.append(loop_alone(mlp, args.loop_repeats))
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        for row in rows:
            print(f"{row['case']:18} plain {row['plain_ms']:7} ms  recorded "
                  f"{row['recorded_ms']:7} ms  ×{row['ratio']:<5} kept {row['kept_mb']} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
