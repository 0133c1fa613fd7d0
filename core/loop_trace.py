"""One iteration of a training script as a trace the window steps: the graph of that
``backward()`` call (forward, local gradients, backward), then the update phase with the
optimizer's own rule and the row's numbers (:class:`core.engine.optimizer_step.OptimizerStep`).

Every number shown is the row's (:class:`core.script_values.Row`): nothing is computed
again here, so the update phase shows exactly what the script did, SGD's buffer and
Adam's moments included.
"""

from __future__ import annotations

import re

import numpy as np

from core.base.errors import ExpressionError
from core.base.values import as_value
from core.engine.optimizer_step import OptimizerStep
from core.engine.trace import ScriptContext, Trace
from core.language.draws import forbidden
from core.script_values import Row, ScriptRun

_SEED = re.compile(r"manual_seed\s*\([^)]*\)")


def carried_draws(old, new_text: str) -> tuple:
    """The numbers a new text of the same script (``old``: a core.language.program.Program) can
    reuse: the old ones while the seeds are the same (core.language.draws gives them back while
    their shapes agree), else none."""
    if not old.draws or _SEED.findall(old.text) != _SEED.findall(new_text):
        return ()
    return old.draws


class DrawsNeeded(ExpressionError):
    """The script draws numbers (nn.Linear, torch.randn) that only torch can give: ask the
    PyTorch worker for them, then build again with them."""


def _left_over(row: Row) -> dict[str, np.ndarray]:
    """What .grad held before this backward() (not zeroed): the trace's ``accumulated``."""
    left = {}
    for name, grad in row.grads_before.items():
        if grad is not None and np.any(np.asarray(grad) != 0):
            left[name] = as_value(np.asarray(grad, dtype=np.float64))
    return left


def _previous_numbers(run: ScriptRun, k: int, name: str) -> dict | None:
    for row in reversed(run.rows[:k - 1]):
        if row.update and name in row.update.get("params", {}):
            return row.update["params"][name]
    return None


def iteration_trace(run: ScriptRun, k: int) -> Trace:
    """The trace of iteration ``k`` (1-based) of ``run``: its graph, then its update.

    The trace carries a :class:`core.engine.trace.ScriptContext` so that whoever holds it (the
    window's model, an undo entry) knows which run and which iteration it shows."""
    row = run.rows[k - 1]
    trace = Trace(row.graph, None, _left_over(row), ScriptContext(run, k))
    update = row.update or {}
    rule = {key: value for key, value in update.items() if key != "params"}
    numbers = update.get("params", {})
    for node in row.graph.parameters:
        if node.name in numbers:
            trace.steps.append(OptimizerStep(trace, node.id, rule, numbers[node.name],
                                             _previous_numbers(run, k, node.name)))
    for index, step in enumerate(trace.steps, start=1):
        step.index = index
    trace.phase_starts = {}
    for step in trace.steps:
        trace.phase_starts.setdefault(step.phase, step.index)
    return trace


def build_script(text: str, draws: list | tuple | None = None) -> Trace:
    """Run a script without torch and give iteration 1's trace (``run.error``, if any,
    stays on the run: the iterations before it are still stepped).

    Raises :class:`DrawsNeeded` when it draws numbers that ``draws`` does not hold, and
    the script's error when no ``backward()`` ran before it."""
    from core.script import run_script  # noqa: PLC0415 - core.script is big; scripts only

    with forbidden() as refused:
        run = run_script(text, check_torch=False, keep_partial=True, draws=list(draws or ()))
    if refused.count:
        raise DrawsNeeded("the script draws its initial numbers (nn.Linear, torch.randn) "
                          "through PyTorch: asking the PyTorch worker for them")
    if not run.rows:
        if run.error is not None:
            raise run.error
        raise ExpressionError("the script never calls backward(), so there is no graph to "
                              "step", hint="compute a loss and call loss.backward() in it")
    return iteration_trace(run, 1)
