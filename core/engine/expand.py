"""Tensor math spelled out: one gradient entry as its sum, and tiny explicit Jacobians.

A matmul's backward step shows ``Xᵀ · G``; a learner who clicks an entry of the result
gets that entry as the sum it is, with the actual numbers (a conv2d's: core.engine.expand_conv):

    ∂loss/∂W[0, 1] = Σ_b X[b, 0] · G[b, 1] = 1 · 0.25 + 4 · 0.25 = 1.25

:func:`jacobian_of` gives the whole Jacobian of one edge when both sides are tiny (at
most 16 entries), built from the op's own VJP, so it is the rule the trace used.
"""

from __future__ import annotations

import numpy as np

from core.base.format import format_number
from core.engine.backprop import Contribution
from core.engine.expand_conv import ConvZoom, conv_zoom, max_pool_entry
from core.engine.trace import BackwardStep, LocalGradientStep, Trace, d
from core.ops import OPS, jacobian

MAX_TERMS = 8


def _index(index: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(i) for i in index) + "]" if index else ""


def _terms(pairs: list[tuple[float, float]]) -> str:
    texts = [f"{_n(a)} · {_n(b)}" for a, b in pairs]
    if len(texts) > MAX_TERMS:
        texts = [*texts[: MAX_TERMS - 2], "…", texts[-1]]
    return " + ".join(texts)


def _n(x: float) -> str:
    text = format_number(x)
    return f"({text})" if text.startswith("−") else text


def _matmul_terms(graph, consumer, position: int, g: np.ndarray,
                  index: tuple[int, ...]) -> tuple[str, list]:
    """A matmul's VJP for one entry: the rule (``Σ_k G[i, k] · B[j, k]``) and its terms."""
    a, b = (graph.nodes[i] for i in consumer.inputs)
    av, bv = np.asarray(a.value), np.asarray(b.value)
    an, bn = a.label, b.label
    if position == 1 and av.ndim == 2 and bv.ndim == 2:
        i, j = index
        pairs = [(av[k, i], g[k, j]) for k in range(av.shape[0])]
        rule = f"Σ_b {an}[b, {i}] · G[b, {j}]"
    elif position == 0 and av.ndim == 2 and bv.ndim == 2:
        i, j = index
        pairs = [(g[i, k], bv[j, k]) for k in range(bv.shape[1])]
        rule = f"Σ_k G[{i}, k] · {bn}[{j}, k]"
    elif av.ndim == 1 and bv.ndim == 1:
        (i,) = index
        other = bv if position == 0 else av
        pairs = [(float(g), other[i])]
        rule = f"G · {(bn if position == 0 else an)}[{i}]"
    elif position == 0 and av.ndim == 1:  # a (k) @ B (k×n)
        (i,) = index
        pairs = [(bv[i, k], g[k]) for k in range(bv.shape[1])]
        rule = f"Σ_j {bn}[{i}, j] · G[j]"
    elif position == 1 and av.ndim == 1:
        i, j = index
        pairs = [(av[i], g[j])]
        rule = f"{an}[{i}] · G[{j}]"
    elif position == 0:  # A (m×k) @ b (k)
        i, j = index
        pairs = [(g[i], bv[j])]
        rule = f"G[{i}] · {bn}[{j}]"
    else:
        (j,) = index
        pairs = [(av[k, j], g[k]) for k in range(av.shape[0])]
        rule = f"Σ_i {an}[i, {j}] · G[i]"
    return rule, pairs


def expand_element(trace: Trace, step: BackwardStep, index: tuple[int, ...],
                   contribution: int = 0) -> str:
    """One entry of a backward step's gradient, from one contribution, as its sum."""
    graph = trace.graph
    c: Contribution = step.contributions[contribution]
    node = graph.nodes[step.node_id]
    consumer = graph.nodes[c.consumer]
    index = tuple(int(i) for i in index)
    value = np.asarray(c.value)
    if index and not (len(index) == value.ndim and all(0 <= i < n for i, n in
                                                       zip(index, value.shape, strict=True))):
        raise IndexError(f"{index} is outside the gradient's shape {value.shape}")
    target = f"{d(step.output_label, _label(node))}{_index(index)}"
    g = np.asarray(c.upstream, dtype=np.float64)
    result = format_number(value[index] if index else value)
    if consumer.op == "matmul":
        rule, pairs = _matmul_terms(graph, consumer, c.position, g, index)
        return f"{target} = {rule} = {_terms(pairs)} = {result}  (G = " \
               f"{d(step.output_label, _label(consumer))})"
    if consumer.op == "conv2d":
        return conv_entry(trace, step, index, contribution).text
    if consumer.op == "max_pool2d":
        return max_pool_entry(target, np.broadcast_to(g, np.shape(consumer.value)),
                              graph.nodes[consumer.inputs[0]].value, consumer.attrs, index,
                              value[index], d(step.output_label, _label(consumer)))
    if c.local is not None:
        local = np.broadcast_to(np.asarray(c.local, dtype=np.float64),
                                np.broadcast_shapes(np.shape(c.local), g.shape))
        gb = np.broadcast_to(g, local.shape)
        positions = _sources(index, value.shape, local.shape)
        pairs = [(gb[p], local[p]) for p in positions]
        rule = "G · local" if len(pairs) == 1 else "Σ G · local over the broadcast copies"
        return f"{target} = {rule} = {_terms(pairs)} = {result}"
    return f"{target} = {result}"


def conv_entry(trace: Trace, step: BackwardStep, index: tuple[int, ...],
               contribution: int = 0) -> ConvZoom:
    """A conv2d input's gradient entry as its sum, with the cells its terms read."""
    graph = trace.graph
    c: Contribution = step.contributions[contribution]
    node, consumer = graph.nodes[step.node_id], graph.nodes[c.consumer]
    index = tuple(int(i) for i in index)
    value = np.asarray(c.value)
    operands = [graph.nodes[i] for i in consumer.inputs]
    return conv_zoom(f"{d(step.output_label, _label(node))}{_index(index)}",
                     np.asarray(np.broadcast_to(c.upstream, np.shape(consumer.value)),
                                dtype=np.float64),
                     [n.value for n in operands], [n.label for n in operands], consumer.attrs,
                     c.position, index, value[index],
                     d(step.output_label, _label(consumer)))


def _sources(index: tuple[int, ...], shape: tuple[int, ...], full: tuple[int, ...]) -> list:
    """The positions of a broadcast product that sum into ``index`` of ``shape``."""
    lead = len(full) - len(shape)
    ranges = []
    for axis, size in enumerate(full):
        if axis < lead:
            ranges.append(range(size))
        elif shape[axis - lead] == 1 and size != 1:
            ranges.append(range(size))
        else:
            ranges.append([index[axis - lead]] if index else [0])
    positions = [()]
    for r in ranges:
        positions = [p + (i,) for p in positions for i in r]
    return positions


def _label(node):
    from core.engine.graph import Operand  # noqa: PLC0415 - a small value class

    return Operand(node.label, node.atomic)


def jacobian_of(trace: Trace, step: LocalGradientStep, limit: int = 16) -> np.ndarray | None:
    """∂consumer/∂source of a local step as a matrix (output entries × input entries),
    or None when either has more than ``limit`` entries."""
    graph = trace.graph
    source, consumer, position = step.edge
    node = graph.nodes[consumer]
    inputs = tuple(graph.nodes[i].value for i in node.inputs)
    return jacobian(OPS[node.op], inputs, node.attrs, position, limit)
