"""Finite-difference gradients: a second, independent check of the backward pass.

Central differences in float64. Near a kink or a domain edge (relu at 0, a max tie,
sqrt/log at 0, …) the difference quotient means nothing, so there the check says
"not used" (``None``) instead of showing a number that disagrees for no good reason.
"""

from __future__ import annotations

import numpy as np

from core.engine.graph import ComputationGraph, evaluate
from core.ops import OPS

STEP = 1e-6
#: element evaluations the check may spend: 2 passes per parameter entry, each computing
#: every entry of every node (a 100,000-entry parameter on one line would be 4·10¹⁰ and
#: take minutes): past it the check says "not used"
BUDGET = 20_000_000
#: and forward passes × nodes (each node costs ~10 µs of Python however small it is:
#: 200 parameters on a 50,000-node graph would be minutes of passes)
PASS_BUDGET = 2_000_000
#: past this size an argument makes the step h = 10⁻⁶·|x| too coarse to mean anything
HUGE = 1e8


def work(graph: ComputationGraph) -> int:
    """Element evaluations central differences would take: 2 · entries · Σ node sizes."""
    entries = sum(int(np.size(node.value)) for node in graph.parameters)
    return 2 * entries * sum(int(np.size(node.value)) for node in graph.nodes)


def unreliable_reason(graph: ComputationGraph, cancelled: bool) -> str:
    """Why finite differences may disagree where torch agrees with us."""
    if cancelled:
        return "cancellation"
    if any(np.any(np.abs(np.asarray(n.value, dtype=np.float64)) > HUGE) for n in graph.nodes
           if n.kind != "constant"):
        return "huge arguments"
    return "rounding in the difference quotient"


def _near_kink(graph: ComputationGraph, values: list[np.ndarray], tol: float) -> bool:
    for node in graph.nodes:
        if node.kind == "operation" and graph.reaches_output[node.id]:
            inputs = tuple(values[i] for i in node.inputs)
            if OPS[node.op].near_kink(inputs, node.attrs, tol):
                return True
    return False


def numeric_gradients(graph: ComputationGraph) -> dict[str, np.ndarray | None]:
    """∂output/∂parameter by central differences, or None where it cannot be trusted."""
    base = [node.value for node in graph.nodes]
    passes = 2 * sum(int(np.size(node.value)) for node in graph.parameters)
    if work(graph) > BUDGET or passes * len(graph.nodes) > PASS_BUDGET \
            or not all(np.all(np.isfinite(v)) for v in base) or _near_kink(graph, base, 1e-4):
        return {node.name: None for node in graph.parameters}
    result: dict[str, np.ndarray | None] = {}
    output = graph.output
    for node in graph.parameters:
        if not graph.reaches_output[node.id]:
            result[node.name] = np.zeros_like(node.value) + 0.0
            continue
        flat = np.array(node.value, dtype=np.float64).ravel()  # any shape, one entry at a time
        grad = np.empty_like(flat)
        for i in range(flat.size):
            h = STEP * max(1.0, abs(flat[i]))
            plus, minus = flat.copy(), flat.copy()
            plus[i] += h
            minus[i] -= h
            shape = np.shape(node.value)
            up = evaluate(graph, {node.id: plus.reshape(shape)[()]})[output]
            down = evaluate(graph, {node.id: minus.reshape(shape)[()]})[output]
            grad[i] = (float(up) - float(down)) / (2 * h)
        result[node.name] = grad.reshape(np.shape(node.value))[()] + 0.0
    return result


def agrees(analytic, numeric, rtol: float = 1e-4, atol: float = 1e-6) -> bool:
    """Finite differences carry truncation and rounding error: a looser tolerance."""
    return bool(np.allclose(analytic, numeric, rtol=rtol, atol=atol))
