"""The headless command line for a script that trains itself: ``prints``, ``training`` rows,
and the first backward() call's values and gradients, as one JSON object or as text."""

from __future__ import annotations

import json

from core.errors import ExpressionError
from core.format import format_value, to_json_value
from core.script import run_script
from core.script_values import ScriptRun

EXIT_OK, EXIT_MISMATCH = 0, 1


def script_output(args, text: str) -> tuple[str, int]:
    """(what to print, exit status); raises :class:`ExpressionError` for bad input."""
    if args.train is not None:
        raise ExpressionError("the script trains itself: it has its own loop",
                              where="--train", hint="leave out --train (and --lr)")
    run = run_script(text, check_torch=not args.no_torch)
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
    torch_part: dict = {"available": checked and run.torch_error is None,
                        "match": (all(r.torch_match for r in run.rows) if checked and run.rows
                                  and run.torch_error is None else None)}
    if run.torch_error:
        torch_part["error"] = run.torch_error
    return {
        "prints": run.prints,
        "training": training_rows(run),
        "values": _named(first.params) if first else {},
        "grads": _named(first.grads) if first else {},
        "torch": torch_part,
        "warnings": [],
    }


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
