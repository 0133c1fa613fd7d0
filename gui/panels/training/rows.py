"""The Training table's words for a recorded run (issue 20 §4): a row per ``backward()``
call, from the pass's numbers when it was kept whole, else from its summary (the loss
and each gradient's norm); the ✓ is our rules against torch's recorded gradients."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication

from core.base.format import format_value, full_precision

translate = QCoreApplication.translate
SUMMARY_MARK = "—"


def parameter_names(history: list) -> list[str]:
    """The parameters, in the order the first pass that names them gives."""
    names: dict[str, None] = {}
    for row in history:
        for name in (*row.params, *row.grad_norms):
            names.setdefault(name, None)
    return list(names)


def cells(row, names: list[str]) -> list[tuple[str, str]]:
    """(text, tooltip) per column but the last: #, loss, then each parameter's value and
    .grad (a summary row: the gradient's norm)."""
    loss = row.loss
    out = [(str(row.iteration), ""),
           (format_value(loss), full_precision(loss)) if loss is not None else ("", "")]
    summary = translate("TrainingPanel", "Only a summary of this pass was kept")
    for name in names:
        value, grad = row.params.get(name), row.grads.get(name)
        if value is not None:
            after = row.updated.get(name)
            tip = full_precision(value) if after is None else translate(
                "TrainingPanel", "{0} → {1} after the update").format(
                full_precision(value), full_precision(after))
            out.append((format_value(value), tip))
        else:
            out.append(("", summary if not row.kept else ""))
        if grad is not None:
            out.append((format_value(grad), full_precision(grad)))
        elif row.grad_norms.get(name) is not None:
            norm = format_value(np.float64(row.grad_norms[name]))
            out.append((f"‖·‖ = {norm}", translate(
                "TrainingPanel", "The gradient's norm (only a summary of this pass was kept)")))
        else:
            out.append(("", ""))
    return out


def mark(row) -> tuple[str, str]:
    """The PyTorch column: ✓ / ✗ for a kept pass, … while it is read, — for a summary."""
    if not row.kept:
        return SUMMARY_MARK, translate(
            "TrainingPanel", "Only a summary of this pass was kept: choose it to run again, "
            "keeping it")
    if row.torch_match is None:
        return "…", ""
    if row.torch_match:
        return "✓", translate(
            "TrainingPanel", "Our rule for each node, applied to the recorded values, gives "
            "torch's recorded gradient")
    return "✗", translate(
        "TrainingPanel", "Our rules differ from torch's recorded gradients at: {0}").format(
        ", ".join(row.failed))


def status(history: list, checking: bool) -> str:
    """The line under the table for a recorded run."""
    kept = [row for row in history if row.kept]
    summaries = len(history) - len(kept)
    bad = sum(1 for row in kept if not row.torch_match)
    if checking:
        text = translate("TrainingPanel",
                         "Checking the kept passes against torch's recorded gradients…")
    elif not kept:
        text = translate("TrainingPanel", "No pass was kept whole: nothing to check")
    elif not bad:
        text = translate("TrainingPanel",
                         "All {0} kept passes match torch's recorded gradients ✓").format(
            len(kept))
    else:
        text = translate("TrainingPanel",
                         "{0} of {1} kept passes differ from torch's recorded gradients ✗"
                         ).format(bad, len(kept))
    if summaries:
        text += " " + translate(
            "TrainingPanel", "({0} passes kept as summaries: the loss and each gradient's "
            "norm)").format(summaries)
    return text


def now_text(run, row) -> str:
    """The line above the plot: the pass on screen, its loss and (kept) parameters."""
    values = ", ".join(f"{name} = {format_value(v)}" for name, v in row.params.items())
    if len(values) > 60:
        values = translate("TrainingPanel", "{0} parameters").format(len(row.params))
    loss = format_value(row.loss) if row.loss is not None else "?"
    if not values:
        return translate("TrainingPanel", "Pass {0} of {1} · loss = {2}").format(
            row.iteration, run.count, loss)
    return translate("TrainingPanel", "Pass {0} of {1}: {2} · loss = {3}").format(
        row.iteration, run.count, values, loss)


def norm_series(history: list, names: list[str]) -> dict[str, list[float]]:
    """Per parameter, the gradient's norm at each pass (nan where none was recorded)."""
    series = {}
    for name in names:
        numbers = [row.grad_norms.get(name) for row in history]
        series[f"‖{name}.grad‖"] = [np.nan if n is None else float(n) for n in numbers]
    return series
