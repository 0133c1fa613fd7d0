"""Issue 22's calls (conv2d, the pools, the activation functions) as the recorder maps
them: the arguments torch passes, as the recorder writes them, become our op's attrs, and
an argument our op does not take leaves the call torch's rule."""

from __future__ import annotations

import pytest

from core.record.calls import map_call

NN_CONV = [0, 1, 2, {"const": [1, 1]}, {"const": [1, 1]}, {"const": [1, 1]}, {"const": 1}]
POOL = {"stride": 2, "padding": 0, "dilation": 1, "ceil_mode": False,
        "return_indices": False}


@pytest.mark.parametrize("name, inputs, kwargs, step", [
    ("torch.nn.functional.conv2d", NN_CONV, {},
     ("conv2d", [0, 1, 2], {"stride": (1, 1), "padding": (1, 1), "biased": True})),
    ("torch.nn.functional.conv2d", [0, 1, {"const": None}, {"const": [2, 2]},
                                    {"const": [0, 0]}, {"const": [1, 1]}, {"const": 1}], {},
     ("conv2d", [0, 1], {"stride": (2, 2), "padding": (0, 0), "biased": False})),
    ("torch.conv2d", [0, 1], {"stride": 2},
     ("conv2d", [0, 1], {"stride": 2, "padding": 0, "biased": False})),
    ("torch.nn.functional.conv2d", [0, 1], {"bias": {"node": 2}, "padding": [1, 0]},
     ("conv2d", [0, 1, 2], {"stride": 1, "padding": (1, 0), "biased": True})),
    ("torch.nn.functional.max_pool2d", [0, {"const": 2}], POOL,
     ("max_pool2d", [0], {"kernel_size": 2, "stride": 2, "padding": 0})),
    ("torch.nn.functional.max_pool2d", [0, {"const": 3}], {},
     ("max_pool2d", [0], {"kernel_size": 3, "stride": None, "padding": 0})),
    ("torch.nn.functional.avg_pool2d", [0, {"const": 2}, {"const": 2}, {"const": 0},
                                        {"const": False}, {"const": True}, {"const": None}],
     {}, ("avg_pool2d", [0], {"kernel_size": 2, "stride": 2, "padding": 0,
                              "count_include_pad": True})),
    ("torch.nn.functional.leaky_relu", [0], {"negative_slope": 0.1, "inplace": False},
     ("leaky_relu", [0], {"negative_slope": 0.1})),
    ("torch.nn.functional.elu", [0], {"alpha": 0.5, "inplace": False},
     ("elu", [0], {"alpha": 0.5})),
    ("torch.nn.functional.softplus", [0, {"const": 1.0}, {"const": 20.0}], {},
     ("softplus", [0], {"beta": 1.0, "threshold": 20.0})),
    ("torch.nn.functional.gelu", [0], {"approximate": "tanh"},
     ("gelu", [0], {"approximate": "tanh"})),
    ("torch.nn.functional.dropout", [0], {"p": 0.2, "training": True, "inplace": False,
                                          "mask": {"node": 1}},
     ("dropout", [0, 1], {"p": 0.2, "training": True})),
])
def test_module_and_functional_forms_map_to_issue_22s_ops(name, inputs, kwargs, step):
    mapped = map_call(name, inputs, kwargs, {})
    assert mapped is not None
    assert mapped.steps == [step]


@pytest.mark.parametrize("name, inputs, kwargs", [
    ("torch.nn.functional.conv2d", NN_CONV[:5] + [{"const": [2, 2]}, {"const": 1}], {}),
    ("torch.nn.functional.conv2d", NN_CONV[:6] + [{"const": 2}], {}),
    ("torch.nn.functional.conv2d", [0, 1], {"padding": "same"}),
    ("torch.nn.functional.max_pool2d", [0, {"const": 2}], {**POOL, "ceil_mode": True}),
    ("torch.nn.functional.max_pool2d", [0, {"const": 2}], {**POOL, "return_indices": True}),
    ("torch.nn.functional.max_pool2d", [0, {"const": 2}], {**POOL, "dilation": 2}),
    ("torch.nn.functional.avg_pool2d", [0, {"const": 2}], {"divisor_override": 3}),
    ("torch.nn.functional.gelu", [0], {"approximate": "erf"}),
    ("torch.nn.functional.leaky_relu", [0, 1], {}),  # a tensor slope
    ("torch.nn.functional.elu", [0], {"alpha": 1.0, "scale": 2.0}),
    ("torch.nn.functional.dropout", [0], {"p": 0.5, "training": True}),  # no mask caught
    ("torch.nn.functional.dropout", [0], {"p": 0.5, "training": False, "mask": {"node": 1}}),
    ("torch.nn.functional.dropout", [0], {"p": 0.5, "inplace": True, "mask": {"node": 1}}),
])
def test_arguments_our_ops_do_not_take_stay_torchs_rule(name, inputs, kwargs):
    assert map_call(name, inputs, kwargs, {}) is None
