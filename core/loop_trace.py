"""One iteration of a training script as a trace the window steps: the graph of that
``backward()`` call (forward, local gradients, backward), then the update phase with the
optimizer's own rule and the row's numbers (:class:`OptimizerStep`).

Every number shown is the row's (:class:`core.script_values.Row`): nothing is computed
again here, so the update phase shows exactly what the script did, SGD's buffer and
Adam's moments included.
"""

from __future__ import annotations

import re
from functools import cached_property

import numpy as np

from core.backward_steps import ParameterUpdate
from core.draws import forbidden
from core.errors import ExpressionError
from core.explain import Explanation
from core.format import format_value
from core.script_values import Row, ScriptRun
from core.trace import ScriptContext, Trace
from core.values import as_value

_SEED = re.compile(r"manual_seed\s*\([^)]*\)")


def carried_draws(old, new_text: str) -> tuple:
    """The numbers a new text of the same script (``old``: a core.program.Program) can
    reuse: the old ones while the seeds are the same (core.draws gives them back while
    their shapes agree), else none."""
    if not old.draws or _SEED.findall(old.text) != _SEED.findall(new_text):
        return ()
    return old.draws


class DrawsNeeded(ExpressionError):
    """The script draws numbers (nn.Linear, torch.randn) that only torch can give: ask the
    PyTorch worker for them, then build again with them."""


def _num(value) -> str:
    return format_value(as_value(np.asarray(value, dtype=np.float64)))


def _arg(value) -> str:
    """A number after an operator: a negative one in parentheses, ``0.01 · (−30)``, never
    ``0.01 · −30`` (issue 24)."""
    text = _num(value)
    return f"({text})" if text.startswith(("−", "-")) else text


class OptimizerStep(ParameterUpdate):
    """One parameter's update as the script made it: ``optimizer.step()`` (SGD, with its
    momentum buffer; Adam, with m, v, m_hat, v_hat) or a hand-written line under no_grad."""

    def __init__(self, trace: Trace, node_id: int, rule: dict, numbers: dict,
                 previous: dict | None = None):
        super().__init__(trace)
        self.node_id = node_id
        self.rule = rule
        self.numbers = numbers
        #: the same parameter's numbers at the previous update (SGD's buffer, Adam's m, v)
        self.previous = previous or {}

    @cached_property
    def value(self) -> np.ndarray:
        return as_value(np.asarray(self.numbers["after"], dtype=np.float64))

    @property
    def kind(self) -> str:
        """"sgd", "momentum", "adam" or "manual"."""
        rule = self.rule.get("rule")
        if rule == "Adam":
            return "adam"
        if rule == "SGD":
            return "momentum" if self.rule.get("momentum") else "sgd"
        return "manual"

    def _earlier(self, key: str):
        """SGD's buffer or Adam's m, v before this step (zero at the first step)."""
        earlier = self.previous.get(key)
        return np.zeros_like(np.asarray(self.numbers["grad"], dtype=np.float64)) \
            if earlier is None else earlier

    @cached_property
    def lines(self) -> list[str]:
        """The rule, line by line, each with its numbers: what the update phase shows."""
        w, n, kind = self.target, self.numbers, self.kind
        before, grad, after = _num(n["before"]), _num(n["grad"]), _num(n["after"])
        if kind == "manual":
            return [f"{n.get('line', '')}", f"{w}: {before} → {after}  ({w}.grad = {grad})"]
        lr = format_value(self.rule["lr"])
        g = _arg(n["grad"])  # after an operator: (−30)
        if kind == "sgd":
            return [f"{w} ← {w} − lr · {w}.grad = {before} − {lr} · {g} = {after}"]
        if kind == "momentum":
            mu = format_value(self.rule["momentum"])
            buffer = _num(n["buffer"])
            if self.rule.get("step", 1) <= 1 or "buffer" not in self.previous:
                first = f"b ← {w}.grad = {buffer}"
            else:
                first = f"b ← μ · b + {w}.grad = {mu} · {_arg(self.previous['buffer'])} + " \
                        f"{g} = {buffer}"
            return [first, f"{w} ← {w} − lr · b = {before} − {lr} · {_arg(n['buffer'])} = "
                           f"{after}"]
        beta1, beta2 = (format_value(b) for b in self.rule["betas"])
        t, eps = int(self.rule["step"]), format_value(self.rule["eps"])
        return [
            f"m ← β₁ · m + (1 − β₁) · g = {beta1} · {_arg(self._earlier('m'))} + "
            f"(1 − {beta1}) · {g} = {_num(n['m'])}",
            f"v ← β₂ · v + (1 − β₂) · g² = {beta2} · {_arg(self._earlier('v'))} + "
            f"(1 − {beta2}) · {g}² = {_num(n['v'])}",
            f"m_hat = m / (1 − β₁^{t}) = {_num(n['m_hat'])}",
            f"v_hat = v / (1 − β₂^{t}) = {_num(n['v_hat'])}",
            f"{w} ← {w} − lr · m_hat / (√v_hat + ε) = {before} − {lr} · {_arg(n['m_hat'])} / "
            f"(√{_num(n['v_hat'])} + {eps}) = {after}",
        ]

    @property
    def equation(self) -> str:
        """The lines on one line (the explanation shows ``lines`` one under the other)."""
        return "; ".join(self.lines)

    @cached_property
    def formula(self) -> str:
        w = self.target
        return {"sgd": f"{w} − lr · {w}.grad", "momentum": f"{w} − lr · b",
                "adam": f"{w} − lr · m_hat / (√v_hat + ε)"}.get(self.kind,
                                                              self.numbers.get("line", ""))

    @cached_property
    def substituted(self) -> str:
        return self.lines[-1].split(" = ", 1)[-1].rsplit(" = ", 1)[0] \
            if self.kind != "manual" else f"{_num(self.numbers['before'])} → " \
                                          f"{_num(self.numbers['after'])}"

    @property
    def explanation(self) -> Explanation:
        args = {"target": self.target, "grad": _num(self.numbers["grad"])}
        if self.kind != "manual":
            args["lr"] = format_value(self.rule["lr"])
        if self.kind == "momentum":
            args["momentum"] = format_value(self.rule["momentum"])
        if self.kind == "adam":
            args["step"] = str(int(self.rule["step"]))
        more = ()
        name = self.graph.nodes[self.node_id].name
        left = self.trace.accumulated.get(name) if name else None
        if left is not None:
            more = (Explanation("update.grad_accumulated", {
                "target": self.target, "left": _num(left), "total": args["grad"]}),)
        return Explanation(f"update.{self.kind}", args, more)


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

    The trace carries a :class:`core.trace.ScriptContext` so that whoever holds it (the
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
