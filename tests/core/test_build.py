"""core.engine.build.build: the one way from text and bindings to a trace, for the command
line, the window's model and the worker alike."""

from __future__ import annotations

import numpy as np
import pytest

from core.engine.build import ScriptText, build, is_script
from core.engine.graph import Binding
from core.engine.trace import build_trace

SCRIPT = ("import torch\nw = torch.tensor(1.0, requires_grad=True)\nfor i in range(3):\n"
          "    loss = (3 * w - 2) ** 2\n    loss.backward()\n    with torch.no_grad():\n"
          "        w -= 0.1 * w.grad\n    w.grad.zero_()\n")


def test_a_program_builds_as_build_trace_does():
    bindings = {"w": Binding("parameter", np.float64(2.0))}
    ours = build("loss = (w * 3 - 1) ** 2", bindings, learning_rate=0.5,
                 accumulated={"w": np.float64(1.0)})
    theirs = build_trace("loss = (w * 3 - 1) ** 2", bindings, 0.5, {"w": np.float64(1.0)})
    assert [s.equation for s in ours.steps] == [s.equation for s in theirs.steps]
    assert ours.context is None and ours.iteration == 0
    assert ours.phase_starts["update"] == theirs.phase_starts["update"]


def test_a_script_is_refused_and_never_run(tmp_path):
    """build() reads straight-line programs only: a script is Run's (issue 20 §4), and
    nothing of it runs here, not even a line before its loop."""
    canary = tmp_path / "canary"
    text = f"open({str(canary)!r}, 'w')\n" + SCRIPT
    assert is_script(text)
    with pytest.raises(ScriptText) as info:
        build(text)
    assert "script" in info.value.message and "Run" in info.value.message
    assert not canary.exists()


def test_a_script_that_draws_is_refused_too():
    with pytest.raises(ScriptText):
        build("import torch\nfor i in range(1):\n    w = torch.randn(2, requires_grad=True)\n"
              "    w.sum().backward()\n")


@pytest.mark.parametrize("text", ["x = 1 if y else 2\n", "w = param(1.0)\nfrom_ = w * 2\n",
                                  "y = w @ x\nimport torch\n", "\ufefffor i in range(1):\n  pass\n",
                                  "z = (\n", "async def f():\n    pass\n", ""])
def test_the_quick_look_agrees_with_parsing(text):
    """The word test only skips parsing a text that holds no statement of a script."""
    import ast

    try:
        body = ast.parse(text.removeprefix("\ufeff")).body
    except SyntaxError:
        body = []
    torch = ("torch", "torch.nn", "torch.nn.functional")
    parsed = any(not isinstance(n, (ast.Assign, ast.Expr, ast.AugAssign, ast.AnnAssign))
                 and not (isinstance(n, ast.Import) and all(a.name in torch for a in n.names))
                 for n in body)
    assert is_script(text) is parsed
