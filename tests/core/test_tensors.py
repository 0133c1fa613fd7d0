"""Tensors: every new op against torch float64 and finite differences, and its texts.

Each case is a program over 2-D (and 1-D) leaves; the reference is torch called
directly on the same numbers (never the engine's torch twin), then central differences
from :mod:`core.checks.numeric`, then the engine's own ``compare``.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.base.format import format_number
from core.checks.numeric import numeric_gradients
from core.checks.torch_check import compare
from core.engine.trace import build_trace
from core.language.parser import ExpressionError, parse_number

RNG = np.random.default_rng(7)


def m(*shape, low=-1.5, high=1.5):
    """A matrix of distinct, moderate numbers, as program text."""
    return json.dumps(np.round(RNG.uniform(low, high, shape), 3).tolist())


A23, B32, C22, D23, V3, V2, E34 = m(2, 3), m(3, 2), m(2, 2), m(2, 3), m(3), m(2), m(3, 4)
P23 = m(2, 3, low=0.1, high=0.9)
Y23 = json.dumps([[0.0, 1.0, 1.0], [1.0, 0.0, 0.5]])

#: (id, program, torch reference over the leaves by name)
CASES = [
    ("matmul", f"A = param({A23})\nB = param({B32})\nC = {C22}\nloss = sum((A @ B) * C)",
     lambda t, v: ((v["A"] @ v["B"]) * v["C"]).sum()),
    ("torch-matmul", f"A = param({A23})\nB = param({B32})\nC = {C22}\n"
     "loss = (torch.matmul(A, B) * C).sum()", lambda t, v: ((v["A"] @ v["B"]) * v["C"]).sum()),
    ("mm-method", f"A = param({A23})\nB = param({B32})\nC = {C22}\nloss = (A.mm(B) * C).sum()",
     lambda t, v: ((v["A"] @ v["B"]) * v["C"]).sum()),
    ("vector-matrix", f"a = param({V2})\nA = param({A23})\nw = {V3}\nloss = sum((a @ A) * w)",
     lambda t, v: ((v["a"] @ v["A"]) * v["w"]).sum()),
    ("mv", f"A = param({A23})\nx = param({V3})\nw = {V2}\nloss = sum(torch.mv(A, x) * w)",
     lambda t, v: (t.mv(v["A"], v["x"]) * v["w"]).sum()),
    ("dot", f"a = param({V3})\nb = param({m(3)})\nloss = torch.dot(a, b) * 2",
     lambda t, v: t.dot(v["a"], v["b"]) * 2),
    ("dot-operator", f"a = param({V3})\nb = param({m(3)})\nloss = a @ b",
     lambda t, v: v["a"] @ v["b"]),
    ("transpose-T", f"A = param({A23})\nB = param({A23})\nloss = sum(A.T @ B * {m(3, 3)})",
     None),
    ("t-method", f"A = param({A23})\nC = {m(3, 2)}\nloss = sum(A.t() * C)",
     lambda t, v: (v["A"].t() * v["C"]).sum()),
    ("transpose-dims", f"A = param({A23})\nC = {m(3, 2)}\nloss = sum(A.transpose(0, 1) * C)",
     lambda t, v: (v["A"].transpose(0, 1) * v["C"]).sum()),
    ("reshape", f"A = param({A23})\nC = {m(3, 2)}\nloss = sum(A.reshape(3, 2) * C)",
     lambda t, v: (v["A"].reshape(3, 2) * v["C"]).sum()),
    ("view-minus-one", f"A = param({A23})\nC = {m(6)}\nloss = sum(A.view(-1) * C)",
     lambda t, v: (v["A"].view(-1) * v["C"]).sum()),
    ("flatten", f"A = param({A23})\nC = {m(6)}\nloss = sum(torch.flatten(A) * C)",
     lambda t, v: (v["A"].flatten() * v["C"]).sum()),
    ("unsqueeze", f"a = param({V3})\nC = {m(2, 3)}\nloss = sum(a.unsqueeze(0) * C)",
     lambda t, v: (v["a"].unsqueeze(0) * v["C"]).sum()),
    ("squeeze", f"A = param({m(1, 3)})\nC = {V3}\nloss = sum(A.squeeze(0) * C)",
     lambda t, v: (v["A"].squeeze(0) * v["C"]).sum()),
    ("sum-dim", f"A = param({A23})\nw = {V3}\nloss = sum(A.sum(dim=0) * w)",
     lambda t, v: (v["A"].sum(dim=0) * v["w"]).sum()),
    ("sum-dim-keepdim", f"A = param({A23})\nC = {A23}\nloss = sum(A.sum(dim=1, keepdim=True) * C)",
     lambda t, v: (v["A"].sum(dim=1, keepdim=True) * v["C"]).sum()),
    ("mean-negative-dim", f"A = param({A23})\nw = {V2}\nloss = sum(torch.mean(A, dim=-1) * w)",
     lambda t, v: (v["A"].mean(dim=-1) * v["w"]).sum()),
    ("max-dim", f"A = param({A23})\nw = {V2}\nloss = sum(A.max(dim=1).values * w)",
     lambda t, v: (v["A"].max(dim=1).values * v["w"]).sum()),
    ("min-dim-keepdim", f"A = param({A23})\nC = {A23}\n"
     "loss = sum(torch.min(A, dim=0, keepdim=True).values * C)",
     lambda t, v: (v["A"].min(dim=0, keepdim=True).values * v["C"]).sum()),
    ("softmax", f"A = param({A23})\nC = {D23}\nloss = sum(torch.softmax(A, dim=1) * C)",
     lambda t, v: (t.softmax(v["A"], dim=1) * v["C"]).sum()),
    ("softmax-dim0", f"A = param({A23})\nC = {D23}\nloss = sum(F.softmax(A, dim=0) * C)",
     lambda t, v: (t.softmax(v["A"], dim=0) * v["C"]).sum()),
    ("log-softmax", f"A = param({A23})\nC = {D23}\nloss = sum(A.log_softmax(dim=-1) * C)",
     lambda t, v: (t.log_softmax(v["A"], dim=-1) * v["C"]).sum()),
    ("mse-loss", f"A = param({A23})\nY = param({D23})\nloss = F.mse_loss(A, Y)",
     lambda t, v: t.nn.functional.mse_loss(v["A"], v["Y"])),
    ("bce", f"P = param({P23})\nY = {Y23}\nloss = F.binary_cross_entropy(P, Y)",
     lambda t, v: t.nn.functional.binary_cross_entropy(v["P"], v["Y"])),
    ("bce-of-sigmoid", f"Z = param({A23})\nY = {Y23}\n"
     "loss = torch.nn.functional.binary_cross_entropy(torch.sigmoid(Z), Y)",
     lambda t, v: t.nn.functional.binary_cross_entropy(t.sigmoid(v["Z"]), v["Y"])),
    ("cross-entropy", f"Z = param({m(4, 3)})\ny = torch.tensor([0, 2, 1, 2])\n"
     "loss = F.cross_entropy(Z, y)", None),
    ("ce-as-primitives", f"Z = param({m(4, 3)})\ny = torch.tensor([0, 2, 1, 2])\n"
     "loss = F.nll_loss(F.log_softmax(Z, dim=1), y)", None),
    ("cross-entropy-1d", f"z = param({V3})\ny = torch.tensor(2)\nloss = F.cross_entropy(z, y)",
     None),
    ("broadcast-row", f"A = param({A23})\nb = param({V3})\nC = {D23}\nloss = sum((A + b) * C)",
     lambda t, v: ((v["A"] + v["b"]) * v["C"]).sum()),
    ("broadcast-column", f"A = param({A23})\nc = param({m(2, 1)})\nC = {D23}\n"
     "loss = sum(A * c * C)", lambda t, v: (v["A"] * v["c"] * v["C"]).sum()),
    ("outer-broadcast", f"u = param({m(3, 1)})\nv = param({V2})\nC = {m(3, 2)}\n"
     "loss = sum((u - v) ** 2 * C)", lambda t, v: ((v["u"] - v["v"]) ** 2 * v["C"]).sum()),
    ("elementwise-2d", f"A = param({A23})\nC = {D23}\n"
     "loss = sum((torch.tanh(A) + A.exp() * torch.sigmoid(A) - relu(A)) * C)",
     lambda t, v: ((t.tanh(v["A"]) + v["A"].exp() * t.sigmoid(v["A"]) - t.relu(v["A"]))
                   * v["C"]).sum()),
    ("layer", f"X = {m(4, 3)}\nW = param({B32})\nb = param({V2})\ny = torch.tensor([0, 1, 1, 0])\n"
     "h = relu(X @ W + b)\nloss = F.cross_entropy(h, y)", None),
    ("two-layers", f"X = {m(4, 3)}\nW1 = param({E34})\nb1 = param({m(4)})\nW2 = param({m(4, 2)})\n"
     "y = torch.tensor([1, 0, 1, 1])\nh = torch.tanh(X @ W1 + b1)\nz = h @ W2\n"
     "loss = F.cross_entropy(z, y)", None),
    ("number-over-matrix", f"A = param({P23})\nloss = sum(2.5 / A)",
     lambda t, v: (2.5 / v["A"]).sum()),
]


def _torch_reference(torch, trace, ref):
    """Leaves as torch float64 tensors; the loss from ``ref`` or, where ``ref`` is None,
    rebuilt by the engine's own generated code (still an independent run of torch)."""
    graph = trace.graph
    leaves = {}
    for node in graph.nodes:
        if node.kind in ("data", "parameter") and node.name:
            if node.integer:
                leaves[node.name] = torch.tensor(np.asarray(node.value).astype(np.int64))
            else:
                leaves[node.name] = torch.tensor(np.asarray(node.value), dtype=torch.float64,
                                                 requires_grad=node.kind == "parameter")
    if ref is None:
        return None, leaves
    loss = ref(torch, leaves)
    loss.backward()
    return loss, leaves


@pytest.mark.parametrize(("text", "ref"), [pytest.param(t, r, id=i) for i, t, r in CASES])
def test_tensor_ops_match_torch_and_finite_differences(torch, same, text, ref):
    trace = build_trace(text)
    graph = trace.graph
    loss, leaves = _torch_reference(torch, trace, ref)
    if loss is not None:
        same(graph.output_node.value, loss.detach().numpy()[()])
        for name, tensor in leaves.items():
            if tensor.requires_grad:
                ours = trace.gradient(graph.names[name])
                assert np.shape(ours) == tuple(tensor.shape), name
                same(ours, tensor.grad.numpy())
    report = compare(graph, trace.grads)
    assert report.error is None, report.error
    assert report.match, report.mismatches
    numeric = numeric_gradients(graph)
    for node in graph.parameters:
        assert numeric[node.name] is not None, f"{node.name}: finite differences refused"
        same(trace.gradient(node.id), numeric[node.name], rtol=1e-5, atol=1e-6)


def test_transpose_T_against_torch(torch, same):
    text = f"A = param({A23})\nB = param({A23})\nC = {m(3, 3)}\nloss = sum(A.T @ B * C)"
    trace = build_trace(text)
    g = trace.graph
    a, b, c = (torch.tensor(np.asarray(g.nodes[g.names[n]].value), dtype=torch.float64,
                            requires_grad=n != "C") for n in "ABC")
    loss = (a.T @ b * c).sum()
    loss.backward()
    same(trace.gradient(g.names["A"]), a.grad.numpy())
    same(trace.gradient(g.names["B"]), b.grad.numpy())


def test_cross_entropy_matches_torch_with_class_labels(torch, same):
    z = np.round(RNG.normal(size=(5, 4)), 3)
    labels = [3, 0, 1, 1, 2]
    trace = build_trace(f"Z = param({json.dumps(z.tolist())})\ny = torch.tensor({labels})\n"
                        "loss = F.cross_entropy(Z, y)")
    tz = torch.tensor(z, dtype=torch.float64, requires_grad=True)
    loss = torch.nn.functional.cross_entropy(tz, torch.tensor(labels))
    loss.backward()
    same(trace.graph.output_node.value, loss.item())
    same(trace.gradient(trace.graph.names["Z"]), tz.grad.numpy())
    # the fused rule is what the local step shows, with its numbers
    local = next(s for s in trace.steps if s.phase == "local")
    assert local.formula == "(softmax(Z) − onehot(y)) / 5"
    assert trace.graph.nodes[trace.graph.names["y"]].integer
    assert "dtype=torch.long" in compare(trace.graph, trace.grads).code


def test_max_along_a_dim_sends_the_gradient_to_torchs_index_on_ties(torch, same):
    values = [[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]]
    trace = build_trace(f"A = param({values})\nloss = sum(A.max(dim=1).values)")
    t = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    t.max(dim=1).values.sum().backward()
    same(trace.gradient(trace.graph.names["A"]), t.grad.numpy())
    assert numeric_gradients(trace.graph) == {"A": None}  # a tie: not a smooth point


# ---- texts -------------------------------------------------------------------------


LAYER = ("X = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [0.5, -1.0, 2.0], [1.5, 0.0, -2.0]]\n"
         "W = param([[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]])\nb = param([0.1, -0.2])\n"
         "h = relu(X @ W + b)\nloss = mean(h)")


def test_matmul_local_step_shows_its_rule_with_shapes_and_no_number():
    trace = build_trace(LAYER)
    step = next(s for s in trace.steps if s.phase == "local" and s.target == "∂(X @ W)/∂W")
    assert step.value is None
    assert step.equation == "∂(X @ W)/∂W: G ↦ Xᵀ · G (4×2 → 3×2)"
    assert "no single number" in step.text
    from core.io.cli import steps_json

    entry = next(e for e in steps_json(trace) if e["index"] == step.index)
    assert entry["value"] is None and "Xᵀ · G" in entry["formula"]


def test_matmul_backward_step_shows_numbers_and_shapes():
    trace = build_trace(LAYER)
    step = trace.steps[-1]
    assert step.target == "∂loss/∂W"
    assert step.formula == "Xᵀ · ∂loss/∂(X @ W)"
    assert step.substituted == "(3×2 = 3×4 · 4×2)"  # X has 12 entries: shapes, not numbers
    assert step.equation.startswith("∂loss/∂W = Xᵀ · ∂loss/∂(X @ W) = (3×2 = 3×4 · 4×2) = [[")
    assert "Chain rule through X @ W: its gradient G = ∂loss/∂(X @ W) is known now" in step.text


def test_long_tensors_are_abbreviated_in_step_texts_and_complete_in_json():
    trace = build_trace("w = param(torch.ones(1000))\nloss = sum(w * 2)")
    text = " ".join(s.equation for s in trace.steps)
    assert "[1000 values]" in text
    from core.io.cli import result_json

    result = result_json(trace, {}, None)
    assert result["grads"]["w"] == [2.0] * 1000


def test_element_expansion_and_tiny_jacobian():
    from core.engine.expand import expand_element, jacobian_of

    trace = build_trace(LAYER)
    step = trace.steps[-1]
    text = expand_element(trace, step, (0, 1))
    assert text.startswith("∂loss/∂W[0, 1] = Σ_b X[b, 0] · G[b, 1] = 1 · ")
    expected = trace.gradient(trace.graph.names["W"])[0, 1]
    assert f" = {format_number(expected)}  (G = ∂loss/∂(X @ W))" in text
    assert text.count(" · ") == 1 + 4  # the rule's product, then one per row of X
    local = next(s for s in trace.steps if s.phase == "local" and s.target == "∂(X @ W)/∂W")
    jac = jacobian_of(trace, local)
    assert jac is not None and jac.shape == (8, 6)
    X = np.array(trace.graph.nodes[trace.graph.names["X"]].value)
    np.testing.assert_array_equal(jac, np.kron(X, np.eye(2)))  # ∂(XW)[b,j]/∂W[i,k] = X[b,i]δjk
    assert jacobian_of(trace, next(s for s in trace.steps if s.phase == "local"
                                   and s.target.startswith("∂h/"))) is not None


# ---- shapes and bad input ------------------------------------------------------------------


@pytest.mark.parametrize(("text", "message"), [
    ("X = torch.ones(4, 2)\nW = param(torch.ones(3, 1))\ny = X @ W\nloss = sum(y)",
     "line 3, column 5: X @ W: 4×2 @ 3×1 — the inner sizes 2 and 3 differ"),
    ("A = param(torch.ones(2, 3))\nB = torch.ones(3, 2)\nloss = sum(A + B)",
     "A + B: the shapes 2×3 and 3×2 do not broadcast"),
    ("A = param(torch.ones(2, 3))\nloss = sum(A.sum(dim=2))", "dim=2 is out of range"),
    ("A = param(torch.ones(2, 3))\nloss = sum(softmax(A, dim=-3))", "dim=-3 is out of range"),
    ("A = param(torch.ones(2, 3))\nloss = sum(A.reshape(4, 2))", "has 6 entries"),
    ("A = param(torch.ones(2, 3))\nloss = sum(torch.mm(A, A))", "the inner sizes 3 and 2"),
    ("a = param(torch.ones(3))\nloss = torch.mm(a, a)", "mm takes two matrices"),
    ("Z = param(torch.ones(2, 3))\ny = torch.tensor([0.5, 1])\nloss = F.cross_entropy(Z, y)",
     "holds class indices, whole numbers from 0 to 2, not 0.5"),
    ("Z = param(torch.ones(2, 3))\ny = torch.tensor([0, 3])\nloss = F.cross_entropy(Z, y)",
     "whole numbers from 0 to 2, not 3"),
    ("Z = param(torch.ones(2, 3))\ny = torch.tensor([0, 1, 2])\nloss = F.cross_entropy(Z, y)",
     "the target must hold one class per row (2), not 3"),
    ("Z = param(torch.ones(2, 3))\ny = param([0.0, 1.0])\nloss = F.cross_entropy(Z, y)",
     "must be data, not computed from a parameter"),
    ("P = param(torch.full((2, 2), 0.5))\nloss = F.mse_loss(P, torch.ones(3))",
     "the input is 2×2 but the target is 3"),
    ("A = param(torch.ones(2, 3))\nloss = sum(A)\nB = A.T @ A.T", "inner sizes 2 and 3"),
    ("w = param(torch.zeros(1000, 1000))\nloss = sum(w.reshape(1000, 1000, 1) "
     "+ w.reshape(1, 1000, 1000))", "at most 1,000,000"),
    ("A = param([[1.0, 2.0], [3.0]])", "the rows have different lengths"),
    ("A = param(torch.ones(2, 3))\nloss = sum(softmax(A))", "softmax needs dim="),
])
def test_shape_errors_name_both_shapes_and_the_place(text, message):
    with pytest.raises(ExpressionError) as info:
        build_trace(text)
    assert message in str(info.value)


def test_value_fields_read_matrices():
    np.testing.assert_array_equal(parse_number("[[1, 2], [3, −4]]", "x"), [[1, 2], [3, -4]])
    with pytest.raises(ExpressionError, match="different lengths"):
        parse_number("[[1, 2], [3]]", "x")


def test_sessions_keep_matrices_and_read_version_1(tmp_path):
    from core.engine.graph import Binding
    from core.io.session import VERSION, Session, load_session, save_session, session_from_dict

    session = Session("loss = sum(W)", {"W": Binding("parameter", np.array([[1.0, 2.0],
                                                                          [3.0, np.nan]]))})
    data = session.to_dict()
    assert data["version"] == VERSION == 2
    assert data["variables"]["W"]["value"] == [[1.0, 2.0], [3.0, "nan"]]
    save_session(session, tmp_path / "s.json")
    back = load_session(tmp_path / "s.json").bindings["W"].value
    assert back.shape == (2, 2) and np.isnan(back[1, 1])
    old = session_from_dict({"format": "backprop-stepper-session", "version": 1,
                             "text": "loss = sum(w)",
                             "variables": {"w": {"role": "parameter", "value": [1, 2]}}})
    np.testing.assert_array_equal(old.bindings["w"].value, [1.0, 2.0])


def test_random_tensors_are_torchs_own_numbers(torch, same):
    trace = build_trace("torch.manual_seed(3)\nW = torch.randn(3, 2, requires_grad=True)\n"
                        "u = torch.rand(4)\nloss = sum(W) * sum(u)")
    torch.manual_seed(3)
    w, u = torch.randn(3, 2), torch.rand(4)
    g = trace.graph
    same(g.nodes[g.names["W"]].value, w.double().numpy())
    same(g.nodes[g.names["u"]].value, u.double().numpy())
    assert g.nodes[g.names["W"]].kind == "parameter"


def test_random_tensors_need_torch():
    from core.language.draws import forbidden

    with forbidden(), pytest.raises(ExpressionError, match="--no-torch"):
        build_trace("W = torch.randn(2, 2, requires_grad=True)\nloss = sum(W)")


@pytest.mark.parametrize(("text", "expected"), [
    ("torch.zeros(2, 3)", lambda t: t.zeros(2, 3)),
    ("torch.ones((2, 2))", lambda t: t.ones(2, 2)),
    ("torch.full((2, 3), 1.5)", lambda t: t.full((2, 3), 1.5)),
    ("torch.eye(3)", lambda t: t.eye(3)),
    ("torch.eye(2, 3)", lambda t: t.eye(2, 3)),
    ("torch.arange(5)", lambda t: t.arange(5)),
    ("torch.arange(1, 2, 0.25)", lambda t: t.arange(1, 2, 0.25)),
    ("torch.linspace(0, 1, 7)", lambda t: t.linspace(0, 1, 7, dtype=t.float64)),
    ("torch.linspace(-3, 2.5, 11)", lambda t: t.linspace(-3, 2.5, 11, dtype=t.float64)),
])
def test_constructors_match_torch(torch, same, text, expected):
    trace = build_trace(f"w = param(1.0)\nx = {text}\nloss = sum(x * w)")
    same(trace.graph.nodes[trace.graph.names["x"]].value, expected(torch).double().numpy())


def test_relu_of_minus_zero_is_minus_zero_as_torch():
    trace = build_trace("w = param(-0.0)\nloss = relu(w)")
    assert np.signbit(trace.graph.output_node.value)
    assert compare(trace.graph, trace.grads).match


def test_pasted_pytorch_forms_are_the_same_ops():
    forms = ["F.relu(A)", "torch.relu(A)", "A.relu()", "relu(A)",
             "torch.nn.functional.relu(A)"]
    ops = {tuple(n.op for n in build_trace(f"import torch.nn.functional as F\n"
                                           f"A = param({A23})\nloss = sum({f})").graph.operations)
           for f in forms}
    assert ops == {("relu", "sum")}


def test_cross_entropy_stepped_as_its_primitives_gives_the_fused_gradient(same):
    z = json.dumps(np.round(RNG.normal(size=(3, 4)), 3).tolist())
    fused = build_trace(f"Z = param({z})\ny = torch.tensor([1, 3, 0])\n"
                        "loss = F.cross_entropy(Z, y)")
    steps = build_trace(f"Z = param({z})\ny = torch.tensor([1, 3, 0])\n"
                        "p = F.log_softmax(Z, dim=1)\nloss = F.nll_loss(p, y)")
    same(steps.graph.output_node.value, fused.graph.output_node.value)
    same(steps.gradient(steps.graph.names["Z"]), fused.gradient(fused.graph.names["Z"]))
    local = [s.formula for s in steps.steps if s.phase == "local"]
    assert local == ["−onehot(y) / 3", "G ↦ G − exp(p) ⊙ Σ_1 G"]


# ---- forward mode: every op's JVP against torch.func.jvp ---------------------------------

def _arr(*shape, positive=False):
    x = RNG.uniform(0.2, 0.9, shape) if positive else RNG.uniform(-1.5, 1.5, shape)
    return np.round(x, 3)


JVP_CASES = [
    ("add", (_arr(2, 3), _arr(3)), {}), ("mul", (_arr(2, 3), _arr(2, 1)), {}),
    ("div", (_arr(2, 3), _arr(2, 3, positive=True)), {}), ("tanh", (_arr(2, 3),), {}),
    ("relu", (_arr(4),), {}), ("powc", (_arr(3, positive=True),), {"k": 2.5}),
    ("sum", (_arr(2, 3),), {"dim": 1}), ("mean", (_arr(2, 3),), {"dim": 0, "keepdim": True}),
    ("max", (_arr(2, 3),), {"dim": 1}), ("min", (_arr(5),), {}),
    ("softmax", (_arr(2, 3),), {"dim": 1}), ("log_softmax", (_arr(2, 3),), {"dim": 0}),
    ("matmul", (_arr(2, 3), _arr(3, 4)), {"form": "@"}),
    ("matmul", (_arr(3), _arr(3, 2)), {"form": "@"}),
    ("transpose", (_arr(2, 3),), {"dims": (0, 1), "form": ".T"}),
    ("reshape", (_arr(2, 3),), {"shape": (3, 2)}), ("flatten", (_arr(2, 3),), {}),
    ("unsqueeze", (_arr(3),), {"dim": 1}), ("squeeze", (_arr(1, 3),), {"dim": 0}),
    ("mse_loss", (_arr(2, 3), _arr(2, 3)), {}),
]


@pytest.mark.parametrize(("key", "inputs", "attrs"), JVP_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(JVP_CASES)])
def test_jvp_matches_torch_forward_mode(torch, same, key, inputs, attrs):
    from core.ops import OPS, forward, jvp

    entry = OPS[key]
    tangents = tuple(RNG.normal(size=np.shape(x)) for x in inputs)
    out = forward(entry, inputs, attrs)
    ours = jvp(entry, tangents, inputs, out, attrs)
    import warnings

    import torch.autograd.forward_ad as fwad

    with fwad.dual_level(), warnings.catch_warnings():
        # torch loads its forward-mode decompositions through torch.jit.script once,
        # which warns that jit.script is deprecated: torch's own matter, not ours
        warnings.filterwarnings("ignore", "`torch.jit.script` is deprecated",
                                DeprecationWarning)
        duals = [fwad.make_dual(torch.tensor(x, dtype=torch.float64),
                                torch.tensor(t, dtype=torch.float64))
                 for x, t in zip(inputs, tangents, strict=True)]
        theirs = fwad.unpack_dual(entry.torch(torch, *duals, **attrs)).tangent
    same(ours, theirs.numpy())


# ---- the command line -------------------------------------------------------------------

def test_cli_takes_a_matrix_and_prints_rows_and_nested_json(capsys):
    from core.io.cli import run

    argv = ["--headless", "--no-torch", "--expr", "loss = sum(W @ x)",
            "--param", "W=[[1, 2], [3, 4]]", "--input", "x=1, -1"]
    assert run(argv) == 0
    out = capsys.readouterr().out
    assert "  W (2×2) =\n    [[1, 2],\n     [3, 4]]" in out
    assert run([*argv, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["values"]["W"] == [[1.0, 2.0], [3.0, 4.0]]
    assert result["grads"]["W"] == [[1.0, -1.0], [1.0, -1.0]]
    local = [s for s in result["steps"] if s["phase"] == "local"]
    assert any(s["value"] is None and "G ↦" in s["formula"] for s in local)


def test_cli_shape_error_is_exit_2_with_one_error_line(capsys):
    from core.io.cli import run

    code = run(["--headless", "--no-torch", "--expr",
                "X = torch.ones(4, 2)\nW = param(torch.ones(3, 1))\ny = X @ W\nloss = sum(y)"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip().splitlines() == [
        "error: line 3, column 5: X @ W: 4×2 @ 3×1 — the inner sizes 2 and 3 differ"]


def test_generated_code_builds_the_same_shapes(torch, same):
    """The code the PyTorch panel shows, run for real, prints what printed_output says."""
    import contextlib
    import io

    from core.checks.torch_check import generate_code, printed_output

    trace = build_trace(LAYER.replace("loss = mean(h)", "y = torch.tensor([1, 0, 0, 1])\n"
                                      "loss = F.cross_entropy(h, y)"))
    code = generate_code(trace.graph)
    assert "W = torch.tensor([[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]], requires_grad=True)" in code
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        exec(compile(code, "generated", "exec"), {"__name__": "__main__"})  # noqa: S102 - our own generated code
    assert buffer.getvalue() == printed_output(trace.graph)


def test_generated_code_keeps_the_sign_of_a_minus_zero_constant():
    """``-0 / w`` is a Python -0.0 over a tensor: written as ``0 / w`` it would flip an
    infinity's sign (found by the property test once ``c / w`` was drawn)."""
    from core.checks.torch_check import generate_code, printed_output

    trace = build_trace("x = param(-2.4568003970377346)\ns = x * ((-0) / x.sin())\nloss = x / s")
    code = generate_code(trace.graph)
    assert "(-0.0) / torch.sin(x)" in code
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        exec(compile(code, "generated", "exec"), {"__name__": "__main__"})  # noqa: S102 - our own generated code
    assert buffer.getvalue() == printed_output(trace.graph)


def test_the_rounding_note_skips_a_sum_along_one_dim():
    """Found by the property test: a sum with dim= that torch rounded differently in the
    last bit crashed the note (it is about one whole sum's number)."""
    import numpy as np

    from core.checks.rounding import exact_note
    from core.engine.trace import build_trace

    trace = build_trace("p2 = param([[1.0, 0.681]])\nt1 = (torch.exp(p2)).sum(dim=-2)\n"
                        "loss = t1.sum()\n")
    graph = trace.graph
    node = graph.names["t1"]
    ours = np.asarray(graph.nodes[node].value)
    theirs = ours + np.array([0.0, np.spacing(ours[1])])
    assert exact_note(graph, node, ours, theirs) is None
