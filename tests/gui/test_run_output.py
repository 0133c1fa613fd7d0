"""What a recorded run printed up to a step, and its traceback in the learner's terms
(gui.state.run_output: plain Python, checked against hand-made records and a real
Python traceback)."""

from __future__ import annotations

import subprocess
import sys

from core.engine.trace import build_trace
from gui.state.run_output import (
    bytes_at,
    draws_unseeded,
    needs_torchvision,
    text_until,
    trim_traceback,
)


def test_text_until_cuts_bytes_not_characters():
    text = "a∂b\n"  # ∂ is 3 bytes in UTF-8
    assert text_until(text, None) == text
    assert text_until(text, 1) == "a"
    assert text_until(text, 2) == "a"  # half a character is not printed yet
    assert text_until(text, 4) == "a∂"
    assert text_until(text, 100) == text
    assert text_until(text, 0) == ""


def _trace_and_record():
    """The lesson's three ops, with what a recorder would have counted: 10 bytes when its
    first op ran, 14 when s was computed, 20 when loss was, 30 when backward() was called
    (a print(loss) in between)."""
    trace = build_trace("y_hat = w * x\ns = y_hat - y\nloss = s ** 2",
                        {"w": _param(1.0), "x": _data(1.0), "y": _data(2.0)})
    names = {n.id: n.name for n in trace.graph.nodes}
    counts = {"y_hat": 10, "s": 14, "loss": 20}
    for node in trace.graph.nodes:
        node.stdout_bytes = counts.get(names[node.id])
    record = {"stdout_bytes_start": 10, "stdout_bytes_end": 30,
              "nodes": [{"stdout_bytes": c} for c in counts.values()]}
    return trace, record


def _param(v):
    from core.engine.graph import Binding

    return Binding("parameter", v)


def _data(v):
    from core.engine.graph import Binding

    return Binding("data", v)


def test_bytes_at_follows_the_steps():
    trace, record = _trace_and_record()
    forward_end = trace.phase_starts["local"] - 1
    assert forward_end == 3
    assert bytes_at(trace, record, 0) == 10
    assert bytes_at(trace, record, 1) == 10  # y_hat computed: 10 bytes printed then
    assert bytes_at(trace, record, 2) == 14
    assert bytes_at(trace, record, 3) == 20
    assert bytes_at(trace, record, 4) == 30  # local gradients: backward() was called
    assert bytes_at(trace, record, len(trace) - 1) == 30
    assert bytes_at(trace, record, len(trace)) == 30  # the end of the pass
    assert bytes_at(trace, record, len(trace), whole=99) == 99  # the run's last pass


def test_traceback_keeps_the_learners_frames(tmp_path):
    helper = tmp_path / "helper.py"
    helper.write_text("def f(x):\n    return 1 / x\n")
    script = tmp_path / "train.py"
    script.write_text("import runpy, sys\nfrom helper import f\n\nf(0)\n")
    runner = tmp_path / "elsewhere" / "boot.py"
    runner.parent.mkdir()
    runner.write_text(f"import runpy, sys\nsys.path[0] = {str(tmp_path)!r}\n"
                      f"runpy.run_path({str(script)!r}, run_name='__main__')\n")
    done = subprocess.run([sys.executable, str(runner)], capture_output=True, text=True,
                          cwd=tmp_path, check=False)
    assert "boot.py" in done.stderr and "runpy" in done.stderr
    trimmed = trim_traceback(done.stderr, script)
    assert "boot.py" not in trimmed and "<frozen runpy>" not in trimmed
    assert "runpy.py" not in trimmed
    assert f'File "{script}", line 4' in trimmed
    assert "helper.py" in trimmed and "return 1 / x" in trimmed
    assert trimmed.startswith("Traceback (most recent call last):")
    assert trimmed.rstrip().endswith("ZeroDivisionError: division by zero")


def test_unseeded_draws():
    assert draws_unseeded("import torch\nmodel = torch.nn.Linear(2, 1)\n")
    assert not draws_unseeded("torch.manual_seed(0)\nmodel = nn.Linear(2, 1)\n")
    assert not draws_unseeded("w = torch.tensor(1.0, requires_grad=True)\n")
    assert draws_unseeded("x = torch.randn(3)\n")


def test_torchvision_hint():
    assert needs_torchvision({"type": "ModuleNotFoundError",
                              "message": "No module named 'torchvision'"})
    assert needs_torchvision({"type": "RuntimeError",
                              "message": "operator torchvision::nms does not exist"})
    assert not needs_torchvision({"type": "ValueError", "message": "bad"})
    assert not needs_torchvision(None)
