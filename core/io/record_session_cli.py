"""``main.py --headless --file SESSION.json`` on a session of a script (issue 20 §5): its
saved recording printed as ``--run`` prints a fresh one, without running anything;
``--pass K`` picks the pass whose steps are printed, as with ``--run`` (a forward-only
script's group K: its groups are numbered as passes are).

JSON keys, those of ``--run`` for what a session keeps: ``prints``, ``stderr``, ``exit``,
``passes``, ``forward``, ``parameters``, ``steps`` (no ``output_dropped``: a session keeps
only what the run kept). Exit status as ``--run``'s: 4 when the script raised or was
stopped, 1 when a saved pass's rule disagrees with torch, else 0; 3 when the output
cannot be written. A session holding a script but no recording is exit 2: run it.
"""

from __future__ import annotations

import json
import sys
import tempfile

import numpy as np

from core.base.format import to_json_value
from core.base.output import stdout_is_unicode, write_stdout
from core.io.record_cli import (
    EXIT_BAD_INPUT,
    EXIT_MISMATCH,
    EXIT_OK,
    EXIT_RAISED,
    chosen_group,
    chosen_pass,
    exit_json,
    forward_json,
    group_steps,
    ours_vs_torch,
    passes_json,
    summary_text,
)
from core.io.report import steps_json
from core.record.recording import RecordError
from core.record.saved import restore_recording
from core.record.to_trace import pass_trace

NO_RECORDING = ("{0} holds a script but no recording of it: save its text as a .py file "
                "and run it with --run FILE")


def print_saved(args, session) -> int:
    """Print the saved recording of ``session`` (a core.io.session.Session of a script)."""
    saved = session.settings.get("recording")
    if saved is None:
        print("error: " + NO_RECORDING.format(args.file), file=sys.stderr)
        return EXIT_BAD_INPUT
    with tempfile.TemporaryDirectory(prefix="bps-saved-") as folder:
        try:
            run, recording = restore_recording(saved, folder)
        except (RecordError, OSError, ValueError) as exc:
            print(f"error: {args.file}: its recording cannot be read: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT
        k, warning = chosen_pass(recording, getattr(args, "pass_", None))
        passes, mismatches, found = passes_json(recording, k)
        steps, table = [], []
        if found is not None:
            try:
                trace = pass_trace(*found)
                steps, table = steps_json(trace), ours_vs_torch(trace)
            except (RecordError, ValueError) as exc:
                warning = f"pass {k} cannot be stepped: {exc}"
        elif k is not None:
            warning = f"pass {k} was saved only as a summary"
        group, group_warning = chosen_group(recording, getattr(args, "pass_", None))
        if group is not None:  # a forward-only script: --pass K is its group K
            steps, table, problem = group_steps(recording, group, steps_json, saved=True)
            warning = "; ".join(w for w in (group_warning, problem) if w) or None
        exit_ = exit_json(run, recording)
        if warning:
            print(f"warning: {warning}", file=sys.stderr)
        if args.json:
            data = {"prints": run.stdout_text.splitlines(), "stderr": run.stderr_lines,
                    "exit": exit_, "passes": passes,
                    "forward": forward_json(recording),
                    "parameters": {name: to_json_value(np.asarray(v, dtype=np.float64)[()])
                                   for name, v in recording.parameters.items()},
                    "steps": steps}
            text = json.dumps(data, ensure_ascii=not stdout_is_unicode()) + "\n"
        else:
            if run.stderr_lines:
                sys.stderr.write("\n".join(run.stderr_lines) + "\n")
            text = run.stdout_text + summary_text(recording, passes, k, table, exit_, group)
    failed = write_stdout(text)
    if failed is not None:
        return failed
    if exit_["status"] != "ok":
        return EXIT_RAISED
    return EXIT_MISMATCH if mismatches else EXIT_OK
