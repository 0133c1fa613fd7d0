"""Every op of the registry, forward and local gradient, scalar, vector and broadcast.

Three references, none of them the engine's own torch twin: torch float64 autograd called
directly here, central finite differences (away from kinks), and, at kinks and domain
edges, the exact numbers torch gives (relu'(0) = 0, ties split, sqrt'(0) = inf, …).
Then the same through the whole pipeline (text → graph → trace) and ``compare``.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from core.checks.numeric import numeric_gradients
from core.engine.graph import Binding, build_graph
from core.engine.trace import Trace, build_trace
from core.ops import OPS, UNARY_FUNCTIONS

ALL_OPS = {"add", "sub", "mul", "div", "rdiv", "neg", "powc", "pow", "exp", "log", "sqrt",
           "sin", "cos", "tanh", "sigmoid", "relu", "abs", "maximum", "minimum", "sum", "mean",
           "max", "min", "softmax", "log_softmax", "matmul", "transpose", "reshape", "view",
           "flatten", "unsqueeze", "squeeze", "mse_loss", "binary_cross_entropy",
           "cross_entropy", "nll_loss", "conv2d", "max_pool2d", "avg_pool2d", "leaky_relu",
           "elu", "softplus", "gelu", "dropout", "torch_rule"}
REDUCTIONS = {"sum", "mean", "max", "min"}
LOSSES = {"mse_loss", "binary_cross_entropy", "cross_entropy", "nll_loss"}
VJP_ONLY = {"softmax", "log_softmax", "matmul", "transpose", "reshape", "view", "flatten",
            "unsqueeze", "squeeze", "conv2d", "max_pool2d", "avg_pool2d", "torch_rule"}

# torch, written independently of OPS[...].torch
TORCH = {
    "add": lambda t, a, b: a + b,
    "sub": lambda t, a, b: a - b,
    "mul": lambda t, a, b: a * b,
    "div": lambda t, a, b: a / b,
    "neg": lambda t, a: -a,
    "powc": lambda t, a, k: a ** k,
    "pow": lambda t, a, b: t.pow(a, b),
    "exp": lambda t, a: t.exp(a),
    "log": lambda t, a: t.log(a),
    "sqrt": lambda t, a: t.sqrt(a),
    "sin": lambda t, a: t.sin(a),
    "cos": lambda t, a: t.cos(a),
    "tanh": lambda t, a: t.tanh(a),
    "sigmoid": lambda t, a: t.sigmoid(a),
    "relu": lambda t, a: t.relu(a),
    "abs": lambda t, a: t.abs(a),
    "maximum": lambda t, a, b: t.maximum(a, b),
    "minimum": lambda t, a, b: t.minimum(a, b),
    "sum": lambda t, a: a.sum(),
    "mean": lambda t, a: a.mean(),
    "max": lambda t, a: a.max(),
    "min": lambda t, a: a.min(),
}

# the same op as program text over the names a, b
TEXT = {
    "add": "a + b", "sub": "a - b", "mul": "a * b", "div": "a / b", "neg": "-a",
    "pow": "a ** b", "maximum": "max(a, b)", "minimum": "min(a, b)",
    **{f: f"{f}(a)" for f in ("exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu",
                              "abs", "sum", "mean", "max", "min")},
}

S1, S2 = 1.3, -0.7
POS = 1.7
V1 = [0.3, -1.2, 2.5]
V2 = [1.1, 0.4, -0.9]
VPOS = [0.3, 1.2, 2.5]
V4 = [0.3, -1.2, 2.5, 1.9]


def case(key, *args, k=None):
    shape = "x".join("v" if isinstance(a, list) else "s" for a in args)
    return pytest.param(key, args, k, id=f"{key}{'' if k is None else k}-{shape}")


# smooth points: compared with torch and with finite differences
SMOOTH = [
    # binary arithmetic: scalar, vector, scalar×vector and vector×scalar
    *[case(key, *args) for key in ("add", "sub", "mul", "div", "maximum", "minimum")
      for args in ((S1, S2), (V1, V2), (S1, V2), (V1, S2))],
    case("pow", POS, -0.8), case("pow", VPOS, V2), case("pow", POS, V2), case("pow", VPOS, 2.5),
    case("neg", S1), case("neg", V1),
    *[case("powc", x, k=k) for k in (2.0, 3.0, -1.0, 1.0, 0.0) for x in (S2, V1)],
    *[case("powc", x, k=k) for k in (0.5, -1.5, 2.5, -0.5) for x in (POS, VPOS)],
    *[case(f, x) for f in ("exp", "sin", "cos", "tanh", "sigmoid", "relu", "abs")
      for x in (S1, S2, V1)],
    *[case(f, x) for f in ("log", "sqrt") for x in (POS, VPOS)],
    *[case(f, x) for f in ("sum", "mean", "max", "min") for x in (S1, V4)],
]


def _inputs(args):
    return tuple(np.asarray(a, dtype=np.float64)[()] for a in args)


def _attrs(k):
    return {} if k is None else {"k": k}


def _forward(key, inputs, k):
    entry = OPS[key]
    return entry.forward(*inputs, k) if key == "powc" else entry.forward(*inputs)


def _torch_local(torch, key, inputs, k):
    """Per input, torch's local gradient at the engine's granularity.

    Element-wise ops: every input is expanded to the output's shape as its own leaf, so
    the gradient of sum(out) is the diagonal of the Jacobian (the broadcast local gradient).
    Reductions: the gradient of the single output.
    """
    if key in REDUCTIONS:
        leaf = torch.tensor(np.asarray(inputs[0]).tolist(), dtype=torch.float64,
                            requires_grad=True)
        TORCH[key](torch, leaf).backward()
        return [leaf.grad.numpy()[()]], None
    shape = np.broadcast_shapes(*(np.shape(x) for x in inputs))
    leaves = [torch.tensor(np.broadcast_to(x, shape).tolist(), dtype=torch.float64,
                           requires_grad=True) for x in inputs]
    out = TORCH[key](torch, *leaves, k) if key == "powc" else TORCH[key](torch, *leaves)
    out.sum().backward()
    return [leaf.grad.numpy()[()] for leaf in leaves], out.detach().numpy()[()]


def test_registry_holds_every_op_with_its_parts():
    assert set(OPS) == ALL_OPS
    for key, entry in OPS.items():
        assert entry.key == key
        assert entry.symbol
        assert entry.arity in (1, 2, 3)  # conv2d: input, weight and an optional bias
        assert len(entry.local_text) == entry.arity
        assert entry.code
        assert entry.reduction == (key in REDUCTIONS | LOSSES)
        # the VJP is the rule; only element-wise ops and reductions have local numbers
        assert entry.has_local == (key not in VJP_ONLY)
        assert (entry.vjp_rule is not None) == (key in VJP_ONLY)
        assert (entry.local is not None) == (key not in VJP_ONLY)
        if key not in {*REDUCTIONS, "add", "sub", "mul", "div", "neg", "powc", "pow", "exp",
                       "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "abs",
                       "maximum", "minimum"}:
            assert entry.why, f"{key}: a new op keeps its why-sentence in its entry"
    assert set(UNARY_FUNCTIONS) <= ALL_OPS


@pytest.mark.parametrize(("key", "args", "k"), SMOOTH)
def test_forward_matches_torch(torch, same, key, args, k):
    inputs = _inputs(args)
    ours = _forward(key, inputs, k)
    tensors = [torch.tensor(np.asarray(x).tolist(), dtype=torch.float64) for x in inputs]
    theirs = TORCH[key](torch, *tensors, k) if key == "powc" else TORCH[key](torch, *tensors)
    same(ours, theirs.numpy()[()])


@pytest.mark.parametrize(("key", "args", "k"), SMOOTH)
def test_local_gradient_matches_torch(torch, same, key, args, k):
    inputs = _inputs(args)
    out = np.asarray(_forward(key, inputs, k), dtype=np.float64)[()]
    ours = OPS[key].local(inputs, out, _attrs(k))
    assert len(ours) == OPS[key].arity
    theirs, _ = _torch_local(torch, key, inputs, k)
    for i, (local, expected) in enumerate(zip(ours, theirs, strict=True)):
        if key in REDUCTIONS:  # a row of the Jacobian: the input's own shape
            assert np.shape(local) == np.shape(inputs[0]), (key, i, local)
        else:
            local = np.broadcast_to(local, np.shape(out))
        same(local, expected)


@pytest.mark.parametrize(("key", "args", "k"), SMOOTH)
def test_local_gradient_matches_central_differences(same, key, args, k):
    inputs = _inputs(args)
    out = np.asarray(_forward(key, inputs, k), dtype=np.float64)[()]
    ours = OPS[key].local(inputs, out, _attrs(k))
    h = 1e-6
    for i, x in enumerate(inputs):
        if key in REDUCTIONS:
            flat = np.atleast_1d(np.array(x, dtype=np.float64))
            numeric = np.empty_like(flat)
            for j in range(flat.size):
                up, down = flat.copy(), flat.copy()
                up[j] += h
                down[j] -= h
                numeric[j] = (_forward(key, (up.reshape(np.shape(x))[()],), k)
                              - _forward(key, (down.reshape(np.shape(x))[()],), k)) / (2 * h)
            expected = numeric.reshape(np.shape(x))[()]
            same(ours[i], expected, rtol=1e-6, atol=1e-7)
            continue
        # element-wise: the Jacobian is diagonal, so moving every entry at once (or a
        # broadcast scalar) gives each output's derivative with respect to its own input
        up = list(inputs)
        down = list(inputs)
        up[i] = x + h
        down[i] = x - h
        numeric = (np.asarray(_forward(key, tuple(up), k))
                   - np.asarray(_forward(key, tuple(down), k))) / (2 * h)
        same(np.broadcast_to(ours[i], np.shape(out)), numeric, rtol=1e-6, atol=1e-7,
             shape=False)


@pytest.mark.parametrize(("key", "args", "k"), SMOOTH)
def test_torch_twin_builds_the_same_op(torch, same, key, args, k):
    inputs = _inputs(args)
    tensors = [torch.tensor(np.asarray(x).tolist(), dtype=torch.float64) for x in inputs]
    twin = OPS[key].torch(torch, *tensors, **_attrs(k))
    same(twin.numpy()[()], _forward(key, inputs, k))


def _program(key, args, k):
    """``y = <op over a, b>``, then a scalar ``loss`` weighting each entry differently."""
    names = "ab"[: len(args)]
    bindings = {n: Binding("parameter", np.asarray(v, dtype=np.float64)[()])
                for n, v in zip(names, args, strict=True)}
    expr = f"a ** {k!r}" if key == "powc" else TEXT[key]
    shape = np.broadcast_shapes(*(np.shape(a) for a in args))
    if key in REDUCTIONS or shape == ():
        weights = 1.5
        text = f"y = {expr}\nloss = y * c\n"
    else:
        weights = [0.5, -1.5, 2.0, 0.25][: shape[0]]
        text = f"y = {expr}\nloss = sum(y * c)\n"
    bindings["c"] = Binding("data", np.asarray(weights, dtype=np.float64)[()])
    return text, bindings, weights


def _torch_program(torch, key, args, k, weights):
    leaves = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in args]
    y = TORCH[key](torch, *leaves, k) if key == "powc" else TORCH[key](torch, *leaves)
    y.retain_grad()
    loss = (y * torch.tensor(weights, dtype=torch.float64)).sum()
    loss.backward()
    return leaves, y, loss


@pytest.mark.parametrize(("key", "args", "k"), SMOOTH)
def test_program_values_and_every_gradient_match_torch(torch, same, key, args, k):
    text, bindings, weights = _program(key, args, k)
    trace = build_trace(text, bindings)
    graph = trace.graph
    assert graph.nodes[graph.names["y"]].op == key
    leaves, y, loss = _torch_program(torch, key, args, k, weights)
    same(graph.nodes[graph.names["y"]].value, y.detach().numpy()[()])
    same(graph.output_node.value, loss.detach().numpy()[()])
    same(trace.gradient(graph.names["y"]), y.grad.numpy()[()])
    for name, leaf in zip("ab"[: len(leaves)], leaves, strict=True):
        same(trace.gradient(graph.names[name]), leaf.grad.numpy()[()])
    # and the engine's own comparison agrees, node by node
    from core.checks.torch_check import compare

    report = compare(graph, trace.grads)
    assert report.available and report.error is None
    assert report.match, report.mismatches
    for name, leaf in zip("ab"[: len(leaves)], leaves, strict=True):
        same(report.grads[name], leaf.grad.numpy()[()])


@pytest.mark.parametrize(("key", "args", "k"), SMOOTH)
def test_program_gradients_match_central_differences(same, key, args, k):
    text, bindings, _ = _program(key, args, k)
    trace = build_trace(text, bindings)
    numeric = numeric_gradients(trace.graph)
    for name in "ab"[: len(args)]:
        assert numeric[name] is not None, f"{name}: finite differences refused a smooth point"
        same(trace.gradient(trace.graph.names[name]), numeric[name], rtol=1e-5, atol=1e-6)


# ---- broadcasting ------------------------------------------------------------------


@pytest.mark.parametrize("key", ["add", "sub", "mul", "div", "pow", "maximum", "minimum"])
@pytest.mark.parametrize("scalar_first", [True, False])
def test_gradient_of_a_broadcast_scalar_is_summed(torch, same, key, scalar_first):
    scalar, vector = (1.3, [0.4, 1.3, 2.2]) if key != "pow" else (1.3, [0.4, 1.7, 2.2])
    args = (scalar, vector) if scalar_first else (vector, scalar)
    text, bindings, weights = _program(key, args, None)
    trace = build_trace(text, bindings)
    s_name = "a" if scalar_first else "b"
    s_id = trace.graph.names[s_name]
    grad = trace.gradient(s_id)
    assert np.ndim(grad) == 0, "the gradient has the scalar's shape"
    leaves, _, _ = _torch_program(torch, key, args, None, weights)
    same(grad, leaves[0 if scalar_first else 1].grad.numpy()[()])
    step = next(s for s in trace.steps if s.phase == "backward" and s.node == s_id)
    assert [c.broadcast for c in step.contributions] == [True]
    assert step.formula.startswith("Σ(") and "⊙" in step.formula
    assert "⊙ then Σ" in step.text
    # the local gradient itself stays a vector: one entry per use of the scalar
    (contribution,) = step.contributions
    assert np.shape(contribution.local) == (3,)
    same(contribution.value, np.sum(contribution.upstream * contribution.local))


def test_broadcast_example_shows_the_sum():
    trace = build_trace("w = param(2.0)\nv = [1.0, 2.0, 3.0]\nloss = sum(w * v)")
    last = trace.steps[-1]
    assert last.equation == ("∂loss/∂w = Σ(∂loss/∂(w · v) ⊙ ∂(w · v)/∂w) = "
                             "Σ([1, 1, 1] ⊙ [1, 2, 3]) = 6")


# ---- kinks and domain edges: torch's exact numbers ------------------------------------

NAN, INF = math.nan, math.inf

#: (program over parameters, {name: value}, output value, {parameter: gradient})
EDGES = [
    pytest.param("y = relu(a)", {"a": 0.0}, 0.0, {"a": 0.0}, id="relu'(0)=0"),
    pytest.param("y = relu(a)", {"a": -0.0}, -0.0, {"a": 0.0}, id="relu'(-0)=0"),
    pytest.param("y = sum(relu(a))", {"a": [-1.0, 0.0, 2.0]}, 2.0, {"a": [0.0, 0.0, 1.0]},
                 id="relu-vector"),
    pytest.param("y = abs(a)", {"a": 0.0}, 0.0, {"a": 0.0}, id="abs'(0)=0"),
    pytest.param("y = sum(abs(a))", {"a": [-2.0, 0.0, 3.0]}, 5.0, {"a": [-1.0, 0.0, 1.0]},
                 id="abs-vector"),
    pytest.param("y = max(a, b)", {"a": 2.0, "b": 2.0}, 2.0, {"a": 0.5, "b": 0.5},
                 id="maximum-tie"),
    pytest.param("y = min(a, b)", {"a": 2.0, "b": 2.0}, 2.0, {"a": 0.5, "b": 0.5},
                 id="minimum-tie"),
    pytest.param("y = sum(max(a, b))", {"a": [1.0, 2.0, 3.0], "b": 2.0}, 7.0,
                 {"a": [0.0, 0.5, 1.0], "b": 1.5}, id="maximum-broadcast-tie"),
    pytest.param("y = sum(min(a, b))", {"a": [1.0, 2.0, 3.0], "b": 2.0}, 5.0,
                 {"a": [1.0, 0.5, 0.0], "b": 1.5}, id="minimum-broadcast-tie"),
    pytest.param("y = max(a)", {"a": [3.0, 1.0, 3.0]}, 3.0, {"a": [0.5, 0.0, 0.5]},
                 id="max-reduction-tie"),
    pytest.param("y = min(a)", {"a": [1.0, 5.0, 1.0, 1.0]}, 1.0,
                 {"a": [1 / 3, 0.0, 1 / 3, 1 / 3]}, id="min-reduction-three-way-tie"),
    pytest.param("y = max(a)", {"a": [1.0, 1.0]}, 1.0, {"a": [0.5, 0.5]}, id="max-all-equal"),
    pytest.param("y = max(a)", {"a": 2.0}, 2.0, {"a": 1.0}, id="max-of-a-scalar"),
    pytest.param("y = min(a)", {"a": -2.0}, -2.0, {"a": 1.0}, id="min-of-a-scalar"),
    pytest.param("y = sqrt(a)", {"a": 0.0}, 0.0, {"a": INF}, id="sqrt'(0)=inf"),
    pytest.param("y = sqrt(a)", {"a": -1.0}, NAN, {"a": NAN}, id="sqrt(-1)=nan"),
    pytest.param("y = log(a)", {"a": -1.0}, NAN, {"a": -1.0}, id="log(-1)=nan,grad=-1"),
    pytest.param("y = log(a)", {"a": 0.0}, -INF, {"a": INF}, id="log(0)=-inf"),
    pytest.param("y = a ** 0", {"a": 0.0}, 1.0, {"a": 0.0}, id="0**0-literal"),
    pytest.param("y = a ** 0", {"a": NAN}, 1.0, {"a": 0.0}, id="nan**0-literal"),
    pytest.param("y = a ** b", {"a": 0.0, "b": 0.0}, 1.0, {"a": 0.0, "b": 0.0},
                 id="0**0-variable"),
    pytest.param("y = a ** b", {"a": 0.0, "b": 2.0}, 0.0, {"a": 0.0, "b": 0.0},
                 id="0**2-variable"),
    pytest.param("y = a ** b", {"a": 0.0, "b": -1.0}, INF, {"a": -INF, "b": -INF},
                 id="0**-1-variable"),
    pytest.param("y = a ** b", {"a": -2.0, "b": 3.0}, -8.0, {"a": 12.0, "b": NAN},
                 id="negative-base-variable-exponent"),
    pytest.param("y = a ** 0.5", {"a": 0.0}, 0.0, {"a": INF}, id="x**0.5-at-0"),
    pytest.param("y = a ** 0.5", {"a": -0.0}, -0.0, {"a": -INF}, id="x**0.5-at-minus-0"),
    pytest.param("y = a ** -0.5", {"a": 0.0}, INF, {"a": -INF}, id="x**-0.5-at-0"),
    pytest.param("y = a ** -1", {"a": 0.0}, INF, {"a": -INF}, id="x**-1-at-0"),
    pytest.param("y = a ** 2.5", {"a": -1.0}, NAN, {"a": NAN}, id="negative**2.5"),
    pytest.param("y = a ** 1", {"a": 0.0}, 0.0, {"a": 1.0}, id="x**1-at-0"),
    pytest.param("y = sigmoid(a)", {"a": -800.0}, 0.0, {"a": 0.0}, id="sigmoid(-800)"),
    pytest.param("y = sigmoid(a)", {"a": 800.0}, 1.0, {"a": 0.0}, id="sigmoid(800)"),
    pytest.param("y = sigmoid(a)", {"a": 0.0}, 0.5, {"a": 0.25}, id="sigmoid(0)"),
    pytest.param("y = tanh(a)", {"a": 800.0}, 1.0, {"a": 0.0}, id="tanh(800)"),
    pytest.param("y = exp(a)", {"a": 800.0}, INF, {"a": INF}, id="exp-overflow"),
    pytest.param("y = exp(a)", {"a": -800.0}, 0.0, {"a": 0.0}, id="exp-underflow"),
    pytest.param("y = a / b", {"a": 1.0, "b": 0.0}, INF, {"a": INF, "b": -INF},
                 id="1/0"),
    pytest.param("y = a / b", {"a": 0.0, "b": 0.0}, NAN, {"a": INF, "b": NAN}, id="0/0"),
    pytest.param("y = a * b", {"a": INF, "b": 0.0}, NAN, {"a": 0.0, "b": INF}, id="inf*0"),
    pytest.param("y = relu(a)", {"a": NAN}, NAN, {"a": 1.0}, id="relu(nan)"),
    pytest.param("y = abs(a)", {"a": NAN}, NAN, {"a": 0.0}, id="abs(nan)"),
    pytest.param("y = max(a, b)", {"a": NAN, "b": 1.0}, NAN, {"a": 1.0, "b": 1.0},
                 id="maximum-with-nan"),
    pytest.param("y = max(a)", {"a": [NAN, 1.0, NAN]}, NAN, {"a": [0.5, 0.0, 0.5]},
                 id="max-reduction-nan"),
    pytest.param("y = max(a)", {"a": [INF, 1.0, INF]}, INF, {"a": [0.5, 0.0, 0.5]},
                 id="max-reduction-inf-tie"),
]


def _parameters(values):
    return {n: Binding("parameter", np.asarray(v, dtype=np.float64)[()])
            for n, v in values.items()}


@pytest.mark.parametrize(("text", "values", "out", "grads"), EDGES)
def test_kinks_and_domain_edges_follow_torch(torch, same, text, values, out, grads):
    trace = build_trace(text, _parameters(values))  # warnings are errors: none may escape
    graph = trace.graph
    same(graph.output_node.value, out)
    if np.isfinite(out) and out == 0:
        assert math.copysign(1.0, float(graph.output_node.value)) == math.copysign(1.0, out)
    for name, expected in grads.items():
        same(trace.gradient(graph.names[name]), np.asarray(expected, dtype=np.float64)[()])
    # torch, called directly
    env = {n: torch.tensor(v, dtype=torch.float64, requires_grad=True)
           for n, v in values.items()}
    expr = text.split("=", 1)[1]
    ns = {"torch": torch, "relu": torch.relu, "abs": torch.abs, "sqrt": torch.sqrt,
          "log": torch.log, "exp": torch.exp, "sigmoid": torch.sigmoid, "tanh": torch.tanh,
          "sum": torch.sum, "max": lambda *a: torch.maximum(*a) if len(a) == 2 else a[0].max(),
          "min": lambda *a: torch.minimum(*a) if len(a) == 2 else a[0].min()}
    result = eval(expr, ns, dict(env))  # noqa: S307 - our own test strings, torch reference
    result.backward()
    same(out, result.detach().numpy()[()])
    for name, tensor in env.items():
        same(grads[name], tensor.grad.numpy()[()])
    from core.checks.torch_check import compare

    report = compare(graph, trace.grads)
    assert report.error is None
    assert report.match, report.mismatches


@pytest.mark.parametrize(("text", "values", "out", "grads"), EDGES)
def test_local_gradient_values_have_the_input_shape(text, values, out, grads):
    """No phantom broadcast: a scalar's local gradient is a scalar, a vector's a vector."""
    trace = build_trace(text, _parameters(values))
    graph = trace.graph
    for (source, consumer, _), local in trace.local.items():
        expected = np.broadcast_shapes(*(np.shape(graph.nodes[i].value)
                                         for i in graph.nodes[consumer].inputs))
        if OPS[graph.nodes[consumer].op].reduction:
            expected = np.shape(graph.nodes[source].value)
        assert np.shape(local) == expected, (graph.nodes[consumer].op, local)
    for step in trace.steps:
        for c in getattr(step, "contributions", ()):
            assert c.broadcast == (np.ndim(c.upstream * c.local)
                                   > np.ndim(graph.nodes[step.node].value))
            if np.ndim(graph.nodes[step.node].value) == np.ndim(graph.nodes[c.consumer].value):
                assert not c.broadcast


def test_max_of_a_scalar_is_not_a_broadcast():
    trace = build_trace("w = param(2.0)\nloss = max(w) * 3")
    local = trace.steps[[s.phase for s in trace.steps].index("local") + 1]
    assert local.target == "∂max(w)/∂w"
    assert np.ndim(local.value) == 0 and local.value == 1.0
    last = trace.steps[-1]
    assert not any(c.broadcast for c in last.contributions)
    assert "⊙" not in last.formula and "Σ" not in last.formula
    assert last.value == 3.0


def test_sigmoid_of_minus_800_raises_no_numpy_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # overflow, division and invalid raise; underflow to 0 is the right answer
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            out = OPS["sigmoid"].forward(np.float64(-800.0))
            local = OPS["sigmoid"].local((np.float64(-800.0),), out, {})
            vec = OPS["sigmoid"].forward(np.array([-800.0, 0.0, 800.0]))
    assert out == 0.0 and local[0] == 0.0
    assert list(vec) == [0.0, 0.5, 1.0]


@pytest.mark.parametrize(("text", "warning"), [
    ("w = param(-1.0)\nloss = log(w)", "nan"),
    ("w = param(800.0)\nloss = exp(w)", "infinite"),
    ("w = param(0.0)\nloss = 1 / w", "infinite"),
    ("w = param(-4.0)\nloss = sqrt(w) * 2", "nan"),
    ("w = param(1.0)\nloss = w * 10 ** 10 ** 10", "infinite"),
])
def test_non_finite_values_become_values_with_a_node_warning(text, warning):
    trace = build_trace(text)
    flagged = [n for n in trace.graph.operations if n.warning]
    assert flagged, "a non-finite value carries a warning"
    assert all(not np.all(np.isfinite(n.value)) for n in flagged)
    assert any(warning in n.warning for n in flagged)
    step = next(s for s in trace.steps if s.phase == "forward" and s.node == flagged[0].id)
    assert "Careful" in step.text
    assert len(trace.steps) > 0 and trace.steps[-1].phase == "backward"


def test_finite_values_carry_no_warning(lesson_trace):
    assert all(n.warning is None for n in lesson_trace.graph.nodes)


# ---- formula text ------------------------------------------------------------------


@pytest.mark.parametrize(("k", "symbol", "local"), [
    (2.0, "²", "2 · s"), (3.0, "³", "3 · s²"), (0.5, "^0.5", "0.5 · s^(−0.5)"),
    (-1.0, "^(−1)", "−1 · s^(−2)"), (0.0, "^0", "0"), (1.0, "^1", "1"),
])
def test_literal_exponent_is_one_single_input_op(k, symbol, local):
    text = f"w = param(3.0)\ns = w - 1\nloss = s ** {k!r}"
    graph = build_graph(text)
    loss = graph.output_node
    assert loss.op == "powc" and loss.k == k and len(loss.inputs) == 1
    assert loss.symbol == symbol
    trace = Trace(graph)
    step = next(s for s in trace.steps if s.phase == "local")
    assert step.formula == local


def test_variable_exponent_is_a_two_input_op():
    graph = build_graph("a = param(2.0)\nb = param(3.0)\nloss = a ** b")
    assert graph.output_node.op == "pow" and len(graph.output_node.inputs) == 2


@pytest.mark.parametrize(("text", "formulas"), [
    ("a = param(2.0)\nb = param(3.0)\nloss = a * b", ["b", "a"]),
    ("a = param(2.0)\nb = param(3.0)\nloss = a - b", ["1", "−1"]),
    ("a = param(2.0)\nb = param(3.0)\nloss = a / b", ["1 / b", "−a / b²"]),
    ("a = param(2.0)\nloss = -a", ["−1"]),
    ("a = param(2.0)\nloss = exp(a)", ["exp(a)"]),
    ("a = param(2.0)\nloss = sigmoid(a)", ["loss · (1 − loss)"]),
    ("a = param(2.0)\nloss = tanh(a)", ["1 − loss²"]),
    ("a = param([2.0, 4.0])\nloss = mean(a)", ["1/2"]),
])
def test_local_gradient_formula_text(text, formulas):
    trace = build_trace(text)
    assert [s.formula for s in trace.steps if s.phase == "local"] == formulas
    for s in trace.steps:
        assert "-" not in s.formula.replace("->", ""), "the minus sign is '−' in text"


def test_power_follows_torch_at_signed_zero_and_infinity(torch, same):
    """torch computes x ** 0.5 as sqrt, x ** -0.5 as rsqrt, x ** -1 as 1/x, …; a tensor
    exponent uses C's pow. Compare the whole grid, values and local gradients."""
    grid = [0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 3.0, 1e-300, 1e308, -1e308,
            math.inf, -math.inf, math.nan]
    exponents = [0.0, 1.0, 2.0, 3.0, -1.0, -2.0, 0.5, -0.5, 1.5, -1.5, 2.5, 4.0, 1e20]
    for k in exponents:
        x = np.array(grid)
        with np.errstate(all="ignore"):
            out = OPS["powc"].forward(x, k)
            (local,) = OPS["powc"].local((x,), out, {"k": k})
        t = torch.tensor(grid, dtype=torch.float64, requires_grad=True)
        y = t ** k
        y.sum().backward()
        same(out, y.detach().numpy())
        real = ~np.isnan(out)  # a nan's sign bit means nothing
        assert np.array_equal(np.signbit(out[real]), np.signbit(y.detach().numpy()[real])), k
        same(local, t.grad.numpy())
    for b in [0.5, -0.5, 2.0, 1.5]:
        a = np.array(grid)
        with np.errstate(all="ignore"):
            out = OPS["pow"].forward(a, np.full_like(a, b))
            scalar = [OPS["pow"].forward(np.float64(v), np.float64(b)) for v in grid]
        theirs = torch.tensor(grid, dtype=torch.float64) ** torch.full((len(grid),), b,
                                                                      dtype=torch.float64)
        same(out, theirs.numpy())
        same(np.array(scalar, dtype=np.float64), theirs.numpy())
        for v in grid:  # 0-d operands, as the graph holds them, and local gradients
            ta = torch.tensor(v, dtype=torch.float64, requires_grad=True)
            tb = torch.tensor(b, dtype=torch.float64, requires_grad=True)
            ty = ta ** tb
            ty.backward()
            with np.errstate(all="ignore"):
                ours = OPS["pow"].forward(np.float64(v), np.float64(b))
                d_a, d_b = OPS["pow"].local((np.float64(v), np.float64(b)), ours, {})
            same(ours, ty.detach().numpy()[()])
            same(d_a, ta.grad.numpy()[()])
            same(d_b, tb.grad.numpy()[()])


@pytest.mark.parametrize(("k", "x", "near"), [
    (-1.0, -0.7, False), (-1.0, 0.7, False), (-2.0, -3.0, False), (-1.0, 0.0, True),
    (-1.0, 1e-9, True), (2.0, 0.0, False), (2.0, -5.0, False), (3.0, [-1.0, 0.0], False),
    (0.5, 0.0, True), (0.5, -1.0, True), (0.5, 1.0, False), (-1.5, 2.0, False),
    (math.inf, 0.5, True), (math.nan, 0.5, True), (1e300, 0.5, False),
])
def test_power_kinks_are_only_where_the_function_is_not_smooth(k, x, near):
    """x ** -1 is smooth at -0.7 (finite differences apply); the pole is at 0."""
    assert OPS["powc"].near_kink((np.asarray(x, dtype=np.float64),), {"k": k}, 1e-4) is near


@pytest.mark.parametrize("text", [
    "w = param(0.5)\nloss = w ** 10 ** 400",                   # exponent folds to inf
    "w = param(0.5)\nloss = w ** (10 ** 400 - 10 ** 400)",     # exponent folds to nan
    "w = param(2.0)\nloss = w ** 10 ** 400",
])
def test_infinite_literal_exponent_is_a_value_not_a_crash(text):
    trace = build_trace(text)
    assert numeric_gradients(trace.graph) == {"w": None}  # not a meaningful difference
    from core.checks.torch_check import compare

    report = compare(trace.graph, trace.grads)
    assert report.error is None
    assert report.match, report.mismatches
