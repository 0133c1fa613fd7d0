"""Helpers for the recorder's tests: scripts run through the real child process, once per
session where they cost seconds (the fixture reaches the tests through conftest.py)."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from filelock import FileLock

from core.io.session import Session
from core.record.runner import run_script
from core.record.saved import saved_recording
from tests.core import forked
from tests.headless import in_process

ROOT = Path(__file__).resolve().parents[3]
SCRIPTS = Path(__file__).with_name("scripts")
LESSONS = ROOT / "resources" / "examples" / "lessons"
BOOTSTRAP = ROOT / "core" / "record" / "bootstrap.py"


def plain(path: Path) -> subprocess.CompletedProcess:
    """``python FILE`` in the file's folder, as the learner would run it: forked from the
    warm zygote (tests/core/forked.py; the same prints as a fresh interpreter, checked by
    test_lessons_recorded.py), so a lesson costs no second torch import."""
    return forked.python(path.name, cwd=path.parent)


def fresh_python(path: Path) -> subprocess.CompletedProcess:
    """``python FILE`` in the file's folder, in a new interpreter (the ground truth)."""
    return subprocess.run([sys.executable, path.name], cwd=path.parent, capture_output=True,
                          stdin=subprocess.DEVNULL, timeout=300)


def recorded(path: Path, *extra: str) -> tuple[int, dict]:
    """``main.py --headless --run FILE --json``: its exit status and its JSON.

    Run in the test process (tests/headless.py): the script itself still runs in its own
    child, forked from this process's warm zygote after the first run, so a lesson costs
    no second torch import. The command line's process contract stays with the tests
    that spawn ``main.py`` (test_record_cli.py, test_faults.py)."""
    done = in_process("--run", str(path), "--json", *extra)
    return done.returncode, json.loads(done.stdout)


def record_dir(path: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    """The bootstrap alone, writing its record folder into ``out``: forked from the warm
    zygote as Run forks it (a new interpreter for the bootstrap stays with
    test_bootstrap_standalone.py)."""
    return forked.python(BOOTSTRAP, "--out", out, *extra, path, cwd=path.parent)


def _shared_folder(tmp_path_factory) -> Path:
    """A folder all of this session's workers see (a worker's base is inside it)."""
    base = tmp_path_factory.getbasetemp()
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "record-runs"
    shared.mkdir(exist_ok=True)
    return shared


def _made_once(shared: Path, key: tuple, make):
    """``make()`` once per test session: a worker that comes second reads the first's
    pickle (one lock per key: the second waits for the first instead of running too)."""
    name = hashlib.sha1(repr(key).encode()).hexdigest()
    stored = shared / f"{name}.pickle"
    with FileLock(str(stored) + ".lock"):
        if stored.exists():
            return pickle.loads(stored.read_bytes())
        made = make()
        stored.write_bytes(pickle.dumps(made))
        return made


@pytest.fixture(scope="session")
def runs(tmp_path_factory):
    """Cache: path -> (plain run, (status, JSON)), each script run once per test session.

    Under pytest-xdist the workers share the cache (files beside their temporary folders,
    one lock per script): test_record_run and test_nine_lessons_recorded ask for the same
    lessons, and would otherwise run each of them in two workers. The plain run is cached
    on its own (``plain_once``: test_cnn_lesson reads lesson 23's).
    """
    cache: dict = {}
    shared = _shared_folder(tmp_path_factory)

    def get(path: Path, *extra: str):
        key = (path, extra)
        if key not in cache:
            cache[key] = (plain_once(tmp_path_factory, path),
                          _made_once(shared, (str(path), extra),
                                     lambda: recorded(path, *extra)))
        return cache[key]
    return get


def plain_once(tmp_path_factory, path: Path) -> subprocess.CompletedProcess:
    """``plain(path)`` once per test session, shared with ``runs``."""
    return _made_once(_shared_folder(tmp_path_factory), ("plain", str(path)),
                      lambda: plain(path))


def saved_session(folder: Path, text: str, name: str) -> tuple[Path, Path]:
    """The script run once (a real child, as Run runs it) and saved as the window saves a
    session of it (its text and its recording): ``folder/script.py``, ``folder/NAME.json``."""
    folder.mkdir()
    script = folder / "script.py"
    script.write_text(text, encoding="utf-8")
    result = run_script(script, workdir=folder / "record")
    assert result.status in ("ok", "raised"), result.stderr_lines
    saved = saved_recording(result.record_dir, result, [1, 2, 3])
    session = folder / f"{name}.json"
    session.write_text(json.dumps(Session(text, {}, 0, name, {"recording": saved}).to_dict()))
    return script, session
