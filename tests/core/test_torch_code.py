"""The one torch code generator (core.checks.torch_code): reverse mode and forward mode
write ops the same way, and what they write runs in torch to our numbers."""

from __future__ import annotations

import contextlib
import io
import warnings

import numpy as np
import pytest

from core.checks import forward_torch, torch_check
from core.checks.torch_code import torch_code
from core.engine.forward import parse_seed, tangents
from core.engine.graph import build_graph
from core.engine.trace import build_trace

PROGRAM = """w = param([[0.5, -1.0], [2.0, 0.25]])
x = torch.tensor([[1.0], [-2.0]])
y = torch.tensor([1])
h = w @ x
z = F.leaky_relu(h.t(), 0.1) / 2 - -0.0
a = z.reshape(1, 2) ** -2 + maximum(z, 0)
loss = F.cross_entropy(a + w.sum(dim=0), y)
"""


def _run(code: str) -> tuple[dict, str]:
    namespace: dict = {}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), warnings.catch_warnings():
        # torch's forward-mode decompositions load through the deprecated jit.script
        warnings.filterwarnings("ignore", "`torch.jit.script` is deprecated",
                                DeprecationWarning)
        exec(compile(code, "<generated>", "exec"), namespace)  # noqa: S102 - our own code
    return namespace, printed.getvalue()


def test_every_generator_writes_ops_with_the_one_function():
    assert torch_check.torch_code is torch_code
    assert forward_torch.torch_code is torch_code


def test_reverse_code_runs_in_torch_to_our_gradients(torch, same):
    trace = build_trace(PROGRAM)
    code = torch_check.generate_code(trace.graph)
    assert code == torch_code(trace.graph).reverse()
    namespace, printed = _run(code)
    same(namespace["w"].grad.double().numpy(), trace.gradient(trace.graph.names["w"]),
         rtol=1e-5, atol=1e-6)
    assert printed == torch_check.printed_output(trace.graph)


def test_forward_code_is_the_reverse_codes_parts_in_a_dual_level(torch, same):
    graph = build_graph(PROGRAM)
    parts = torch_code(graph)
    seed = parse_seed(graph, "w[1, 0]")
    code = forward_torch.forward_code(graph, seed)
    body = [line for line in code.splitlines() if line.startswith("    ")]
    assert [line[4:] for line in body[3:-1]] == parts.body  # the same forward pass
    assert "requires_grad" not in code and "seed[1, 0] = 1.0" in code
    _, printed = _run(code)
    found = tangents(graph, seed)[graph.output]
    theirs = float(printed.split("(")[1].split(")")[0].split(",")[0])
    same(np.float64(theirs), found, rtol=1e-4, atol=1e-6)  # printed to 5 digits


@pytest.mark.parametrize(("k", "written"), [(2.0, "2"), (-1.5, "(-1.5)"), (0.5, "0.5"),
                                            (-3.0, "(-3)")])
def test_a_fixed_power_is_written_as_typed(k, written):
    graph = build_graph(f"w = param(2.0)\nloss = w ** {k!r}\n")
    assert f"loss = w ** {written}" in torch_code(graph).reverse()
