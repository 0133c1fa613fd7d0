"""Convolution over images: conv2d (N×C×H×W), and the shape helpers pooling shares.

It is a "vjp" op: no single number per edge, the rule has shapes. The convolution is
an im2col: one slice copy per kernel offset (kh·kw of them) builds the patches, then one
matrix product does every output at once. Its backward rules are the two facts the
learner is meant to see: the kernel's gradient correlates the input with G, and the
input's gradient is a "full" correlation of G (spread by the stride) with the flipped
kernel. Pooling is in :mod:`core.ops.pooling`.
"""

from __future__ import annotations

import math
import threading

import numpy as np

from core.base.values import shape_text
from core.ops.base import VJP, Array, ShapeError, op
from core.ops.spelling import PAIR, Spelling, number_arg

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


# ---- conv2d: im2col ------------------------------------------------------------------


def _padded(x: Array, pad) -> Array:
    if pad == (0, 0):
        return x
    return np.pad(x, ((0, 0), (0, 0), (pad[0], pad[0]), (pad[1], pad[1])))


#: temporaries up to this many bytes are kept per thread and reused: on this machine
#: the page faults of fresh memory cost more than the copies (a 3.6 MB im2col: ~4 ms)
SCRATCH_LIMIT = 16 * 2 ** 20
_SCRATCH = threading.local()


def scratch(name: str, shape) -> Array:
    """A reused buffer of ``shape`` (contents undefined), one per name and thread (the
    window builds traces in worker threads); a large one is allocated afresh."""
    size = math.prod(shape)
    if size * 8 > SCRATCH_LIMIT:
        return np.empty(shape)
    buffer = getattr(_SCRATCH, name, None)
    if buffer is None or buffer.size < size:
        buffer = np.empty(size)
        setattr(_SCRATCH, name, buffer)
    return buffer[:size].reshape(shape)


def _padded_scratch(x: Array, pad) -> Array:
    """x with zero borders, C×N×Hp×Wp (the patches' order)."""
    n, c, h, w = x.shape
    if pad == (0, 0):
        return x.transpose(1, 0, 2, 3)
    xp = scratch("padded", (c, n, h + 2 * pad[0], w + 2 * pad[1]))
    xp.fill(0.0)
    xp[:, :, pad[0]:pad[0] + h, pad[1]:pad[1] + w] = x.transpose(1, 0, 2, 3)
    return xp


def patches(x: Array, kernel, stride, pad) -> Array:
    """im2col: (C·kh·kw) × (N·Ho·Wo), one slice copy per kernel offset (a scratch buffer:
    used before the next call)."""
    n, c, h, w = x.shape
    kh, kw = kernel
    ho, wo = out_size(h, kh, stride[0], pad[0]), out_size(w, kw, stride[1], pad[1])
    xp = _padded_scratch(x, pad)  # C×N×Hp×Wp: patches come out (C, …, N, …)
    cols = scratch("cols", (c, kh, kw, n, ho, wo))
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
    product = np.matmul(w.reshape(o, -1), cols, out=scratch("product", (o, n * ho * wo)))
    out = np.empty((n, o, ho, wo))
    np.copyto(out, product.reshape(o, n, ho, wo).transpose(1, 0, 2, 3))
    if b is not None:
        out += np.reshape(b, (1, o, 1, 1))
    return out


def _g_matrix(g: Array) -> Array:
    """G (N×O×Ho×Wo) as O × (N·Ho·Wo), the columns in the patches' order (scratch)."""
    n, o, ho, wo = g.shape
    matrix = scratch("g", (o, n, ho, wo))
    np.copyto(matrix, np.transpose(g, (1, 0, 2, 3)))
    return matrix.reshape(o, -1)


def conv_input_grad(g: Array, x_shape, w: Array, stride, pad) -> Array:
    """dX: every patch's share Wᵀ·G put back where the patch came from (col2im), which is
    the full correlation of G, spread by the stride, with the flipped kernel."""
    n, c, h, wd = x_shape
    o, _, kh, kw = w.shape
    ho, wo = g.shape[2], g.shape[3]
    dcols = np.matmul(w.reshape(o, -1).T, _g_matrix(g),
                      out=scratch("cols", (c * kh * kw, n * ho * wo)))
    dcols = dcols.reshape(c, kh, kw, n, ho, wo)
    dxp = scratch("padded", (c, n, h + 2 * pad[0], wd + 2 * pad[1]))
    dxp.fill(0.0)
    for i in range(kh):
        for j in range(kw):
            dxp[:, :, i:i + stride[0] * ho:stride[0], j:j + stride[1] * wo:stride[1]] \
                += dcols[:, i, j]
    dx = np.empty((n, c, h, wd))
    np.copyto(dx, dxp[:, :, pad[0]:pad[0] + h, pad[1]:pad[1] + wd].transpose(1, 0, 2, 3))
    return dx


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
    names=("conv2d",), forms=("F", "torch"), reader="spelled",
    grad_fn="ConvolutionBackward0", dtype="float",
    spelling=Spelling("conv2d", ("input", "weight"), optional=("bias",),
                      params=(("stride", PAIR, 1), ("padding", PAIR, 0),
                              ("dilation", PAIR, 1), ("groups", "int", 1)),
                      check=check_arguments),
)


def _as4(x: Array) -> Array:
    return x if x.ndim == 4 else x[None]


def _valid(size, kernel_offset, stride, pad, count) -> Array:
    pos = np.arange(count) * stride + kernel_offset - pad
    return (pos >= 0) & (pos < size)


def conv_geometry(attrs) -> tuple[tuple[int, int], tuple[int, int]]:
    """(stride, padding) of a conv2d node, as pairs."""
    return pair(attrs.get("stride", 1)), pair(attrs.get("padding", 0))



