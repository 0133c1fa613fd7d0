"""Shared by the runner's tests: the corpus, the bootstrap to use, plain Python to compare.

The runner always points at core/record/bootstrap.py; until that file is on the branch
the tests hand it a stand-in with the same command line (tests/core/record/
standin_bootstrap.py), a real script run through runpy all the same.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from core.record import zygote_client
from core.record.runner import BOOTSTRAP, RunLimits, run_script

ROOT = Path(__file__).resolve().parents[3]
SCRIPTS = ROOT / "tests" / "data" / "scripts"
STANDIN = Path(__file__).with_name("standin_bootstrap.py")
BOOT = BOOTSTRAP if BOOTSTRAP.exists() else STANDIN
#: the corpus tests' limits (the real bootstrap imports torch first: 1.5 s quiet, 8 s at a
#: load of 12 on this 2-core machine; a script that ends never waits for the limit)
SHORT = RunLimits(timeout_s=20.0, memory_mb=1000)


def copy_scripts(folder: Path) -> Path:
    """The corpus in a fresh folder (scripts may write beside themselves)."""
    target = folder / "scripts"
    shutil.copytree(SCRIPTS, target)
    return target


def run(folder: Path, name: str, limits: RunLimits = SHORT, **kwargs):
    """Run one corpus script through the runner, from a copy in folder."""
    script = copy_scripts(folder) / name
    return run_script(script, limits=limits, bootstrap=BOOT,
                      workdir=folder / "record", **kwargs)


def plain_python(folder: Path, name: str, timeout: float = 30.0):
    """The same script under plain Python (stdin from /dev/null, like the runner)."""
    script = folder / "plain" / "scripts" / name
    if not script.parent.exists():
        shutil.copytree(SCRIPTS, script.parent)
    env = dict(os.environ, PYTHONIOENCODING="utf-8", MPLBACKEND="Agg")
    return subprocess.run([sys.executable, str(script)], cwd=script.parent,
                          stdin=subprocess.DEVNULL, capture_output=True, env=env,
                          timeout=timeout)


def alive(pid: int) -> bool:
    """Whether pid is a live process (a zombie counts as ended)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            raw = f.read()
    except OSError:
        return False
    return raw[raw.rfind(b")") + 2:].split()[0] != b"Z"


def wait_for_file(path: Path, timeout: float = 10.0) -> str:
    """A file's text once a script wrote it (fails the test after timeout)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if path.exists() and path.read_text().strip():
            return path.read_text().strip()
        time.sleep(0.01)
    raise AssertionError(f"{path.name} was never written")


def child_paths(request, monkeypatch):
    """A fixture body (params "subprocess", "zygote"): every run in the test takes that
    path; the zygote's test fails if a run fell back to subprocess."""
    if request.param == "subprocess":
        monkeypatch.setenv("BPS_NO_ZYGOTE", "1")
        yield request.param
        return
    monkeypatch.delenv("BPS_NO_ZYGOTE", raising=False)
    assert zygote_client.warm_up(wait=120.0)
    spawned = []
    original = zygote_client.spawn

    def counted(*args, **kwargs):
        child = original(*args, **kwargs)
        spawned.append(child is not None)
        return child

    monkeypatch.setattr(zygote_client, "spawn", counted)
    yield request.param
    assert spawned and all(spawned), spawned
