"""Which registry op a recorded torch call is, and which calls stay torch's rule."""

from __future__ import annotations

import pytest

from core.record.calls import map_call


@pytest.mark.parametrize("name, inputs, kwargs, key", [
    ("torch.Tensor.mul", [0, 1], {}, "mul"),
    ("torch.Tensor.__rsub__", [0, {"const": 1}], {}, "sub"),
    ("torch.Tensor.add_", [0, {"const": 2}], {}, "add"),
    ("torch.Tensor.__pow__", [0, {"const": 2}], {}, "powc"),
    ("torch.Tensor.pow", [0, 1], {}, "pow"),
    ("torch.nn.functional.relu", [0], {"inplace": False}, "relu"),
    ("torch.sigmoid", [0], {}, "sigmoid"),
    ("torch.Tensor.sum", [0], {}, "sum"),
    ("torch.mean", [0, {"const": 1}], {}, "mean"),
    ("torch.max", [0, {"const": 1}], {}, "max"),
    ("torch.softmax", [0], {"dim": 1}, "softmax"),
    ("torch.nn.functional.softmax", [0], {"dim": 1, "_stacklevel": 5, "dtype": None},
     "softmax"),
    ("torch.nn.functional.cross_entropy", [0, 1], {"weight": None, "ignore_index": -100,
                                                   "reduction": "mean",
                                                   "label_smoothing": 0.0}, "cross_entropy"),
    ("torch.nn.functional.mse_loss", [0, 1], {"reduction": "mean"}, "mse_loss"),
    ("torch.Tensor.T.__get__", [0], {}, "transpose"),
    ("torch.Tensor.view", [0, {"const": -1}], {}, "view"),
])
def test_known_calls_map_to_registry_ops(name, inputs, kwargs, key):
    mapped = map_call(name, inputs, kwargs, {0: (2, 3), 1: (2, 3)})
    assert mapped is not None and mapped.steps[-1][0] == key


def test_swapped_operands_keep_torch_s_order():
    (step,) = map_call("torch.Tensor.__rsub__", [0, {"const": 1}], {}, {}).steps
    assert step[1] == [("const", 1), 0]  # 1 - x


def test_linear_is_x_times_w_transposed_plus_b():
    steps = map_call("torch.nn.functional.linear", [0, 1, 2], {}, {}).steps
    assert [s[0] for s in steps] == ["transpose", "matmul", "add"]


@pytest.mark.parametrize("name, inputs, kwargs", [
    ("torch.nn.functional.conv2d", [0, 1], {"groups": 2}),  # conv2d maps; groups does not
    ("torch.add", [0, 1], {"alpha": 2}),
    ("torch.nn.functional.mse_loss", [0, 1], {"reduction": "sum"}),
    ("torch.nn.functional.cross_entropy", [0, 1], {"label_smoothing": 0.1}),
    ("torch.sum", [0, {"const": [0, 1]}], {}),
    ("torch.clamp", [0, {"const": 0}], {}),
])
def test_calls_read_differently_stay_torch_s_rule(name, inputs, kwargs):
    assert map_call(name, inputs, kwargs, {}) is None
