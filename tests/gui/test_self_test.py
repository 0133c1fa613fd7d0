"""``main.py --self-test`` from source: every check passes and the exit status says so."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_self_test_passes_from_source():
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}  # it forces it itself
    result = subprocess.run([sys.executable, "main.py", "--self-test"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "PASS: 5 passed, 0 failed"
    assert sum(line.startswith("PASS  ") for line in lines) == 5
    assert "all match" in result.stdout
