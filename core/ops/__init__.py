"""The operation registry, one entry per op, by family (see :mod:`core.ops.base`).

``from core.ops import OPS`` gives every op: element-wise arithmetic and functions,
reductions and softmax, linear algebra and shape ops, losses, convolution and pooling
(:mod:`core.ops.conv`, :mod:`core.ops.pooling`), the activation lesson's functions and dropout
(:mod:`core.ops.activations`).

An entry holds everything about its op, down to how a program spells it and what torch
names its grad_fn; the tables other modules read (``UNARY_FUNCTIONS``, ``SPELLINGS``,
``GRAD_FNS``, the explanation texts …) are derived from the entries in
:mod:`core.ops.index`. Adding an op is one ``op(...)`` call.

May import: core/base/ only (the registry is below the language).
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
    op,
    power_symbol,
    spread,
    unregister,
    vjp,
)
from core.ops.index import CALLS, GRAD_FNS, SPELLINGS, UNARY_FUNCTIONS, grad_fn_of

__all__ = ["CALLS", "ELEMENTWISE", "GRAD_FNS", "OPS", "REDUCTION", "SPELLINGS", "VJP", "Op",
           "ShapeError", "UNARY_FUNCTIONS", "chain", "forward", "grad_fn_of", "jacobian", "jvp",
           "op",
           "power_symbol", "spread", "unregister", "vjp"]
