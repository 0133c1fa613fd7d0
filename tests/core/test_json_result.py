"""The compact JSON (issue 21): each value and gradient once, verdicts instead of copies;
``--json-full`` keeps every number."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from core.engine.trace import build_trace
from core.io.cli import result_json
from core.io.json_result import STEP_ENTRIES, numeric_verdicts, torch_verdicts

ROOT = Path(__file__).resolve().parents[2]


def vector_through_997_ops() -> str:
    """A 1,000-element parameter through 996 element-wise ops and a sum (997 ops); the
    ops neither contract nor blow up, so every node's numbers stay distinct."""
    values = np.random.default_rng(0).uniform(-1, 1, 1000)
    lines = ["w = param([" + ", ".join(f"{v:.6f}" for v in values) + "])", "v0 = sin(w)"]
    ops = ["v{p} * 1.001", "v{p} + 0.25", "v{p} * 0.999", "v{p} - 0.25"]
    lines += [f"v{i} = " + ops[i % 4].format(p=i - 1) for i in range(1, 996)]
    lines.append("loss = sum(v995)")
    return "\n".join(lines) + "\n"


def headless(*args: str) -> tuple[subprocess.CompletedProcess, float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "main.py", "--headless", *args], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return result, wall, cpu


def test_a_1000_element_vector_through_997_ops_is_at_most_45_mb(tmp_path):
    path = tmp_path / "v997.txt"
    path.write_text(vector_through_997_ops())
    result, wall, cpu = headless("--expr-file", str(path), "--json")
    assert result.returncode == 0, result.stderr[-2000:]
    size_mb = len(result.stdout.encode()) / 2 ** 20
    print(f"\n997 ops: {size_mb:.1f} MB of JSON, {wall:.1f} s wall, {cpu:.1f} s CPU")
    assert size_mb <= 45
    # a guard against a pathological slowdown (a quadratic writer takes minutes), not a
    # speed target (those live in benchmarks/): 2.5 s of CPU on a good day here, 7.2 s
    # on a day the same machine ran 2.5x slower (torch's import 2.3 s instead of 0.9 s)
    assert cpu < 30                      # CPU, not wall: the machine is shared
    data = json.loads(result.stdout)
    assert data["torch"]["match"] is True
    arrays = list(data["values"].values()) + list(data["grads"].values())
    for key in ("values", "grads"):                       # each value and gradient once
        for name in ("w", "v500"):
            same = sum(array == data[key][name] for array in arrays)  # (x + c: same grad)
            whole = json.dumps(data[key][name], separators=(",", ":"))
            assert result.stdout.count(whole[1:-1]) == same, (key, name)
    assert data["torch"]["values"]["v500"] == {"match": True}
    step = next(s for s in data["steps"] if s["target"] == "v500")
    assert step["value"]["see"] == "values"
    assert step["value"]["shape"] == [1000]
    assert step["value"]["min"] == min(data["values"]["v500"])
    assert step["value"]["mean"] == pytest.approx(np.mean(data["values"]["v500"]))
    back = next(s for s in data["steps"] if s["target"] == "∂loss/∂v500")
    assert back["value"]["see"] == "grads"


def test_steps_keep_small_values_whole():
    trace = build_trace(f"w = param([{', '.join(['0.5'] * STEP_ENTRIES)}])\n"
                        "loss = sum(w * w)\n")
    steps = result_json(trace, {}, None, full=False)["steps"]
    assert steps[0]["value"] == [0.25] * STEP_ENTRIES


def test_torch_verdicts_list_only_the_entries_beyond_tolerance():
    from core.checks.torch_check import compare

    trace = build_trace("w = param([1.0, 2.0, 3.0])\nh = w * w\nloss = sum(h)\n")
    ours = {k: np.array(v, copy=True) for k, v in trace.grads.items()}
    h = trace.graph.names["h"]
    w = trace.graph.names["w"]
    ours[w][1] += 1e-3                   # our gradient of w, off in one entry
    report = compare(trace.graph, ours, with_numeric=False)
    grads = torch_verdicts(report, "grad")
    assert report.match is False
    assert grads["w"] == {"match": False, "differs": [
        {"index": [1], "ours": 4.001, "torch": 4.0}]}
    assert grads["h"] == {"match": True}
    assert torch_verdicts(report, "value")["h"] == {"match": True}
    assert h in trace.grads


def test_numeric_verdicts_name_the_entries_that_disagree(tmp_path):
    args = ("--expr", "w = param([2.0, 4.0])\nloss = sum(exp(exp(w)))")
    compact, _, _ = headless(*args, "--json")
    full, _, _ = headless(*args, "--json-full")
    data, whole = json.loads(compact.stdout), json.loads(full.stdout)
    numeric = whole["numeric_grads"]["w"]
    ours = whole["grads"]["w"]
    assert not np.isclose(ours[0], numeric[0], rtol=1e-4, atol=1e-6)
    assert np.isclose(ours[1], numeric[1], rtol=1e-4, atol=1e-6)
    assert data["numeric_grads"]["w"] == {"match": False, "differs": [
        {"index": [0], "ours": ours[0], "numeric": numeric[0]}]}
    assert numeric_verdicts({"w": None}, {}) == {"w": None}
