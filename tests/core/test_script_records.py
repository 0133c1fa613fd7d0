"""What a script run keeps for the window: the update each iteration made (with the
optimizer's numbers), when each line was printed, the function behind each node, and
the iterations before an error."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from core.script import run_script

MANUAL = """import torch
x = torch.tensor([1.0, 2.0])
y = torch.tensor([2.0, 4.0])
w = torch.tensor(0.5, requires_grad=True)
def forward(x):
    return w * x
for epoch in range(3):
    l = ((forward(x) - y) ** 2).mean()
    l.backward()
    with torch.no_grad():
        w -= 0.1 * w.grad
    print(f'epoch {epoch}: {l.item():.4f}')
    w.grad.zero_()
"""


def test_a_manual_update_is_recorded_with_its_line():
    run = run_script(MANUAL, check_torch=False)
    assert len(run.rows) == 3
    first = run.rows[0].update
    assert first["rule"] == "manual"
    entry = first["params"]["w"]
    assert entry["line"] == "w -= 0.1 * w.grad"
    # by hand: d/dw mean((w x - y)^2) = mean(2 (w x - y) x) = (2(-1.5) + 4(-3)) / 2 = -7.5
    assert float(entry["grad"]) == pytest.approx(-7.5)
    assert float(entry["before"]) == 0.5
    assert float(entry["after"]) == pytest.approx(0.5 + 0.75)
    assert float(run.rows[1].params["w"]) == pytest.approx(1.25)


def test_each_print_knows_how_many_backward_calls_ran_before_it():
    run = run_script(MANUAL, check_torch=False)
    assert run.print_rows == [1, 2, 3]
    assert len(run.print_rows) == len(run.prints)


def test_the_nodes_of_a_function_call_are_grouped_by_it():
    row = run_script(MANUAL, check_torch=False).rows[0]
    grouped = [n for n in row.graph.nodes if n.id in row.groups]
    assert {row.groups[n.id] for n in grouped} == {"forward()"}
    assert [n.op for n in grouped] == ["mul"]  # w * x, inlined from forward()


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_sgd_records_its_buffer_as_torch_keeps_it(momentum):
    text = f"""import torch
w = torch.tensor([1.0, -2.0], requires_grad=True)
opt = torch.optim.SGD([w], lr=0.1, momentum={momentum})
for i in range(3):
    l = (w ** 3).sum()
    l.backward()
    opt.step()
    opt.zero_grad()
"""
    run = run_script(text, check_torch=False)
    w = torch.tensor([1.0, -2.0], dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.1, momentum=momentum)
    for row in run.rows:
        (w ** 3).sum().backward()
        before = w.detach().clone()
        opt.step()
        update = row.update
        assert update["rule"] == "SGD" and update["lr"] == 0.1
        entry = update["params"]["w"]
        np.testing.assert_allclose(entry["before"], before.numpy())
        np.testing.assert_allclose(entry["grad"], w.grad.numpy())
        np.testing.assert_allclose(entry["after"], w.detach().numpy())
        if momentum:
            np.testing.assert_allclose(entry["buffer"],
                                       opt.state[w]["momentum_buffer"].numpy())
        else:
            assert "buffer" not in entry
        opt.zero_grad()


def test_adam_records_m_v_and_their_corrections_as_torch_keeps_them():
    text = """import torch
w = torch.tensor([0.3, -1.0], requires_grad=True)
opt = torch.optim.Adam([w], lr=0.05)
for i in range(4):
    l = (w * w * w - w).sum()
    l.backward()
    opt.step()
    opt.zero_grad()
"""
    run = run_script(text, check_torch=False)
    w = torch.tensor([0.3, -1.0], dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adam([w], lr=0.05)
    for k, row in enumerate(run.rows, start=1):
        (w * w * w - w).sum().backward()
        opt.step()
        entry = row.update["params"]["w"]
        state = opt.state[w]
        np.testing.assert_allclose(entry["m"], state["exp_avg"].numpy())
        np.testing.assert_allclose(entry["v"], state["exp_avg_sq"].numpy())
        np.testing.assert_allclose(entry["m_hat"], state["exp_avg"].numpy() / (1 - 0.9 ** k))
        np.testing.assert_allclose(entry["v_hat"],
                                   state["exp_avg_sq"].numpy() / (1 - 0.999 ** k))
        np.testing.assert_allclose(entry["after"], w.detach().numpy())
        assert row.update["step"] == k
        opt.zero_grad()


def test_keep_partial_returns_the_iterations_before_the_error():
    text = MANUAL.replace("    with torch.no_grad():\n        w -= 0.1 * w.grad\n",
                          "    w -= 0.1 * w.grad\n")
    with pytest.raises(Exception, match="in-place operation"):
        run_script(text, check_torch=False)
    run = run_script(text, check_torch=False, keep_partial=True)
    assert run.error is not None and run.error.line == 10
    assert len(run.rows) == 1 and run.prints == []


UNSEEDED = """import torch
import torch.nn as nn
model = nn.Linear(2, 1)
X = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
l = model(X).sum()
l.backward()
"""


def test_the_numbers_drawn_come_back_without_torch_when_given():
    first = run_script(UNSEEDED, check_torch=False)
    assert [np.shape(d) for d in first.draws] == [(1, 2), (1,)]
    from core.language.draws import forbidden

    with forbidden():  # no torch: the given numbers are used, in order
        again = run_script(UNSEEDED, check_torch=False, draws=first.draws)
    np.testing.assert_array_equal(again.rows[0].params["model.weight"],
                                  first.rows[0].params["model.weight"])
    np.testing.assert_array_equal(again.rows[0].grads["model.bias"], [2.0])


def test_draws_that_no_longer_fit_the_text_are_drawn_afresh_with_the_seed():
    seeded = "import torch\ntorch.manual_seed(1)\n" + UNSEEDED.replace("nn.Linear(2, 1)",
                                                                     "nn.Linear(3, 1)")
    seeded = seeded.replace("[[1.0, 2.0], [3.0, 4.0]]", "[[1.0, 2.0, 0.5]]")
    fresh = run_script(seeded, check_torch=False)
    stale = run_script(seeded, check_torch=False, draws=[np.zeros((1, 2)), np.zeros(1)])
    np.testing.assert_array_equal(stale.rows[0].params["model.weight"],
                                  fresh.rows[0].params["model.weight"])
