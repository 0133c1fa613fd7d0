"""The parsed form of a program: literals, names, op applications and statements.

Shared by the parser (:mod:`core.language`) and its call tables (:mod:`core.calls`).
Nothing here reads text; :func:`fold` evaluates an op whose operands are all literals.
"""

from __future__ import annotations

from dataclasses import dataclass

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
