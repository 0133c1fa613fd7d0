"""What ``print(…)`` shows in a script: numbers as Python prints them, tensors as torch does.

Tensors are printed by torch's own formatter, in the tensor's dtype (float32 unless the
script made it float64 or long), when torch may be used; with ``--no-torch`` by the app's
number format instead.
"""

from __future__ import annotations

from core.base.format import format_value
from core.language.draws import _allowed
from core.ops import OPS, index
from core.script_dtype import as_numbers
from core.script_values import Tensor

#: torch's grad_fn per op, from the op entries (an op without one shows as <…>)
GRAD_FNS = index.GRAD_FNS


def grad_fn_of(op: str, attrs: dict, ndims: list[int], number_first: bool) -> str | None:
    """torch's grad_fn where it depends on more than the op (None: ``GRAD_FNS[op]``),
    by the entry's ``grad_fn_rule``."""
    entry = OPS.get(op)
    if entry is None or entry.grad_fn_rule is None:
        return None
    return entry.grad_fn_rule(attrs, ndims, number_first)


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
