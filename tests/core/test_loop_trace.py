"""A training script's iteration as a trace: the update phase shows the optimizer's rule
with the row's numbers, and those numbers are torch.optim's (float64)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from core.engine.trace import Stepper
from core.language.draws import forbidden
from core.loop_trace import DrawsNeeded, OptimizerStep, build_script, iteration_trace
from core.script import run_script

LESSONS = Path(__file__).resolve().parents[2] / "resources" / "examples" / "lessons"


def _lesson(name: str) -> str:
    return (LESSONS / name).read_text(encoding="utf-8")


def _torch_optimizer(rule: dict, params: list):
    if rule["rule"] == "Adam":
        return torch.optim.Adam(params, lr=rule["lr"], betas=tuple(rule["betas"]),
                                eps=rule["eps"])
    return torch.optim.SGD(params, lr=rule["lr"], momentum=rule["momentum"])


@pytest.mark.parametrize("name", ["12-regression-nn-linear.py", "16-feed-forward-net.py",
                                  "17-logistic-nn-sgd-momentum.py", "18-nn-module-class.py"])
def test_every_update_shown_is_torch_optims(name):
    run = run_script(_lesson(name), check_torch=False, keep_partial=True)
    first = run.rows[0]
    names = list(first.params)
    params = {n: torch.tensor(np.asarray(first.params[n]), dtype=torch.float64,
                              requires_grad=True) for n in names}
    optimizer = _torch_optimizer(first.update, list(params.values()))
    for k, row in enumerate(run.rows, start=1):
        trace = iteration_trace(run, k)
        steps = [s for s in trace.steps if isinstance(s, OptimizerStep)]
        assert [trace.graph.nodes[s.node].name for s in steps] == names
        for n in names:  # the same start: the row's parameters are torch's so far
            np.testing.assert_allclose(row.params[n], params[n].detach().numpy(),
                                       rtol=1e-12, atol=1e-14)
            params[n].grad = torch.tensor(np.asarray(row.grads[n]), dtype=torch.float64)
        optimizer.step()
        for step in steps:
            n = trace.graph.nodes[step.node].name
            np.testing.assert_allclose(step.value, params[n].detach().numpy(), rtol=1e-12,
                                       atol=1e-14)
            state = optimizer.state[params[n]]
            if first.update["rule"] == "Adam":
                np.testing.assert_allclose(step.numbers["m"], state["exp_avg"].numpy(),
                                           rtol=1e-12, atol=1e-16)
                np.testing.assert_allclose(step.numbers["v"], state["exp_avg_sq"].numpy(),
                                           rtol=1e-12, atol=1e-18)
            elif first.update["momentum"]:
                np.testing.assert_allclose(step.numbers["buffer"],
                                           state["momentum_buffer"].numpy(), rtol=1e-12)


def test_sgd_update_reads_as_the_rule_with_numbers():
    run = run_script(_lesson("12-regression-nn-linear.py"), check_torch=False)
    trace = iteration_trace(run, 2)
    step = next(s for s in trace.steps if isinstance(s, OptimizerStep))
    row = run.rows[1]
    before = float(np.ravel(row.params["model.weight"])[0])
    grad = float(np.ravel(row.grads["model.weight"])[0])
    assert step.kind == "sgd"
    assert float(np.ravel(step.value)[0]) == pytest.approx(before - 0.05 * grad, rel=1e-12)
    assert step.equation.startswith("model.weight ← model.weight − lr · model.weight.grad = ")
    assert "0.05" in step.equation and step.explanation.key == "update.sgd"
    assert trace.phase_at(len(trace)) == "update"
    assert trace.iteration == 2 and trace.script_run is run


def test_momentum_shows_the_buffer_from_the_step_before():
    run = run_script(_lesson("17-logistic-nn-sgd-momentum.py"), check_torch=False)
    first = next(s for s in iteration_trace(run, 1).steps if isinstance(s, OptimizerStep))
    second = next(s for s in iteration_trace(run, 2).steps if isinstance(s, OptimizerStep))
    assert first.lines[0].startswith("b ← ") and "μ" not in first.lines[0]
    assert second.lines[0].startswith("b ← μ · b + ")
    mu = run.rows[0].update["momentum"]
    np.testing.assert_allclose(second.numbers["buffer"],
                               mu * first.numbers["buffer"] + second.numbers["grad"], rtol=1e-12)


def test_adam_shows_m_v_and_their_corrections():
    run = run_script(_lesson("16-feed-forward-net.py"), check_torch=False)
    step = next(s for s in iteration_trace(run, 3).steps if isinstance(s, OptimizerStep))
    assert [line.split(" ")[0] for line in step.lines] == ["m", "v", "m_hat", "v_hat",
                                                           step.target]
    b1, b2 = run.rows[0].update["betas"]
    np.testing.assert_allclose(step.numbers["m_hat"], step.numbers["m"] / (1 - b1 ** 3))
    np.testing.assert_allclose(step.numbers["v_hat"], step.numbers["v"] / (1 - b2 ** 3))
    assert step.explanation.key == "update.adam"


def test_forgotten_zero_grad_carries_the_old_grad_into_the_trace():
    run = run_script(_lesson("13-mistake-forgot-zero-grad.py"), check_torch=False)
    trace = iteration_trace(run, 3)
    stepper = Stepper(trace)
    stepper.end()
    step = trace.steps[-1]
    assert isinstance(step, OptimizerStep) and step.kind == "manual"
    w = trace.graph.names["w"]
    # this pass's gradient plus what the two passes before left in .grad
    np.testing.assert_allclose(trace.accumulated["w"] + trace.gradient(w), run.rows[2].grads["w"])
    assert step.explanation.more[0].key == "update.grad_accumulated"
    assert "w -= 0.01 * w.grad" in step.equation
    np.testing.assert_allclose(stepper.known.updates[w], run.rows[2].updated["w"])


def test_a_script_that_draws_asks_for_its_numbers_and_builds_with_them():
    text = _lesson("12-regression-nn-linear.py")
    with pytest.raises(DrawsNeeded):
        build_script(text)
    draws = run_script(text, check_torch=False).draws
    with forbidden():
        trace = build_script(text, draws)
    assert len(trace.script_run.rows) == 100


def test_an_error_after_iteration_one_keeps_it():
    trace = build_script(_lesson("14-mistake-update-outside-no-grad.py"))
    assert trace.script_run.error.line == 13
    assert len(trace.script_run.rows) == 1 and trace.iteration == 1


def test_no_torch_is_kept_per_thread():
    """Two window builds at once: one leaving forbidden() must not lift the other's."""
    import threading

    from core.language.draws import _allowed

    seen = []
    inside, leave = threading.Event(), threading.Event()

    def other() -> None:
        with forbidden():
            inside.set()
            leave.wait(10)
            seen.append(bool(_allowed[-1]))

    thread = threading.Thread(target=other)
    thread.start()
    inside.wait(10)
    with forbidden():
        pass  # this thread's own push and pop
    assert bool(_allowed[-1]) is True
    leave.set()
    thread.join(10)
    assert seen == [False]
