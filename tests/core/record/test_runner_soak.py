"""Soak (``make soak``): 200 random straight-line programs as plain Python + torch scripts,
each run through the runner (the real recorder bootstrap) and compared with plain Python.

The programs come from tests/core/program_gen.py, turned into scripts by
``core.checks.torch_check.generate_code``. Plain Python runs a batch of them in one interpreter
(torch takes seconds to import); the runner runs each in its own child, as a learner's
script would run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.checks.torch_check import generate_code
from core.engine.graph import build_graph
from core.record.runner import BOOTSTRAP, RunLimits, run_script

pytest.importorskip("torch")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # program_gen.py
from program_gen import programs  # noqa: E402

BATCH = 10
#: runs plain Python on each script file, as ``python FILE`` would, in one interpreter
_PLAIN = r"""
import contextlib, io, json, os, runpy, sys
out = []
for path in json.loads(sys.stdin.read()):
    buffer = io.StringIO()
    os.chdir(os.path.dirname(path))
    with contextlib.redirect_stdout(buffer):
        try:
            runpy.run_path(path, run_name="__main__")
            status = 0
        except BaseException as exc:
            status = type(exc).__name__
    out.append([status, buffer.getvalue()])
print(json.dumps(out))
"""


@pytest.mark.soak
@settings(max_examples=200 // BATCH, deadline=None)
@given(batch=st.lists(programs(), min_size=BATCH, max_size=BATCH))
def test_random_scripts_print_through_the_runner_what_plain_python_prints(batch, tmp_path_factory):
    if not BOOTSTRAP.exists():
        pytest.skip("core/record/bootstrap.py is not on this branch yet")
    folder = tmp_path_factory.mktemp("soak")
    paths = []
    for i, g in enumerate(batch):
        path = folder / f"script_{i}" / "program.py"
        path.parent.mkdir()
        path.write_text(generate_code(build_graph(g.text, g.bindings)), encoding="utf-8")
        paths.append(str(path))
    plain = subprocess.run([sys.executable, "-c", _PLAIN], input=json.dumps(paths),
                           capture_output=True, text=True, timeout=600)
    assert plain.returncode == 0, plain.stderr
    for path, (status, stdout) in zip(paths, json.loads(plain.stdout), strict=True):
        result = run_script(path, limits=RunLimits(timeout_s=60, memory_mb=2000),
                            workdir=Path(path).parent / "record")
        code = Path(path).read_text()
        assert (result.status == "ok") == (status == 0), f"{code}\n{result.error}"
        assert result.stdout_text == stdout, code
