"""A tensor's own methods in a script: ``.round()``, ``.eq(y)``, ``.float()``, ``.item()``
and ``.detach()``, each with torch's dtype and recorded on the torch tape."""

from __future__ import annotations

import ast

import numpy as np

from core.script_values import Tensor

TENSOR_METHODS = frozenset({"round", "eq", "float", "item", "detach"})
#: what :meth:`TensorMethods.tensor_method` gives back for a call it does not take
NOT_HANDLED = object()


class TensorMethods:
    """Mixed into the interpreter (through core.script_expr.Expressions)."""

    def tensor_method(self, node: ast.Call, func: ast.Attribute):
        if func.attr in ("round", "eq", "float") \
                and not node.keywords and len(node.args) == (func.attr == "eq"):
            owner = self.value(func.value)
            if isinstance(owner, Tensor) and func.attr == "float" and owner.dtype == "float32":
                return owner  # torch's .float() of a float32 tensor is the tensor itself
            if isinstance(owner, Tensor) and func.attr == "float" and owner.requires_grad \
                    and not self.no_grad:
                raise self.error(node, ".float() of a tensor that needs a gradient is not "
                                 "supported here", "make it float32 where it is created")
            if isinstance(owner, Tensor):  # no gradient flows through these, as in torch
                value = np.asarray(owner.value, dtype=np.float64)
                extra, dtype = (), {"round": owner.dtype, "eq": "bool", "float": "float32"}[
                    func.attr]
                if func.attr == "round":
                    value = np.round(value)  # half to even, as torch.round
                elif func.attr == "eq":
                    given = self.value(node.args[0])
                    other = given.value if isinstance(given, Tensor) else given
                    if not isinstance(other, (int, float, np.ndarray, np.floating)):
                        raise self.error(node.args[0], ".eq() compares with a tensor or number")
                    value = (value == np.asarray(other, dtype=np.float64)).astype(np.float64)
                    extra = (self.rec.operand(given),)
                made = Tensor(value[()], dtype=dtype)
                if func.attr == "round" and owner.requires_grad and not self.no_grad:
                    made.grad_fn = "RoundBackward0"  # torch's, whose gradient is 0
                return self.rec.derive(made, func.attr, owner, *extra)
        if func.attr in ("item", "detach") and not node.args:
            owner = self.value(func.value)
            if not isinstance(owner, Tensor):
                raise self.error(node, f".{func.attr}() works on a tensor")
            if func.attr == "detach":
                return self.rec.derive(Tensor(owner.value, dtype=owner.dtype), "detach", owner)
            if np.size(owner.value) != 1:
                raise self.error(node, "a Tensor with more than one element cannot be "
                                 "converted to a number", "use .item() on a single number")
            number = float(np.asarray(owner.value).reshape(()))
            if owner.dtype in ("int64", "bool"):  # torch's item() of an integer: an int
                return bool(number) if owner.dtype == "bool" else int(number)
            return self.rec.item(owner, number)
        return NOT_HANDLED
