"""Which registry op a recorded torch call is: ``Tensor.mul`` is ``mul``, ``F.linear``
is ``x @ Wᵀ + b``. A call with arguments we do not read (``alpha=``, ``reduction=``,
``weight=``, a tuple of dims) maps to nothing: it stays torch's rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.record.calls_nn import SIGNATURES, map_nn

#: the name's last part (in-place ``_`` and dunders taken off) -> registry op
UNARY = {"neg": "neg", "negative": "neg", "exp": "exp", "log": "log", "sqrt": "sqrt",
         "sin": "sin", "cos": "cos", "tanh": "tanh", "sigmoid": "sigmoid", "relu": "relu",
         "abs": "abs", "absolute": "abs"}
BINARY = {"add": "add", "sub": "sub", "subtract": "sub", "mul": "mul", "multiply": "mul",
          "div": "div", "divide": "div", "true_divide": "div", "truediv": "div",
          "matmul": "matmul", "mm": "matmul", "maximum": "maximum", "minimum": "minimum"}
LOSSES = {"mse_loss", "binary_cross_entropy", "cross_entropy", "nll_loss"}
SHAPE = {"reshape", "view", "flatten", "unsqueeze", "squeeze"}
IGNORED_KWARGS = {"_stacklevel", "inplace"}
#: keyword arguments at torch's defaults, which the loss modules always pass on
DEFAULTS = {"ignore_index": -100, "label_smoothing": 0.0, "reduction": "mean"}


@dataclass
class Mapped:
    """Steps (registry key, args, attrs); an arg is a recorded node id, ("const", v) or
    ("step", j) for the j-th step's result. The last step is the call's result."""

    steps: list[tuple[str, list, dict]]


def _base(name: str) -> tuple[str, bool]:
    """``torch.Tensor.__rsub__`` -> ("sub", True): the op and whether operands swap."""
    last = name.rsplit(".", 2)
    base = last[-1] if last[-1] != "__get__" else last[-2]
    if base.startswith("__") and base.endswith("__"):
        base = base[2:-2]
        if base.startswith("r") and base[1:] in ("add", "sub", "mul", "truediv", "div",
                                                 "matmul", "pow"):
            return base[1:], True
        if base.startswith("i") and base[1:] in ("add", "sub", "mul", "truediv", "div",
                                                 "matmul", "pow"):
            return base[1:], False
        return base, False
    if base.endswith("_"):
        base = base[:-1]
    return base, False


def reflected(name: str) -> bool:
    """``2 - x`` (``Tensor.__rsub__``): the number came first in the learner's operator,
    which torch's grad_fn tells apart (RsubBackward1; ``2 / x`` is MulBackward0)."""
    return _base(name)[1]


def _arg(item):
    """A recorded input as a step argument (None: not a tensor or a plain number)."""
    if isinstance(item, int) and not isinstance(item, bool):
        return item
    if isinstance(item, dict) and isinstance(item.get("const"), (int, float)) \
            and not isinstance(item.get("const"), bool):
        return ("const", item["const"])
    return None


def _dim(inputs, kwargs, position, default=None, key="dim"):
    if key in kwargs:
        return kwargs[key]
    if len(inputs) > position:
        item = inputs[position]
        return item.get("const") if isinstance(item, dict) else "tensor"
    return default


def map_call(name: str, inputs: list, kwargs: dict, shapes: dict) -> Mapped | None:
    """The registry steps for one recorded call, or None (torch's rule)."""
    base, swap = _base(name)
    if base in SIGNATURES:  # conv2d, the pools, leaky_relu, elu, softplus, gelu
        found = map_nn(base, inputs, kwargs)
        return None if found is None else Mapped([found])
    # defaults torch's Python wrappers pass on (size_average=None, _stacklevel=3)
    kwargs = {k: v for k, v in kwargs.items()
              if v is not None and k not in IGNORED_KWARGS and DEFAULTS.get(k, ()) != v}
    args = [_arg(i) for i in inputs]
    if not args or args[0] is None and base not in ("add", "mul", "sub", "div", "pow"):
        return None
    if base in UNARY and len(args) == 1 and not kwargs.keys() - {"inplace"}:
        return Mapped([(UNARY[base], [args[0]], {})])
    if base in ("t", "T", "mT") or base == "transpose" and len(args) == 3:
        dims = (0, 1) if base != "transpose" else (args[1][1], args[2][1]) \
            if all(isinstance(a, tuple) for a in args[1:]) else None
        if dims is None or kwargs or base == "T" and len(shapes.get(args[0], ())) != 2:
            return None
        # the form the learner wrote: torch's grad_fn is TBackward0 for .t(),
        # PermuteBackward0 for .T, TransposeBackward0 for .transpose and .mT
        form = {"t": ".t()", "T": ".T"}.get(base, "transpose")
        return Mapped([("transpose", [args[0]], {"dims": dims, "form": form})])
    if base in BINARY and len(args) == 2 and None not in args and not kwargs:
        if BINARY[base] == "matmul" and any(isinstance(a, tuple) for a in args):
            return None
        a, b = (args[1], args[0]) if swap else (args[0], args[1])
        attrs = {"form": "@"} if BINARY[base] == "matmul" else {}
        return Mapped([(BINARY[base], [a, b], attrs)])
    if base == "pow" and len(args) == 2 and None not in args and not kwargs:
        a, b = (args[1], args[0]) if swap else (args[0], args[1])
        if isinstance(b, tuple):
            return Mapped([("powc", [a], {"k": float(b[1])})])
        return Mapped([("pow", [a, b], {})])
    if base == "linear" and len(args) in (2, 3) and None not in args and not kwargs:
        steps = [("transpose", [args[1]], {"dims": (0, 1), "form": ".T"}),
                 ("matmul", [args[0], ("step", 0)], {"form": "@"})]
        if len(args) == 3:
            steps.append(("add", [("step", 1), args[2]], {}))
        return Mapped(steps)
    if base in ("sum", "mean", "max", "min"):
        return _reduction(base, inputs, kwargs, args)
    if base in ("softmax", "log_softmax"):
        dim = _dim(inputs, kwargs, 1)
        if not isinstance(dim, int) or kwargs.keys() - {"dim"} or len(inputs) > 2:
            return None
        return Mapped([(base, [args[0]], {"dim": dim})])
    if base in LOSSES and len(args) == 2 and None not in args:
        if kwargs.get("reduction", "mean") != "mean" or kwargs.keys() - {"reduction"}:
            return None
        return Mapped([(base, [args[0], args[1]], {})])
    if base in SHAPE:
        return _shape(base, inputs, kwargs, args)
    return None


def _reduction(base, inputs, kwargs, args) -> Mapped | None:
    if kwargs.keys() - {"dim", "keepdim"} or len(inputs) > 3:
        return None
    if base in ("max", "min") and len(args) == 2 and isinstance(args[1], int):
        return Mapped([("maximum" if base == "max" else "minimum", [args[0], args[1]], {})])
    dim = _dim(inputs, kwargs, 1)
    keepdim = _dim(inputs, kwargs, 2, False, "keepdim")
    if dim is not None and not isinstance(dim, int) or not isinstance(keepdim, bool):
        return None
    attrs = {} if dim is None else {"dim": dim, "keepdim": keepdim}
    return Mapped([(base, [args[0]], attrs)])


def _shape(base, inputs, kwargs, args) -> Mapped | None:
    rest = [i.get("const") if isinstance(i, dict) else None for i in inputs[1:]]
    if base in ("reshape", "view"):
        if kwargs.keys() - {"shape"}:
            return None
        shape = kwargs.get("shape", rest[0] if len(rest) == 1 and isinstance(rest[0], list)
                           else rest)
        if not shape or not all(isinstance(s, int) and not isinstance(s, bool) for s in shape):
            return None
        return Mapped([(base, [args[0]], {"shape": tuple(shape)})])
    if base == "flatten":
        start = kwargs.get("start_dim", rest[0] if rest else 0)
        end = kwargs.get("end_dim", rest[1] if len(rest) > 1 else -1)
        if not isinstance(start, int) or not isinstance(end, int):
            return None
        return Mapped([("flatten", [args[0]], {"start_dim": start, "end_dim": end})])
    dim = kwargs.get("dim", rest[0] if rest else None)
    if base == "unsqueeze" and isinstance(dim, int):
        return Mapped([("unsqueeze", [args[0]], {"dim": dim})])
    if base == "squeeze" and (dim is None or isinstance(dim, int)):
        return Mapped([("squeeze", [args[0]], {} if dim is None else {"dim": dim})])
    return None
