"""The torch tape of a script (core/script_tape.py) as readable Python: the code the torch
side ran, unrolled (one block per loop iteration), with the script's names.

It is text for the learner to read (and paste): the replay never runs it, it runs the
events themselves. An op's result that is used once, right away, is written inside its
use, as the straight-line code generator does. Tensors of more than ``MAX_SHOWN`` numbers
and runs of more than ``MAX_LINES`` lines are shortened (with a comment saying so).
"""

from __future__ import annotations

import keyword

import numpy as np

from core.checks.torch_code import literal as _literal
from core.checks.torch_code import op_code
from core.engine.graph import Operand
from core.ops import OPS

MAX_SHOWN = 1_000
MAX_LINES = 3_000
_MUTATING = {"inplace", "optimizer_call", "backward", "grad_zero", "end_iteration", "print"}


def _number(value) -> str:
    return repr(value) if not isinstance(value, float) else _literal(value)


def _python_name(name: str) -> str:
    name = "".join(c if c.isalnum() or c == "_" else "_" for c in name) or "t"
    return name + "_" if keyword.iskeyword(name) or name[0].isdigit() else name


class CodeWriter:
    def __init__(self, events: list[tuple], names: dict[int, str], params: dict[str, int]):
        self.events = events
        self.hint = dict(names)
        for name, tid in params.items():
            self.hint[tid] = _python_name(name)
        self.uses: dict[int, list[int]] = {}
        for i, event in enumerate(events):
            for tid in reads(event):
                self.uses.setdefault(tid, []).append(i)
        self.expr: dict[int, Operand] = {}
        self.bound: dict[str, int] = {}
        self.lines: list[tuple[str, bool]] = []  # (text, under no_grad)
        self.inline: set[int] = set()
        self.uses_nn = self.uses_f = False

    def name_for(self, tid: int, at: int) -> str:
        base = _python_name(self.hint.get(tid, f"t{tid}"))
        name, n = base, 1
        while name in self.bound and self.bound[name] != tid \
                and max(self.uses.get(self.bound[name], [-1])) > at:
            n += 1
            name = f"{base}_{n}"
        self.bound[name] = tid
        return name

    def can_inline(self, tid: int, at: int, no_grad: bool) -> bool:
        """Unnamed, used once, nothing between here and the use changes anything, and
        both under no_grad or both not."""
        uses = self.uses.get(tid, [])
        if tid in self.hint or len(uses) != 1:
            return False
        use = uses[0]
        for event in self.events[at + 1:use + 1]:
            if event[0] in _MUTATING and event is not self.events[use]:
                return False
            if _mode(event) not in (None, no_grad):
                return False
        consumer = self.events[use]
        return consumer[0] in ("op", "derive", "print", "inplace") and \
            _mode(consumer) in (None, no_grad)

    def operand(self, operand: tuple) -> Operand:
        if operand[0] == "t":
            return self.expr[operand[1]]
        if operand[0] == "i":
            return Operand(f"{self.expr[operand[1]]}.item()", True)
        return Operand(_number(operand[1]), not str(operand[1]).startswith("-"))

    def define(self, tid: int, text: str, atomic: bool, at: int, no_grad: bool,
               inline_ok: bool = True) -> None:
        if inline_ok and self.can_inline(tid, at, no_grad):
            self.expr[tid] = Operand(text, atomic)
            return
        name = self.name_for(tid, at)
        self.lines.append((f"{name} = {text}", no_grad))
        self.expr[tid] = Operand(name, True)

    # ---- one method per event
    def tensor(self, at, tid, value, dtype, leaf_grad, module_param) -> None:
        if np.size(value) > MAX_SHOWN:
            shape = "×".join(str(s) for s in np.shape(value))
            text = f"torch.tensor(...)  # {np.size(value):,} numbers ({shape}), not shown"
        else:
            numbers = _literal(np.asarray(value, dtype=np.float64)) if dtype.startswith(
                "float") else repr(np.asarray(value).astype(
                    np.int64 if dtype == "int64" else bool).tolist())
            extra = "" if dtype == "float32" or dtype != "float64" and dtype != "int64" \
                else f", dtype=torch.{dtype}"
            text = f"torch.tensor({numbers}{extra}"
            text += ", requires_grad=True)" if leaf_grad and not module_param else ")"
        if module_param:
            self.uses_nn = True
            text = f"nn.Parameter({text})"
        self.define(tid, text, True, at, False, inline_ok=not (leaf_grad or module_param))

    def op(self, at, tid, op, k, attrs, operands, no_grad) -> None:
        entry = OPS[op]
        args = [self.operand(o) for o in operands]
        for i, o in enumerate(operands):
            if o[0] == "n" and (entry.tensor_args or entry.reduction or i == 0 and all(
                    p[0] == "n" for p in operands)):
                args[i] = Operand(f"torch.tensor({_literal(float(o[1]))})", True)
        text, atomic = op_code(entry, attrs, args, k)  # the one generator's op
        self.uses_f = self.uses_f or entry.code_for(attrs).startswith("F.")
        self.define(tid, text, atomic, at, no_grad)

    def derive(self, at, tid, kind, source, extra, no_grad) -> None:
        src = self.expr[source]
        text = {"grad": f"{src}.grad", "data": f"{src}.data", "detach": f"{src}.detach()",
                "round": f"{src}.round()", "float": f"{src}.float()"}.get(kind)
        if kind == "index":
            text = f"{src}[{int(extra[0])}]"
        elif kind == "eq":
            text = f"{src}.eq({self.operand(extra[0]):bare})"
        self.define(tid, text, True, at, no_grad)

    def backward(self, at, loss, row) -> None:
        self.lines.append((f"{self.expr[loss]}.backward()  # backward() call {row + 1}", False))

    def grad_zero(self, at, tid) -> None:
        self.lines.append((f"{self.expr[tid]}.grad.zero_()", False))

    def optimizer(self, at, oid, kind, params, lr, momentum) -> None:
        name = self.name_for(-1 - oid, len(self.events))
        listed = ", ".join(f"{self.expr[p]:bare}" for p in params)
        extra = f", momentum={momentum!r}" if kind == "SGD" and momentum else ""
        self.expr[-1 - oid] = Operand(name, True)
        self.lines.append((f"{name} = torch.optim.{kind}([{listed}], lr={lr!r}{extra})", False))

    def optimizer_call(self, at, oid, method) -> None:
        self.lines.append((f"{self.expr[-1 - oid]}.{method}()", False))

    def inplace(self, at, tid, kind, operand, line) -> None:
        method = {"copy": "copy_", "add": "add_", "sub": "sub_", "mul": "mul_",
                  "div": "div_"}[kind]
        value = self.operand(operand)
        self.lines.append((f"{self.expr[tid]}.{method}({value:bare})  # line {line}", True))

    def print(self, at, pieces) -> None:
        args = []
        for parts in pieces:
            if len(parts) == 1 and parts[0][0] == "t" and parts[0][2] is None:
                args.append(self.expr[parts[0][1]].text)
            elif all(p[0] == "s" for p in parts):
                args.append(repr("".join(p[1] for p in parts)))
            else:
                args.append('f"' + "".join(self.field(p) for p in parts) + '"')
        self.lines.append((f"print({', '.join(args)})", False))

    def field(self, part: tuple) -> str:
        if part[0] == "s":
            text = part[1].replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            return text.replace("{", "{{").replace("}", "}}")
        value = f"{self.expr[part[1]]}.item()" if part[0] == "i" else \
            f"{self.expr[part[1]]:bare}"
        spec = part[2] or ""
        return "{" + value + (f":{spec}" if spec else "") + "}"

    def end_iteration(self, at, iteration) -> None:
        self.lines.append((f"# ---- end of loop iteration {iteration}" if iteration
                           else "# ---- end of the script", False))

    def write(self) -> str:
        cut = 0
        for at, event in enumerate(self.events):
            if len(self.lines) > MAX_LINES:  # the rest is left out, not written and cut
                cut = len(self.events) - at
                break
            getattr(self, event[0])(at, *event[1:])
        head = ["import torch"]
        if self.uses_nn:
            head.append("import torch.nn as nn")
        if self.uses_f:
            head.append("import torch.nn.functional as F")
        body: list[str] = []
        inside = False
        for text, no_grad in self.lines:
            if no_grad and not inside:
                body.append("with torch.no_grad():")
            inside = no_grad
            body.append(("    " if no_grad else "") + text)
        if len(body) > MAX_LINES or cut:
            body = body[:MAX_LINES] + [f"# … the rest of the run is left out here"
                                       f" ({max(0, len(body) - MAX_LINES) + cut:,} more steps)"]
        return "\n".join([*head, "", *body]) + "\n"


def _mode(event: tuple) -> bool | None:
    """Whether an event runs under no_grad; None where it makes no difference."""
    if event[0] == "op":
        return event[6]
    if event[0] == "derive":
        return event[5]
    return True if event[0] == "inplace" else None


def reads(event: tuple) -> list[int]:
    """The tensors an event reads (by tid)."""
    kind = event[0]
    if kind == "op":
        return [o[1] for o in event[5] if o[0] in ("t", "i")]
    if kind == "derive":
        return [event[3], *(o[1] for o in event[4] if isinstance(o, tuple) and o[0] in "ti")]
    if kind in ("backward", "grad_zero"):
        return [event[1]]
    if kind == "optimizer":
        return list(event[3])
    if kind == "inplace":
        return [event[1], *([event[3][1]] if event[3][0] in ("t", "i") else [])]
    if kind == "print":
        return [p[1] for parts in event[1] for p in parts if p[0] in ("t", "i")]
    return []


def render(events: list[tuple], names: dict[int, str], params: dict[str, int]) -> str:
    """The tape as Python/torch text."""
    return CodeWriter(events, names, params).write()
