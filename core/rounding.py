"""How much rounding a value or a gradient is entitled to, for the comparison with torch.

A tolerance relative to the *result* fails where terms cancel: ``sum([1e16, 1, 1, 1,
-1e16])`` is 0 here and 3 in torch (its summation order depends on its SIMD width), and
both are honest float64 roundings. The scale here is the sum of the terms' magnitudes,
carried through the graph (first-order error propagation), so a tolerance relative to
it accepts exactly the rounding both sides are entitled to. Where one side is exact
(a sum, recomputed with ``math.fsum``), the comparison can say which.
"""

from __future__ import annotations

import math

import numpy as np

from core.graph import ComputationGraph

#: ops whose error is absolute, carried from the inputs unchanged (or summed)
_ADDITIVE = {"add", "sub"}
_PASS_THROUGH = {"neg", "abs", "relu", "maximum", "minimum"}
#: reductions that add their inputs up: torch and we may add them in different orders
_SUMS = {"sum", "mean"}
#: past this ratio of scale to value, the value is mostly cancellation
CANCELLATION = 1e4


def _abs(value) -> np.ndarray:
    return np.abs(np.asarray(value, dtype=np.float64))


def amplification(scale, value) -> np.ndarray:
    """Scale over |value| (≥ 1): 1 where nothing cancelled, inf where all of it did."""
    with np.errstate(all="ignore"):
        size = _abs(value)
        ratio = np.where(size > 0, scale / np.where(size > 0, size, 1.0),
                         np.where(scale > 0, np.inf, 1.0))
    return np.fmax(ratio, 1.0)


def value_scales(graph: ComputationGraph) -> list[np.ndarray]:
    """Per node: the magnitude its rounding error is relative to (≥ |value|)."""
    scales: list[np.ndarray] = []
    with np.errstate(all="ignore"):
        for node in graph.nodes:
            own = _abs(node.value)
            if node.kind != "operation":
                scales.append(own)
                continue
            ins = [scales[i] for i in node.inputs]
            if node.op in _ADDITIVE:
                scale = ins[0] + ins[1]
            elif node.op in _PASS_THROUGH:
                scale = ins[0] if len(ins) == 1 else np.fmax(ins[0], ins[1])
            elif node.op == "sum":
                scale = np.sum(ins[0])
            elif node.op == "mean":
                scale = np.mean(ins[0])
            elif node.op in ("max", "min"):
                scale = np.max(ins[0])
            elif node.op == "mul":
                scale = ins[0] * ins[1]
            else:  # relative error in, relative error out (to first order)
                rel = np.ones_like(own)
                for i, s in zip(node.inputs, ins, strict=True):
                    amp = amplification(s, graph.nodes[i].value)
                    rel = np.fmax(rel, np.max(amp) if np.ndim(amp) > np.ndim(own) else amp)
                scale = np.where(np.isinf(rel), np.inf, own * rel)
            scales.append(np.fmax(np.broadcast_to(scale, np.shape(own)), own) + 0.0)
    return scales


def gradient_scales(trace, values: list[np.ndarray]) -> dict[int, np.ndarray]:
    """Per node with a gradient: Σ |upstream scale · local|, amplified where a
    consumer's inputs cancelled (its local gradient is made of them)."""
    graph = trace.graph
    scales: dict[int, np.ndarray] = {}
    if graph.output in trace.grads:
        scales[graph.output] = np.float64(1.0)
    amp = [float(np.max(amplification(s, n.value))) for s, n in zip(values, graph.nodes,
                                                                     strict=True)]
    with np.errstate(all="ignore"):
        for step in trace.steps:
            contributions = getattr(step, "contributions", None)
            if step.phase != "backward" or contributions is None:
                continue
            node = graph.nodes[step.node]
            total = np.zeros(np.shape(node.value))
            for c in contributions:
                upstream = scales.get(c.consumer, _abs(c.upstream))
                worst = max(amp[i] for i in graph.nodes[c.consumer].inputs)
                term = np.nan_to_num(upstream * _abs(c.local) * worst, nan=np.inf)
                if np.ndim(term) > np.ndim(node.value):
                    term = np.sum(term)
                total = total + term
            scales[node.id] = np.fmax(total, _abs(trace.grads.get(node.id, 0.0))) + 0.0
    return scales


def close(ours, theirs, scale=0.0, rtol: float = 1e-9, atol: float = 1e-12) -> bool:
    """|ours − theirs| ≤ atol + rtol · max(|ours|, |theirs|, scale); nan equals nan,
    an infinity only the same infinity."""
    if ours is None or theirs is None:
        return ours is None and theirs is None
    a = np.asarray(ours, dtype=np.float64)
    b = np.asarray(theirs, dtype=np.float64)
    if a.shape != b.shape:
        return False
    with np.errstate(all="ignore"):
        bound = atol + rtol * np.fmax(np.fmax(np.abs(a), np.abs(b)), scale)
        finite = np.isfinite(a) & np.isfinite(b)
        ok = (np.isnan(a) & np.isnan(b)) | (a == b) | (finite & (np.abs(a - b) <= bound))
    return bool(np.all(ok))


def exact_note(graph: ComputationGraph, node_id: int, ours, theirs) -> str | None:
    """For a sum that the two sides rounded differently: which of them is exact."""
    node = graph.nodes[node_id]
    if node.kind != "operation" or node.op not in _SUMS or theirs is None:
        return None
    if np.array_equal(np.asarray(ours), np.asarray(theirs)):
        return None
    terms = np.ravel(np.asarray(graph.nodes[node.inputs[0]].value, dtype=np.float64))
    if not np.all(np.isfinite(terms)):
        return None
    exact = math.fsum(terms.tolist())
    if node.op == "mean":
        exact /= terms.size
    if float(theirs) == exact:
        return "rounding: torch's is exact"
    if float(ours) == exact:
        return "rounding: ours is exact"
    return f"rounding: both round (exact {exact!r})"
