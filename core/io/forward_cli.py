"""``--forward-mode NAME`` on the headless command line: the JSON part and the table."""

from __future__ import annotations

import numpy as np

from core.base.format import format_value, to_json_value
from core.engine.forward import Seed, compare_modes, cost, named_tangents, tangents, text
from core.engine.graph import ComputationGraph
from core.io.report import table


def run_forward_mode(graph: ComputationGraph, seed: Seed, with_torch: bool) -> tuple:
    """(graph, seed, our tangents by node, torch's report or None with --no-torch)."""
    found = tangents(graph, seed)
    report = None
    if with_torch:
        from core.checks.forward_torch import compare_forward  # noqa: PLC0415 - torch-free otherwise

        report = compare_forward(graph, seed, found)
    return graph, seed, found, report


def forward_json(graph: ComputationGraph, seed: Seed, found: dict, report) -> dict:
    """``{"wrt", "seed", "tangents", "torch_tangents", "match"}``; tangents keyed like
    ``values``; no ``torch_tangents`` without torch."""
    part = {
        "wrt": seed.wrt,
        "seed": to_json_value(seed.tangent),
        "tangents": {k: to_json_value(v) for k, v in named_tangents(graph, found).items()},
    }
    if report is not None:
        if report.available:
            part["torch_tangents"] = {k: to_json_value(v) for k, v in report.tangents.items()}
        if report.error:
            part["torch_error"] = report.error
    part["match"] = None if report is None or not report.available else report.match
    return part


def render_forward(graph: ComputationGraph, seed: Seed, found: dict, report) -> str:
    """The table of the text output: name | value | ∂name/∂w | torch | ✓."""
    ours = named_tangents(graph, found)
    rows = [["name", "value", f"∂·/∂{seed.wrt}", "torch", "ok"]]
    for name, i in graph.names.items():
        if report is None or not report.available or name not in report.tangents:
            theirs, ok = "", "—"
        else:
            theirs = format_value(report.tangents[name])
            ok = "✓" if report.ok.get(name) else "✗"
        rows.append([name, format_value(graph.nodes[i].value), format_value(ours[name]),
                     theirs, ok])
    title = text("title", wrt=seed.wrt)
    lines = ["", f"{title[0].upper()}{title[1:]} (seed ∂{seed.wrt}/∂{seed.wrt} = 1)",
             *table(rows), "", "Why backwards: " + cost(graph)]
    lines += ["  " + text("equal", output=graph.output_node.label, name=row.name,
                          forward=format_value(row.forward), reverse=format_value(row.reverse),
                          same="equal" if row.equal else "DIFFERENT")
              for row in compare_modes(graph, _reverse(graph))]
    if report is None:
        lines.append("PyTorch forward-mode check: skipped (--no-torch)")
    elif not report.available:
        lines.append(f"PyTorch forward-mode check: not available ({report.error})")
    else:
        status = "all match" if report.match else "MISMATCH: " + (report.error or ", ".join(
            k for k, v in report.ok.items() if not v))
        lines.append(f"PyTorch forward-mode check (torch.autograd.forward_ad): {status}")
    return "\n".join(lines) + "\n"


def _reverse(graph: ComputationGraph) -> dict[int, np.ndarray]:
    from core.engine.backprop import backward_pass, local_gradients  # noqa: PLC0415

    return backward_pass(graph, local_gradients(graph))[0]
