"""``--headless --file SESSION.json`` on a session of a script (issue 20 §5): it prints the
saved recording, with ``--run``'s keys and numbers, and runs nothing; an old session with
a script but no recording is exit 2, saying to run it with --run."""

from __future__ import annotations

import json
import subprocess

import numpy as np
import pytest
import torch

from core.io.session import Session
from tests.core.record.record_support import LESSONS, recorded, saved_session
from tests.headless import in_process

SCRIPT = """\
from pathlib import Path
import torch
torch.manual_seed(0)
ran = Path("ran.txt")
ran.write_text(str(int(ran.read_text()) + 1) if ran.exists() else "1")
model = torch.nn.Linear(2, 1)
x = torch.tensor([[1.0, 2.0], [3.0, -1.0]])
y = torch.tensor([[1.0], [0.0]])
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(3):
    loss = ((model(x) - y) ** 2).mean()
    print(f"epoch {epoch} loss {loss.item():.5f}")
    opt.zero_grad()
    loss.backward()
    opt.step()
"""
RAISES = "import torch\nw = torch.tensor(2.0, requires_grad=True)\nfor i in range(1):\n" \
         "    (w * w).backward()\nprint('before')\nraise ValueError('no more')\n"
KEYS = ("prints", "exit", "passes", "forward", "parameters", "steps")


def _main(*args: str, cwd) -> subprocess.CompletedProcess:
    """``main.py --headless ARGS`` as its output and exit status (run in this process, as
    tests/headless.py says: these tests check what it prints, not its process)."""
    return in_process(*args, cwd=cwd)


def _session(tmp_path, text: str, name: str) -> tuple:
    """A script run once (a real child) and saved as the window saves it."""
    return saved_session(tmp_path / name, text, name)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("trained")
    script, session = _session(tmp_path, SCRIPT, "train")
    run = _main("--run", str(script), "--json", cwd=script.parent)
    assert run.returncode == 0, run.stderr
    return script, session, json.loads(run.stdout)


def test_a_saved_recording_prints_what_run_printed(trained, tmp_path):
    script, session, fresh = trained
    runs_before = (script.parent / "ran.txt").read_text()
    done = _main("--file", str(session), "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) == {*KEYS, "stderr"}
    assert data["prints"] == fresh["prints"] == [
        line for line in data["prints"] if line.startswith("epoch ")] and len(data["prints"]) == 3
    assert data["exit"] == fresh["exit"] == {"status": "ok", "error": None}
    assert [p["index"] for p in data["passes"]] == [1, 2, 3]
    for saved, ran in zip(data["passes"], fresh["passes"], strict=True):
        assert saved["loss"] == pytest.approx(ran["loss"], rel=1e-6)
        assert saved["nodes"] == ran["nodes"] and saved["kept"] is True
        assert saved["check"]["mismatches"] == 0 and saved["check"] == ran["check"]
    assert data["parameters"].keys() == fresh["parameters"].keys() == {"model.weight",
                                                                       "model.bias"}
    for name, value in fresh["parameters"].items():
        np.testing.assert_allclose(data["parameters"][name], value, rtol=1e-6)
    assert data["steps"] and data["steps"] == fresh["steps"]  # the same seeded numbers
    assert data["forward"] == fresh["forward"]
    # nothing ran: the script counts its runs in ran.txt (one by run_script, one by --run)
    assert (script.parent / "ran.txt").read_text() == runs_before == "2"
    assert not (tmp_path / "ran.txt").exists()


def test_text_mode_prints_the_output_then_the_passes(trained, tmp_path):
    _script, session, fresh = trained
    done = _main("--file", str(session), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("\n".join(fresh["prints"]) + "\n")
    assert "Recorded 3 passes" in done.stdout and "Pass 1: ours vs torch" in done.stdout
    assert not (tmp_path / "ran.txt").exists()


def test_a_saved_script_that_raised_is_exit_4(tmp_path):
    _script, session = _session(tmp_path, RAISES, "raises")
    done = _main("--file", str(session), "--json", cwd=tmp_path)
    assert done.returncode == 4, done.stderr
    data = json.loads(done.stdout)
    assert data["prints"] == ["before"]
    assert data["exit"]["status"] == "raised"
    assert data["exit"]["error"]["type"] == "ValueError" and data["exit"]["error"]["line"] == 6
    assert [p["index"] for p in data["passes"]] == [1]


def test_an_old_script_session_without_a_recording_is_exit_2(tmp_path):
    session = tmp_path / "old.json"
    text = "from pathlib import Path\nPath('ran.txt').write_text('1')\nfor i in range(2):\n" \
           "    print(i)\n"
    session.write_text(json.dumps(Session(text, {}, 0, "old").to_dict()))
    for extra in ([], ["--json"]):
        done = _main("--file", str(session), *extra, cwd=tmp_path)
        assert done.returncode == 2 and done.stdout == ""
        (line,) = done.stderr.strip().splitlines()
        assert line.startswith("error: ") and "no recording" in line and "--run" in line
    assert not (tmp_path / "ran.txt").exists()


def test_pass_k_of_a_saved_recording_as_run_shows_it(trained, tmp_path):
    script, session, _fresh = trained
    runs_before = (script.parent / "ran.txt").read_text()
    done = _main("--file", str(session), "--pass", "2", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    again = tmp_path / "again"  # the same seeded script run now, in a folder of its own
    again.mkdir()
    (again / "script.py").write_text(SCRIPT, encoding="utf-8")
    fresh = _main("--run", "script.py", "--pass", "2", "--json", cwd=again)
    assert fresh.returncode == 0, fresh.stderr
    assert data["steps"] and data["steps"] == json.loads(fresh.stdout)["steps"]
    first = json.loads(_main("--file", str(session), "--json", cwd=tmp_path).stdout)
    assert first["steps"] != data["steps"]  # pass 1 by default, as --run
    text = _main("--file", str(session), "--pass", "9", cwd=tmp_path)
    assert text.returncode == 0 and "Pass 3: ours vs torch" in text.stdout
    assert "showing the last, not pass 9" in text.stderr
    assert (script.parent / "ran.txt").read_text() == runs_before
    assert not (tmp_path / "ran.txt").exists()


def test_pass_goes_with_a_script_session(trained, tmp_path):
    program = tmp_path / "program.json"
    program.write_text(json.dumps(Session("y = (2 * 3) ** 2", {}, 0, "p").to_dict()))
    done = _main("--file", str(program), "--pass", "2", cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    (line,) = done.stderr.strip().splitlines()
    assert line == f"error: --pass goes with --run FILE or a script's session ({program} " \
                   "holds a program)"
    done = _main("--file", str(trained[1]), "--pass", "0", cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.strip() == "error: --pass counts passes from 1"


ACTIVATIONS = (LESSONS / "20-activation-functions.py").read_text(encoding="utf-8")
#: the lesson's loop (line 26) applies one module a turn: group k + 1 is module k's
LAYERS = ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "gelu", "softmax"]


@pytest.fixture(scope="module")
def forward_only(tmp_path_factory):
    """The activation-functions lesson (no backward(): a group per turn of its loop),
    run once and saved: it keeps groups 1-3 and the last, 9."""
    return _session(tmp_path_factory.mktemp("forward"), ACTIVATIONS, "activations")


def _group_ops(steps: list[dict]) -> list[str]:
    return [s["formula"].split("(")[0] for s in steps if s["phase"] == "forward"]


def test_pass_k_of_a_forward_only_session_is_its_group_k(forward_only, tmp_path):
    """--pass K on a forward-only script's session picks group K (as the iteration box
    does), not the last group; its steps are the forward values torch computed."""
    _script, session = forward_only
    shown = {}
    for k in (None, 2, 3, 9):
        done = _main("--file", str(session), "--json", *(("--pass", str(k)) if k else ()),
                     cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        data = json.loads(done.stdout)
        assert data["passes"] == [] and len(data["forward"]["groups"]) == 9
        shown[k] = data["steps"]
    assert _group_ops(shown[None]) == ["σ", "tanh", "relu", "leaky_relu", "softmax"]
    assert _group_ops(shown[2]) == ["σ"] and _group_ops(shown[3]) == ["tanh"]
    assert _group_ops(shown[9]) == ["softmax"]
    x = torch.tensor([-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0])
    np.testing.assert_allclose(shown[3][0]["value"], torch.tanh(x).numpy(), rtol=1e-6)
    np.testing.assert_allclose(shown[9][0]["value"], torch.softmax(x, 0).numpy(), rtol=1e-6)
    # a group the run kept only as a summary, and one past the last
    done = _main("--file", str(session), "--json", "--pass", "5", cwd=tmp_path)
    assert done.returncode == 0 and json.loads(done.stdout)["steps"] == []
    assert "warning: group 5 was saved only as a summary" in done.stderr
    done = _main("--file", str(session), "--json", "--pass", "12", cwd=tmp_path)
    assert _group_ops(json.loads(done.stdout)["steps"]) == ["softmax"]
    assert "there are 9 groups: showing the last, not group 12" in done.stderr
    assert not (tmp_path / "ran.txt").exists()


def test_text_mode_shows_group_k_of_a_forward_only_session(forward_only, tmp_path):
    _script, session = forward_only
    done = _main("--file", str(session), "--pass", "3", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    text = done.stdout.split("Recorded 0 passes, 13 forward ops", 1)[1]
    assert "Group 3 of 9 (iteration 2 of the loop at line 26): forward values" in text
    assert "tanh(x)" in text and "σ" not in text


def test_run_pass_k_of_a_forward_only_script_keeps_and_shows_group_k(tmp_path):
    """--run --pass 5 keeps group 5 (the first run kept only 1-3 and 9) and prints it."""
    status, data = recorded(LESSONS / "20-activation-functions.py", "--pass", "5")
    assert status == 0
    assert [g["kept"] for g in data["forward"]["groups"]] == [True] * 3 + [False, True] + \
        [False] * 3 + [True]
    assert _group_ops(data["steps"]) == ["leaky_relu"]
    x = torch.tensor([-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0])
    np.testing.assert_allclose(data["steps"][0]["value"],
                               torch.nn.functional.leaky_relu(x, 0.1).numpy(), rtol=1e-6)
