"""A parameter's update as a script made it, shown with its own numbers: the optimizer's
rule (SGD, with its momentum buffer; Adam, with m, v, m_hat, v_hat) or a hand-written
line under no_grad.

The update phase of a recorded pass (core.record.to_trace) is made of these, from the
recorded ``optimizer.step()``: nothing is computed again, so the phase shows exactly
what the script did.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np

from core.base.format import format_value
from core.base.values import as_value
from core.engine.backward_steps import ParameterUpdate
from core.engine.explain import Explanation
from core.engine.trace import Trace


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
            if "buffer" not in self.previous:  # the first step (torch's SGD counts none)
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
