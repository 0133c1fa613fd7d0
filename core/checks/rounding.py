"""How much rounding a value or a gradient is entitled to, for the comparison with torch.

A tolerance relative to the *result* fails where terms cancel: ``sum([1e16, 1, 1, 1,
-1e16])`` is 0 here and 3 in torch (its summation order depends on its SIMD width), and
both are honest float64 roundings. The scale here is the sum of the terms' magnitudes,
carried through the graph (first-order error propagation), so a tolerance relative to
it accepts exactly the rounding both sides are entitled to. Where one side is exact
(a sum, recomputed with ``math.fsum``), the comparison can say which. The comparison
itself is :func:`core.base.agreement.agree`, given these scales.
"""

from __future__ import annotations

import math

import numpy as np

from core.base.agreement import agree, agree_entries, largest
from core.engine.graph import ComputationGraph

#: ops whose error is absolute, carried from the inputs unchanged (or summed)
_ADDITIVE = {"add", "sub"}
_PASS_THROUGH = {"neg", "abs", "relu", "maximum", "minimum"}
#: reductions that add their inputs up: torch and we may add them in different orders
_SUMS = {"sum", "mean"}
#: past this ratio of scale to value, the value is mostly cancellation
CANCELLATION = 1e4
#: the one ours-vs-torch tolerance (core.base.agreement), by the names this module gave it
close, close_entries = agree, agree_entries


def _abs(value) -> np.ndarray:
    return np.abs(np.asarray(value, dtype=np.float64))


def amplification(scale, value) -> np.ndarray:
    """Scale over |value| (≥ 1): 1 where nothing cancelled, inf where all of it did."""
    with np.errstate(all="ignore"):
        size = _abs(value)
        ratio = np.where(size > 0, scale / np.where(size > 0, size, 1.0),
                         np.where(scale > 0, np.inf, 1.0))
    return np.fmax(ratio, 1.0)


def value_scales(graph: ComputationGraph, trace=None) -> list[np.ndarray]:
    """Per node: the magnitude its rounding error is relative to.

    Inputs are exact (0). Each op adds its own rounding, relative to the magnitude of
    its terms for a sum or a difference and to its result otherwise, plus its inputs'
    error carried by its local gradients (with the trace, for inputs that need a
    gradient; else a rule per op).
    """
    local = getattr(trace, "local", None) or {}
    scales: list[np.ndarray] = []
    with np.errstate(all="ignore"):
        for node in graph.nodes:
            own = _abs(node.value)
            if node.kind != "operation":
                scales.append(np.zeros_like(own))
                continue
            try:
                ins = [scales[i] for i in node.inputs]
                edges = [(i, node.id, p) for p, i in enumerate(node.inputs)]
                terms = [_abs(graph.nodes[i].value) for i in node.inputs]
                if node.op in _ADDITIVE | _SUMS:  # rounding of the partial sums
                    rounding = _scale_of(graph, node, terms, own)
                else:
                    rounding = own
                if all(e in local for e in edges):
                    carried = sum(_carried(_abs(local[e]) * s, own)
                                  for e, s in zip(edges, ins, strict=True))
                else:
                    carried = _scale_of(graph, node, ins, own, terms)
                scale = np.broadcast_to(rounding + carried, np.shape(own))
            except ValueError:  # shapes these rules do not know: the value's own size
                scale = own
            scales.append(np.nan_to_num(scale, nan=np.inf) + 0.0)
    return scales


def _carried(term: np.ndarray, own: np.ndarray) -> np.ndarray:
    """An input's share in the shape of the output: summed for a reduction."""
    term = np.nan_to_num(term, nan=np.inf)
    if np.shape(term) == np.shape(own):
        return term
    if np.ndim(own) == 0 or np.size(term) > np.size(own):
        return np.sum(term)
    return np.broadcast_to(term, np.shape(own))


def _scale_of(graph: ComputationGraph, node, ins: list[np.ndarray], own: np.ndarray,
              terms: list[np.ndarray] | None = None):
    """How an op carries the magnitudes ``ins`` of its inputs (``terms``: the inputs'
    sizes, for products): sums add them, products weigh them by the other factor,
    anything else carries their relative size (first order)."""
    if node.op in _ADDITIVE:
        return ins[0] + ins[1]
    if node.op in _PASS_THROUGH:
        return ins[0] if len(ins) == 1 else np.fmax(ins[0], ins[1])
    if node.op == "sum":
        return np.sum(ins[0])
    if node.op == "mean":
        return np.mean(ins[0])
    if node.op in ("max", "min"):
        return np.max(ins[0])
    if node.op == "mul" and terms is not None:
        return ins[0] * terms[1] + terms[0] * ins[1]
    rel = np.zeros_like(own)
    for i, s in zip(node.inputs, ins, strict=True):
        amp = np.where(s > 0, amplification(s, graph.nodes[i].value), 0.0)
        rel = np.fmax(rel, amp if np.shape(amp) == np.shape(own) else np.max(amp))
    return np.where(np.isinf(rel), np.inf, own * rel)


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
                try:
                    term = np.nan_to_num(upstream * _abs(c.local) * worst, nan=np.inf)
                except ValueError:  # a Jacobian this rule cannot read: no allowance
                    term = np.zeros(np.shape(node.value))
                if np.shape(term) != np.shape(node.value):
                    term = np.sum(term)  # summed back (broadcast): bounded by the total
                total = total + term
            scales[node.id] = np.fmax(total, _abs(trace.grads.get(node.id, 0.0))) + 0.0
    return scales


def cancels(graph: ComputationGraph, values: list[np.ndarray]) -> bool:
    """True where a sum or a difference lost most of its terms' magnitude."""
    return any(node.kind == "operation" and node.op in _ADDITIVE | _SUMS
               and np.max(amplification(values[node.id], node.value)) > CANCELLATION
               for node in graph.nodes)


def exact_note(graph: ComputationGraph, node_id: int, ours, theirs) -> str | None:
    """For a sum that the two sides rounded differently: which of them is exact."""
    node = graph.nodes[node_id]
    if node.kind != "operation" or node.op not in _SUMS or theirs is None \
            or np.ndim(theirs) != 0 or np.ndim(ours) != 0:  # a sum along a dim: many sums
        return None
    if np.array_equal(np.asarray(ours), np.asarray(theirs)):
        return None
    if np.ndim(ours) or np.ndim(theirs):
        return None  # a sum along one dim: the note is about one whole sum's number
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


#: A recorded run (core/record) compares our float64 rules, applied to torch's float32
#: numbers, with torch's float32 results. float32 keeps about 7 digits; a result summed
#: over n terms may lose about log2(n) bits more, so each entry may differ by
#: RECORDED_RTOL of itself plus RECORDED_ATOL_SCALE of the largest entry of the tensor
#: (the part of a sum's rounding that no single entry's size shows).
RECORDED_RTOL = 1e-4
RECORDED_ATOL_SCALE = 1e-5


def recorded_close(ours, torchs) -> bool:
    """Ours (float64) against torch's float32 numbers, within the tolerances above."""
    b = np.asarray(torchs, dtype=np.float64)
    with np.errstate(all="ignore"):
        scale = largest(b[np.isfinite(b)])
    return agree(ours, b, rtol=RECORDED_RTOL, atol=RECORDED_ATOL_SCALE * scale + 1e-30)
