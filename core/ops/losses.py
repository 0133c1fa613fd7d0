"""Losses, each reduced by its mean as torch's default ``reduction="mean"``.

A loss's local gradient with respect to its prediction is in the prediction's shape
(a row of the Jacobian of one number), so it is shown with numbers like a reduction's:

    mse_loss(a, y):              2 · (a − y) / N
    binary_cross_entropy(p, y):  (p − y) / (p · (1 − p)) / N
    cross_entropy(z, y):         (softmax(z) − onehot(y)) / N   (the fused rule)

Targets take no gradient here (class labels are integers; a probability target is
data), so every loss has one differentiable input.
"""

from __future__ import annotations

import numpy as np

from core.base.values import shape_text
from core.ops.base import REDUCTION, Array, ShapeError, op
from core.ops.reductions import _log_softmax

BCE_EPSILON = 1e-12  # torch's floor under p · (1 − p) in the backward


def _same_shape(name):
    def shape(shapes, attrs):
        a, b = shapes
        if a != b:
            raise ShapeError(f"{name}: the input is {shape_text(a)} but the target is "
                             f"{shape_text(b)} — they must have the same shape")
        return ()
    return shape


def _mse(a: Array, y: Array) -> Array:
    return np.float64(np.mean((a - y) * (a - y)))


def _mse_local(i, out, at):
    a, y = i
    n = np.size(a)
    d = (2.0 / n) * (a - y)
    return d, -d


op(
    key="mse_loss", symbol="MSE", arity=2, kind=REDUCTION,
    forward=_mse,
    local=_mse_local,
    text="mse_loss({0:bare}, {1:bare})", local_text=("2 · ({0} − {1}) / {n}",
                                                    "−2 · ({0} − {1}) / {n}"),
    code="F.mse_loss({0:bare}, {1:bare})",
    torch=lambda t, a, b: t.nn.functional.mse_loss(a, b),
    shape=_same_shape("mse_loss"),
    jvp=lambda t, i, out, at: np.float64(sum(
        np.sum(_mse_local(i, out, at)[p] * t[p]) for p in range(2) if t[p] is not None)),
    tensor_args=True,
    description="the mean of the squared differences",
    why="The mean of (a − y)²: each entry's square changes by 2 · (a − y), shared among "
        "the N entries of the mean.",
    names=("mse_loss",), forms=("name", "torch", "F"), reader="loss", module="MSELoss",
    grad_fn="MseLossBackward0", dtype="float",
    answer=("{G} * 2 * ({0} - {1}) / {n}", "-{G} * 2 * ({0} - {1}) / {n}"),
)


def _bce(p: Array, y: Array) -> Array:
    """torch's: −(y · max(log p, −100) + (1 − y) · max(log(1 − p), −100)), mean."""
    log_p = np.maximum(np.log(p), -100.0)
    log_q = np.maximum(np.log1p(-p), -100.0)
    return np.float64(np.mean((y - 1.0) * log_q - y * log_p))


def _bce_local(i, out, at):
    p, y = i
    n = np.size(p)
    d = (p - y) / np.maximum((1.0 - p) * p, BCE_EPSILON) / n
    return d, np.zeros_like(np.asarray(y, dtype=np.float64))[()]


op(
    key="binary_cross_entropy", symbol="BCE", arity=2, kind=REDUCTION,
    forward=_bce,
    local=_bce_local,
    text="binary_cross_entropy({0:bare}, {1:bare})",
    local_text=("({0} − {1}) / ({0} · (1 − {0})) / {n}", "(no gradient: the target)"),
    code="F.binary_cross_entropy({0:bare}, {1:bare})",
    torch=lambda t, a, b: t.nn.functional.binary_cross_entropy(a, b),
    shape=_same_shape("binary_cross_entropy"),
    jvp=lambda t, i, out, at: np.float64(np.sum(_bce_local(i, out, at)[0] * t[0]))
    if t[0] is not None else np.float64(0.0),
    near_kink=lambda i, at, tol: bool(np.any(np.asarray(i[0]) <= tol)
                                      or np.any(np.asarray(i[0]) >= 1 - tol)),
    tensor_args=True, no_grad=(1,),
    description="the log-loss of probabilities against 0/1 targets",
    why="−(y log p + (1 − y) log(1 − p)) changes with p by (p − y) / (p (1 − p)), shared "
        "among the N entries of the mean.",
    names=("binary_cross_entropy",), forms=("name", "torch", "F"), reader="loss",
    module="BCELoss",
    grad_fn="BinaryCrossEntropyBackward0", dtype="float",
    answer=("{G} * ({0} - {1}) / ({0} * (1 - {0})) / {n}",),
)


def _ce_shape(shapes, attrs):
    z, y = shapes
    if len(z) == 2 and y == (z[0],) or len(z) == 1 and y == ():
        return ()
    if len(z) not in (1, 2):
        raise ShapeError(f"cross_entropy takes scores of shape N×C (or C), not {shape_text(z)}")
    want = f"{z[0]}" if len(z) == 2 else "scalar"
    raise ShapeError(f"cross_entropy: the scores are {shape_text(z)}, so the target must "
                     f"hold one class per row ({want}), not {shape_text(y)}")


def _picked(z: Array, y: Array) -> Array:
    lsm = _log_softmax(np.asarray(z, dtype=np.float64), -1)
    labels = np.asarray(y).astype(np.int64)
    if lsm.ndim == 1:
        return lsm[labels]
    return lsm[np.arange(lsm.shape[0]), labels]


def _ce(z: Array, y: Array) -> Array:
    return np.float64(-np.mean(_picked(z, y)))


def onehot(y: Array, classes: int) -> Array:
    labels = np.asarray(y).astype(np.int64)
    return np.eye(classes)[labels]


def _ce_local(i, out, at):
    z, y = i
    z = np.asarray(z, dtype=np.float64)
    n = 1 if z.ndim == 1 else z.shape[0]
    # torch: nll_loss_backward then log_softmax_backward: exp(lsm) · g/N − onehot · g/N
    soft = np.exp(_log_softmax(z, -1))
    return (soft / n - onehot(y, z.shape[-1]) / n,
            np.zeros_like(np.asarray(y, dtype=np.float64))[()])


op(
    key="cross_entropy", symbol="CE", arity=2, kind=REDUCTION,
    forward=_ce,
    local=_ce_local,
    text="cross_entropy({0:bare}, {1:bare})",
    local_text=("(softmax({0:bare}) − onehot({1:bare})) / {n}", "(no gradient: class labels)"),
    code="F.cross_entropy({0:bare}, {1:bare})",
    torch=lambda t, a, b: t.nn.functional.cross_entropy(a, b),
    shape=_ce_shape, count=lambda i, at: 1 if np.ndim(i[0]) == 1 else np.shape(i[0])[0],
    jvp=lambda t, i, out, at: np.float64(np.sum(_ce_local(i, out, at)[0] * t[0]))
    if t[0] is not None else np.float64(0.0),
    tensor_args=True, no_grad=(1,),
    description="the mean negative log-probability of the right class",
    why="log_softmax, pick the target's entry, mean: fused, the gradient of the scores "
        "is (softmax − onehot) / N — each row pushes its right class up, the rest down.",
    names=("cross_entropy",), forms=("name", "torch", "F"), reader="loss",
    module="CrossEntropyLoss",
    grad_fn="NllLossBackward0", dtype="float",
    answer=("{G} * (torch.softmax({0:bare}, dim={last}) - F.one_hot({1:bare}, {C})) / {n}",),
)


def _nll(lsm: Array, y: Array) -> Array:
    labels = np.asarray(y).astype(np.int64)
    lsm = np.asarray(lsm, dtype=np.float64)
    picked = lsm[labels] if lsm.ndim == 1 else lsm[np.arange(lsm.shape[0]), labels]
    return np.float64(-np.mean(picked))


def _nll_local(i, out, at):
    z, y = i
    z = np.asarray(z, dtype=np.float64)
    n = 1 if z.ndim == 1 else z.shape[0]
    return -onehot(y, z.shape[-1]) / n, np.zeros_like(np.asarray(y, dtype=np.float64))[()]


op(
    key="nll_loss", symbol="NLL", arity=2, kind=REDUCTION,
    forward=_nll,
    local=_nll_local,
    text="nll_loss({0:bare}, {1:bare})",
    local_text=("−onehot({1:bare}) / {n}", "(no gradient: class labels)"),
    code="F.nll_loss({0:bare}, {1:bare})",
    torch=lambda t, a, b: t.nn.functional.nll_loss(a, b),
    shape=_ce_shape, count=lambda i, at: 1 if np.ndim(i[0]) == 1 else np.shape(i[0])[0],
    jvp=lambda t, i, out, at: np.float64(np.sum(_nll_local(i, out, at)[0] * t[0]))
    if t[0] is not None else np.float64(0.0),
    tensor_args=True, no_grad=(1,),
    description="picks each row's target entry and averages its negative",
    why="Pick the target's log-probability in each row and take the negative mean: only "
        "the picked entries move it, each by −1/N. After log_softmax this is "
        "cross-entropy, stepped as its primitives.",
    names=("nll_loss",), forms=("name", "torch", "F"), reader="loss",
    grad_fn="NllLossBackward0", dtype="promote",
    answer=("-{G} * F.one_hot({1:bare}, {C}) / {n}",),
)
