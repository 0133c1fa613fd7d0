"""The trace: every step the learner walks through, in order (the steps: core/engine/steps.py,
core/engine/backward_steps.py).

The backward pass is one explicit loop over reversed topological order, as in
micrograd's ``backward()``; each iteration is one :class:`BackwardStep` and every
contribution is *added* to the node's gradient, so accumulation at a fork is visible.
Numbers are computed when the trace is built; the text of a step is made only when
someone reads it, so a 10,000-node trace costs no string formatting.

Steps are numbered 1..N. Position k (0..N) means steps 1..k are done.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from core.base import cancel
from core.base.values import as_value
from core.engine.backprop import Contribution, Edge, backward_pass, local_gradients
from core.engine.backward_steps import BackwardStep, ParameterUpdate, UpdateStep
from core.engine.graph import Binding, ComputationGraph, build_graph
from core.engine.steps import (  # noqa: F401  (re-exported: callers import steps from here)
    PHASE_TITLES,
    PHASES,
    ForwardStep,
    KnownState,
    LocalGradientStep,
    NoParameterStep,
    Step,
    d,
    rule_shapes,
    rule_template,
)
from core.language.parser import ParsedProgram, paused_gc

__all__ = ["PHASES", "PHASE_TITLES", "BackwardStep", "Contribution", "Edge", "ForwardStep",
           "KnownState", "LocalGradientStep", "NoParameterStep", "ParameterUpdate",
           "RecordedContext", "Step", "Stepper", "Trace", "UpdateStep",
           "build_trace", "d"]


@dataclass
class RecordedContext:
    """The trace is pass ``iteration`` (from 1; 0: the forward-only run) of a script the
    recorder ran (core.record.to_trace), built from what torch recorded."""

    iteration: int
    #: the pass's graph with torch's numbers (core.record.to_trace.BuiltPass)
    built: Any
    #: why What if / forward mode are off (ops known only by torch's rule), or None
    unavailable: str | None = None
    #: what the window adds once it shows the pass (gui.state.run_passes): the pass's
    #: check against torch (core.record.check.PassCheck), its number and the run state
    check: Any = None
    shown_pass: int = 0
    shown_by: Any = None


class Trace:
    """All steps of one graph, with the numbers each step reveals."""

    #: a recorded pass (None: a program built from its text)
    context: RecordedContext | None = None
    #: "Run to record" stands where the graph goes (gui.state.blank_trace)
    blank: bool = False

    def __init__(self, graph: ComputationGraph, learning_rate: float | None = None,
                 accumulated: Mapping[str, np.ndarray] | None = None,
                 context: RecordedContext | None = None):
        """``learning_rate`` adds the update phase: one gradient-descent step per parameter.

        ``accumulated`` (parameter name → gradient) is what earlier passes left in
        ``.grad`` when ``zero_grad()`` is forgotten; the update adds it to this pass's.
        """
        self.context = context
        self.graph = graph
        self.learning_rate = learning_rate
        self.accumulated: dict[str, np.ndarray] = dict(accumulated or {})
        self.local: dict[Edge, np.ndarray | None] = {}
        self.grads: dict[int, np.ndarray] = {}
        steps: list[Step] = [ForwardStep(self, n.id) for n in graph.nodes
                             if n.kind == "operation"]
        cancel.check()  # between phases too: each is a pass over every node
        self.local = local_gradients(graph)
        local_steps: list[Step] = [LocalGradientStep(self, edge) for edge in self.local]
        self.grads, order = backward_pass(graph, self.local)
        backward_steps: list[Step] = [
            BackwardStep(self, node_id, contributions, first=i == 0)
            for i, (node_id, contributions) in enumerate(order)]
        cancel.check()
        if not local_steps:
            local_steps = [NoParameterStep(self, "local")]
            backward_steps = [NoParameterStep(self, "backward")]
        steps.extend(local_steps)
        steps.extend(backward_steps)
        if learning_rate is not None:
            steps.extend(UpdateStep(self, n.id, float(learning_rate)) for n in graph.parameters)
        for number, step in enumerate(steps, start=1):
            step.index = number
        self.steps = steps
        self.phase_starts = {}
        for step in steps:
            self.phase_starts.setdefault(step.phase, step.index)

    def __len__(self) -> int:
        return len(self.steps)

    def step(self, number: int) -> Step:
        """Step ``number`` (1-based)."""
        if not 1 <= number <= len(self.steps):
            raise IndexError(f"step {number} is outside 1..{len(self.steps)}")
        return self.steps[number - 1]

    def twin(self, step: Step) -> Step | None:
        """This trace's step at ``step``'s place in another trace of the same program
        (a What-if: the same steps in the same order, other numbers); None where the
        two differ."""
        if not 1 <= step.index <= len(self.steps):
            return None
        twin = self.steps[step.index - 1]
        same = type(twin) is type(step) and twin.phase == step.phase \
            and getattr(twin, "target", None) == getattr(step, "target", None)
        return twin if same else None

    def phase_at(self, position: int) -> str | None:
        """The phase of the last done step (None at position 0)."""
        return self.steps[position - 1].phase if position > 0 else None

    def initial_state(self) -> KnownState:
        return KnownState(values={n.id: n.value for n in self.graph.nodes if n.is_leaf})

    def known_at(self, position: int) -> KnownState:
        known = self.initial_state()
        for step in self.steps[:position]:
            step.apply(known)
        return known

    def gradient(self, node_id: int) -> np.ndarray:
        """∂output/∂node; 0 for a parameter the output does not depend on."""
        if node_id in self.grads:
            return self.grads[node_id]
        return np.zeros_like(self.graph.nodes[node_id].value) + 0.0

    def update_gradient(self, node_id: int) -> np.ndarray:
        """The gradient an update uses: ∂output/∂node plus what ``accumulated`` carries."""
        grad = self.gradient(node_id)
        name = self.graph.nodes[node_id].name
        left = self.accumulated.get(name) if name else None
        if left is None:
            return grad
        with np.errstate(all="ignore"):
            return as_value(left + grad)

    # ---- the context, read (None when the trace has none of that kind)
    @property
    def iteration(self) -> int:
        """The recorded pass (from 1); 0 without a context."""
        return self.context.iteration if self.context is not None else 0

    @property
    def recorded(self):
        """A recorded pass's BuiltPass (core.record.to_trace)."""
        return self.context.built if isinstance(self.context, RecordedContext) else None

    @property
    def unavailable(self) -> str | None:
        return self.context.unavailable if isinstance(self.context, RecordedContext) else None

    @property
    def check(self):
        """A recorded pass's check against torch, once the window made it."""
        return self.context.check if isinstance(self.context, RecordedContext) else None

    @property
    def recorded_pass(self) -> int:
        return self.context.shown_pass if isinstance(self.context, RecordedContext) else 0

    @property
    def recorded_by(self):
        """The run state (gui.state.run_state) that shows this recorded pass, or None."""
        return self.context.shown_by if isinstance(self.context, RecordedContext) else None

    def named_gradients(self) -> dict[str, np.ndarray]:
        """Every parameter and every named result on a parameter→output path."""
        result = {}
        for name, node_id in self.graph.names.items():
            node = self.graph.nodes[node_id]
            if node.kind == "parameter" or (node.kind == "operation" and node_id in self.grads):
                result[name] = self.gradient(node_id)
        return result


class Stepper:
    """A position in a trace, with the known state kept up to date step by step."""

    def __init__(self, trace: Trace, position: int = 0):
        self.trace = trace
        self.position = 0
        self.known = trace.initial_state()
        self.goto(position)

    def goto(self, position: int) -> None:
        position = max(0, min(int(position), len(self.trace)))
        while self.position < position:
            self.trace.steps[self.position].apply(self.known)
            self.position += 1
        while self.position > position:
            self.position -= 1
            self.trace.steps[self.position].revert(self.known)

    def next(self) -> bool:
        before = self.position
        self.goto(self.position + 1)
        return self.position != before

    def previous(self) -> bool:
        before = self.position
        self.goto(self.position - 1)
        return self.position != before

    def reset(self) -> None:
        self.goto(0)

    def end(self) -> None:
        self.goto(len(self.trace))

    @property
    def current(self) -> Step | None:
        return self.trace.steps[self.position - 1] if self.position else None


def build_trace(program: ParsedProgram | str, bindings: Mapping[str, Binding] | None = None,
                learning_rate: float | None = None,
                accumulated: Mapping[str, np.ndarray] | None = None) -> Trace:
    """Parse (if given text), build the graph and its trace, with the GC paused."""
    with paused_gc():
        return Trace(build_graph(program, bindings), learning_rate, accumulated)
