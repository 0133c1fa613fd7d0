"""Our rules against torch, node by node: each op's VJP (core.ops.vjp), applied to the
recorded forward values and torch's recorded upstream gradient, must give the gradient
torch recorded for its input (summed over the input's consumers, as torch sums at a
fork), within core.checks.rounding's RECORDED_* float32 tolerance. Before that,
core.record.to_trace maps a call to a registry op only when torch's grad_fn for it is the
one the op's entry names (core.ops.grad_fn_of): the counts are reported here."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from core.base.values import as_value, unbroadcast
from core.checks.rounding import recorded_close
from core.engine.graph import ComputationGraph
from core.ops import OPS, vjp


@dataclass
class PassCheck:
    compared: int = 0
    mismatches: int = 0
    failed: list[str] = field(default_factory=list)
    torch_rule_only: list[str] = field(default_factory=list)
    #: calls whose torch grad_fn was compared with their registry op's, and those that
    #: differ (so they were not mapped to that op: they are among ``torch_rule_only``);
    #: not in the JSON, whose ``check`` keys are the issue's contract
    grad_fns_compared: int = 0
    grad_fns_differ: list[str] = field(default_factory=list)

    def json(self) -> dict:
        return {"compared": self.compared, "mismatches": self.mismatches,
                "failed": list(self.failed), "torch_rule_only": list(self.torch_rule_only)}


def contributions_by_rule(graph: ComputationGraph, torch_grads: dict[int, np.ndarray],
                          skip_torch_rule: bool = False, senders: dict | None = None
                          ) -> dict[int, np.ndarray]:
    """Per node, the sum of what its consumers' rules send it, each consumer fed torch's
    recorded gradient (or, for a node torch did not record, such as the Wᵀ inside a
    linear, the sum its own consumers sent). ``senders`` collects who sent what."""
    nodes = graph.nodes
    received: dict[int, np.ndarray] = {}
    with np.errstate(all="ignore"):
        for node in reversed(nodes):
            if node.kind != "operation" or not graph.relevant[node.id]:
                continue
            if skip_torch_rule and node.op == "torch_rule":
                continue
            upstream = torch_grads.get(node.id, received.get(node.id))
            if upstream is None:
                continue
            entry = OPS[node.op]
            inputs = tuple(nodes[i].value for i in node.inputs)
            for position, source in enumerate(node.inputs):
                if position in entry.no_grad or not graph.relevant[source]:
                    continue
                part = vjp(entry, as_value(upstream), None, inputs, node.value, node.attrs,
                           position)
                part = unbroadcast(part, np.shape(nodes[source].value))
                received[source] = part if source not in received else received[source] + part
                if senders is not None:
                    senders.setdefault(source, []).append(node.id)
    return received


def check_built(built) -> PassCheck:
    """The check of a graph built by core.record.to_trace."""
    graph = built.graph
    senders: dict[int, list[int]] = {}
    received = contributions_by_rule(graph, built.torch_grads, senders=senders)
    result = PassCheck(torch_rule_only=sorted(set(built.torch_rule_only)),
                       grad_fns_compared=getattr(built, "grad_fns_compared", 0),
                       grad_fns_differ=list(getattr(built, "grad_fns_differ", [])))
    failed: list[str] = []
    for source, ours in received.items():
        theirs = built.torch_grads.get(source)
        if theirs is None or all(graph.nodes[c].op == "torch_rule" for c in senders[source]):
            continue
        result.compared += 1
        if not recorded_close(ours, theirs):
            result.mismatches += 1
            for consumer in senders[source]:
                node = graph.nodes[consumer]
                label = node.name or node.label
                if node.op != "torch_rule" and label not in failed:
                    failed.append(label)
    result.failed = failed
    return result
