"""The record folder read back: the hand-written .npy files, validation of what a child
wrote, the bounds on what is kept, and the check failing on a wrong rule."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
import torch

from core.ops import OPS
from core.record.bootstrap import Writer
from core.record.recording import RecordError, load_recording, read_pass, tensor
from core.record.to_trace import check_pass, pass_trace
from tests.core.record.record_support import SCRIPTS, record_dir


@pytest.fixture(scope="module")
def two_layer(tmp_path_factory):
    out = tmp_path_factory.mktemp("rec") / "record"
    done = record_dir(SCRIPTS / "two_layer.py", out, "--keep", "5")
    assert done.returncode == 0, done.stderr
    return load_recording(out)


@pytest.mark.parametrize("value", [
    torch.tensor(2.5), torch.tensor([1.0, -2.0]), torch.arange(6.0).reshape(2, 3),
    torch.tensor([[1, 2], [3, 4]]), torch.tensor([True, False]),
    torch.randn(2, 3, dtype=torch.float64), torch.zeros(0, 3)])
def test_hand_written_npy_loads_as_numpy_reads_it(tmp_path, value):
    writer = Writer(str(tmp_path), 2**20, 1000)
    ref = writer.tensor(value)
    loaded = np.load(tmp_path / ref, allow_pickle=False)
    assert loaded.shape == tuple(value.shape)
    assert loaded.dtype == value.numpy().dtype
    assert np.array_equal(loaded, value.numpy())


def test_a_tensor_over_the_entry_limit_is_a_summary(tmp_path):
    writer = Writer(str(tmp_path), 2**30, 10)
    ref = writer.tensor(torch.arange(20.0))
    assert ref["summary"]["shape"] == [20]
    assert ref["summary"]["max"] == 19.0 and ref["summary"]["mean"] == 9.5
    assert not list((tmp_path / "t").iterdir())


@pytest.mark.parametrize("ref", ["../secret.npy", "/etc/passwd", "t/1.npy", 3])
def test_only_the_bootstrap_s_file_names_are_read(tmp_path, ref):
    with pytest.raises(RecordError):
        tensor(tmp_path, ref)


def test_a_pickled_npy_is_refused(tmp_path):
    (tmp_path / "t").mkdir()
    np.save(tmp_path / "t" / "000001.npy", np.array([{"a": 1}], dtype=object))
    with pytest.raises(RecordError):
        tensor(tmp_path, "t/000001.npy")


def test_a_pass_using_a_node_it_lacks_is_refused(tmp_path):
    path = tmp_path / "pass-000001.json"
    path.write_text(json.dumps({"index": 1, "nodes": [
        {"id": 0, "kind": "operation", "op": "torch.Tensor.mul", "inputs": [7]}]}))
    with pytest.raises(RecordError, match="does not hold"):
        read_pass(tmp_path, path)


def test_kept_passes_are_the_first_three_the_asked_and_the_last(two_layer):
    kept = [p.index for p in two_layer.passes if p.kept]
    assert kept == [1, 2, 3, 5, 6]
    assert len(two_layer.passes) == 6
    assert all(p.loss is not None and p.grad_norms["w1"] > 0 for p in two_layer.passes)
    assert two_layer.load_pass(4) is None
    assert set(two_layer.parameters) == {"w1", "w2"}


def test_no_grad_update_starts_the_next_pass_from_new_leaves(two_layer):
    first, second = two_layer.load_pass(1), two_layer.load_pass(2)
    w1 = [n for n in first.nodes if n.name == "w1"][0]
    w1_next = [n for n in second.nodes if n.name == "w1"][0]
    # w1 -= 0.1 * w1.grad between the passes, as the script does it
    assert np.allclose(w1_next.value, w1.value - 0.1 * w1.grad, atol=1e-6)
    trace = pass_trace(second)
    assert check_pass(second).mismatches == 0
    # the hand-written update is the pass's update phase: pass 1's update gives pass 2's w1
    assert {s.phase for s in trace.steps} == {"forward", "local", "backward", "update"}
    (update,) = [s for s in pass_trace(first).steps if s.phase == "update" and
                 s.target == "w1"]
    np.testing.assert_array_equal(update.value, w1_next.value)
    np.testing.assert_allclose(update.numbers["grad"], w1.grad)


def test_the_check_fails_on_a_wrong_rule(two_layer, monkeypatch):
    record = two_layer.load_pass(1)
    assert check_pass(record).failed == []
    right = OPS["tanh"]
    wrong = dataclasses.replace(right, local=lambda i, out, at: (1.0 - out,))  # not 1 − out²
    monkeypatch.setitem(OPS, "tanh", wrong)
    result = check_pass(record)
    assert result.mismatches >= 1
    assert result.failed == ["h"]


def test_budget_keeps_summaries_only(tmp_path):
    out = tmp_path / "record"
    done = record_dir(SCRIPTS / "two_layer.py", out, "--budget-mb", "0.0001")
    assert done.returncode == 0, done.stderr
    recording = load_recording(out)
    assert len(recording.passes) == 6
    assert not any(p.kept for p in recording.passes)
    assert not list(out.glob("pass-*.json"))


def test_a_call_the_registry_lacks_is_torch_s_rule(tmp_path):
    out = tmp_path / "record"
    done = record_dir(SCRIPTS / "torch_rule.py", out)
    assert done.returncode == 0, done.stderr
    record = load_recording(out).load_pass(1)
    result = check_pass(record)
    assert result.torch_rule_only == ["torch.clamp"]
    assert result.mismatches == 0 and result.compared >= 2
    trace = pass_trace(record)
    assert "torch.clamp" in trace.unavailable
    (clamp,) = [n for n in trace.graph.nodes if n.op == "torch_rule"]
    assert clamp.name == "h" and clamp.label == "h"
    w = trace.graph.names["w"]
    printed = float(done.stdout.decode().strip()[len("tensor("):-1])
    # the trace's backward pass, through torch's rule for clamp, gives torch's .grad
    assert float(trace.grads[w]) == pytest.approx(printed, rel=1e-5)


def test_adam_s_update_phase_holds_torch_s_numbers(tmp_path):
    out = tmp_path / "record"
    done = record_dir(SCRIPTS / "adam_mlp.py", out)
    assert done.returncode == 0, done.stderr
    recording = load_recording(out)
    trace = pass_trace(recording.load_pass(2))
    updates = [s for s in trace.steps if s.phase == "update"]
    assert len(updates) == 4 and all(s.kind == "adam" for s in updates)
    for step in updates:
        n, prev = step.numbers, step.previous
        g = np.asarray(n["grad"], dtype=np.float64)
        # torch's own moments, recorded before and after step(): the rule holds on them
        assert np.allclose(n["m"], 0.9 * prev["m"] + 0.1 * g, rtol=1e-4, atol=1e-7)
        assert np.allclose(n["v"], 0.999 * prev["v"] + 0.001 * g * g, rtol=1e-4, atol=1e-9)
        assert np.allclose(n["after"], n["before"] - 0.01 * n["m_hat"]
                           / (np.sqrt(n["v_hat"]) + 1e-8), rtol=1e-4, atol=1e-6)
    assert step.rule["step"] == 2.0
    first = recording.passes[0]
    assert first.update == pytest.approx(float(np.sqrt(sum(
        np.sum((np.asarray(s.numbers["after"]) - s.numbers["before"]) ** 2)
        for s in [u for u in pass_trace(recording.load_pass(1)).steps
                  if u.phase == "update"]))), rel=1e-4)
