"""The ops' grad_fn facts used by the recorder (issue 18: an op's entry holds torch's
grad_fn name): a recorded call is mapped to a registry op only when torch's grad_fn for
it is the one the op's entry names (core.ops.grad_fn_of). A call whose grad_fn differs is
not that op: it stays torch's rule (``torch_rule_only``), with the difference reported in
``check.grad_fns``, never our rule applied silently."""

from __future__ import annotations

import json

from core.record.check import check_built
from core.record.recording import load_recording
from core.record.to_trace import build_pass_graph
from tests.core.record.record_support import SCRIPTS, record_dir


def test_every_call_written_each_way_has_its_ops_grad_fn(runs, tmp_path):
    _plain, (status, data) = runs(SCRIPTS / "grad_fns.py")
    assert status == 0, data["stderr"]
    (check,) = [p["check"] for p in data["passes"]]
    assert check["torch_rule_only"] == [] and check["mismatches"] == 0
    assert set(check) == {"compared", "mismatches", "failed", "torch_rule_only"}  # the contract
    done = record_dir(SCRIPTS / "grad_fns.py", tmp_path / "rec")
    assert done.returncode == 0, done.stderr
    built = build_pass_graph(load_recording(tmp_path / "rec").load_pass(1))
    assert (check_built(built).grad_fns_compared, check_built(built).grad_fns_differ) == (80, [])


def _mul_node(raw: dict) -> dict:
    return next(n for n in raw["nodes"] if n["op"] == "torch.Tensor.mul")


def test_a_call_whose_grad_fn_is_not_its_ops_stays_torchs_rule(tmp_path):
    """A real recording with one node's grad_fn changed, as a wrong mapping would leave it
    (torch made a DivBackward0 where the registry's mul makes a MulBackward0)."""
    script = tmp_path / "mul.py"
    script.write_text("import torch\nw = torch.tensor([1.5, -2.0], requires_grad=True)\n"
                      "x = torch.tensor([3.0, 0.5])\nloss = (w * x).sum()\nloss.backward()\n")
    done = record_dir(script, tmp_path / "rec")
    assert done.returncode == 0, done.stderr
    recording = load_recording(tmp_path / "rec")
    built = build_pass_graph(recording.load_pass(1))
    assert [n.op for n in built.graph.nodes if n.kind == "operation"] == ["mul", "sum"]
    check = check_built(built)
    assert (check.grad_fns_compared, check.grad_fns_differ) == (2, [])
    path = tmp_path / "rec" / "pass-000001.json"
    raw = json.loads(path.read_text())
    assert _mul_node(raw)["grad_fn"] == "MulBackward0"  # what the bootstrap recorded
    _mul_node(raw)["grad_fn"] = "DivBackward0"
    path.write_text(json.dumps(raw))
    built = build_pass_graph(load_recording(tmp_path / "rec").load_pass(1))
    assert [n.op for n in built.graph.nodes if n.kind == "operation"] == ["torch_rule", "sum"]
    check = check_built(built)
    assert check.torch_rule_only == ["torch.Tensor.mul"] and check.mismatches == 0
    assert (check.grad_fns_compared, check.grad_fns_differ) == (
        2, ["Tensor.mul: torch's DivBackward0, mul's MulBackward0"])
    del _mul_node(raw)["grad_fn"]  # a recording made before grad_fns were kept: not compared
    path.write_text(json.dumps(raw))
    built = build_pass_graph(load_recording(tmp_path / "rec").load_pass(1))
    assert [n.op for n in built.graph.nodes if n.kind == "operation"] == ["mul", "sum"]
    assert check_built(built).grad_fns_compared == 1
