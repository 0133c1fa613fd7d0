"""dtypes in scripts (issue 12, points 3 and 4): float64 and long print as torch prints
them, ops follow torch's type promotion, and ``w.copy_(…)`` updates a leaf in place."""

from __future__ import annotations

import pytest

from core.base.errors import ExpressionError
from core.script import run_script
from core.script_check import run_checked
from core.script_values import LEAF_ERROR
from tests.core.test_script import real_torch

DTYPES = """import torch
a = torch.tensor(1.23456789, dtype=torch.float64)
b = torch.tensor([1, 2, 3])
c = torch.tensor([1.5, 2.5], dtype=torch.float64, requires_grad=True)
n = torch.tensor([2, 0, 1], dtype=torch.long)
for i in range(1):
    print(a)
    print(b)
    print(b * 2)
    print(b / 2)
    print(b.float())
    print(c)
    print(c * 2)
    print(c * a)
    print(n.float() * torch.tensor([1.0, 2.0, 3.0]))
    print(b + 0.5)
    print(c.sum())
    print(b.sum())
    print(f'{a:.6f} {a.item()} {b.sum().item()} {c.sum()}')
    print(a * torch.tensor([1.0, 2.0]))
    print(b.eq(n))
    print(b.eq(n).sum())
    print(c.detach())
    print(torch.tensor([0.1, 2.0], dtype=torch.float64))
    print((c * 2).round())
    print((c * 2).detach().float())
    print(torch.tensor([1.26, -0.5]).float())
    with torch.no_grad():
        print((c * 2).round())
"""


def test_float64_and_long_print_as_torch_prints_them(tmp_path):
    path = tmp_path / "dtypes.py"
    path.write_text(DTYPES, encoding="utf-8")
    theirs = real_torch(path)
    assert theirs.returncode == 0, theirs.stderr
    run = run_checked(DTYPES)
    assert run.prints == theirs.stdout.splitlines()
    assert run.torch["printed"] == theirs.stdout.splitlines()


FLOAT64 = """import torch
x = torch.tensor([0.5, 1.0, 1.5, 2.0], dtype=torch.float64)
y = torch.tensor([1.0, 1.9, 3.2, 3.9], dtype=torch.float64)
w = torch.tensor([0.1], dtype=torch.float64, requires_grad=True)
b = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
optimizer = torch.optim.Adam([w, b], lr=0.1)
for epoch in range(40):
    l = ((w * x + b - y) ** 2).mean()
    optimizer.zero_grad()
    l.backward()
    optimizer.step()
print(w, b)
print(f'{l.item():.10f}')
"""


def test_a_float64_script_is_checked_in_float64_tightly(tmp_path):
    run = run_checked(FLOAT64)
    assert run.torch["dtype"] == "float64"
    assert all(r.torch_match for r in run.rows)
    for row, theirs in zip(run.rows, run.torch["rows"], strict=True):
        assert theirs["loss"] == pytest.approx(row.loss, rel=1e-12)
        assert float(theirs["updated"]["b"]) == pytest.approx(float(row.updated["b"]),
                                                              rel=1e-10, abs=1e-14)
    path = tmp_path / "float64.py"
    path.write_text(FLOAT64, encoding="utf-8")
    theirs = real_torch(path)
    assert run.torch["printed"] == theirs.stdout.splitlines()
    assert run.prints[-1] == theirs.stdout.splitlines()[-1]  # ten digits: float64's


COPY = """import torch
x = torch.tensor([1.0, 2.0, 3.0])
y = torch.tensor([2.0, 4.0, 6.0])
w = torch.tensor(0.5, requires_grad=True)
for epoch in range(3):
    l = ((w * x - y) ** 2).mean()
    l.backward()
    with torch.no_grad():
        w.copy_(w - 0.1 * w.grad)
    w.grad.zero_()
    print(w)
"""


def test_copy_updates_the_same_leaf_in_place(tmp_path):
    run = run_checked(COPY)
    path = tmp_path / "update_in_place.py"
    path.write_text(COPY, encoding="utf-8")
    theirs = real_torch(path)
    assert run.prints == theirs.stdout.splitlines() == run.torch["printed"]
    assert all(r.torch_match for r in run.rows)
    entry = run.rows[0].update["params"]["w"]
    # by hand: d/dw mean((w x - y)²) at w = 0.5 is mean(2 x (w x - y)) = -14
    assert entry["line"] == "w.copy_(w - 0.1 * w.grad)"
    assert float(entry["grad"]) == pytest.approx(-14.0)
    assert float(entry["after"]) == pytest.approx(0.5 + 1.4)
    assert float(run.rows[1].params["w"]) == pytest.approx(1.9)
    assert "w.copy_(w - (0.1 * w.grad))  # line 9" in run.torch["code"]


def test_copy_outside_no_grad_is_torchs_leaf_error_at_its_line(tmp_path):
    text = COPY.replace("    with torch.no_grad():\n        w.copy_", "    if True:\n"
                        "        w.copy_")
    path = tmp_path / "update_outside.py"
    path.write_text(text, encoding="utf-8")
    theirs = real_torch(path)
    assert theirs.returncode != 0 and LEAF_ERROR in theirs.stderr
    with pytest.raises(ExpressionError) as info:
        run_checked(text)
    assert info.value.line == 9 and info.value.message == LEAF_ERROR


def test_copy_of_a_wrong_shape_is_an_error_at_its_line():
    text = COPY.replace("w.copy_(w - 0.1 * w.grad)", "w.copy_(x)")
    with pytest.raises(ExpressionError) as info:
        run_script(text, check_torch=False)
    assert info.value.line == 9 and "cannot be copied" in info.value.message


def test_float_of_a_float64_tensor_that_needs_a_gradient_is_refused_at_its_line():
    text = ("import torch\nc = torch.tensor([1.5], dtype=torch.float64, requires_grad=True)\n"
            "for i in range(1):\n    l = (c * 2).float().sum()\n")
    with pytest.raises(ExpressionError) as info:
        run_script(text, check_torch=False)
    assert info.value.line == 4 and ".float()" in info.value.message


GRAD_FNS = """import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(2)
w = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
v = torch.tensor([1.0, -2.0], requires_grad=True)
lin = nn.Linear(2, 3)
flat = nn.Linear(2, 3, bias=False)
for i in range(1):
    print(w.T)
    print(w.t())
    print(w @ w)
    print(w @ v)
    print(v @ v)
    print(lin(w))
    print(lin(v))
    print(flat(w))
    print(F.cross_entropy(w, torch.tensor([0, 1])))
    print(F.binary_cross_entropy(torch.sigmoid(v), torch.tensor([0.0, 1.0])))
    print(torch.softmax(w, dim=1))
    print(w.max())
    print(w.sum(dim=1))
    print(w.mean(dim=0))
    print(2 - w)
    print(torch.sqrt(w))
    print(torch.abs(v))
    print(F.mse_loss(w, torch.tensor([[0.0, 1.0], [2.0, 3.0]])))
"""


def test_grad_fns_print_as_torch_names_them(tmp_path):
    """Where torch's name depends on more than the op: ``w.T`` and ``w.t()``, matmul by
    the operands' dimensions, nn.Linear's fused addmm, ``2 - w``, a sum along a dim."""
    path = tmp_path / "grad_fns.py"
    path.write_text(GRAD_FNS, encoding="utf-8")
    theirs = real_torch(path)
    assert theirs.returncode == 0, theirs.stderr
    run = run_checked(GRAD_FNS)
    assert run.prints == theirs.stdout.splitlines()
    assert run.torch_error is None and len(run.torch["printed"]) == len(run.prints)
