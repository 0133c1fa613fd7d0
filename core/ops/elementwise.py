"""Element-wise ops: arithmetic and the functions of the first lessons, any shape.

Each local gradient is the diagonal of the Jacobian, broadcast to the output's shape,
and the VJP is ``upstream ⊙ local`` (summed back to the input's shape by
:mod:`core.engine.backprop`). Local gradients follow torch exactly at kinks and domain edges
(relu'(0) = 0, ties split evenly, sqrt'(0) = inf, log'(-1) = -1 although log(-1) is
nan), so the comparison panel agrees to the last digit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from core.ops.base import (
    Array,
    like,
    masked,
    near,
    number_first,
    ones,
    op,
    zero_where_local_is,
)


def _relu(a: Array) -> Array:
    """torch's relu is clamp_min(x, 0): relu(-0.0) is -0.0 and relu(nan) is nan."""
    if type(a) is np.float64:
        return np.float64(0.0) if a < 0 else a
    return np.where(a < 0, 0.0, a)



_ZERO, _ONE = np.float64(0.0), np.float64(1.0)


def _relu_local(a: Array) -> Array:
    if type(a) is np.float64:  # the scalar graphs: no array round trip
        return _ZERO if a <= 0 else _ONE
    return np.where(a <= 0, 0.0, 1.0) + 0.0


op(
    key="add", symbol="+", arity=2,
    forward=lambda a, b: a + b,
    local=lambda i, out, at: (ones(out), ones(out)),
    text="{0} + {1}", local_text=("1", "1"),
    code="{0} + {1}", torch=lambda t, a, b: a + b,
    description="adds",
    why="A sum changes one-for-one with each of its terms.",
    rule="sum rule: 1 for each term",
    grad_fn="AddBackward0",
    answer=("{G}", "{G}"),
)
op(
    key="sub", symbol="−", arity=2,
    forward=lambda a, b: a - b,
    local=lambda i, out, at: (ones(out), -ones(out)),
    text="{0} − {1}", local_text=("1", "−1"),
    code="{0} - {1}", torch=lambda t, a, b: a - b,
    description="subtracts",
    why="A difference changes one-for-one with the first term and against the second.",
    rule="difference rule: 1 for the first term, −1 for the second",
    grad_fn="SubBackward0",
    # 2 - w: torch takes w.rsub(2)
    grad_fn_rule=number_first("RsubBackward1"),
    answer=("{G}", "-{G}"),
)
op(
    key="mul", symbol="×", arity=2,
    forward=lambda a, b: a * b,
    local=lambda i, out, at: (like(i[1], out), like(i[0], out)),
    text="{0} · {1}", local_text=("{1}", "{0}"),
    code="{0} * {1}", torch=lambda t, a, b: a * b,
    description="multiplies",
    why="The derivative of a product with respect to one factor is the other factor.",
    rule="product rule: the other factor",
    grad_fn="MulBackward0",
    answer=("{G} * {1}", "{G} * {0}"),
)
op(
    key="div", symbol="÷", arity=2,
    forward=lambda a, b: a / b,
    # torch: grad / other and -grad * ((self / other) / other)
    local=lambda i, out, at: (like(1.0 / i[1], out), like(-((i[0] / i[1]) / i[1]), out)),
    text="{0} / {1}", local_text=("1 / {1}", "−{0} / {1}²"),
    code="{0} / {1}", torch=lambda t, a, b: a / b,
    near_kink=lambda i, at, tol: near(i[1], tol),
    description="divides",
    # torch: grad / other, not grad · (1 / other), which overflows for a subnormal other
    chain_rule=lambda g, local, i, out, at, p: g / i[1] if p == 0 else g * local,
    why="Quotient rule: 1/b for the numerator, −a/b² for the denominator.",
    rule="quotient rule: 1/b for the numerator, −a/b² for the denominator",
    grad_fn="DivBackward0", dtype="float", grad_fn_rule=number_first("MulBackward0"),
    answer=("{G} / {1}", "-{G} * {0} / {1} ** 2"),
)
op(
    key="neg", symbol="−", arity=1,
    forward=lambda a: -a,
    local=lambda i, out, at: (-ones(out),),  # noqa: E501
    text="−{0}", local_text=("−1",),
    code="-{0}", torch=lambda t, a: -a,
    description="negates",
    why="Negation flips the sign of every change.",
    rule="negation: −1",
    grad_fn="NegBackward0",
    answer=("-{G}",),
)


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
        return k < 0 and near(i[0], tol)
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
    chain_rule=lambda g, local, i, out, at, p: masked(g, local, True if at["k"] == 0 else None),
    why="Power rule: the derivative of xᵏ is k · xᵏ⁻¹.",
    rule="power rule: k · xᵏ⁻¹",
    grad_fn="PowBackward0", dtype="float",
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
    chain_rule=lambda g, local, i, out, at, p: masked(
        g, local, np.broadcast_to(i[1] == 0, np.shape(local)) if p == 0 else None),
    why="Power rule for the base; for the exponent, aᵇ · log(a).",
    rule="power rule: b · aᵇ⁻¹ for the base, aᵇ · log(a) for the exponent",
    grad_fn="PowBackward1", dtype="float", grad_fn_rule=number_first("PowBackward2"),
    answer=("{G} * ({1} * {0} ** ({1} - 1))", "{G} * ({out} * torch.log({0:bare}))"),
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
    why="exp is its own derivative.",
    rule="exp is its own derivative",
    names=("exp",), forms=("name", "torch", "method"),
    grad_fn="ExpBackward0", dtype="float",
    answer=("{G} * {out}",),
)
op(
    key="log", symbol="log", arity=1,
    forward=np.log, local=lambda i, out, at: (1.0 / i[0],),
    text="log({0:bare})", local_text=("1 / {0}",),
    code="torch.log({0:bare})", torch=lambda t, a: t.log(a),
    near_kink=lambda i, at, tol: bool(np.any(np.asarray(i[0]) <= tol)),
    chain_rule=lambda g, local, i, out, at, p: g / i[0],  # torch: grad / self
    why="The derivative of log(x) is 1/x.",
    rule="log rule: 1/x",
    names=("log",), forms=("name", "torch", "method"),
    grad_fn="LogBackward0", dtype="float",
    answer=("{G} / {0}",),
)
op(
    key="sqrt", symbol="√", arity=1,
    forward=np.sqrt, local=lambda i, out, at: (1.0 / (2.0 * out),),
    text="sqrt({0:bare})", local_text=("1 / (2 · sqrt({0:bare}))",),
    code="torch.sqrt({0:bare})", torch=lambda t, a: t.sqrt(a),
    near_kink=lambda i, at, tol: bool(np.any(np.asarray(i[0]) <= tol)),
    why="The derivative of √x is 1/(2√x); at 0 it is infinite.",
    rule="root rule: 1/(2√x)",
    names=("sqrt",), forms=("name", "torch", "method"),
    grad_fn="SqrtBackward0", dtype="float",
    answer=("{G} / (2 * {out})",),
)
op(
    key="sin", symbol="sin", arity=1,
    forward=np.sin, local=lambda i, out, at: (np.cos(i[0]),),
    text="sin({0:bare})", local_text=("cos({0:bare})",),
    code="torch.sin({0:bare})", torch=lambda t, a: t.sin(a),
    why="The derivative of sin is cos.",
    rule="sin′ = cos",
    names=("sin",), forms=("name", "torch", "method"),
    grad_fn="SinBackward0", dtype="float",
    answer=("{G} * torch.cos({0:bare})",),
)
op(
    key="cos", symbol="cos", arity=1,
    forward=np.cos, local=lambda i, out, at: (-np.sin(i[0]),),
    text="cos({0:bare})", local_text=("−sin({0:bare})",),
    code="torch.cos({0:bare})", torch=lambda t, a: t.cos(a),
    why="The derivative of cos is −sin.",
    rule="cos′ = −sin",
    names=("cos",), forms=("name", "torch", "method"),
    grad_fn="CosBackward0", dtype="float",
    answer=("-{G} * torch.sin({0:bare})",),
)
op(
    key="tanh", symbol="tanh", arity=1,
    forward=np.tanh, local=lambda i, out, at: (1.0 - out * out,),
    text="tanh({0:bare})", local_text=("1 − {out}²",),
    code="torch.tanh({0:bare})", torch=lambda t, a: t.tanh(a),
    why="The derivative of tanh is 1 − tanh², computed from the output.",
    rule="tanh′ = 1 − tanh²",
    names=("tanh",), forms=("name", "torch", "F", "method"), module="Tanh",
    grad_fn="TanhBackward0", dtype="float",
    answer=("{G} * (1 - {out} ** 2)",),
)
op(
    key="sigmoid", symbol="σ", arity=1,
    forward=_sigmoid, local=lambda i, out, at: ((1.0 - out) * out,),
    text="σ({0:bare})", local_text=("{out} · (1 − {out})",),
    code="torch.sigmoid({0:bare})", torch=lambda t, a: t.sigmoid(a),
    why="The derivative of σ is σ · (1 − σ), computed from the output.",
    rule="σ′ = σ · (1 − σ)",
    names=("sigmoid",), forms=("name", "torch", "F", "method"), module="Sigmoid",
    grad_fn="SigmoidBackward0", dtype="float",
    answer=("{G} * ({out} * (1 - {out}))",),
)
op(
    key="relu", symbol="relu", arity=1,
    # torch's backward is a threshold on the output: out <= 0 gives 0, so relu(nan) = nan
    # with gradient 1
    forward=_relu,
    local=lambda i, out, at: (_relu_local(i[0]),),
    text="relu({0:bare})", local_text=("1 if {0} > 0, else 0",),
    code="torch.relu({0:bare})", torch=lambda t, a: t.relu(a),
    near_kink=lambda i, at, tol: near(i[0], tol),
    chain_rule=zero_where_local_is,
    why="relu passes the change through where its input is positive and blocks "
        "it elsewhere (at exactly 0 it blocks, as PyTorch does).",
    rule="relu′ = 1 where the input is positive, else 0",
    names=("relu",), forms=("name", "torch", "F", "method"), module="ReLU",
    grad_fn="ReluBackward0",
    answer=("{G} * ({0} > 0)",),
)
op(
    key="abs", symbol="|x|", arity=1,
    forward=np.abs,
    # torch's sgn(nan) is 0
    local=lambda i, out, at: (np.where(np.isnan(i[0]), 0.0, np.sign(i[0])) + 0.0,),
    text="|{0:bare}|", local_text=("sign({0:bare})",),
    code="torch.abs({0:bare})", torch=lambda t, a: t.abs(a),
    near_kink=lambda i, at, tol: near(i[0], tol),
    why="|x| changes with the sign of x (0 at x = 0, as PyTorch does).",
    rule="|x|′ = the sign of x",
    names=("abs",), forms=("name", "torch", "method"),
    grad_fn="AbsBackward0",
    answer=("{G} * torch.sign({0:bare})",),
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
    near_kink=lambda i, at, tol: near(np.asarray(i[0]) - np.asarray(i[1]), tol),
    chain_rule=zero_where_local_is,
    why="Only the larger input moves the result; a tie splits the gradient "
        "in half, as PyTorch does.",
    rule="1 for the larger input, 0 for the other (½ each on a tie)",
    grad_fn="MaximumBackward0",
    answer=("{G} * (({0} > {1}) + ({0} == {1}) / 2)", "{G} * (({1} > {0}) + ({0} == {1}) / 2)"),
)
op(
    key="minimum", symbol="min", arity=2,
    forward=lambda a, b: _pick(np.minimum, a, b),
    local=lambda i, out, at: _pick_local(i, np.asarray(i[0] < i[1]), np.asarray(i[0] > i[1])),
    text="min({0:bare}, {1:bare})",
    local_text=("1 if {0} < {1} (½ if equal), else 0", "1 if {1} < {0} (½ if equal), else 0"),
    code="torch.minimum({0:bare}, {1:bare})", torch=lambda t, a, b: t.minimum(a, b),
    tensor_args=True,
    near_kink=lambda i, at, tol: near(np.asarray(i[0]) - np.asarray(i[1]), tol),
    chain_rule=zero_where_local_is,
    why="Only the smaller input moves the result; a tie splits the gradient "
        "in half, as PyTorch does.",
    rule="1 for the smaller input, 0 for the other (½ each on a tie)",
    grad_fn="MinimumBackward0",
    answer=("{G} * (({0} < {1}) + ({0} == {1}) / 2)", "{G} * (({1} < {0}) + ({0} == {1}) / 2)"),
)



def _rdiv(c: Array, w: Array) -> Array:
    """A Python number over a tensor, as torch's ``__rdiv__``: ``w.reciprocal() * c``."""
    return (1.0 / w) * c


def _rdiv_chain(g, local, i, out, at, p):
    """torch: mul's backward gives g · c, reciprocal's −(g · c) · (r · r), r = 1/w: a
    0 · inf there is nan, as in torch (0.0 / w at |w| < 1e-154)."""
    if p == 0:
        return g * local
    r = 1.0 / i[1]
    return -(g * i[0]) * (r * r)


op(
    key="rdiv", symbol="÷", arity=2,
    forward=_rdiv,
    local=lambda i, out, at: (like(1.0 / i[1], out), like(-(i[0] * ((1.0 / i[1]) * (1.0 / i[1]))),
                                                          out)),
    text="{0} / {1}", local_text=("1 / {1}", "−{0} / {1}²"),
    code="{0} / {1}", torch=lambda t, a, b: a / b,
    near_kink=lambda i, at, tol: near(i[1], tol),
    description="divides a number by a tensor (as torch does: reciprocal, then times)",
    why="Quotient rule: −c/w² for the denominator; torch computes c / w as "
        "reciprocal(w) · c, and so does this step.",
    chain_rule=_rdiv_chain,
    grad_fn="MulBackward0", dtype="float",
    answer=("{G} / {1}", "-{G} * {0} / {1} ** 2"),
)
