"""Compute a parsed answer with the engine's own op forwards, in the pass's dtype.

float64 for a straight-line program; float32 for a recorded pass (its values and
literals are cast, so ``2 * s`` is computed as torch computes it in float32). An answer
that cannot be computed (shapes that do not fit ``@``, an index out of range) raises
:class:`AnswerFailed`: it is a wrong answer, not bad input.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from core.base.values import MAX_ENTRIES, shape_text
from core.language.ir import Apply, Literal, Ref
from core.ninja.answers import Answer, Call, Compare, GradRef, Index, Slice, ValueRef
from core.ninja.rules import name_ok
from core.ops import OPS, ShapeError, forward


class AnswerFailed(ValueError):
    """The answer parses, but computing it fails: a wrong answer with this reason."""


@dataclass
class Env:
    """What an answer may use: values by name, gradients by node label (``d_<label>``)."""

    values: Mapping[str, np.ndarray]
    grads: dict[str, np.ndarray] = field(default_factory=dict)
    dtype: type = np.float64

    def lookup(self, name: str):
        if name.startswith("d_") and name[2:] in self.grads:
            return self.grads[name[2:]]
        if name in self.values:
            return self.values[name]
        raise KeyError(name)

    def available(self) -> list[str]:
        names = [n for n in self.values if name_ok(n)]
        return names + [f"d_{n}" for n in self.grads if name_ok(n)]


def evaluate(answer: Answer | object, env: Env):
    """The answer's value (a numpy scalar or array in ``env.dtype``)."""
    expr = answer.expr if isinstance(answer, Answer) else answer
    with np.errstate(all="ignore"):
        try:
            value = _eval(expr, env)
        except (ShapeError, IndexError) as exc:
            raise AnswerFailed(str(exc)) from None
        except (ValueError, TypeError) as exc:
            raise AnswerFailed(f"cannot be computed: {exc}") from None
    return np.asarray(value, dtype=env.dtype)[()]


def _cast(value, env: Env):
    return np.asarray(value, dtype=env.dtype)[()]


def _eval(expr, env: Env):
    if isinstance(expr, Literal):
        return _cast(expr.value, env)
    if isinstance(expr, Ref):
        return _cast(env.lookup(expr.name), env)
    if isinstance(expr, GradRef):
        return _cast(env.grads[expr.name], env)
    if isinstance(expr, ValueRef):
        return _cast(env.values[expr.name], env)
    if isinstance(expr, Apply):
        return _apply(expr, env)
    if isinstance(expr, Compare):
        left, right = _eval(expr.left, env), _eval(expr.right, env)
        _broadcast(np.shape(left), np.shape(right))
        result = {">": np.greater, "<": np.less, ">=": np.greater_equal,
                  "<=": np.less_equal, "==": np.equal, "!=": np.not_equal}[expr.op](left, right)
        return _cast(result, env)
    if isinstance(expr, Index):
        return _index(expr, env)
    if isinstance(expr, Call):
        return _call(expr, env)
    raise TypeError(f"unknown answer node {type(expr).__name__}")  # pragma: no cover


def _broadcast(*shapes) -> tuple:
    try:
        return tuple(np.broadcast_shapes(*shapes))
    except ValueError:
        raise ShapeError(f"the shapes {' and '.join(shape_text(s) for s in shapes)} do not "
                         "broadcast") from None


def _apply(expr: Apply, env: Env):
    entry = OPS[expr.op]
    args = [_eval(a, env) for a in expr.args]
    attrs = dict(expr.attrs or {})
    if expr.k is not None:
        attrs["k"] = expr.k
    out_shape = entry.output_shape(tuple(np.shape(a) for a in args), attrs)
    if int(np.prod(out_shape)) > MAX_ENTRIES:
        raise ShapeError(f"the result would be {shape_text(out_shape)}, too large")
    if entry.no_grad:  # the losses read labels and compute in float64
        args = [np.asarray(a, dtype=np.float64)[()] for a in args]
    elif env.dtype != np.float64:
        # the rest follow their operands: a sum or a matmul accumulates in float32, as
        # torch's does (per-op float64 then rounded is off by an ulp from torch's .grad)
        args = [np.asarray(a, dtype=env.dtype)[()] for a in args]
    value = forward(entry, [a if np.ndim(a) else np.float64(a) for a in args]
                    if env.dtype == np.float64 else args, attrs)
    return _cast(value, env)


def _labels(value) -> np.ndarray:
    labels = np.asarray(value)
    if not np.all(np.isfinite(labels)) or np.any(labels != np.round(labels)):
        raise AnswerFailed("an index must hold whole numbers")
    return labels.astype(np.int64)


def _index(expr: Index, env: Env):
    value = np.asarray(_eval(expr.value, env))
    items = []
    for item in expr.items:
        if isinstance(item, Slice):
            items.append(slice(item.start, item.stop, item.step))
        else:
            items.append(_labels(_eval(item, env)))
    if len(items) > value.ndim:
        raise AnswerFailed(f"{len(items)} indices for a {shape_text(value.shape)} value")
    return _cast(value[tuple(items)], env)


def _call(expr: Call, env: Env):
    args = [_eval(a, env) for a in expr.args]
    fn = expr.fn
    if fn == "zeros_like":
        return _cast(np.zeros_like(np.asarray(args[0], dtype=env.dtype)), env)
    if fn == "ones_like":
        return _cast(np.ones_like(np.asarray(args[0], dtype=env.dtype)), env)
    if fn == "full_like":
        return _cast(np.full_like(np.asarray(args[0], dtype=env.dtype), expr.number), env)
    if fn == "sign":
        return _cast(np.where(np.isnan(args[0]), 0.0, np.sign(args[0])), env)
    if fn == "where":
        _broadcast(*(np.shape(a) for a in args))
        return _cast(np.where(np.asarray(args[0]) != 0, args[1], args[2]), env)
    if fn == "expand_as":
        shape = np.shape(args[1])
        if _broadcast(np.shape(args[0]), shape) != shape:
            raise ShapeError(f"{shape_text(np.shape(args[0]))} cannot expand to "
                             f"{shape_text(shape)}")
        return _cast(np.broadcast_to(args[0], shape) + 0.0, env)
    if fn == "one_hot":
        labels = _labels(args[0])
        classes = int(expr.number)
        if np.any(labels < 0) or np.any(labels >= classes):
            raise AnswerFailed(f"one_hot: a class index is outside 0 to {classes - 1}")
        return _cast(np.eye(classes)[labels], env)
    shape = np.shape(args[0])
    if fn == "numel":
        return _cast(float(np.prod(shape)), env)
    if fn == "size":
        dim = int(expr.number)
        if not -len(shape) <= dim < len(shape):
            raise AnswerFailed(f"axis {dim} is out of range for a {shape_text(shape)} value")
        return _cast(float(shape[dim]), env)
    raise TypeError(fn)  # pragma: no cover
