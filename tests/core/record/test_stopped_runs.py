"""A run that ends before the script does (Stop, the time limit) keeps every pass the
parent heard of as it ran (issue 20 §1): each pass's summary (loss, gradient norms, the
update's size), the kept passes steppable, in the JSON with the run's exit status."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import torch

from core.record import zygote_client
from core.record.recording import load_recording
from core.record.runner import RunLimits, ScriptRun
from core.record.to_trace import pass_trace
from tests.core.record.record_support import ROOT, SCRIPTS
from tests.headless import in_process


def _torch_passes(count: int):
    """trains_then_hangs.py's passes in torch: (loss, |w.grad|, the update's size)."""
    x, y = torch.tensor([1.0, 2.0, 3.0]), torch.tensor([2.0, 4.0, 6.0])
    w = torch.tensor(0.0, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=0.05)
    rows = []
    for _ in range(count):
        optimizer.zero_grad()
        loss = ((w * x - y) ** 2).mean()
        loss.backward()
        before = w.detach().clone()
        optimizer.step()
        rows.append((loss.item(), w.grad.norm().item(), (w.detach() - before).abs().item()))
    return rows


def test_stop_keeps_the_streamed_passes(tmp_path):
    six = threading.Event()
    printed = []

    def on_stdout(line):
        printed.append(line)
        if len(printed) == 6:
            six.set()

    run = ScriptRun(SCRIPTS / "trains_then_hangs.py", limits=RunLimits(timeout_s=120),
                    on_stdout=on_stdout, workdir=tmp_path / "record")
    run.start()
    assert six.wait(120)
    run.stop()
    result = run.wait(timeout=10)
    assert (result.status, result.error) == ("stopped", None)
    assert not (tmp_path / "record" / "summary.json").exists()  # killed: no summary
    recording = load_recording(result.record_dir, result)
    expected = _torch_passes(6)
    assert [p.index for p in recording.passes] == [1, 2, 3, 4, 5, 6]
    # passes 1-3 were written when the next pass ended; 4-6 are summaries
    assert [p.kept for p in recording.passes] == [True] * 3 + [False] * 3
    for p, (loss, norm, _update) in zip(recording.passes, expected, strict=True):
        assert p.loss == loss and abs(p.grad_norms["w"] - norm) <= 1e-6 * norm
    # an update's size is heard with the next pass: the last one's is not
    assert [round(p.update, 6) if p.update is not None else None
            for p in recording.passes] == [round(u, 6) for _, _, u in expected[:5]] + [None]
    trace = pass_trace(recording.load_pass(3))  # a kept pass is steppable
    assert {s.phase for s in trace.steps} == {"forward", "local", "backward", "update"}
    assert recording.load_pass(5) is None


def test_the_time_limit_keeps_them_in_the_json(tmp_path):
    # in this process, the run forked from the warm zygote: no torch import before the
    # script starts, so 10 s is plenty for six passes (a new interpreter needed 40 s of
    # limit on a loaded machine); the exit status from a real process is checked below
    assert zygote_client.warm_up(wait=120.0)
    done = in_process("--run", str(SCRIPTS / "trains_then_hangs.py"), "--json", "--timeout",
                      "10")
    assert done.returncode == 4
    result = json.loads(done.stdout)
    assert result["exit"]["error"]["type"] == "TimeLimit"
    assert len(result["prints"]) == 6
    expected = _torch_passes(6)
    assert [p["loss"] for p in result["passes"]] == [loss for loss, _, _ in expected]
    assert [p["kept"] for p in result["passes"]] == [True] * 3 + [False] * 3
    assert all(p["check"]["mismatches"] == 0 for p in result["passes"][:3])
    assert [p["nodes"] for p in result["passes"]] == [result["passes"][0]["nodes"]] * 6


def test_the_time_limit_is_exit_4_from_a_real_process(tmp_path):
    """The process contract: ``main.py --headless --run`` in a new interpreter, whose
    script (also a new interpreter: nothing is warm) never ends, exits 4 at the limit."""
    script = tmp_path / "hangs.py"
    script.write_text("import time\nprint('started', flush=True)\nwhile True:\n"
                      "    time.sleep(0.05)\n")
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--headless", "--run",
                           str(script), "--json", "--timeout", "3"], capture_output=True,
                          timeout=300, stdin=subprocess.DEVNULL)
    assert done.returncode == 4, done.stderr
    result = json.loads(done.stdout)
    assert result["exit"]["error"] == {"type": "TimeLimit", "message": "stopped after 3 s",
                                       "line": None}


def test_a_stopped_forward_only_script_keeps_its_groups(tmp_path):
    five = threading.Event()
    heard = []

    def on_progress(event):
        if event.get("event") == "group":
            heard.append(event)
            if len(heard) == 5:  # the fifth iteration's group ends when the loop does
                five.set()

    run = ScriptRun(SCRIPTS / "forward_then_hangs.py", limits=RunLimits(timeout_s=120),
                    on_progress=on_progress, workdir=tmp_path / "record")
    run.start()
    assert five.wait(120)
    run.stop()
    result = run.wait(timeout=10)
    recording = load_recording(result.record_dir, result)
    assert [(g.iteration, g.nodes, g.read) for g in recording.groups] == [(k, 3, 1)
                                                                          for k in range(1, 6)]
    assert [g.kept for g in recording.groups] == [True, True, True, False, False]
    assert recording.forward_nodes == 15
    group = recording.load_group(3)  # k = 2: relu([2, -4]).sum() = 2
    assert float(group.nodes[-1].value) == 2.0 and group.nodes[-1].read
