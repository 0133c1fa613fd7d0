"""The declarations of a program: ``param(v)``, ``torch.tensor(v[, requires_grad=True])``,
a constructor such as ``torch.zeros(2, 3, requires_grad=True)``, and the literal numbers
and lists they hold (read by the parser, :mod:`core.language.parser`, never evaluated).
"""

from __future__ import annotations

import ast

import numpy as np

from core.base.errors import short
from core.base.values import MAX_ENTRIES
from core.language.calls import CONSTRUCTORS
from core.language.ir import Literal

MAX_VECTOR = MAX_ENTRIES  # a list or tensor: 10⁶ numbers (a 784×128 weight is 100,352)
#: dtype= in torch.tensor(…): the known ones (and their aliases), read, never evaluated
DTYPES = {"float32": "float32", "float": "float32", "float64": "float64",
          "double": "float64", "long": "long", "int64": "long"}


class DeclarationReader:
    """The parser's declarations (a mixin of core.language.parser's parser: ``self.expr``,
    ``self.resolve``, ``self.error``, ``self.construct`` and ``self.draws`` are its)."""

    def declaration(self, node: ast.expr, name: str) -> tuple[str, np.ndarray] | None:
        """``param(v)``, ``torch.tensor(v[, requires_grad=True])`` or a constructor such as
        ``torch.zeros(2, 3, requires_grad=True)``; None for anything else."""
        if not isinstance(node, ast.Call):
            return None
        func = node.func
        is_param = isinstance(func, ast.Name) and func.id == "param"
        callee = self.resolve(func)
        is_tensor = callee == "torch.tensor"
        if callee is not None and callee.startswith("torch.") \
                and callee[6:] in CONSTRUCTORS:
            value, grad = self.construct(callee[6:], node, self.draws)
            return ("parameter" if grad else "data"), value
        if not (is_param or is_tensor):
            return None
        what = "param" if is_param else "torch.tensor"
        if len(node.args) != 1:
            raise self.error(node, f"{what}(…) takes one value",
                             "as in param(1.0) or torch.tensor([1.0, 2.0])")
        role = "parameter" if is_param else "data"
        for kw in node.keywords:
            if is_tensor and kw.arg == "requires_grad":
                flag = kw.value
                if not (isinstance(flag, ast.Constant) and isinstance(flag.value, bool)):
                    raise self.error(flag, "requires_grad must be True or False")
                role = "parameter" if flag.value else "data"
            elif is_tensor and kw.arg == "dtype":
                self.dtype(kw.value)  # float64 here; class labels are found by their use
            else:
                raise self.error(kw, f"{what}(…) does not take '{short(str(kw.arg))}'",
                                 "only requires_grad=True is understood")
        value = self.literal_value(node.args[0])
        if value is None:
            raise self.error(node.args[0], f"{what}(…) needs a number or a list of numbers")
        return role, value

    def dtype(self, node: ast.expr) -> str:
        """``torch.float32``, ``torch.float64``, ``torch.long`` or an alias; else an error here."""
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id == "torch" and node.attr in DTYPES:
            return DTYPES[node.attr]
        raise self.error(node, "dtype must be torch.float32, torch.float64 or torch.long",
                         "or leave it out: values are read as float64")

    def literal_value(self, node: ast.expr) -> np.ndarray | None:
        """A number, a folded constant expression, or (nested) lists of those."""
        if isinstance(node, ast.List):
            counted = [0]
            value = self._nested_list(node, 0, counted)
            return np.array(value, dtype=np.float64)
        folded = self.expr(node, 0)
        return folded.value if isinstance(folded, Literal) else None

    def _nested_list(self, node: ast.List, depth: int, counted: list[int]):
        """Rows of equal length, as torch.tensor takes them; at most MAX_VECTOR numbers."""
        if not node.elts:
            raise self.error(node, "an empty list has no values")
        if depth > 8:
            raise self.error(node, "lists are nested more than 8 deep")
        if isinstance(node.elts[0], ast.List):
            rows = []
            for element in node.elts:
                if not isinstance(element, ast.List):
                    raise self.error(element, "a list holds plain numbers, or rows that are "
                                     "all lists", "as in [[1, 2], [3, 4]]")
                rows.append(self._nested_list(element, depth + 1, counted))
                if np.shape(rows[-1]) != np.shape(rows[0]):
                    raise self.error(element, f"the rows have different lengths "
                                     f"({len(rows[0])} and {len(rows[-1])})",
                                     "every row of a matrix needs as many numbers")
            return rows
        counted[0] += len(node.elts)
        if counted[0] > MAX_VECTOR:
            raise self.error(node, f"a tensor may hold at most {MAX_VECTOR:,} numbers")
        items = []
        for element in node.elts:
            folded = self.expr(element, 1) if not isinstance(element, ast.List) else None
            if not isinstance(folded, Literal) or np.ndim(folded.value) != 0:
                raise self.error(element, "a list holds plain numbers, or rows of equal length",
                                 "as in [1.0, 2.0, 3.0] or [[1, 2], [3, 4]]")
            items.append(float(folded.value))
        return items
