"""The window's command line: ``python main.py …``. What a render writes and exits with
runs in the test process (tests/gui_in_process.py: ``run``); what is about the process
(a screenshot a real process writes, exit 2 seen by its parent, --startup-time, --help,
--version, the --headless dispatch) runs as the user would (``spawned``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.gui_in_process import spawned
from tests.gui_in_process import window_cli as run

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _application(qapp):
    """The in-process runs reuse pytest-qt's QApplication."""
    return qapp


def test_screenshot_of_the_whole_window(tmp_path):
    out = tmp_path / "shot.png"
    result = spawned("--screenshot", str(out), "--step", "8")
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert not image.isNull()
    assert (image.width(), image.height()) == (1400, 900)


def test_screenshot_of_an_expression_defaults_to_the_end(tmp_path):
    out = tmp_path / "expr.png"
    result = run("--screenshot", str(out), "--expr", "loss = (w * x - y) ** 2",
                 "--input", "x=2", "--input", "y=1", "--param", "w=0.5")
    assert result.returncode == 0, result.stderr
    assert QImage(str(out)).width() == 1400


@pytest.mark.parametrize("suffix,magic", [(".png", b"\x89PNG"), (".svg", b"<?xml"),
                                          (".pdf", b"%PDF")])
def test_export_writes_the_graph_figure(tmp_path, suffix, magic):
    out = tmp_path / f"graph{suffix}"
    result = run("--export", str(out), "--step", "3")
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(magic)


def test_export_from_a_session_file(tmp_path):
    out = tmp_path / "mse.png"
    session = ROOT / "resources" / "examples" / "07-mean-squared-error.json"
    result = run("--export", str(out), "--file", str(session), "--step", "0")
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("step", ["10", "-1"])
def test_out_of_range_step_exits_2(tmp_path, step):
    out = tmp_path / "x.png"
    result = run("--screenshot", str(out), f"--step={step}")
    assert result.returncode == 2
    assert "outside 0..9" in result.stderr
    assert not out.exists()


def test_bad_expression_exits_2(tmp_path):
    result = spawned("--export", str(tmp_path / "x.png"), "--expr", "loss = w *")
    assert result.returncode == 2
    assert result.stderr.startswith("error: line 1")


def test_startup_time_prints_milliseconds():
    result = spawned("--startup-time")
    assert result.returncode == 0, result.stderr
    ms = float(result.stdout.strip())
    assert 0 < ms < 30_000


def test_help_and_version():
    result = spawned("--help")
    assert result.returncode == 0
    for flag in ("--screenshot", "--export", "--step", "--startup-time", "--expr", "--param"):
        assert flag in result.stdout
    assert spawned("--version").stdout.startswith("Backprop Stepper ")


def test_headless_still_goes_to_the_engine_cli():
    result = spawned("--headless", "--no-torch")
    assert result.returncode == 0, result.stderr
    assert "∂loss/∂w = −2" in result.stdout
