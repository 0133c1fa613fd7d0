"""One class per kind of step (forward, local gradient; the backward and update steps are
in core/engine/backward_steps.py), and the state a position reveals; :mod:`core.engine.trace` builds
them in order.

A step's text is made only when someone reads it (``cached_property``), so a
10,000-node trace costs no string formatting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

import numpy as np

from core.base.format import format_value
from core.base.values import shape_of
from core.engine.backprop import Edge
from core.engine.explain import (
    Explanation,
    grad_fn_sentence,
    render,
    unneeded,
    unneeded_edges,
)
from core.engine.explain import _bracketed as _bracket
from core.engine.graph import ComputationGraph, Operand
from core.ops import OPS


class TraceNumbers(Protocol):
    """What a step reads of the trace that holds it (:class:`core.engine.trace.Trace` is one):
    named here so that this module never imports core.engine.trace, which builds the steps."""

    graph: ComputationGraph
    local: dict[Edge, np.ndarray | None]
    grads: dict[int, np.ndarray]
    accumulated: dict[str, np.ndarray]

    def gradient(self, node_id: int) -> np.ndarray: ...

    def update_gradient(self, node_id: int) -> np.ndarray: ...

PHASES = ("forward", "local", "backward", "update")
PHASE_TITLES = {"forward": "Forward pass", "local": "Local gradients", "backward": "Backward pass",
                "update": "Update"}


def d(top: Operand, bottom: Operand) -> str:
    """``∂loss/∂s``; a compound label is bracketed: ``∂loss/∂(y_hat − y)``."""
    return f"∂{top}/∂{bottom}"


def operand_of(node) -> Operand:
    return Operand(node.label, node.atomic)


def number_of(value) -> Operand:
    text = format_value(value)
    return Operand(text, not text.startswith("−"))


@dataclass
class KnownState:
    """What the learner has seen at a position: values, local gradients, gradients."""

    values: dict[int, np.ndarray] = field(default_factory=dict)
    local: dict[Edge, np.ndarray] = field(default_factory=dict)
    grads: dict[int, np.ndarray] = field(default_factory=dict)
    #: parameters' new values after the update phase
    updates: dict[int, np.ndarray] = field(default_factory=dict)

    def copy(self) -> KnownState:
        return KnownState(dict(self.values), dict(self.local), dict(self.grads),
                          dict(self.updates))


class Step:
    """One click of the stepper. Subclasses say what it adds to the known state."""

    phase: str = ""
    index: int = 0

    def __init__(self, trace: TraceNumbers):
        self.trace = trace

    @property
    def graph(self) -> ComputationGraph:
        return self.trace.graph

    def apply(self, known: KnownState) -> None:
        raise NotImplementedError

    def revert(self, known: KnownState) -> None:
        raise NotImplementedError

    # what the learner reads
    target: str
    formula: str
    substituted: str
    value: np.ndarray | None
    explanation: Explanation

    @property
    def node(self) -> int | None:
        """The node the step highlights (None for edge steps)."""
        return None

    @property
    def edge(self) -> Edge | None:
        return None

    @property
    def equation(self) -> str:
        """``target = formula = substituted = value``, each part shown once."""
        return self._equation(self.formula, self.substituted)

    def _equation(self, formula: str, substituted: str) -> str:
        parts = [self.target]
        for part in (formula, substituted,
                     None if self.value is None else format_value(self.value)):
            if part and part != parts[-1]:
                parts.append(part)
        return " = ".join(parts)

    # what a panel shows: the same, but a sum of very many terms (a node used hundreds
    # of times) as its first and last terms only (BackwardStep)
    @property
    def brief_formula(self) -> str:
        return self.formula

    @property
    def brief_substituted(self) -> str:
        return self.substituted

    @property
    def brief_equation(self) -> str:
        return self.equation

    @property
    def text(self) -> str:
        return render(self.explanation)


class ForwardStep(Step):
    phase = "forward"

    def __init__(self, trace: TraceNumbers, node_id: int):
        super().__init__(trace)
        self.node_id = node_id

    @property
    def node(self) -> int:
        return self.node_id

    def apply(self, known: KnownState) -> None:
        known.values[self.node_id] = self.graph.nodes[self.node_id].value

    def revert(self, known: KnownState) -> None:
        known.values.pop(self.node_id, None)

    @property
    def target(self) -> str:
        return self.graph.nodes[self.node_id].label

    @cached_property
    def formula(self) -> str:
        node = self.graph.nodes[self.node_id]
        return OPS[node.op].text_for(node.attrs).format(*self.graph.operands(node))

    @cached_property
    def substituted(self) -> str:
        node = self.graph.nodes[self.node_id]
        values = {i: self.graph.nodes[i].value for i in node.inputs}
        return OPS[node.op].text_for(node.attrs).format(*self.graph.operands(node, values))

    @property
    def value(self) -> np.ndarray:
        return self.graph.nodes[self.node_id].value

    @property
    def explanation(self) -> Explanation:
        node = self.graph.nodes[self.node_id]
        more = []
        if node.warning:
            more.append(Explanation("forward.nonfinite", {"value": format_value(node.value),
                                                          "warning": node.warning}))
        # a program built from its text: torch's grad_fn as the op's entry names it (a
        # recorded pass's call of several ops, F.linear, made one grad_fn for them all)
        told = grad_fn_sentence(self.graph, node) \
            if getattr(self.trace, "context", None) is None else None
        if told is not None:
            more.append(told)
        if node.id == self.graph.output:
            return Explanation("forward.output", {"target": node.label,
                                                  "value": format_value(node.value)},
                               tuple(more))
        return Explanation("forward", {"target": node.label}, tuple(more))


class LocalGradientStep(Step):
    phase = "local"

    def __init__(self, trace: TraceNumbers, edge: Edge):
        super().__init__(trace)
        self._edge = edge

    @property
    def edge(self) -> Edge:
        return self._edge

    def apply(self, known: KnownState) -> None:
        known.local[self._edge] = self.trace.local[self._edge]

    def revert(self, known: KnownState) -> None:
        known.local.pop(self._edge, None)

    def _template(self) -> str:
        consumer = self.graph.nodes[self._edge[1]]
        template = rule_template(self.graph, consumer, self._edge[2])
        # a formula that is just one operand needs no brackets: ∂c/∂(a + b) = b + 1
        return {"{0}": "{0:bare}", "{1}": "{1:bare}"}.get(template, template)

    @property
    def has_number(self) -> bool:
        """False for an op whose local rule is a VJP (matmul, softmax …): no one number."""
        return OPS[self.graph.nodes[self._edge[1]].op].has_local

    def _fill(self, template: str, values: bool) -> str:
        consumer = self.graph.nodes[self._edge[1]]
        if values:
            operands = [number_of(self.graph.nodes[i].value) for i in consumer.inputs]
            out = number_of(consumer.value)
        else:
            operands = self.graph.operands(consumer)
            out = operand_of(consumer)
        n = OPS[consumer.op].n_for(tuple(self.graph.nodes[i].value for i in consumer.inputs),
                                   consumer.attrs)
        return template.format(*operands, out=out, n=n, G="G")

    @property
    def equation(self) -> str:
        if self.has_number:
            return super().equation
        return f"{self.target}: {self.formula} {self.substituted}"

    @property
    def target(self) -> str:
        source, consumer, _ = self._edge
        return d(operand_of(self.graph.nodes[consumer]), operand_of(self.graph.nodes[source]))

    @cached_property
    def formula(self) -> str:
        if not self.has_number:
            return "G ↦ " + self._fill(self._template(), values=False)
        return self._fill(self._template(), values=False)

    @cached_property
    def substituted(self) -> str:
        if not self.has_number:  # the rule's shapes: upstream gradient → this input
            source, consumer, position = self._edge
            return f"({rule_shapes(self.graph, self.graph.nodes[consumer], position)})"
        return self._fill(self._template(), values=True)

    @property
    def value(self) -> np.ndarray | None:
        """The local gradient (None for an op that has only a VJP: JSON null)."""
        return self.trace.local[self._edge]

    @property
    def explanation(self) -> Explanation:
        source, consumer, position = self._edge
        node = self.graph.nodes[consumer]
        args = {"target": node.label, "source": self.graph.nodes[source].label}
        if not self.has_number:  # the rule's G: which gradient it is (issue 24)
            args.update(output=self.graph.output_node.label, target_b=_bracket(node))
        more = [Explanation(f"why.{node.op}")]
        relevant = self.graph.relevant
        if position == next(p for p, s in enumerate(node.inputs) if relevant[s]):
            # the op's first local step says which of its inputs need no gradient, and why
            more += [unneeded(self.graph, e) for e in unneeded_edges(self.graph, consumer)]
        return Explanation("local" if self.has_number else "local.vjp", args, tuple(more))


class NoParameterStep(Step):
    """Stands for a whole phase when no parameter reaches the output."""

    def __init__(self, trace: TraceNumbers, phase: str):
        super().__init__(trace)
        self.phase = phase

    def apply(self, known: KnownState) -> None:
        pass

    def revert(self, known: KnownState) -> None:
        pass

    @property
    def target(self) -> str:
        return self.graph.output_node.label

    formula = ""
    substituted = ""
    value = None

    @property
    def explanation(self) -> Explanation:
        key = "none.local" if self.phase == "local" else "none.backward"
        return Explanation(key, {"output": self.graph.output_node.label})


def rule_template(graph: ComputationGraph, node, position: int) -> str:
    """The local text of ``node``'s operand ``position``: a local gradient's formula, or
    a VJP rule with ``{G}`` for the upstream gradient."""
    entry = OPS[node.op]
    if entry.rule_text is not None:
        shapes = tuple(np.shape(graph.nodes[i].value) for i in node.inputs)
        return entry.rule_text(shapes, node.attrs, position)
    return entry.local_text_for(node.attrs)[position]


def rule_shapes(graph: ComputationGraph, node, position: int, product: bool = False) -> str:
    """``4×2 → 3×2`` (upstream gradient → input) for the local phase; with ``product``,
    the shapes of the backward product, as ``3×2 = 3×4 · 4×2``."""
    entry = OPS[node.op]
    shapes = tuple(np.shape(graph.nodes[i].value) for i in node.inputs)
    out_shape = np.shape(node.value)
    if product and entry.rule_shapes is not None:
        return entry.rule_shapes(shapes, out_shape, node.attrs, position)
    return f"{shape_of(node.value)} → {shape_of(graph.nodes[node.inputs[position]].value)}"
