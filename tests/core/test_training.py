"""Gradient descent: the update phase, iterations, and torch.optim.SGD agreeing."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.engine.trace import Stepper, build_trace
from core.engine.training import train
from core.io.examples import LESSON_TEXT, lesson_bindings
from core.language.parser import ExpressionError
from tests.headless import in_process

MSE = "w = param(0.0)\nx = [1, 2, 3, 4]\ny = [2, 4, 6, 8]\nloss = mean((w * x - y) ** 2)\n"


def test_update_phase_is_added_only_with_a_learning_rate():
    assert [s.phase for s in build_trace(LESSON_TEXT, lesson_bindings()).steps][-1] == "backward"
    trace = build_trace(LESSON_TEXT, lesson_bindings(), learning_rate=0.1)
    update = trace.steps[-1]
    assert len(trace) == 10 and update.phase == "update" and trace.phase_starts["update"] == 10
    assert update.equation == "w ← w − lr · ∂loss/∂w = 1 − 0.1 · (−2) = 1.2"
    assert update.value == pytest.approx(1.2)
    stepper = Stepper(trace, 9)
    assert stepper.known.updates == {}
    stepper.next()
    assert stepper.known.updates[update.node] == pytest.approx(1.2)
    stepper.previous()
    assert stepper.known.updates == {}


def test_lesson_iterations_by_hand():
    """loss = (w − 2)², ∂loss/∂w = 2(w − 2), w ← w − 0.1 · 2(w − 2): w − 2 shrinks by 0.8."""
    run = train(LESSON_TEXT, lesson_bindings(), 0.1, 4)
    gaps = [-(0.8 ** k) for k in range(4)]
    assert [it.params["w"] for it in run.iterations] == pytest.approx([2 + g for g in gaps])
    assert run.losses == pytest.approx([g * g for g in gaps])
    assert [it.grads["w"] for it in run.iterations] == pytest.approx([2 * g for g in gaps])
    assert all(it.torch_match is True for it in run.iterations)


def test_mse_example_converges_visibly_in_20_iterations_and_matches_sgd():
    run = train(MSE, None, 0.1, 20)
    assert run.losses[0] == 30.0
    assert run.losses[-1] < 1e-6 * run.losses[0]
    assert all(b < a for a, b in zip(run.losses, run.losses[1:], strict=False))
    assert run.final_bindings["w"] == pytest.approx(2.0, abs=1e-5)
    assert all(it.torch_match is True for it in run.iterations)


def test_forgetting_zero_grad_piles_gradients_up_like_torch():
    run = train(LESSON_TEXT, lesson_bindings(), 0.1, 3, forget_zero_grad=True)
    # iteration 2: fresh −1.6 plus the stale −2 from iteration 1
    assert [it.grads["w"] for it in run.iterations][:2] == pytest.approx([-2.0, -3.6])
    assert all(it.torch_match is True for it in run.iterations)


@pytest.mark.parametrize("lr", [0, -0.1, float("nan"), float("inf")])
def test_bad_learning_rates(lr):
    with pytest.raises(ExpressionError, match="learning rate"):
        train(LESSON_TEXT, lesson_bindings(), lr, 3)


def test_no_parameter_to_train():
    with pytest.raises(ExpressionError, match="no parameter"):
        train("x = 1.0\ny = x * 2", None, 0.1, 3)


def test_cli_train_json():
    result = in_process("--train", "20", "--lr", "0.1", "--json", "--expr", MSE)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    training = data["training"]
    assert [t["iteration"] for t in training] == list(range(1, 21))
    assert set(training[0]) >= {"iteration", "loss", "params", "grads", "torch_match"}
    assert training[0]["loss"] == 30.0 and training[0]["grads"]["w"] == -30.0
    assert training[-1]["loss"] < 1e-5
    assert all(t["torch_match"] is True for t in training)
    assert data["steps"][-1]["phase"] == "update"
    assert np.isclose(data["steps"][-1]["value"], 3.0)  # 0 − 0.1 · (−30)


def test_a_rebound_parameter_is_updated_by_node_not_by_display_name():
    """w = param(1); w = w * 2 shows the parameter as w@1; its binding is still w."""
    run = train("w = param(1.0); w = w * 2; loss = (w - 3) ** 2", None, 0.1, 3)
    # loss = (2p − 3)², ∂loss/∂p = 4(2p − 3): p = 1 → 1.4 → 1.48, loss 1 → 0.04 → 0.0016
    assert [float(it.params["w@1"]) for it in run.iterations] == pytest.approx([1.0, 1.4, 1.48])
    assert run.losses == pytest.approx([1.0, 0.04, 0.0016])
    assert all(it.torch_match is True for it in run.iterations)


def test_cli_trains_a_rebound_parameter():
    out = in_process("--expr", "w = param(1.0); w = w * 2; loss = (w - 3) ** 2",
                     "--train", "3", "--lr", "0.1", "--json")
    assert out.returncode == 0, out.stderr
    training = json.loads(out.stdout)["training"]
    assert [it["loss"] for it in training] == pytest.approx([1.0, 0.04, 0.0016])
    assert all(it["torch_match"] is True for it in training)


def test_the_update_phase_knows_the_new_value_of_a_rebound_parameter():
    """KnownState.updates is keyed by the parameter's node (w@1), not the name w."""
    trace = build_trace("w = param(1.0); w = w * 2; loss = (w - 3) ** 2", learning_rate=0.1)
    graph = trace.graph
    param = graph.names["w@1"]
    stepper = Stepper(trace, len(trace) - 1)
    assert stepper.known.updates == {}
    stepper.end()
    assert set(stepper.known.updates) == {param} and param != graph.names["w"]
    assert float(stepper.known.updates[param]) == pytest.approx(1.4)
