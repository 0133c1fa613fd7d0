"""The ast path's explanation of an op says torch's grad_fn, as the op's registry entry
names it (core.engine.explain.grad_fn_name): checked against real torch twice, each
node's ``.grad_fn.name()`` in the program built op by op from the registry
(core.checks.torch_check.build_torch_graph), and the grad_fns of the program as the
learner wrote it (the PyTorch panel's generated code, run)."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from core.checks.torch_check import build_torch_graph, generate_code, release
from core.engine.build import build
from core.engine.explain import grad_fn_name, render
from core.engine.trace import ForwardStep
from core.io.session import load_session

torch = pytest.importorskip("torch")

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "resources" / "examples").glob("*.json"))

#: many ops, the forms whose grad_fn depends on more than the op: a number first,
#: a reduction along a dim, matmul by the operands' ranks, a transpose
OPS_PROGRAM = """\
W = param([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]])
x = param([1.0, 2.0, 3.0])
v = param([0.3, -0.7])
a = W @ x
b = 2 - a
c = 2 / (b * b + 1)
d = 2 ** c
e = exp(d) + log(d) - sqrt(d)
f = sin(e) * cos(e) + tanh(e) + sigmoid(e) + relu(e) + abs(e) - e
g = f / 3 + f ** 2
M = W.T @ W
s = sum(M, dim=1)
t = mean(M, dim=0)
u = v @ W
loss = sum(g) + mean(s) + max(t) + min(u) + sum(-g)
"""


def _programs():
    for path in EXAMPLES:
        session = load_session(path)
        yield path.stem, session.text, dict(session.bindings)
    yield "ops", OPS_PROGRAM, {}


@pytest.mark.parametrize(("name", "text", "bindings"), list(_programs()),
                         ids=[p[0] for p in _programs()])
def test_the_explained_grad_fn_is_torchs(name, text, bindings):
    trace = build(text, bindings)
    graph = trace.graph
    tensors = build_torch_graph(graph, torch, torch.float64)
    told, compared = {}, 0
    try:
        for node in graph.nodes:
            ours = grad_fn_name(graph, node)
            fn = getattr(tensors[node.id], "grad_fn", None)
            if fn is None or node.kind != "operation":
                assert ours is None, f"{node.label}: torch made no grad_fn, we say {ours}"
                continue
            if ours is None:  # the entry does not say (none of these programs' ops)
                pytest.fail(f"{node.label} ({node.op}): torch's {fn.name()}, we say nothing")
            told[node.id] = ours
            if "form" in node.attrs:  # the registry's twin spells W.T as W.transpose(0, 1):
                continue  # the learner's spelling is checked below
            assert ours == fn.name(), f"{node.label} ({node.op})"
            compared += 1
    finally:
        release(tensors)
    assert compared >= 1
    explained = {step.node_id: render(step.explanation) for step in trace.steps
                 if isinstance(step, ForwardStep)}
    for node_id, grad_fn in told.items():
        assert f"its grad_fn is {grad_fn}," in explained[node_id]
    for node_id, sentence in explained.items():  # no grad_fn where torch makes none
        if node_id not in told:
            assert "grad_fn" not in sentence


@pytest.mark.parametrize(("name", "text", "bindings"), list(_programs()),
                         ids=[p[0] for p in _programs()])
def test_the_program_as_written_has_the_explained_grad_fns(name, text, bindings):
    """The generated code (the learner's spellings: W.T, 2 - a) run in torch: each named
    result's grad_fn is the one explained, and every grad_fn explained is in the graph
    from the output back (torch may add more: 1 / x is ReciprocalBackward0 then the
    result's MulBackward0; v @ W an unsqueeze, a mm and the result's squeeze)."""
    graph = build(text, bindings).graph
    space: dict = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(generate_code(graph), f"<{name}>", "exec"), space)  # noqa: S102 - ours
    theirs, seen = set(), set()
    queue = [space[graph.output_node.name].grad_fn]
    while queue:
        fn = queue.pop()
        if fn is None or id(fn) in seen:
            continue
        seen.add(id(fn))
        theirs.add(fn.name())
        queue.extend(next_fn for next_fn, _ in fn.next_functions)
    named = 0
    for node in graph.nodes:
        ours = grad_fn_name(graph, node)
        if node.kind != "operation" or not graph.relevant[node.id]:
            continue
        assert ours in theirs, f"{node.label} ({node.op})"
        tensor = space.get(node.name) if node.name else None
        if getattr(tensor, "grad_fn", None) is not None:
            assert tensor.grad_fn.name() == ours, f"{node.name} ({node.op})"
            named += 1
    assert named >= 1


def test_the_ops_program_covers_the_forms():
    graph = build(OPS_PROGRAM, {}).graph
    names = {grad_fn_name(graph, node) for node in graph.nodes}
    for expected in ("RsubBackward1", "MulBackward0", "PowBackward2", "MvBackward0",
                     "MmBackward0", "SumBackward1", "MeanBackward1", "PermuteBackward0",
                     "SigmoidBackward0", "NegBackward0"):
        assert expected in names, json.dumps(sorted(n for n in names if n))


def test_a_recorded_pass_does_not_say_an_ops_grad_fn():
    """A recorded call of several ops (F.linear: torch's AddmmBackward0) is not each op's
    grad_fn: the recorded path's explanations say none (trace.context is set)."""
    from core.engine.trace import RecordedContext

    trace = build("w = param(2.0)\ny = w * 3.0\n", {})
    step = next(s for s in trace.steps if isinstance(s, ForwardStep))
    assert "MulBackward0" in render(step.explanation)
    trace.context = RecordedContext(iteration=1, built=None)
    assert "grad_fn" not in render(step.explanation)
