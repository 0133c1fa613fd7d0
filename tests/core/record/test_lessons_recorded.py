"""The course's lessons for the recorder (resources/examples/lessons/19-…23-…, issue 20 §7
and issue 22's digits CNN), run through ``--headless --run`` against ``python FILE``:
Python's prints byte for byte, every pass with nodes and no mismatch, the forward-only
lesson with a forward graph, and every call they make a registry op, not torch's rule."""

from __future__ import annotations

import re

import pytest

from core.checks.rounding import recorded_close
from core.record.check import check_built, contributions_by_rule
from core.record.recording import load_recording, read_pass
from core.record.to_trace import build_pass_graph
from tests.core.record.record_support import LESSONS, SCRIPTS, fresh_python, plain, record_dir

pytest.importorskip("sklearn")

#: lesson -> backward() calls its loops make (epochs × batches, read off its text)
PASSES = {"19-softmax-cross-entropy": 1, "20-activation-functions": 0,
          "21-logistic-regression-breast-cancer": 20, "22-feed-forward-digits": 2 * 7,
          "23-digits-cnn": 8}
LOSS = re.compile(r"loss (?:=|with good scores:) (\d+\.\d+)")  # the backward()s losses


def prints_of(result: dict) -> bytes:
    return "".join(line + "\n" for line in result["prints"]).encode("utf-8")


def test_the_folder_holds_these_lessons():
    assert sorted(p.stem for p in LESSONS.glob("*.py") if p.stem[:2] >= "19") == sorted(PASSES)


@pytest.mark.parametrize("path", [LESSONS / "19-softmax-cross-entropy.py",
                                  SCRIPTS / "raises.py"], ids=lambda p: p.stem)
def test_a_zygote_fork_prints_what_a_fresh_python_prints(path):
    """The tests' ``plain`` (``python FILE`` forked from the warm zygote) against a new
    interpreter: the same stdout byte for byte, the same exit status, the same error."""
    fresh, fork = fresh_python(path), plain(path)
    assert fork.stdout == fresh.stdout and fork.stdout
    assert fork.returncode == fresh.returncode, fork.stderr
    assert fork.stderr.splitlines()[-1:] == fresh.stderr.splitlines()[-1:]


@pytest.mark.parametrize("stem", sorted(PASSES))
def test_prints_are_pythons_and_every_pass_matches_torch(runs, stem):
    plain, (status, result) = runs(LESSONS / f"{stem}.py")
    assert plain.returncode == 0, plain.stderr
    assert prints_of(result) == plain.stdout
    assert status == 0, result["exit"]
    assert result["exit"] == {"status": "ok", "error": None}
    passes = result["passes"]
    assert [p["index"] for p in passes] == list(range(1, PASSES[stem] + 1))
    for p in passes:
        assert p["nodes"] > 0
        if p["kept"]:
            check = p["check"]
            assert check["compared"] > 0 and check["mismatches"] == 0, p
            assert check["failed"] == [] and check["torch_rule_only"] == [], p
    assert [p["kept"] for p in passes if p["index"] in (1, 2, 3, len(passes))] \
        == [True] * min(4, len(passes))
    if not passes:
        assert result["forward"]["nodes"] > 0
        return
    assert result["forward"]["nodes"] == 0
    # the printed losses are the recorded passes' losses
    printed = [float(v) for v in LOSS.findall(plain.stdout.decode())]
    recorded = {round(p["loss"], 4) for p in passes}
    assert printed and set(printed) <= recorded


def test_activation_functions_are_a_forward_graph_of_our_ops(tmp_path):
    """No gradient is asked for: the recording is the forward ops, each one ours."""
    done = record_dir(LESSONS / "20-activation-functions.py", tmp_path, "--keep", "4,5,6,7,8")
    assert done.returncode == 0, done.stderr
    recording = load_recording(tmp_path)  # a group per layer in its loop, all kept
    ops = []
    for k in range(1, len(recording.groups) + 1):
        built = build_pass_graph(recording.load_group(k))
        ops += [n.op for n in built.graph.nodes if n.kind == "operation"]
        assert built.torch_rule_only == []
    assert ops == ["sigmoid", "tanh", "relu", "leaky_relu", "softmax",  # torch. and F.
                   "sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "gelu",
                   "softmax"]  # the nn modules


def test_the_cnns_conv_is_ours_and_its_kernel_gradient_is_torchs(tmp_path):
    done = record_dir(LESSONS / "23-digits-cnn.py", tmp_path)
    assert done.returncode == 0, done.stderr
    for k in (1, 8):
        built = build_pass_graph(read_pass(tmp_path, tmp_path / f"pass-{k:06d}.json"))
        graph = built.graph
        ops = [n.op for n in graph.nodes if n.kind == "operation"]
        assert ops == ["conv2d", "relu", "max_pool2d", "flatten", "transpose", "matmul",
                       "add", "cross_entropy"]
        conv = next(n for n in graph.nodes if n.op == "conv2d")
        assert conv.attrs["padding"] == (1, 1) and conv.attrs["biased"]
        # our conv2d VJP, fed torch's gradient at the conv's output, gives torch's dW, db
        received = contributions_by_rule(graph, built.torch_grads)
        weight, bias = conv.inputs[1], conv.inputs[2]
        assert graph.nodes[weight].name == "model.0.weight"
        for source in (weight, bias):
            assert recorded_close(received[source], built.torch_grads[source])


def test_issue_22s_ops_in_module_form_check_against_torch(runs):
    """Every op of issue 22 in its nn. and F. forms is ours and checked, dropout too (its
    mask recorded where torch draws it)."""
    plain, (status, result) = runs(SCRIPTS / "cnn_ops.py")
    assert prints_of(result) == plain.stdout
    assert status == 0
    (only,) = result["passes"]
    assert only["check"]["mismatches"] == 0 and only["check"]["compared"] >= 30
    assert only["check"]["torch_rule_only"] == []


def test_dropouts_mask_is_the_one_torch_drew(tmp_path):
    """Where the input is 0 the output cannot tell a dropped entry from a kept one: the
    mask is the one torch's bernoulli_ drew after the script's manual_seed(5)."""
    import numpy as np
    import torch

    path = SCRIPTS / "dropout_mask.py"
    done = record_dir(path, tmp_path)
    assert done.returncode == 0, done.stderr
    record = read_pass(tmp_path, tmp_path / "pass-000001.json")
    built = build_pass_graph(record)
    graph = built.graph
    drop = next(n for n in graph.nodes if n.op == "dropout")
    mask = graph.nodes[drop.inputs[1]]
    assert mask.kind == "data" and mask.name == "dropout_mask"
    torch.manual_seed(5)
    drawn = torch.empty(2, 4).bernoulli_(0.5).numpy()
    np.testing.assert_array_equal(mask.value, drawn)
    assert drop.attrs["p"] == 0.5
    check = check_built(built)
    assert check.json() == {"compared": 4, "mismatches": 0, "failed": [],
                            "torch_rule_only": []}
    assert (check.grad_fns_compared, check.grad_fns_differ) == (3, [])
