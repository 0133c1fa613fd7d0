"""``--run SCRIPT --pass K --ninja ANSWERS.json``: the learner's backward pass graded
against a recorded pass's gradients, in float32 (issue 23's second command line)."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest
import torch

from core.io import cli
from core.ninja.run import grade_answers, ninja_json
from core.ninja.walk import Walk
from core.record.recording import load_recording
from core.record.runner import run_script
from core.record.to_trace import pass_trace
from tests.core.record.record_support import ROOT, SCRIPTS

SCRIPT = SCRIPTS / "ninja_relu.py"
#: the exact backward pass of ninja_relu.py, written as the learner would
RIGHT = {"(r-1)**2": "d_loss * torch.ones_like(r) / 3",
         "r-1": 'grad("(r-1)**2") * 2 * (r - 1)', "r": 'grad("r-1")',
         "h - y": "d_r * (h - y > 0)", "h": 'grad("h - y")', "b": "d_h.sum(0)",
         "X @ W": "d_h", "W": 'X.T @ grad("X @ W")'}


def torch_grads() -> dict[str, np.ndarray]:
    """The script's own gradients, computed here by torch (float32)."""
    X = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    y = torch.tensor([[0.0], [0.0], [3.0]])
    W = torch.tensor([[0.5], [-0.25]], requires_grad=True)
    b = torch.tensor([0.1], requires_grad=True)
    h = X @ W + b
    h.retain_grad()
    loss = ((torch.relu(h - y) - 1.0) ** 2).mean()
    loss.backward()
    return {"W": W.grad.numpy(), "b": b.grad.numpy(), "h": h.grad.numpy()}


@pytest.fixture(scope="module")
def trace():
    with tempfile.TemporaryDirectory() as folder:
        result = run_script(SCRIPT, keep_passes=(1,), workdir=Path(folder))
        return pass_trace(load_recording(result.record_dir, result).load_pass(1))


def test_a_recorded_pass_is_walked_in_float32(trace):
    walk = Walk(trace)
    assert walk.dtype == np.float32
    assert [q.key for q in walk.questions] == ["(r − 1)²", "r − 1", "r", "h − y", "h", "b",
                                             "X @ W", "W"]
    for name, value in torch_grads().items():  # what the answers are graded against
        expected = walk.by_node[walk.find(name)].expected
        np.testing.assert_allclose(expected, value, rtol=1e-6, atol=1e-7)


def test_the_right_answers_are_exact_or_close(trace):
    _, verdicts = grade_answers(trace, RIGHT)
    assert list(verdicts) == list(RIGHT)
    for key, verdict in verdicts.items():
        assert verdict.grade.close and verdict.grade.shape_ok, key
        assert verdict.value.dtype == np.float32, key
    assert verdicts["b"].grade.exact and verdicts["h"].grade.exact
    np.testing.assert_array_equal(verdicts["W"].value, torch_grads()["W"])


@pytest.mark.parametrize("key, wrong, words", [
    ("b", "d_h", "broadcast b over the batch: sum"),  # the sum over the batch missing
    ("W", 'grad("X @ W").T @ X', "the transpose of the gradient"),  # transposes swapped
    ("h - y", "d_r", "relu"),                               # the mask forgotten
    ("r-1", '-grad("(r-1)**2") * 2 * (r - 1)', "sign is flipped"),  # a sign error
])
def test_a_typical_wrong_answer_gets_its_hint(trace, key, wrong, words):
    verdict = grade_answers(trace, {**RIGHT, key: wrong})[1][key]
    assert not verdict.grade.close
    hint = ninja_json({key: verdict})[key]["hint"]
    assert words in hint


def test_level_3_does_not_apply_to_a_recorded_pass(tmp_path, capsys):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(RIGHT), encoding="utf-8")
    # said before the script runs (it would raise if it ran)
    script = tmp_path / "s.py"
    script.write_text("raise SystemExit(9)\n", encoding="utf-8")
    assert cli.run(["--run", str(script), "--ninja", str(path), "--ninja-level", "3"]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("error: --ninja-level: ") and "recorded pass is fixed" in line


def test_the_command_line_adds_ninja_to_the_run_json(tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({**RIGHT, "b": "d_h"}), encoding="utf-8")
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--headless", "--run",
                           str(SCRIPT), "--pass", "1", "--ninja", str(answers), "--json"],
                          capture_output=True, timeout=300, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["exit"]["status"] == "ok" and data["passes"][0]["check"]["mismatches"] == 0
    ninja = data["ninja"]
    assert list(ninja) == list(RIGHT)  # the walk's order
    assert set(ninja["W"]) == {"exact", "close", "maxdiff", "shape_ok", "hint"}
    assert ninja["W"]["close"] and ninja["W"]["hint"] is None and ninja["W"]["maxdiff"] < 1e-6
    assert ninja["b"] == {"exact": False, "close": False, "shape_ok": False,
                          "maxdiff": ninja["b"]["maxdiff"],
                          "hint": ninja["b"]["hint"]}
    assert "sum the gradient over that axis" in ninja["b"]["hint"]
    # d_h's three rows summed would be b's gradient: the largest difference is torch's
    grad = torch_grads()
    assert ninja["b"]["maxdiff"] == pytest.approx(
        float(np.max(np.abs(grad["h"] - grad["b"]))), rel=1e-6)


@pytest.mark.parametrize("answers, words", [
    ({"b": "d_h.sum(0"}, ["the answer for 'b'", "column"]),      # does not parse
    ({"b": "d_q.sum(0)"}, ["the answer for 'b'", "column 1", "d_q"]),  # no such name
    ({"nowhere": "d_h"}, ["the answer for 'nowhere'", "no node named 'nowhere'"]),
])
def test_a_bad_answer_is_exit_2_with_one_line(tmp_path, capsys, answers, words):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    status = cli.run(["--run", str(SCRIPT), "--pass", "1", "--ninja", str(path), "--json"])
    assert status == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("error: ")
    for word in words:
        assert word in line


def test_answers_that_are_not_json_are_exit_2_before_the_script_runs(tmp_path, capsys):
    path = tmp_path / "answers.json"
    path.write_text("{not json", encoding="utf-8")
    assert cli.run(["--run", str(tmp_path / "absent.py"), "--ninja", str(path)]) == 2
    path2 = tmp_path / "s.py"
    path2.write_text("raise SystemExit('ran')\n", encoding="utf-8")
    assert cli.run(["--run", str(path2), "--ninja", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and "not valid JSON" in err[1]


def test_level_3_of_a_program_is_the_windows(tmp_path, capsys):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"w": "2 * w"}), encoding="utf-8")
    assert cli.run(["--expr", "loss = w * w", "--param", "w=1", "--ninja", str(path),
                    "--ninja-level", "3", "--no-torch"]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("error: --ninja-level: ") and "Training panel" in line
