"""Gradient descent over several iterations, checked against ``torch.optim.SGD``.

The lesson ends with "update the weight with the gradient, then run the next forward and
backward pass". Each iteration here is exactly that: build the graph with the current
parameter values, take the gradients from the trace, and step every parameter by
``-lr · grad``. With ``forget_zero_grad`` the gradients pile up from one iteration to
the next, as they do in PyTorch when ``.grad`` is never reset.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from core.engine.graph import Binding, ComputationGraph, Node, build_graph
from core.engine.trace import Trace, build_trace
from core.language.parser import ExpressionError, ParsedProgram, parse

MAX_ITERATIONS = 100_000


@dataclass
class Iteration:
    """One forward + backward pass and the update after it."""

    iteration: int  # 1-based
    loss: float
    #: the values the forward pass used
    params: dict[str, np.ndarray]
    #: the gradients the update used (accumulated when zero_grad is forgotten)
    grads: dict[str, np.ndarray]
    #: the values after the update
    updated: dict[str, np.ndarray]
    torch_match: bool | None = None


@dataclass
class TrainingRun:
    learning_rate: float
    iterations: list[Iteration] = field(default_factory=list)
    forget_zero_grad: bool = False
    torch_error: str | None = None

    @property
    def losses(self) -> list[float]:
        return [it.loss for it in self.iterations]

    @property
    def final_bindings(self) -> dict[str, np.ndarray]:
        return dict(self.iterations[-1].updated) if self.iterations else {}


def check_learning_rate(value: float, where: str = "learning rate") -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or \
            not math.isfinite(value) or value <= 0:
        raise ExpressionError("the learning rate must be a positive number", where=where)
    return float(value)


def check_iterations(value: int, where: str = "iterations") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ITERATIONS:
        raise ExpressionError(f"the number of iterations must be a whole number from 1 to "
                              f"{MAX_ITERATIONS:,}", where=where)
    return value


def binding_name(node: Node) -> str:
    """The name a binding reaches this leaf by: the declared name, without the SSA suffix
    that rebinding adds to its display name (``w = param(1); w = w * 2`` shows ``w@1``)."""
    return (node.name or "").partition("@")[0]


def with_parameters(graph: ComputationGraph, bindings: Mapping[str, Binding],
                    values: Mapping[str, np.ndarray]) -> dict[str, Binding]:
    """``bindings`` with each parameter of ``graph`` set to ``values[display name]``.

    By node, not by display name: the display name of a rebound parameter (``w@1``) is
    not the name its binding is looked up by (``w``).
    """
    result = dict(bindings)
    for node in graph.parameters:
        if node.name in values:
            result[binding_name(node)] = Binding("parameter", values[node.name])
    return result


def iteration_of(trace: Trace, number: int) -> Iteration:
    """The iteration a trace with a learning rate stands for: its loss, grads and update."""
    graph = trace.graph
    if not graph.parameters:
        raise ExpressionError("there is no parameter to train",
                              hint="make a value a parameter, as in w = param(1.0)")
    output = np.asarray(graph.output_node.value)
    if output.size != 1:
        raise ExpressionError("the output must be one number (a loss) to train",
                              hint="take the mean or the sum, as in loss = mean(…)")
    lr = trace.learning_rate
    params = {n.name: n.value for n in graph.parameters}
    grads = {n.name: trace.update_gradient(n.id) for n in graph.parameters}
    with np.errstate(all="ignore"):
        updated = {name: params[name] - lr * grads[name] for name in params}
    return Iteration(number, float(output.reshape(())), params, grads, updated)


def descend(program: ParsedProgram | str, bindings: Mapping[str, Binding], learning_rate: float,
            count: int, forget_zero_grad: bool = False,
            accumulated: Mapping[str, np.ndarray] | None = None, trace: Trace | None = None,
            first_number: int = 1):
    """The one gradient-descent loop, for the command line and the window alike.

    Yields ``(iteration, bindings, accumulated, trace)`` per step: the bindings and the
    leftover ``.grad`` the next pass starts from, and the trace the step was read from.
    ``trace``, when given, is the first pass already built (the one on screen).
    """
    bindings = dict(bindings)
    accumulated = dict(accumulated or {})
    for i in range(count):
        if i or trace is None:
            trace = build_trace(program, bindings, learning_rate, accumulated)
        it = iteration_of(trace, first_number + i)
        bindings = with_parameters(trace.graph, bindings, it.updated)
        accumulated = dict(it.grads) if forget_zero_grad else {}
        yield it, bindings, accumulated, trace


def train(program: ParsedProgram | str, bindings: Mapping[str, Binding] | None,
          learning_rate: float, iterations: int, forget_zero_grad: bool = False,
          check_torch: bool = True) -> TrainingRun:
    """Run ``iterations`` steps of gradient descent; compare each with torch.optim.SGD."""
    learning_rate = check_learning_rate(learning_rate)
    iterations = check_iterations(iterations)
    if isinstance(program, str):
        program = parse(program)
    bindings = dict(bindings or {})
    graph = build_graph(program, bindings)
    if not graph.parameters:
        raise ExpressionError("there is no parameter to train",
                              hint="make a value a parameter, as in w = param(1.0)")
    run = TrainingRun(learning_rate, forget_zero_grad=forget_zero_grad)
    first = graph
    for it, _bindings, _accumulated, _trace in descend(
            program, bindings, learning_rate, iterations, forget_zero_grad):
        run.iterations.append(it)
    if check_torch:
        _check_with_torch(first, run)
    return run


def _check_with_torch(graph: ComputationGraph, run: TrainingRun) -> None:
    """The same iterations with torch autograd and torch.optim.SGD, in float64."""
    from core.base.agreement import agree  # noqa: PLC0415
    from core.checks.torch_check import build_torch_graph, release, torch_available  # noqa: PLC0415

    ok, error = torch_available()
    if not ok:
        run.torch_error = error
        return
    import torch  # noqa: PLC0415 - torch_available() has imported it already

    leaves = {n.name: torch.tensor(np.asarray(n.value).tolist(), dtype=torch.float64,
                                   requires_grad=True) for n in graph.parameters}
    optimizer = torch.optim.SGD(list(leaves.values()), lr=run.learning_rate)
    try:
        for it in run.iterations:
            if not run.forget_zero_grad:
                optimizer.zero_grad(set_to_none=False)
            params_before = {k: v.detach().numpy().copy()[()] for k, v in leaves.items()}
            tensors = build_torch_graph(graph, torch, torch.float64, leaves)
            loss = tensors[graph.output]
            loss.backward()
            grads = {k: (np.zeros_like(params_before[k]) if v.grad is None
                         else v.grad.detach().numpy().copy()[()]) for k, v in leaves.items()}
            optimizer.step()
            updated = {k: v.detach().numpy().copy()[()] for k, v in leaves.items()}
            it.torch_match = (
                agree(it.loss, loss.item(), rtol=1e-9, atol=1e-12)
                and all(agree(it.params[k], params_before[k]) for k in leaves)
                and all(agree(it.grads[k], grads[k]) for k in leaves)
                and all(agree(it.updated[k], updated[k]) for k in leaves))
            del loss
            release(tensors)  # a deep graph freed at once overflows the C++ stack
    except Exception as exc:  # torch refused something we accepted: report, don't crash
        run.torch_error = f"PyTorch raised {type(exc).__name__}: {exc}"
