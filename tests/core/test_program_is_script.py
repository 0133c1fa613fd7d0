"""What is a script (issue 20 §4): what the ast path cannot read, decided in one place."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from core.engine.build import is_script
from tests.headless import in_process

ROOT = Path(__file__).resolve().parents[2]
LESSON = ROOT / "resources" / "examples" / "lessons" / "11-regression-autograd.py"


@pytest.mark.parametrize(("text", "script"), [
    ("x = 1\ny = x * 2\n", False),
    ("import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nx = 1\n", False),
    ("x = (\n", False),  # Apply says where the text is wrong, at its line
    ("import numpy as np\n", True),
    ("import torch, sklearn\n", True),
    ("from torch import nn\n", True),
    ("for i in range(2):\n    pass\n", True),
    ("while False:\n    pass\n", True),
    ("def f():\n    return 1\n", True),
    ("class A:\n    pass\n", True),
    ("if True:\n    x = 1\n", True),
    ("with open('f') as f:\n    pass\n", True),
])
def test_what_is_a_script(text, script):
    assert is_script(text) is script


def run_main(*args: str) -> subprocess.CompletedProcess:
    """``main.py --headless ARGS``, run in this process (tests/headless.py)."""
    return in_process(*args)


def test_cli_expr_file_on_a_script_says_to_use_run():
    """A script runs as Python only when asked, with --run (issue 20 §6): --expr-file on
    one is exit 2 with one error line, whatever else is asked."""
    for extra in ((), ("--train", "5"), ("--json",)):
        result = run_main("--expr-file", str(LESSON), *extra)
        assert result.returncode == 2
        assert result.stdout == ""
        (line,) = result.stderr.splitlines()
        assert line.startswith("error: ") and "--run" in line
