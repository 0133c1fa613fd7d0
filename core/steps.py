"""One class per kind of step (forward, local gradient, backward, update), and the
state a position reveals; :mod:`core.trace` builds them in order.

A step's text is made only when someone reads it (``cached_property``), so a
10,000-node trace costs no string formatting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

import numpy as np

from core.backprop import Contribution, Edge
from core.explain import Explanation, render, unneeded, unneeded_edges
from core.explain import _bracketed as _bracket
from core.format import format_value
from core.graph import ComputationGraph, Operand
from core.ops import OPS
from core.values import MAX_SHOWN_ENTRIES, as_value, shape_of


class TraceNumbers(Protocol):
    """What a step reads of the trace that holds it (:class:`core.trace.Trace` is one):
    named here so that this module never imports core.trace, which builds the steps."""

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


def _operand(node) -> Operand:
    return Operand(node.label, node.atomic)


def _number(value) -> Operand:
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
        parts = [self.target]
        for part in (self.formula, self.substituted,
                     None if self.value is None else format_value(self.value)):
            if part and part != parts[-1]:
                parts.append(part)
        return " = ".join(parts)

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
            operands = [_number(self.graph.nodes[i].value) for i in consumer.inputs]
            out = _number(consumer.value)
        else:
            operands = self.graph.operands(consumer)
            out = _operand(consumer)
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
        return d(_operand(self.graph.nodes[consumer]), _operand(self.graph.nodes[source]))

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


class BackwardStep(Step):
    phase = "backward"

    def __init__(self, trace: TraceNumbers, node_id: int, contributions: list[Contribution],
                 first: bool):
        super().__init__(trace)
        self.node_id = node_id
        self.contributions = contributions
        self.first = first

    @property
    def node(self) -> int:
        return self.node_id

    def apply(self, known: KnownState) -> None:
        if self.first:
            known.grads[self.graph.output] = self.trace.grads[self.graph.output]
        known.grads[self.node_id] = self.trace.grads[self.node_id]

    def revert(self, known: KnownState) -> None:
        known.grads.pop(self.node_id, None)
        if self.first:
            known.grads.pop(self.graph.output, None)

    @property
    def output_label(self) -> Operand:
        return _operand(self.graph.output_node)

    @property
    def target(self) -> str:
        return d(self.output_label, _operand(self.graph.nodes[self.node_id]))

    def _term(self, c: Contribution, values: bool) -> str:
        consumer = self.graph.nodes[c.consumer]
        source = _operand(self.graph.nodes[self.node_id])
        if c.local is None:
            return self._rule_term(c, values)
        # at the output the local gradient is written like the total one (∂loss/∂s), so
        # the chain is spelled out: ∂loss/∂loss · local = 1 · (−2)
        if values:
            upstream = format_value(c.upstream)
            local_text = f"{_number(c.local)}"
            text = f"{upstream} · {local_text}"
            return f"Σ({upstream} ⊙ {local_text})" if c.broadcast else text
        if c.consumer == self.graph.output:
            local = "local"
        else:
            local = d(_operand(consumer), source)
        upstream = d(self.output_label, _operand(consumer))
        return f"Σ({upstream} ⊙ {local})" if c.broadcast else f"{upstream} · {local}"

    def _rule_term(self, c: Contribution, values: bool) -> str:
        """A VJP-only op's term: its rule with the upstream gradient as G, and shapes:
        ``Xᵀ · ∂loss/∂(X @ W)``, then ``[[…]]ᵀ · [[…]] (3×2 = 3×4 · 4×2)``."""
        consumer = self.graph.nodes[c.consumer]
        template = rule_template(self.graph, consumer, c.position)
        shapes = rule_shapes(self.graph, consumer, c.position, product=True)
        if not values:
            upstream = "1" if c.consumer == self.graph.output else \
                f"{d(self.output_label, _operand(consumer))}"
            text = template.format(*self.graph.operands(consumer), out=_operand(consumer),
                                   G=upstream, n="n")
            return f"Σ({text})" if c.broadcast else text
        factors = [self.graph.nodes[i].value for i in consumer.inputs]
        if all(np.size(v) <= MAX_SHOWN_ENTRIES for v in (*factors, c.upstream)):
            text = template.format(*(_number(v) for v in factors), out=_number(consumer.value),
                                   G=_number(c.upstream), n="n")
            return f"{text} ({shapes})"
        return f"({shapes})"

    @cached_property
    def formula(self) -> str:
        return " + ".join(self._term(c, False) for c in self.contributions)

    @cached_property
    def substituted(self) -> str:
        terms = [self._term(c, True) for c in self.contributions]
        if len(terms) > 1:
            terms = [t if not t.startswith("−") else f"({t})" for t in terms]
            products = " + ".join(terms)
            sums = " + ".join(_number(c.value).__format__("") for c in self.contributions)
            return f"{products} = {sums}" if products != sums else products
        return terms[0]

    @property
    def value(self) -> np.ndarray:
        return self.trace.grads[self.node_id]

    @property
    def explanation(self) -> Explanation:
        node = self.graph.nodes[self.node_id]
        first = self.contributions[0]
        parts = []
        if self.first:
            parts.append(Explanation("backward.seed", {"output": self.graph.output_node.label}))
        consumer = self.graph.nodes[first.consumer]
        args = {"consumer": consumer.label, "target": node.label}
        if first.local is None:  # a rule (matmul …): name its G and the result
            args.update(output=self.graph.output_node.label, consumer_b=_bracket(consumer),
                        target_b=_bracket(node))
        parts.append(Explanation("backward" if first.local is not None else "backward.vjp",
                                 args))
        if len(self.contributions) > 1:
            parts.append(Explanation("backward.fork", {"target": node.label,
                                                       "count": len(self.contributions)}))
        if any(c.broadcast for c in self.contributions):
            parts.append(Explanation("backward.broadcast", {"target": node.label}))
        if node.kind == "parameter":
            parts.append(Explanation("backward.parameter", {"target": node.label}))
        return Explanation(parts[0].key, parts[0].args, tuple(parts[1:]))


class ParameterUpdate(Step):
    """A step that gives one parameter its new ``value`` (the update phase)."""

    phase = "update"
    node_id: int

    @property
    def node(self) -> int:
        return self.node_id

    def apply(self, known: KnownState) -> None:
        known.updates[self.node_id] = self.value

    def revert(self, known: KnownState) -> None:
        known.updates.pop(self.node_id, None)

    @property
    def target(self) -> str:
        return self.graph.nodes[self.node_id].label


class UpdateStep(ParameterUpdate):
    """Gradient descent on one parameter: ``w ← w − lr · ∂loss/∂w``."""

    def __init__(self, trace: TraceNumbers, node_id: int, learning_rate: float):
        super().__init__(trace)
        self.node_id = node_id
        self.learning_rate = learning_rate

    @property
    def equation(self) -> str:
        return f"{self.target} ← {self.formula} = {self.substituted} = {format_value(self.value)}"

    @cached_property
    def formula(self) -> str:
        node = _operand(self.graph.nodes[self.node_id])
        if self.graph.nodes[self.node_id].name in self.trace.accumulated:
            return f"{node} − lr · {node}.grad"  # not ∂loss/∂w alone: old gradients too
        return f"{node} − lr · {d(_operand(self.graph.output_node), node)}"

    @cached_property
    def substituted(self) -> str:
        node = self.graph.nodes[self.node_id]
        return (f"{format_value(node.value)} − {format_value(self.learning_rate)} · "
                f"{_number(self.gradient)}")

    @property
    def gradient(self) -> np.ndarray:
        """The gradient the update uses: this pass's, plus any left over in ``.grad``."""
        return self.trace.update_gradient(self.node_id)

    @cached_property
    def value(self) -> np.ndarray:
        node = self.graph.nodes[self.node_id]
        # a huge learning rate overflows to ±inf, which the value shows; numpy's own
        # RuntimeWarning would only reach a terminal, in its words, not ours
        with np.errstate(over="ignore", invalid="ignore"):
            return as_value(node.value - self.learning_rate * self.gradient)

    @property
    def explanation(self) -> Explanation:
        node = self.graph.nodes[self.node_id]
        more = ()
        left = self.trace.accumulated.get(node.name) if node.name else None
        if left is not None:
            more = (Explanation("update.accumulated", {
                "target": node.label, "now": format_value(self.trace.gradient(self.node_id)),
                "left": f"{_number(left)}", "total": format_value(self.gradient)}),)
        return Explanation("update", {"target": node.label,
                                      "lr": format_value(self.learning_rate)}, more)


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
