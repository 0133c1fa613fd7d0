"""The warm zygote (core/record/zygote.py): what a forked run must share with a fresh
``python`` (argv, seeds, the run's token in /proc), and that the zygote goes with the app
and is replaced when it dies."""

from __future__ import annotations

import ast
import itertools
import os
import subprocess
import sys
import time

import pytest

from core.record import zygote_client
from core.record.runner import ScriptRun, run_script
from tests.core.record.runner_support import BOOT, ROOT, SHORT, alive

ZYGOTE = ROOT / "core" / "record" / "zygote.py"


@pytest.fixture
def warm(monkeypatch):
    monkeypatch.delenv("BPS_NO_ZYGOTE", raising=False)
    assert zygote_client.warm_up(wait=120.0)
    return zygote_client.current(start=False)


def _run(tmp_path, text, name="script.py", **kwargs):
    script = tmp_path / name
    script.write_text(text)
    run_ = ScriptRun(script, limits=SHORT, bootstrap=BOOT, workdir=tmp_path / "record",
                     **kwargs)
    run_.start()
    return run_, run_.wait(timeout=60)


def test_every_import_is_torch_or_the_standard_library():
    found = set()
    for node in ast.walk(ast.parse(ZYGOTE.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module != "__future__":
            assert node.level == 0
            found.add(node.module.split(".")[0])
    assert "torch" in found
    assert found - {"torch"} <= set(sys.stdlib_module_names), found


def test_a_forked_run_sees_what_python_gives_a_fresh_process(tmp_path, warm):
    text = ("import os, sys, random\nprint(sys.argv == [__file__], __name__)\n"
            "print(sys.path[0] == os.path.dirname(__file__), os.getcwd() == sys.path[0])\n"
            "print(os.getsid(0) == os.getpid(), os.environ['MPLBACKEND'])\n"
            "print(sys.stdout.encoding, sys.stdout.write_through)\n"
            "print(random.random())\n")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, one = _run(tmp_path / "a", text)
    second, two = _run(tmp_path / "b", text)
    assert first.via_zygote and second.via_zygote
    assert one.status == two.status == "ok", one.stderr_lines
    assert one.stdout_lines[:4] == ["True __main__", "True True", "True Agg", "utf-8 True"]
    assert one.stdout_lines[4] != two.stdout_lines[4]          # reseeded after the fork


def test_a_fork_of_the_run_carries_its_token_in_proc_environ(tmp_path, warm):
    text = ("import os, time\nr, w = os.pipe()\npid = os.fork()\n"
            "if pid == 0:\n    time.sleep(30)\n    os._exit(0)\n"
            "print(pid, flush=True)\nprint(open(f'/proc/{pid}/environ', 'rb').read()"
            ".count(os.environ['BPS_RUN_TOKEN'].encode()))\n")
    run_, result = _run(tmp_path, text)
    assert run_.via_zygote
    assert result.status == "ok", result.stderr_lines
    child, count = map(int, result.stdout_lines)
    assert count == 1
    assert not alive(child)                    # found by its token and ended with the run


def test_the_zygote_exits_when_its_socket_closes():
    zygote = zygote_client.Zygote()
    assert zygote.ready.wait(120)
    zygote._sock.close()
    assert zygote.dead.wait(10)
    assert not alive(zygote.pid)


def test_a_dead_zygote_means_one_subprocess_run_then_a_new_zygote(tmp_path, warm):
    os.kill(warm.pid, 9)
    assert warm.dead.wait(10)
    script = tmp_path / "s.py"
    script.write_text("print('hi')\n")
    result = run_script(script, limits=SHORT, bootstrap=BOOT, workdir=tmp_path / "r1",
                        start_zygote=True)
    assert (result.status, result.stdout_lines) == ("ok", ["hi"])
    fresh = zygote_client.current(start=False)
    assert fresh is not warm and fresh.ready.wait(120)
    run_, again = _run(tmp_path, "print('again')\n")
    assert run_.via_zygote and again.stdout_lines == ["again"]


def test_a_run_outlives_its_zygote(tmp_path, warm):
    script = tmp_path / "s.py"
    script.write_text("import time\ntime.sleep(1.0)\nprint('done')\n")
    run_ = ScriptRun(script, limits=SHORT, bootstrap=BOOT, workdir=tmp_path / "r")
    run_.start()
    assert run_.via_zygote
    time.sleep(0.3)
    os.kill(warm.pid, 9)
    result = run_.wait(timeout=30)
    assert (result.status, result.returncode, result.stdout_lines) == ("ok", 0, ["done"])


def test_a_one_shot_run_script_starts_no_zygote_the_second_does(tmp_path, monkeypatch):
    """The CLI runs one script: a zygote would import torch a second time for nothing."""
    from core.record import runner

    monkeypatch.delenv("BPS_NO_ZYGOTE", raising=False)
    monkeypatch.setattr(runner, "_run_script_calls", itertools.count())
    monkeypatch.setattr(zygote_client, "_current", None)
    script = tmp_path / "s.py"
    script.write_text("print('hi')\n")
    first = run_script(script, limits=SHORT, bootstrap=BOOT, workdir=tmp_path / "r1")
    assert first.stdout_lines == ["hi"] and zygote_client._current is None
    second = run_script(script, limits=SHORT, bootstrap=BOOT, workdir=tmp_path / "r2")
    assert second.stdout_lines == ["hi"] and zygote_client._current is not None
    zygote_client._current.kill()


def test_main_py_record_zygote_runs_the_bootstrap(tmp_path, monkeypatch):
    """The bundle's zygote is ``backprop-stepper --record-zygote`` (main.py)."""
    monkeypatch.delenv("BPS_NO_ZYGOTE", raising=False)
    monkeypatch.setattr(zygote_client, "zygote_command",
                        lambda: [sys.executable, str(ROOT / "main.py"), "--record-zygote"])
    monkeypatch.setattr(zygote_client, "_current", None)
    assert zygote_client.warm_up(wait=120.0)
    try:
        run_, result = _run(tmp_path, "import torch\nprint(torch.ones(2).sum().item())\n")
        assert run_.via_zygote
        assert (result.status, result.stdout_lines) == ("ok", ["2.0"])
        assert (tmp_path / "record" / "summary.json").exists()
    finally:
        zygote_client.current(start=False).kill()


def test_wait_with_a_timeout_raises_as_popen_does(tmp_path, warm):
    script = tmp_path / "s.py"
    script.write_text("import time\ntime.sleep(1.5)\nraise SystemExit(3)\n")
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        child = zygote_client.spawn([sys.executable, str(script)], tmp_path, dict(os.environ),
                                    null, null, null)
    finally:
        os.close(null)
    started = time.monotonic()
    with pytest.raises(subprocess.TimeoutExpired):
        child.wait(0.3)
    assert time.monotonic() - started < 1.2 and child.returncode is None
    assert child.wait(30) == 3 and child.wait(0) == 3
