"""The operation registry: one entry per op, its forward rule next to its derivative.

Like autodidact's table of VJPs, every entry holds what the app needs to know about an
op: its symbol on the graph, the forward rule, the local gradient with respect to each
input, the formula text of both, and how to build the same op in torch. Local gradients
follow torch exactly at kinks and domain edges (relu'(0) = 0, ties split evenly,
sqrt'(0) = inf, log'(-1) = -1 although log(-1) is nan), so the comparison panel agrees
to the last digit.

All ops are element-wise (with numpy broadcasting) or full reductions to one number, so
a local gradient is an array: the diagonal of the Jacobian for element-wise ops, the
row of the Jacobian for reductions. The chain rule is then ``upstream * local``,
summed back to the input's shape.

Formula templates use ``{0}``, ``{1}`` for the operands, ``{out}`` for the result and
``{k}``/``{n}`` for attributes. A placeholder wraps a compound operand in parentheses;
``{0:bare}`` never does (inside a function call's own parentheses).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

Array = np.ndarray
TorchBuilder = Callable[..., Any]


@dataclass(frozen=True)
class Op:
    """One operation: symbol, forward, local gradients, formula text and torch twin."""

    key: str
    symbol: str
    arity: int
    forward: Callable[..., Array]
    #: (inputs, output, attrs) -> one local-gradient array per input
    local: Callable[[tuple[Array, ...], Array, Mapping[str, Any]], tuple[Array, ...]]
    text: str
    local_text: tuple[str, ...]
    #: torch code template; constants that must be tensors are wrapped by the caller
    code: str
    #: (torch, *inputs, **attrs) -> tensor
    torch: TorchBuilder
    reduction: bool = False
    #: torch needs tensor operands (torch.maximum(x, 2.0) is an error)
    tensor_args: bool = False
    #: True where the function has a kink or domain edge within ``tol`` of the inputs,
    #: so finite differences there would not mean anything.
    near_kink: Callable[[tuple[Array, ...], Mapping[str, Any], float], bool] = field(
        default=lambda inputs, attrs, tol: False
    )
    description: str = ""
    #: upstream × local as torch's backward computes it where that is not a plain
    #: product: (upstream, local, inputs, output, attrs, position) -> array. None: the
    #: product. See :func:`chain`.
    chain_rule: Callable[..., Array] | None = None

    def symbol_for(self, attrs: Mapping[str, Any]) -> str:
        if self.key == "powc":
            return power_symbol(attrs["k"])
        return self.symbol

    def text_for(self, attrs: Mapping[str, Any]) -> str:
        if self.key == "powc":
            return "{0}" + power_symbol(attrs["k"])
        return self.text

    def local_text_for(self, attrs: Mapping[str, Any]) -> tuple[str, ...]:
        if self.key == "powc":
            return (power_local_text(attrs["k"]),)
        return self.local_text


OPS: dict[str, Op] = {}


def op(**kwargs: Any) -> Op:
    entry = Op(**kwargs)
    OPS[entry.key] = entry
    return entry


_ONE = np.float64(1.0)


def chain(entry: Op, upstream: Array, local: Array, inputs: tuple[Array, ...], out: Array,
          attrs: Mapping[str, Any], position: int) -> Array:
    """One term of the chain rule, ``upstream · local``, the way torch computes it.

    Two places differ from a plain product: where torch *masks* (relu, max/min, a zero
    exponent) a hard-zero local gradient gives 0 even for an inf or nan upstream gradient
    (inf · 0 would be nan); where torch *divides* (log, div) ``upstream / x`` stays finite
    for a subnormal x whose reciprocal overflows.
    """
    if entry.chain_rule is None:
        return upstream * local
    return entry.chain_rule(upstream, local, inputs, out, attrs, position)


def _finite_scalar(x: Array) -> bool:
    return type(x) is np.float64 and math.isfinite(x)


def _masked(upstream: Array, local: Array, hard_zero) -> Array:
    product = upstream * local
    if hard_zero is None or _finite_scalar(upstream) or np.all(np.isfinite(upstream)):
        return product  # a finite upstream times 0 is 0 already
    return np.where(hard_zero, 0.0, product)[()]


def _zero_where_local_is(upstream, local, inputs, out, attrs, position) -> Array:
    """relu, maximum/minimum, max/min: every zero local gradient is a mask in torch."""
    if _finite_scalar(upstream):  # the common case, kept cheap
        return upstream * local
    return _masked(upstream, local, local == 0)


def _ones(x: Array) -> Array:
    return _ONE if type(x) is np.float64 else np.ones_like(x, dtype=np.float64)


def _like(x: Array, out: Array) -> Array:
    """``x`` spread to the output's shape (a scalar output keeps the scalar)."""
    if type(out) is np.float64:
        return x
    return np.broadcast_to(x, np.shape(out)) + 0.0


def _near(x: Array, tol: float, at: float = 0.0) -> bool:
    return bool(np.any(np.abs(np.asarray(x) - at) <= tol))


# ---- arithmetic -------------------------------------------------------------------

op(
    key="add", symbol="+", arity=2,
    forward=lambda a, b: a + b,
    local=lambda i, out, at: (_ones(out), _ones(out)),
    text="{0} + {1}", local_text=("1", "1"),
    code="{0} + {1}", torch=lambda t, a, b: a + b,
    description="adds",
)
op(
    key="sub", symbol="−", arity=2,
    forward=lambda a, b: a - b,
    local=lambda i, out, at: (_ones(out), -_ones(out)),
    text="{0} − {1}", local_text=("1", "−1"),
    code="{0} - {1}", torch=lambda t, a, b: a - b,
    description="subtracts",
)
op(
    key="mul", symbol="×", arity=2,
    forward=lambda a, b: a * b,
    local=lambda i, out, at: (_like(i[1], out), _like(i[0], out)),
    text="{0} · {1}", local_text=("{1}", "{0}"),
    code="{0} * {1}", torch=lambda t, a, b: a * b,
    description="multiplies",
)
op(
    key="div", symbol="÷", arity=2,
    forward=lambda a, b: a / b,
    # torch: grad / other and -grad * ((self / other) / other)
    local=lambda i, out, at: (_like(1.0 / i[1], out), _like(-((i[0] / i[1]) / i[1]), out)),
    text="{0} / {1}", local_text=("1 / {1}", "−{0} / {1}²"),
    code="{0} / {1}", torch=lambda t, a, b: a / b,
    near_kink=lambda i, at, tol: _near(i[1], tol),
    description="divides",
    # torch: grad / other, not grad · (1 / other), which overflows for a subnormal other
    chain_rule=lambda g, local, i, out, at, p: g / i[1] if p == 0 else g * local,
)
op(
    key="neg", symbol="−", arity=1,
    forward=lambda a: -a,
    local=lambda i, out, at: (-_ones(out),),  # noqa: E501
    text="−{0}", local_text=("−1",),
    code="-{0}", torch=lambda t, a: -a,
    description="negates",
)


def power_symbol(k: float) -> str:
    return {2.0: "²", 3.0: "³"}.get(float(k), "^" + format_exponent(k))


def format_exponent(k: float) -> str:
    text = f"{float(k):.6g}".replace("-", "−")
    return text if float(k) >= 0 and "e" not in text else f"({text})"


def power_local_text(k: float) -> str:
    k = float(k)
    if k == 0:
        return "0"
    if k == 1:
        return "1"
    if k == 2:
        return "2 · {0}"
    lead = f"{k:.6g}".replace("-", "−")
    return f"{lead} · {{0}}{power_symbol(k - 1)}"


def _power(a: Array, k: float) -> Array:
    """``a ** k`` for a fixed exponent as torch computes it: torch takes sqrt, rsqrt,
    reciprocal and products for these exponents, which differ from ``np.power`` at -0.0
    and -inf (torch: (-0.0) ** -0.5 = -inf, (-inf) ** -0.5 = nan)."""
    k = float(k)
    if k == 0.5:
        return np.sqrt(a)
    if k == -0.5:
        return 1.0 / np.sqrt(a)
    if k == -1.0:
        return 1.0 / a
    if k == 2.0:
        return a * a
    if k == 3.0:
        return a * a * a
    if k == -2.0:
        return 1.0 / (a * a)
    return np.power(a, k)


def _powc_local(i: tuple[Array, ...], out: Array, at: Mapping[str, Any]) -> tuple[Array]:
    k = at["k"]
    if k == 0:  # torch: pow_backward returns zeros for a zero exponent
        return (np.zeros_like(out),)
    return (k * _power(i[0], k - 1.0),)


def _powc_kink(i: tuple[Array, ...], at: Mapping[str, Any], tol: float) -> bool:
    k = float(at["k"])
    if not np.isfinite(k):  # x ** inf: 0, 1 or inf, with a nan or inf gradient
        return True
    if k.is_integer():  # a whole power is smooth everywhere except a pole at 0 when k < 0
        return k < 0 and _near(i[0], tol)
    return bool(np.any(np.asarray(i[0]) <= tol))


op(
    key="powc", symbol="xⁿ", arity=1,
    forward=_power,
    local=_powc_local,
    text="{0}^k", local_text=("k · {0}^(k−1)",),
    code="{0} ** {k}", torch=lambda t, a, k: a ** k,
    near_kink=_powc_kink,
    description="raises to a fixed power",
    # torch: zeros for a zero exponent, whatever the upstream gradient
    chain_rule=lambda g, local, i, out, at, p: _masked(g, local, True if at["k"] == 0 else None),
)


def _pow(a: Array, b: Array) -> Array:
    """C's pow, as torch's tensor ** tensor: numpy takes sqrt for an exponent of 0.5,
    giving nan for (-inf) ** 0.5 (C: inf) and -0.0 for (-0.0) ** 0.5 (C: 0.0)."""
    out = np.power(a, b)
    return np.where(b == 0.5, np.where(a == -np.inf, np.inf, out + 0.0), out)


def _pow_local(i: tuple[Array, ...], out: Array, at: Mapping[str, Any]) -> tuple[Array, Array]:
    a, b = np.broadcast_arrays(i[0], i[1])
    # torch pow_backward_self: zero where the exponent is zero
    d_base = np.where(b == 0, 0.0, b * _pow(a, b - 1.0))
    # torch pow_backward_exponent: zero where base == 0 and exponent >= 0
    d_exp = np.where((a == 0) & (b >= 0), 0.0, out * np.log(a))
    return d_base + 0.0, d_exp + 0.0


op(
    key="pow", symbol="xʸ", arity=2,
    forward=_pow,
    local=_pow_local,
    text="{0}^{1}", local_text=("{1} · {0}^({1:bare} − 1)", "{out} · log({0:bare})"),
    code="{0} ** {1}", torch=lambda t, a, b: a ** b,
    near_kink=lambda i, at, tol: bool(np.any(np.asarray(i[0]) <= tol)),
    description="raises to a variable power",
    # torch: where(exponent == 0, 0, grad · …) for the base; a plain product for the exponent
    chain_rule=lambda g, local, i, out, at, p: _masked(
        g, local, np.broadcast_to(i[1] == 0, np.shape(local)) if p == 0 else None),
)

# ---- element-wise functions -------------------------------------------------------


def _sigmoid(a: Array) -> Array:
    """The logistic as torch computes it, 1 / (1 + exp(−a)): bit for bit in most places,
    and 0 below a ≈ −709.8 where exp(−a) overflows (a "stable" e / (1 + e) gives tiny
    subnormals there, and c / σ(a) is finite here but inf in torch)."""
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-a))


op(
    key="exp", symbol="exp", arity=1,
    forward=np.exp, local=lambda i, out, at: (out + 0.0,),
    text="exp({0:bare})", local_text=("exp({0:bare})",),
    code="torch.exp({0:bare})", torch=lambda t, a: t.exp(a),
)
op(
    key="log", symbol="log", arity=1,
    forward=np.log, local=lambda i, out, at: (1.0 / i[0],),
    text="log({0:bare})", local_text=("1 / {0}",),
    code="torch.log({0:bare})", torch=lambda t, a: t.log(a),
    near_kink=lambda i, at, tol: bool(np.any(np.asarray(i[0]) <= tol)),
    chain_rule=lambda g, local, i, out, at, p: g / i[0],  # torch: grad / self
)
op(
    key="sqrt", symbol="√", arity=1,
    forward=np.sqrt, local=lambda i, out, at: (1.0 / (2.0 * out),),
    text="sqrt({0:bare})", local_text=("1 / (2 · sqrt({0:bare}))",),
    code="torch.sqrt({0:bare})", torch=lambda t, a: t.sqrt(a),
    near_kink=lambda i, at, tol: bool(np.any(np.asarray(i[0]) <= tol)),
)
op(
    key="sin", symbol="sin", arity=1,
    forward=np.sin, local=lambda i, out, at: (np.cos(i[0]),),
    text="sin({0:bare})", local_text=("cos({0:bare})",),
    code="torch.sin({0:bare})", torch=lambda t, a: t.sin(a),
)
op(
    key="cos", symbol="cos", arity=1,
    forward=np.cos, local=lambda i, out, at: (-np.sin(i[0]),),
    text="cos({0:bare})", local_text=("−sin({0:bare})",),
    code="torch.cos({0:bare})", torch=lambda t, a: t.cos(a),
)
op(
    key="tanh", symbol="tanh", arity=1,
    forward=np.tanh, local=lambda i, out, at: (1.0 - out * out,),
    text="tanh({0:bare})", local_text=("1 − {out}²",),
    code="torch.tanh({0:bare})", torch=lambda t, a: t.tanh(a),
)
op(
    key="sigmoid", symbol="σ", arity=1,
    forward=_sigmoid, local=lambda i, out, at: ((1.0 - out) * out,),
    text="σ({0:bare})", local_text=("{out} · (1 − {out})",),
    code="torch.sigmoid({0:bare})", torch=lambda t, a: t.sigmoid(a),
)
op(
    key="relu", symbol="relu", arity=1,
    # torch's threshold: x <= 0 gives 0, so relu(nan) = nan with gradient 1
    forward=lambda a: np.where(a <= 0, 0.0, a) + 0.0,
    local=lambda i, out, at: (np.where(i[0] <= 0, 0.0, 1.0) + 0.0,),
    text="relu({0:bare})", local_text=("1 if {0} > 0, else 0",),
    code="torch.relu({0:bare})", torch=lambda t, a: t.relu(a),
    near_kink=lambda i, at, tol: _near(i[0], tol),
    chain_rule=_zero_where_local_is,
)
op(
    key="abs", symbol="|x|", arity=1,
    forward=np.abs,
    # torch's sgn(nan) is 0
    local=lambda i, out, at: (np.where(np.isnan(i[0]), 0.0, np.sign(i[0])) + 0.0,),
    text="|{0:bare}|", local_text=("sign({0:bare})",),
    code="torch.abs({0:bare})", torch=lambda t, a: t.abs(a),
    near_kink=lambda i, at, tol: _near(i[0], tol),
)


def _pick(pick, a: Array, b: Array) -> Array:
    """np.maximum/np.minimum, but a tie gives the first operand as torch does: numpy gives
    the second, so max(0.0, -0.0) would be -0.0 here and 0.0 in torch (log' = ∓inf)."""
    out = pick(a, b)
    return np.where(a == b, a, out)[()] if np.any(a == b) else out


def _pick_local(i: tuple[Array, ...], pick_first: Array, pick_second: Array) -> tuple[Array, Array]:
    """torch's maximum/minimum backward: the chosen side gets 1, a tie splits 1/2 + 1/2."""
    a, b = np.broadcast_arrays(i[0], i[1])
    tie = np.where(a == b, 0.5, 1.0)
    return np.where(pick_second, 0.0, tie) + 0.0, np.where(pick_first, 0.0, tie) + 0.0


op(
    key="maximum", symbol="max", arity=2,
    forward=lambda a, b: _pick(np.maximum, a, b),
    local=lambda i, out, at: _pick_local(i, np.asarray(i[0] > i[1]), np.asarray(i[0] < i[1])),
    text="max({0:bare}, {1:bare})",
    local_text=("1 if {0} > {1} (½ if equal), else 0", "1 if {1} > {0} (½ if equal), else 0"),
    code="torch.maximum({0:bare}, {1:bare})", torch=lambda t, a, b: t.maximum(a, b),
    tensor_args=True,
    near_kink=lambda i, at, tol: _near(np.asarray(i[0]) - np.asarray(i[1]), tol),
    chain_rule=_zero_where_local_is,
)
op(
    key="minimum", symbol="min", arity=2,
    forward=lambda a, b: _pick(np.minimum, a, b),
    local=lambda i, out, at: _pick_local(i, np.asarray(i[0] < i[1]), np.asarray(i[0] > i[1])),
    text="min({0:bare}, {1:bare})",
    local_text=("1 if {0} < {1} (½ if equal), else 0", "1 if {1} < {0} (½ if equal), else 0"),
    code="torch.minimum({0:bare}, {1:bare})", torch=lambda t, a, b: t.minimum(a, b),
    tensor_args=True,
    near_kink=lambda i, at, tol: _near(np.asarray(i[0]) - np.asarray(i[1]), tol),
    chain_rule=_zero_where_local_is,
)

# ---- reductions -------------------------------------------------------------------


def _evenly_distribute(v: Array, out: Array) -> tuple[Array]:
    """torch's max()/min() backward: 1 shared evenly among the positions of the result."""
    shape = np.shape(v)
    v = np.atleast_1d(v)
    mask = np.isnan(v) if np.isnan(out) else (v == out)
    return ((mask / mask.sum()).reshape(shape) + 0.0,)


def _reduction_tie(i: tuple[Array, ...], at: Mapping[str, Any], tol: float) -> bool:
    v = np.sort(np.atleast_1d(i[0]))
    return v.size > 1 and bool(np.min(np.diff(v)) <= tol)


op(
    key="sum", symbol="Σ", arity=1, reduction=True,
    forward=lambda a: np.sum(a) + 0.0,
    local=lambda i, out, at: (np.ones_like(i[0], dtype=np.float64),),
    text="sum({0:bare})", local_text=("1",),
    code="{0}.sum()", torch=lambda t, a: a.sum(),
)
op(
    key="mean", symbol="mean", arity=1, reduction=True,
    forward=lambda a: np.mean(a) + 0.0,
    local=lambda i, out, at: (np.full(np.shape(i[0]), 1.0 / np.size(i[0])),),
    text="mean({0:bare})", local_text=("1/{n}",),
    code="{0}.mean()", torch=lambda t, a: a.mean(),
)
op(
    key="max", symbol="max", arity=1, reduction=True,
    forward=lambda a: np.float64(np.max(a)),  # keeps max(-0.0) = -0.0, as torch
    local=lambda i, out, at: _evenly_distribute(i[0], out),
    text="max({0:bare})", local_text=("1 at the largest entry (shared by ties), else 0",),
    code="{0}.max()", torch=lambda t, a: a.max(),
    near_kink=_reduction_tie,
    chain_rule=_zero_where_local_is,
)
op(
    key="min", symbol="min", arity=1, reduction=True,
    forward=lambda a: np.float64(np.min(a)),
    local=lambda i, out, at: _evenly_distribute(i[0], out),
    text="min({0:bare})", local_text=("1 at the smallest entry (shared by ties), else 0",),
    code="{0}.min()", torch=lambda t, a: a.min(),
    near_kink=_reduction_tie,
    chain_rule=_zero_where_local_is,
)

#: Functions the language accepts by name, as ``f(x)``, ``torch.f(x)`` and ``x.f()``.
UNARY_FUNCTIONS = ("exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "abs",
                   "sum", "mean")
