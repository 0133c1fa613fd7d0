"""Convolution and pooling over images: conv2d, max_pool2d, avg_pool2d (N×C×H×W).

Each is a "vjp" op: no single number per edge, the rule has shapes. The convolution is
an im2col: one slice copy per kernel offset (kh·kw of them) builds the patches, then one
matrix product does every output at once. Its backward rules are the two facts the
learner is meant to see: the kernel's gradient correlates the input with G, and the
input's gradient is a "full" correlation of G (spread by the stride) with the flipped
kernel. Max-pool sends each output's gradient to the first largest cell of its window,
as torch does, where ``max()`` shares it among ties.
"""

from __future__ import annotations

import numpy as np

from core.ops.base import VJP, Array, ShapeError, op
from core.ops.spelling import PAIR, PAIR_OR_NONE, Spelling, number_arg
from core.values import shape_text

# ---- shapes ----------------------------------------------------------------------


def pair(value) -> tuple[int, int]:
    """An int or a pair of ints, as torch's ``stride=2`` / ``stride=(2, 1)``."""
    if isinstance(value, (tuple, list)):
        return int(value[0]), int(value[1])
    return int(value), int(value)


def out_size(size: int, kernel: int, stride: int, pad: int) -> int:
    return (size + 2 * pad - kernel) // stride + 1


def _image(s, what: str, ranks=(4,)) -> None:
    if len(s) not in ranks:
        want = "an N×C×H×W input (4-D)" if ranks == (4,) else \
            "a C×H×W or N×C×H×W input (3-D or 4-D)"
        raise ShapeError(f"{what} takes {want}, not {shape_text(s) or 'a number'}")


def _window_fits(s, kernel, pad, what: str) -> None:
    h, w = s[-2] + 2 * pad[0], s[-1] + 2 * pad[1]
    if kernel[0] > h or kernel[1] > w:
        padded = "" if pad == (0, 0) else f", padded by {pad[0]}×{pad[1]}"
        raise ShapeError(f"the {what} {kernel[0]}×{kernel[1]} is larger than the input "
                         f"{shape_text(s)}'s {h}×{w} image{padded}")


def _conv_shape(shapes, attrs) -> tuple[int, ...]:
    x, w = shapes[0], shapes[1]
    _image(x, "conv2d")
    if len(w) != 4:
        raise ShapeError(f"the weight {shape_text(w) or 'number'} must be O×C×kh×kw (4-D), "
                         f"for the input {shape_text(x)}")
    if x[1] != w[1]:
        raise ShapeError(f"the input {shape_text(x)} has {x[1]} channels but the weight "
                         f"{shape_text(w)} expects {w[1]}")
    if len(shapes) > 2:
        b = shapes[2]
        if b != (w[0],):
            raise ShapeError(f"the bias {shape_text(b) or 'number'} must hold one number per "
                             f"kernel: {w[0]} for the weight {shape_text(w)}")
    stride, pad = pair(attrs.get("stride", 1)), pair(attrs.get("padding", 0))
    _window_fits(x, (w[2], w[3]), pad, "kernel")
    return (x[0], w[0], out_size(x[2], w[2], stride[0], pad[0]),
            out_size(x[3], w[3], stride[1], pad[1]))


def _pool_geometry(attrs):
    kernel = pair(attrs["kernel_size"])
    stride = attrs.get("stride")
    stride = kernel if stride is None or stride == () else pair(stride)
    return kernel, stride, pair(attrs.get("padding", 0))


def _pool_shape(name):
    def shape(shapes, attrs) -> tuple[int, ...]:
        (x,) = shapes
        _image(x, name, (3, 4))
        kernel, stride, pad = _pool_geometry(attrs)
        _window_fits(x, kernel, pad, "window")
        return tuple(x[:-2]) + (out_size(x[-2], kernel[0], stride[0], pad[0]),
                                out_size(x[-1], kernel[1], stride[1], pad[1]))
    return shape


# ---- conv2d: im2col ------------------------------------------------------------------


def _padded(x: Array, pad) -> Array:
    if pad == (0, 0):
        return x
    return np.pad(x, ((0, 0), (0, 0), (pad[0], pad[0]), (pad[1], pad[1])))


def patches(x: Array, kernel, stride, pad) -> Array:
    """im2col: (C·kh·kw) × (N·Ho·Wo), one slice copy per kernel offset."""
    n, c, h, w = x.shape
    kh, kw = kernel
    ho, wo = out_size(h, kh, stride[0], pad[0]), out_size(w, kw, stride[1], pad[1])
    xp = _padded(x, pad).transpose(1, 0, 2, 3)  # C×N×Hp×Wp: patches come out (C, …, N, …)
    cols = np.empty((c, kh, kw, n, ho, wo))
    for i in range(kh):
        for j in range(kw):
            cols[:, i, j] = xp[:, :, i:i + stride[0] * ho:stride[0],
                               j:j + stride[1] * wo:stride[1]]
    return cols.reshape(c * kh * kw, n * ho * wo)


def _conv(x: Array, w: Array, b: Array | None = None, stride=1, padding=0,
          biased=False) -> Array:
    stride, pad = pair(stride), pair(padding)
    n = x.shape[0]
    o = w.shape[0]
    cols = patches(x, w.shape[2:], stride, pad)
    ho = out_size(x.shape[2], w.shape[2], stride[0], pad[0])
    wo = out_size(x.shape[3], w.shape[3], stride[1], pad[1])
    out = np.ascontiguousarray((w.reshape(o, -1) @ cols).reshape(o, n, ho, wo)
                               .transpose(1, 0, 2, 3))
    if b is not None:
        out += np.reshape(b, (1, o, 1, 1))
    return out


def _g_matrix(g: Array) -> Array:
    """G (N×O×Ho×Wo) as O × (N·Ho·Wo), the columns in the patches' order."""
    return np.ascontiguousarray(np.transpose(g, (1, 0, 2, 3))).reshape(g.shape[1], -1)


def conv_input_grad(g: Array, x_shape, w: Array, stride, pad) -> Array:
    """dX: every patch's share Wᵀ·G put back where the patch came from (col2im), which is
    the full correlation of G, spread by the stride, with the flipped kernel."""
    n, c, h, wd = x_shape
    o, _, kh, kw = w.shape
    ho, wo = g.shape[2], g.shape[3]
    dcols = (w.reshape(o, -1).T @ _g_matrix(g)).reshape(c, kh, kw, n, ho, wo)
    dxp = np.zeros((c, n, h + 2 * pad[0], wd + 2 * pad[1]))
    for i in range(kh):
        for j in range(kw):
            dxp[:, :, i:i + stride[0] * ho:stride[0], j:j + stride[1] * wo:stride[1]] \
                += dcols[:, i, j]
    dxp = dxp[:, :, pad[0]:pad[0] + h, pad[1]:pad[1] + wd]
    return np.ascontiguousarray(dxp.transpose(1, 0, 2, 3))


def conv_weight_grad(g: Array, x: Array, w_shape, stride, pad) -> Array:
    """dW[o, c, i, j] = Σ_b Σ_y Σ_x G[b, o, y, x] · X[b, c, y·s + i − p, x·s + j − p]."""
    cols = patches(x, w_shape[2:], stride, pad)
    return (_g_matrix(g) @ cols.T).reshape(w_shape)


def _conv_vjp(g, inputs, out, attrs, position):
    stride, pad = pair(attrs.get("stride", 1)), pair(attrs.get("padding", 0))
    g = np.broadcast_to(g, np.shape(out))
    x, w = inputs[0], inputs[1]
    if position == 0:
        return conv_input_grad(g, x.shape, w, stride, pad)
    if position == 1:
        return conv_weight_grad(g, x, w.shape, stride, pad)
    return np.sum(g, axis=(0, 2, 3)) + 0.0


def _conv_jvp(tangents, inputs, out, attrs):
    """d conv(X, W, b) = conv(dX, W) + conv(X, dW) + db: linear in each input."""
    stride, pad = attrs.get("stride", 1), attrs.get("padding", 0)
    x, w = inputs[0], inputs[1]
    total = np.zeros(np.shape(out))
    if tangents[0] is not None:
        total += _conv(np.broadcast_to(tangents[0], x.shape), w, None, stride, pad)
    if tangents[1] is not None:
        total += _conv(x, np.broadcast_to(tangents[1], w.shape), None, stride, pad)
    if len(tangents) > 2 and tangents[2] is not None:
        total += np.reshape(np.broadcast_to(tangents[2], (w.shape[0],)), (1, -1, 1, 1))
    return total


def _conv_rule_shapes(shapes, out_shape, attrs, position) -> str:
    x, w = shape_text(shapes[0]), shape_text(shapes[1])
    g = shape_text(out_shape)
    if position == 0:
        return f"{x} = correlate_full({g}, flip({w}))"
    if position == 1:
        return f"{w} = correlate({x}, {g})"
    return f"{shape_text(shapes[2])} = Σ over b, y, x of {g}"


def _conv_text(head: str):
    def text(attrs) -> str:
        bias = ", {2:bare}" if attrs.get("biased") else ""
        extra = _geometry_text(attrs, ("stride", "padding"), {"stride": 1, "padding": 0})
        return head + "({0:bare}, {1:bare}" + bias + extra + ")"
    return text


def _geometry_text(attrs, names, defaults) -> str:
    parts = []
    for name in names:
        value = attrs.get(name, defaults.get(name))
        if value is None or value == () or value == defaults.get(name):
            continue
        a, b = pair(value)
        parts.append(f"{name}={a}" if a == b else f"{name}=({a}, {b})")
    return "".join(", " + p for p in parts)


CONV_WHY = ("Each output cell is a sum of products, Σ W[o, c, i, j] · X[b, c, y·s + i − p, "
            "x·s + j − p]: moving one kernel entry moves every output cell by the input "
            "entry under it, so its gradient correlates the input with G; moving one input "
            "entry moves the outputs whose windows cover it, each by the kernel entry "
            "there, which is G correlated with the flipped kernel.")

op(
    key="conv2d", symbol="conv", arity=3, kind=VJP,
    forward=_conv,
    text="conv2d({0:bare}, {1:bare})", text_rule=_conv_text("conv2d"),
    local_text=("correlate_full({G}, flip({1}))", "correlate({0}, {G})",
                "{G} summed over b, y, x"),
    code="F.conv2d({0:bare}, {1:bare})", code_rule=_conv_text("F.conv2d"),
    torch=lambda t, x, w, b=None, stride=1, padding=0, biased=False: t.nn.functional.conv2d(
        x, w, b, stride=stride, padding=padding),
    shape=_conv_shape,
    vjp_rule=_conv_vjp,
    jvp=_conv_jvp,
    rule_shapes=_conv_rule_shapes,
    tensor_args=True,
    description="slides each kernel over the image (a correlation, as torch's conv2d)",
    why=CONV_WHY,
)


def conv_geometry(attrs) -> tuple[tuple[int, int], tuple[int, int]]:
    """(stride, padding) of a conv2d node, as pairs."""
    return pair(attrs.get("stride", 1)), pair(attrs.get("padding", 0))


# ---- max_pool2d: the first largest cell of each window ----------------------------------


def _as4(x: Array) -> Array:
    return x if x.ndim == 4 else x[None]


def _valid(size, kernel_offset, stride, pad, count) -> Array:
    pos = np.arange(count) * stride + kernel_offset - pad
    return (pos >= 0) & (pos < size)


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
)

#: how these ops are written in a program (read by core.calls)
SPELLINGS = {
    "conv2d": Spelling("conv2d", ("input", "weight"), optional=("bias",),
                       params=(("stride", PAIR, 1), ("padding", PAIR, 0),
                               ("dilation", PAIR, 1), ("groups", "int", 1)),
                       forms=("F", "torch")),
    "max_pool2d": Spelling("max_pool2d", ("input",),
                           params=(("kernel_size", PAIR, None), ("stride", PAIR_OR_NONE, None),
                                   ("padding", PAIR, 0), ("dilation", PAIR, 1),
                                   ("ceil_mode", "bool", False)),
                           forms=("F", "torch")),
    "avg_pool2d": Spelling("avg_pool2d", ("input",),
                           params=(("kernel_size", PAIR, None), ("stride", PAIR_OR_NONE, None),
                                   ("padding", PAIR, 0), ("ceil_mode", "bool", False),
                                   ("count_include_pad", "bool", True)),
                           forms=("F",)),
}


def check_arguments(name: str, attrs: dict) -> str | None:
    """An argument torch refuses, or that is not supported here yet; None when fine."""
    for key in ("dilation", "groups"):
        if key in attrs and pair(attrs.pop(key)) != (1, 1):
            return f"{name}: {key} other than 1 is not supported yet"
    if attrs.pop("ceil_mode", False):
        return f"{name}: ceil_mode=True is not supported yet"
    for key in ("stride", "kernel_size"):
        value = attrs.get(key)
        if value is not None and min(pair(value)) <= 0:
            return f"{name}: {key} must be positive, not {number_arg(value)}"
    if min(pair(attrs.get("padding", 0))) < 0:
        return f"{name}: padding must not be negative"
    if "kernel_size" in attrs:
        kernel, pad = pair(attrs["kernel_size"]), pair(attrs.get("padding", 0))
        if pad[0] * 2 > kernel[0] or pad[1] * 2 > kernel[1]:
            return (f"{name}: padding {number_arg(attrs['padding'])} is more than half the "
                    f"window {number_arg(attrs['kernel_size'])}")
    return None
