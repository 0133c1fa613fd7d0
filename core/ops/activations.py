"""The activation-function lesson's functions (leaky_relu, elu, softplus, gelu) and dropout.

All are element-wise: each local gradient is a number per entry, as torch's backward
formulas compute it (leaky_relu'(0) is the slope, elu'(0) is alpha, softplus is the
identity above its threshold). Dropout multiplies by a mask torch draws (core.language.draws,
after ``torch.manual_seed``, like ``torch.randn``) scaled by 1/(1−p); the mask is its
second input, data that takes no gradient, so the window can show it.
"""

from __future__ import annotations

import math

import numpy as np

from core.ops.base import Array, like, near, op
from core.ops.spelling import BOOL, NUMBER, WORD, Spelling

_erf = np.frompyfunc(math.erf, 1, 1)


def erf(x: Array) -> Array:
    """math.erf entry by entry (numpy has none, and core takes no scipy)."""
    if np.ndim(x) == 0:
        return np.float64(math.erf(float(x)))
    return _erf(x).astype(np.float64)


def check_arguments(name: str, attrs: dict) -> str | None:
    """An argument torch refuses, or one not supported here; None when fine."""
    if attrs.pop("inplace", False):
        return f"{name}: inplace=True is not supported (values here are never changed in place)"
    if name == "dropout" and not 0.0 <= attrs["p"] <= 1.0:
        return f"dropout: p is a probability, between 0 and 1, not {attrs['p']:g}"
    if name == "softplus" and attrs["beta"] == 0:
        return "softplus: beta must not be 0"
    return None


# ---- leaky_relu ------------------------------------------------------------------------


def _leaky(a: Array, negative_slope: float = 0.01) -> Array:
    return np.where(a > 0, a, a * negative_slope)[()] + 0.0 if np.ndim(a) else \
        (a if a > 0 else a * negative_slope)


op(
    key="leaky_relu", symbol="lrelu", arity=1,
    forward=_leaky,
    # torch: self > 0 ? grad : grad · slope
    local=lambda i, out, at: (np.where(i[0] > 0, 1.0, at.get("negative_slope", 0.01))[()]
                              + 0.0,),
    text="leaky_relu({0:bare})",
    text_rule=lambda at: "leaky_relu({0:bare}" + (
        "" if at.get("negative_slope", 0.01) == 0.01 else ", {negative_slope}") + ")",
    local_text=("1 if {0} > 0, else {negative_slope}",),
    code="F.leaky_relu({0:bare}, {negative_slope})",
    torch=lambda t, a, negative_slope=0.01: t.nn.functional.leaky_relu(a, negative_slope),
    near_kink=lambda i, at, tol: near(i[0], tol),
    description="keeps positives, scales negatives by a small slope",
    why="For x > 0 the output is x (slope 1); for x ≤ 0 it is slope · x, so the gradient "
        "is the slope there: it never stops completely, unlike relu's.",
    names=("leaky_relu",), forms=("F",), reader="spelled",
    module="LeakyReLU", grad_fn="LeakyReluBackward0", dtype="float",
    spelling=Spelling("leaky_relu", ("input",), params=(("negative_slope", NUMBER, 0.01),
                                                            ("inplace", BOOL, False)),
                      check=check_arguments),
)

# ---- elu -------------------------------------------------------------------------------


def _elu(a: Array, alpha: float = 1.0) -> Array:
    """alpha · (exp(x) − 1) below 0 as torch computes it, with expm1: exp(x) − 1 loses
    the last digits near 0 (x = −0.00195312 differed from torch at the 14th)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return np.where(a > 0, a, np.expm1(np.minimum(a, 0.0)) * alpha)[()] + 0.0


op(
    key="elu", symbol="elu", arity=1,
    forward=_elu,
    # torch: x <= 0 ? grad · alpha · exp(x) : grad
    local=lambda i, out, at: (np.where(i[0] > 0, 1.0, at.get("alpha", 1.0)
                                       * np.exp(np.minimum(i[0], 0.0)))[()] + 0.0,),
    text="elu({0:bare})",
    text_rule=lambda at: "elu({0:bare}" + (
        "" if at.get("alpha", 1.0) == 1.0 else ", {alpha}") + ")",
    local_text=("1 if {0} > 0, else {alpha} · exp({0:bare})",),
    code="F.elu({0:bare}, {alpha})",
    torch=lambda t, a, alpha=1.0: t.nn.functional.elu(a, alpha),
    near_kink=lambda i, at, tol: near(i[0], tol),
    description="keeps positives, bends negatives towards −alpha",
    why="For x > 0 the output is x (slope 1); below, alpha · (exp(x) − 1) has slope "
        "alpha · exp(x), which fades as x goes down.",
    names=("elu",), forms=("F",), reader="spelled",
    module="ELU", grad_fn="EluBackward0", dtype="float",
    spelling=Spelling("elu", ("input",), params=(("alpha", NUMBER, 1.0), ("inplace", BOOL, False)),
                      check=check_arguments),
)

# ---- softplus --------------------------------------------------------------------------


def _softplus(a: Array, beta: float = 1.0, threshold: float = 20.0) -> Array:
    """torch's: x where beta · x > threshold, else log1p(exp(beta · x)) / beta."""
    xb = a * beta
    with np.errstate(over="ignore"):
        soft = np.log1p(np.exp(np.minimum(xb, threshold))) / beta
    return np.where(xb > threshold, a, soft)[()] + 0.0


def _softplus_local(i, out, at) -> tuple[Array]:
    xb = i[0] * at.get("beta", 1.0)
    z = np.exp(np.minimum(xb, at.get("threshold", 20.0)))
    return (np.where(xb > at.get("threshold", 20.0), 1.0, z / (z + 1.0))[()] + 0.0,)


def _softplus_chain(g, local, i, out, at, p) -> Array:
    """torch: grad · z / (z + 1), z = exp(beta · x), in that order."""
    xb = i[0] * at.get("beta", 1.0)
    z = np.exp(np.minimum(xb, at.get("threshold", 20.0)))
    return np.where(xb > at.get("threshold", 20.0), g, g * z / (z + 1.0))[()] + 0.0


op(
    key="softplus", symbol="softplus", arity=1,
    forward=_softplus,
    local=_softplus_local,
    chain_rule=_softplus_chain,
    text="softplus({0:bare})",
    text_rule=lambda at: "softplus({0:bare}" + (
        "" if at.get("beta", 1.0) == 1.0 else ", beta={beta}") + (
        "" if at.get("threshold", 20.0) == 20.0 else ", threshold={threshold}") + ")",
    local_text=("σ({beta} · {0})",),
    code="F.softplus({0:bare}, beta={beta}, threshold={threshold})",
    torch=lambda t, a, beta=1.0, threshold=20.0: t.nn.functional.softplus(
        a, beta=beta, threshold=threshold),
    near_kink=lambda i, at, tol: near(np.asarray(i[0]) * at.get("beta", 1.0), tol * 10,
                                      at.get("threshold", 20.0)),
    description="a smooth relu: log(1 + exp(x))",
    why="The slope of log(1 + exp(βx)) / β is exp(βx) / (1 + exp(βx)) = σ(βx); above "
        "the threshold torch returns x itself, slope 1.",
    names=("softplus",), forms=("F",), reader="spelled",
    module="Softplus", grad_fn="SoftplusBackward0", dtype="float",
    spelling=Spelling("softplus", ("input",), params=(("beta", NUMBER, 1.0),
                                                          ("threshold", NUMBER, 20.0)),
                      check=check_arguments),
)

# ---- gelu ------------------------------------------------------------------------------

_SQRT1_2 = 1.0 / math.sqrt(2.0)
_ALPHA = 2.0 / math.sqrt(math.pi) * _SQRT1_2 * 0.5  # 1/√(2π)
_BETA = math.sqrt(2.0) * 2.0 / math.sqrt(math.pi) * 0.5  # √(2/π)
_KAPPA = 0.044715


def _gelu(a: Array, approximate: str = "none") -> Array:
    if approximate == "tanh":
        inner = _BETA * (a + _KAPPA * a * a * a)
        return 0.5 * a * (1.0 + np.tanh(inner))
    return a * 0.5 * (1.0 + erf(a * _SQRT1_2))


def _gelu_local(i, out, at) -> tuple[Array]:
    """torch's gelu_backward: Φ(x) + x · φ(x), or the tanh form's derivative."""
    x = i[0]
    if at.get("approximate", "none") == "tanh":
        x_sq = x * x
        tanh_inner = np.tanh(_BETA * (x + _KAPPA * x_sq * x))
        left, right = 0.5 * x, 1.0 + tanh_inner
        right_derivative = left * (1.0 - tanh_inner * tanh_inner) * _BETA * (
            1.0 + 3.0 * _KAPPA * x_sq)
        return (0.5 * right + right_derivative,)
    cdf = 0.5 * (1.0 + erf(x * _SQRT1_2))
    pdf = _ALPHA * np.exp(x * x * -0.5)
    return (cdf + x * pdf,)


op(
    key="gelu", symbol="gelu", arity=1,
    forward=_gelu,
    local=_gelu_local,
    text="gelu({0:bare})",
    text_rule=lambda at: "gelu({0:bare}" + (
        ", approximate='tanh'" if at.get("approximate") == "tanh" else "") + ")",
    local_text=("Φ({0:bare}) + {0} · φ({0:bare})",),
    code="F.gelu({0:bare})",
    code_rule=lambda at: "F.gelu({0:bare}" + (
        ", approximate='tanh'" if at.get("approximate") == "tanh" else "") + ")",
    torch=lambda t, a, approximate="none": t.nn.functional.gelu(a, approximate=approximate),
    description="x times the chance a standard normal is below x: x · Φ(x)",
    why="Product rule on x · Φ(x): Φ(x) from the x, plus x times Φ's slope, the normal "
        "density φ(x).",
    names=("gelu",), forms=("F",), reader="spelled",
    module="GELU", grad_fn="GeluBackward0", dtype="float",
    spelling=Spelling("gelu", ("input",), params=(("approximate", WORD, "none"),),
                      words=(("approximate", ("none", "tanh")),),
                      check=check_arguments),
)

# ---- dropout ---------------------------------------------------------------------------


def noise(mask: Array, p: float, training: bool) -> Array:
    """What the input is multiplied by: the kept entries scaled by 1/(1−p), as torch's
    ``noise.div_(1 − p)``; in eval mode, or for p of 0 or 1, the mask as it is (ones,
    or zeros for p = 1: torch multiplies by 0 and draws nothing)."""
    if training and 0.0 < p < 1.0:
        return mask / (1.0 - p)
    return mask


def _scale(at) -> float:
    p = at.get("p", 0.5)
    return 1.0 / (1.0 - p) if at.get("training", True) and 0.0 < p < 1.0 else 1.0


def _dropout(a: Array, mask: Array, p: float = 0.5, training: bool = True) -> Array:
    return a * noise(mask, p, training)


def _dropout_torch(t, a, mask, p=0.5, training=True):
    return a * noise(mask, p, training)


def _dropout_text(head: str):
    def text(at) -> str:
        mode = "" if at.get("training", True) else ", training=False"
        return head + "({0:bare}, p={p}" + mode + ")"
    return text


def _dropout_code(at) -> str:
    """Where torch drew a mask, the code multiplies by the same mask (declared as data
    with its values, as drawn numbers are), so that it gives these numbers when run."""
    p = at.get("p", 0.5)
    if at.get("training", True) and 0.0 < p < 1.0:
        return "{0} * ({1} / (1 - {p}))"
    return _dropout_text("F.dropout")(at)


op(
    key="dropout", symbol="dropout", arity=2,
    forward=_dropout,
    local=lambda i, out, at: (like(noise(i[1], at.get("p", 0.5), at.get("training", True)),
                                   out),
                              like(i[0] * _scale(at), out)),
    text="dropout({0:bare}, p={p})", text_rule=_dropout_text("dropout"),
    local_text=("{1} / (1 − {p})", "{0} / (1 − {p})"),
    code="F.dropout({0:bare}, p={p})", code_rule=_dropout_code,
    torch=_dropout_torch,
    tensor_args=True,
    no_grad=(1,),
    description="zeroes each entry with probability p and scales the rest by 1/(1−p)",
    why="Each entry is multiplied by its mask entry over (1 − p): 0 for a dropped entry, "
        "1/(1 − p) for a kept one, so the gradient is masked and scaled the same way. "
        "In eval mode (training=False) nothing is dropped and the gradient passes as is.",
    names=("dropout",), forms=("F",), reader="spelled",
    module="Dropout", dtype="float",
    spelling=Spelling("dropout", ("input",), params=(("p", NUMBER, 0.5), ("training", BOOL, True),
                              ("inplace", BOOL, False)),
                      check=check_arguments),
)


