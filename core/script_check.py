"""Each ``backward()`` of a script checked with torch autograd: the graph the engine built
for that call, rebuilt in torch (float64), its loss and the parameters' gradients."""

from __future__ import annotations

import numpy as np

from core.script_values import ScriptRun


def check_rows(run: ScriptRun) -> None:
    from core.torch_check import build_torch_graph, release, same, torch_available  # noqa: PLC0415

    ok, error = torch_available()
    if not ok:
        run.torch_error = error
        return
    import torch  # noqa: PLC0415

    try:
        for row in run.rows:
            graph = row.graph
            tensors = build_torch_graph(graph, torch, torch.float64)
            loss = tensors[graph.output]
            loss.backward()
            fresh = {}
            for node in graph.parameters:
                grad = tensors[node.id].grad
                fresh[node.name] = np.zeros(np.shape(node.value)) if grad is None \
                    else grad.detach().numpy().copy()[()]
            match = same(row.loss, loss.item(), 1e-9, 1e-12)
            for name, grad in fresh.items():
                previous = _previous(run, row, name)
                mine = row.grads.get(name)
                if mine is not None:
                    match = match and same(mine, previous + grad, 1e-9, 1e-9)
            row.torch_match = bool(match)
            del loss
            release(tensors)
    except Exception as exc:  # torch refused something we accepted: report, don't crash
        run.torch_error = f"PyTorch raised {type(exc).__name__}: {exc}"


def _previous(run: ScriptRun, row, name: str):
    """The .grad before this call, which backward() adds to."""
    del run
    return row.grads_before.get(name, 0.0)


def script_report(text: str, draws: list | None = None) -> dict:
    """The worker's answer to a script check: a ✓ per backward() call, what the torch side
    printed and the code it ran. The window never imports torch; this runs in the worker."""
    from core.script import run_script  # noqa: PLC0415 - core.script imports this module

    run = run_script(text, check_torch=True, keep_partial=True, draws=draws)
    return {"available": run.torch_error is None, "error": run.torch_error,
            "rows": [{"iteration": r.iteration, "torch_match": r.torch_match}
                     for r in run.rows],
            "printed": [], "code": ""}
