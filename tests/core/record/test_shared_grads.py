"""A pass no --keep asks for takes its parameters' gradients from their .grad, without the
copy autograd makes while the recorder holds the gradient (issue 20 §2). Whatever the
script then does to .grad in place (clip_grad_norm_, zero_grad(set_to_none=False),
``.grad.zero_()``, ``.grad.data.zero_()``), the last pass keeps the gradient backward()
gave, or is not written: never a changed one."""

from __future__ import annotations

import json
import runpy

import numpy as np
import pytest

from core.record import bootstrap
from core.record.recording import tensor

MLP = """\
import torch, torch.nn as nn
g = torch.Generator().manual_seed(0)
X = torch.randn(20, 8, generator=g)
y = torch.randint(0, 3, (20,), generator=g)
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(8, 5), nn.ReLU(), nn.Linear(5, 3))
opt = {opt}
TRUE = []
for epoch in range(6):
    opt.zero_grad(set_to_none={none})
    loss = nn.functional.cross_entropy(model(X), y)
    loss.backward()
    TRUE.append({{"model." + n: p.grad.clone() for n, p in model.named_parameters()}})
    if {clip}:
        torch.nn.utils.clip_grad_norm_(model.parameters(), 0.01)
    opt.step()
    if {data_zero}:
        for p in model.parameters():
            p.grad.data.zero_()
"""

SGD = "torch.optim.SGD(model.parameters(), lr=0.1)"
MANUAL = """\
import torch
g = torch.Generator().manual_seed(0)
x = torch.randn(10, 3, generator=g)
t = torch.randn(10, generator=g)
w = torch.randn(3, requires_grad=True, generator=g)
TRUE = []
for i in range(6):
    loss = ((x @ w - t) ** 2).mean()
    loss.backward()
    TRUE.append({{"w": w.grad.clone()}})
    with torch.no_grad():
        w -= 0.1 * w.grad
    {zero}
"""


def _last_pass_grads(tmp_path, text: str):
    path = tmp_path / "script.py"
    path.write_text(text)
    out = tmp_path / "record"
    rec, finish = bootstrap.install(str(path), str(out), set(), 200, 1_000_000)
    try:
        with rec:
            script = runpy.run_path(str(path), run_name="__main__")
        rec.script_globals = script
    finally:
        finish()
    summary = json.loads((out / "summary.json").read_text())
    kept = [p["index"] for p in summary["passes"] if p["kept"]]
    assert kept == [1, 2, 3, 6]
    record = json.loads((out / "pass-000006.json").read_text())
    grads = {n["name"]: tensor(out, n["grad"]) for n in record["nodes"]
             if n["kind"] == "parameter"}
    return grads, {k: v.numpy() for k, v in script["TRUE"][-1].items()}


@pytest.mark.parametrize("none", [True, False])
@pytest.mark.parametrize("clip", [False, True])
@pytest.mark.parametrize("data_zero", [False, True])
def test_last_pass_keeps_backwards_gradient(tmp_path, none, clip, data_zero):
    grads, true = _last_pass_grads(tmp_path, MLP.format(none=none, clip=clip,
                                                        data_zero=data_zero, opt=SGD))
    assert sorted(grads) == sorted(true)
    for name, g in grads.items():
        np.testing.assert_allclose(g, true[name], rtol=1e-6, atol=1e-7)
        assert np.abs(g).max() > 1e-3  # not the zeroed or clipped .grad


@pytest.mark.parametrize("opt", [
    "torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True, foreach=True)",
    "torch.optim.Adam(model.parameters(), lr=0.01, maximize=True, foreach=True)"])
def test_step_that_changes_grad_in_place(tmp_path, opt):
    """SGD's nesterov adds to .grad in place inside step(): the pass copies it first."""
    grads, true = _last_pass_grads(tmp_path, MLP.format(none=True, clip=False,
                                                        data_zero=False, opt=opt))
    for name, g in grads.items():
        np.testing.assert_allclose(g, true[name], rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("zero", ["w.grad.zero_()", "w.grad.data.zero_()"])
def test_manual_update_last_pass_keeps_gradient(tmp_path, zero):
    grads, true = _last_pass_grads(tmp_path, MANUAL.format(zero=zero))
    np.testing.assert_allclose(grads["w"], true["w"], rtol=1e-6, atol=1e-7)
    assert np.abs(grads["w"]).max() > 1e-3
