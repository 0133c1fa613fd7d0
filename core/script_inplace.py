"""``w.copy_(value)`` in a script: new numbers in the same leaf, as torch's in-place copy."""

from __future__ import annotations

import ast

import numpy as np

from core.script_values import LEAF_ERROR, Tensor


class InPlace:
    """Mixed into the interpreter (core/script.py)."""

    def copy_(self, node: ast.Call) -> None:
        """``w.copy_(value)``: new numbers in place, the same leaf (under no_grad)."""
        target = self.value(node.func.value)
        if not isinstance(target, Tensor):
            raise self.error(node, "'.copy_(…)' works on a tensor", "as in w.copy_(w_new)")
        if target.requires_grad and not self.no_grad:
            raise self.error(node, LEAF_ERROR if target.is_leaf else
                             "'.copy_(…)' on a computed tensor is not supported here",
                             "update parameters inside 'with torch.no_grad():'")
        given = self.value(node.args[0])
        source = given.value if isinstance(given, Tensor) else given
        if not isinstance(source, (int, float, np.ndarray, np.floating)):
            raise self.error(node.args[0], "'.copy_(…)' takes a tensor or a number")
        try:
            value = np.broadcast_to(np.asarray(source, dtype=np.float64),
                                    np.shape(target.value))
        except ValueError:
            raise self.error(node.args[0], f"a value of shape {list(np.shape(source))} "
                             f"cannot be copied into shape {list(np.shape(target.value))}"
                             ) from None
        before = np.copy(target.value)
        self.rec.tid(target)  # on the tape with its numbers before the copy
        operand = self.rec.operand(given)
        target.value = np.array(value, dtype=np.float64)[()]
        self.rec.inplace(target, "copy", operand, node.lineno)
        self.record_manual_update(node, target, before)
