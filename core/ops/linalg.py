"""Linear algebra and shape ops: matmul (``@``, mm, mv, dot), transpose, reshape family.

None of them has one local number per edge; each VJP is the rule the learner sees, as
in autodidact's ``dot`` rule, case by case over the operands' dimensions (1-D and 2-D,
as ``torch.matmul``):

    A (m×k) @ B (k×n):  G ↦ G · Bᵀ        and  G ↦ Aᵀ · G
    a (k)   @ B (k×n):  G ↦ B · G         and  G ↦ a ⊗ G
    A (m×k) @ b (k):    G ↦ G ⊗ b         and  G ↦ Aᵀ · G
    a (k)   @ b (k):    G ↦ G · b         and  G ↦ G · a
"""

from __future__ import annotations

import numpy as np

from core.base.values import shape_text
from core.ops.base import VJP, Array, ShapeError, check_dim, op

MATMUL_FORMS = {"@": "{0} @ {1}", "matmul": "torch.matmul({0:bare}, {1:bare})",
                "mm": "torch.mm({0:bare}, {1:bare})", "mv": "torch.mv({0:bare}, {1:bare})",
                "dot": "torch.dot({0:bare}, {1:bare})"}
_FORM_RANKS = {"mm": (2, 2), "mv": (2, 1), "dot": (1, 1)}


def _matmul_shape(shapes, attrs) -> tuple[int, ...]:
    a, b = shapes
    form = attrs.get("form", "@")
    sign = "@" if form in ("@", "matmul") else f"{form}"
    what = f"{shape_text(a)} {sign} {shape_text(b)}"
    if form in _FORM_RANKS and (len(a), len(b)) != _FORM_RANKS[form]:
        ranks = {"mm": "two matrices", "mv": "a matrix and a vector",
                 "dot": "two vectors"}[form]
        raise ShapeError(f"{what} — {form} takes {ranks}")
    if not a or not b:
        raise ShapeError(f"{what} — a matrix product needs tensors of at least one "
                         "dimension (use * for a number)")
    if len(a) > 2 or len(b) > 2:
        raise ShapeError(f"{what} — matrix products here take 1-D and 2-D tensors")
    inner_a, inner_b = a[-1], b[0]
    if inner_a != inner_b:
        raise ShapeError(f"{what} — the inner sizes {inner_a} and {inner_b} differ")
    return tuple(a[:-1]) + tuple(b[1:])


def _matmul(a: Array, b: Array, form: str = "@") -> Array:
    out = np.matmul(a, b)
    return np.float64(out) if np.ndim(out) == 0 else out


def _matmul_vjp(g, inputs, out, attrs, position):
    a, b = inputs
    if position == 0:
        if np.ndim(a) == 1 and np.ndim(b) == 1:
            return g * b
        if np.ndim(a) == 1:
            return np.matmul(b, g)
        if np.ndim(b) == 1:
            return np.outer(g, b)
        return np.matmul(g, b.T)
    if np.ndim(a) == 1 and np.ndim(b) == 1:
        return g * a
    if np.ndim(a) == 1:
        return np.outer(a, g)
    return np.matmul(a.T, g)


def _matmul_jvp(tangents, inputs):
    """d(A @ B) = dA @ B + A @ dB."""
    (a, b), (ta, tb) = inputs, tangents
    parts = []
    if ta is not None:
        parts.append(np.matmul(ta, b))
    if tb is not None:
        parts.append(np.matmul(a, tb))
    total = sum(parts[1:], parts[0])
    return np.float64(total) if np.ndim(total) == 0 else total


def _matmul_rule_text(ranks: tuple[int, int], position: int) -> str:
    if ranks == (1, 1):
        return ("{G} · {1}", "{G} · {0}")[position]
    if ranks[0] == 1:
        return ("{1} · {G}", "{0} ⊗ {G}")[position]
    if ranks[1] == 1:
        return ("{G} ⊗ {1}", "{0}ᵀ · {G}")[position]
    return ("{G} · {1}ᵀ", "{0}ᵀ · {G}")[position]


def _matmul_rule_shapes(shapes, out_shape, attrs, position) -> str:
    a, b = shapes
    g = shape_text(out_shape)
    if len(a) == 1 and len(b) == 1:
        return f"{shape_text(shapes[position])} = {g} · {shape_text(shapes[1 - position])}"
    if position == 0:
        other = f"{b[1]}×{b[0]}" if len(b) == 2 else shape_text(b)
        if len(a) == 1:
            return f"{shape_text(a)} = {shape_text(b)} · {g}"
        if len(b) == 1:
            return f"{shape_text(a)} = {g} ⊗ {shape_text(b)}"
        return f"{shape_text(a)} = {g} · {other}"
    if len(a) == 1:
        return f"{shape_text(b)} = {shape_text(a)} ⊗ {g}"
    return f"{shape_text(b)} = {a[1]}×{a[0]} · {g}"


#: matmul's grad_fn by the operands' dimensions, as torch names it
_MATMUL_GRAD_FNS = {(2, 2): "MmBackward0", (2, 1): "MvBackward0", (1, 1): "DotBackward0",
                    (1, 2): "SqueezeBackward4"}


def _matmul_grad_fn(ndims) -> str | None:
    """"" (not said) for a batched product: torch names it by the view or copy it
    returns (UnsafeViewBackward0, CloneBackward0), which depends on the shapes."""
    if len(ndims) != 2:
        return None
    if max(ndims) > 2:
        return ""
    return _MATMUL_GRAD_FNS.get((ndims[0], ndims[1]))


op(
    key="matmul", symbol="@", arity=2, kind=VJP,
    forward=_matmul,
    text="{0} @ {1}", local_text=("{G} · {1}ᵀ", "{0}ᵀ · {G}"),
    code="{0} @ {1}", torch=lambda t, a, b, form="@": t.matmul(a, b),
    code_rule=lambda at: MATMUL_FORMS[at.get("form", "@")],
    shape=_matmul_shape,
    vjp_rule=_matmul_vjp,
    jvp=lambda t, i, out, at: _matmul_jvp(t, i),
    rule_shapes=_matmul_rule_shapes,
    rule_text=lambda shapes, at, p: _matmul_rule_text((len(shapes[0]), len(shapes[1])), p),
    tensor_args=True,
    description="multiplies matrices",
    names=("matmul", "mm", "mv", "dot"), forms=("name", "torch", "method"), reader="matmul",
    grad_fn="MmBackward0", grad_fn_rule=lambda at, ndims, first: _matmul_grad_fn(ndims),
    why="Each entry of a matrix product is a sum of products, Σ_k A[i, k] · B[k, j]: "
        "moving B[k, j] moves column j by A[:, k], so the gradient of B collects Aᵀ · G.",
)


def matmul_rule(ranks: tuple[int, int], position: int) -> str:
    """The VJP rule of ``@`` for operands of these ranks, with {0}, {1} and {G}."""
    return _matmul_rule_text(ranks, position)


# ---- transpose --------------------------------------------------------------------


def _transpose_shape(shapes, attrs) -> tuple[int, ...]:
    (s,) = shapes
    d0, d1 = attrs.get("dims", (0, 1))
    if len(s) != 2 and attrs.get("form") == ".T":
        raise ShapeError(f".T takes a 2-D tensor (a matrix), not {shape_text(s)}")
    if len(s) < 2 and attrs.get("form") == ".t()":
        return s
    if len(s) > 2 and attrs.get("form") == ".t()":
        raise ShapeError(f".t() takes a tensor of at most 2 dimensions, not {shape_text(s)}")
    a, b = check_dim(d0, len(s), "transpose"), check_dim(d1, len(s), "transpose")
    if not s:
        return s
    shape = list(s)
    shape[a], shape[b] = shape[b], shape[a]
    return tuple(shape)


def _transpose(a: Array, dims=(0, 1), form=".T") -> Array:
    if np.ndim(a) < 2:
        return a
    return np.swapaxes(a, dims[0], dims[1]) + 0.0


def _transposed_view(g: Array, dims=(0, 1)) -> Array:
    """The gradient moved back: a view, as torch's (gradients are replaced, never changed
    in place); copying a 784×100 gradient was a sixth of an MLP's training step."""
    return np.swapaxes(g, dims[0], dims[1]) if np.ndim(g) >= 2 else g


def _transpose_code(form: str) -> str:
    return {".T": "{0}.T", ".t()": "{0}.t()"}.get(form, "{0}.transpose({d0}, {d1})")


_TRANSPOSE_GRAD_FNS = {".t()": "TBackward0", ".T": "PermuteBackward0"}

op(
    key="transpose", symbol="ᵀ", arity=1, kind=VJP,
    forward=_transpose,
    text="{0}ᵀ", local_text=("{G}ᵀ",),
    code="{0}.transpose({d0}, {d1})", code_rule=lambda at: _transpose_code(at.get("form", ".T")),
    torch=lambda t, a, dims=(0, 1), form=".T": a.transpose(*dims) if a.dim() >= 2 else a,
    shape=_transpose_shape,
    vjp_rule=lambda g, i, out, at, p: _transposed_view(g, at.get("dims", (0, 1))),
    jvp=lambda t, i, out, at: _transpose(t[0], at.get("dims", (0, 1))),
    description="swaps two axes",
    names=("t", "transpose"), forms=("torch", "method"), reader="transpose",
    grad_fn="PermuteBackward0", grad_fn_rule=lambda at, ndims, first: _TRANSPOSE_GRAD_FNS.get(
        at.get("form", ".T"), "TransposeBackward0"),
    why="Transposing only moves entries, so the gradient moves back the same way: Gᵀ.",
    answer=("{G}.transpose({d0}, {d1})",),
)


# ---- reshape, view, flatten, unsqueeze, squeeze ----------------------------------------


def _size(shape) -> int:
    return int(np.prod(shape)) if shape else 1


def _reshape_target(s, target, name) -> tuple[int, ...]:
    target = tuple(int(x) for x in target)
    if target.count(-1) > 1:
        raise ShapeError(f"{name}: only one size may be -1, not {target}")
    if any(x < -1 for x in target):
        raise ShapeError(f"{name}: a size may not be negative ({target})")
    known = _size([x for x in target if x != -1])
    if -1 in target:
        if known == 0 or _size(s) % known:
            raise ShapeError(f"{name}: {shape_text(s)} ({_size(s)} entries) cannot become "
                             f"{shape_text(target)}")
        target = tuple(_size(s) // known if x == -1 else x for x in target)
    if _size(target) != _size(s):
        raise ShapeError(f"{name}: {shape_text(s)} has {_size(s)} entries, "
                         f"{shape_text(target)} would hold {_size(target)}")
    return target


def _reshape_shape(name):
    def shape(shapes, attrs):
        return _reshape_target(shapes[0], attrs["shape"], name)
    return shape


def _flatten_shape(shapes, attrs):
    (s,) = shapes
    if not s:
        return (1,)
    start = check_dim(attrs.get("start_dim", 0), len(s), "flatten")
    end = check_dim(attrs.get("end_dim", -1), len(s), "flatten")
    if start > end:
        raise ShapeError("flatten: start_dim comes after end_dim")
    return tuple(s[:start]) + (_size(s[start:end + 1]),) + tuple(s[end + 1:])


def _unsqueeze_shape(shapes, attrs):
    (s,) = shapes
    d = attrs["dim"]
    rank = len(s) + 1
    if not -rank <= d < rank:
        raise ShapeError(f"unsqueeze: dim={d} is out of range (use {-rank} to {rank - 1})")
    d %= rank
    return tuple(s[:d]) + (1,) + tuple(s[d:])


def _squeeze_shape(shapes, attrs):
    (s,) = shapes
    d = attrs.get("dim")
    if d is None:
        return tuple(n for n in s if n != 1)
    if not s:
        return s
    d = check_dim(d, len(s), "squeeze")
    return tuple(n for i, n in enumerate(s) if not (i == d and n == 1))


def _reshaper(shape_rule):
    def forward(a: Array, **attrs) -> Array:
        out = np.reshape(a, shape_rule((np.shape(a),), attrs))
        return np.float64(out) if np.ndim(out) == 0 else out + 0.0
    return forward


def _back_to_input(g, inputs, out, attrs, position):
    g = np.reshape(g, np.shape(inputs[0]))
    return np.float64(g) if np.ndim(g) == 0 else g


def _reshape_op(key, code, text, shape_rule, torch_rule, description, reader="reshape"):
    op(
        key=key, symbol=key, arity=1, kind=VJP,
        names=(key,), forms=("torch", "method"), reader=reader,
        forward=_reshaper(shape_rule),
        text=text, local_text=("{G} reshaped back to the input's shape",),
        code=code, torch=torch_rule,
        shape=shape_rule,
        vjp_rule=_back_to_input,
        jvp=lambda t, i, out, at: np.reshape(t[0], np.shape(out)),
        description=description,
        why="Reshaping keeps every entry and only changes how they are arranged, so each "
            "entry's gradient goes back to where it came from.",
    )


_reshape_op("reshape", "{0}.reshape({shape})", "{0:bare}.reshape({shape})",
            _reshape_shape("reshape"), lambda t, a, shape: a.reshape(*shape),
            "rearranges into a new shape")
_reshape_op("view", "{0}.view({shape})", "{0:bare}.view({shape})", _reshape_shape("view"),
            lambda t, a, shape: a.reshape(*shape), "views in a new shape")
_reshape_op("flatten", "{0}.flatten({flat})", "{0:bare}.flatten({flat})", _flatten_shape,
            lambda t, a, start_dim=0, end_dim=-1: a.flatten(start_dim, end_dim),
            "flattens axes into one", "flatten")
_reshape_op("unsqueeze", "{0}.unsqueeze({d})", "{0:bare}.unsqueeze({d})", _unsqueeze_shape,
            lambda t, a, dim: a.unsqueeze(dim), "adds an axis of size 1", "squeeze")
_reshape_op("squeeze", "{0}.squeeze({sq})", "{0:bare}.squeeze({sq})", _squeeze_shape,
            lambda t, a, dim=None: a.squeeze() if dim is None else a.squeeze(dim),
            "drops axes of size 1", "squeeze")
