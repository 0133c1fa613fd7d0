"""The backward pass: one reversed loop over the topological order, VJPs summed.

As in micrograd's ``backward()`` and autodidact's ``backward_pass``: every node, from
the output back, takes one contribution from each consumer, the consumer's VJP for
that operand, summed back to the node's shape by :func:`core.base.values.unbroadcast` — the
one place broadcasting is undone. Contributions are *added* (a value used twice gets
two), in torch's order, so the last digit agrees too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.base import cancel
from core.base.values import as_value, unbroadcast
from core.engine.graph import ComputationGraph
from core.ops import OPS, chain, vjp
from core.ops.base import zero_where_local_is

Edge = tuple[int, int, int]  # (source node, consumer node, operand position)


@dataclass(slots=True)
class Contribution:
    """One term of ``∂out/∂node = Σ ∂out/∂consumer · ∂consumer/∂node``."""

    consumer: int
    position: int
    upstream: np.ndarray
    #: the edge's local gradient; None for an op whose rule is only a VJP (matmul …)
    local: np.ndarray | None
    value: np.ndarray
    broadcast: bool


def local_gradients(graph: ComputationGraph) -> dict[Edge, np.ndarray | None]:
    """Every edge the gradient flows along, with its local gradient (None where the op
    has only a VJP), in the order of the local phase: consumers from the output back,
    operands left to right. One pass over the nodes: a 10,000-node graph feels every
    extra lookup here."""
    nodes, relevant = graph.nodes, graph.relevant
    local: dict[Edge, np.ndarray | None] = {}
    float64 = np.float64
    stop = cancel.token()
    with np.errstate(all="ignore"):
        for node in reversed(nodes[: graph.output + 1]):
            if node.kind != "operation" or not relevant[node.id]:
                continue
            stop.check()  # a superseded build stops between ops (core.base.cancel)
            entry = OPS[node.op]
            grads = None
            for position, source in enumerate(node.inputs):
                if not relevant[source] or position in entry.no_grad:
                    continue
                if entry.kind == "vjp":
                    local[(source, node.id, position)] = None
                    continue
                if grads is None:
                    inputs = tuple(nodes[i].value for i in node.inputs)
                    grads = entry.local(inputs, node.value, node.attrs)
                g = grads[position]
                local[(source, node.id, position)] = g if type(g) is float64 else as_value(g)
    return local


def backward_pass(graph: ComputationGraph, local: dict[Edge, np.ndarray | None]
                  ) -> tuple[dict[int, np.ndarray], list[tuple[int, list[Contribution]]]]:
    """∂output/∂node for every node on a parameter→output path, and per node (in the
    order of the backward phase) its contributions."""
    nodes = graph.nodes
    relevant = graph.relevant
    grads: dict[int, np.ndarray] = {}
    order: list[tuple[int, list[Contribution]]] = []
    output = graph.output
    if not relevant[output]:
        return grads, order
    grads[output] = np.float64(1.0)  # seed ∂out/∂out = 1
    # consumers whose rule is more than upstream · local: a chain rule of torch's own, a
    # reduction's spread, or a VJP
    special = {n.id for n in nodes if n.kind == "operation"
               and (OPS[n.op].chain_rule not in (None, zero_where_local_is)
                    or OPS[n.op].kind != "elementwise")}
    # relu, maximum, minimum: a plain product while the upstream gradient is a finite
    # number (a zero local gradient masks only an inf or nan)
    masking = {n.id for n in nodes if n.kind == "operation"
               and OPS[n.op].chain_rule is zero_where_local_is}
    stop = cancel.token()
    with np.errstate(all="ignore"):
        for node in reversed(nodes[:output]):
            if not relevant[node.id]:
                continue
            stop.check()
            contributions = []
            for consumer, position in graph.consumers[node.id]:
                if not relevant[consumer]:
                    continue
                edge = (node.id, consumer, position)
                if edge not in local:
                    continue  # a target or class label: no gradient flows there
                upstream = grads[consumer]
                here = local[edge]
                if here is not None and consumer not in special and (
                        consumer not in masking
                        or type(upstream) is np.float64 and math.isfinite(upstream)):
                    product = upstream * here  # the common case, kept cheap
                    contributions.append(Contribution(consumer, position, upstream, here,
                                                      product, False)
                                         if type(product) is np.float64 else
                                         _contribution(node, consumer, position, upstream,
                                                       here, product))
                    continue
                contributions.append(_by_rule(nodes, node, consumer, position, upstream, here))
            if not contributions:
                continue
            grads[node.id] = _total(contributions)
            order.append((node.id, contributions))
    return grads, order


def _by_rule(nodes, node, consumer: int, position: int, upstream, here) -> Contribution:
    """A contribution through the consumer's own rule: its chain rule with the local
    gradient, or its VJP when there is none."""
    user = nodes[consumer]
    entry = OPS[user.op]
    inputs = tuple(nodes[i].value for i in user.inputs)
    if here is not None:
        product = chain(entry, upstream, here, inputs, user.value, user.attrs, position)
    else:
        product = vjp(entry, upstream, None, inputs, user.value, user.attrs, position)
    return _contribution(node, consumer, position, upstream, here, product)


def _total(contributions: list[Contribution]) -> np.ndarray:
    """The contributions added up, in torch's order: the last-made consumer first (two
    terms: the order cannot change the sum)."""
    ordered = sorted(contributions, key=lambda c: (-c.consumer, c.position)) \
        if len(contributions) > 2 else contributions
    total = None
    for c in ordered:
        total = c.value if total is None else total + c.value
    return as_value(total)


def _contribution(node, consumer: int, position: int, upstream, here, product) -> Contribution:
    """Un-broadcast once, here: the product summed back to the node's shape."""
    if type(product) is np.float64:
        return Contribution(consumer, position, upstream, here, product, False)
    shape = np.shape(node.value)
    value = unbroadcast(product, shape)
    return Contribution(consumer, position, upstream, here, value, np.shape(product) != shape)
