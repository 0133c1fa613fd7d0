"""What one op is: forward, vector-Jacobian product, forward-mode rule, texts, torch twin.

Like autodidact's table of VJPs (``numpy_vjps.py``), the primary backward rule of every
op is a vector-Jacobian product per input: the upstream gradient in, this input's
contribution out, before broadcasting is undone (that happens once, in
:mod:`core.engine.backprop`). Two kinds of op also have a *local gradient* the learner can see
as numbers, and their VJP is built from it:

- element-wise ops: the diagonal of the Jacobian, upstream ⊙ local;
- reductions to fewer axes (sum, mean, max, min, the losses): the Jacobian's rows, in
  the input's shape, with the upstream gradient spread back over the reduced axes.

Every other op (matmul, transpose, reshape, softmax …) has no single number per edge:
its local step shows the rule with shapes, ``G ↦ Xᵀ · G (4×2 → 3×2)``.

Formula templates use ``{0}``, ``{1}`` for the operands, ``{out}`` for the result and
``{k}``/``{n}`` for attributes. A placeholder wraps a compound operand in parentheses;
``{0:bare}`` never does (inside a function call's own parentheses). Rule templates
also use ``{G}`` for the upstream gradient.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from core.base.values import shape_text, unbroadcast
from core.ops.power_text import power_local_text, power_symbol
from core.ops.spelling import Spelling

Array = np.ndarray
TorchBuilder = Callable[..., Any]
Shape = tuple[int, ...]

ELEMENTWISE, REDUCTION, VJP = "elementwise", "reduction", "vjp"


class ShapeError(ValueError):
    """Operands whose shapes the op cannot take; the graph adds the place and the labels."""


def _no_kink(inputs, attrs, tol) -> bool:
    return False


@dataclass(frozen=True)
class Op:
    """One operation: symbol, forward, VJP, JVP, local gradients, texts and torch twin."""

    key: str
    symbol: str
    arity: int
    #: (*inputs, **attrs) -> output
    forward: Callable[..., Array]
    text: str
    #: the local gradient per input as formula text (element-wise ops and reductions), or
    #: the VJP rule with ``{G}`` for the upstream gradient (every other op)
    local_text: tuple[str, ...]
    #: torch code template; constants that must be tensors are wrapped by the caller
    code: str
    #: (torch, *inputs, **attrs) -> tensor
    torch: TorchBuilder
    #: "elementwise" | "reduction" | "vjp"
    kind: str = ELEMENTWISE
    #: (inputs, output, attrs) -> one local-gradient array per input (not for "vjp" ops)
    local: Callable[[tuple[Array, ...], Array, Mapping[str, Any]], tuple[Array, ...]] | None = None
    #: (upstream, inputs, output, attrs, position) -> this input's contribution
    #: ("vjp" ops; the others derive it from ``local``, see :func:`vjp`)
    vjp_rule: Callable[..., Array] | None = None
    #: (tangents, inputs, output, attrs) -> the output's tangent; a tangent is None for
    #: an input that does not move (the forward-mode rule)
    jvp: Callable[..., Array] | None = None
    #: (input shapes, attrs) -> output shape, raising ShapeError; None: broadcasting
    shape: Callable[[tuple[Shape, ...], Mapping[str, Any]], Shape] | None = None
    #: torch needs tensor operands (torch.maximum(x, 2.0) is an error)
    tensor_args: bool = False
    #: True where the function has a kink or domain edge within ``tol`` of the inputs,
    #: so finite differences there would not mean anything.
    near_kink: Callable[[tuple[Array, ...], Mapping[str, Any], float], bool] = field(
        default=_no_kink)
    description: str = ""
    #: the sentence under the local step saying why the rule is what it is
    why: str = ""
    #: upstream × local as torch's backward computes it where that is not a plain
    #: product: (upstream, local, inputs, output, attrs, position) -> array. None: the
    #: product. See :func:`chain`.
    chain_rule: Callable[..., Array] | None = None
    #: (input shapes, output shape, attrs, position) -> the shapes of the rule, as in
    #: "3×2 = 3×4 · 4×2" ("vjp" ops)
    rule_shapes: Callable[..., str] | None = None
    #: (input shapes, attrs, position) -> the rule template where it depends on the ranks
    rule_text: Callable[..., str] | None = None
    #: (attrs) -> the formula template, where it depends on the attributes (stride …)
    text_rule: Callable[[Mapping[str, Any]], str] | None = None
    #: (attrs) -> the torch code template, where it depends on the spelling (mm, .T …)
    code_rule: Callable[[Mapping[str, Any]], str] | None = None
    #: (inputs, attrs) -> the N of a mean (``{n}`` in the local text); None: the input's size
    count: Callable[[tuple[Array, ...], Mapping[str, Any]], int] | None = None
    #: inputs (by position) that take no gradient: class labels, a loss's target
    no_grad: tuple[int, ...] = ()
    # ---- how a program writes it, and what torch calls it ------------------------
    #: the names a program calls it by (``exp``; matmul: ``matmul``, ``mm``, ``mv``,
    #: ``dot``); none for an op written only as an operator (``+``, ``**``)
    names: tuple[str, ...] = ()
    #: where those names may stand: "name" (``exp(x)``), "torch" (``torch.exp(x)``),
    #: "F" (``F.relu(x)``), "method" (``x.exp()``)
    forms: tuple[str, ...] = ()
    #: how :mod:`core.language.calls` reads the call's arguments: "unary" (one tensor), "reduce"
    #: (``dim=``/``keepdim=``), "pick" (max/min: one tensor or two), "along" (``dim=``
    #: needed), "loss", "matmul", "transpose", "reshape", "flatten", "squeeze",
    #: "spelled" (by ``spelling``)
    reader: str = "unary"
    #: the keyword parameters of a "spelled" call, in torch's order
    spelling: Spelling | None = None
    #: the ``torch.nn`` module that applies it (``ReLU``), if any
    module: str = ""
    #: torch's grad_fn for its result (``ExpBackward0``); "" where the app does not say
    grad_fn: str = ""
    #: (attrs, operand ndims, a number came first) -> the grad_fn where it depends on
    #: more than the op (``sum(dim=1)`` is SumBackward1), None: ``grad_fn``, "": not said
    #: (core.ops.grad_fn_of reads it; the recorder checks torch's against it)
    grad_fn_rule: Callable[..., str | None] | None = None
    #: the result's dtype: "float" (integers give float32: exp, true division, mean),
    #: "promote" (the operands' promoted dtype), "sum" (promote, but bool counts up
    #: to int64)
    dtype: str = "promote"
    #: the short rule a quiz hint names ("log rule: 1/x"); "" for none
    rule: str = ""
    #: the rule per input as ninja mode's answer language writes it (torch code with
    #: {G} the upstream gradient, {out} the result, {n}/{C}/{d} …); () for none
    answer: tuple[str, ...] = ()

    @property
    def reduction(self) -> bool:
        return self.kind == REDUCTION

    @property
    def elementwise(self) -> bool:
        return self.kind == ELEMENTWISE

    @property
    def has_local(self) -> bool:
        """Does each edge have a local gradient to show as numbers?"""
        return self.kind != VJP

    def symbol_for(self, attrs: Mapping[str, Any]) -> str:
        if self.key == "powc":
            return power_symbol(attrs["k"])
        return self.symbol

    def text_for(self, attrs: Mapping[str, Any]) -> str:
        if self.key == "powc":
            return "{0}" + power_symbol(attrs["k"])
        if self.key == "torch_rule":  # a recorded call: its own name, any number of inputs
            places = ", ".join(f"{{{i}:bare}}" for i in range(attrs.get("arity", 1)))
            return f"{attrs.get('short', 'torch')}({places})"
        if self.text_rule is not None:
            return fill_attrs(self.text_rule(attrs), attrs)
        return fill_attrs(self.text, attrs)

    def local_text_for(self, attrs: Mapping[str, Any]) -> tuple[str, ...]:
        if self.key == "powc":
            return (power_local_text(attrs["k"]),)
        if attrs:
            return tuple(fill_attrs(t, attrs) for t in self.local_text)
        return self.local_text

    def n_for(self, inputs: tuple[Array, ...], attrs: Mapping[str, Any]) -> int:
        if self.count is not None:
            return self.count(inputs, attrs)
        return int(np.size(inputs[0]))

    def code_for(self, attrs: Mapping[str, Any]) -> str:
        """The torch code template with this node's attributes filled in."""
        code = self.code if self.code_rule is None else self.code_rule(attrs)
        if "{dimargs}" in code:
            dim = attrs.get("dim")
            args = "" if dim is None else f"dim={dim}" + (", keepdim=True"
                                                          if attrs.get("keepdim") else "")
            code = code.replace("{dimargs}", args)
            if dim is not None and self.key in ("max", "min"):
                code += ".values"
        return fill_attrs(code, attrs)

    def output_shape(self, shapes: tuple[Shape, ...], attrs: Mapping[str, Any]) -> Shape:
        """The result's shape, or ShapeError naming both shapes."""
        if self.shape is not None:
            return self.shape(shapes, attrs)
        try:
            return tuple(np.broadcast_shapes(*shapes))
        except ValueError:
            raise ShapeError(broadcast_message(shapes)) from None

    def rule_shape_text(self, shapes, out_shape, attrs, position) -> str:
        if self.rule_shapes is not None:
            return self.rule_shapes(shapes, out_shape, attrs, position)
        return f"{shape_text(out_shape)} → {shape_text(shapes[position])}"


#: attributes written into texts by their own name ({k} is powc's, filled by its caller)
NAMED_NUMBERS = ("negative_slope", "alpha", "beta", "threshold", "p")


def fill_attrs(template: str, attrs: Mapping[str, Any]) -> str:
    """Put an op's attributes into its text: ``{dims}`` becomes ``, dim=1`` (and
    ``keepdim=True``) or nothing, ``{d}`` the dim, ``{shape}`` the target shape."""
    if "{" not in template:
        return template
    dim = attrs.get("dim")
    dims = "" if dim is None else f", dim={dim}"
    if attrs.get("keepdim"):
        dims += ", keepdim=True"
    text = template.replace("{dims}", dims).replace("{d}", str(dim))
    if "{shape}" in text:
        text = text.replace("{shape}", ", ".join(str(s) for s in attrs.get("shape", ())))
    if "{flat}" in text:
        start, end = attrs.get("start_dim", 0), attrs.get("end_dim", -1)
        text = text.replace("{flat}", "" if (start, end) == (0, -1) else f"{start}, {end}")
    if "{sq}" in text:
        text = text.replace("{sq}", "" if dim is None else str(dim))
    if "{d0}" in text:
        text = text.replace("{d0}", str(attrs["dims"][0])).replace("{d1}", str(attrs["dims"][1]))
    if "{" in text:  # the activations' and dropout's number attributes, by name
        for key in NAMED_NUMBERS:
            if "{" + key + "}" in text and key in attrs:
                text = text.replace("{" + key + "}", str(attrs[key]))
    return text


def broadcast_message(shapes) -> str:
    a, b = shapes[0], shapes[-1]
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y and 1 not in (x, y):
            return (f"the shapes {shape_text(a)} and {shape_text(b)} do not broadcast "
                    f"(sizes {x} and {y} differ)")
    return f"the shapes {shape_text(a)} and {shape_text(b)} do not broadcast"


OPS: dict[str, Op] = {}
#: bumped whenever an entry comes or goes: the tables derived from the entries
#: (:mod:`core.ops.index`) are rebuilt when it moves
_GENERATION = [0]


def op(**kwargs: Any) -> Op:
    """Register one entry: everything about the op is in it."""
    entry = Op(**kwargs)
    OPS[entry.key] = entry
    _GENERATION[0] += 1
    return entry


def unregister(key: str) -> None:
    """Take an entry out again (a test's made-up op)."""
    del OPS[key]
    _GENERATION[0] += 1


def generation() -> int:
    return _GENERATION[0]


def forward(entry: Op, args, attrs: Mapping[str, Any]) -> Array:
    return entry.forward(*args, **attrs) if attrs else entry.forward(*args)


def chain(entry: Op, upstream: Array, local: Array, inputs: tuple[Array, ...], out: Array,
          attrs: Mapping[str, Any], position: int) -> Array:
    """One term of the chain rule, ``upstream · local``, the way torch computes it.

    Two places differ from a plain product: where torch *masks* (relu, max/min, a zero
    exponent) a hard-zero local gradient gives 0 even for an inf or nan upstream gradient
    (inf · 0 would be nan); where torch *divides* (log, div) ``upstream / x`` stays finite
    for a subnormal x whose reciprocal overflows.
    """
    if entry.kind == REDUCTION:
        upstream = spread(upstream, np.shape(inputs[position]), attrs)
    if entry.chain_rule is None:
        return upstream * local
    return entry.chain_rule(upstream, local, inputs, out, attrs, position)


def spread(upstream: Array, shape: Shape, attrs: Mapping[str, Any]) -> Array:
    """A reduction's upstream gradient with the reduced axes put back (size 1), so that
    it broadcasts over the input: what torch's ``sum_backward`` does."""
    dim = attrs.get("dim")
    if dim is None or attrs.get("keepdim") or type(upstream) is np.float64 and not shape:
        return upstream
    return np.expand_dims(upstream, dim % len(shape)) if shape else upstream


def vjp(entry: Op, upstream: Array, local: Array | None, inputs: tuple[Array, ...],
        out: Array, attrs: Mapping[str, Any], position: int) -> Array:
    """This input's contribution, before un-broadcasting: the op's VJP."""
    if entry.vjp_rule is not None:
        return entry.vjp_rule(upstream, inputs, out, attrs, position)
    if local is None:
        local = entry.local(inputs, out, attrs)[position]
    return chain(entry, upstream, local, inputs, out, attrs, position)


def jvp(entry: Op, tangents: tuple, inputs: tuple[Array, ...], out: Array,
        attrs: Mapping[str, Any]) -> Array:
    """The output's tangent (forward mode); a tangent of None is an input held fixed.
    Element-wise ops need no rule of their own: Σ local ⊙ tangent."""
    if entry.jvp is not None:
        return entry.jvp(tangents, inputs, out, attrs)
    local = entry.local(inputs, out, attrs)
    total = None
    for grad, tangent in zip(local, tangents, strict=True):
        if tangent is not None:
            term = grad * tangent
            total = term if total is None else total + term
    return np.zeros_like(np.asarray(out, dtype=np.float64))[()] if total is None else total


def jacobian(entry: Op, inputs: tuple[Array, ...], attrs: Mapping[str, Any], position: int,
             limit: int = 16) -> np.ndarray | None:
    """The explicit Jacobian ∂out/∂input (out entries × input entries), built one VJP per
    output entry; None when either side has more than ``limit`` entries."""
    with np.errstate(all="ignore"):
        out = np.asarray(forward(entry, inputs, attrs), dtype=np.float64)
        x = np.asarray(inputs[position])
        if out.size > limit or x.size > limit:
            return None
        rows = []
        local = None
        if entry.has_local:
            local = entry.local(inputs, out[()], attrs)[position]
        for i in range(out.size):
            seed = np.zeros(out.size)
            seed[i] = 1.0
            g = vjp(entry, seed.reshape(out.shape)[()], local, inputs, out[()], attrs, position)
            rows.append(np.ravel(np.broadcast_to(unbroadcast(g, x.shape), x.shape)))
    return np.array(rows, dtype=np.float64).reshape(out.size, x.size)


# ---- shared helpers ---------------------------------------------------------------

_ONE = np.float64(1.0)


def _finite_scalar(x: Array) -> bool:
    return type(x) is np.float64 and math.isfinite(x)


def masked(upstream: Array, local: Array, hard_zero) -> Array:
    product = upstream * local
    if hard_zero is None or _finite_scalar(upstream) or np.all(np.isfinite(upstream)):
        return product  # a finite upstream times 0 is 0 already
    return np.where(hard_zero, 0.0, product)[()]


def zero_where_local_is(upstream, local, inputs, out, attrs, position) -> Array:
    """relu, maximum/minimum, max/min: every zero local gradient is a mask in torch."""
    if _finite_scalar(upstream):  # the common case, kept cheap
        return upstream * local
    return masked(upstream, local, local == 0)


def ones(x: Array) -> Array:
    return _ONE if type(x) is np.float64 else np.ones_like(x, dtype=np.float64)


def number_first(name: str):
    """A ``grad_fn_rule``: torch's grad_fn is ``name`` when the learner wrote the number
    first (``2 - x`` RsubBackward1, ``2 / x`` MulBackward0, ``2 ** x`` PowBackward2)."""
    return lambda attrs, ndims, first: name if first else None


def like(x: Array, out: Array) -> Array:
    """``x`` spread to the output's shape (a scalar output keeps the scalar)."""
    if type(out) is np.float64:
        return x
    return np.broadcast_to(x, np.shape(out)) + 0.0


def near(x: Array, tol: float, at: float = 0.0) -> bool:
    return bool(np.any(np.abs(np.asarray(x) - at) <= tol))


def check_dim(dim: int, ndim: int, what: str) -> int:
    """A ``dim=`` argument, as torch reads it (negative counts from the end)."""
    rank = max(ndim, 1)
    if not -rank <= dim < rank:
        raise ShapeError(f"{what}: dim={dim} is out of range for a tensor of {ndim} "
                         f"dimension{'s' if ndim != 1 else ''} (use {-rank} to {rank - 1})")
    return dim % rank
