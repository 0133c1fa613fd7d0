"""The same computation in torch autograd, compared number by number with ours.

torch is imported only when a check runs (it takes about a second), never by
``import core``. The comparison runs in float64 so that agreement means "the same to the
last digit"; the generated code and its printed output use torch's default dtype, like
the lesson, so the learner sees exactly what PyTorch prints.

Nothing here executes text: the torch graph is rebuilt op by op from the registry.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from core.base.agreement import ATOL, RTOL, agree, far_entries  # noqa: F401 - RTOL, ATOL: theirs
from core.base.memory import could_not_run, out_of_memory
from core.checks.numeric import agrees, numeric_gradients, unreliable_reason
from core.checks.rounding import (
    CANCELLATION,
    amplification,
    cancels,
    exact_note,
    gradient_scales,
    value_scales,
)
from core.checks.torch_code import python_names, torch_code  # noqa: F401 - python_names: theirs
from core.engine.graph import ComputationGraph, Node
from core.ops import OPS

#: the one ours-vs-torch tolerance (core.base.agreement), by its older name here
same = agree


def _torch():
    import torch  # noqa: PLC0415 - deliberately lazy: ~1 s to import

    return torch


def torch_available() -> tuple[bool, str | None]:
    try:
        _torch()
    except Exception as exc:  # ImportError, or a broken install raising OSError
        return False, f"PyTorch could not be loaded: {exc}"
    return True, None


@dataclass
class ComparisonRow:
    """One line of the side-by-side table: a value or a gradient of one node."""

    name: str
    quantity: str  # "value" | "grad"
    ours: np.ndarray | None
    torch: np.ndarray | None
    numeric: np.ndarray | None = None
    #: True when torch agrees (finite differences never make it False)
    ok: bool = True
    node: int = -1
    #: where the two differ only by rounding: which one is exact, if one is
    note: str | None = None
    #: why the finite difference cannot be trusted here, e.g. "unreliable here: cancellation"
    numeric_note: str | None = None
    #: where ok is False: the flat indices of the entries beyond tolerance (None: all of
    #: them, the shapes or a missing gradient differ)
    differs: np.ndarray | None = None


@dataclass
class TorchReport:
    available: bool
    match: bool | None = None
    error: str | None = None
    rows: list[ComparisonRow] = field(default_factory=list)
    values: dict[str, np.ndarray] = field(default_factory=dict)
    grads: dict[str, np.ndarray | None] = field(default_factory=dict)
    code: str = ""
    printed: str = ""
    #: (node label, grad_fn name) from the output back, e.g. ("loss", "PowBackward0")
    grad_fns: list[tuple[str, str]] = field(default_factory=list)
    #: finite differences that disagree (never a mismatch: torch is the reference)
    warnings: list[str] = field(default_factory=list)

    @property
    def mismatches(self) -> list[str]:
        return [f"{r.name} ({r.quantity})" for r in self.rows if not r.ok]


# ---- building the graph in torch ----------------------------------------------------


def torch_op(node: Node, tensors: list, torch, dtype):
    """``node``'s op through its registry twin, on the tensors made for its inputs; a
    Python number becomes a tensor where the op needs one (or where all inputs are)."""
    entry = OPS[node.op]
    args = []
    for i in node.inputs:
        arg = tensors[i]
        if not isinstance(arg, torch.Tensor) and (entry.tensor_args or entry.reduction):
            arg = torch.tensor(arg, dtype=dtype)
        args.append(arg)
    if not any(isinstance(a, torch.Tensor) for a in args):
        args[0] = torch.tensor(args[0], dtype=dtype)
    return entry.torch(torch, *args, **node.attrs)


def build_torch_graph(graph: ComputationGraph, torch, dtype, leaves: dict | None = None) -> list:
    """One tensor (or, for constants in arithmetic, a Python number) per node.

    ``leaves`` maps parameter names to existing tensors (an optimiser's), so that
    training can rebuild the graph around the same leaves each iteration.
    """
    leaves = leaves or {}
    tensors: list = []
    for node in graph.nodes:
        if node.kind == "operation":
            result = torch_op(node, tensors, torch, dtype)
            if result.requires_grad:
                result.retain_grad()
            tensors.append(result)
        elif node.integer:  # class labels: torch.long, as F.cross_entropy wants them
            tensors.append(torch.tensor(np.asarray(node.value).astype(np.int64).tolist(),
                                        dtype=torch.long))
        elif node.kind == "constant" and np.ndim(node.value) == 0:
            tensors.append(float(node.value))
        elif node.name in leaves and node.kind == "parameter":
            tensors.append(leaves[node.name])
        else:
            tensors.append(torch.tensor(np.asarray(node.value, dtype=np.float64).tolist(),
                                        dtype=dtype, requires_grad=node.kind == "parameter"))
    return tensors


def release(tensors: list) -> None:
    """Free a torch graph from the output back, one node at a time.

    Dropping a deep graph at once frees it recursively in C++, once its grad_fns have
    Python wrappers (walking ``next_functions`` makes them): a 45,000-node chain
    overflows the stack and the process dies with SIGSEGV. Nodes are made in
    topological order, so popping from the end frees the newest first while its inputs
    are still held by the list: every free is one node deep.
    """
    while tensors:
        tensors.pop()


def _as_array(tensor) -> np.ndarray | None:
    if tensor is None:
        return None
    if isinstance(tensor, float):
        return np.float64(tensor)
    return np.asarray(tensor.detach().cpu().double().numpy(), dtype=np.float64)[()]


def _grad_fn_chain(graph: ComputationGraph, tensors: list) -> list[tuple[str, str]]:
    owners = {}
    for node, tensor in zip(graph.nodes, tensors, strict=True):
        fn = getattr(tensor, "grad_fn", None)
        if fn is not None:
            owners[id(fn)] = node.label
    start = getattr(tensors[graph.output], "grad_fn", None)
    chain, seen, queue = [], set(), [start] if start is not None else []
    while queue:
        fn = queue.pop(0)
        if fn is None or id(fn) in seen:
            continue
        seen.add(id(fn))
        if fn.name() == "torch::autograd::AccumulateGrad":
            variable = getattr(fn, "variable", None)
            label = next((n.label for n, t in zip(graph.nodes, tensors, strict=True)
                          if t is variable), "")
            chain.append((label, "AccumulateGrad"))
        else:
            chain.append((owners.get(id(fn), ""), fn.name()))
        queue.extend(next_fn for next_fn, _ in fn.next_functions)
    return chain


def compare(graph: ComputationGraph, grads: dict[int, np.ndarray], with_numeric: bool = True,
            *, numeric: dict | None = None, trace=None) -> TorchReport:
    """Run torch autograd on the graph and compare every value and gradient with ours.

    ``grads`` are our gradients by node id (``Trace.grads``); a parameter missing from
    it has gradient 0 here and ``None`` in torch, which counts as a match. ``numeric``
    are finite differences already computed (so the caller's are not computed twice);
    ``trace`` (the one ``grads`` came from) lets gradient tolerances allow for
    cancellation in the backward pass too. ✗ and ``match = False`` mean torch
    disagrees, and nothing else: finite differences that disagree are a warning.
    """
    ok, error = torch_available()
    code = generate_code(graph)
    if not ok:
        return TorchReport(False, None, error, code=code)
    torch = _torch()
    report = TorchReport(True, code=code)
    tensors: list = []
    try:
        try:
            tensors = build_torch_graph(graph, torch, torch.float64)
            out = tensors[graph.output]
            if isinstance(out, torch.Tensor) and out.requires_grad:
                out.backward()
            del out
            report.grad_fns = _grad_fn_chain(graph, tensors)
            report.printed = printed_output(graph)
        except Exception as exc:  # torch refused something we accepted: show it, don't crash
            if out_of_memory(exc):
                return could_not_run(report, exc)
            report.error = f"PyTorch raised {type(exc).__name__}: {exc}"
            report.match = False
            return report
        try:
            _fill_rows(report, graph, grads, tensors, torch, trace,
                       numeric if numeric is not None else
                       numeric_gradients(graph) if with_numeric else {})
        except MemoryError as exc:
            return could_not_run(report, exc)
    finally:
        release(tensors)
    report.match = all(r.ok for r in report.rows)
    return report


def _fill_rows(report: TorchReport, graph: ComputationGraph, grads: dict, tensors: list,
               torch, trace, numeric: dict) -> None:
    values = value_scales(graph, trace)
    gscales = gradient_scales(trace, values) if trace is not None else {}
    for node, tensor in zip(graph.nodes, tensors, strict=True):
        if node.kind == "constant" or node.name is None and node.kind != "operation":
            continue
        name = node.name or node.label
        theirs = _as_array(tensor)
        row = ComparisonRow(name, "value", node.value, theirs, None,
                            agree(node.value, theirs, values[node.id]), node.id)
        if not row.ok:
            row.differs = far_entries(node.value, theirs, values[node.id])
        if row.ok:
            row.note = exact_note(graph, node.id, node.value, theirs)
        report.rows.append(row)
        if node.name:
            report.values[name] = theirs
    for node, tensor in zip(graph.nodes, tensors, strict=True):
        if node.kind not in ("parameter", "operation"):
            continue
        if node.kind == "operation" and node.id not in grads:
            continue
        name = node.name or node.label
        ours = grads.get(node.id)
        theirs = _as_array(tensor.grad) if isinstance(tensor, torch.Tensor) else None
        if node.id == graph.output and theirs is None and isinstance(tensor, torch.Tensor) \
                and tensor.requires_grad:
            theirs = np.float64(1.0)  # torch seeds the output with 1 but does not store it
        if ours is None:
            ours = np.zeros_like(node.value) + 0.0
            match = theirs is None or agree(ours, theirs)
        else:
            match = agree(ours, theirs, gscales.get(node.id, 0.0))
        num = numeric.get(node.name) if node.kind == "parameter" else None
        row = ComparisonRow(name, "grad", ours, theirs, num, match, node.id)
        if not match:
            row.differs = far_entries(ours, theirs, gscales.get(node.id, 0.0))
        if num is not None and not agrees(ours, num):
            cancelled = bool(np.max(amplification(gscales.get(node.id, 0.0), ours)) > CANCELLATION
                             or cancels(graph, values))
            row.numeric_note = f"unreliable here: {unreliable_reason(graph, cancelled)}"
            report.warnings.append(f"{name} (grad): finite differences {row.numeric_note}")
        report.rows.append(row)
        if node.name:
            report.grads[name] = theirs


# ---- code the learner can paste into Python -----------------------------------------


def generate_code(graph: ComputationGraph) -> str:
    """PyTorch code that rebuilds the graph, prints the output and the parameters' grads
    (:mod:`core.checks.torch_code`, the one code generator)."""
    return torch_code(graph).reverse()


def printed_output(graph: ComputationGraph) -> str:
    """What running :func:`generate_code` prints, computed in-process without running text."""
    torch = _torch()
    tensors = build_torch_graph(graph, torch, torch.get_default_dtype())
    try:
        out = tensors[graph.output]
        lines = [str(out)]
        if graph.parameters and graph.relevant[graph.output]:
            out.backward()
            for node in graph.parameters:
                lines.append(str(tensors[node.id].grad))
        del out
    finally:
        release(tensors)  # never freed all at once: see release()
    return "\n".join(lines) + "\n"


__all__ = ["ComparisonRow", "TorchReport", "compare", "generate_code", "printed_output",
           "release", "same", "torch_available"]
