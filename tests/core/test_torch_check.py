"""The torch comparison, the generated PyTorch code (run for real), and import isolation."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from core.engine.trace import build_trace
from core.io.examples import LESSON_TEXT, lesson_bindings
from tests.core import forked

torch_check = pytest.importorskip("core.checks.torch_check")
pytest.importorskip("torch")

from core.checks.torch_check import (  # noqa: E402
    compare,
    generate_code,
    printed_output,
    python_names,
    same,
)

PROGRAMS = {
    "lesson-pasted": None,  # filled from the fixture below
    "vectors": "w = param([0.5, -1.0, 2.0])\nx = [1.0, 2.0, 3.0]\nb = param(0.25)\n"
               "y = w * x + b\nloss = mean((y - 1) ** 2)",
    "rebinding": "w = param(1.0)\nw += 1\nc = w * 2\nc = c + 1\nc *= c\nloss = c - w",
    "constants": "w = param(2.0)\nloss = 3 * w ** 2 - 0.5 / w + sum([1.0, 2.0] * w) + 2 ** 3",
    "maximum-with-constant": "w = param(-1.5)\nv = param([1.0, -2.0, 3.0])\n"
                             "loss = max(w, 0.0) + sum(min(v, 1.0)) + max(2.0, w)",
    "functions": "a = param(0.7)\nloss = exp(a) + log(a) + sqrt(a) + sin(a) * cos(a) + "
                 "tanh(a) + sigmoid(a) + relu(a) + abs(-a) + a ** 0.5 + a ** -1 + a.pow(3)",
    "reductions-with-ties": "v = param([3.0, 1.0, 3.0])\n"
                            "loss = max(v) + min(v) + v.sum() + v.mean()",
    "unused-parameter": "w = param(1.0)\nu = param(2.0)\nloss = w * 3",
    "no-parameter": "x = 2.0\ny = x * 3",
    "name-clash": "c_1 = param(1.0)\nc = c_1 * 2\nc = c + 1",
    "alias": "w = param(2.0)\nv = w\nloss = v * v",
    "bare-expression": "w = param(1.5)\n(w - 2) ** 2",
    "variable-exponent": "a = param(2.0)\nb = param(0.5)\nloss = a ** b + b ** a",
    "negation": "w = param(2.0)\nloss = -w * -3 + (-w) ** 2",
    "torch-spelling": "import torch\nx = torch.tensor([1.0, 2.0])\n"
                      "w = torch.tensor([0.5, 0.5], requires_grad=True)\n"
                      "z = torch.sigmoid(w * x).sum()\nz.backward()\nprint(w.grad)",
}


def _run(code: str, cwd, *args) -> subprocess.CompletedProcess:
    """``python -c CODE`` forked from the warm zygote (tests/core/forked.py)."""
    return forked.python_code(code, *args, cwd=cwd, timeout=120)


#: Runs several generated programs in one process, each in its own namespace with its own
#: stdout; prints them as JSON (the programs in the JSON file named by argv[1]).
_BATCH = """
import contextlib, io, json, sys, traceback
import torch
codes = json.loads(open(sys.argv[1], encoding="utf-8").read())
out = {}
for name, code in codes.items():
    buffer = io.StringIO()
    status = 0
    with contextlib.redirect_stdout(buffer):
        try:
            exec(compile(code, name, "exec"), {"__name__": "__main__"})
        except Exception:
            status = 1
            traceback.print_exc(file=sys.stderr)
    out[name] = [status, buffer.getvalue()]
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def runs(tmp_path_factory, lesson_torch_code):
    """Every program's generated code, run in a Python process of its own (forked from
    the warm zygote).

    The lesson's two run on their own, exactly as a learner would paste them; the other
    programs share one interpreter, each in a fresh namespace.
    """
    cwd = tmp_path_factory.mktemp("generated")
    texts = dict(PROGRAMS, **{"lesson-pasted": lesson_torch_code})
    traces = {"lesson": build_trace(LESSON_TEXT, lesson_bindings())}
    traces.update({name: build_trace(text) for name, text in texts.items()})
    codes = {name: generate_code(t.graph) for name, t in traces.items()}
    alone = ["lesson", "lesson-pasted"]
    batch = {name: code for name, code in codes.items() if name not in alone}
    with ThreadPoolExecutor(max_workers=3) as pool:
        singles = {name: pool.submit(_run, codes[name], cwd) for name in alone}
        (cwd / "batch.json").write_text(json.dumps(batch), encoding="utf-8")
        shared = pool.submit(_run, _BATCH, cwd, cwd / "batch.json")
        done = {name: future.result() for name, future in singles.items()}
        result = shared.result()
    assert result.returncode == 0, result.stderr
    for name, (status, stdout) in json.loads(result.stdout).items():
        done[name] = subprocess.CompletedProcess([name], status, stdout, result.stderr)
    return {name: (traces[name], codes[name], done[name]) for name in codes}


# ---- the lesson ----------------------------------------------------------------------


def test_lesson_generated_code_prints_what_the_lesson_prints(runs, lesson_printed):
    trace, code, result = runs["lesson"]
    assert result.returncode == 0, result.stderr
    assert result.stdout == lesson_printed
    assert result.stdout == "tensor(1., grad_fn=<PowBackward0>)\ntensor(-2.)\n"
    assert printed_output(trace.graph) == lesson_printed


def test_lesson_generated_code_reads_like_the_lesson(runs):
    _, code, _ = runs["lesson"]
    lines = code.splitlines()
    assert lines[0] == "import torch"
    assert "w = torch.tensor(1.0, requires_grad=True)" in lines
    assert "x = torch.tensor(1.0)" in lines and "y = torch.tensor(2.0)" in lines
    assert "y_hat = w * x" in lines
    assert "s = y_hat - y" in lines
    assert "loss = s ** 2" in lines  # the literal exponent stays literal
    assert "loss.backward()" in lines and "print(w.grad)" in lines
    assert "float64" not in code and "dtype" not in code  # torch's default dtype


def test_pasted_lesson_code_runs_to_the_same_output(runs, lesson_printed):
    trace, code, result = runs["lesson-pasted"]
    assert result.returncode == 0, result.stderr
    assert result.stdout == lesson_printed
    assert "loss = (y_hat - y) ** 2" in code.splitlines()


def test_lesson_comparison(lesson_trace):
    report = compare(lesson_trace.graph, lesson_trace.grads)
    assert report.available and report.match is True and report.error is None
    assert report.mismatches == []
    assert {k: float(v) for k, v in report.values.items()} == {
        "w": 1.0, "x": 1.0, "y_hat": 1.0, "y": 2.0, "s": -1.0, "loss": 1.0}
    assert {k: float(v) for k, v in report.grads.items()} == {
        "w": -2.0, "y_hat": -2.0, "s": -2.0, "loss": 1.0}
    assert report.grad_fns == [("loss", "PowBackward0"), ("s", "SubBackward0"),
                               ("y_hat", "MulBackward0"), ("w", "AccumulateGrad")]
    assert report.printed == "tensor(1., grad_fn=<PowBackward0>)\ntensor(-2.)\n"
    w_row = next(r for r in report.rows if r.name == "w" and r.quantity == "grad")
    assert abs(float(w_row.numeric) + 2.0) < 1e-6


# ---- other programs --------------------------------------------------------------------


@pytest.mark.parametrize("name", [n for n in PROGRAMS])
def test_generated_code_prints_what_printed_output_says(runs, name):
    trace, code, result = runs[name]
    assert result.returncode == 0, result.stderr
    assert result.stdout == printed_output(trace.graph)
    assert result.stdout.strip()


@pytest.mark.parametrize("name", PROGRAMS)
def test_every_program_matches_torch(runs, name):
    trace, _, _ = runs[name]
    report = compare(trace.graph, trace.grads)
    assert report.error is None
    assert report.match is True, report.mismatches


def test_rebinding_is_never_in_place_in_generated_code(runs):
    trace, code, result = runs["rebinding"]
    assert "+=" not in code and "*=" not in code and "add_(" not in code
    lines = code.splitlines()
    names = python_names(trace.graph)
    assert sorted(names.values()) == sorted({"w_1", "w", "c_1", "c_2", "c", "loss"})
    assert "w_1 = torch.tensor(1.0, requires_grad=True)" in lines
    assert "w = w_1 + 1" in lines
    assert "c = c_2 * c_2" in lines
    assert "print(w_1.grad)" in lines
    # torch agrees: loss = (2(w+1) + 1)² − (w + 1) → d/dw = 4(2w + 3) − 1 = 19 at w = 1
    assert result.stdout.splitlines()[-1] == "tensor(19.)"


def test_name_clash_gets_a_fresh_python_name(runs):
    trace, code, _ = runs["name-clash"]
    names = python_names(trace.graph)
    assert len(set(names.values())) == len(names)
    assert all(n.isidentifier() for n in names.values())


def test_unused_parameter_is_zero_here_and_none_in_torch(runs):
    trace, _, result = runs["unused-parameter"]
    assert result.stdout.splitlines()[-1] == "None"
    report = compare(trace.graph, trace.grads)
    assert report.match is True
    assert report.grads["u"] is None
    assert float(trace.gradient(trace.graph.names["u"])) == 0.0


def test_maximum_with_a_constant_wraps_the_constant_in_a_tensor(runs):
    _, code, _ = runs["maximum-with-constant"]
    assert "torch.maximum(w, torch.tensor(0.0))" in code
    assert "torch.maximum(torch.tensor(2.0), w)" in code


def test_no_parameter_code_prints_only_the_output(runs):
    _, code, result = runs["no-parameter"]
    assert ".backward()" not in code
    assert result.stdout == "tensor(6.)\n"


@pytest.mark.parametrize("text", ["x = 2.0\ny = x * 3",
                                  "w = param(1.0)\nx = 2.0\nz = w * 2\ny = x * 3"])
def test_no_parameter_program_is_not_a_torch_mismatch(text):
    trace = build_trace(text)
    report = compare(trace.graph, trace.grads)
    assert report.mismatches == []
    assert report.match is True


# ---- the comparison itself --------------------------------------------------------------


def test_comparison_runs_in_float64():
    """0.1 · 3 in float32 is off by ~1e-8 relative: that would fail the 1e-9 tolerance."""
    trace = build_trace("w = param(0.1)\nx = 3.0\nloss = w * x + w ** 2")
    report = compare(trace.graph, trace.grads)
    assert report.match is True
    loss = next(r for r in report.rows if r.name == "loss" and r.quantity == "value")
    assert float(loss.torch) == 0.1 * 3.0 + 0.1 * 0.1


def test_intermediate_gradients_are_retained():
    trace = build_trace("w = param(1.5)\nh = w * 2\nk = h + 1\nloss = k * k")
    report = compare(trace.graph, trace.grads)
    assert {k: float(v) for k, v in report.grads.items()} == {
        "w": 16.0, "h": 8.0, "k": 8.0, "loss": 1.0}


def test_a_wrong_gradient_is_a_mismatch(lesson_trace):
    grads = dict(lesson_trace.grads)
    grads[lesson_trace.graph.names["w"]] = np.float64(-2.001)
    report = compare(lesson_trace.graph, grads)
    assert report.match is False
    assert "w (grad)" in report.mismatches


def test_nan_results_match_nan():
    trace = build_trace("w = param(-1.0)\nloss = log(w) + w")
    report = compare(trace.graph, trace.grads)
    assert report.match is True
    assert np.isnan(report.values["loss"])
    assert float(report.grads["w"]) == 0.0  # 1/w + 1 = -1 + 1


@pytest.mark.parametrize(("a", "b", "equal"), [
    (1.0, 1.0, True), (1.0, 1.0 + 1e-12, True), (1.0, 1.001, False),
    (np.nan, np.nan, True), (np.nan, 1.0, False), (np.inf, np.inf, True),
    (np.inf, -np.inf, False), (None, None, True), (None, 0.0, False),
    ([1.0, 2.0], [1.0, 2.0], True), ([1.0, 2.0], [1.0], False), (1.0, [1.0], False),
    (0.0, 1e-13, True),
])
def test_same(a, b, equal):
    assert same(a, b) is equal


def test_torch_unavailable_is_reported_not_raised(monkeypatch, lesson_trace):
    def broken():
        raise ImportError("no torch here")

    monkeypatch.setattr(torch_check, "_torch", broken)
    report = compare(lesson_trace.graph, lesson_trace.grads)
    assert report.available is False and report.match is None
    assert "no torch here" in report.error
    assert "loss.backward()" in report.code


@pytest.mark.parametrize("text", ["w = param(0.5)\nloss = w ** 10 ** 400",
                                  "w = param(0.5)\nloss = w ** (10 ** 400 - 10 ** 400)"])
def test_generated_code_with_a_non_finite_literal_exponent_runs(tmp_path, text):
    trace = build_trace(text)
    result = _run(generate_code(trace.graph), tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == printed_output(trace.graph)


# ---- import isolation -----------------------------------------------------------------


@pytest.mark.parametrize("module", ["core", "core.io.cli", "core.engine.trace",
                                    "core.checks.torch_check",
                                    "core.io.session", "core.checks.numeric", "core.engine.graph"])
def test_importing_the_engine_leaves_qt_matplotlib_and_torch_out(module):
    code = (f"import sys, {module}\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
            "('PySide6', 'shiboken6', 'matplotlib', 'torch', 'gui'))\n"
            "print(bad)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, cwd=str(_root()))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def _root():
    from pathlib import Path

    return Path(__file__).resolve().parents[2]
