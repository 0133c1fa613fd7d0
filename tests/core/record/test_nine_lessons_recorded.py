"""The nine lesson scripts the whitelist interpreter ran (resources/examples/lessons/10-…18-)
pass through the recorder (issue 20 §4: what the interpreter passed, before it retires):
Python's prints byte for byte, a pass per backward() call, every kept pass with nodes,
all of them registry ops and no mismatch, the parameters at the end the script's own
(the same file run here with real torch), the by-hand lesson a forward graph, and the
update outside no_grad() torch's own error at its line (exit 4), the pass before it kept."""

from __future__ import annotations

import contextlib
import io
import runpy

import numpy as np
import pytest
import torch

from tests.core.record.record_support import LESSONS

#: lesson -> backward() calls (its loop's length; 14 stops in its first iteration)
PASSES = {"10-regression-by-hand": 0, "11-regression-autograd": 20,
          "12-regression-nn-linear": 100, "13-mistake-forgot-zero-grad": 6,
          "14-mistake-update-outside-no-grad": 1, "15-logistic-regression": 50,
          "16-feed-forward-net": 60, "17-logistic-nn-sgd-momentum": 40,
          "18-nn-module-class": 30}


def prints_of(result: dict) -> bytes:
    return "".join(line + "\n" for line in result["prints"]).encode("utf-8")


def script_parameters(path) -> dict[str, np.ndarray]:
    """The file run here by runpy with real torch: its parameters when it ends, named as
    the recorder names them (the module's variable, then named_parameters())."""
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            names = runpy.run_path(str(path), run_name="__main__")
        except RuntimeError:  # lesson 14: torch's own error; its globals are gone
            return {}
    found, owned = {}, set()
    for name, value in names.items():
        if isinstance(value, torch.nn.Module):
            for sub, p in value.named_parameters():
                found[f"{name}.{sub}"] = p.detach().numpy()
                owned.add(id(p))
    for name, value in names.items():  # `[w, b] = model.parameters()` names no other one
        if isinstance(value, torch.Tensor) and value.requires_grad and value.is_leaf \
                and id(value) not in owned:
            found[name] = value.detach().numpy()
    return found


def test_the_nine_are_in_the_folder():
    stems = sorted(p.stem for p in LESSONS.glob("*.py") if "10" <= p.stem[:2] <= "18")
    assert stems == sorted(PASSES)


@pytest.mark.parametrize("stem", sorted(PASSES))
def test_each_lesson_runs_as_python_and_every_kept_pass_is_checked(runs, stem):
    path = LESSONS / f"{stem}.py"
    plain, (status, result) = runs(path)
    assert prints_of(result) == plain.stdout
    passes = result["passes"]
    assert [p["index"] for p in passes] == list(range(1, PASSES[stem] + 1))
    for p in passes:
        assert p["nodes"] > 0
        if p["kept"]:
            check = p["check"]
            assert check["compared"] > 0 and check["mismatches"] == 0, p
            assert check["failed"] == [] and check["torch_rule_only"] == [], p
    if stem.startswith("14-"):
        assert plain.returncode == 1 and status == 4
        error = result["exit"]["error"]
        assert result["exit"]["status"] == "raised" and error["type"] == "RuntimeError"
        assert error["line"] == 13  # `w -= 0.05 * w.grad`, outside no_grad()
        assert "in-place operation" in error["message"]
        assert passes[0]["kept"]
        return
    assert plain.returncode == 0 and status == 0, result["exit"]
    if not passes:  # by hand: no backward(), its forward ops
        assert result["forward"]["nodes"] > 0
        return
    assert result["forward"]["nodes"] == 0
    expected = script_parameters(path)
    assert sorted(result["parameters"]) == sorted(expected)
    for name, value in expected.items():
        np.testing.assert_array_equal(np.asarray(result["parameters"][name], dtype=np.float32)
                                      .reshape(value.shape), value)


@pytest.mark.parametrize(("stem", "groups"), [
    ("12-regression-nn-linear", [("model", ["transpose", "matmul", "add"]),
                                 ("loss", ["mse_loss"])]),
    ("16-feed-forward-net", [("model.0", ["transpose", "matmul", "add"]),
                             ("model.1", ["tanh"]),
                             ("model.2", ["transpose", "matmul", "add"]),
                             ("criterion", ["mse_loss"])]),
])
def test_a_modules_ops_are_grouped_under_its_path(tmp_path, stem, groups):
    """The canvas's band under a call (graph.groups): each op under the module whose
    forward computed it, as the script names it."""
    from core.record.recording import read_pass
    from core.record.to_trace import build_pass_graph
    from tests.core.record.record_support import record_dir

    done = record_dir(LESSONS / f"{stem}.py", tmp_path)
    assert done.returncode == 0, done.stderr
    graph = build_pass_graph(read_pass(tmp_path, tmp_path / "pass-000001.json")).graph
    found: dict[str, list[str]] = {}
    for node_id, label in sorted(graph.groups.items()):
        found.setdefault(label, []).append(graph.nodes[node_id].op)
    assert list(found.items()) == groups
