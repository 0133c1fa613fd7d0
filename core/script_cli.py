"""The headless command line for a script that trains itself: ``prints``, ``training`` rows,
and the first backward() call's values and gradients, as one JSON object or as text.

The engine runs here; the torch side runs in the worker (``main.py --torch-worker``, a
subprocess, as the window's does), which replays the script's torch tape and answers
with torch's numbers per backward() call and what it printed; they are judged here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from core.base.errors import ExpressionError
from core.base.format import format_value, to_json_value
from core.script import run_script
from core.script_check import from_report
from core.script_values import ScriptRun

EXIT_OK, EXIT_MISMATCH = 0, 1
ROOT = Path(__file__).resolve().parents[1]
#: the worker's whole answer, torch's import included (a 10,000-iteration loop is slow)
WORKER_TIMEOUT = 600


def worker_report(text: str, draws: list) -> dict:
    """The worker's :func:`core.script_check.script_report` for the text, given the same
    draws (nn.Linear's numbers without a seed are this run's)."""
    command = [sys.executable, "--torch-worker"] if getattr(sys, "frozen", False) else \
        [sys.executable, str(ROOT / "main.py"), "--torch-worker"]
    request = {"id": 1, "script": {"text": text,
                                   "draws": [to_json_value(d) for d in draws]}}
    try:
        done = subprocess.run(command, input=json.dumps(request) + "\n", capture_output=True,
                              text=True, timeout=WORKER_TIMEOUT, encoding="utf-8", check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return {"available": False, "error": f"the PyTorch worker did not answer: {exc}"}
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    try:
        answer = json.loads(lines[-1]) if lines else {}
    except json.JSONDecodeError:
        answer = {}
    if "script" not in answer:
        reason = answer.get("failure") or done.stderr.strip()[-300:] or "no answer"
        return {"available": False, "error": f"the PyTorch worker failed: {reason}"}
    return answer["script"]


def script_output(args, text: str, draws: list | None = None) -> tuple[str, int]:
    """(what to print, exit status); raises :class:`ExpressionError` for bad input.
    ``draws``: a saved session's numbers, given back as the window gives them back."""
    if args.train is not None:
        raise ExpressionError("the script trains itself: it has its own loop",
                              where="--train", hint="leave out --train (and --lr)")
    run = run_script(text, check_torch=False, draws=list(draws or ()))
    if not args.no_torch:
        from_report(run, worker_report(text, run.draws))
    status = EXIT_MISMATCH if any(r.torch_match is False for r in run.rows) else EXIT_OK
    if args.json:
        return json.dumps(script_json(run, not args.no_torch), indent=2) + "\n", status
    return render_script(run), status


def _named(values: dict) -> dict:
    return {k: to_json_value(v) if v is not None else None for k, v in values.items()}


def training_rows(run: ScriptRun) -> list[dict]:
    return [{"iteration": r.iteration, "loss": to_json_value(r.loss), "params": _named(r.params),
             "grads": _named(r.grads), "updated": _named(r.updated),
             "torch_match": r.torch_match} for r in run.rows]


def script_json(run: ScriptRun, checked: bool) -> dict:
    first = run.rows[0] if run.rows else None
    raised = any(r.torch_match is False for r in run.rows) and run.torch_error is not None
    torch_part: dict = {"available": checked and (run.torch_error is None or raised),
                        "match": (all(r.torch_match for r in run.rows) if checked and run.rows
                                  and (run.torch_error is None or raised) else None)}
    if run.torch_error:
        torch_part["error"] = run.torch_error
    if checked and run.torch_error is None:
        torch_part["printed"] = run.torch.get("printed", [])
        torch_part["code"] = run.torch.get("code", "")
    return {
        "prints": run.prints,
        "training": training_rows(run),
        **first_iteration(first),
        "torch": torch_part,
        "warnings": [],
    }


def first_iteration(first) -> dict:
    """``values``, ``grads`` and ``steps`` of the first backward() call's graph, as the
    straight-line program's JSON gives them (core.io.report's own functions, on its trace);
    the script's internal names (``_t3``) are left out."""
    if first is None or first.graph is None:
        return {"values": {}, "grads": {}, "steps": []}
    from core.engine.trace import Trace  # noqa: PLC0415
    from core.io.report import result_json  # noqa: PLC0415

    found = result_json(Trace(first.graph), {}, None)
    return {"values": {k: v for k, v in found["values"].items() if not k.startswith("_")},
            "grads": {k: v for k, v in found["grads"].items() if not k.startswith("_")},
            "steps": found["steps"]}


def render_script(run: ScriptRun) -> str:
    lines = ["The script prints:", *("  " + line for line in run.prints)]
    if run.rows:
        names = list(run.rows[0].params)
        lines += ["", f"Training: {len(run.rows)} backward() calls",
                  "  " + "  ".join(["iteration", "loss", *names,
                                    *(f"∂/∂{n}" for n in names), "torch"])]
        for r in run.rows:
            cells = [str(r.iteration), format_value(r.loss),
                     *(format_value(r.params[n]) for n in names),
                     *("None" if r.grads.get(n) is None else format_value(r.grads[n])
                       for n in names),
                     {True: "✓", False: "✗", None: "—"}[r.torch_match]]
            lines.append("  " + "  ".join(cells))
    if run.torch_error:
        lines.append(f"  PyTorch check: {run.torch_error}")
    return "\n".join(lines) + "\n"
