"""A forward-only script (no backward()) is recorded grouped by the iterations of its
outer loop (issue 20 §2): each group keeps its ops, the first three and the last in full,
and the values the script read (printed, ``.item()``) are the group's outputs. Every
number is checked against torch or by hand."""

from __future__ import annotations

import json

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from core.record.recording import load_recording
from core.record.saved import restore_recording, saved_recording
from core.record.to_trace import build_pass_graph
from tests.core.record.record_support import LESSONS, SCRIPTS, record_dir, recorded


def _ops(record) -> list[str]:
    return [n.op for n in record.nodes if n.kind == "operation"]


def test_activation_lesson_is_one_group_per_layer_with_torchs_values(tmp_path):
    done = record_dir(LESSONS / "20-activation-functions.py", tmp_path, "--keep",
                      ",".join(map(str, range(1, 10))))
    assert done.returncode == 0, done.stderr
    recording = load_recording(tmp_path)
    groups = recording.groups
    assert [g.iteration for g in groups] == [None, 1, 2, 3, 4, 5, 6, 7, 8]
    assert [g.line for g in groups] == [None] + [26] * 8  # the `for name, layer` line
    assert [g.nodes for g in groups] == [5] + [1] * 8 and all(g.kept for g in groups)
    assert recording.forward_nodes == 13
    x = torch.tensor([-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0])
    layers = [nn.Sigmoid(), nn.Tanh(), nn.ReLU(), nn.LeakyReLU(0.1), nn.ELU(),
              nn.Softplus(), nn.GELU(), nn.Softmax(dim=0)]
    ops = []
    for k, layer in enumerate(layers, start=2):
        record = recording.load_group(k)
        (node,) = [n for n in record.nodes if n.kind == "operation"]
        assert node.read and record.output == node.id  # .tolist() read it
        np.testing.assert_array_equal(node.value, layer(x).numpy())
        built = build_pass_graph(record)
        assert built.torch_rule_only == []
        ops += [n.op for n in built.graph.nodes if n.kind == "operation"]
    first = recording.load_group(1)
    expected = [torch.sigmoid(x), torch.tanh(x), torch.relu(x), F.leaky_relu(x, 0.1),
                torch.softmax(x, dim=0)]
    for node, value in zip([n for n in first.nodes if n.kind == "operation"], expected,
                           strict=True):
        assert node.read  # printed
        np.testing.assert_array_equal(node.value, value.numpy())
    assert ops == ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "gelu",
                   "softmax"]


def test_summary_groups_keep_first_three_and_last(tmp_path):
    done = record_dir(LESSONS / "20-activation-functions.py", tmp_path)
    assert done.returncode == 0, done.stderr
    recording = load_recording(tmp_path)
    assert [g.kept for g in recording.groups] == [True, True, True] + [False] * 5 + [True]
    assert recording.load_group(5) is None
    assert sorted(p.name for p in tmp_path.glob("forward-*.json")) == [
        "forward-000001.json", "forward-000002.json", "forward-000003.json",
        "forward-000009.json"]
    last = recording.load_forward()  # the end of the run: the last group
    assert _ops(last) == ["torch.nn.functional.softmax"]


def test_by_hand_lesson_groups_are_epochs_and_item_reads_count(tmp_path):
    """Lesson 10 computes its gradient by hand and reads it with .item(): 20 epochs of 8
    ops; dw.item() every epoch, l.item() when it prints (epochs 1, 5, 9, 13, 17)."""
    done = record_dir(LESSONS / "10-regression-by-hand.py", tmp_path)
    assert done.returncode == 0, done.stderr
    groups = load_recording(tmp_path).groups
    assert [g.iteration for g in groups] == list(range(1, 21))
    assert all(g.nodes == 8 for g in groups)
    assert [g.read for g in groups] == [2 if k % 4 == 0 else 1 for k in range(20)]
    first = load_recording(tmp_path).load_group(1)
    read = [n for n in first.nodes if n.read]
    # w = 0, x = 1..5, y = 3x: loss = mean((0 - 3x)²) = 9 · 11, dw = mean(2x · (−3x)) = −66
    assert [float(n.value) for n in read] == [99.0, -66.0]
    assert first.output == read[-1].id


def test_outer_loop_only_break_and_the_ops_after(tmp_path):
    done = record_dir(SCRIPTS / "forward_loops.py", tmp_path, "--keep", "1,2,3,4")
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().splitlines()[:2] == ["4.0", "2.0"]
    recording = load_recording(tmp_path)
    # before the loop (h = x + 1); epochs 1 and 2 (the function's loop is inside them;
    # break after 2); after the loop (relu)
    assert [(g.iteration, g.nodes) for g in recording.groups] == [
        (None, 1), (1, 4), (2, 4), (None, 1)]
    epoch2 = recording.load_group(3)
    assert _ops(epoch2) == ["torch.Tensor.mul", "torch.Tensor.mul", "torch.Tensor.sub",
                            "torch.Tensor.sum"]
    # h = [2, -1] is a leaf of the group; in the second epoch y = 4h - 1 = [7, -5]
    by_op = {n.op: n for n in epoch2.nodes}
    np.testing.assert_array_equal(by_op["torch.Tensor.sub"].value, [7.0, -5.0])
    assert float(by_op["torch.Tensor.sum"].value) == 2.0
    np.testing.assert_array_equal(recording.load_group(4).nodes[-1].value, [7.0, 0.0])


def test_a_backward_after_the_loop_drops_the_groups(tmp_path):
    script = tmp_path / "late_backward.py"
    script.write_text("import torch\nx = torch.tensor([1.0, 2.0])\nfor i in range(5):\n"
                      "    x = x * 2\nw = torch.tensor(3.0, requires_grad=True)\n"
                      "(w * x).sum().backward()\nprint(w.grad.item())\n")
    done = record_dir(script, tmp_path / "out")
    assert done.returncode == 0 and done.stdout == b"96.0\n"
    recording = load_recording(tmp_path / "out")
    assert recording.groups == [] and len(recording.passes) == 1
    assert not list((tmp_path / "out").glob("forward-*.json"))


def test_groups_in_the_json_and_a_session(tmp_path):
    status, result = recorded(SCRIPTS / "forward_loops.py")
    assert status == 0 and result["passes"] == []
    assert result["forward"] == {"nodes": 10, "groups": [
        {"index": 1, "iteration": None, "line": None, "nodes": 1, "read": 0, "kept": True},
        {"index": 2, "iteration": 1, "line": 12, "nodes": 4, "read": 1, "kept": True},
        {"index": 3, "iteration": 2, "line": 12, "nodes": 4, "read": 1, "kept": True},
        {"index": 4, "iteration": None, "line": None, "nodes": 1, "read": 1, "kept": True}]}
    done = record_dir(SCRIPTS / "forward_loops.py", tmp_path / "rec")
    assert done.returncode == 0

    class Run:
        status, error, stdout_text, stderr_lines, elapsed_s = "ok", None, "x\n", [], 0.5
    data = json.loads(json.dumps(saved_recording(tmp_path / "rec", Run(), [])))
    _run, restored = restore_recording(data, tmp_path / "back")
    assert [g.kept for g in restored.groups] == [True] * 4
    assert _ops(restored.load_forward()) == ["torch.relu"]
    np.testing.assert_array_equal(restored.load_group(3).nodes[-1].value, 2.0)
