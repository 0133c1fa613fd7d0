"""The steps after the local gradients: one backward step per node (every contribution
added to its gradient) and one update per parameter. The step base class and the state
they change are in core/engine/steps.py.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np

from core.base.format import format_value, more_terms
from core.base.values import MAX_SHOWN_ENTRIES, as_value
from core.engine.backprop import Contribution
from core.engine.explain import Explanation
from core.engine.explain import _bracketed as _bracket
from core.engine.graph import Operand
from core.engine.steps import (
    KnownState,
    Step,
    TraceNumbers,
    d,
    number_of,
    operand_of,
    rule_shapes,
    rule_template,
)

#: a sum of more terms than this is shown (brief_*) as its first FIRST_TERMS terms,
#: "… (N more terms)" and its last LAST_TERMS: a parameter that 500 operations use
#: otherwise fills the explanation with a 1,000-term equation (and took 60 ms to write)
MAX_SHOWN_TERMS = 8
FIRST_TERMS, LAST_TERMS = 4, 2


def brief_items(items: list) -> list:
    """``items`` as a sum of them is shown: all of them, or of more than
    MAX_SHOWN_TERMS the first and last ones with None where "… (N more terms)" goes."""
    if len(items) <= MAX_SHOWN_TERMS:
        return list(items)
    return [*items[:FIRST_TERMS], None, *items[-LAST_TERMS:]]


def brief_sum(items: list, term) -> str:
    """``term`` of each of ``brief_items(items)``, joined by "+"; only those are written."""
    rest = len(items) - FIRST_TERMS - LAST_TERMS
    return " + ".join(more_terms(rest) if i is None else term(i) for i in brief_items(items))


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
        return operand_of(self.graph.output_node)

    @property
    def target(self) -> str:
        return d(self.output_label, operand_of(self.graph.nodes[self.node_id]))

    def _term(self, c: Contribution, values: bool) -> str:
        consumer = self.graph.nodes[c.consumer]
        source = operand_of(self.graph.nodes[self.node_id])
        if c.local is None:
            return self._rule_term(c, values)
        # at the output the local gradient is written like the total one (∂loss/∂s), so
        # the chain is spelled out: ∂loss/∂loss · local = 1 · (−2)
        if values:
            upstream = format_value(c.upstream)
            local_text = f"{number_of(c.local)}"
            text = f"{upstream} · {local_text}"
            return f"Σ({upstream} ⊙ {local_text})" if c.broadcast else text
        if c.consumer == self.graph.output:
            local = "local"
        else:
            local = d(operand_of(consumer), source)
        upstream = d(self.output_label, operand_of(consumer))
        return f"Σ({upstream} ⊙ {local})" if c.broadcast else f"{upstream} · {local}"

    def _rule_term(self, c: Contribution, values: bool) -> str:
        """A VJP-only op's term: its rule with the upstream gradient as G, and shapes:
        ``Xᵀ · ∂loss/∂(X @ W)``, then ``[[…]]ᵀ · [[…]] (3×2 = 3×4 · 4×2)``."""
        consumer = self.graph.nodes[c.consumer]
        template = rule_template(self.graph, consumer, c.position)
        shapes = rule_shapes(self.graph, consumer, c.position, product=True)
        if not values:
            upstream = "1" if c.consumer == self.graph.output else \
                f"{d(self.output_label, operand_of(consumer))}"
            text = template.format(*self.graph.operands(consumer), out=operand_of(consumer),
                                   G=upstream, n="n")
            return f"Σ({text})" if c.broadcast else text
        factors = [self.graph.nodes[i].value for i in consumer.inputs]
        if all(np.size(v) <= MAX_SHOWN_ENTRIES for v in (*factors, c.upstream)):
            text = template.format(*(number_of(v) for v in factors), out=number_of(consumer.value),
                                   G=number_of(c.upstream), n="n")
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
            sums = " + ".join(number_of(c.value).__format__("") for c in self.contributions)
            return f"{products} = {sums}" if products != sums else products
        return terms[0]

    @property
    def brief_formula(self) -> str:
        if len(self.contributions) <= MAX_SHOWN_TERMS:
            return self.formula
        return brief_sum(self.contributions, lambda c: self._term(c, False))

    @property
    def brief_substituted(self) -> str:
        if len(self.contributions) <= MAX_SHOWN_TERMS:
            return self.substituted

        def product(c: Contribution) -> str:
            text = self._term(c, True)
            return f"({text})" if text.startswith("−") else text
        products = brief_sum(self.contributions, product)
        sums = brief_sum(self.contributions, lambda c: format(number_of(c.value), ""))
        return f"{products} = {sums}" if products != sums else products

    @property
    def brief_equation(self) -> str:
        return self._equation(self.brief_formula, self.brief_substituted)

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
        node = operand_of(self.graph.nodes[self.node_id])
        if self.graph.nodes[self.node_id].name in self.trace.accumulated:
            return f"{node} − lr · {node}.grad"  # not ∂loss/∂w alone: old gradients too
        return f"{node} − lr · {d(operand_of(self.graph.output_node), node)}"

    @cached_property
    def substituted(self) -> str:
        node = self.graph.nodes[self.node_id]
        return (f"{format_value(node.value)} − {format_value(self.learning_rate)} · "
                f"{number_of(self.gradient)}")

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
                "left": f"{number_of(left)}", "total": format_value(self.gradient)}),)
        return Explanation("update", {"target": node.label,
                                      "lr": format_value(self.learning_rate)}, more)
