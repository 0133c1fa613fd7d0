"""Forward mode in PyTorch: ``torch.autograd.forward_ad``, compared tangent by tangent.

The torch graph is rebuilt op by op from the registry (nothing typed is executed), with
the seeded input made a dual tensor (``make_dual``) inside ``dual_level``; every node's
tangent comes back with ``unpack_dual``. :func:`forward_code` is the same computation as
code the learner can paste, shown like the reverse-mode code.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from core.base.agreement import RTOL, agree
from core.checks.torch_check import torch_available, torch_op
from core.checks.torch_code import torch_code
from core.engine.forward import Seed, named_tangents
from core.engine.graph import ComputationGraph


@dataclass
class ForwardReport:
    """torch's tangents by name, and which of ours agree (a ✓ per node)."""

    available: bool
    match: bool | None = None
    error: str | None = None
    tangents: dict[str, np.ndarray] = field(default_factory=dict)
    ok: dict[str, bool] = field(default_factory=dict)
    code: str = ""


def build_with(graph: ComputationGraph, torch, replace: dict) -> list:
    """The graph in torch float64 from the registry's twins, with the leaves in
    ``replace`` (node id → tensor) taken as given: a dual tensor, or torch.func's input."""
    tensors: list = []
    dtype = torch.float64
    for node in graph.nodes:
        if node.kind == "operation":
            tensors.append(torch_op(node, tensors, torch, dtype))
        elif node.integer:
            tensors.append(torch.tensor(np.asarray(node.value).astype(np.int64).tolist(),
                                        dtype=torch.long))
        elif node.kind == "constant" and np.ndim(node.value) == 0:
            tensors.append(float(node.value))
        elif node.id in replace:
            tensors.append(replace[node.id])
        else:
            tensors.append(torch.tensor(np.asarray(node.value, dtype=np.float64).tolist(),
                                        dtype=dtype))
    return tensors


def compare_forward(graph: ComputationGraph, seed: Seed, found: dict[int, np.ndarray]
                    ) -> ForwardReport:
    """Run torch's forward-mode AD from ``seed`` and compare every named node's tangent."""
    ok, error = torch_available()
    code = forward_code(graph, seed)
    if not ok:
        return ForwardReport(False, None, error, code=code)
    import torch  # noqa: PLC0415 - lazy, as in core.checks.torch_check
    import torch.autograd.forward_ad as fwad  # noqa: PLC0415

    report = ForwardReport(True, code=code)
    try:
        with fwad.dual_level(), warnings.catch_warnings():
            # torch loads its forward-mode decompositions through torch.jit.script once,
            # which warns that jit.script is deprecated: torch's own matter
            warnings.filterwarnings("ignore", "`torch.jit.script` is deprecated",
                                    DeprecationWarning)
            primal = torch.tensor(np.asarray(graph.nodes[seed.node].value).tolist(),
                                  dtype=torch.float64)
            tangent = torch.tensor(np.asarray(seed.tangent).tolist(), dtype=torch.float64)
            tensors = build_with(graph, torch, {seed.node: fwad.make_dual(primal, tangent)})
            theirs = {}
            for name, i in graph.names.items():
                tensor = tensors[i]
                tangent = fwad.unpack_dual(tensor).tangent if isinstance(
                    tensor, torch.Tensor) else None
                if tangent is None:
                    value = np.zeros_like(np.asarray(graph.nodes[i].value, dtype=np.float64))
                else:
                    value = tangent.detach().numpy().astype(np.float64)
                theirs[name] = value[()]
    except Exception as exc:  # torch refused something we accepted: show it
        report.error = f"PyTorch raised {type(exc).__name__}: {exc}"
        report.match = False
        return report
    ours = named_tangents(graph, found)
    for name, value in theirs.items():
        report.tangents[name] = value
        report.ok[name] = agree(ours[name], value, rtol=RTOL * 1e3, atol=1e-10)
    report.match = all(report.ok.values())
    return report


def forward_code(graph: ComputationGraph, seed: Seed) -> str:
    """PyTorch code for the forward-mode pass: the reverse-mode code's leaves and
    forward pass (the same :func:`core.checks.torch_code.torch_code` parts), inside
    ``fwAD.dual_level()``, printing ∂output/∂w."""
    code = torch_code(graph)
    seeded = code.names.get(seed.node, seed.wrt)
    return code.forward_mode(seeded, seed.wrt, seed.index, graph.output_node.label)


__all__ = ["ForwardReport", "build_with", "compare_forward", "forward_code"]
