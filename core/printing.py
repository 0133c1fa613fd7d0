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
            "mse_loss": "MseLossBackward0"}


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
    if getattr(tensor, "grad_fn", None):
        return text[:-1] + f", grad_fn=<{tensor.grad_fn}>)"
    if tensor.requires_grad:
        extra = "requires_grad=True" if tensor.is_leaf else \
            f"grad_fn=<{GRAD_FNS.get(op or '', '…')}>"
        text = text[:-1] + f", {extra})"
    return text
