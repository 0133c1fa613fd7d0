"""The CNN ops as a program writes them: spellings, arguments, errors and the command line."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

from core.base.errors import ExpressionError
from core.engine.trace import build_trace
from core.language.parser import parse
from tests.core.conftest import assert_same
from tests.headless import in_process

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "resources" / "examples" / "10-conv-pool.json"
HEAD = "import torch\nimport torch.nn.functional as F\n"


def _main(*args: str) -> subprocess.CompletedProcess:
    """``main.py --headless ARGS``, run in this process (tests/headless.py)."""
    return in_process(*args)


def _apply(text: str):
    (statement,) = [s for s in parse(text).statements if getattr(s, "name", "") == "y"]
    return statement.expr


@pytest.mark.parametrize(("call", "key", "attrs"), [
    ("F.conv2d(x, w)", "conv2d", {"stride": 1, "padding": 0, "dilation": 1, "groups": 1}),
    ("torch.conv2d(x, w, None, 2, (1, 0))", "conv2d",
     {"stride": 2, "padding": (1, 0), "dilation": 1, "groups": 1}),
    ("F.max_pool2d(x, 2)", "max_pool2d",
     {"kernel_size": 2, "stride": None, "padding": 0, "dilation": 1, "ceil_mode": False}),
    ("torch.max_pool2d(x, kernel_size=(2, 1), stride=1)", "max_pool2d",
     {"kernel_size": (2, 1), "stride": 1, "padding": 0, "dilation": 1, "ceil_mode": False}),
    ("F.avg_pool2d(x, 3, padding=1, count_include_pad=False)", "avg_pool2d",
     {"kernel_size": 3, "stride": None, "padding": 1, "ceil_mode": False,
      "count_include_pad": False}),
    ("F.leaky_relu(x, 0.2)", "leaky_relu", {"negative_slope": 0.2, "inplace": False}),
    ("F.elu(x, alpha=2)", "elu", {"alpha": 2.0, "inplace": False}),
    ("F.softplus(x, beta=2)", "softplus", {"beta": 2.0, "threshold": 20.0}),
    ("F.gelu(x, approximate='tanh')", "gelu", {"approximate": "tanh"}),
])
def test_spellings_make_the_op_with_its_arguments(call, key, attrs):
    expr = _apply(f"{HEAD}x = param(torch.ones(1, 1, 4, 4))\nw = param(torch.ones(1, 1, 2, 2))\n"
                  f"y = {call}\n")
    assert expr.op == key
    # the family's check takes dilation/groups/ceil_mode/inplace away once they are 1/False
    assert expr.attrs == {k: v for k, v in attrs.items()
                          if k not in ("dilation", "groups", "ceil_mode", "inplace")}


@pytest.mark.parametrize(("call", "message"), [
    ("F.conv2d(x, w, dilation=2)", "conv2d: dilation other than 1 is not supported yet"),
    ("F.conv2d(x, w, groups=2)", "conv2d: groups other than 1 is not supported yet"),
    ("F.conv2d(x, w, stride=0)", "conv2d: stride must be positive, not 0"),
    ("F.conv2d(x, w, padding=-1)", "conv2d: padding must not be negative"),
    ("F.conv2d(x, w, strides=2)", "conv2d does not take the keyword 'strides'"),
    ("F.conv2d(x)", "conv2d needs its weight"),
    ("F.max_pool2d(x)", "max_pool2d needs kernel_size"),
    ("F.max_pool2d(x, 2, padding=2)", "max_pool2d: padding 2 is more than half the window 2"),
    ("F.max_pool2d(x, 2, ceil_mode=True)", "ceil_mode=True is not supported yet"),
    ("F.dropout(x, p=1.5)", "dropout: p is a probability, between 0 and 1, not 1.5"),
    ("F.gelu(x, approximate='fast')", "approximate must be one of 'none', 'tanh'"),
    ("x.conv2d(w)", "'.conv2d()' is not a tensor method here"),
    ("F.conv3d(x, w)", "unknown function 'F.conv3d'"),
])
def test_argument_errors_name_the_place(call, message):
    with pytest.raises(ExpressionError) as info:
        parse(f"{HEAD}x = param(torch.ones(1, 1, 4, 4))\nw = param(torch.ones(1, 1, 2, 2))\n"
              f"y = {call}\n")
    assert message in str(info.value)
    assert info.value.line == 5


def test_cli_gives_values_and_grads_as_nested_lists_matching_torch():
    result = _main("--file", str(EXAMPLE), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["torch"]["match"] is True
    torch = pytest.importorskip("torch")
    session = json.loads(EXAMPLE.read_text())["variables"]
    x = torch.tensor(session["x"]["value"], dtype=torch.float64)
    w = torch.tensor(session["W"]["value"], dtype=torch.float64, requires_grad=True)
    b = torch.tensor(session["b"]["value"], dtype=torch.float64, requires_grad=True)
    m = torch.nn.functional.max_pool2d(torch.relu(torch.nn.functional.conv2d(x, w, b, padding=1)),
                                       2)
    m.sum().backward()
    assert np.shape(data["values"]["h"]) == (1, 1, 5, 5)
    assert_same(data["values"]["m"], m.detach().numpy())
    assert_same(data["grads"]["W"], w.grad.numpy())
    assert_same(data["grads"]["b"], b.grad.numpy())


def test_cli_shape_error_is_exit_2_with_one_line_naming_both_shapes_and_the_place():
    text = (f"{HEAD}x = torch.ones(2, 3, 6, 7)\nw = param(torch.ones(1, 1, 3, 3))\n"
            "y = F.conv2d(x, w)\n")
    result = _main("--expr", text, "--json")
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1
    assert "line 5" in lines[0]
    assert "conv2d(x, w): the input 2×3×6×7 has 3 channels but the weight 1×1×3×3 expects 1" \
        in lines[0]


def test_cli_argument_error_is_exit_2():
    text = f"{HEAD}x = torch.ones(1, 1, 6, 7)\nw = param(torch.ones(1, 1, 3, 3))\n" \
           "y = F.conv2d(x, w, dilation=2)\n"
    result = _main("--expr", text)
    assert result.returncode == 2
    assert "line 5" in result.stderr and "not supported yet" in result.stderr


def test_flatten_with_start_dim_in_both_spellings():
    trace = build_trace(parse(f"{HEAD}x = param(torch.ones(2, 3, 4))\na = torch.flatten(x, 1)\n"
                              "b = x.flatten(start_dim=1)\nloss = (a * b).sum()\n"))
    values = {n.name: n.value for n in trace.graph.nodes if n.name}
    assert np.shape(values["a"]) == np.shape(values["b"]) == (2, 12)


def test_dropout_declares_its_mask_as_data_before_its_line():
    program = parse(f"{HEAD}torch.manual_seed(0)\nx = param(torch.ones(2, 3))\n"
                    "d = F.dropout(x * 2, 0.5)\ne = F.dropout(d, 0.5)\n")
    names = [getattr(s, "name", None) for s in program.statements]
    assert names == ["x", "dropout_mask", "d", "dropout_mask2", "e"]
    masks = program.declared
    assert masks["dropout_mask"].role == "data"
    assert set(np.unique(masks["dropout_mask"].value)) <= {0.0, 1.0}


def test_dropout_of_an_unknown_shape_is_a_clear_error():
    with pytest.raises(ExpressionError, match="the shape of its input is not known"):
        parse(f"{HEAD}d = F.dropout(x, 0.5)\n")
