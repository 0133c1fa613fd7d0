"""The headless command line is a contract: flags, JSON keys and exit codes."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.io import cli
from core.ops import OPS
from tests.headless import in_process, spawned

ROOT = Path(__file__).resolve().parents[2]


def run_main(*args: str, check_rc: int | None = 0, spawn: bool = False
             ) -> subprocess.CompletedProcess:
    """``main.py --headless ARGS``: in this process (tests/headless.py), or spawned."""
    result = (spawned if spawn else in_process)(*args)
    if check_rc is not None:
        assert result.returncode == check_rc, result.stderr
    return result


@pytest.fixture(scope="module")
def lesson_json() -> dict:
    """The lesson's JSON from a real ``main.py`` process (exit 0, all of stdout flushed)."""
    return json.loads(run_main("--json", spawn=True).stdout)


@pytest.fixture(scope="module")
def lesson_json_full() -> dict:
    return json.loads(run_main("--json-full").stdout)


def test_lesson_json_has_the_lessons_numbers(lesson_json):
    data = lesson_json
    assert data["output"] == "loss"
    assert data["values"] == {"w": 1.0, "x": 1.0, "y": 2.0, "y_hat": 1.0, "s": -1.0, "loss": 1.0}
    assert data["grads"] == {"w": -2.0, "y_hat": -2.0, "s": -2.0, "loss": 1.0}
    assert data["numeric_grads"]["w"] == {"match": True}   # a verdict; the numbers: --json-full
    steps = data["steps"]
    assert [s["index"] for s in steps] == list(range(1, 10))
    assert [s["phase"] for s in steps] == ["forward"] * 3 + ["local"] * 3 + ["backward"] * 3
    assert [s["value"] for s in steps] == [1.0, -1.0, 1.0, -2.0, 1.0, 1.0, -2.0, -2.0, -2.0]
    assert [s["target"] for s in steps[:3]] == ["y_hat", "s", "loss"]
    assert [s["formula"] for s in steps[:6]] == ["w · x", "y_hat − y", "s²", "2 · s", "1", "x"]
    assert [s["substituted"] for s in steps[:3]] == ["1 · 1", "1 − 2", "(−1)²"]
    assert [s["target"] for s in steps[3:6]] == ["∂loss/∂s", "∂s/∂y_hat", "∂y_hat/∂w"]
    assert [s["target"] for s in steps[6:]] == ["∂loss/∂s", "∂loss/∂y_hat", "∂loss/∂w"]
    assert steps[7]["substituted"] == "−2 · 1"
    assert "∂loss/∂loss = 1" in steps[6]["explanation"]
    for step in steps[6:]:
        assert len(step["contributions"]) == 1
    assert steps[8]["contributions"][0] == {"via": "y_hat", "upstream": -2.0, "local": 1.0,
                                             "value": -2.0}


def test_lesson_json_torch_part(lesson_json, lesson_json_full):
    torch_part = lesson_json["torch"]
    assert torch_part["available"] is True
    assert torch_part["match"] is True
    assert torch_part["grads"]["w"] == {"match": True}
    assert torch_part["values"]["loss"] == {"match": True}
    assert set(torch_part["values"]) == set(lesson_json_full["torch"]["values"])
    assert lesson_json_full["torch"]["grads"]["w"] == -2.0
    assert lesson_json_full["torch"]["values"]["loss"] == 1.0
    assert lesson_json_full["numeric_grads"]["w"] == pytest.approx(-2.0, abs=1e-6)
    assert {k: v for k, v in lesson_json_full.items() if k not in ("torch", "numeric_grads")} \
        == {k: v for k, v in lesson_json.items() if k not in ("torch", "numeric_grads")}
    assert "loss.backward()" in torch_part["code"]
    assert torch_part["printed"] == "tensor(1., grad_fn=<PowBackward0>)\ntensor(-2.)\n"


def test_text_output_shows_the_lessons_tables():
    out = run_main().stdout
    for line in ("y_hat = w · x = 1 · 1 = 1", "s = y_hat − y = 1 − 2 = −1",
                 "loss = s² = (−1)² = 1", "∂loss/∂s = 2 · s = 2 · (−1) = −2",
                 "∂s/∂y_hat = 1", "∂y_hat/∂w = x = 1",
                 "∂loss/∂w = ∂loss/∂y_hat · ∂y_hat/∂w = −2 · 1 = −2",
                 "PyTorch check (float64): all match", "tensor(-2.)"):
        assert line in out


def test_no_torch_never_imports_torch_and_headless_never_imports_qt():
    code = ("import sys; sys.argv=['main.py','--headless','--no-torch','--json'];"
            "import runpy, io, contextlib;"
            "buf = io.StringIO();"
            "ctx = contextlib.redirect_stdout(buf);"
            "ctx.__enter__();"
            "import main; rc = main.main(sys.argv[1:]);"
            "ctx.__exit__(None, None, None);"
            "bad = [m for m in ('torch', 'PySide6', 'matplotlib') if m in sys.modules];"
            "print(rc, bad)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, timeout=60)
    assert result.stdout.strip() == "0 []", result.stderr


def test_no_torch_json_says_unavailable():
    data = json.loads(run_main("--json", "--no-torch").stdout)
    assert data["torch"] == {"available": False, "match": None}


def test_inputs_and_params_override_and_vectors():
    data = json.loads(run_main(
        "--json", "--no-torch", "--expr", "loss = mean((w * x - y) ** 2)",
        "--input", "x=1,2,3,4", "--input", "y=2,4,6,8", "--param", "w=0").stdout)
    assert data["values"]["x"] == [1.0, 2.0, 3.0, 4.0]
    assert data["values"]["loss"] == 30.0
    assert data["grads"]["w"] == -30.0  # mean of 2 · (w x − y) · x = −(4+16+36+64)/4 · … = −30


def test_overrides_win_over_declarations():
    data = json.loads(run_main("--json", "--no-torch", "--expr",
                               "w = param(5.0)\nx = 3.0\nloss = w * x",
                               "--input", "x=2", "--input", "w=7").stdout)
    assert data["values"]["loss"] == 14.0
    assert data["grads"] == {}  # w became data: nothing to differentiate
    assert data["steps"][1]["phase"] == "local" and data["steps"][1]["value"] is None


def test_expr_equals_form_allows_a_leading_minus():
    data = json.loads(run_main("--json", "--no-torch", "--expr=-w * x", "--param", "w=2",
                               "--input", "x=3").stdout)
    assert data["output"] == "_"
    assert data["values"]["_"] == -6.0
    assert data["grads"]["w"] == -3.0


def test_expr_file_and_session_file(tmp_path):
    program = tmp_path / "p.txt"
    program.write_text("import torch\nw = torch.tensor(2.0, requires_grad=True)\n"
                       "loss = (w * 3 - 1) ** 2\nloss.backward()\nprint(w.grad)\n")
    data = json.loads(run_main("--json", "--no-torch", "--expr-file", str(program)).stdout)
    assert data["values"]["loss"] == 25.0 and data["grads"]["w"] == 30.0

    from core.io.examples import LESSON_TEXT, lesson_bindings
    from core.io.session import Session, save_session

    session = tmp_path / "s.json"
    save_session(Session(LESSON_TEXT, lesson_bindings()), session)
    data = json.loads(run_main("--json", "--no-torch", "--file", str(session),
                               "--param", "w=3").stdout)
    assert data["values"]["loss"] == 1.0  # (3 · 1 − 2)² = 1
    assert data["grads"]["w"] == 2.0


def test_nan_results_exit_zero_with_a_warning_and_json_strings():
    result = run_main("--json", "--expr", "y = log(x) + sqrt(z)", "--param", "x=-1",
                      "--param", "z=0")
    data = json.loads(result.stdout)
    assert data["values"]["y"] == "nan"
    assert data["grads"]["z"] == "inf"
    assert data["grads"]["x"] == -1.0
    assert data["torch"]["match"] is True
    assert "warning:" in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--input", "x=abc"], "error: --input x: not a number: 'abc'"),
        (["--param", "3w=1"], "error: --param: not a valid name"),
        (["--input", "x"], "error: --input: expected NAME=VALUE"),
        (["--expr", "loss = (w*x - y)^2"], "error: line 1, column 8: '^' is not a power"),
        (["--expr", "loss = zz * 2"], "error: line 1, column 8: unknown name 'zz'"),
        (["--expr", "   \n  "], "error: the program is empty"),
        (["--expr", ""], "error: the program is empty"),
        (["--expr", "y = foo(x)", "--input", "x=1"], "error: line 1, column 5: unknown function"),
        (["--expr", "y = x +", "--input", "x=1"], "error: line 1, column"),
        (["--input", "zz=1"], "error: --input zz: the program does not use zz"),
        (["--expr-file", "/nonexistent/p.txt"], "error: p.txt: cannot read the file"),
        (["--file", "/nonexistent/s.json"], "error: s.json: cannot read the file"),
        (["--expr", "y = x * 2", "--input", "x=1", "--file", "a.json"], "error: argument"),
        (["--expr", "v = x * 2", "--input", "x=1,2"], "wrap it in sum() or mean()"),
    ],
)
def test_bad_input_exits_2_with_one_clear_line(args, expected):
    # the argparse case (its SystemExit) in a real process too
    result = run_main(*args, check_rc=2, spawn=args[-1] == "a.json")
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_corrupt_session_file(tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_bytes(b"\x00\x01not json")
    result = run_main("--file", str(bad), check_rc=2)
    assert result.stderr.startswith("error: broken.json: ")


def test_help_and_version():
    assert "--expr" in run_main("--help").stdout
    assert run_main("--version").stdout.startswith("Backprop Stepper")


def test_torch_disagreement_exits_1(monkeypatch, capsys):
    """Break the torch twin of ×: the check must notice and the exit status say so."""
    wrong = dataclasses.replace(OPS["mul"], torch=lambda t, a, b: a * b + 1)
    monkeypatch.setitem(OPS, "mul", wrong)
    assert cli.run(["--headless", "--json"]) == cli.EXIT_MISMATCH
    data = json.loads(capsys.readouterr().out)
    assert data["torch"]["match"] is False
    assert "y_hat (value)" in data["torch"]["mismatches"]


@pytest.mark.parametrize("flag", [["--input", "x=1"], ["--param", "w=2"],
                                  ["--forward-mode", "w"]])
def test_a_script_refuses_values_from_the_command_line(flag, tmp_path):
    """A script takes its values from its own text: the flags were silently ignored."""
    script = tmp_path / "train.py"
    script.write_text("w = param(2.0)\nfor i in range(3):\n    loss = (w * 3) ** 2\n"
                      "    loss.backward()\n")
    session = tmp_path / "train.json"
    session.write_text(json.dumps({"format": "backprop-stepper-session", "version": 2,
                                   "text": script.read_text()}))
    expected = f"error: {flag[0]}: a script takes its values from its own text (leave " \
               f"out {flag[0]}, or change the values in the script)\n"
    for source in (["--expr-file", str(script)], ["--file", str(session)]):
        result = run_main(*source, "--no-torch", *flag, check_rc=2)
        assert (result.stderr, result.stdout) == (expected, "")
    result = run_main("--file", str(session), "--no-torch", check_rc=2)  # nothing runs:
    assert "no recording" in result.stderr and "--run" in result.stderr  # it was never run
