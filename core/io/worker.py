"""The PyTorch check in a separate process, so importing torch never freezes the window.

Protocol, one JSON object per line: the window writes ``{"id": n, FIELD: {…}}`` to stdin
and the worker answers ``{"id": n, ANSWER: {…}}`` on stdout (or ``{"id": n, "failure":
"…"}``). :data:`REQUESTS` is the whole protocol, one row per kind of request: its FIELD,
its ANSWER and the handler that computes it. The window's side
(gui/state/torch_service.py, ``TorchService.ask(kind, payload)``) reads the same table.

- ``check``: ``{"session": {…}}`` → ``{"report": {…}}`` (core.checks.torch_check.compare);
- ``train``: ``{"train": {"session", "learning_rate", "iterations", "forget_zero_grad"}}``
  → ``{"training": {"torch_match": […], "losses": […], "error"}}``;
- ``forward``: ``{"forward": {"session", "wrt"}}`` → ``{"forward": {"wrt", "available",
  "match", "error", "ok", "tangents"}}``.

A script is never sent here: it runs as Python in a child process of its own (core/record).

The session is data (the engine's JSON format), rebuilt here with the same engine, so
node ids agree. No Qt here; torch is imported on the first request.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass

NO_TORCH_ENV = "BACKPROP_STEPPER_NO_TORCH"


def report_dict(report) -> dict:
    from core.base.format import to_json_value

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
    from core.checks.torch_check import compare
    from core.engine.build import build
    from core.io.session import session_from_dict

    session = session_from_dict(session_data, "request")
    trace = build(session.text, session.bindings)
    return report_dict(compare(trace.graph, trace.grads, trace=trace))


def train_check(request: dict) -> dict:
    """Iterations from the session's values, each compared with torch.optim.SGD."""
    from core.engine.training import train
    from core.io.session import session_from_dict

    session = session_from_dict(request["session"], "request")
    run = train(session.text, session.bindings, float(request["learning_rate"]),
                int(request["iterations"]), bool(request.get("forget_zero_grad")),
                check_torch=True)
    return {"torch_match": [it.torch_match for it in run.iterations],
            "losses": [it.loss for it in run.iterations], "error": run.torch_error}


def forward_check(request: dict) -> dict:
    """Forward mode from ``request["wrt"]``, checked with torch.autograd.forward_ad
    (issue 14): torch's tangent and a ✓ per named node."""
    from core.base.format import to_json_value
    from core.checks.forward_torch import compare_forward
    from core.engine.build import build
    from core.engine.forward import parse_seed, tangents
    from core.io.session import session_from_dict

    session = session_from_dict(request["session"], "request")
    graph = build(session.text, session.bindings).graph
    seed = parse_seed(graph, str(request["wrt"]), where="request")
    report = compare_forward(graph, seed, tangents(graph, seed))
    return {"wrt": seed.wrt, "available": report.available, "match": report.match,
            "error": report.error, "ok": report.ok,
            "tangents": {k: to_json_value(v) for k, v in report.tangents.items()}}


@dataclass(frozen=True)
class Request:
    """One kind of request: the field it is sent in, the field of its answer, and the
    handler that computes the answer (here, in the worker)."""

    field: str
    answer: str
    handler: Callable[[dict], dict]
    #: the window's default supersede key: a newer request of this kind drops an older one
    key: str | None = None


#: kind → its request; the order is the order a request's fields are looked for
REQUESTS: dict[str, Request] = {
    "forward": Request("forward", "forward", forward_check, key="forward"),
    "train": Request("train", "training", train_check),
    "check": Request("session", "report", check),
}


def answer(request: dict) -> dict:
    """The answer to one request (its kind found by its field; a check by default)."""
    kind = next((k for k, r in REQUESTS.items() if r.field in request), "check")
    spec = REQUESTS[kind]
    return {"id": request.get("id"), spec.answer: spec.handler(request[spec.field])}


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
            reply = answer(request)
        except Exception as exc:  # a bad request must not end the worker
            reply = {"id": request_id, "failure": f"{type(exc).__name__}: {exc}"}
        stdout.write(json.dumps(reply, ensure_ascii=False) + "\n")
        stdout.flush()
    return 0
