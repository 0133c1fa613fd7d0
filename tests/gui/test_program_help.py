"""Help → Writing a Program says what a program and a script may contain, and its
examples build and run as shown (issue 24, item 13)."""

from __future__ import annotations

import numpy as np

from core.engine.build import is_script
from core.engine.trace import build_trace
from gui.window.program_help import NETWORK_EXAMPLE, PROGRAM_EXAMPLE, SCRIPT_EXAMPLE
from tests.core.record.record_support import recorded


def _open_help(window):
    help_menu = window.menuBar().actions()[-1].menu()
    action = next(a for a in help_menu.actions() if a.objectName() == "programHelpAction")
    action.trigger()
    return window.program_help_box


def test_the_help_covers_programs_and_scripts_with_examples(window, qtbot):
    box = _open_help(window)
    assert box.isVisible() and not box.isModal()
    text = box.text()
    for heading in ("A program", "A training script", "When something is wrong"):
        assert heading in text
    for example in (PROGRAM_EXAMPLE, NETWORK_EXAMPLE, SCRIPT_EXAMPLE):
        assert example in text  # shown exactly as it may be pasted
    for part in ("for i in range(…)", "nn.Linear", "torch.optim.SGD", "with torch.no_grad():",
                 "F.mse_loss", "did you mean", "np.exp"):
        assert part in text, part
    box.close()


def test_the_help_follows_the_language(window, qtbot):
    window.set_language("zh")
    box = _open_help(window)
    assert "训练脚本" in box.text()
    assert SCRIPT_EXAMPLE in box.text()  # code stays code
    box.close()


def test_the_examples_do_what_the_help_says(tmp_path):
    lesson = build_trace(PROGRAM_EXAMPLE, {})
    assert float(lesson.graph.output_node.value) == 1.0  # (1 · 1 − 2)²
    network = build_trace(NETWORK_EXAMPLE, {})
    x = np.array([[1, 2, 3], [4, -5, 6]], float)
    w = np.array([[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]])
    expected = np.maximum(x @ w + [0.1, -0.2], 0).mean()
    assert float(network.graph.output_node.value) == np.float64(expected)
    assert is_script(SCRIPT_EXAMPLE) and not is_script(NETWORK_EXAMPLE)
    script = tmp_path / "script.py"  # run as Run runs it: Python, recorded
    script.write_text(SCRIPT_EXAMPLE, encoding="utf-8")
    status, result = recorded(script)
    assert status == 0, result["exit"]
    assert len(result["prints"]) == 20 and len(result["passes"]) == 20
    # by hand: w = 0, d/dw mean((w x − y)²) = mean(−2 x y) = −2 · 60 / 4 = −30; w → 0.3
    assert result["prints"][0] == "epoch 1: w = 0.300, loss = 30.0000"
