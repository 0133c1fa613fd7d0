"""Level 3: train with your own gradients, beside the engine's (checked against torch).

Each iteration is the Training panel's loop (:mod:`core.engine.training`): build the pass with
the current parameters, take the gradients, step every parameter by ``−lr · grad``. Here
the gradients are the learner's answers, computed afresh on each pass's values; the
reference curve is :func:`core.engine.training.train` with the engine's gradients, which
``torch.optim.SGD`` confirms. A wrong gradient shows: its curve does not come down.
A training script's recorded pass is fixed, so this level is for straight-line programs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from core.base.errors import ExpressionError, short
from core.engine.graph import Binding
from core.engine.trace import build_trace
from core.engine.training import check_iterations, check_learning_rate, train, with_parameters
from core.language.parser import parse
from core.ninja.evaluate import AnswerFailed
from core.ninja.walk import Walk


@dataclass
class NinjaTraining:
    learning_rate: float
    #: the loss before each update, with the learner's gradients
    losses: list[float] = field(default_factory=list)
    #: the same with the engine's gradients (torch.optim.SGD agrees: ``torch_match``)
    reference: list[float] = field(default_factory=list)
    torch_match: bool | None = None
    #: why the learner's run stopped early (an answer failed, the loss is not finite)
    stopped: str = ""

    @property
    def trains(self) -> bool:
        """Does the learner's curve come down as the reference does (within 1 %)?"""
        if len(self.losses) < len(self.reference) or not self.reference:
            return False
        drop = self.reference[0] - self.reference[-1]
        ours = self.losses[0] - self.losses[-1]
        return math.isfinite(ours) and ours >= 0.99 * drop - 1e-12


def train_with_answers(text: str, bindings: Mapping[str, Binding], answers: Mapping[str, str],
                       learning_rate: float, iterations: int, check_torch: bool = True
                       ) -> NinjaTraining:
    """Run ``iterations`` updates with the answers (node key → text) as the gradients."""
    learning_rate = check_learning_rate(learning_rate)
    iterations = check_iterations(iterations)
    program = parse(text)
    reference = train(program, bindings, learning_rate, iterations, check_torch=check_torch)
    run = NinjaTraining(learning_rate, reference=reference.losses)
    run.torch_match = None if not check_torch else all(
        it.torch_match for it in reference.iterations)
    current = dict(bindings)
    for _ in range(iterations):
        trace = build_trace(program, current)
        walk = Walk(trace, 1)
        loss = float(np.asarray(trace.graph.output_node.value).reshape(()))
        run.losses.append(loss)
        if not math.isfinite(loss):
            run.stopped = "the loss is no longer a finite number"
            break
        try:
            grads = _gradients(walk, answers)
        except AnswerFailed as exc:
            run.stopped = str(exc)
            break
        updated = {}
        for node in trace.graph.parameters:
            key = walk.key(node.id)
            grad = grads.get(key)
            if grad is None or np.shape(grad) != np.shape(node.value):
                run.stopped = f"the gradient of {key} does not have its shape"
                break
            with np.errstate(all="ignore"):
                updated[key] = np.asarray(node.value - learning_rate * grad, dtype=np.float64)[()]
        if run.stopped:
            break
        current = with_parameters(trace.graph, current, updated)
    return run


def _gradients(walk: Walk, answers: Mapping[str, str]) -> dict[str, np.ndarray]:
    """Every answer on this pass's values, in the walk's order."""
    grads = walk.given_grads()
    for q in walk.questions:
        text = answers.get(q.key)
        if text is None:
            if walk.trace.graph.nodes[q.node].kind == "parameter":
                raise ExpressionError(f"there is no answer for the parameter {short(q.key)}",
                                      where="train with your gradients")
            continue
        answer = walk.parse(q, text, grads, where=f"the answer for {short(q.key)!r}")
        try:
            grads[q.key] = walk.compute(answer, grads)
        except AnswerFailed as exc:
            raise AnswerFailed(f"the answer for {q.key} could not be computed: {exc}") from None
    return grads
