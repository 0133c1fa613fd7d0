"""The backward pass: one reversed loop over the topological order, VJPs summed.

As in micrograd's ``backward()`` and autodidact's ``backward_pass``: every node, from
the output back, takes one contribution from each consumer, the consumer's VJP for
that operand, summed back to the node's shape by :func:`core.values.unbroadcast` — the
one place broadcasting is undone. Contributions are *added* (a value used twice gets
two), in torch's order, so the last digit agrees too.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.graph import ComputationGraph
from core.ops import OPS, chain, vjp
from core.values import as_value, unbroadcast

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


def needed_edges(graph: ComputationGraph) -> list[Edge]:
    """The edges the gradient flows along, in the order of the local phase: consumers
    from the output back, operands left to right."""
    nodes, relevant = graph.nodes, graph.relevant
    edges = []
    for node in reversed(nodes[: graph.output + 1]):
        if node.kind != "operation" or not relevant[node.id]:
            continue
        no_grad = OPS[node.op].no_grad
        for position, source in enumerate(node.inputs):
            if relevant[source] and position not in no_grad:
                edges.append((source, node.id, position))
    return edges


def local_gradients(graph: ComputationGraph, edges: list[Edge]) -> dict[Edge, np.ndarray | None]:
    """Every needed edge's local gradient (None where the op has only a VJP)."""
    nodes = graph.nodes
    local: dict[Edge, np.ndarray | None] = {}
    computed: dict[int, tuple] = {}
    with np.errstate(all="ignore"):
        for edge in edges:
            source, consumer, position = edge
            node = nodes[consumer]
            entry = OPS[node.op]
            if not entry.has_local:
                local[edge] = None
                continue
            grads = computed.get(consumer)
            if grads is None:
                inputs = tuple(nodes[i].value for i in node.inputs)
                grads = computed[consumer] = entry.local(inputs, node.value, node.attrs)
            local[edge] = as_value(grads[position])
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
    with np.errstate(all="ignore"):
        for node in reversed(nodes[:output]):
            if not relevant[node.id]:
                continue
            contributions = []
            shape = None
            for consumer, position in graph.consumers[node.id]:
                if not relevant[consumer]:
                    continue
                edge = (node.id, consumer, position)
                if edge not in local:
                    continue  # a target or class label: no gradient flows there
                upstream = grads[consumer]
                here = local[edge]
                user = nodes[consumer]
                entry = OPS[user.op]
                if here is not None and entry.chain_rule is None and entry.kind == "elementwise":
                    product = upstream * here  # the common case, kept cheap
                elif here is not None:
                    product = chain(entry, upstream, here,
                                    tuple(nodes[i].value for i in user.inputs),
                                    user.value, user.attrs, position)
                else:
                    product = vjp(entry, upstream, None,
                                  tuple(nodes[i].value for i in user.inputs),
                                  user.value, user.attrs, position)
                if type(product) is np.float64:
                    value = product
                    broadcast = False
                else:
                    if shape is None:
                        shape = np.shape(node.value)
                    value = unbroadcast(product, shape)
                    broadcast = np.shape(product) != shape
                contributions.append(Contribution(consumer, position, upstream, here, value,
                                                  broadcast))
            if not contributions:
                continue
            if len(contributions) > 2:  # add in torch's order: the last-made consumer first
                ordered = sorted(contributions, key=lambda c: (-c.consumer, c.position))
            else:
                ordered = contributions  # two terms: the order cannot change the sum
            total = None
            for c in ordered:
                total = c.value if total is None else total + c.value
            grads[node.id] = as_value(total)
            order.append((node.id, contributions))
    return grads, order
