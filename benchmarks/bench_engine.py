"""How long the engine takes to build a full trace, beside micrograd on the same graph.

    python benchmarks/bench_engine.py [--json] [--sizes 100,1000,10000] [--repeat 5]

For each size N a program of N op nodes is generated, one statement per op (mul, add
with a fork, relu, sub, in turn). Three figures, medians of ``--repeat`` runs:

- ``parse_ms``: the text through ``ast.parse`` and the whitelist into statements;
- ``trace_ms``: from those statements to the full trace: the graph with its forward
  values, every local gradient, the backward loop and the step list. This is the
  counterpart of micrograd's forward + backward, whose program Python has already parsed;
- ``total_ms``: both, i.e. what the app spends after the user presses Apply;
- ``micrograd_ms``: micrograd's forward + backward on the same graph (when installed).

Targets (issue 2): ≤ 1 s at 10,000 nodes and within 3× of micrograd; issue 11: within
2× of micrograd at 1,000 and 10,000 nodes, as the median of 7 runs interleaved with
micrograd's (so both see the same machine load).

One more row, ``{"case": "mlp", …}``: a 2-layer MLP, 784→128→10 on a batch of 64 with
cross-entropy. ``trace_ms`` is the full trace (every step; formula texts are built when
read), ``torch_ms`` torch CPU's forward + backward of the same net in its default dtype
(float32), ``torch64_ms`` the same in float64, the engine's own dtype; all medians over
``--repeat`` interleaved blocks of 5 runs each. Target: trace_ms ≤ 3 × torch_ms.

And ``{"case": "conv", …}`` (issue 22, from bench_conv.py): conv2d's forward + VJP on a
64×1×28×28 batch with 8 kernels of 3×3, the op alone beside torch float32. Target: ≤ 3×.

Both engines get the same threads (``--threads``, default 1: numpy's OpenBLAS through
``OPENBLAS_NUM_THREADS``, set before numpy loads, and ``torch.set_num_threads``). On a
2-core machine the two thread pools otherwise spin after their work and steal each
other's cores: whichever ran second timed the other's idle threads, not itself.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path


def _threads(argv: list[str]) -> str:
    """``--threads N`` read before numpy is imported (BLAS reads its variable once)."""
    for i, arg in enumerate(argv):
        if arg == "--threads" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--threads="):
            return arg.split("=", 1)[1]
    return "1"


os.environ.setdefault("OPENBLAS_NUM_THREADS", _threads(sys.argv[1:]))

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.engine.trace import build_trace  # noqa: E402
from core.language.parser import parse  # noqa: E402

N_PARAMS = 10


def program(n_ops: int) -> tuple[str, list[tuple[str, str, int, int]]]:
    """Program text and the same graph as (kind, name, left, right) for micrograd."""
    lines = [f"p{k} = param({0.3 + 0.03 * k})" for k in range(N_PARAMS)]
    lines.append("x = 1.5")
    ops = []
    for i in range(n_ops):
        previous = f"v{i - 1}" if i else "x"
        param = f"p{i % N_PARAMS}"
        kind = ("mul", "add", "relu", "sub")[i % 4]
        if kind == "mul":
            lines.append(f"v{i} = {previous} * {param}")
        elif kind == "add":
            fork = f"v{i - 3}" if i >= 3 else "x"
            lines.append(f"v{i} = {previous} + {fork}")
            param = fork
        elif kind == "relu":
            lines.append(f"v{i} = relu({previous})")
        else:
            lines.append(f"v{i} = {previous} - {param}")
        ops.append((kind, previous, param))
    return "\n".join(lines) + "\n", ops


def time_trace(text: str) -> tuple[float, float]:
    """Seconds to parse, and seconds from the parsed program to the full trace."""
    start = time.perf_counter()
    program_ = parse(text)
    parsed = time.perf_counter()
    trace = build_trace(program_)
    done = time.perf_counter()
    assert len(trace.steps) > 0
    return parsed - start, done - parsed


def time_micrograd(ops) -> float | None:
    try:
        from micrograd.engine import Value
    except ImportError:
        return None
    start = time.perf_counter()
    env = {f"p{k}": Value(0.3 + 0.03 * k) for k in range(N_PARAMS)}
    env["x"] = Value(1.5)
    last = None
    for i, (kind, left, right) in enumerate(ops):
        a = env[left]
        if kind == "mul":
            last = a * env[right]
        elif kind == "add":
            last = a + env[right]
        elif kind == "relu":
            last = a.relu()
        else:
            last = a - env[right]
        env[f"v{i}"] = last
    last.backward()
    return time.perf_counter() - start


BLOCK = 5  # runs per block in the MLP row's interleaving
MLP_TEXT = "h = relu(X @ W1 + b1)\nz = h @ W2 + b2\nloss = F.cross_entropy(z, y)\n"


def mlp_bindings(batch: int = 64, sizes: tuple[int, int, int] = (784, 128, 10)) -> dict:
    from core.engine.graph import Binding  # noqa: PLC0415

    rng = np.random.default_rng(0)
    n_in, n_hidden, n_out = sizes
    return {
        "X": Binding("data", rng.normal(size=(batch, n_in))),
        "W1": Binding("parameter", rng.normal(size=(n_in, n_hidden)) * 0.05),
        "b1": Binding("parameter", np.zeros(n_hidden)),
        "W2": Binding("parameter", rng.normal(size=(n_hidden, n_out)) * 0.1),
        "b2": Binding("parameter", np.zeros(n_out)),
        "y": Binding("data", rng.integers(0, n_out, batch).astype(np.float64)),
    }


def time_mlp_torch(bindings: dict, dtype_name: str) -> float | None:
    try:
        import torch  # noqa: PLC0415
    except ImportError:
        return None
    dtype = getattr(torch, dtype_name)
    leaves = {k: torch.tensor(b.value, dtype=dtype, requires_grad=b.role == "parameter")
              for k, b in bindings.items() if k != "y"}
    labels = torch.tensor(bindings["y"].value.astype(np.int64))
    start = time.perf_counter()
    hidden = torch.relu(leaves["X"] @ leaves["W1"] + leaves["b1"])
    loss = torch.nn.functional.cross_entropy(hidden @ leaves["W2"] + leaves["b2"], labels)
    loss.backward()
    return time.perf_counter() - start


def measure_mlp(repeat: int, threads: int = 1) -> dict:
    try:
        import torch  # noqa: PLC0415

        torch.set_num_threads(threads)
    except ImportError:
        pass
    bindings = mlp_bindings()
    program_ = parse(MLP_TEXT)
    for _ in range(2):  # warm up BLAS and torch's allocator
        build_trace(program_, bindings)
        time_mlp_torch(bindings, "float32")
    ours, theirs, theirs64 = [], [], []
    for _ in range(repeat):
        # interleaved in short blocks: numpy's BLAS threads and torch's OpenMP threads
        # each spin a while after their work, so strict alternation would time the two
        # thread pools fighting over the cores instead of either engine
        for _ in range(BLOCK):
            start = time.perf_counter()
            trace = build_trace(program_, bindings)
            ours.append(time.perf_counter() - start)
        assert len(trace.steps) > 0
        theirs += [time_mlp_torch(bindings, "float32") for _ in range(BLOCK)]
        theirs64 += [time_mlp_torch(bindings, "float64") for _ in range(BLOCK)]

    def ms(xs: list) -> float | None:
        return None if xs[0] is None else round(statistics.median(xs) * 1000, 3)

    return {"case": "mlp", "trace_ms": ms(ours), "torch_ms": ms(theirs),
            "torch64_ms": ms(theirs64), "threads": threads}


def measure(sizes: list[int], repeat: int) -> list[dict]:
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 100_000))  # micrograd's topological sort recurses
    results = []
    for n in sizes:
        text, ops = program(n)
        runs, micro = [], []
        for _ in range(repeat):  # interleaved: both see the same load
            runs.append(time_trace(text))
            micro.append(time_micrograd(ops))
        parse_s = statistics.median(r[0] for r in runs)
        trace_s = statistics.median(r[1] for r in runs)
        total_s = statistics.median(r[0] + r[1] for r in runs)
        micro_s = None if micro[0] is None else statistics.median(micro)
        results.append({
            "nodes": n,
            "trace_ms": round(trace_s * 1000, 2),
            "parse_ms": round(parse_s * 1000, 2),
            "total_ms": round(total_s * 1000, 2),
            "micrograd_ms": None if micro_s is None else round(micro_s * 1000, 2),
        })
    sys.setrecursionlimit(limit)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print a JSON list")
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--no-mlp", action="store_true", help="skip the MLP row")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads for numpy's BLAS and for torch (the MLP row)")
    args = parser.parse_args(argv)
    results = measure([int(s) for s in args.sizes.split(",")], max(1, args.repeat))
    mlp = None if args.no_mlp else measure_mlp(max(1, args.repeat), max(1, args.threads))
    conv = None
    if not args.no_mlp:
        from bench_conv import measure_conv  # noqa: PLC0415 - beside this file

        conv = measure_conv(max(1, args.repeat), max(1, args.threads))
    if args.json:
        print(json.dumps(results + ([mlp] if mlp else []) + ([conv] if conv else [])))
        return 0
    print(f"{'nodes':>7} {'parse ms':>9} {'trace ms':>9} {'total ms':>9} {'micrograd ms':>13}"
          f" {'trace/micrograd':>16}")
    for r in results:
        if "case" in r:
            print(json.dumps(r))
            continue
        micro = r["micrograd_ms"]
        ratio = f"{r['trace_ms'] / micro:.2f}×" if micro else "—"
        print(f"{r['nodes']:>7} {r['parse_ms']:>9.1f} {r['trace_ms']:>9.1f} {r['total_ms']:>9.1f}"
              f" {micro if micro else '—':>13} {ratio:>16}")
    if mlp:
        print(f"mlp 784→128→10, batch 64: trace {mlp['trace_ms']} ms, torch {mlp['torch_ms']} ms"
              f" (float32), {mlp['torch64_ms']} ms (float64)")
    if conv:
        print(f"conv2d 64×1×28×28, 8 kernels 3×3, forward + VJP: ours {conv['trace_ms']} ms, "
              f"torch {conv['torch_ms']} ms (float32)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
