"""Finite-difference gradients: a second, independent check of the backward pass.

Central differences in float64. Near a kink or a domain edge (relu at 0, a max tie,
sqrt/log at 0, …) the difference quotient means nothing, so there the check says
"not used" (``None``) instead of showing a number that disagrees for no good reason.
"""

from __future__ import annotations

import numpy as np

from core.graph import ComputationGraph, evaluate
from core.ops import OPS

STEP = 1e-6
#: forward evaluations × nodes the check may spend (a 1,000-entry parameter vector on a
#: 1,000-node graph would be 2,000 passes): past it the check says "not used"
BUDGET = 2_000_000


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
    entries = sum(int(np.size(node.value)) for node in graph.parameters)
    if 2 * entries * len(graph.nodes) > BUDGET or not all(np.all(np.isfinite(v)) for v in base) \
            or _near_kink(graph, base, 1e-4):
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
