"""What ``print(…)`` shows in a script: numbers as Python prints them, tensors as torch does.

Tensors are printed by torch's own formatter, in the tensor's dtype (float32 unless the
script made it float64 or long), when torch may be used; with ``--no-torch`` by the app's
number format instead.
"""

from __future__ import annotations

from core.draws import _allowed
from core.format import format_value
from core.script_dtype import as_numbers
from core.script_values import Tensor

#: torch's grad_fn for the ops a lesson prints most (others show as <…>)
GRAD_FNS = {"add": "AddBackward0", "sub": "SubBackward0", "mul": "MulBackward0",
            "div": "DivBackward0", "rdiv": "MulBackward0", "powc": "PowBackward0",
            "pow": "PowBackward1", "neg": "NegBackward0", "mean": "MeanBackward0",
            "sum": "SumBackward0", "exp": "ExpBackward0", "log": "LogBackward0",
            "sigmoid": "SigmoidBackward0", "tanh": "TanhBackward0", "relu": "ReluBackward0",
            "mse_loss": "MseLossBackward0", "sqrt": "SqrtBackward0", "sin": "SinBackward0",
            "cos": "CosBackward0", "abs": "AbsBackward0", "maximum": "MaximumBackward0",
            "minimum": "MinimumBackward0", "binary_cross_entropy": "BinaryCrossEntropyBackward0",
            "cross_entropy": "NllLossBackward0", "nll_loss": "NllLossBackward0",
            "softmax": "SoftmaxBackward0", "log_softmax": "LogSoftmaxBackward0",
            "max": "MaxBackward1", "min": "MinBackward1", "matmul": "MmBackward0",
            "transpose": "PermuteBackward0"}
#: matmul's grad_fn by the operands' dimensions, as torch names it
_MATMUL = {(2, 2): "MmBackward0", (2, 1): "MvBackward0", (1, 1): "DotBackward0",
           (1, 2): "SqueezeBackward4"}


def grad_fn_of(op: str, attrs: dict, ndims: list[int], number_first: bool) -> str | None:
    """torch's grad_fn where it depends on more than the op (None: ``GRAD_FNS[op]``)."""
    if op == "sub" and number_first:
        return "RsubBackward1"  # 2 - w
    if op in ("sum", "mean") and attrs.get("dim") is not None:
        return "SumBackward1" if op == "sum" else "MeanBackward1"
    if op in ("max", "min") and attrs.get("dim") is not None:
        return "MaxBackward0" if op == "max" else "MinBackward0"
    if op == "matmul" and len(ndims) == 2:
        return _MATMUL.get((min(ndims[0], 2), min(ndims[1], 2)))
    if op == "transpose":
        form = attrs.get("form", ".T")
        return "TBackward0" if form == ".t()" else "PermuteBackward0" if form == ".T" \
            else "TransposeBackward0"
    return None


def linear_grad_fn(ndim: int, bias: bool) -> str:
    """What ``nn.Linear`` leaves: one fused op in torch (addmm), two ops here."""
    if ndim >= 2:
        return "AddmmBackward0" if bias else "MmBackward0"
    return "ViewBackward0" if bias else "SqueezeBackward4"


def show(value, op: str | None = None) -> str:
    """``op``: the op that computed a tensor, for its ``grad_fn=<…>``."""
    if isinstance(value, Tensor):
        return _tensor_text(value, op)
    if isinstance(value, tuple) and all(isinstance(v, int) for v in value):
        return f"torch.Size({list(value)})"
    return str(value)


def _tensor_text(tensor, op: str | None) -> str:
    if not _allowed[-1]:
        return f"tensor({format_value(tensor.value)})"
    try:
        import torch  # noqa: PLC0415
    except Exception:  # a broken install: the app's own format
        return f"tensor({format_value(tensor.value)})"
    dtype = getattr(tensor, "dtype", "float32")
    shown = torch.tensor(as_numbers(tensor.value, dtype), dtype=getattr(torch, dtype))
    text = str(shown)
    if tensor.module_param:
        return f"Parameter containing:\n{text[:-1]}, requires_grad=True)"
    name = getattr(tensor, "grad_fn", None)
    if name is None and tensor.requires_grad and not tensor.is_leaf:
        name = GRAD_FNS.get(op or "", "…")
    if name is not None:
        return text[:-1] + f", grad_fn=<{name}>)"
    if tensor.requires_grad:
        text = text[:-1] + ", requires_grad=True)"
    return text
