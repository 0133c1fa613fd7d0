"""Size limits (issue 6): how long the biggest programs take, and how fast a refusal is.

    python benchmarks/bench_limits.py [--json] [--repeat 3]

Rows (medians of ``--repeat`` runs, milliseconds):

- ``trace 20,000`` / ``trace 50,000``: text → full trace for a chain of that many nodes
  (a fork, a parameter and a relu every few lines), as the app does after Apply;
- ``refuse 50,001``: the same up to the ExpressionError for one node too many;
- ``cli 20,000``: ``python main.py --headless --no-torch --json`` on the 20,000-node
  program in a fresh process (start-up, tables as JSON and all).

The GUI's threshold for moving work off its thread is ~200 ms (issue 6).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.engine.trace import build_trace  # noqa: E402
from core.language.parser import ExpressionError  # noqa: E402


def chain(n_nodes: int) -> str:
    """Two leaves, then one operation per line: n_nodes nodes in all."""
    lines = ["w = param(0.5)", "x = 1.5", "v0 = x * w"]
    for i in range(1, n_nodes - 2):
        op = ("v{p} + w", "relu(v{p})", "v{p} * w", "v{p} - x")[i % 4]
        lines.append(f"v{i} = " + op.format(p=i - 1))
    return "\n".join(lines) + "\n"


def timed(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs) * 1000


def refuse(text: str) -> None:
    try:
        build_trace(text)
    except ExpressionError:
        return
    raise AssertionError("expected the node limit")


def cli(text: str) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(text)
    try:
        subprocess.run([sys.executable, str(ROOT / "main.py"), "--headless", "--no-torch",
                        "--json", "--expr-file", handle.name], check=True,
                       stdout=subprocess.DEVNULL)
    finally:
        Path(handle.name).unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    repeat = max(1, args.repeat)
    t20, t50, t51 = chain(20_000), chain(50_000), chain(50_001)
    rows = {
        "trace 20,000": timed(lambda: build_trace(t20), repeat),
        "trace 50,000": timed(lambda: build_trace(t50), repeat),
        "refuse 50,001": timed(lambda: refuse(t51), repeat),
        "cli 20,000": timed(lambda: cli(t20), repeat),
    }
    if args.json:
        print(json.dumps({k: round(v, 1) for k, v in rows.items()}))
    else:
        for name, ms in rows.items():
            print(f"{name:>15}  {ms:9.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
