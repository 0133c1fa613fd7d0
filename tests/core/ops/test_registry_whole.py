"""Every entry holds what the app says about its op, and the derived tables say the same.

The tables below are what the app used to keep by hand beside the entries (the call
names, torch's grad_fns, the dtype rule): derived now, they must not have changed.
The script interpreter's own tables (retired with it) must agree with the entries.
"""

from __future__ import annotations

import pytest

from core.engine.explain import TEMPLATES
from core.language import calls
from core.language import parser as language
from core.ops import GRAD_FNS, OPS, SPELLINGS, UNARY_FUNCTIONS

BEFORE_GRAD_FNS = {
    "add": "AddBackward0", "sub": "SubBackward0", "mul": "MulBackward0",
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


def test_the_call_tables_are_as_they_were():
    assert tuple(UNARY_FUNCTIONS) == ("exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid",
                                      "relu", "abs", "sum", "mean")
    assert set(language.FUNCTIONS) == {*UNARY_FUNCTIONS, "max", "min", "softmax",
                                       "log_softmax"}
    assert set(calls.F_FUNCTIONS) == {
        "relu", "sigmoid", "tanh", "softmax", "log_softmax", "mse_loss",
        "binary_cross_entropy", "cross_entropy", "nll_loss", "leaky_relu", "elu",
        "softplus", "gelu", "dropout", "conv2d", "max_pool2d", "avg_pool2d"}
    assert tuple(calls.MATMULS) == ("matmul", "mm", "mv", "dot")
    assert set(calls.SHAPE_METHODS) == {"t", "transpose", "reshape", "view", "flatten",
                                        "unsqueeze", "squeeze"}
    assert set(calls.TENSOR_CALLS) == {*calls.MATMULS, *calls.SHAPE_METHODS, "softmax",
                                       "log_softmax", "mse_loss", "binary_cross_entropy",
                                       "cross_entropy", "nll_loss"}
    assert set(SPELLINGS) == {"leaky_relu", "elu", "softplus", "gelu", "dropout", "conv2d",
                              "max_pool2d", "avg_pool2d"}
    assert "param" in language.RESERVED and "exp" in language.RESERVED
    assert "w" not in language.RESERVED


def test_grad_fns_keep_their_names_and_add_the_newer_ops():
    assert {k: GRAD_FNS[k] for k in BEFORE_GRAD_FNS} == BEFORE_GRAD_FNS


@pytest.mark.parametrize(("key", "name"), [
    ("leaky_relu", "LeakyReluBackward0"), ("elu", "EluBackward0"),
    ("softplus", "SoftplusBackward0"), ("gelu", "GeluBackward0"),
    ("conv2d", "ConvolutionBackward0"), ("max_pool2d", "MaxPool2DWithIndicesBackward0"),
    ("avg_pool2d", "AvgPool2DBackward0")])
def test_the_newer_ops_grad_fns_are_torchs(torch, key, name):
    x = torch.randn(1, 1, 4, 4, requires_grad=True)
    w = torch.randn(1, 1, 2, 2, requires_grad=True)
    f = getattr(torch.nn.functional, key)
    out = f(x, w) if key == "conv2d" else f(x, 2) if "pool" in key else f(x)
    assert out.grad_fn.name() == name
    assert GRAD_FNS[key] == name


def test_every_op_is_explained_from_its_entry():
    for key, entry in OPS.items():
        assert entry.why, key
        assert TEMPLATES[f"why.{key}"] == entry.why
        assert (f"rule.{key}" in TEMPLATES) == bool(entry.rule)


def test_every_called_op_says_where_it_may_be_written():
    for key, entry in OPS.items():
        assert set(entry.forms) <= {"name", "torch", "F", "method"}, key
        assert bool(entry.names) == bool(entry.forms), key
        assert (entry.reader == "spelled") == (entry.spelling is not None), key


def test_the_templates_keep_the_translation_files_order():
    """tools/update_translations.py lists them in this order: the first lessons' why and
    rule sentences after the local step's, the later ops' at the end."""
    keys = list(TEMPLATES)
    assert len(keys) == len(set(keys)) == len(TEMPLATES)
    at = keys.index("local.vjp")
    assert keys[at + 1:at + 3] == ["why.add", "why.sub"]
    assert keys.index("rule.min") + 1 == keys.index("rule.forward")
    assert keys[-1] == "why.torch_rule" and keys.index("none.backward") < keys.index(
        "why.leaky_relu")
