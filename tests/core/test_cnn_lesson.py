"""The digits CNN lesson (resources/examples/lessons/23-digits-cnn.py): it runs under plain Python,
and its first step is what our ops compute on the same numbers."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from core.engine.graph import Binding
from core.engine.trace import build_trace
from tests.core.conftest import assert_same
from tests.core.record.record_support import plain_once

LESSON = (Path(__file__).resolve().parents[2] / "resources" / "examples" / "lessons"
          / "23-digits-cnn.py")
TEXT = ("import torch.nn.functional as F\n"
        "h = F.conv2d(X, W, b, padding=1)\nr = relu(h)\nm = F.max_pool2d(r, 2)\n"
        "f = m.flatten(1)\nz = f @ V.T + c\nloss = F.cross_entropy(z, y)\n")


def test_the_lesson_runs_under_plain_python_and_its_loss_falls(tmp_path_factory):
    pytest.importorskip("sklearn")
    pytest.importorskip("torch")
    # python FILE forked from the warm zygote (its prints are a new interpreter's:
    # tests/core/record/test_lessons_recorded.py checks the fork against one), once per
    # session: test_lessons_recorded compares the same run with the recorder's
    done = plain_once(tmp_path_factory, LESSON)
    run = subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(),
                                      done.stderr.decode())
    assert run.returncode == 0, run.stderr
    losses = [float(v) for v in re.findall(r"loss = (\d+\.\d+)", run.stdout)]
    assert len(losses) == 8 and losses[-1] < losses[0]
    assert "accuracy on these 128 images" in run.stdout


def test_the_lessons_first_step_is_what_our_ops_compute():
    torch = pytest.importorskip("torch")
    datasets = pytest.importorskip("sklearn.datasets")
    torch.manual_seed(0)
    digits = datasets.load_digits()
    x = torch.tensor(digits.images[:16] / 16.0, dtype=torch.float64).unsqueeze(1)
    y = torch.tensor(digits.target[:16])
    conv = torch.nn.Conv2d(1, 4, 3, padding=1).double()
    linear = torch.nn.Linear(64, 10).double()
    model = torch.nn.Sequential(conv, torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                                torch.nn.Flatten(), linear)
    loss = torch.nn.functional.cross_entropy(model(x), y)
    loss.backward()
    leaves = {"W": conv.weight, "b": conv.bias, "V": linear.weight, "c": linear.bias}
    bindings = {name: Binding("parameter", t.detach().numpy().copy())
                for name, t in leaves.items()}
    bindings["X"] = Binding("data", x.numpy().copy())
    bindings["y"] = Binding("data", y.numpy().astype(np.float64))
    trace = build_trace(TEXT, bindings)
    graph = trace.graph
    assert_same(graph.nodes[graph.names["loss"]].value, loss.item())
    for name, tensor in leaves.items():
        assert_same(trace.gradient(graph.names[name]), tensor.grad.numpy())
