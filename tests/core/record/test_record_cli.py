"""``--run``'s command line: bad usage is exit 2 before anything runs, and the exit status
order 3 > 4 > 1 > 0 (issue 20 §6)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from core.io import cli
from tests.core.record.record_support import ROOT, SCRIPTS

ALIASING = str(SCRIPTS / "aliasing.py")


@pytest.mark.parametrize("extra", [["--no-torch"], ["--train", "3"], ["--lr", "0.1"],
                                   ["--input", "x=1"], ["--param", "w=1"],
                                   ["--forward-mode", "w"]])
def test_value_options_with_run_are_exit_2(capsys, extra):
    assert cli.run(["--run", ALIASING, *extra]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("error: ") and "a script takes its values from its own text" \
        in err[0]


@pytest.mark.parametrize("argv, message", [
    (["--pass", "2"], "go with --run"),
    (["--run", "/nonexistent/x.py"], "cannot read"),
    (["--run", ALIASING, "--pass", "0"], "from 1"),
    (["--run", ALIASING, "--timeout", "-1"], "--timeout"),
    (["--run", ALIASING, "--expr", "y = 2 * x"], "--run takes no --expr"),
])
def test_bad_usage_is_exit_2_with_one_line(capsys, argv, message):
    assert cli.run(argv) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("error: ") and message in line


def test_text_mode_prints_the_script_then_the_passes(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--headless", "--run",
                             ALIASING], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("8.0 4.0\n")
    assert "pass 1: loss 8, " in result.stdout
    assert "Pass 1: ours vs torch" in result.stdout


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_exit_3_wins_over_a_script_that_raised():
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--headless", "--run",
                                 str(SCRIPTS / "raises.py"), "--json"], stdout=full,
                                stderr=subprocess.PIPE, timeout=300, text=True)
    assert result.returncode == 3, result.stderr


def test_a_pass_past_the_last_is_the_last_with_a_warning():
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--headless", "--run",
                             ALIASING, "--json", "--pass", "9"], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0
    assert "showing the last, not pass 9" in result.stderr
    assert '"steps": [{' in result.stdout
