"""Reductions (sum, mean, max, min, over everything or along ``dim=``) and softmax.

A reduction's local gradient is a row of its Jacobian per output entry, kept in the
input's shape: 1 for sum, 1/n for mean, the chosen position for max and min. The
upstream gradient is spread back over the reduced axis (:func:`core.ops.base.spread`)
and multiplied by it. Softmax and log-softmax mix every entry along their axis, so
they have no such local gradient; their VJP is the rule the learner sees.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from core.ops.base import (
    REDUCTION,
    VJP,
    Array,
    ShapeError,
    check_dim,
    op,
    zero_where_local_is,
)


def _reduced_shape(name: str):
    def shape(shapes, attrs) -> tuple[int, ...]:
        (s,) = shapes
        dim = attrs.get("dim")
        if dim is None:
            if attrs.get("keepdim"):
                raise ShapeError(f"{name}: keepdim=True needs a dim=")
            return ()
        d = check_dim(dim, len(s), name)
        if not s:
            return ()
        if attrs.get("keepdim"):
            return tuple(1 if i == d else n for i, n in enumerate(s))
        return tuple(n for i, n in enumerate(s) if i != d)
    return shape


def _axis(a: Array, attrs: Mapping[str, Any]) -> int | None:
    dim = attrs.get("dim")
    if dim is None or np.ndim(a) == 0:
        return None
    return dim % np.ndim(a)


def _sum(a: Array, dim=None, keepdim=False) -> Array:
    axis = None if dim is None or np.ndim(a) == 0 else dim % np.ndim(a)
    return np.sum(a, axis=axis, keepdims=bool(keepdim) and axis is not None) + 0.0


def _mean(a: Array, dim=None, keepdim=False) -> Array:
    axis = None if dim is None or np.ndim(a) == 0 else dim % np.ndim(a)
    return np.mean(a, axis=axis, keepdims=bool(keepdim) and axis is not None) + 0.0


def count(a: Array, attrs: Mapping[str, Any]) -> int:
    """How many entries each output entry of a reduction gathers."""
    axis = _axis(a, attrs)
    return int(np.size(a)) if axis is None else int(np.shape(a)[axis])


def _pick(reducer):
    def forward(a: Array, dim=None, keepdim=False) -> Array:
        if dim is None or np.ndim(a) == 0:
            return np.float64(reducer(a))  # keeps max(-0.0) = -0.0, as torch
        axis = dim % np.ndim(a)
        return reducer(a, axis=axis, keepdims=bool(keepdim)) + 0.0
    return forward


def _evenly_distribute(v: Array, out: Array) -> Array:
    """torch's max()/min() backward: 1 shared evenly among the positions of the result."""
    shape = np.shape(v)
    v = np.atleast_1d(v)
    mask = np.isnan(v) if np.isnan(out) else (v == out)
    return (mask / mask.sum()).reshape(shape) + 0.0


def _pick_local(arg):
    def local(i, out, attrs) -> tuple[Array]:
        a = i[0]
        axis = _axis(a, attrs)
        if axis is None:
            return (_evenly_distribute(a, out),)
        # max(dim=) / min(dim=): the gradient goes to the index torch returns, the first
        # largest (a nan counts as largest), not shared among ties
        index = np.expand_dims(arg(a, axis=axis), axis)
        onehot = np.zeros_like(a, dtype=np.float64)
        np.put_along_axis(onehot, index, 1.0, axis=axis)
        return (onehot,)
    return local


def _reduction_tie(i: tuple[Array, ...], at: Mapping[str, Any], tol: float) -> bool:
    a = np.asarray(i[0])
    axis = _axis(a, at)
    if axis is None:
        v = np.sort(np.ravel(a))
        return v.size > 1 and bool(np.min(np.diff(v)) <= tol)
    v = np.sort(a, axis=axis)
    return a.shape[axis] > 1 and bool(np.min(np.diff(v, axis=axis)) <= tol)


def _torch_reduce(name):
    def build(t, a, dim=None, keepdim=False):
        if dim is None:
            return getattr(a, name)()
        result = getattr(a, name)(dim=dim, keepdim=keepdim)
        return result.values if name in ("max", "min") else result
    return build


def _reduce_jvp(reducer):
    def jvp(tangents, inputs, out, attrs):
        return reducer(tangents[0], **attrs)
    return jvp


op(
    key="sum", symbol="Σ", arity=1, kind=REDUCTION,
    forward=_sum,
    local=lambda i, out, at: (np.ones_like(i[0], dtype=np.float64),),
    text="sum({0:bare}{dims})", local_text=("1",),
    code="{0}.sum({dimargs})", torch=_torch_reduce("sum"),
    shape=_reduced_shape("sum"),
    jvp=_reduce_jvp(_sum),
    why="Every entry adds to the sum one-for-one.",
    rule="1 for every entry",
    names=("sum",), forms=("name", "torch", "method"), reader="reduce",
    grad_fn="SumBackward0", dtype="sum",
    grad_fn_rule=lambda at, ndims, first: "SumBackward1" if at.get("dim") is not None else None,
)
op(
    key="mean", symbol="mean", arity=1, kind=REDUCTION,
    forward=_mean,
    local=lambda i, out, at: (np.full(np.shape(i[0]), 1.0 / count(i[0], at)),),
    text="mean({0:bare}{dims})", local_text=("1/{n}",), count=lambda i, at: count(i[0], at),
    code="{0}.mean({dimargs})", torch=_torch_reduce("mean"),
    shape=_reduced_shape("mean"),
    jvp=_reduce_jvp(_mean),
    why="Every entry moves the mean by 1/n of its change.",
    rule="1/n for every entry",
    names=("mean",), forms=("name", "torch", "method"), reader="reduce",
    grad_fn="MeanBackward0", dtype="float",
    grad_fn_rule=lambda at, ndims, first: "MeanBackward1" if at.get("dim") is not None else None,
)
def _pick_jvp(local):
    """Σ tangent ⊙ local, as torch's forward_ad: over everything it reads the entries
    equal to the result, so a nan result (a nan inside) has tangent 0/0 = nan, although
    torch's backward shares the gradient among the nans (finite); along ``dim=`` it
    follows the index, finite either way."""
    def jvp(t, i, out, at):
        if _axis(np.asarray(i[0]), at) is None and np.isnan(out):
            return np.float64(np.nan)
        return _sum(t[0] * local(i, out, at)[0], at.get("dim"), at.get("keepdim", False))
    return jvp


_MAX_LOCAL = _pick_local(np.argmax)
_MIN_LOCAL = _pick_local(np.argmin)
op(
    key="max", symbol="max", arity=1, kind=REDUCTION,
    forward=_pick(np.max),
    local=_MAX_LOCAL,
    text="max({0:bare}{dims})", local_text=("1 at the largest entry (shared by ties), else 0",),
    code="{0}.max({dimargs})", torch=_torch_reduce("max"),
    shape=_reduced_shape("max"),
    near_kink=_reduction_tie,
    chain_rule=zero_where_local_is,
    jvp=_pick_jvp(_MAX_LOCAL),
    why="Only the largest entry moves the result (ties share it evenly).",
    rule="1 for the largest entry, 0 elsewhere",
    names=("max",), forms=("name", "torch", "method"), reader="pick",
    grad_fn="MaxBackward1",
    grad_fn_rule=lambda at, ndims, first: "MaxBackward0" if at.get("dim") is not None else None,
)
op(
    key="min", symbol="min", arity=1, kind=REDUCTION,
    forward=_pick(np.min),
    local=_MIN_LOCAL,
    text="min({0:bare}{dims})", local_text=("1 at the smallest entry (shared by ties), else 0",),
    code="{0}.min({dimargs})", torch=_torch_reduce("min"),
    shape=_reduced_shape("min"),
    near_kink=_reduction_tie,
    chain_rule=zero_where_local_is,
    jvp=_pick_jvp(_MIN_LOCAL),
    why="Only the smallest entry moves the result (ties share it evenly).",
    rule="1 for the smallest entry, 0 elsewhere",
    names=("min",), forms=("name", "torch", "method"), reader="pick",
    grad_fn="MinBackward1",
    grad_fn_rule=lambda at, ndims, first: "MinBackward0" if at.get("dim") is not None else None,
)


# ---- softmax and log-softmax ---------------------------------------------------------


def _along(shapes, attrs, name) -> tuple[int, ...]:
    (s,) = shapes
    if attrs.get("dim") is None:
        raise ShapeError(f"{name} needs dim=, as in {name}(x, dim=1)")
    check_dim(attrs["dim"], len(s), name)
    return s


def _softmax(a: Array, dim: int = -1) -> Array:
    """torch's: exp(x − max) / Σ exp(x − max) along ``dim``."""
    if np.ndim(a) == 0:
        return np.float64(1.0) if np.isfinite(a) else np.float64(np.nan)
    shifted = a - np.max(a, axis=dim, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=dim, keepdims=True)


def _log_softmax(a: Array, dim: int = -1) -> Array:
    """torch's: (x − max) − log Σ exp(x − max) along ``dim``."""
    if np.ndim(a) == 0:
        return np.float64(0.0) if np.isfinite(a) else np.float64(np.nan)
    shifted = a - np.max(a, axis=dim, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=dim, keepdims=True))


def _dim(a, attrs) -> int | None:
    return None if np.ndim(a) == 0 else attrs["dim"] % np.ndim(a)


def _softmax_vjp(g, inputs, out, attrs, position):
    """torch's softmax_backward: y ⊙ (G − Σ_d (G ⊙ y))."""
    axis = _dim(inputs[0], attrs)
    if axis is None:
        return g * 0.0
    return out * (g - np.sum(g * out, axis=axis, keepdims=True))


def _log_softmax_vjp(g, inputs, out, attrs, position):
    """torch's log_softmax_backward: G − exp(y) ⊙ Σ_d G."""
    axis = _dim(inputs[0], attrs)
    if axis is None:
        return g * 0.0
    return g - np.exp(out) * np.sum(g, axis=axis, keepdims=True)


def _softmax_jvp(tangents, inputs, out, attrs):
    axis = _dim(inputs[0], attrs)
    t = tangents[0]
    if axis is None:
        return t * 0.0
    return out * (t - np.sum(t * out, axis=axis, keepdims=True))


def _log_softmax_jvp(tangents, inputs, out, attrs):
    axis = _dim(inputs[0], attrs)
    t = tangents[0]
    if axis is None:
        return t * 0.0
    return t - np.sum(np.exp(out) * t, axis=axis, keepdims=True)


op(
    key="softmax", symbol="softmax", arity=1, kind=VJP,
    forward=_softmax,
    text="softmax({0:bare}{dims})", local_text=("{out} ⊙ ({G} − Σ_{d}({G} ⊙ {out}))",),
    code="torch.softmax({0:bare}{dims})",
    torch=lambda t, a, dim: t.softmax(a, dim=dim),
    shape=lambda shapes, attrs: _along(shapes, attrs, "softmax"),
    vjp_rule=_softmax_vjp, jvp=_softmax_jvp,
    description="turns scores into probabilities along one axis",
    why="Each output shares one normaliser, so every input moves every output along "
        "the axis: the Jacobian is diag(y) − y yᵀ, applied to G as y ⊙ (G − Σ G ⊙ y).",
    names=("softmax",), forms=("name", "torch", "F", "method"), reader="along",
    grad_fn="SoftmaxBackward0", dtype="float",
    answer=("{out} * ({G} - ({G} * {out}).sum({d}, keepdim=True))",),
)
op(
    key="log_softmax", symbol="log softmax", arity=1, kind=VJP,
    forward=_log_softmax,
    text="log_softmax({0:bare}{dims})", local_text=("{G} − exp({out}) ⊙ Σ_{d} {G}",),
    code="torch.log_softmax({0:bare}{dims})",
    torch=lambda t, a, dim: t.log_softmax(a, dim=dim),
    shape=lambda shapes, attrs: _along(shapes, attrs, "log_softmax"),
    vjp_rule=_log_softmax_vjp, jvp=_log_softmax_jvp,
    description="log-probabilities along one axis",
    why="log_softmax(x) = x − log Σ exp(x): the gradient passes through, less softmax "
        "times the sum of the gradient along the axis.",
    names=("log_softmax",), forms=("name", "torch", "F", "method"), reader="along",
    grad_fn="LogSoftmaxBackward0", dtype="float",
    answer=("{G} - torch.exp({out}) * {G}.sum({d}, keepdim=True)",),
)
