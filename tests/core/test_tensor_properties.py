"""Property tests for tensors: random shape programs against torch and finite differences.

Programs from :mod:`tests.core.tensor_gen` (1-D and 2-D leaves, broadcasting, matmul in
its cases, transpose, reshape, reductions along dims with and without keepdim, softmax
and log-softmax) are checked three ways: the engine's ``compare`` (every node's value and
gradient equals torch float64 autograd, and the generated code parses); an oracle that
never sees the text; and central differences where they mean something. ``make test``
runs a short count, ``make soak`` (HYPOTHESIS_PROFILE=soak) thousands.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import event, given, settings

from core.checks.numeric import agrees, numeric_gradients
from core.checks.torch_check import compare, same
from core.engine.trace import build_trace

torch = pytest.importorskip("torch")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from tensor_gen import oracle, tensor_programs  # noqa: E402

SOAK = settings.get_current_profile_name() == "soak"


def problems_of(program) -> list[str]:
    trace = build_trace(program.text)
    graph = trace.graph
    problems = []
    report = compare(graph, trace.grads, with_numeric=False)
    if report.error:
        problems.append(f"torch twin: {report.error}")
    problems += [f"torch twin: {r.name} {r.quantity}: ours {r.ours!r}, torch {r.torch!r}"
                 for r in report.rows if not r.ok]
    ast.parse(report.code)
    loss, env, grads = oracle(program, torch)
    if not same(graph.output_node.value, loss.detach().numpy()):
        problems.append(f"oracle: loss {graph.output_node.value!r} vs {loss!r}")
    for name, _tree in program.assignments:
        ours = graph.nodes[graph.names[name]].value
        theirs = env[name].detach().numpy()
        if np.shape(ours) != theirs.shape or not same(ours, theirs):
            problems.append(f"oracle: {name} {ours!r} vs {theirs!r}")
    for name, grad in grads.items():
        ours = trace.gradient(graph.names[name])
        theirs = np.zeros(np.shape(ours)) if grad is None else grad.numpy()
        if not same(ours, theirs):
            problems.append(f"oracle: grad of {name}: {ours!r} vs {theirs!r}")
    numeric = numeric_gradients(graph)
    checked = 0
    for node in graph.parameters:
        num = numeric[node.name]
        if num is None:
            continue
        checked += 1
        if not agrees(trace.gradient(node.id), num, rtol=1e-4, atol=1e-5):
            problems.append(f"finite differences: {node.name}: {trace.gradient(node.id)!r} "
                            f"vs {num!r}")
    event(f"parameters checked by finite differences: {min(checked, 3)}")
    return problems


@settings(max_examples=10_000 if SOAK else 150, deadline=None)
@given(program=tensor_programs())
def test_random_tensor_programs_agree_with_torch_and_finite_differences(program):
    problems = problems_of(program)
    assert not problems, "\n".join([program.text, *problems])
