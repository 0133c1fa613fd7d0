"""The script runner's own cost (issue 21): a script through ``run_script`` vs plain Python.

    python benchmarks/bench_runner.py [--json] [--repeat 5]

Rows (medians of ``--repeat`` runs, milliseconds of wall time, and the parent's CPU):

- ``empty``: ``pass`` under plain Python, and through the runner (bootstrap included);
- ``print 200,000 lines``: output through the reader thread and the bounds;
- ``sleep 2 s``: a long quiet run, for the monitor's polling cost (parent CPU per second);
- ``stop``: from ``stop()`` to ``wait()`` returning, a setsid'd grandchild included.

Uses core/record/bootstrap.py when it exists, else the tests' stand-in (same command line).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.record.runner import BOOTSTRAP, RunLimits, ScriptRun  # noqa: E402

STANDIN = ROOT / "tests" / "core" / "record" / "standin_bootstrap.py"
SCRIPTS = {
    "empty": "pass\n",
    "print 200,000 lines": "for i in range(200_000):\n    print('line', i)\n",
    "sleep 2 s": "import time\ntime.sleep(2)\n",
}
STOPPER = """import os, time
if os.fork() == 0:
    os.setsid()
    while True:
        time.sleep(0.05)
print('started', flush=True)
while True:
    time.sleep(0.05)
"""


def _cpu() -> float:
    return time.process_time()


def _runner(path: Path, boot: Path) -> tuple[float, float]:
    start, cpu = time.perf_counter(), _cpu()
    run = ScriptRun(path, bootstrap=boot, limits=RunLimits(timeout_s=60, memory_mb=2000),
                    workdir=path.parent / "record")
    run.start()
    run.wait()
    return (time.perf_counter() - start) * 1000, (_cpu() - cpu) * 1000


def _plain(path: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, str(path)], stdout=subprocess.DEVNULL, check=True)
    return (time.perf_counter() - start) * 1000


def _stop(folder: Path, boot: Path) -> float:
    folder.mkdir()
    path = folder / "stopper.py"
    path.write_text(STOPPER)
    started = threading.Event()
    run = ScriptRun(path, bootstrap=boot, on_stdout=lambda line: started.set(),
                    workdir=folder / "stop-record")
    run.start()
    started.wait(30)
    time.sleep(0.2)
    asked = time.perf_counter()
    run.stop()
    run.wait()
    return (time.perf_counter() - asked) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    boot = BOOTSTRAP if BOOTSTRAP.exists() else STANDIN
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in SCRIPTS.items():
            path = Path(tmp) / name.replace(" ", "_").replace(",", "") / "script.py"
            path.parent.mkdir()
            path.write_text(text)
            plain = [_plain(path) for _ in range(args.repeat)]
            ours = [_runner(path, boot) for _ in range(args.repeat)]
            rows[name] = {"plain_ms": statistics.median(plain),
                          "runner_ms": statistics.median(w for w, _ in ours),
                          "parent_cpu_ms": statistics.median(c for _, c in ours)}
        stops = [_stop(Path(tmp) / f"stop{i}", boot) for i in range(args.repeat)]
        rows["stop"] = {"latency_ms": statistics.median(stops), "max_ms": max(stops)}
    rows["bootstrap"] = str(boot.relative_to(ROOT))
    if args.json:
        print(json.dumps(rows, indent=1))
        return
    for name, row in rows.items():
        print(f"{name:>22}: {row}")


if __name__ == "__main__":
    main()
