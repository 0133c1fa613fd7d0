"""The calls the language takes: functions, methods, ``torch.``/``F.`` forms, constructors.

One table per kind of call, each read from ``ast`` and nothing else: ``exp(x)``,
``torch.exp(x)``, ``x.exp()``, ``F.relu(x)`` and ``torch.nn.functional.relu(x)`` are the
same op. Integer arguments (``dim=1``, shapes) must be literal whole numbers; tensor
constructors (``torch.zeros(2, 3)``, ``torch.randn(4, 2)`` …) give values, not nodes.
"""

from __future__ import annotations

import ast
import math

import numpy as np

from core.base.did_you_mean import NUMPY_HINT, NUMPY_NAMES, suggest
from core.base.values import MAX_ENTRIES
from core.language.call_spellings import SpelledCalls
from core.language.ir import Apply, Literal, fold
from core.ops.index import (  # noqa: F401 - the call tables, derived from the op entries
    ALONG,
    CALLS,
    F_FUNCTIONS,
    LOSSES,
    MATMULS,
    SHAPE_METHODS,
    TENSOR_CALLS,
)

CONSTRUCTORS = ("zeros", "ones", "full", "eye", "arange", "linspace", "randn", "rand")
MAX_ARANGE = MAX_ENTRIES


def dotted(node: ast.expr) -> str | None:
    """``torch.nn.functional.relu`` → that text; None unless names and attributes."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


class CallReader(SpelledCalls):
    """Mixed into the parser: reads arguments (ints, shapes, keywords) of one call."""

    draws = None  # the parser's core.language.draws.Draws

    def error(self, node, message, hint=None):  # pragma: no cover - the parser's
        raise NotImplementedError

    def keywords(self, node: ast.Call, name: str, allowed: tuple[str, ...]) -> dict:
        found = {}
        for kw in node.keywords:
            if kw.arg is None:
                raise self.error(node, "'**' unpacking is not supported")
            if not allowed:
                raise self.error(kw, "keyword arguments are not supported here",
                                 f"{name} takes its arguments by position")
            if kw.arg not in allowed:
                raise self.error(kw, f"{name} does not take the keyword '{kw.arg[:40]}'",
                                 f"it takes {', '.join(allowed)}")
            found[kw.arg] = kw.value
        return found

    def whole(self, node: ast.expr, what: str) -> int:
        """A literal whole number (``-1`` included), as dims and sizes are written."""
        sign = 1
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            sign, node = -1, node.operand
        if isinstance(node, ast.Constant) and type(node.value) is int:
            if abs(node.value) > 10 ** 12:
                raise self.error(node, f"{what} is too large")
            return sign * node.value
        raise self.error(node, f"{what} must be a whole number written out, as in 1 or -1")

    def flag(self, node: ast.expr, what: str) -> bool:
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            return node.value
        raise self.error(node, f"{what} must be True or False")

    def shape_args(self, args: list[ast.expr], what: str, allow_minus: bool = False
                   ) -> tuple[int, ...]:
        """``(2, 3)``, ``[2, 3]`` or ``2, 3``: sizes written out."""
        if len(args) == 1 and isinstance(args[0], (ast.Tuple, ast.List)):
            args = list(args[0].elts)
        if not args and not allow_minus:
            return ()
        if len(args) > 8:
            raise self.error(args[8], f"{what}: at most 8 dimensions")
        shape = tuple(self.whole(a, "a size") for a in args)
        for a, size in zip(args, shape, strict=True):
            if size < 0 and not (allow_minus and size == -1):
                raise self.error(a, f"{what}: a size may not be negative")
        total = math.prod(s for s in shape if s > 0)
        if total > MAX_ENTRIES:
            raise self.error(args[0], f"{what}: {total:,} entries, but a tensor holds "
                             f"at most {MAX_ENTRIES:,} numbers")
        return shape

    def number(self, node: ast.expr, what: str) -> float:
        folded = self.expr(node, 1)
        if not isinstance(folded, Literal) or np.ndim(folded.value) != 0:
            raise self.error(node, f"{what} must be a number")
        return float(folded.value)

    def expr(self, node, depth):  # pragma: no cover - the parser's
        raise NotImplementedError

    def resolve(self, func):  # pragma: no cover - the parser's
        raise NotImplementedError

    def pos(self, node):  # pragma: no cover - the parser's
        raise NotImplementedError

    # ---- calls -----------------------------------------------------------------------

    def callee(self, node: ast.Call) -> tuple[str, list[ast.expr], bool]:
        """(name, arguments, is a method): ``torch.exp(x)``, ``F.relu(x)``, ``x.exp()``."""
        func = node.func
        args = list(node.args)
        if any(isinstance(a, ast.Starred) for a in args):
            raise self.error(node, "'*' unpacking is not supported")
        if isinstance(func, ast.Name):
            if func.id == "param":
                raise self.error(node, "param(…) declares a value on its own line",
                                 "as in w = param(1.0)")
            return func.id, args, False
        resolved = self.resolve(func)
        if resolved is not None:
            for prefix in ("torch.nn.functional.", "torch."):
                rest = resolved[len(prefix):]
                if resolved.startswith(prefix) and "." not in rest:
                    if prefix == "torch.nn.functional." and rest not in F_FUNCTIONS:
                        raise suggest(self.error(func, f"unknown function 'F.{rest[:40]}'",
                                                 f"available: F.{', F.'.join(F_FUNCTIONS)}"),
                                      rest, F_FUNCTIONS, "F.")
                    if rest == "tensor":
                        raise self.error(node, "torch.tensor(…) declares a value on its own "
                                         "line", "as in x = torch.tensor(1.0)")
                    return rest, args, False
        if isinstance(func, ast.Attribute):
            if isinstance(func.value, ast.Name) and func.value.id in NUMPY_NAMES:
                raise self.error(func, f"numpy's {func.value.id}.{func.attr[:40]} is not "
                                 "supported", NUMPY_HINT)  # not a method of a value np
            return func.attr, [func.value, *args], True  # a method: x.exp(), v.sum()
        raise self.error(node, "only named functions can be called",
                         f"available: {self.function_list()}")

    def function_list(self) -> str:  # pragma: no cover - the parser's
        raise NotImplementedError

    def tensor_call(self, name: str, node: ast.Call, args: list[ast.expr], method: bool,
                    depth: int):
        """The ops beyond the element-wise functions; None when ``name`` is not one."""
        line, column = self.pos(node)

        def operands(count: int, what: str):
            if len(args) < count:
                raise self.error(node, f"{name} takes {what}")
            return [self.expr(a, depth + 1) for a in args[:count]]

        def apply(key: str, ops, **attrs):
            return fold(Apply(key, tuple(ops), line, column, attrs=attrs or None))

        entry = CALLS.get(name)
        reader = entry.reader if entry is not None else None
        if reader == "spelled":
            return self.spelled_call(name, node, args, method, depth)
        if reader == "matmul":
            kws = self.keywords(node, name, ())
            del kws
            if len(args) != 2:
                raise self.error(node, f"{name} takes two tensors", f"as in torch.{name}(a, b)")
            return apply(entry.key, operands(2, "two tensors"), form=name)
        if reader in ("transpose", "reshape", "flatten", "squeeze"):
            return self._shape_call(reader, name, entry.key, node, args, apply, operands)
        if reader == "along":
            kws = self.keywords(node, name, ("dim",))
            dim = kws.get("dim", args[1] if len(args) > 1 else None)
            if dim is None or len(args) > 2:
                raise self.error(node, f"{name} needs dim=", f"as in {name}(x, dim=1)")
            return apply(entry.key, operands(1, "a tensor"), dim=self.whole(dim, "dim"))
        if reader == "loss":
            return self._loss(name, entry.key, node, args, apply, operands)
        if name in CONSTRUCTORS:
            value, grad = self.construct(name, node, self.draws)
            if grad:
                raise self.error(node, f"torch.{name}(…, requires_grad=True) declares a "
                                 "parameter on its own line", f"as in w = torch.{name}(…)")
            return Literal(value, line, column)
        return None

    def _shape_call(self, reader, name, key, node, args, apply, operands):
        """The shape ops' readers (``reader`` is transpose, reshape, flatten or squeeze):
        their dims or their new shape, checked."""
        if reader == "transpose":
            self.keywords(node, name, ())
            if name == "t":
                if len(args) != 1:
                    raise self.error(node, "t() takes no arguments", "as in W.t()")
                return apply(key, operands(1, "a tensor"), dims=(0, 1), form=".t()")
            if len(args) != 3:
                raise self.error(node, "transpose takes two dims", "as in W.transpose(0, 1)")
            dims = (self.whole(args[1], "a dim"), self.whole(args[2], "a dim"))
            return apply(key, operands(1, "a tensor"), dims=dims, form="transpose")
        if reader == "reshape":
            self.keywords(node, name, ())
            if len(args) < 2:
                raise self.error(node, f"{name} takes the new shape", f"as in x.{name}(2, 3)")
            shape = self.shape_args(args[1:], name, allow_minus=True)
            return apply(key, operands(1, "a tensor"), shape=shape)
        if reader == "flatten":
            kws = self.keywords(node, name, ("start_dim", "end_dim"))
            given = dict(zip(("start_dim", "end_dim"), args[1:3], strict=False))
            given.update(kws)
            attrs = {k: self.whole(v, k) for k, v in given.items()}
            if len(args) > 3:
                raise self.error(node, "flatten takes at most start_dim and end_dim")
            return apply(key, operands(1, "a tensor"), **attrs)
        kws = self.keywords(node, name, ("dim",))  # "squeeze": squeeze, unsqueeze
        dim = kws.get("dim", args[1] if len(args) > 1 else None)
        if len(args) > 2 or name == "unsqueeze" and dim is None:
            raise self.error(node, f"{name} takes one dim", f"as in x.{name}(0)")
        attrs = {} if dim is None else {"dim": self.whole(dim, "dim")}
        return apply(key, operands(1, "a tensor"), **attrs)

    def _loss(self, name, key, node, args, apply, operands):
        kws = self.keywords(node, name, ("reduction",))
        reduction = kws.get("reduction")
        if reduction is not None and not (isinstance(reduction, ast.Constant)
                                          and reduction.value == "mean"):
            raise self.error(reduction, f"{name}: only reduction='mean' (the default) is "
                             "supported")
        if len(args) != 2:
            raise self.error(node, f"{name} takes a prediction and a target",
                             f"as in F.{name}(z, y)")
        return apply(key, operands(2, "a prediction and a target"))

    def reduce_call(self, name: str, node: ast.Call, args: list[ast.expr], depth: int):
        """``sum``/``mean``/``max``/``min`` with ``dim=``/``keepdim=``, or None without."""
        kws = self.keywords(node, name, ("dim", "keepdim"))
        positional_dim = name in ("sum", "mean") and len(args) == 2
        if not kws and not positional_dim:
            return None
        if len(args) > (2 if positional_dim else 1):
            raise self.error(node, f"{name} takes one tensor and dim=")
        dim = kws.get("dim", args[1] if positional_dim else None)
        attrs = {}
        if dim is not None:
            attrs["dim"] = self.whole(dim, "dim")
        if "keepdim" in kws:
            attrs["keepdim"] = self.flag(kws["keepdim"], "keepdim")
        line, column = self.pos(node)
        operand = self.expr(args[0], depth + 1)
        return fold(Apply(name, (operand,), line, column, attrs=attrs or None))

    # ---- constructors ----------------------------------------------------------------

    def construct(self, name: str, node: ast.Call, draws) -> tuple[np.ndarray, bool]:
        """The value of ``torch.<name>(…)``, and whether it asks for a gradient."""
        kws = self.keywords(node, f"torch.{name}", ("requires_grad", "dtype"))
        grad = self.flag(kws["requires_grad"], "requires_grad") if "requires_grad" in kws \
            else False
        args = list(node.args)
        what = f"torch.{name}"
        if name in ("zeros", "ones", "randn", "rand"):
            shape = self.shape_args(args, what)
            if name == "zeros":
                return np.zeros(shape)[()] + 0.0, grad
            if name == "ones":
                return np.ones(shape)[()], grad
            try:
                return draws.draw(name, shape), grad
            except RuntimeError as exc:
                raise self.error(node, str(exc), "give the values as a list instead") from None
        if name == "full":
            if len(args) != 2:
                raise self.error(node, "torch.full takes a shape and a value",
                                 "as in torch.full((2, 3), 0.5)")
            shape = self.shape_args([args[0]], what)
            return np.full(shape, self.number(args[1], "the fill value"))[()], grad
        if name == "eye":
            if len(args) not in (1, 2):
                raise self.error(node, "torch.eye takes one or two sizes", "as in torch.eye(3)")
            n = self.whole(args[0], "a size")
            m = self.whole(args[1], "a size") if len(args) == 2 else n
            self.shape_args(args[:1] if len(args) == 1 else args, what)
            if n < 0 or m < 0:
                raise self.error(node, "torch.eye: a size may not be negative")
            return np.eye(n, m), grad
        if name == "arange":
            if not 1 <= len(args) <= 3:
                raise self.error(node, "torch.arange takes an end, or start, end and step")
            numbers = [self.number(a, "an arange bound") for a in args]
            start, end, step = (0.0, numbers[0], 1.0) if len(numbers) == 1 else \
                (numbers[0], numbers[1], numbers[2] if len(numbers) == 3 else 1.0)
            if step == 0 or not all(math.isfinite(x) for x in (start, end, step)):
                raise self.error(node, "torch.arange needs finite bounds and a step other than 0")
            count = math.ceil((end - start) / step)
            if count > MAX_ARANGE:
                raise self.error(node, f"torch.arange: at most {MAX_ENTRIES:,} numbers")
            return (start + step * np.arange(max(count, 0), dtype=np.float64)), grad
        # linspace
        if len(args) != 3:
            raise self.error(node, "torch.linspace takes a start, an end and a number of steps",
                             "as in torch.linspace(0, 1, 5)")
        start, end = self.number(args[0], "the start"), self.number(args[1], "the end")
        steps = self.whole(args[2], "the number of steps")
        if not 0 <= steps <= MAX_ENTRIES:
            raise self.error(args[2], f"torch.linspace: at most {MAX_ENTRIES:,} numbers")
        return linspace(start, end, steps), grad


def linspace(start: float, end: float, steps: int) -> np.ndarray:
    """torch's linspace: the first half counted from the start, the second from the end."""
    if steps == 1:
        return np.array([start])
    step = (end - start) / (steps - 1)
    i = np.arange(steps, dtype=np.float64)
    half = steps // 2
    return np.where(i < half, start + step * i, end - step * (steps - 1 - i))
