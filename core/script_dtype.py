"""torch's dtypes for a script's tensors: float32 unless the script says otherwise, and
torch's type promotion for the results of ops (the three the language knows, and bool
from ``.eq()``), so that print(…) shows what torch shows."""

from __future__ import annotations

import numpy as np

#: the language's dtype names (core.language.parser.DTYPES' values) as torch names them
TORCH_NAMES = {"float32": "float32", "float64": "float64", "long": "int64"}
_CATEGORY = {"bool": 0, "int64": 1, "float32": 2, "float64": 2}
#: ops that give a float from integers (true division, transcendental functions, means)
FLOAT_OPS = frozenset({"div", "rdiv", "exp", "log", "sigmoid", "tanh", "sqrt", "mean",
                       "softmax", "log_softmax", "mse_loss", "binary_cross_entropy",
                       "cross_entropy", "powc", "pow", "sin", "cos"})


def promote(op: str, tensors: list[tuple[str, int]], numbers: list) -> str:
    """``tensors``: (dtype, ndim) of the tensor operands; ``numbers``: the plain ones.
    Dimensioned tensors decide over 0-dim ones, and those over Python numbers, within
    the highest category (bool < integer < float) any operand has."""
    kinds = [_CATEGORY[d] for d, _ in tensors]
    kinds += [0 if isinstance(n, bool) else 1 if isinstance(n, int) else 2 for n in numbers]
    category = max(kinds, default=2)
    result = None
    for group in ([d for d, n in tensors if n], [d for d, n in tensors if not n]):
        found = [d for d in group if _CATEGORY[d] == category]
        if found:
            result = "float64" if "float64" in found else found[0]
            break
    if result is None:
        result = ("bool", "int64", "float32")[category]
    if op in FLOAT_OPS and _CATEGORY[result] < 2:
        return "float32"
    if op == "sum" and result == "bool":
        return "int64"
    return result


def of_literal(node) -> str:
    """``torch.tensor([1, 2])`` is int64, ``torch.tensor([1.0, 2])`` float32."""
    import ast  # noqa: PLC0415

    numbers = [n.value for n in ast.walk(node) if isinstance(n, ast.Constant)]
    if numbers and all(isinstance(v, bool) for v in numbers):
        return "bool"
    if numbers and all(isinstance(v, int) for v in numbers):
        return "int64"
    return "float32"


def as_numbers(value, dtype: str):
    """The numbers of a tensor for torch.tensor(…) in its dtype."""
    array = np.asarray(value, dtype=np.float64)
    if dtype == "int64":
        return array.astype(np.int64).tolist()
    if dtype == "bool":
        return array.astype(bool).tolist()
    return array.tolist()
