"""Programs that ask for too much (issue 21): refused by the work budget before computing,
a MemoryError is exit 2 with one line, and a torch check that could not run says so.

The out-of-memory cases run the real command line in a child whose address space is
capped with RLIMIT_AS, so allocations really fail.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.base.memory import could_not_run, out_of_memory
from core.checks.torch_check import TorchReport
from core.engine.graph import MAX_GRAPH_ENTRIES
from core.engine.trace import build_trace
from core.language.parser import ExpressionError

ROOT = Path(__file__).resolve().parents[2]
#: runs main.py under an address-space cap (MB), with one BLAS/OpenMP thread
CAPPED = """
import os, resource, runpy, sys
limit = int(sys.argv[1]) * 2 ** 20
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
sys.path.insert(0, os.getcwd())
sys.argv = ["main.py", *sys.argv[2:]]
runpy.run_path("main.py", run_name="__main__")
"""


def chain_of_matrices(n_ops: int, rows: int = 1000) -> str:
    lines = [f"w = torch.ones({rows}, 1000, requires_grad=True)", "v0 = w * 2"]
    lines += [f"v{i} = tanh(v{i - 1})" for i in range(1, n_ops - 1)]
    lines.append(f"loss = sum(v{n_ops - 2})")
    return "\n".join(lines) + "\n"


def capped(mb: int, *args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1",
               MKL_NUM_THREADS="1")
    return subprocess.run([sys.executable, "-c", CAPPED, str(mb), "--headless", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_a_graph_over_the_budget_is_refused_before_computing():
    text = chain_of_matrices(60)                 # 60 results of 10⁶ entries
    start = time.perf_counter()
    with pytest.raises(ExpressionError) as caught:
        build_trace(text)
    took = time.perf_counter() - start
    message = str(caught.value)
    assert f"more than {MAX_GRAPH_ENTRIES:,} numbers" in message
    assert "51,000,000" in message               # where it crossed: the 51st result
    assert caught.value.line == 52
    assert took < 1.0                            # nothing was computed


def test_the_budget_counts_each_results_entries(monkeypatch):
    import core.engine.forward_pass

    monkeypatch.setattr(core.engine.forward_pass, "MAX_GRAPH_ENTRIES", 50 * 100 * 1000 + 1)
    build_trace(chain_of_matrices(51, rows=100))     # 50 results of 10⁵ and a sum: within
    with pytest.raises(ExpressionError, match="5,100,000"):
        build_trace(chain_of_matrices(52, rows=100))


def test_the_command_line_refuses_it_with_exit_2(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text(chain_of_matrices(60))
    result = subprocess.run([sys.executable, "main.py", "--headless", "--no-torch",
                             "--expr-file", str(path)], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "more than 50,000,000 numbers" in result.stderr


def test_memory_error_is_exit_2_with_one_line(tmp_path):
    path = tmp_path / "forty.txt"
    path.write_text(chain_of_matrices(40))        # 4·10⁷ entries: within the budget
    result = capped(700, "--expr-file", str(path), "--no-torch", tmp_path=tmp_path)
    assert result.returncode == 2, result.stderr[-2000:]
    assert result.stderr.startswith("error: this program needs more memory than it could "
                                    "get")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_a_torch_check_out_of_memory_is_a_warning_and_exit_0(tmp_path):
    path = tmp_path / "twenty.txt"
    path.write_text(chain_of_matrices(20))
    result = capped(1100, "--expr-file", str(path), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "warning: the PyTorch check could not run: out of memory" in result.stderr
    assert "PyTorch check: not available (out of memory" in result.stdout


def test_a_torch_that_could_not_load_is_said_in_text_and_json(tmp_path):
    args = ("--expr", "loss = (w * 3 - 2) ** 2", "--param", "w=1")
    result = capped(400, *args, "--json", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads(result.stdout)
    assert data["torch"]["available"] is False and data["torch"]["match"] is None
    assert data["torch"]["error"].startswith("PyTorch could not be loaded")
    warning = f"the PyTorch check could not run: {data['torch']['error']}"
    assert warning in data["warnings"]
    assert f"warning: {warning}" in result.stderr.splitlines()
    assert data["grads"]["w"] == 6.0
    text = capped(400, *args, tmp_path=tmp_path)
    assert text.returncode == 0
    assert "warning: the PyTorch check could not run" in text.stderr


def test_torchs_own_allocation_failure_counts_as_out_of_memory():
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError) as caught:
        torch.empty(10 ** 13)                   # 40 TB
    assert out_of_memory(caught.value)
    assert not out_of_memory(RuntimeError("mat1 and mat2 shapes cannot be multiplied"))
    report = could_not_run(TorchReport(True, match=False), caught.value)
    assert (report.available, report.match) == (False, None)
    assert report.error == "out of memory (PyTorch could not allocate 40,000,000,000,000 bytes)"
