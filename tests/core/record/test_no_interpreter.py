"""The recorder's side never reaches the whitelist interpreter (core/script*.py,
core/loop_trace.py), which retires once the recorder passes what it passed (issue 20
§4): the command line's --run, a recording read and turned into traces, and their check."""

from __future__ import annotations

import subprocess
import sys

from tests.core.record.record_support import ROOT

MODULES = ("core.io.record_cli", "core.record.to_trace", "core.record.check",
           "core.record.recording", "core.record.saved", "core.io.record_session_cli",
           "core.engine.optimizer_step")


def test_the_recorders_modules_import_no_interpreter_module():
    code = ("import sys\n" + "".join(f"import {m}\n" for m in MODULES)
            + "print(sorted(m for m in sys.modules if m == 'core.loop_trace'"
              " or m.startswith('core.script')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
