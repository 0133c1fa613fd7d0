"""Pooling over images: max_pool2d and avg_pool2d (C×H×W or N×C×H×W).

Both are "vjp" ops. Max-pool sends each output's gradient to the first largest cell of
its window, as torch's kernel does, where ``max()`` shares it among ties; average
pooling shares each output's gradient equally among its window's cells.
"""

from __future__ import annotations

import numpy as np

from core.base.values import shape_text
from core.ops.base import VJP, Array, op
from core.ops.conv import (
    _as4,
    _geometry_text,
    _padded,
    _pool_geometry,
    _pool_shape,
    _valid,
    check_arguments,
    out_size,
    pair,
)
from core.ops.spelling import PAIR, PAIR_OR_NONE, Spelling

# ---- max_pool2d: the first largest cell of each window --------------------------------


def argmax_cells(x: Array, attrs) -> tuple[Array, Array]:
    """(the pooled maxima, the flat input index of each one's cell within its H×W map).

    Windows are read row by row; a later cell wins only when strictly larger (or nan),
    so a tie goes to the first maximum, as torch's kernel; padding never wins."""
    kernel, stride, pad = _pool_geometry(attrs)
    x4 = _as4(np.asarray(x, dtype=np.float64))
    n, c, h, w = x4.shape
    ho, wo = out_size(h, kernel[0], stride[0], pad[0]), out_size(w, kernel[1], stride[1], pad[1])
    xp = np.pad(x4, ((0, 0), (0, 0), (pad[0], pad[0]), (pad[1], pad[1])),
                constant_values=-np.inf)
    best = np.full((n, c, ho, wo), -np.inf)
    where = np.full((n, c, ho, wo), -1, dtype=np.int64)
    rows = np.arange(ho)[:, None] * stride[0] - pad[0]
    cols = np.arange(wo)[None, :] * stride[1] - pad[1]
    for i in range(kernel[0]):
        valid_r = _valid(h, i, stride[0], pad[0], ho)[:, None]
        for j in range(kernel[1]):
            valid = valid_r & _valid(w, j, stride[1], pad[1], wo)[None, :]
            cand = xp[:, :, i:i + stride[0] * ho:stride[0], j:j + stride[1] * wo:stride[1]]
            take = valid & ((cand > best) | np.isnan(cand))
            first = valid & (where < 0)
            index = (rows + i) * w + (cols + j)
            where = np.where(take | first, index, where)
            best = np.where(take, cand, best)
    if x.ndim == 3:
        return best[0], where[0]
    return best, where


def _max_pool(x: Array, kernel_size, stride=None, padding=0) -> Array:
    return argmax_cells(x, {"kernel_size": kernel_size, "stride": stride,
                            "padding": padding})[0] + 0.0


def _max_pool_vjp(g, inputs, out, attrs, position):
    """Each output cell's gradient to its window's argmax cell (summed where windows
    overlap); every other cell gets 0."""
    x = np.asarray(inputs[0])
    _, where = argmax_cells(x, attrs)
    g = np.broadcast_to(g, where.shape)
    h, w = x.shape[-2], x.shape[-1]
    planes = int(np.prod(x.shape[:-2]))
    flat = where.reshape(planes, -1) + (np.arange(planes) * h * w)[:, None]
    grad = np.bincount(flat.ravel(), weights=np.ravel(g), minlength=planes * h * w)
    return grad.reshape(x.shape)


def _max_pool_jvp(tangents, inputs, out, attrs):
    x = np.asarray(inputs[0])
    _, where = argmax_cells(x, attrs)
    t = np.broadcast_to(tangents[0], x.shape).reshape(*x.shape[:-2], -1)
    return np.take_along_axis(t, where.reshape(*x.shape[:-2], -1), axis=-1).reshape(where.shape)


def _pool_tie(inputs, attrs, tol) -> bool:
    """A window with two cells within ``tol`` of its maximum: finite differences there
    would split what torch sends whole to one cell."""
    x = np.asarray(inputs[0], dtype=np.float64)
    best, _ = argmax_cells(x, attrs)
    shifted = np.where(np.isfinite(x), x, 0.0) + tol * 2
    return bool(np.any(argmax_cells(shifted, attrs)[0] - best > tol * 3)) or _near_second(
        x, attrs, tol)


def _near_second(x, attrs, tol) -> bool:
    best, where = argmax_cells(x, attrs)
    flat = x.reshape(*x.shape[:-2], -1).copy()
    np.put_along_axis(flat, where.reshape(*x.shape[:-2], -1), -np.inf, axis=-1)
    second, _ = argmax_cells(flat.reshape(x.shape), attrs)
    return bool(np.any(np.abs(best - second) <= tol))


def _pool_text(name):
    def text(attrs) -> str:
        kernel = pair(attrs["kernel_size"])
        k = str(kernel[0]) if kernel[0] == kernel[1] else f"({kernel[0]}, {kernel[1]})"
        extra = _geometry_text(attrs, ("stride", "padding"),
                               {"stride": attrs["kernel_size"], "padding": 0})
        if attrs.get("count_include_pad") is False:
            extra += ", count_include_pad=False"
        return f"{name}({{0:bare}}, {k}{extra})"
    return text


op(
    key="max_pool2d", symbol="maxpool", arity=1, kind=VJP,
    forward=_max_pool,
    text="max_pool2d({0:bare})", text_rule=_pool_text("max_pool2d"),
    local_text=("{G} sent to each window's first largest cell, 0 elsewhere",),
    code="F.max_pool2d({0:bare})", code_rule=_pool_text("F.max_pool2d"),
    torch=lambda t, x, kernel_size, stride=None, padding=0: t.nn.functional.max_pool2d(
        x, kernel_size, stride=stride, padding=padding),
    shape=_pool_shape("max_pool2d"),
    vjp_rule=_max_pool_vjp,
    jvp=_max_pool_jvp,
    near_kink=lambda i, at, tol: _near_second(np.asarray(i[0], dtype=np.float64), at, tol),
    rule_shapes=lambda shapes, out, at, p: f"{shape_text(shapes[0])} ← {shape_text(out)}",
    description="keeps the largest number of each window",
    why="Only the largest cell of a window reaches the output, so only it moves the "
        "output: it gets the whole gradient and the others get 0. At a tie torch picks "
        "the first largest cell (reading the window row by row), where max() shares.",
    names=("max_pool2d",), forms=("F", "torch"), reader="spelled", module="MaxPool2d",
    grad_fn="MaxPool2DWithIndicesBackward0",
    spelling=Spelling("max_pool2d", ("input",),
                      params=(("kernel_size", PAIR, None), ("stride", PAIR_OR_NONE, None),
                              ("padding", PAIR, 0), ("dilation", PAIR, 1),
                              ("ceil_mode", "bool", False)),
                      check=check_arguments),
)


# ---- avg_pool2d ------------------------------------------------------------------------


def _divisors(shape, attrs) -> Array | float:
    """What each window is divided by: kh·kw (count_include_pad, torch's default), or the
    number of its cells inside the image."""
    kernel, stride, pad = _pool_geometry(attrs)
    if attrs.get("count_include_pad", True):
        return float(kernel[0] * kernel[1])
    h, w = shape[-2], shape[-1]
    ho, wo = out_size(h, kernel[0], stride[0], pad[0]), out_size(w, kernel[1], stride[1], pad[1])
    rows = sum(_valid(h, i, stride[0], pad[0], ho) for i in range(kernel[0]))
    cols = sum(_valid(w, j, stride[1], pad[1], wo) for j in range(kernel[1]))
    return np.outer(rows, cols).astype(np.float64)


def _avg_pool(x: Array, kernel_size, stride=None, padding=0, count_include_pad=True) -> Array:
    attrs = {"kernel_size": kernel_size, "stride": stride, "padding": padding,
             "count_include_pad": count_include_pad}
    kernel, stride, pad = _pool_geometry(attrs)
    x4 = _as4(np.asarray(x, dtype=np.float64))
    h, w = x4.shape[2:]
    ho, wo = out_size(h, kernel[0], stride[0], pad[0]), out_size(w, kernel[1], stride[1], pad[1])
    xp = _padded(x4, pad)
    total = np.zeros(x4.shape[:2] + (ho, wo))
    for i in range(kernel[0]):
        for j in range(kernel[1]):
            total += xp[:, :, i:i + stride[0] * ho:stride[0], j:j + stride[1] * wo:stride[1]]
    out = total / _divisors(x4.shape, attrs)
    return out[0] if np.ndim(x) == 3 else out


def _avg_pool_vjp(g, inputs, out, attrs, position):
    """Each output's gradient shared equally by its window's cells (1/divisor each)."""
    x = np.asarray(inputs[0])
    kernel, stride, pad = _pool_geometry(attrs)
    g4 = _as4(np.broadcast_to(g, np.shape(out)) / _divisors(x.shape, attrs))
    n, c, ho, wo = g4.shape
    h, w = x.shape[-2:]
    dxp = np.zeros((n, c, h + 2 * pad[0], w + 2 * pad[1]))
    for i in range(kernel[0]):
        for j in range(kernel[1]):
            dxp[:, :, i:i + stride[0] * ho:stride[0], j:j + stride[1] * wo:stride[1]] += g4
    dx = dxp[:, :, pad[0]:pad[0] + h, pad[1]:pad[1] + w]
    return np.ascontiguousarray(dx[0] if x.ndim == 3 else dx)


op(
    key="avg_pool2d", symbol="avgpool", arity=1, kind=VJP,
    forward=_avg_pool,
    text="avg_pool2d({0:bare})", text_rule=_pool_text("avg_pool2d"),
    local_text=("{G} shared equally by each window's cells (÷ kh·kw)",),
    code="F.avg_pool2d({0:bare})", code_rule=_pool_text("F.avg_pool2d"),
    torch=lambda t, x, kernel_size, stride=None, padding=0, count_include_pad=True:
        t.nn.functional.avg_pool2d(x, kernel_size, stride=stride, padding=padding,
                                   count_include_pad=count_include_pad),
    shape=_pool_shape("avg_pool2d"),
    vjp_rule=_avg_pool_vjp,
    jvp=lambda t, i, out, at: _avg_pool(np.broadcast_to(t[0], np.shape(i[0])), **at),
    rule_shapes=lambda shapes, out, at, p: f"{shape_text(shapes[0])} ← {shape_text(out)}",
    description="averages each window",
    why="Each window's average moves by 1/(kh·kw) when one of its cells moves, so each "
        "cell gets that share of the gradient of every window it is in.",
    names=("avg_pool2d",), forms=("F",), reader="spelled", module="AvgPool2d",
    grad_fn="AvgPool2DBackward0", dtype="float",
    spelling=Spelling("avg_pool2d", ("input",),
                      params=(("kernel_size", PAIR, None), ("stride", PAIR_OR_NONE, None),
                              ("padding", PAIR, 0), ("ceil_mode", "bool", False),
                              ("count_include_pad", "bool", True)),
                      check=check_arguments),
)


__all__ = ["argmax_cells"]
