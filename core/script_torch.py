"""The torch side of a script: its tape (core/script_tape.py) replayed with torch itself,
in the script's dtypes, with torch.optim's own SGD and Adam and torch's own printing.

Each event runs through a fixed table: a tensor from its numbers, one registry op through
its torch twin (:func:`core.checks.torch_check.torch_op`), ``backward()``, an optimizer's
``step()``/``zero_grad()``, an in-place update under ``torch.no_grad()``, a print. Nothing
is evaluated. What torch computed is kept per ``backward()`` call (the loss, every
parameter's ``.grad``, the parameters at the end of that loop iteration) for the comparison.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field

import numpy as np

from core.engine.graph import Node
from core.script_code import reads
from core.script_dtype import as_numbers

DTYPES = {"float32": "float32", "float64": "float64", "int64": "int64", "bool": "bool"}


@dataclass
class Replayed:
    """What torch computed: one entry per backward() call, and what it printed."""

    losses: list[float] = field(default_factory=list)
    grads: list[dict[str, np.ndarray | None]] = field(default_factory=list)
    updated: list[dict[str, np.ndarray]] = field(default_factory=list)
    printed: list[str] = field(default_factory=list)


def _numbers(tensor) -> np.ndarray:
    """A copy: a float64 tensor's numpy() shares its memory, which the next step changes."""
    return np.array(tensor.detach().cpu().double().numpy(), dtype=np.float64)[()]


class Replay:
    """Runs the events in order; ``params``: the script's parameter names -> tids."""

    def __init__(self, torch, params: dict[str, int]):
        self.torch = torch
        self.params = params
        self.tensors: dict[int, object] = {}
        self.optimizers: dict[int, object] = {}
        self.out = Replayed()
        self.pending: list[int] = []

    def run(self, events: list[tuple]) -> Replayed:
        table = {"tensor": self.tensor, "op": self.op, "derive": self.derive,
                 "backward": self.backward, "grad_zero": self.grad_zero,
                 "optimizer": self.optimizer, "optimizer_call": self.optimizer_call,
                 "inplace": self.inplace, "print": self.print,
                 "end_iteration": self.end_iteration}
        last: dict[int, int] = {}  # tid -> the last event that reads it
        for i, event in enumerate(events):
            for tid in reads(event):
                last[tid] = i
        done: dict[int, list[int]] = {}
        keep = set(self.params.values())
        for tid, i in last.items():
            if tid not in keep:
                done.setdefault(i, []).append(tid)
        for i, event in enumerate(events):
            table[event[0]](*event[1:])
            for tid in done.get(i, ()):  # as Python would free it: a long loop stays small
                self.tensors.pop(tid, None)
            if event[0] in ("tensor", "op", "derive") and event[1] not in last \
                    and event[1] not in keep:
                self.tensors.pop(event[1], None)  # never read again
        self.end_iteration()
        return self.out

    def value(self, operand: tuple):
        kind = operand[0]
        if kind == "t":
            return self.tensors[operand[1]]
        if kind == "i":  # an .item() of torch's tensor, used as a plain number
            return self.tensors[operand[1]].item()
        return operand[1]

    # ---- the events
    def tensor(self, tid: int, value, dtype: str, leaf_grad: bool, module_param: bool) -> None:
        torch = self.torch
        made = torch.tensor(as_numbers(value, dtype), dtype=getattr(torch, DTYPES[dtype]))
        if module_param:
            made = torch.nn.Parameter(made)
        elif leaf_grad:
            made.requires_grad_(True)
        self.tensors[tid] = made

    def op(self, tid: int, op: str, k, attrs: dict, operands: list, no_grad: bool) -> None:
        from core.checks.torch_check import torch_op  # noqa: PLC0415 - torch_check imports torch lazily

        torch = self.torch
        args = [self.value(o) for o in operands]
        form = attrs.get("form") if op == "transpose" else None
        with torch.no_grad() if no_grad else nullcontext():
            if form in (".T", ".t()") and args[0].dim() == 2:  # as written: torch names
                self.tensors[tid] = args[0].T if form == ".T" else args[0].t()  # them apart
                return
            node = Node(0, "operation", 0, 0, op=op, k=k, inputs=tuple(range(len(operands))),
                        params=attrs or None)
            self.tensors[tid] = torch_op(node, args, torch, torch.get_default_dtype())

    def derive(self, tid: int, kind: str, source: int, extra: tuple, no_grad: bool) -> None:
        if no_grad:
            with self.torch.no_grad():
                self._derive(tid, kind, source, extra)
        else:
            self._derive(tid, kind, source, extra)

    def _derive(self, tid: int, kind: str, source: int, extra: tuple) -> None:
        t = self.tensors[source]
        if kind == "grad":
            made = t.grad
        elif kind == "data":
            made = t.data
        elif kind == "detach":
            made = t.detach()
        elif kind == "index":
            made = t[int(extra[0])]
        elif kind == "eq":
            made = t.eq(self.value(extra[0]))
        else:  # "round" | "float"
            made = {"round": t.round, "float": t.float}[kind]()
        self.tensors[tid] = made

    def backward(self, loss: int, row: int) -> None:
        tensor = self.tensors[loss]
        tensor.backward()
        while len(self.out.losses) < row:  # a row torch never reached (cannot happen)
            self.out.losses.append(float("nan"))
            self.out.grads.append({})
        self.out.losses.append(float(tensor.item()))
        grads = {}
        for name, tid in self.params.items():
            t = self.tensors.get(tid)
            grads[name] = None if t is None or t.grad is None else _numbers(t.grad)
        self.out.grads.append(grads)
        self.pending.append(row)

    def grad_zero(self, tid: int) -> None:
        self.tensors[tid].grad.zero_()

    def optimizer(self, oid: int, kind: str, params: list[int], lr: float,
                  momentum: float) -> None:
        tensors = [self.tensors[t] for t in params]
        if kind == "SGD":
            made = self.torch.optim.SGD(tensors, lr=lr, momentum=momentum)
        else:
            made = self.torch.optim.Adam(tensors, lr=lr)
        self.optimizers[oid] = made

    def optimizer_call(self, oid: int, method: str) -> None:
        {"step": self.optimizers[oid].step, "zero_grad": self.optimizers[oid].zero_grad}[
            method]()

    def inplace(self, tid: int, kind: str, operand: tuple, line: int) -> None:
        del line
        t = self.tensors[tid]
        value = self.value(operand)
        with self.torch.no_grad():
            {"add": t.add_, "sub": t.sub_, "mul": t.mul_, "div": t.div_, "copy": t.copy_}[
                kind](value if kind != "copy" or isinstance(value, self.torch.Tensor)
                      else self.torch.tensor(value))

    def print(self, pieces: list[list[tuple]]) -> None:
        texts = []
        for parts in pieces:
            text = []
            for part in parts:
                if part[0] == "s":
                    text.append(part[1])
                elif part[0] == "t":  # spec None: a print argument, else an f-string field
                    t = self.tensors[part[1]]
                    text.append(str(t) if part[2] is None else format(t, part[2]))
                else:
                    number = self.tensors[part[1]].item()
                    text.append(format(number, part[2] or ""))
            texts.append("".join(text))
        self.out.printed.extend(" ".join(texts).split("\n"))

    def end_iteration(self, iteration: int = 0) -> None:
        del iteration
        if not self.pending:
            return
        now = {name: _numbers(self.tensors[tid]) for name, tid in self.params.items()
               if tid in self.tensors}
        while len(self.out.updated) < len(self.out.losses):
            self.out.updated.append(now)
        self.pending = []


def replay(events: list[tuple], params: dict[str, int]) -> Replayed:
    """The tape run by torch (imported here: the caller checked it can be)."""
    import torch  # noqa: PLC0415 - deliberately lazy: ~1 s to import

    return Replay(torch, params).run(events)
