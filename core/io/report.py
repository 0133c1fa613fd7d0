"""The headless command line's output: the lesson's tables and the JSON object (the
command line itself: core/io/cli.py). Forward mode's and the recorder's outputs use the same
column layout (:func:`table`) and step format (:func:`steps_json`)."""

from __future__ import annotations

import numpy as np

from core import __version__
from core.base.format import format_value, matrix_lines, to_json_value
from core.engine.graph import Operand
from core.engine.trace import PHASE_TITLES, PHASES, BackwardStep, Trace, d
from core.engine.training import TrainingRun
from core.io.json_result import numeric_verdicts, step_value, torch_verdicts


def steps_json(trace: Trace, full: bool = True) -> list[dict]:
    """The steps; with ``full`` False a large value is a summary naming where it is."""
    graph = trace.graph
    named_grads = {graph.names[n] for n in trace.named_gradients()}
    steps = []
    for step in trace.steps:
        node = graph.nodes[step.node] if step.node is not None else None
        see = None
        if node is not None and node.name is not None and node.name in graph.names:
            see = "values" if step.phase == "forward" else \
                "grads" if step.phase == "backward" and node.id in named_grads else None
        entry = {
            "index": step.index,
            "phase": step.phase,
            "target": step.target,
            "formula": step.formula,
            "substituted": step.substituted,
            "value": step_value(step.value, see, full),
            "explanation": step.text,
        }
        if step.node is not None:
            entry["node"] = trace.graph.nodes[step.node].label
        if step.edge is not None:
            source, consumer, _ = step.edge
            entry["edge"] = [trace.graph.nodes[source].label, trace.graph.nodes[consumer].label]
        if isinstance(step, BackwardStep):
            entry["contributions"] = [
                {"via": trace.graph.nodes[c.consumer].label,
                 "upstream": step_value(c.upstream, None, full),
                 "local": step_value(c.local, None, full),
                 "value": step_value(c.value, None, full)}
                for c in step.contributions
            ]
        steps.append(entry)
    return steps


def result_json(trace: Trace, numeric: dict, report, full: bool = True) -> dict:
    """The JSON result; ``full`` False is the compact form (see core.io.json_result)."""
    graph = trace.graph
    values = {name: to_json_value(graph.nodes[i].value) for name, i in graph.names.items()}
    named_grads = trace.named_gradients()
    grads = {name: to_json_value(v) for name, v in named_grads.items()}
    if report is None:
        torch_part = {"available": False, "match": None}
    else:
        torch_part = {
            "available": report.available,
            "match": report.match,
            "values": {k: to_json_value(v) for k, v in report.values.items()} if full
            else torch_verdicts(report, "value"),
            "grads": {k: to_json_value(v) for k, v in report.grads.items()} if full
            else torch_verdicts(report, "grad"),
            "code": report.code,
            "printed": report.printed,
            "grad_fns": [list(pair) for pair in report.grad_fns],
            "mismatches": report.mismatches,
            "warnings": report.warnings,
        }
        if report.error:
            torch_part["error"] = report.error
    return {
        "output": graph.output_node.label,
        "values": values,
        "grads": grads,
        "steps": steps_json(trace, full),
        "numeric_grads": {k: to_json_value(v) for k, v in numeric.items()} if full
        else numeric_verdicts(numeric, named_grads),
        "torch": torch_part,
        "warnings": warnings_of(trace) + (report.warnings if report is not None else []),
    }


def warnings_of(trace: Trace) -> list[str]:
    return [f"{n.label}: {n.warning}" for n in trace.graph.nodes if n.warning]


def update_warnings(trace: Trace) -> list[str]:
    """A learning rate so large that the update overflows, in the app's own words."""
    rate = trace.learning_rate
    if rate is None:
        return []
    grads = trace.named_gradients()
    found = []
    for node in trace.graph.parameters:
        updated = np.asarray(node.value) - rate * np.asarray(grads.get(node.name, 0.0))
        if not np.all(np.isfinite(updated)) and np.all(np.isfinite(node.value)):
            found.append(f"{node.label}: the update {node.label} − lr · ∂/∂{node.label} "
                         "overflows (the learning rate is too large)")
    return found


def training_json(run: TrainingRun) -> list[dict]:
    return [{"iteration": it.iteration, "loss": to_json_value(it.loss),
             "params": {k: to_json_value(v) for k, v in it.params.items()},
             "grads": {k: to_json_value(v) for k, v in it.grads.items()},
             "updated": {k: to_json_value(v) for k, v in it.updated.items()},
             "torch_match": it.torch_match} for it in run.iterations]


def render_training(run: TrainingRun) -> str:
    names = list(run.iterations[0].params)
    rows = [["iteration", "loss", *names, *(f"∂/∂{n}" for n in names), "torch"]]
    for it in run.iterations:
        rows.append([str(it.iteration), format_value(it.loss),
                     *(format_value(it.params[n]) for n in names),
                     *(format_value(it.grads[n]) for n in names),
                     {True: "✓", False: "✗", None: "—"}[it.torch_match]])
    title = f"Training: {len(run.iterations)} iterations of gradient descent, lr = " \
            f"{format_value(run.learning_rate)}"
    if run.forget_zero_grad:
        title += " (zero_grad forgotten: gradients pile up)"
    lines = ["", title, *table(rows)]
    if run.torch_error:
        lines.append(f"  PyTorch check: {run.torch_error}")
    return "\n".join(lines) + "\n"


def render_tables(trace: Trace, numeric: dict, report) -> str:
    graph = trace.graph
    lines = [f"Backprop Stepper {__version__} — output: {graph.output_node.label}", ""]
    leaves = [n for n in graph.nodes if n.kind in ("data", "parameter")]
    lines.append("Inputs: " + ", ".join(f"{n.label} = {format_value(n.value)} ({n.kind})"
                                         for n in leaves))
    lines += matrix_lines((n.label, n.value) for n in leaves)
    for phase in PHASES:
        steps = [s for s in trace.steps if s.phase == phase]
        if not steps:
            continue
        lines += ["", PHASE_TITLES[phase]]
        rows = [["step", "equation"]]
        rows += [[str(s.index), s.equation if s.formula else s.text] for s in steps]
        lines += table(rows)
        if phase == "local":
            skipped = [d(Operand(graph.nodes[c].label, graph.nodes[c].atomic),
                         Operand(n.label, n.atomic)) for n in graph.nodes
                       for c, _ in graph.consumers[n.id]
                       if n.kind in ("data", "constant") and graph.relevant[c]]
            if skipped:
                lines.append("  not needed (data and constants get no gradient): "
                             + ", ".join(skipped))
    grads = trace.named_gradients()
    params = [n for n in graph.parameters]
    if params:
        lines += ["", "Gradients: " + ", ".join(
            f"∂{graph.output_node.label}/∂{n.label} = {format_value(grads[n.name])}"
            for n in params)]
        lines += matrix_lines((f"∂{graph.output_node.label}/∂{n.label}", grads[n.name])
                              for n in params)
    if report is None:
        lines += ["", "PyTorch check: skipped (--no-torch)"]
    elif not report.available:
        lines += ["", f"PyTorch check: not available ({report.error})"]
    else:
        status = "all match" if report.match else "MISMATCH: " + (
            report.error or ", ".join(report.mismatches))
        lines += ["", f"PyTorch check (float64): {status}"]
        rows = [["name", "", "ours", "torch", "numeric", "ok", ""]]
        for r in report.rows:
            numeric = format_value(r.numeric) if r.numeric is not None else ""
            rows.append([r.name, r.quantity, format_value(r.ours) if r.ours is not None else "—",
                         format_value(r.torch) if r.torch is not None else "None",
                         numeric + (" (unreliable)" if r.numeric_note else ""),
                         "✓" if r.ok else "✗", r.note or r.numeric_note or ""])
        lines += table(rows)
        lines += ["", "PyTorch prints:"] + ["  " + line for line in report.printed.splitlines()]
    return "\n".join(lines) + "\n"


def table(rows: list[list[str]]) -> list[str]:
    """Columns padded to their widest cell, except the last: padding every row to one
    long equation made tables mode quadratic (56 s at 50,000 nodes)."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)] + [0]
    return ["  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            for row in rows]
