"""The torch side of a script (issue 12, point 6): its tape replayed by torch in the
script's dtype, compared per backward() call, shown as code, and run in the worker on the
command line."""

from __future__ import annotations

import dataclasses
import io
import json
import subprocess
import sys

import numpy as np
import pytest

from core.io import cli
from core.io.worker import serve
from core.ops import OPS
from core.script import run_script
from core.script_check import run_checked, script_report
from core.script_cli import script_output
from tests.core.test_script import LESSONS, NUMBER, ROOT, real_torch, run_old

RUNNABLE = [p for p in LESSONS if "outside-no-grad" not in p.name]


def close_numbers(ours: list[str], theirs: list[str]) -> None:
    """The same lines around the numbers; the numbers within float32's rounding of a run."""
    assert len(ours) == len(theirs) > 0
    for a, b in zip(ours, theirs, strict=True):
        assert NUMBER.sub("#", a) == NUMBER.sub("#", b), (a, b)
        for x, y in zip(NUMBER.findall(a), NUMBER.findall(b), strict=True):
            # two numbers a hair apart can round to neighbours: one unit of the last digit
            mantissa, _, exponent = x.partition("e")
            unit = 10.0 ** (int(exponent or 0) - len(mantissa.split(".")[1]))
            assert float(x) == pytest.approx(float(y), rel=1e-4, abs=max(1e-6, 1.01 * unit)), \
                (a, b)


@pytest.mark.parametrize("path", RUNNABLE, ids=lambda p: p.stem)
def test_every_lesson_replays_in_torch_with_every_row_matching(path):
    run = run_checked(path.read_text(encoding="utf-8"))
    assert run.torch_error is None
    assert all(row.torch_match is True for row in run.rows)
    assert run.torch["dtype"] == "float32"
    close_numbers(run.prints, run.torch["printed"])
    # torch's own numbers, row by row: the loss it computed is the loss we show
    for row, theirs in zip(run.rows, run.torch["rows"], strict=True):
        assert theirs["loss"] == pytest.approx(row.loss, rel=1e-3, abs=1e-6)
        assert set(theirs["grads"]) == set(row.grads)


@pytest.mark.parametrize("path", RUNNABLE, ids=lambda p: p.stem)
def test_the_generated_code_prints_what_the_replay_printed(path, tmp_path):
    run = run_checked(path.read_text(encoding="utf-8"))
    code = tmp_path / "generated.py"
    code.write_text(run.torch["code"], encoding="utf-8")
    theirs = real_torch(code)  # our generated text, run by Python and torch themselves
    assert theirs.returncode == 0, theirs.stderr
    assert theirs.stdout.splitlines() == run.torch["printed"]


def test_the_code_reads_as_the_lesson_unrolled():
    path = next(p for p in LESSONS if "logistic-regression" in p.name)
    code = run_checked(path.read_text(encoding="utf-8")).torch["code"]
    assert "w = torch.tensor(0.0, requires_grad=True)" in code
    assert "with torch.no_grad():\n    w.sub_(0.5 * w.grad)  # line 22" in code
    assert code.count(".backward()") == 50
    assert "# ---- end of loop iteration 50" in code
    assert "exec" not in code and "eval" not in code


def _corrupt(monkeypatch, op: str) -> None:
    entry = OPS[op]
    wrong = dataclasses.replace(entry, forward=lambda *a, **k: entry.forward(*a, **k) * 1.01)
    monkeypatch.setitem(OPS, op, wrong)


def test_a_corrupted_engine_value_is_a_false_row(monkeypatch):
    path = next(p for p in LESSONS if "logistic-regression" in p.name)
    _corrupt(monkeypatch, "sigmoid")
    run = run_checked(path.read_text(encoding="utf-8"))
    assert run.rows and not any(row.torch_match for row in run.rows)


def test_a_corrupted_engine_value_is_exit_1_on_the_command_line(monkeypatch, capsys):
    """The engine here (corrupted), the torch side in the worker's process (not)."""
    path = next(p for p in LESSONS if "nn-linear" in p.name)
    _corrupt(monkeypatch, "mse_loss")
    args = cli.make_parser().parse_args(["--expr-file", str(path), "--json"])
    output, status = script_output(args, path.read_text(encoding="utf-8"))
    data = json.loads(output)
    assert status == 1
    assert data["torch"]["match"] is False
    assert data["training"][0]["torch_match"] is False


def test_cli_json_has_torchs_printed_lines():
    path = next(p for p in LESSONS if "feed-forward" in p.name)
    result = run_old("--expr-file", str(path), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"prints", "training", "values", "grads", "torch"} <= set(data)
    assert data["torch"]["match"] is True
    close_numbers(data["prints"], data["torch"]["printed"])
    theirs = real_torch(path)  # torch.printed is what torch itself prints for the lesson
    close_numbers(data["torch"]["printed"], theirs.stdout.splitlines())


def test_cli_without_a_seed_gives_the_worker_the_same_draws(tmp_path):
    path = tmp_path / "unseeded.py"
    lesson = next(p for p in LESSONS if "feed-forward" in p.name)
    path.write_text(lesson.read_text(encoding="utf-8").replace("torch.manual_seed(7)\n", ""),
                    encoding="utf-8")
    result = run_old("--expr-file", str(path), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["torch"]["match"] is True
    close_numbers(data["prints"], data["torch"]["printed"])


def test_script_report_keeps_its_keys_and_gives_torchs_numbers():
    path = next(p for p in LESSONS if "autograd" in p.name)
    report = script_report(path.read_text(encoding="utf-8"), None)
    assert {"available", "error", "rows", "printed", "code"} <= set(report)
    assert report["available"] is True and report["error"] is None
    assert len(report["rows"]) == 20
    first = report["rows"][0]
    assert first["iteration"] == 1 and first["torch_match"] is True
    # by hand: w = 0, d/dw mean((w x - y)²) = mean(-2 x y) = -2 (3 + 12 + 27 + 48 + 75) / 5
    assert first["grads"]["w"] == pytest.approx(-66.0)
    assert first["loss"] == pytest.approx(99.0)
    assert report["printed"][0] == "Prediction before training: f(6) = 0.000"
    assert report["code"].startswith("import torch\n")


def test_the_worker_answers_a_script_request():
    path = next(p for p in LESSONS if "forgot-zero-grad" in p.name)
    request = {"id": 7, "script": {"text": path.read_text(encoding="utf-8"), "draws": None}}
    out = io.StringIO()
    serve(io.StringIO(json.dumps(request) + "\n"), out)
    answer = json.loads(out.getvalue())
    assert answer["id"] == 7
    rows = answer["script"]["rows"]
    assert rows and all(r["torch_match"] for r in rows)
    # the forgotten zero_grad: torch's .grad accumulates as ours does (summed by hand in
    # test_script.py's test_forgotten_zero_grad_accumulates)
    ours = run_script(request["script"]["text"], check_torch=False).rows
    for row, theirs in zip(ours, rows, strict=True):
        assert theirs["grads"]["w"] == pytest.approx(float(row.grads["w"]), rel=1e-5)


def test_the_worker_process_answers_a_script_request():
    request = {"id": 1, "script": {"text": "import torch\nw = torch.tensor(2.0, "
                                   "requires_grad=True)\nfor i in range(2):\n"
                                   "    l = w * w\n    l.backward()\n    print(w.grad)\n",
                                   "draws": []}}
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--torch-worker"],
                          input=json.dumps(request) + "\n", capture_output=True, text=True,
                          timeout=120, check=False)
    answer = json.loads(done.stdout.splitlines()[-1])["script"]
    assert answer["printed"] == ["tensor(4.)", "tensor(8.)"]
    assert [r["torch_match"] for r in answer["rows"]] == [True, True]
    assert np.isclose(answer["rows"][1]["grads"]["w"], 8.0)


def test_cli_json_values_grads_and_steps_describe_the_first_iteration():
    path = next(p for p in LESSONS if "nn-linear" in p.name)
    result = run_old("--expr-file", str(path), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    first = data["training"][0]
    assert {"model.weight", "model.bias", "y_predicted", "l"} <= set(data["values"])
    assert data["values"]["model.weight"] == first["params"]["model.weight"]
    assert data["values"]["l"] == pytest.approx(first["loss"])
    for name in ("model.weight", "model.bias"):
        assert data["grads"][name] == first["grads"][name]
    # by hand, from iteration 1's numbers: y = w x + b, l = mean((Y - y)²)
    w, b = first["params"]["model.weight"][0][0], first["params"]["model.bias"][0]
    x, y = np.array([1.0, 2.0, 3.0, 4.0]), np.array([3.0, 5.0, 7.0, 9.0])
    assert data["grads"]["model.weight"][0][0] == pytest.approx(np.mean(2 * (w * x + b - y) * x))
    phases = [s["phase"] for s in data["steps"]]
    assert phases[0] == "forward" and "backward" in phases
    assert data["torch"]["match"] is True


def test_torch_refusing_an_op_is_a_disagreement_not_a_crash(monkeypatch):
    path = next(p for p in LESSONS if "logistic-regression" in p.name)

    def refuse(torch, a):
        raise RuntimeError("refused here")

    monkeypatch.setitem(OPS, "sigmoid", dataclasses.replace(OPS["sigmoid"], torch=refuse))
    run = run_checked(path.read_text(encoding="utf-8"))
    assert run.torch_error == "PyTorch raised RuntimeError: refused here"
    assert run.rows and all(row.torch_match is False for row in run.rows)
    report = script_report(path.read_text(encoding="utf-8"))
    assert report["available"] is True and report["raised"] is True
    assert "refused here" in report["error"]


def test_a_loss_at_its_minimum_agrees_as_float32_can():
    """float32's w is 2/3 to 7 digits: (3w − 2)² is ~1e-13 in torch and ~1e-30 here."""
    text = """import torch
w = torch.tensor(1.0, requires_grad=True)
opt = torch.optim.SGD([w], lr=0.01)
for i in range(150):
    l = (w * 3.0 - 2.0) ** 2
    opt.zero_grad()
    l.backward()
    opt.step()
print(w)
"""
    run = run_checked(text)
    assert run.rows[-1].loss < 1e-18 < run.torch["rows"][-1]["loss"] < 1e-12
    assert all(row.torch_match for row in run.rows)
    assert run.prints == run.torch["printed"] == ["tensor(0.6667, requires_grad=True)"]


@pytest.mark.parametrize("update", ["w -= 0.5", "w.copy_(w - 0.5)"])
def test_an_update_before_any_other_use_is_replayed_once(update):
    text = f"""import torch
w = torch.tensor(1.0, requires_grad=True)
with torch.no_grad():
    {update}
for i in range(2):
    l = w * 3.0
    l.backward()
    print(w, w.grad)
"""
    run = run_checked(text)
    expected = ["tensor(0.5000, requires_grad=True) tensor(3.)",
                "tensor(0.5000, requires_grad=True) tensor(6.)"]
    assert run.prints == run.torch["printed"] == expected
    assert all(row.torch_match for row in run.rows)
