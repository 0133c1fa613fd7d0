"""Property tests: random programs against torch float64 and finite differences.

Programs come from :mod:`tests.core.program_gen`: every op, in every spelling the
language takes, over scalars and vectors (broadcast), with forks, rebinding, ``+=``,
aliases, values given from outside, and numbers at the ops' domain edges (0, ±tiny,
negative under log/sqrt, huge under exp, nan/inf). Each program is checked four ways:

1. ``core.checks.torch_check.compare``: every node's value and gradient equals torch float64
   autograd on the same graph (nan = nan, infinities agree): zero mismatches;
2. an oracle that never sees the text: the drawn trees evaluated in torch directly, so
   what the parser reads must be what was meant (final values and parameter gradients);
3. the generated PyTorch code parses as Python (``ast.parse``; run for real, in a
   separate process, for a few programs below);
4. with moderate numbers, central differences (``core.checks.numeric``) wherever they mean
   something: away from kinks and domain edges and where rounding cannot swamp them.

Example counts follow the hypothesis profile (tests/conftest.py): ``make test`` runs a
few hundred programs, ``make soak`` (HYPOTHESIS_PROFILE=soak) ten thousand.
"""

from __future__ import annotations

import ast
import json
import sys
import tempfile
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

import core.checks.numeric
from core.checks.numeric import STEP, agrees, numeric_gradients
from core.engine.graph import build_graph
from core.engine.trace import Trace

torch = pytest.importorskip("torch")
sys.path.insert(0, str(Path(__file__).resolve().parent))  # program_gen.py, beside this file,
from program_gen import Generated, Name, Op, oracle, programs  # noqa: E402  whatever pytest's import mode

from core.checks.torch_check import compare, generate_code, printed_output, same  # noqa: E402
from tests.core import forked  # noqa: E402

SOAK = settings.get_current_profile_name() == "soak"


def examples(default: int, soak: int) -> int:
    return soak if SOAK else default


def build(g: Generated) -> tuple:
    graph = build_graph(g.text, g.bindings)
    return graph, Trace(graph)


def _numbers(result) -> list:
    """The oracle's results as arrays: output, every name's value, every op's result
    (the torch twin compares unnamed ones too: sin(w) inside w * w + sin(w)), every
    parameter's grad."""
    def plain(x):
        if isinstance(x, torch.Tensor):
            return x.detach().numpy().copy()
        return np.float64(x)

    grads = [np.zeros(1) if t.grad is None else t.grad.numpy().copy()
             for t in result.params.values()]
    return [plain(result.output), *(plain(v) for v in result.named.values()),
            *(plain(v) for v in result.steps), *grads]


def ill_conditioned(g: Generated, tries: int = 3) -> bool:
    """Do a few ulps on the inputs move the results beyond the comparison's tolerance?"""
    base = _numbers(oracle(g, torch))
    rng = np.random.default_rng(0)
    for _ in range(tries):
        moved = _numbers(oracle(g, torch, nudge=rng))
        if not all(same(a, b) for a, b in zip(base, moved, strict=True)):
            return True
    return False


def torch_problems(g: Generated) -> list[str]:
    """Everything that disagrees with torch, as readable lines (empty: all agree).

    A disagreement in an ill-conditioned program (where moving the inputs by a few
    units in the last place moves the results beyond the tolerance) is not one: two
    correct implementations that round one operation differently drift apart there
    too. Those are counted as events.
    """
    problems = _torch_problems(g)
    if problems and ill_conditioned(g):
        event("ill-conditioned: rounding differences amplified (tolerated)")
        return []
    return problems


def _torch_problems(g: Generated) -> list[str]:
    graph, trace = build(g)
    problems = []
    report = compare(graph, trace.grads, with_numeric=False)
    if report.error:
        problems.append(f"torch twin: {report.error}")
    bound = cancellation_bounds(trace)
    for row in report.rows:
        if not row.ok and not (row.quantity == "grad" and within(row.ours, row.torch,
                                                                  bound.get(row.node))):
            problems.append(f"torch twin: {row.name} {row.quantity}: ours {row.ours!r}, "
                            f"torch {row.torch!r}")
    try:
        ast.parse(report.code)
    except SyntaxError as exc:
        problems.append(f"generated code is not Python: {exc}\n{report.code}")

    result = oracle(g, torch)
    out = result.output
    theirs = out.detach().numpy() if isinstance(out, torch.Tensor) else np.float64(out)
    if not same(graph.output_node.value, theirs):
        problems.append(f"oracle: output {graph.output_node.value!r} vs {theirs!r}")
    for name, value in result.named.items():
        ours = graph.nodes[graph.names[name]].value
        theirs = value.detach().numpy() if isinstance(value, torch.Tensor) else value
        if not same(ours, theirs):
            problems.append(f"oracle: value of {name}: {ours!r} vs {theirs!r}")
    leaf_of = {n.name.split("@")[0]: n for n in graph.nodes if n.kind == "parameter"}
    for name, tensor in result.params.items():
        node = leaf_of[name]
        ours = trace.gradient(node.id)
        theirs = np.zeros_like(ours) + 0.0 if tensor.grad is None else tensor.grad.numpy()
        if not same(ours, theirs) and not within(ours, theirs, bound.get(node.id)):
            problems.append(f"oracle: grad of {name}: {ours!r} vs {theirs!r}")
    return problems


def cancellation_bounds(trace) -> dict[int, float]:
    """Per node, how far rounding in the backward pass can move its gradient.

    A gradient summed from large terms that cancel (w / tanh(w) at w = 1e-7: 8388608.0 −
    8388607.99…) keeps the terms' absolute rounding error, an ulp of 8·10⁶, however
    small the sum; each consumer's own error reaches the node through its edge.
    """
    def largest(x) -> float:
        v = np.abs(np.asarray(x, dtype=np.float64))
        v = v[np.isfinite(v)]
        return float(np.max(v)) if v.size else 0.0

    bounds: dict[int, float] = {}
    with np.errstate(all="ignore"):
        for step in trace.steps:  # the backward phase runs from the output back
            terms = getattr(step, "contributions", None)
            if terms:
                bounds[step.node] = sum(
                    16 * np.finfo(np.float64).eps * largest(c.value)
                    + bounds.get(c.consumer, 0.0) * (1.0 if c.local is None
                                                     else largest(c.local))
                    for c in terms)
    return bounds


def within(ours, theirs, bound: float | None) -> bool:
    """Equal up to a cancellation bound (see :func:`cancellation_bounds`)."""
    if bound is None or ours is None or theirs is None or not np.isfinite(bound):
        return False
    a, b = np.asarray(ours, dtype=np.float64), np.asarray(theirs, dtype=np.float64)
    if a.shape != b.shape or not np.array_equal(np.isnan(a), np.isnan(b)):
        return False
    finite = np.isfinite(a) & np.isfinite(b)
    if not np.array_equal(a[~finite & ~np.isnan(a)], b[~finite & ~np.isnan(b)]):
        return False  # infinities must agree exactly
    if np.all(np.abs(a[finite] - b[finite]) <= bound):
        event("cancellation: the backward terms' rounding exceeds their sum (tolerated)")
        return True
    return False


def rounding_bound(graph, trace) -> float:
    """How far rounding alone can move a central difference of the output.

    Each node's value carries a relative error of about one ulp, which reaches the
    output times ∂out/∂node; only nodes that move with a parameter differ between the
    two evaluations. Divided by the step, that is what the quotient cannot resolve.
    """
    total = 0.0
    with np.errstate(all="ignore"):
        for node in graph.nodes:
            if graph.relevant[node.id]:
                total += float(np.sum(np.abs(node.value) * np.abs(trace.gradient(node.id))))
    return 8 * np.finfo(np.float64).eps * total / STEP if np.isfinite(total) else np.inf


def numeric_problems(g: Generated) -> tuple[list[str], int, int]:
    """(problems, parameters checked, parameters skipped) against central differences.

    A parameter is skipped where the difference quotient means nothing: near a kink or
    domain edge (core.checks.numeric says None), where rounding could swamp it, and where it
    has not converged: a quarter of the step gives another answer (the truncation
    error of sin(c ** 6) at c = 5 is larger than the tolerance).
    """
    graph, trace = build(g)
    numeric = numeric_gradients(graph)
    with mock.patch.object(core.checks.numeric, "STEP", STEP / 4):
        finer = numeric_gradients(graph)
    bound = 4 * rounding_bound(graph, trace)
    problems, checked, skipped = [], 0, 0
    for node in graph.parameters:
        num = numeric[node.name]
        ours = trace.gradient(node.id)
        if num is None or finer[node.name] is None or not np.all(np.isfinite(ours)):
            skipped += 1
            continue
        # per entry: in sum(exp(exp(w))) at w = [2, 4] the loss's rounding (~1e10) swamps
        # the first entry's quotient (its gradient 2.4e4 moves the loss by 0.02 a step)
        keep = bound <= 0.1 * (1e-6 + 1e-4 * np.abs(np.asarray(num)))
        if not np.any(keep) or not agrees(finer[node.name], num):
            skipped += 1  # rounding could swamp the quotient, or it has not converged
            continue
        checked += 1
        if not agrees(np.asarray(ours)[keep], np.asarray(num)[keep]):
            problems.append(f"finite differences: {node.name}: ours {ours!r}, numeric {num!r}")
    return problems, checked, skipped


# ---- the properties ----------------------------------------------------------------------

#: found by `make test`: two large terms cancel (8388608.0 − 8388607.99…), and torch's
#: tanh rounds one ulp apart from numpy's there: ill-conditioned, so tolerated
CANCELLATION = Generated("import torch\nw = param(1.192092896e-07)\nloss = w / tanh(w)\n", {},
                         {"w": ("parameter", 1.192092896e-07)},
                         [("assign", "loss", Op("div", (Name("w"), Op("tanh", (Name("w"),)))))])


@settings(max_examples=examples(400, 10_000), deadline=None)
@given(g=programs())
@example(g=CANCELLATION)
def test_random_programs_agree_with_torch(g):
    problems = torch_problems(g)
    event("nonfinite values" if any(not np.all(np.isfinite(v)) for _, v in g.leaves.values())
          else "finite leaves")
    assert not problems, "\n".join([g.text, *problems])


@settings(max_examples=examples(150, 2_000), deadline=None)
@given(g=programs(moderate=True))
def test_random_programs_agree_with_finite_differences(g):
    problems, checked, skipped = numeric_problems(g)
    event(f"parameters checked: {min(checked, 3)}{'+' if checked > 3 else ''}")
    if skipped:
        event("some parameters skipped (kink, domain edge or rounding)")
    assert not problems, "\n".join([g.text, *problems])
    # the moderate programs keep agreeing with torch too
    problems = torch_problems(g)
    assert not problems, "\n".join([g.text, *problems])


# ---- the generated code, run for real --------------------------------------------------

_BATCH = """
import contextlib, io, json, sys, traceback
import torch
codes = json.loads(open(sys.argv[1], encoding="utf-8").read())
out = []
for code in codes:
    buffer = io.StringIO()
    status = 0
    with contextlib.redirect_stdout(buffer):
        try:
            exec(compile(code, "generated", "exec"), {"__name__": "__main__"})
        except Exception:
            status = 1
            buffer.write(traceback.format_exc())
    out.append([status, buffer.getvalue()])
print(json.dumps(out))
"""


@settings(max_examples=examples(2, 20), deadline=None)
@given(batch=st.lists(programs(), min_size=6, max_size=6))
def test_generated_code_runs_and_prints_what_printed_output_says(batch):
    """Six programs per process (forked from the warm zygote, tests/core/forked.py: no
    torch import of its own): exit 0, same print."""
    graphs = [build(g)[0] for g in batch]
    codes = [generate_code(graph) for graph in graphs]
    for code in codes:
        ast.parse(code)
    with tempfile.TemporaryDirectory(prefix="codes-") as folder:
        programs_file = Path(folder) / "codes.json"
        programs_file.write_text(json.dumps(codes), encoding="utf-8")
        result = forked.python_code(_BATCH, programs_file, cwd=folder)
    assert result.returncode == 0, result.stderr
    outputs = json.loads(result.stdout)
    for g, graph, code, (status, stdout) in zip(batch, graphs, codes, outputs, strict=True):
        assert status == 0, f"{g.text}\n{code}\n{stdout}"
        assert stdout == printed_output(graph), f"{g.text}\n{code}"


# ---- a known difference, kept visible ------------------------------------------------

@pytest.mark.parametrize("text", ["w = param(1e-300)\nloss = 0.0 / w\n",
                                  "w = param([1e-300, 3.0, -0.0])\nloss = sum(-2.5 / w)\n",
                                  "w = param(0.7)\nloss = 1 / w\n"])
def test_number_over_tensor_divides_as_torch_does(text):
    """PyTorch computes c / w for a Python number c as w.reciprocal() * c; so does the
    engine's rdiv op: the last digit agrees, and 0.0 / w at |w| < 1e-154 has torch's nan
    gradient (0 · inf)."""
    graph, trace = build(Generated(text, {}, {}))
    assert graph.output_node.op == "rdiv" or graph.nodes[graph.output - 1].op == "rdiv"
    report = compare(graph, trace.grads, with_numeric=False)
    assert report.match, report.mismatches
