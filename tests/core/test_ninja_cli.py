"""The --ninja command line is a contract: its JSON, its error line and its exit status."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from core.io import cli
from tests.headless import in_process

ROOT = Path(__file__).resolve().parents[2]
LESSON_ANSWERS = {"s": "2 * s", "y_hat": "d_s", "w": "d_y_hat * x"}
KEYS = {"exact", "close", "maxdiff", "shape_ok", "hint"}


def run_main(*args: str) -> subprocess.CompletedProcess:
    """``main.py --headless ARGS``, run in this process (tests/headless.py)."""
    return in_process(*args)


def answers_file(tmp_path: Path, answers: dict, name: str = "answers.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(answers), encoding="utf-8")
    return str(path)


def test_the_lessons_answers_exactly_as_the_issue_writes_them(tmp_path):
    program = tmp_path / "lesson.py"
    program.write_text("x = 1.0\ny = 2.0\nw = param(1.0)\ny_hat = w * x\ns = y_hat - y\n"
                       "loss = s ** 2\n", encoding="utf-8")
    result = run_main("--expr-file", str(program), "--ninja",
                      answers_file(tmp_path, LESSON_ANSWERS), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data["ninja"]) == ["s", "y_hat", "w"]  # the walk's order
    for entry in data["ninja"].values():
        assert entry == {"exact": True, "close": True, "maxdiff": 0.0, "shape_ok": True,
                         "hint": None}
    assert data["torch"]["match"] is True and data["grads"]["w"] == -2.0


def test_wrong_answers_are_graded_with_hints_and_exit_0(tmp_path):
    answers = {"w": "d_y_hat * x", "y_hat": "-d_s", "s": "2 * s"}  # any order in the file
    result = run_main("--ninja", answers_file(tmp_path, answers), "--json", "--no-torch")
    assert result.returncode == 0, result.stderr
    ninja = json.loads(result.stdout)["ninja"]
    assert list(ninja) == ["s", "y_hat", "w"]
    assert ninja["s"]["exact"] and ninja["s"]["hint"] is None
    assert ninja["y_hat"] == {"exact": False, "close": False, "maxdiff": 4.0, "shape_ok": True,
                              "hint": "The sign is flipped: check the local rule (difference "
                                      "rule: 1 for the first term, −1 for the second)."}
    assert not ninja["w"]["close"] and "d_y_hat is not right yet" in ninja["w"]["hint"]


def test_an_answer_that_cannot_be_computed_is_wrong_not_an_error(tmp_path):
    answers = {"h": "d_loss * torch.ones_like(h) / 8", "(X @ W) + b": "d_h * (h > 0)",
               "b": 'grad("(X @ W) + b")', "X @ W": 'grad("(X @ W) + b")',
               "W": 'grad("X @ W") @ X.T'}
    result = run_main("--file", str(ROOT / "resources/examples/09-one-layer.json"),
                      "--ninja", answers_file(tmp_path, answers), "--json", "--no-torch")
    assert result.returncode == 0, result.stderr
    ninja = json.loads(result.stdout)["ninja"]
    assert set(ninja["W"]) == KEYS
    assert ninja["W"]["shape_ok"] is False and ninja["W"]["maxdiff"] is None
    assert ninja["W"]["hint"].startswith("This cannot be computed (4×2 @ 3×4")
    assert ninja["b"]["shape_ok"] is False and "(.sum(0))" in ninja["b"]["hint"]
    assert ninja["h"]["exact"] and ninja["(X @ W) + b"]["close"] and ninja["X @ W"]["close"]


def test_labels_typed_in_ascii_are_keyed_as_typed(tmp_path):
    answers = {"(y_hat - y)**2": "d_loss * torch.ones_like(y) / 4",
               "y_hat - y": 'grad("(y_hat - y)**2") * 2 * (y_hat - y)',
               "y_hat": 'grad("y_hat - y")', "w": "(d_y_hat * x).sum()"}
    result = run_main("--file", str(ROOT / "resources/examples/07-mean-squared-error.json"),
                      "--ninja", answers_file(tmp_path, answers), "--json", "--no-torch")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data["ninja"]) == list(answers)
    assert all(entry["close"] for entry in data["ninja"].values()), data["ninja"]
    assert data["ninja"]["w"]["maxdiff"] == pytest.approx(0, abs=1e-12)


@pytest.mark.parametrize(("answers", "where"), [
    ({"s": "2 * s +"}, "the answer for 's', column 8: syntax error"),
    ({"s": "2 * q"}, "the answer for 's', column 5: unknown name 'q'"),
    ({"y_hat": "d_s"}, "the answer for 'y_hat', column 1: unknown name 'd_s'"),
    ({"zz": "2 * s"}, "the answer for 'zz': there is no node named 'zz'"),
    ({"x": "d_y_hat * w"}, "the answer for 'x': x is data: it gets no gradient"),
    ({"s": "d_y_hat", "y_hat": "d_s"}, "use each other"),
    ({"y_hat": "d_s", "y_hat ": "d_s"}, "name the same node"),
])
def test_bad_answers_are_exit_2_with_one_error_line(tmp_path, answers, where):
    result = run_main("--expr", "y_hat = w * x; s = y_hat - y; loss = s ** 2",
                      "--param", "w=1", "--input", "x=1", "--input", "y=2",
                      "--ninja", answers_file(tmp_path, answers), "--json", "--no-torch")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and where in lines[0], lines
    assert result.stdout == ""


def test_level_two_and_the_text_table(tmp_path):
    program = tmp_path / "softmax.py"
    program.write_text("X = [[1., 2.], [0.5, -1.]]\ny = torch.tensor([1, 0])\n"
                       "W = param([[0.1, 0.2, 0.3], [0.3, -0.4, 0.1]])\nz = X @ W\n"
                       "loss = F.nll_loss(torch.log(torch.softmax(z, dim=1)), y)\n",
                       encoding="utf-8")
    answers = answers_file(tmp_path, {"z": "(torch.softmax(z, dim=1) - F.one_hot(y, 3)) / 2",
                                      "W": "X.T @ d_z"})
    result = run_main("--expr-file", str(program), "--ninja", answers, "--ninja-level", "2",
                      "--json", "--no-torch")
    assert result.returncode == 0, result.stderr
    ninja = json.loads(result.stdout)["ninja"]
    assert list(ninja) == ["z", "W"] and all(e["close"] for e in ninja.values())
    # at level 1 the same file grades too: only the nodes it answers
    text = run_main("--expr-file", str(program), "--ninja", answers, "--no-torch")
    assert text.returncode == 0, text.stderr
    assert "Ninja: 2 of 2 gradients right" in text.stdout


def test_flags_are_in_the_parser():
    args = cli.make_parser().parse_args(["--headless", "--ninja", "a.json", "--ninja-level",
                                         "2"])
    assert args.ninja == "a.json" and args.ninja_level == 2
    assert cli.make_parser().parse_args([]).ninja_level == 1
