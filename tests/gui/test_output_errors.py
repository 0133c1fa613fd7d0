"""Issue 13: the window's command lines say "output not written" with exit 3.

A missing folder runs in the test process (tests/gui_in_process.py); a full disk under
--startup-time is a real process writing to /dev/full."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.gui_in_process import window_cli as run

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("flag, name", [("--screenshot", "shot.png"), ("--export", "g.svg"),
                                        ("--export-steps", "steps.gif")])
def test_a_missing_folder_is_exit_3_with_one_line(qapp, tmp_path, flag, name):
    target = tmp_path / "no-such-folder" / name
    result = run(flag, str(target))
    assert result.returncode == 3, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and errors[0].startswith("error: could not write the output: ")
    assert str(target) in errors[0]
    assert not target.exists()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_is_exit_3():
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--startup-time"],
                                stdout=full, stderr=subprocess.PIPE, text=True, timeout=300,
                                cwd=ROOT, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert result.returncode == 3, result.stderr
    assert "error: could not write the output: No space left on device" in result.stderr
