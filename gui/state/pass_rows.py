"""The Training table's rows for a recorded run (issue 20 §4): one per ``backward()`` call.

Every pass has a summary (its loss, each parameter's gradient norm, the update's size),
so a row exists at once for each. A kept pass adds its numbers: the parameters its
forward pass used, their ``.grad`` and their values after ``optimizer.step()``, and the
check of our rules against torch's recorded gradients. Those are read from the record
folder in a worker thread (:func:`kept_numbers`): nothing here touches Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from core.base.values import as_value


@dataclass
class PassRow:
    """A recorded pass as the Training table shows it (the attributes of
    core.engine.training.Iteration, plus what a summary holds)."""

    iteration: int  # the pass, from 1
    loss: float | None
    kept: bool
    grad_norms: dict[str, float | None] = field(default_factory=dict)
    update: float | None = None
    #: a kept pass's numbers (empty until read, and for a summary)
    params: dict[str, np.ndarray] = field(default_factory=dict)
    grads: dict[str, np.ndarray] = field(default_factory=dict)
    updated: dict[str, np.ndarray] = field(default_factory=dict)
    #: our rules against torch's recorded gradients (None: not checked, or a summary)
    torch_match: bool | None = None
    failed: list[str] = field(default_factory=list)


def summary_rows(recording) -> list[PassRow]:
    """A row per pass from the recording's summaries (cheap: no pass is read)."""
    return [PassRow(p.index, p.loss, p.kept, dict(p.grad_norms), p.update)
            for p in recording.passes]


def kept_numbers(recording) -> dict[int, dict]:
    """Per kept pass: ``{"params", "grads", "updated", "match", "failed"}`` (a worker's
    job: each kept pass is read and checked; one that cannot be read is left out)."""
    from core.record.check import check_built
    from core.record.to_trace import build_pass_graph

    numbers: dict[int, dict] = {}
    for summary in recording.passes:
        if not summary.kept:
            continue
        try:
            record = recording.load_pass(summary.index)
            if record is None:
                continue
            check = check_built(build_pass_graph(record))
        except (OSError, ValueError, KeyError, IndexError, ArithmeticError):
            continue  # the folder went (a new run) or the pass cannot be read: no numbers
        params, grads = {}, {}
        for node in record.nodes:
            if node.kind == "parameter" and node.name and node.value is not None:
                params[node.name] = as_value(node.value)
                if node.grad is not None:
                    grads[node.name] = as_value(node.grad)
        updated = {}
        for name, step in ((record.optimizer or {}).get("params") or {}).items():
            if step.get("after") is not None:
                updated[name] = as_value(step["after"])
        numbers[summary.index] = {
            "params": params, "grads": grads, "updated": updated,
            "match": check.mismatches == 0,
            "failed": list(check.failed)}
    return numbers


def apply_numbers(rows: list[PassRow], numbers: dict[int, dict]) -> None:
    """The kept passes' numbers into their rows (on the GUI thread)."""
    for row in rows:
        found = numbers.get(row.iteration)
        if found is None:
            continue
        row.params, row.grads, row.updated = found["params"], found["grads"], found["updated"]
        row.torch_match, row.failed = found["match"], found["failed"]
