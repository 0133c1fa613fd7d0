"""The parsed form of a program: literals, names, op applications and statements.

Shared by the parser (:mod:`core.language.parser`) and its call tables (:mod:`core.language.calls`).
Nothing here reads text; :func:`fold` evaluates an op whose operands are all literals.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from core.ops import OPS, ShapeError
from core.ops import forward as op_forward


@dataclass(slots=True)
class Literal:
    value: np.ndarray
    line: int
    column: int


@dataclass(slots=True)
class Ref:
    name: str
    line: int
    column: int


@dataclass(slots=True)
class Apply:
    op: str
    args: tuple
    line: int
    column: int
    k: float | None = None  # the literal exponent of ``powc``
    attrs: dict | None = None  # dim, keepdim, shape, form …


@dataclass(slots=True)
class Assign:
    """``name = expr``; ``augmented`` marks ``name op= expr`` (a new node, never in place)."""

    name: str
    expr: object
    line: int
    column: int
    augmented: bool = False


@dataclass(slots=True)
class Declare:
    """``name = 1.0`` / ``param(1.0)`` / ``torch.tensor(..., requires_grad=True)``."""

    name: str
    role: str  # "data" | "parameter"
    value: np.ndarray
    line: int
    column: int


@dataclass(slots=True)
class Backward:
    """``name.backward()``: names the output."""

    name: str
    line: int
    column: int


def fold(expr: Apply):
    """Replace an op whose operands are all literals by its value, in float64.

    Folding runs the op's forward rule under ``np.errstate``, so ``10 ** 10 ** 10`` is
    ``inf`` at once instead of a Python integer that never finishes.
    """
    for arg in expr.args:
        if type(arg) is not Literal:
            return expr
    entry = OPS[expr.op]
    values = [a.value for a in expr.args]
    attrs = dict(expr.attrs or {})
    if expr.k is not None:
        attrs["k"] = expr.k
    try:
        entry.output_shape(tuple(np.shape(v) for v in values), attrs)
    except ShapeError:
        return expr  # let the graph report the shape mismatch with names
    if entry.no_grad:
        return expr  # the graph checks a loss's target
    with np.errstate(all="ignore"):
        value = op_forward(entry, values, attrs)
    return Literal(np.asarray(value, dtype=np.float64)[()], expr.line, expr.column)


@dataclass
class ParsedProgram:
    """What parse() reads from a program's text: its statements, in order (no values yet)."""

    text: str
    statements: list = field(default_factory=list)

    @property
    def declared(self) -> dict[str, Declare]:
        return {s.name: s for s in self.statements if isinstance(s, Declare)}

    def free_names(self) -> list[str]:
        """Names used before any statement gives them a value, in order of first use."""
        bound: set[str] = set()
        free: dict[str, None] = {}
        for statement in self.statements:
            if isinstance(statement, (Assign, Backward)):
                for ref in _refs(statement.expr if isinstance(statement, Assign) else
                                 Ref(statement.name, 0, 0)):
                    if ref.name not in bound:
                        free.setdefault(ref.name)
            if isinstance(statement, (Assign, Declare)):
                bound.add(statement.name)
        return list(free)


def _refs(expr: object):
    stack = [expr]
    while stack:
        e = stack.pop()
        if isinstance(e, Ref):
            yield e
        elif isinstance(e, Apply):
            stack.extend(reversed(e.args))
