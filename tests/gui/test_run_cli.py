"""``main.py --screenshot OUT.png --run FILE [--pass K] [--step S]`` (and --export,
--export-steps), run as the user would: the script runs in a child process, then the
window renders what it recorded (gui.run_cli). The renders run in the test process
(tests/gui_in_process.py: ``run``); a script that raises runs as the user would
(``spawned``: exit 4 seen by the parent, the script's child started by a real process)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.gui_in_process import spawned
from tests.gui_in_process import window_cli as run

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """\
import torch
w = torch.tensor(0.5, requires_grad=True)
for i in range(4):
    loss = (w * 2.0 - 1.0) ** 2
    print("loss", round(loss.item(), 4))
    loss.backward()
    with torch.no_grad():
        w -= 0.1 * w.grad
        w.grad.zero_()
"""


@pytest.fixture(autouse=True)
def _application(qapp):
    """The in-process runs reuse pytest-qt's QApplication."""
    return qapp


def test_screenshot_of_a_recorded_pass(tmp_path):
    script = tmp_path / "descent.py"
    script.write_text(SCRIPT, encoding="utf-8")
    out = tmp_path / "pass.png"
    result = run("--screenshot", str(out), "--run", str(script), "--pass", "2", "--step", "1")
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1400, 900)
    # a step outside the pass is bad usage, after the run (exit 2), and writes nothing
    far = tmp_path / "far.png"
    result = run("--screenshot", str(far), "--run", str(script), "--step", "999")
    assert result.returncode == 2 and "--step 999 is outside 0.." in result.stderr
    assert not far.exists()


def test_a_script_that_raises_is_exit_4_with_its_render(tmp_path):
    script = tmp_path / "broken.py"
    script.write_text(SCRIPT + "raise RuntimeError('after the loop')\n", encoding="utf-8")
    out = tmp_path / "graph.svg"
    result = spawned("--export", str(out), "--run", str(script), cwd=ROOT)
    assert result.returncode == 4, result.stderr
    assert "RuntimeError" in result.stderr
    assert out.read_bytes().startswith(b"<?xml")


def test_run_options_need_run(tmp_path):
    result = run("--screenshot", str(tmp_path / "x.png"), "--pass", "2")
    assert result.returncode == 2 and "--pass goes with --run FILE" in result.stderr
    result = run("--screenshot", str(tmp_path / "x.png"), "--run", str(tmp_path / "none.py"))
    assert result.returncode == 2 and "no such file" in result.stderr
