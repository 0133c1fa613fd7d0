"""Forward mode (issue 14): seeds, tangents against torch, the walk, --forward-mode."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings

from core.engine.forward import (
    TEXTS,
    compare_modes,
    cost,
    named_tangents,
    parse_seed,
    tangents,
    walk,
)
from core.engine.graph import Binding
from core.engine.trace import build_trace
from core.io.cli import run
from core.language.parser import ExpressionError

sys.path.insert(0, str(Path(__file__).resolve().parent))
from program_gen import programs  # noqa: E402
from tensor_gen import tensor_programs  # noqa: E402

from tests.core import forked

ROOT = Path(__file__).resolve().parents[2]
MSE = "loss = mean((w * x - y) ** 2)"
MSE_ARGS = ["--expr", MSE, "--input", "x=1,2,3,4", "--input", "y=2,4,6,8", "--param", "w=0"]


def test_lesson_tangent_of_loss_is_minus_two(lesson_trace):
    graph = lesson_trace.graph
    seed = parse_seed(graph, "w")
    found = named_tangents(graph, tangents(graph, seed))
    # by hand: ∂y_hat/∂w = x = 1, ∂s/∂w = 1, ∂loss/∂w = 2 · s · 1 = −2
    assert {k: float(v) for k, v in found.items()} == {
        "w": 1.0, "x": 0.0, "y_hat": 1.0, "y": 0.0, "s": 1.0, "loss": -2.0}


def test_walk_shows_values_then_tangents_with_the_local_gradients(lesson_trace):
    steps = walk(lesson_trace.graph, parse_seed(lesson_trace.graph, "w"))
    assert [s.kind for s in steps] == ["seed"] + ["value", "tangent"] * 3
    assert steps[-1].equation == "∂loss/∂w = local ∂loss/∂s · ∂s/∂w = (−2) · 1 = −2"
    assert steps[2].equation == "∂y_hat/∂w = local ∂y_hat/∂w · ∂w/∂w = 1 · 1 = 1"
    assert "how fast" in steps[2].text("en") and "变化" in steps[2].text("zh")


def test_every_text_is_in_both_languages():
    for key, (english, chinese) in TEXTS.items():
        assert english and chinese and english != chinese, key
        assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese), key
        assert set(re.findall(r"\{(\w+)\}", english)) == set(
            re.findall(r"\{(\w+)\}", chinese)), key


def test_cost_counts_parameters():
    graph = build_trace("loss = a * b + c", {n: Binding("parameter", np.float64(1.0))
                                             for n in "abc"}).graph
    assert cost(graph) == "3 parameters: forward mode needs 3 passes, reverse mode 1"
    assert "3 次" in cost(graph, "zh")
    tensor = build_trace("w = param([1, 2])\nloss = sum(w * w)").graph
    assert cost(tensor).startswith("2 parameter entries: forward mode needs 2 passes")


def test_forward_mode_equals_reverse_mode_per_parameter():
    trace = build_trace("W = param([[1, -2], [0.5, 3]])\nb = param(0.5)\nx = [1, 2]\n"
                        "loss = sum(tanh(W @ x + b))")
    rows = compare_modes(trace.graph, trace.grads)
    assert [r.name for r in rows] == ["W", "b"] and all(r.equal for r in rows)
    assert np.shape(rows[0].forward) == (2, 2)


def test_seeds_ones_like_or_one_entry():
    graph = build_trace("W = param([[1, 2], [3, 4]])\nloss = sum(W * W)").graph
    assert np.array_equal(parse_seed(graph, "W").tangent, np.ones((2, 2)))
    seed = parse_seed(graph, "W[1, 0]")
    assert seed.wrt == "W[1, 0]" and seed.tangent.tolist() == [[0, 0], [1, 0]]
    # ∂ sum(W²) / ∂W[1, 0] = 2 · W[1, 0] = 6
    assert float(tangents(graph, seed)[graph.output]) == 6.0


@pytest.mark.parametrize(("spec", "message"), [
    ("q", "unknown name 'q'"), ("y_hat", "computed, not an input"),
    ("w[0]", "0 dimensions, got 1 index"), ("w w", "expected NAME"), ("", "expected NAME"),
    ("w[" + "1" * 300 + "]", "expected NAME"),
])
def test_bad_seeds_are_named(lesson_trace, spec, message):
    with pytest.raises(ExpressionError, match=message):
        parse_seed(lesson_trace.graph, spec)


def test_a_constant_or_an_index_out_of_range_is_refused():
    graph = build_trace("w = param([1, 2])\nloss = sum(3 * w)").graph
    with pytest.raises(ExpressionError, match="3 is a constant"):
        parse_seed(graph, "3")
    with pytest.raises(ExpressionError, match="out of range"):
        parse_seed(graph, "w[2]")


# ---- the command line ------------------------------------------------------------------


def test_json_part_on_the_lesson(capsys):
    assert run(["--forward-mode", "w", "--json"]) == 0
    part = json.loads(capsys.readouterr().out)["forward_mode"]
    assert part["wrt"] == "w" and part["seed"] == 1.0 and part["match"] is True
    assert part["tangents"]["loss"] == -2.0 == part["torch_tangents"]["loss"]


def test_tangents_are_keyed_like_values(capsys):
    assert run([*MSE_ARGS, "--forward-mode", "x[2]", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    part = result["forward_mode"]
    assert set(part["tangents"]) == set(result["values"]) == set(part["torch_tangents"])
    assert part["seed"] == [0.0, 0.0, 1.0, 0.0]
    # ∂loss/∂x[2] = 2/4 · (w · x₂ − y₂) · w = 0 at w = 0
    assert part["tangents"]["loss"] == 0.0 and part["match"] is True


def test_text_output_has_the_table_and_the_cost(capsys):
    assert run([*MSE_ARGS, "--forward-mode", "w"]) == 0
    out = capsys.readouterr().out
    assert "Forward mode: how fast each node changes when w changes" in out
    assert "1 parameter: forward mode needs 1 pass, reverse mode 1" in out
    # ∂loss/∂w = mean(2 (w x − y) x) = −2 · (2 + 8 + 18 + 32) / 4 = −30
    assert "forward mode's ∂loss/∂w = −30, reverse mode's = −30: equal" in out
    assert "(torch.autograd.forward_ad): all match" in out


@pytest.mark.parametrize("spec", ["nothing", "2", "y_hat"])
def test_bad_name_is_exit_two_with_one_error_line(capsys, spec):
    assert run(["--forward-mode", spec]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert captured.err.startswith("error: --forward-mode: ")


def test_constant_is_exit_two(capsys):
    assert run(["--expr", "w = param(1)\nloss = 3 * w", "--forward-mode", "3"]) == 2
    assert "constant" in capsys.readouterr().err


def test_no_torch_runs_without_torch_and_without_torch_tangents():
    code = ("import sys, json; from core.io.cli import run; rc = run(['--forward-mode', 'w', "
            "'--json', '--no-torch']); assert 'torch' not in sys.modules; sys.exit(rc)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    part = json.loads(result.stdout)["forward_mode"]
    assert "torch_tangents" not in part and part["match"] is None
    assert part["tangents"]["loss"] == -2.0


def test_generated_forward_code_prints_the_tangent(lesson_trace, torch):
    from core.checks.forward_torch import compare_forward

    graph = lesson_trace.graph
    seed = parse_seed(graph, "w")
    report = compare_forward(graph, seed, tangents(graph, seed))
    assert "fwAD.make_dual(w, torch.ones_like(w))" in report.code
    # our own generated code (not user text), run as the learner would paste it (forked
    # from the warm zygote: the same prints as a new interpreter, tests/core/forked.py)
    result = forked.python_code(report.code, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "tensor(-2.)"


def test_indexed_seed_code_runs(torch):
    from core.checks.forward_torch import forward_code

    graph = build_trace("W = param([[1.0, 2.0], [3.0, 4.0]])\nloss = sum(W * W)").graph
    code = forward_code(graph, parse_seed(graph, "W[1, 0]"))
    result = forked.python_code(code, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "tensor(6.)"


# ---- property tests: tangents against torch.func.jvp -------------------------------------


def jvp_problems(graph, torch) -> list[str]:
    from core.checks.forward_torch import build_with

    problems = []
    leaves = [n for n in graph.nodes if n.kind in ("data", "parameter") and n.name
              and not n.integer]
    for leaf in leaves[:3]:
        seed = parse_seed(graph, leaf.name)
        ours = named_tangents(graph, tangents(graph, seed))
        names = list(graph.names.items())

        def f(x, leaf=leaf, names=names):
            tensors = build_with(graph, torch, {leaf.id: x})
            return tuple(t if isinstance(t, torch.Tensor) else torch.tensor(t, dtype=x.dtype)
                         for t in (tensors[i] for _, i in names))

        primal = torch.tensor(np.asarray(leaf.value, dtype=np.float64).tolist(),
                              dtype=torch.float64)
        tangent = torch.tensor(np.asarray(seed.tangent).tolist(), dtype=torch.float64)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "`torch.jit.script` is deprecated",
                                    DeprecationWarning)
            _, theirs = torch.func.jvp(f, (primal,), (tangent,))
        for (name, _), t in zip(names, theirs, strict=True):
            a, b = np.asarray(ours[name], dtype=np.float64), t.detach().numpy()
            if a.shape != b.shape or not np.allclose(a, b, rtol=1e-7, atol=1e-9,
                                                     equal_nan=True):
                problems.append(f"∂{name}/∂{leaf.name}: ours {a!r}, torch {b!r}")
    return problems


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(program=programs(moderate=True))
def test_random_scalar_and_vector_programs_tangents_match_torch_func_jvp(program, torch):
    trace = build_trace(program.text, program.bindings)
    # a nan inside (sqrt of a negative) is the engine's nan policy, not forward mode's:
    # finite programs here (max over a nan: test_max_and_min_over_a_nan_match_torch)
    assume(all(np.all(np.isfinite(n.value)) for n in trace.graph.nodes))
    problems = jvp_problems(trace.graph, torch)
    assert not problems, "\n".join([program.text, *problems])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(program=tensor_programs())
def test_random_tensor_programs_tangents_match_torch_func_jvp(program, torch):
    trace = build_trace(program.text)
    problems = jvp_problems(trace.graph, torch)
    assert not problems, "\n".join([program.text, *problems])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(program=tensor_programs())
def test_forward_mode_equals_reverse_mode_on_random_programs(program):
    trace = build_trace(program.text)
    rows = compare_modes(trace.graph, trace.grads)
    assert all(r.equal for r in rows), "\n".join([program.text, *map(repr, rows)])


@pytest.mark.parametrize("op", ["max", "min"])
@pytest.mark.parametrize("dim", ["", "dim=0"])
def test_max_and_min_over_a_nan_match_torch_forward_ad(op, dim, torch):
    """torch is itself inconsistent here and we follow it: over everything, forward_ad
    gives tangent nan (it averages the tangents of the entries equal to the nan result:
    none, 0/0) while its backward gives the nan's entry gradient 1 (finite); along dim=
    both follow the index. So our tangent is nan where torch's is, finite where it is."""
    from core.checks.forward_torch import build_with

    x_value = np.array([1.0, np.nan, 3.0])
    trace = build_trace(f"loss = {op}(x{', ' + dim if dim else ''})",
                        {"x": Binding("data", x_value)})
    graph = trace.graph
    seed = parse_seed(graph, "x")
    ours = float(named_tangents(graph, tangents(graph, seed))["loss"])
    x = graph.nodes[seed.node]

    def f(v):
        return build_with(graph, torch, {x.id: v})[graph.output]

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "`torch.jit.script` is deprecated", DeprecationWarning)
        _, theirs = torch.func.jvp(f, (torch.tensor(x_value.tolist(), dtype=torch.float64),),
                                   (torch.ones(3, dtype=torch.float64),))
    theirs = float(theirs)
    assert np.isnan(ours) == np.isnan(theirs) == (dim == "")
    if dim:  # the nan's index, for max and min alike: its tangent, 1
        assert ours == theirs == 1.0
