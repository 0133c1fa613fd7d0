"""Training scripts (issue 12): the lesson scripts print what torch prints, .grad follows
torch's rules, and each backward() is checked against torch autograd."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from core.base.errors import ExpressionError
from core.engine.build import is_script
from core.script import run_script
from core.script_check import run_checked

ROOT = Path(__file__).resolve().parents[2]
#: the nine lessons the whitelist interpreter runs (10–18); 19 on are for the recorder only
LESSONS = sorted((ROOT / "resources" / "examples" / "lessons").glob("1[0-8]-*.py"))
NUMBER = re.compile(r"-?\d+\.\d+(?:e[-+]\d+)?")


def real_torch(path: Path) -> subprocess.CompletedProcess:
    """The lesson run by Python and torch themselves (our own file, in a subprocess)."""
    return subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)


def same_print(ours: str, theirs: str) -> None:
    """Equal text around the numbers; the numbers within float32's precision."""
    assert NUMBER.sub("#", ours) == NUMBER.sub("#", theirs), (ours, theirs)
    for a, b in zip(NUMBER.findall(ours), NUMBER.findall(theirs), strict=True):
        assert float(a) == pytest.approx(float(b), rel=1e-4, abs=2e-7), (ours, theirs)


@pytest.mark.parametrize("path", [p for p in LESSONS if "outside-no-grad" not in p.name],
                         ids=lambda p: p.stem)
def test_lesson_prints_what_torch_prints(path):
    ours = run_checked(path.read_text(encoding="utf-8"))
    theirs = real_torch(path)
    assert theirs.returncode == 0, theirs.stderr
    lines = theirs.stdout.splitlines()
    assert len(ours.prints) == len(lines) > 0
    for a, b in zip(ours.prints, lines, strict=True):
        same_print(a, b)
    assert ours.torch_error is None
    assert all(row.torch_match for row in ours.rows)


def test_update_outside_no_grad_is_torchs_error_at_its_line():
    path = next(p for p in LESSONS if "outside-no-grad" in p.name)
    theirs = real_torch(path)
    assert theirs.returncode != 0
    with pytest.raises(ExpressionError) as info:
        run_checked(path.read_text(encoding="utf-8"))
    assert info.value.line == 13
    assert info.value.message in theirs.stderr  # torch's own words
    assert "line 13" in theirs.stderr


def test_forgotten_zero_grad_accumulates():
    path = next(p for p in LESSONS if "forgot-zero-grad" in p.name)
    run = run_checked(path.read_text(encoding="utf-8"))
    x, y = np.array([1.0, 2.0, 3.0, 4.0]), np.array([2.5, 5.0, 7.5, 10.0])
    total = 0.0
    for row in run.rows:  # by hand: d/dw mean((w x - y)²) = mean(2 x (w x - y)), summed
        w = float(row.params["w"])
        total += np.mean(2 * x * (w * x - y))
        assert float(row.grads["w"]) == pytest.approx(total, rel=1e-12)
        assert float(row.updated["w"]) == pytest.approx(w - 0.01 * total, rel=1e-12)


LOOP = """import torch
w = torch.tensor(2.0, requires_grad=True)
print(w.grad)
for i in range(3):
    l = (w * 3.0 - 1.0) ** 2
    l.backward()
    print(w.grad)
"""


def test_grad_is_none_before_backward_and_accumulates_after():
    run = run_checked(LOOP)
    assert run.prints[0] == "None"
    assert [r.iteration for r in run.rows] == [1, 2, 3]
    one = 2 * (2.0 * 3 - 1) * 3  # 30
    assert [float(r.grads["w"]) for r in run.rows] == [one, 2 * one, 3 * one]
    assert run.prints[1:] == ["tensor(30.)", "tensor(60.)", "tensor(90.)"]


def test_second_backward_is_torchs_error():
    text = LOOP.replace("    l.backward()\n", "    l.backward()\n    l.backward()\n")
    with pytest.raises(ExpressionError) as info:
        run_checked(text)
    assert "backward through the graph a second time" in info.value.message
    assert info.value.line == 7


def test_functions_keyword_arguments_and_if():
    text = """import torch
def scale(x, k=2.0):
    if k > 1 and not k > 5:
        return x * k
    elif k == 1:
        return x
    else:
        return x / k
w = torch.tensor(1.5, requires_grad=True)
a = scale(w)
b = scale(w, k=1)
c = scale(x=w, k=8)
for i in range(1):
    l = a + b + c
    l.backward()
print(f'{l.item():.4f} {w.grad}')
"""
    run = run_checked(text)
    assert run.prints == [f"{1.5 * 2 + 1.5 + 1.5 / 8:.4f} {2 + 1 + 1 / 8}"]


def test_tensor_print_is_torchs():
    torch = pytest.importorskip("torch")
    text = """import torch
w = torch.tensor([1.25, -2.0], requires_grad=True)
if True:
    print(w)
    print(w * 2)
    print(w.shape)
"""
    w = torch.tensor([1.25, -2.0], requires_grad=True)
    assert run_checked(text).prints == [str(w), str(w * 2), str(w.shape)]


def test_is_script():
    assert is_script("for i in range(2):\n    pass\n")
    assert not is_script("y = w * x\n")
    assert not is_script("y = (")


def run_main(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "--headless", *args],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)


#: the whitelist interpreter's command line, as ``--expr-file SCRIPT`` gave it before
#: scripts ran as Python (``--run``); kept callable until core/script*.py are retired
OLD_CLI = ("import sys; from core.io import cli; from core.language.reading import read_program; "
           "from core.script_cli import script_output; from core.base.output import write_stdout; "
           "a = cli.make_parser().parse_args(sys.argv[1:]); "
           "t = read_program(a.expr_file) if a.expr_file else a.expr; "
           "o, s = script_output(a, t); write_stdout(o); sys.exit(s)")


def run_old(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", OLD_CLI, *args], capture_output=True,
                          text=True, timeout=120, cwd=ROOT)


def test_cli_json_training_rows():
    path = next(p for p in LESSONS if "autograd" in p.name)
    result = run_old("--expr-file", str(path), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"prints", "training", "values", "grads", "torch"} <= set(data)
    rows = data["training"]
    assert len(rows) == 20
    assert set(rows[0]) == {"iteration", "loss", "params", "grads", "updated", "torch_match"}
    assert rows[0]["params"] == {"w": 0.0} and rows[0]["grads"] == {"w": -66.0}
    for before, after in zip(rows, rows[1:], strict=False):
        assert after["params"] == before["updated"]
        assert after["params"]["w"] == pytest.approx(before["params"]["w"]
                                                     - 0.02 * before["grads"]["w"])
    assert all(r["torch_match"] for r in rows)
    assert data["torch"]["match"] is True


def test_cli_expr_file_on_a_script_says_to_use_run():
    """A script runs as Python only when asked, with --run (issue 20 §6)."""
    path = next(p for p in LESSONS if "autograd" in p.name)
    for extra in ((), ("--train", "5"), ("--json",)):
        result = run_main("--expr-file", str(path), *extra)
        assert result.returncode == 2
        assert result.stdout == ""
        (line,) = result.stderr.splitlines()
        assert line.startswith("error: ") and "--run" in line


def test_cli_expr_with_a_script_text_says_to_use_run():
    result = run_main("--expr", "import torch\nfor i in range(2):\n    import os\n")
    assert result.returncode == 2
    assert "--run" in result.stderr and result.stderr.startswith("error: ")


def test_nn_linear_draws_torchs_numbers_after_manual_seed():
    torch = pytest.importorskip("torch")
    text = """import torch
import torch.nn as nn
torch.manual_seed(5)
model = nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 1))
for i in range(1):
    l = model(torch.tensor([[1.0, 2.0, 3.0]])).sum()
    l.backward()
"""
    run = run_checked(text)
    torch.manual_seed(5)
    model = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.ReLU(), torch.nn.Linear(2, 1))
    theirs = {f"model.{n}": p for n, p in model.named_parameters()}
    assert list(run.rows[0].params) == list(theirs)
    model(torch.tensor([[1.0, 2.0, 3.0]])).sum().backward()
    for name, p in theirs.items():
        assert np.array_equal(run.rows[0].params[name], p.detach().double().numpy())
        assert np.allclose(run.rows[0].grads[name], p.grad.double().numpy(), rtol=1e-6)


def test_unknown_nn_module_is_refused_at_its_line():
    with pytest.raises(ExpressionError) as info:
        run_checked("import torch.nn as nn\nfor i in range(2):\n    m = nn.Conv2d(1, 1, 3)\n")
    assert info.value.line == 3 and "unknown module 'nn.Conv2d'" in info.value.message
    assert "nn.Linear" in info.value.hint


@pytest.mark.parametrize(("text", "line", "fragment"), [
    ("s = (1, 2)\nfor i in range(1):\n    print(s[5])\n", 3, "out of range"),
    ("import torch\nw = torch.tensor([1.0, 2.0], requires_grad=True)\nfor i in range(1):\n"
     "    l = w * 2\n    l.backward()\n", 4, "is a vector of 2 numbers"),
    ("def f(a, b):\n    return a\nfor i in range(1):\n    print(f(1, 2, 3))\n", 4,
     "takes 2 arguments"),
    ("for i in range(1):\n    print(f'{i:zz}')\n", 2, "bad format spec"),
    ("import torch\nw = torch.tensor([1.0, 2.0], requires_grad=True)\nfor i in range(1):\n"
     "    l = (w[0] * 2).sum()\n", 4, "for its number only"),
])
def test_runtime_mistakes_are_errors_at_their_line(text, line, fragment):
    with pytest.raises(ExpressionError) as info:
        run_script(text, check_torch=False)
    assert info.value.line == line and fragment in str(info.value)


def test_named_parameters_loop_and_parameter_print_are_torchs(tmp_path):
    text = """import torch
import torch.nn as nn
torch.manual_seed(1)
model = nn.Linear(2, 1)
for name, p in model.named_parameters():
    print(name, p.shape, f'{p.sum().item():.4f}')
for p in model.parameters():
    print(p)
"""
    path = tmp_path / "named.py"
    path.write_text(text, encoding="utf-8")
    theirs = real_torch(path)
    assert theirs.returncode == 0, theirs.stderr
    assert run_checked(text).prints == theirs.stdout.splitlines()
