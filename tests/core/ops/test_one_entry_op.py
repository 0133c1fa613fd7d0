"""An op is one registry entry: a made-up ``cube`` (x³) registered here, and nowhere else.

The fixture registers it with a single :func:`core.ops.op` call and takes it out again.
In between it parses from program text in each of its spellings, traces, agrees with
torch (through the twin in its entry), appears in the generated torch code (reverse and
forward mode), prints torch's grad_fn, is explained (its why and rule sentences) and
has a ninja-mode answer.
Every table those steps read is derived from the entries: a table still kept by hand
would not know ``cube``, and the test fails there.
"""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pytest

# every table is imported before cube exists: one copied at import would miss it
from core.base.errors import ExpressionError
from core.checks.forward_torch import compare_forward
from core.checks.torch_check import compare, generate_code, printed_output
from core.engine.explain import TEMPLATES, render
from core.engine.forward import parse_seed, tangents
from core.engine.graph import Binding
from core.engine.quiz import rule
from core.engine.steps import LocalGradientStep
from core.engine.trace import build_trace
from core.language.parser import FUNCTIONS, RESERVED, function_list
from core.ninja.rules import term_text
from core.ninja.run import grade_answers
from core.ops import OPS, UNARY_FUNCTIONS, grad_fn_of, op, unregister
from core.ops.index import GRAD_FNS

WHY = "The slope of x³ is 3x²: a made-up op, explained from its own entry."
RULE = "cube rule: 3 · x²"
X = [0.5, -1.2, 2.0]
C = [1.5, -0.25, 2.0]


def _register():
    """The one entry: everything the app knows about cube."""
    return op(
        key="cube", symbol="³", arity=1,
        forward=lambda a: a * a * a,
        local=lambda i, out, at: (3.0 * i[0] * i[0],),
        # the VJP g · 3x² and the JVP 3x² · t, as the entry states them
        vjp_rule=lambda g, i, out, at, p: g * (3.0 * i[0] * i[0]),
        jvp=lambda t, i, out, at: 3.0 * i[0] * i[0] * t[0],
        text="cube({0:bare})", local_text=("3 · {0}²",),
        code="{0} ** 3", torch=lambda t, a: a ** 3,
        description="cubes",
        why=WHY, rule=RULE,
        names=("cube",), forms=("name", "torch", "F", "method"),
        grad_fn="PowBackward0", dtype="promote",
        answer=("{G} * (3 * {0} ** 2)",),  # ninja mode's answer for the input
    )


@pytest.fixture
def cube():
    entry = _register()
    yield entry
    unregister("cube")


def _trace(line: str):
    bindings = {"x": Binding("parameter", np.array(X)), "c": Binding("data", np.array(C))}
    return build_trace(f"{line}\nloss = sum(y * c)\n", bindings)


def _torch_grads(torch):
    x = torch.tensor(X, dtype=torch.float64, requires_grad=True)
    y = OPS["cube"].torch(torch, x)  # the twin in the entry
    loss = (y * torch.tensor(C, dtype=torch.float64)).sum()
    loss.backward()
    return x, y, loss


@pytest.mark.parametrize("line", ["y = cube(x)", "y = torch.cube(x)", "y = x.cube()",
                                  "y = F.cube(x)", "y = torch.nn.functional.cube(x)"])
def test_cube_parses_in_each_spelling_and_traces_as_torch_computes(cube, torch, same, line):
    trace = _trace(line)
    graph = trace.graph
    node = graph.nodes[graph.names["y"]]
    assert node.op == "cube"
    x, y, loss = _torch_grads(torch)
    same(node.value, y.detach().numpy())
    same(graph.output_node.value, loss.detach().numpy()[()])
    same(trace.gradient(graph.names["x"]), x.grad.numpy())  # 3x² · c
    same(trace.gradient(graph.names["x"]), 3.0 * np.array(X) ** 2 * np.array(C))


def test_cube_is_a_function_the_language_lists_and_reserves(cube):
    assert "cube" in UNARY_FUNCTIONS and "cube" in FUNCTIONS and "cube" in RESERVED
    assert "cube" in function_list()


def test_cube_is_checked_against_torch_value_and_gradient(cube):
    trace = _trace("y = cube(x)")
    report = compare(trace.graph, trace.grads, trace=trace)
    assert report.available and report.error is None, report.error
    assert report.match, report.mismatches
    assert {(r.name, r.quantity) for r in report.rows} >= {("y", "value"), ("x", "grad")}
    assert ("y", "PowBackward0") in report.grad_fns


def test_cube_appears_in_the_generated_code_which_runs_in_torch(cube, torch, same):
    trace = _trace("y = cube(x)")
    code = generate_code(trace.graph)
    assert "y = x ** 3\n" in code
    namespace: dict = {}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "<generated>", "exec"), namespace)  # noqa: S102 - our own code
    x, _, _ = _torch_grads(torch)
    same(namespace["x"].grad.double().numpy(), x.grad.numpy(), rtol=1e-6)
    assert printed.getvalue() == printed_output(trace.graph)


def test_cube_forward_mode_agrees_with_torch_forward_ad(cube, same):
    trace = _trace("y = cube(x)")
    graph = trace.graph
    seed = parse_seed(graph, "x")
    found = tangents(graph, seed)
    same(found[graph.names["y"]], 3.0 * np.array(X) ** 2)  # the JVP: 3x² · 1
    report = compare_forward(graph, seed, found)
    assert report.available and report.match, (report.error, report.ok)
    assert "y = x ** 3" in report.code and "fwAD.make_dual(x" in report.code


def test_cube_is_explained_by_its_why_and_rule(cube):
    trace = _trace("y = cube(x)")
    graph = trace.graph
    step = next(s for s in trace.steps if isinstance(s, LocalGradientStep)
                and graph.nodes[s.edge[1]].op == "cube")
    assert WHY in render(step.explanation)
    assert render(rule(step)) == RULE
    assert TEMPLATES["why.cube"] == WHY and TEMPLATES["rule.cube"] == RULE
    assert "why.cube" in dict(TEMPLATES.items())  # what the GUI's translation table reads


def test_cube_prints_torchs_grad_fn(cube, torch):
    x = torch.tensor(X, requires_grad=True)
    assert GRAD_FNS["cube"] == OPS["cube"].torch(torch, x).grad_fn.name()
    # the name the recorder checks a recorded call against (core.ops.grad_fn_of)
    assert grad_fn_of("cube", {}, (1,)) == "PowBackward0"


def test_cube_has_a_ninja_answer_and_grades_it(cube):
    trace = _trace("y = cube(x)")
    graph = trace.graph
    assert term_text(graph, graph.names["x"], graph.names["y"], 0) == "d_y * (3 * x ** 2)"
    _, verdicts = grade_answers(trace, {"x": "d_y * (3 * x ** 2)", "y": "c"})
    assert verdicts["x"].grade.right and verdicts["y"].grade.right
    _, verdicts = grade_answers(trace, {"x": "d_y * (2 * x ** 2)", "y": "c"})
    assert not verdicts["x"].grade.right


def test_after_unregistering_cube_is_unknown_again(cube):
    unregister("cube")
    try:
        with pytest.raises(ExpressionError, match="unknown function 'cube'"):
            _trace("y = cube(x)")
        assert "why.cube" not in TEMPLATES
    finally:
        _register()  # for the fixture's own unregister
