"""The whitelist interpreter (core/script*.py, core/loop_trace.py) is retired: the recorder
passes what it passed (issue 20 §4), its files are gone, and nothing the command line,
the worker or the window imports names it."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.core.record.record_support import ROOT

MODULES = ("core.io.record_cli", "core.record.to_trace", "core.record.check",
           "core.record.recording", "core.record.saved", "core.io.record_session_cli",
           "core.engine.optimizer_step", "core.engine.build", "core.io.cli", "core.io.worker",
           "gui.state.assemble", "gui.window.main_window")


def test_the_interpreters_files_are_gone():
    core = ROOT / "core"
    assert sorted(p.name for p in core.glob("script*.py")) == []
    assert not (core / "loop_trace.py").exists()
    assert not (core / "language" / "printing.py").exists()


def test_the_recorder_the_command_line_and_the_window_import_no_interpreter_module():
    code = ("import sys\n" + "".join(f"import {m}\n" for m in MODULES)
            + "print(sorted(m for m in sys.modules if m == 'core.loop_trace'"
              " or m.startswith('core.script') or m == 'core.language.printing'))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
