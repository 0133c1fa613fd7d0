"""A saved session of a script, opened in the window (issue 20 §5) or restored after a
crash, shows what a fresh Run shows at its end: the Output dock in front with the
script's output up to the step on screen (nothing printed later shows early), and the
Plots tab with the script's matplotlib figures and the passes' loss plot. Nothing runs:
the script counts its runs in ran.txt (a canary, as tests/gui/test_run_cli_session.py
counts them).

Real windows, one real run (a child process with real torch and matplotlib); the session
files are the ones the window writes (File → Save, and its autosave).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from gui.window import run_window
from gui.window.recovery import RecoveryBar, install
from tests.gui.conftest import shown_window

RUN_MS = 90_000  # torch and matplotlib imported on a loaded 2-core machine, recorded

SCRIPT = """\
from pathlib import Path
import matplotlib.pyplot as plt
import torch
ran = Path("ran.txt")
ran.write_text(str(int(ran.read_text()) + 1) if ran.exists() else "1")
w = torch.tensor([1.0, -1.0], requires_grad=True)
x = torch.tensor([2.0, 3.0])
losses = []
for epoch in range(4):
    loss = ((w * x).sum() - 1.0) ** 2
    print(f"epoch {epoch} loss {loss.item():.4f}")
    loss.backward()
    with torch.no_grad():
        w -= 0.01 * w.grad
        w.grad.zero_()
    losses.append(loss.item())
plt.plot(losses)
plt.show()
print("done")
"""


def _output(window) -> str:
    return window.findChild(object, "outputText").toPlainText()


def _seen(window) -> dict:
    """What a learner sees of the run's docks: shown or not, in front or not, and in them."""
    plots = window.plots_panel
    return {"output dock": (window.output_dock.isHidden(), window.output_dock.isVisible()),
            "plots dock": (window.plots_dock.isHidden(), window.plots_dock.isVisible()),
            "output": _output(window),
            "figures": [(p.width(), p.height()) for p in plots._pixmaps],
            "loss plot": plots.loss_plot.isVisibleTo(plots),
            "caption": plots.caption.text()}


@pytest.fixture(scope="module")
def ran(qapp, request, tmp_path_factory):
    """The script run once by Run in a window (the notice skipped: --run's start), then
    saved twice by the window: at its end, and at pass 2's first step. Once for the
    module: each test opens those files in a window of its own (the recovery test takes
    the killed window's files, which the others do not read)."""
    from pytestqt.qtbot import QtBot

    qtbot = QtBot(request)
    tmp_path = tmp_path_factory.mktemp("ran")
    script = tmp_path / "train.py"
    script.write_text(SCRIPT, encoding="utf-8")
    expected = subprocess.run([sys.executable, "-c", SCRIPT.replace("ran.txt", "plain.txt")
                               .replace("plt.show()", "")], capture_output=True, text=True,
                              cwd=tmp_path, check=True, timeout=120).stdout
    window = shown_window(qtbot)
    autosave, _bar = install(window, tmp_path / "recovery")  # as gui.app installs it
    assert window.open_file(script)
    with qtbot.waitSignal(window.runFinished, timeout=RUN_MS):
        assert run_window.start(window)
    runs = window.model.run
    assert runs.result.status == "ok" and runs.count == 4
    end = _seen(window)
    assert end["output"] == expected  # Python's stdout
    assert end["output dock"] == (False, True) and end["plots dock"][0] is False
    assert len(end["figures"]) == 1 and end["loss plot"]  # plt.show()'s figure, 4 losses
    assert window.save_to(tmp_path / "end.json")
    runs.goto_pass(2, 0)
    qtbot.waitUntil(lambda: runs.iteration == 2 and window.model.position == 0, timeout=30_000)
    early = _output(window)
    assert expected.startswith(early) and "epoch 2" not in early and "done" not in early
    assert window.save_to(tmp_path / "pass2.json")
    # the process killed now would leave these files (a clean close removes them): the
    # session, and the recording beside it, made in a worker and written once
    qtbot.waitUntil(lambda: autosave.beside.exists(), timeout=30_000)
    window.model.goto(1)
    window.model.goto(0)  # two more autosaves: the recording is not written again
    assert json.loads(autosave.path.read_text("utf-8"))["settings"]["recording_beside"] \
        == autosave.beside.name and autosave.path.name + ".recording" == autosave.beside.name
    kept = tmp_path / "killed"
    kept.mkdir()
    for path in (autosave.path, autosave.beside):
        (kept / path.name).write_bytes(path.read_bytes())
    window.close()
    window.deleteLater()
    assert not autosave.beside.exists()  # a clean close leaves nothing to recover
    assert (tmp_path / "ran.txt").read_text() == "1"
    return tmp_path, end, early


def _open(qtbot, path):
    window = shown_window(qtbot)
    shown: list[str] = []
    window.findChild(object, "outputText").textChanged.connect(
        lambda: shown.append(_output(window)))
    assert window.open_file(path)
    runs = window.model.run
    qtbot.waitUntil(lambda: runs.on_screen and not runs._opening, timeout=30_000)
    assert not window.is_running() and runs.result is not None
    return window, shown


def test_a_saved_session_opens_as_the_run_ended(qtbot, ran):
    folder, end, _early = ran
    window, shown = _open(qtbot, folder / "end.json")
    runs = window.model.run
    assert runs.iteration == 4 and window.model.position == window.model.length
    assert _seen(window) == end  # the same docks, in front as after Run, the same contents
    assert all(end["output"].startswith(text) for text in shown)
    assert (folder / "ran.txt").read_text() == "1"  # nothing ran


def test_a_session_saved_mid_run_shows_only_what_was_printed_by_then(qtbot, ran):
    folder, end, early = ran
    window, shown = _open(qtbot, folder / "pass2.json")
    runs = window.model.run
    assert runs.iteration == 2 and window.model.position == 0
    seen = _seen(window)
    assert seen["output"] == early and seen["output dock"] == end["output dock"]
    assert (seen["plots dock"], seen["figures"], seen["loss plot"]) == (
        end["plots dock"], end["figures"], end["loss plot"])
    # nothing printed later showed while the saved pass was being built
    assert all("epoch 2" not in text and "done" not in text for text in shown), shown
    window.model.goto(window.model.length)  # stepping on reveals what pass 2 printed
    assert "epoch 2" not in _output(window)
    runs.goto_pass(4, -1)
    qtbot.waitUntil(lambda: runs.iteration == 4, timeout=30_000)
    assert _output(window) == end["output"]
    assert (folder / "ran.txt").read_text() == "1"  # nothing ran


def test_a_recovered_script_session_shows_its_recording(qtbot, ran):
    """The autosave keeps a script's recording: a killed window's work comes back as
    File → Open shows a session (its pass at its step, the docks), and nothing runs."""
    folder, end, early = ran
    window = shown_window(qtbot)
    shown: list[str] = []
    window.findChild(object, "outputText").textChanged.connect(
        lambda: shown.append(_output(window)))
    autosave, _bar = install(window, folder / "next")  # the next start's own autosave
    (session,) = (folder / "killed").glob("recovery-*.json")
    bar = RecoveryBar(window, session)
    assert bar.restore()
    assert not any((folder / "killed").iterdir())  # safe in the new autosave: forgotten
    runs = window.model.run
    qtbot.waitUntil(lambda: runs.on_screen and not runs._opening, timeout=30_000)
    assert runs.iteration == 2 and window.model.position == 0 and runs.count == 4
    seen = _seen(window)
    assert seen["output"] == early and seen["output dock"] == end["output dock"]
    assert (seen["plots dock"], seen["figures"], seen["loss plot"]) == (
        end["plots dock"], end["figures"], end["loss plot"])
    assert all("done" not in text for text in shown), shown
    assert not window.is_running() and (folder / "ran.txt").read_text() == "1"
    qtbot.waitUntil(lambda: autosave.beside.exists(), timeout=30_000)  # and kept again
