"""The PyTorch check in a separate process, so importing torch never freezes the window.

Protocol, one JSON object per line: the window writes ``{"id": n, "session": {…}}`` to
stdin; the worker answers ``{"id": n, "report": {…}}`` on stdout. A training check,
``{"id": n, "train": {"session", "learning_rate", "iterations", "forget_zero_grad"}}``,
is answered with ``{"id": n, "training": {"torch_match": […], "losses": […], "error"}}``.
Forward mode, ``{"id": n, "forward": {"session", "wrt"}}``, is answered with
``{"id": n, "forward": {"wrt", "available", "match", "error", "ok", "tangents"}}``.
A training script, ``{"id": n, "script": {"text", "draws"}}``, is answered with
``{"id": n, "script": core.script_check.script_report(text, draws)}``: its torch tape
replayed by torch (the torch side of the command line's script check, too).
The session is data (the engine's JSON format), rebuilt here with the same engine, so
node ids agree. A training script, ``{"id": n, "script": {"text", "draws"}}``, is
answered with ``{"id": n, "script": {"available", "error", "rows", "printed", "code"}}``;
``{"id": n, "draw": {"text"}}`` with ``{"id": n, "draw": {"draws", "error"}}``, the numbers
it draws. No Qt here; torch is imported on the first request.
"""

from __future__ import annotations

import json
import os
import sys

NO_TORCH_ENV = "BACKPROP_STEPPER_NO_TORCH"


def report_dict(report) -> dict:
    from core.format import to_json_value

    return {
        "available": report.available,
        "match": report.match,
        "error": report.error,
        "printed": report.printed,
        "grad_fns": [list(pair) for pair in report.grad_fns],
        "mismatches": report.mismatches,
        "warnings": report.warnings,
        "rows": [
            {"name": r.name, "quantity": r.quantity, "ours": to_json_value(r.ours),
             "torch": to_json_value(r.torch), "numeric": to_json_value(r.numeric),
             "ok": bool(r.ok), "node": r.node, "note": r.note,
             "numeric_note": r.numeric_note}
            for r in report.rows
        ],
    }


def check(session_data: dict) -> dict:
    from core.session import session_from_dict
    from core.torch_check import compare
    from core.trace import build_trace

    session = session_from_dict(session_data, "request")
    trace = build_trace(session.text, session.bindings)
    return report_dict(compare(trace.graph, trace.grads, trace=trace))


def train_check(request: dict) -> dict:
    """Iterations from the session's values, each compared with torch.optim.SGD."""
    from core.session import session_from_dict
    from core.training import train

    session = session_from_dict(request["session"], "request")
    run = train(session.text, session.bindings, float(request["learning_rate"]),
                int(request["iterations"]), bool(request.get("forget_zero_grad")),
                check_torch=True)
    return {"torch_match": [it.torch_match for it in run.iterations],
            "losses": [it.loss for it in run.iterations], "error": run.torch_error}


def forward_check(request: dict) -> dict:
    """Forward mode from ``request["wrt"]``, checked with torch.autograd.forward_ad
    (issue 14): torch's tangent and a ✓ per named node."""
    from core.format import to_json_value
    from core.forward import parse_seed, tangents
    from core.forward_torch import compare_forward
    from core.session import session_from_dict
    from core.trace import build_trace

    session = session_from_dict(request["session"], "request")
    graph = build_trace(session.text, session.bindings).graph
    seed = parse_seed(graph, str(request["wrt"]), where="request")
    report = compare_forward(graph, seed, tangents(graph, seed))
    return {"wrt": seed.wrt, "available": report.available, "match": report.match,
            "error": report.error, "ok": report.ok,
            "tangents": {k: to_json_value(v) for k, v in report.tangents.items()}}


def script_check(request: dict) -> dict:
    """A training script checked per backward() call (core.script_check.script_report)."""
    from core.script_check import script_report

    return script_report(str(request["text"]), request.get("draws") or None)


def draw_numbers(request: dict) -> dict:
    """The numbers a script draws (nn.Linear's initial weights, torch.randn), drawn by
    torch here so that the window never imports it: ``{"draws": [...], "error"}``."""
    from core.format import to_json_value
    from core.script import run_script

    run = run_script(str(request["text"]), check_torch=False, keep_partial=True)
    return {"draws": [to_json_value(v) for v in run.draws],
            "error": None if run.error is None else str(run.error)}


def serve(stdin=None, stdout=None) -> int:
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    if os.environ.get(NO_TORCH_ENV):
        sys.modules["torch"] = None  # type: ignore[assignment]  # import torch → ImportError
    for line in stdin:
        if not line.strip():
            continue
        request_id = None
        try:
            request = json.loads(line)
            request_id = request.get("id")
            if "forward" in request:
                answer = {"id": request_id, "forward": forward_check(request["forward"])}
            elif "script" in request:
                answer = {"id": request_id, "script": script_check(request["script"])}
            elif "draw" in request:
                answer = {"id": request_id, "draw": draw_numbers(request["draw"])}
            elif "train" in request:
                answer = {"id": request_id, "training": train_check(request["train"])}
            else:
                answer = {"id": request_id, "report": check(request["session"])}
        except Exception as exc:  # a bad request must not end the worker
            answer = {"id": request_id, "failure": f"{type(exc).__name__}: {exc}"}
        stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")
        stdout.flush()
    return 0
