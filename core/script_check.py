"""Each ``backward()`` of a script checked with torch: the script's torch tape replayed
by torch itself (core/script_torch.py), in the script's dtype, and compared per call —
the loss, every parameter's ``.grad`` (None stays None) and the parameters at the end of
that loop iteration — with a tolerance suited to the dtype.

The engine computes in float64; torch runs in float32 unless the script says
``dtype=torch.float64``, and a float32 run drifts from the exact one over the iterations.
The tolerance is relative to the size of each array (its largest number), so a gradient
that has almost vanished near a minimum is compared with the size of the parameters'
gradients over the run, not with its own last digits; a loss near 0 likewise with the
largest loss of the run (float32's own w is 2/3 to 7 digits: (3w − 2)² is 2e-13 there,
3e-20 here) and with the size of the terms it was summed from.
"""

from __future__ import annotations

import numpy as np

from core.base import agreement
from core.base.agreement import largest
from core.script_tape import Tape
from core.script_values import ScriptRun

#: relative tolerances: float32 carries ~7 digits, and loses a few more over a run (Adam
#: amplifies the differences most: 1.5e-5 over the feed-forward lesson)
RTOL = {"float32": 2e-4, "float64": 1e-8}


def check_rows(run: ScriptRun, tape: Tape | None = None) -> None:
    from core.checks.torch_check import torch_available  # noqa: PLC0415

    ok, error = torch_available()
    if not ok:
        run.torch_error = error
        return
    if tape is None:
        return
    from core.script_torch import replay  # noqa: PLC0415

    params = {n: t.tid for n, t in run.parameters.items() if t.tid is not None}
    try:
        torch_side = replay(tape.events, params)
    except Exception as exc:  # torch refused something we accepted: a disagreement
        run.torch_error = f"PyTorch raised {type(exc).__name__}: {exc}"
        run.torch = {"raised": True}
        for row in run.rows:
            row.torch_match = False
        return
    from core.script_code import render  # noqa: PLC0415

    rows = [{"loss": loss, "grads": grads,
             "updated": torch_side.updated[i] if i < len(torch_side.updated) else {}}
            for i, (loss, grads) in enumerate(zip(torch_side.losses, torch_side.grads,
                                                  strict=True))]
    run.torch = {"printed": torch_side.printed, "rows": rows,
                 "code": render(tape.events, tape.names, params)}
    judge(run)


def judge(run: ScriptRun) -> None:
    """Each row's ``torch_match``, from what torch computed (``run.torch["rows"]``: the
    loss, the grads and the updated parameters of each backward() call)."""
    dtype = run.torch["dtype"] = script_dtype(run)
    found = run.torch.get("rows", [])
    scales = {name: _scale(run, name) for name in run.parameters}
    largest_loss = max((abs(r.loss) for r in run.rows if np.isfinite(r.loss)), default=0.0)
    for i, row in enumerate(run.rows):
        if i >= len(found):
            row.torch_match = False
            continue
        loss, grads, updated = found[i]["loss"], found[i]["grads"], found[i]["updated"]
        match = agree(row.loss, loss, dtype, max(_loss_scale(row), largest_loss))
        for name, mine in row.grads.items():
            match = match and (mine is None) == (grads.get(name) is None) \
                and (mine is None or agree(mine, grads[name], dtype, scales.get(name, 0.0)))
        for name, mine in row.updated.items():
            if name in updated:
                match = match and agree(mine, updated[name], dtype)
        row.torch_match = bool(match)
        found[i]["torch_match"] = row.torch_match


def script_dtype(run: ScriptRun) -> str:
    """float64 when every parameter is float64, else float32 (torch's default)."""
    kinds = {t.dtype for t in run.parameters.values()}
    return "float64" if kinds == {"float64"} else "float32"


def _loss_scale(row) -> float:
    """The size of the terms the loss was summed from (core.checks.rounding.value_scales): a
    loss near its minimum is mostly cancellation, and float32 keeps the terms' digits."""
    from core.checks.rounding import value_scales  # noqa: PLC0415

    graph = row.graph
    if graph is None:
        return 0.0
    return float(np.max(value_scales(graph)[graph.output], initial=0.0))


def _scale(run: ScriptRun, name: str) -> float:
    """The largest |.grad| the parameter had over the run: a vanishing gradient's size."""
    sizes = [float(np.max(np.abs(r.grads[name]))) for r in run.rows
             if r.grads.get(name) is not None and np.size(r.grads[name])]
    return max(sizes, default=0.0)


def agree(ours, theirs, dtype: str, scale: float = 0.0) -> bool:
    """:func:`core.base.agreement.agree` relative to the whole array (its largest number, or
    ``scale`` where that is larger), with the dtype's tolerance; nan equals nan."""
    tiny = np.finfo(np.float32 if dtype == "float32" else np.float64).tiny
    if np.shape(ours) != np.shape(theirs):
        return False
    size = largest(ours, theirs, scale=scale)
    return agreement.agree(ours, theirs, size, rtol=RTOL[dtype], atol=tiny)


def run_checked(text: str, keep_partial: bool = False, draws: list | None = None) -> ScriptRun:
    """Run the script (:func:`core.script.run_script`), then check each backward() call
    with torch (:func:`check_rows`)."""
    from core.script import run_script  # noqa: PLC0415 - core.script is big; scripts only

    run = run_script(text, check_torch=True, keep_partial=keep_partial, draws=draws)
    check_rows(run, run.tape)
    return run


def script_report(text: str, draws: list | None = None) -> dict:
    """The worker's answer to a script check: a ✓ per backward() call, what the torch side
    printed and the code it ran. The window never imports torch; this runs in the worker."""
    run = run_checked(text, keep_partial=True, draws=draws)
    found = run.torch.get("rows", [])
    return {"available": run.torch_error is None or bool(run.torch.get("raised")),
            "error": run.torch_error, "raised": bool(run.torch.get("raised")),
            "rows": [{"iteration": r.iteration, "torch_match": r.torch_match,
                      **(_json_row(found[i]) if i < len(found) else {})}
                     for i, r in enumerate(run.rows)],
            "printed": run.torch.get("printed", []), "code": run.torch.get("code", ""),
            "dtype": run.torch.get("dtype", "float32")}


def from_report(run: ScriptRun, report: dict) -> None:
    """The worker's answer (:func:`script_report`, run in another process) judged against
    this process's run: the torch numbers come from there, the engine's from here."""
    if report.get("error") or not report.get("available"):
        run.torch_error = report.get("error") or "PyTorch is not available"
        if report.get("raised"):  # torch refused what the engine ran: every row disagrees
            for row in run.rows:
                row.torch_match = False
        return

    def arrays(d: dict) -> dict:
        return {k: None if v is None else np.asarray(v, dtype=np.float64)[()]
                for k, v in d.items()}

    run.torch = {"printed": list(report.get("printed", [])), "code": report.get("code", ""),
                 "rows": [{"loss": float(r["loss"]), "grads": arrays(r["grads"]),
                           "updated": arrays(r["updated"])}
                          for r in report.get("rows", []) if "loss" in r]}
    judge(run)


def _json_row(row: dict | None) -> dict:
    from core.base.format import to_json_value  # noqa: PLC0415

    if row is None:
        return {}
    named = lambda d: {k: None if v is None else to_json_value(v) for k, v in d.items()}  # noqa: E731
    return {"loss": to_json_value(row["loss"]), "grads": named(row["grads"]),
            "updated": named(row["updated"])}
