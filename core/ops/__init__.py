"""The operation registry, one entry per op, by family (see :mod:`core.ops.base`).

``from core.ops import OPS`` gives every op: element-wise arithmetic and functions,
reductions and softmax, linear algebra and shape ops, losses.
"""

from __future__ import annotations

from core.ops import elementwise, linalg, losses, recorded, reductions  # noqa: F401 - they register
from core.ops.base import (
    ELEMENTWISE,
    OPS,
    REDUCTION,
    VJP,
    Op,
    ShapeError,
    chain,
    forward,
    jacobian,
    jvp,
    power_symbol,
    spread,
    vjp,
)
from core.ops.elementwise import UNARY_FUNCTIONS

__all__ = ["ELEMENTWISE", "OPS", "REDUCTION", "VJP", "Op", "ShapeError", "UNARY_FUNCTIONS",
           "chain", "forward", "jacobian", "jvp", "power_symbol", "spread", "vjp"]
