"""The torch tape of a script: what the interpreter did, as whitelisted events, for the
torch side to replay (core/script_torch.py) and to show as code (core/script_code.py).

Nothing here is text the user typed: each event names one of the registry's ops or one of
a few fixed actions (a tensor made from numbers, ``backward()``, an optimizer's ``step()``,
an in-place update, a print), with its operands as tensor numbers (``tid``) or numbers.
A tensor the interpreter made without an event (a constant folded from literals) is
recorded the first time it is used, with the numbers it holds then.
"""

from __future__ import annotations

import numpy as np

from core.script_values import Item, Tensor


class Tape:
    """Events in the order the script ran them; tensors numbered as they appear."""

    def __init__(self):
        self.events: list[tuple] = []
        self.count = 0
        #: tid -> the script's name for it (the last assignment), for the code
        self.names: dict[int, str] = {}
        #: inside ``with torch.no_grad():`` (the interpreter keeps it up to date)
        self.no_grad = False

    # ---- tensors
    def tid(self, tensor: Tensor) -> int:
        if tensor.tid is None:
            tensor.tid = self.count
            self.count += 1
            self.events.append(("tensor", tensor.tid, np.array(tensor.value, copy=True),
                                tensor.dtype, tensor.requires_grad and tensor.is_leaf,
                                tensor.module_param))
        return tensor.tid

    def new(self, tensor: Tensor) -> int:
        tensor.tid = self.count
        self.count += 1
        return tensor.tid

    def operand(self, value) -> tuple:
        if isinstance(value, Tensor):
            return ("t", self.tid(value))
        if isinstance(value, Item) and value.tid is not None:
            return ("i", value.tid, float(value))
        if isinstance(value, bool):
            return ("n", value)
        if isinstance(value, (int, float, np.integer, np.floating)):
            number = float(value)
            return ("n", int(number) if isinstance(value, (int, np.integer)) else number)
        raise TypeError(f"not a tensor or a number: {type(value).__name__}")

    def name(self, value, name: str) -> None:
        """The script's name for a tensor (or an optimizer: its number, negated)."""
        if isinstance(value, Tensor):
            self.names[self.tid(value)] = name
        elif getattr(value, "tid", None) is not None:
            self.names[-1 - value.tid] = name

    # ---- what the interpreter does
    def op(self, out: Tensor, op: str, k, attrs: dict | None, operands: list,
           no_grad: bool) -> None:
        self.events.append(("op", self.new(out), op, k, dict(attrs or {}), operands, no_grad))

    def derive(self, out: Tensor, kind: str, source: Tensor, *extra) -> Tensor:
        """``.grad``, ``.data``, ``.detach()``, ``t[i]``, ``.round()``, ``.eq(y)``,
        ``.float()``: a new tensor computed from ``source`` by torch's own method."""
        src = self.tid(source)
        self.events.append(("derive", self.new(out), kind, src, extra, self.no_grad))
        return out

    def item(self, tensor: Tensor, number: float) -> Item:
        found = Item(number)
        found.tid = self.tid(tensor)
        return found

    def backward(self, loss: Tensor, row: int) -> None:
        self.events.append(("backward", self.tid(loss), row))

    def grad_zero(self, tensor: Tensor) -> None:
        self.events.append(("grad_zero", self.tid(tensor)))

    def optimizer(self, optimizer) -> None:
        optimizer.tid = self.count
        self.count += 1
        self.events.append(("optimizer", optimizer.tid, optimizer.kind,
                            [self.tid(p) for p in optimizer.params], optimizer.lr,
                            optimizer.momentum))

    def optimizer_call(self, optimizer, method: str) -> None:
        if getattr(optimizer, "tid", None) is not None:
            self.events.append(("optimizer_call", optimizer.tid, method))

    def inplace(self, tensor: Tensor, kind: str, operand: tuple, line: int) -> None:
        """``w -= …`` (kind "sub") or ``w.copy_(…)`` (kind "copy"), under no_grad."""
        self.events.append(("inplace", self.tid(tensor), kind, operand, line))

    def print(self, pieces: list[list[tuple]]) -> None:
        """One piece list per argument: ("s", text), ("t", tid, spec) or ("i", tid, spec)."""
        self.events.append(("print", pieces))

    def end_iteration(self, iteration: int) -> None:
        """``iteration``: the outer loop's (0: the end of the script)."""
        if self.events and self.events[-1][0] != "end_iteration":
            self.events.append(("end_iteration", iteration))


class NoTape(Tape):
    """What a run without the torch check records: nothing."""

    def tid(self, tensor):
        return -1

    def new(self, tensor):
        return -1

    def operand(self, value):
        return ()

    def name(self, tensor, name):
        pass

    def op(self, *args, **kwargs):
        pass

    def derive(self, out, *args):
        return out

    def item(self, tensor, number):
        return number

    def backward(self, *args):
        pass

    def grad_zero(self, *args):
        pass

    def optimizer(self, *args):
        pass

    def optimizer_call(self, *args):
        pass

    def inplace(self, *args):
        pass

    def print(self, *args):
        pass

    def end_iteration(self, iteration):
        pass


def piece(tape: Tape, value, spec: str, text: str) -> tuple:
    """How the torch side prints one value of a print or one field of an f-string: a
    tensor or an ``.item()`` with torch's numbers; anything else as the engine wrote it
    (``text``)."""
    if isinstance(tape, NoTape):
        return ()
    if isinstance(value, Tensor):
        return ("t", tape.tid(value), spec)
    if isinstance(value, Item) and value.tid is not None:
        return ("i", value.tid, spec)
    return ("s", text)
