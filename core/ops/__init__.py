"""The operation registry, one entry per op, by family (see :mod:`core.ops.base`).

``from core.ops import OPS`` gives every op: element-wise arithmetic and functions,
reductions and softmax, linear algebra and shape ops, losses, convolution and pooling
(:mod:`core.ops.conv`, :mod:`core.ops.pooling`), the activation lesson's functions and dropout
(:mod:`core.ops.activations`). ``SPELLINGS`` says how the last two families are called.
"""

from __future__ import annotations

from core.ops import (  # noqa: F401 - they register
    activations,
    conv,
    elementwise,
    linalg,
    losses,
    pooling,
    recorded,
    reductions,
)
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

#: call name -> (its Spelling, the family's argument check)
SPELLINGS = {name: (spelling, family.check_arguments)
             for family in (conv, pooling, activations)
             for name, spelling in family.SPELLINGS.items()}

__all__ = ["ELEMENTWISE", "OPS", "REDUCTION", "SPELLINGS", "VJP", "Op", "ShapeError",
           "UNARY_FUNCTIONS",
           "chain", "forward", "jacobian", "jvp", "power_symbol", "spread", "vjp"]
