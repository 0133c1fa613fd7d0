"""What ``print(…)`` shows in a script: numbers as Python prints them, tensors as torch does.

Tensors are printed by torch's own formatter (float32, the scripts' default dtype) when
torch may be used; with ``--no-torch`` by the app's number format instead.
"""

from __future__ import annotations

import numpy as np

from core.draws import _allowed
from core.format import format_value


def show(value) -> str:
    from core.script_values import Tensor  # noqa: PLC0415

    if isinstance(value, Tensor):
        return _tensor_text(value)
    if isinstance(value, tuple) and all(isinstance(v, int) for v in value):
        return f"torch.Size({list(value)})"
    return str(value)


def _tensor_text(tensor) -> str:
    if not _allowed[-1]:
        return f"tensor({format_value(tensor.value)})"
    try:
        import torch  # noqa: PLC0415
    except Exception:  # a broken install: the app's own format
        return f"tensor({format_value(tensor.value)})"
    shown = torch.tensor(np.asarray(tensor.value, dtype=np.float64).tolist(),
                         dtype=torch.float32)
    text = str(shown)
    if tensor.requires_grad:
        extra = "requires_grad=True" if tensor.is_leaf else "grad_fn=<…>"
        text = text[:-1] + f", {extra})"
    return text
