"""The recorder's parts, which run in the script's process (bootstrap.py, beside this
folder, is their entry): torch and the standard library only, and relative imports
within this folder only, because bootstrap.py run by path loads the folder under a
private name (a learner's folder may hold its own ``core/``; a learner's venv may lack
numpy).

- ``tape.py``: a node per call, and the helpers the other parts share;
- ``writer.py``: the record folder (.npy written by hand, JSON; never pickle);
- ``recorder.py``: the TorchFunctionMode, made of ``call_recording.py`` (each call a
  node, updates written by hand), ``pass_recording.py`` (each backward() a pass, the
  optimizer around it, the pass written) and ``group_recording.py`` (a forward-only
  script's loop iterations);
- ``script.py``: what is read from the script's text and its end (loops, assignment
  targets, plots, its error and traceback, its parameters).

Imports nothing of the app: core.record.bootstrap imports this package.
"""

from .recorder import Recorder
from .script import PLOTS, _error_line, _parameters, _patch_pyplot, _print_traceback
from .tape import _off, _on
from .writer import CountingOut, Writer

#: what bootstrap.py takes from here
__all__ = ["PLOTS", "CountingOut", "Recorder", "Writer", "_error_line", "_off", "_on",
           "_parameters", "_patch_pyplot", "_print_traceback"]
