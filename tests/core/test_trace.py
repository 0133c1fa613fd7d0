"""The steps the learner walks through: the lesson's nine, forks, rebinding, the stepper."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.engine.explain import Explanation
from core.engine.graph import Binding, build_graph
from core.engine.trace import BackwardStep, LocalGradientStep, NoParameterStep, Stepper, build_trace
from core.language.parser import ExpressionError

# (phase, target, formula, substituted, value) of each of the lesson's nine steps
LESSON_STEPS = [
    ("forward", "y_hat", "w · x", "1 · 1", 1.0),
    ("forward", "s", "y_hat − y", "1 − 2", -1.0),
    ("forward", "loss", "s²", "(−1)²", 1.0),
    ("local", "∂loss/∂s", "2 · s", "2 · (−1)", -2.0),
    ("local", "∂s/∂y_hat", "1", "1", 1.0),
    ("local", "∂y_hat/∂w", "x", "1", 1.0),
    ("backward", "∂loss/∂s", "∂loss/∂loss · local", "1 · (−2)", -2.0),
    ("backward", "∂loss/∂y_hat", "∂loss/∂s · ∂s/∂y_hat", "−2 · 1", -2.0),
    ("backward", "∂loss/∂w", "∂loss/∂y_hat · ∂y_hat/∂w", "−2 · 1", -2.0),
]

LESSON_EQUATIONS = [
    "y_hat = w · x = 1 · 1 = 1",
    "s = y_hat − y = 1 − 2 = −1",
    "loss = s² = (−1)² = 1",
    "∂loss/∂s = 2 · s = 2 · (−1) = −2",
    "∂s/∂y_hat = 1",
    "∂y_hat/∂w = x = 1",
    "∂loss/∂s = ∂loss/∂loss · local = 1 · (−2) = −2",
    "∂loss/∂y_hat = ∂loss/∂s · ∂s/∂y_hat = −2 · 1 = −2",
    "∂loss/∂w = ∂loss/∂y_hat · ∂y_hat/∂w = −2 · 1 = −2",
]


def _summary(trace):
    return [(s.phase, s.target, s.formula, s.substituted, float(s.value)) for s in trace.steps]


# ---- the lesson --------------------------------------------------------------------


def test_lesson_has_exactly_nine_steps(lesson_trace):
    assert len(lesson_trace) == 9
    assert [s.index for s in lesson_trace.steps] == list(range(1, 10))
    assert _summary(lesson_trace) == LESSON_STEPS
    assert [s.equation for s in lesson_trace.steps] == LESSON_EQUATIONS
    assert lesson_trace.phase_starts == {"forward": 1, "local": 4, "backward": 7}


def test_lesson_graph(lesson_trace):
    graph = lesson_trace.graph
    assert graph.output_node.name == "loss"
    kinds = {name: graph.nodes[i].kind for name, i in graph.names.items()}
    assert kinds == {"w": "parameter", "x": "data", "y": "data", "y_hat": "operation",
                     "s": "operation", "loss": "operation"}
    g = graph.nx
    assert isinstance(g, nx.MultiDiGraph)
    n = graph.names
    # the lesson: ∂s/∂y and ∂y_hat/∂x are listed in the graph but not needed
    assert g.edges[n["x"], n["y_hat"], 1]["needed"] is False
    assert g.edges[n["y"], n["s"], 1]["needed"] is False
    assert g.edges[n["w"], n["y_hat"], 0]["needed"] is True
    assert g.edges[n["s"], n["loss"], 0]["needed"] is True
    assert {(s.edge[0], s.edge[1]) for s in lesson_trace.steps if s.phase == "local"} == {
        (n["s"], n["loss"]), (n["y_hat"], n["s"]), (n["w"], n["y_hat"])}


def test_lesson_gradients(lesson_trace):
    assert {k: float(v) for k, v in lesson_trace.named_gradients().items()} == {
        "w": -2.0, "y_hat": -2.0, "s": -2.0, "loss": 1.0}


def test_first_backward_step_states_the_seed(lesson_trace):
    first = lesson_trace.steps[6]
    assert first.phase == "backward"
    assert "∂loss/∂loss = 1" in first.text
    assert first.explanation.key == "backward.seed"
    assert first.explanation.args == {"output": "loss"}
    others = [s for s in lesson_trace.steps[7:]]
    assert all("∂loss/∂loss" not in s.text for s in others)


def test_explanations_are_structured(lesson_trace):
    for step in lesson_trace.steps:
        e = step.explanation
        assert isinstance(e, Explanation) and e.key and isinstance(e.args, dict)
        assert step.text  # renders in English
    assert lesson_trace.steps[2].explanation.key == "forward.output"
    assert lesson_trace.steps[3].explanation.more[0].key == "why.powc"
    assert lesson_trace.steps[8].explanation.more[-1].key == "backward.parameter"


def test_lesson_pytorch_code_pasted_verbatim_gives_the_same_nine_steps(lesson_torch_code,
                                                                       lesson_trace):
    trace = build_trace(lesson_torch_code)
    assert len(trace) == 9
    assert [s.phase for s in trace.steps] == [s.phase for s in lesson_trace.steps]
    assert [float(s.value) for s in trace.steps] == [float(s.value) for s in lesson_trace.steps]
    graph = trace.graph
    assert graph.output_node.name == "loss"  # named by loss.backward()
    kinds = {name: graph.nodes[i].kind for name, i in graph.names.items()}
    assert kinds == {"x": "data", "y": "data", "w": "parameter", "y_hat": "operation",
                     "loss": "operation"}
    assert float(trace.gradient(graph.names["w"])) == -2.0
    # the named steps read as in the lesson
    assert trace.steps[0].equation == "y_hat = w · x = 1 · 1 = 1"
    assert trace.steps[8].equation == LESSON_EQUATIONS[8]
    assert "∂loss/∂loss = 1" in trace.steps[6].text


# ---- stepper and known state ---------------------------------------------------------


def _expected_known(trace, k):
    """What is known after steps 1..k of the lesson, by name."""
    n = trace.graph.names
    values = {n["w"]: 1.0, n["x"]: 1.0, n["y"]: 2.0}
    local, grads = {}, {}
    if k >= 1:
        values[n["y_hat"]] = 1.0
    if k >= 2:
        values[n["s"]] = -1.0
    if k >= 3:
        values[n["loss"]] = 1.0
    if k >= 4:
        local[(n["s"], n["loss"], 0)] = -2.0
    if k >= 5:
        local[(n["y_hat"], n["s"], 0)] = 1.0
    if k >= 6:
        local[(n["w"], n["y_hat"], 0)] = 1.0
    if k >= 7:
        grads[n["loss"]] = 1.0
        grads[n["s"]] = -2.0
    if k >= 8:
        grads[n["y_hat"]] = -2.0
    if k >= 9:
        grads[n["w"]] = -2.0
    return values, local, grads


def _plain(d):
    return {key: float(v) for key, v in d.items()}


@pytest.mark.parametrize("k", range(10))
def test_known_at_every_position(lesson_trace, k):
    known = lesson_trace.known_at(k)
    values, local, grads = _expected_known(lesson_trace, k)
    assert _plain(known.values) == values
    assert _plain(known.local) == local
    assert _plain(known.grads) == grads


def test_stepper_next_previous_goto_reset(lesson_trace):
    stepper = Stepper(lesson_trace)
    assert stepper.position == 0 and stepper.current is None
    for k in range(1, 10):
        assert stepper.next() is True
        assert stepper.position == k
        assert stepper.current is lesson_trace.step(k)
        assert _plain(stepper.known.grads) == _plain(lesson_trace.known_at(k).grads)
    assert stepper.next() is False and stepper.position == 9
    for k in range(8, -1, -1):
        assert stepper.previous() is True
        assert stepper.position == k
        assert _plain(stepper.known.values) == _plain(lesson_trace.known_at(k).values)
        assert _plain(stepper.known.local) == _plain(lesson_trace.known_at(k).local)
        assert _plain(stepper.known.grads) == _plain(lesson_trace.known_at(k).grads)
    assert stepper.previous() is False and stepper.position == 0
    stepper.goto(7)
    assert stepper.position == 7 and lesson_trace.phase_at(7) == "backward"
    assert _plain(stepper.known.grads) == {lesson_trace.graph.names["loss"]: 1.0,
                                           lesson_trace.graph.names["s"]: -2.0}
    stepper.goto(100)
    assert stepper.position == 9
    stepper.goto(-5)
    assert stepper.position == 0
    stepper.goto(5)
    stepper.reset()
    assert stepper.position == 0
    assert _plain(stepper.known.values) == _plain(lesson_trace.initial_state().values)
    assert stepper.known.local == {} and stepper.known.grads == {}
    stepper.end()
    assert stepper.position == 9
    assert Stepper(lesson_trace, 4).position == 4
    assert lesson_trace.phase_at(0) is None
    with pytest.raises(IndexError):
        lesson_trace.step(0)
    with pytest.raises(IndexError):
        lesson_trace.step(10)


FORK = "a = param(2.0)\nb = param(3.0)\nc = (a + b) * (b + 1)"


@settings(max_examples=60, deadline=None)
@given(moves=st.lists(st.one_of(st.sampled_from(["next", "previous", "reset", "end"]),
                                st.integers(-3, 15)), max_size=30),
       text=st.sampled_from([FORK, "w = param(1.0)\nx = 2.0\nloss = (w * x - 3) ** 2",
                             "x = 2.0\ny = x * 3"]))
def test_stepper_state_always_equals_known_at(moves, text):
    """Kept incrementally, the stepper's state is exactly a replay of steps 1..k."""
    trace = build_trace(text)
    stepper = Stepper(trace)
    for move in moves:
        if isinstance(move, int):
            stepper.goto(move)
        else:
            getattr(stepper, move)()
        assert 0 <= stepper.position <= len(trace)
        expected = trace.known_at(stepper.position)
        assert _plain(stepper.known.values) == _plain(expected.values)
        assert _plain(stepper.known.local) == _plain(expected.local)
        assert _plain(stepper.known.grads) == _plain(expected.grads)


# ---- forks and accumulation ---------------------------------------------------------


def test_fork_accumulates_two_contributions():
    trace = build_trace(FORK)
    graph = trace.graph
    b = graph.names["b"]
    step = next(s for s in trace.steps if s.phase == "backward" and s.node == b)
    assert isinstance(step, BackwardStep)
    assert len(step.contributions) == 2
    assert [float(c.value) for c in step.contributions] == [4.0, 5.0]
    assert float(step.value) == 9.0
    assert step.target == "∂c/∂b"
    assert step.substituted.endswith("= 4 + 5")
    assert step.equation.endswith("= 4 + 5 = 9")
    assert "used 2 times" in step.text
    assert float(trace.gradient(graph.names["a"])) == 4.0
    assert float(graph.output_node.value) == 20.0


def test_value_used_twice_keeps_two_edges():
    trace = build_trace("w = param(3.0)\ns = w - 1\nloss = s * s")
    graph = trace.graph
    s, loss = graph.names["s"], graph.names["loss"]
    assert graph.nx.number_of_edges(s, loss) == 2
    assert sorted(k for _, _, k in graph.nx.edges(s, keys=True)) == [0, 1]
    local = [st.edge for st in trace.steps if st.phase == "local"]
    assert local[:2] == [(s, loss, 0), (s, loss, 1)]
    step = next(st for st in trace.steps if st.phase == "backward" and st.node == s)
    assert [float(c.value) for c in step.contributions] == [2.0, 2.0]
    assert float(step.value) == 4.0
    assert step.equation == ("∂loss/∂s = ∂loss/∂loss · local + ∂loss/∂loss · local = "
                             "1 · 2 + 1 · 2 = 2 + 2 = 4")
    assert float(trace.gradient(graph.names["w"])) == 4.0


def test_three_uses_add_three_contributions():
    trace = build_trace("w = param(2.0)\nloss = w * w + w")
    step = trace.steps[-1]
    assert step.node == trace.graph.names["w"]
    assert len(step.contributions) == 3
    assert float(step.value) == 5.0  # 2w + 1
    assert "used 3 times" in step.text


# ---- rebinding (SSA) ------------------------------------------------------------------


def test_rebinding_makes_new_nodes_named_c_at_1_c_at_2_c():
    trace = build_trace("w = param(1.0)\nc = w * 2\nc = c + 1\nc = c * c")
    graph = trace.graph
    assert list(graph.names) == ["w", "c@1", "c@2", "c"]
    assert len({graph.names[n] for n in ("c@1", "c@2", "c")}) == 3
    assert graph.output_node.name == "c"
    assert float(graph.nodes[graph.names["c@1"]].value) == 2.0
    assert float(graph.nodes[graph.names["c@2"]].value) == 3.0
    assert float(graph.output_node.value) == 9.0
    assert [s.target for s in trace.steps if s.phase == "forward"] == ["c@1", "c@2", "c"]
    assert trace.steps[2].formula == "c@2 · c@2"
    assert float(trace.gradient(graph.names["w"])) == 12.0  # d/dw (2w + 1)² = 4(2w + 1)


def test_augmented_assignment_is_a_new_node_never_in_place():
    trace = build_trace("w = param(1.0)\nw += 1\nloss = w * w")
    graph = trace.graph
    assert list(graph.names) == ["w@1", "w", "loss"]
    old, new = graph.nodes[graph.names["w@1"]], graph.nodes[graph.names["w"]]
    assert old.kind == "parameter" and float(old.value) == 1.0  # unchanged
    assert new.kind == "operation" and new.op == "add" and new.inputs[0] == old.id
    assert float(new.value) == 2.0
    assert float(trace.gradient(old.id)) == 4.0


@pytest.mark.parametrize(("op", "key", "value"), [("+=", "add", 3.0), ("-=", "sub", -1.0),
                                                  ("*=", "mul", 2.0), ("/=", "div", 0.5)])
def test_every_augmented_operator(op, key, value):
    graph = build_graph(f"w = param(1.0)\nz = w * 1\nz {op} 2")
    assert graph.output_node.op == key and graph.output_node.name == "z"
    assert float(graph.output_node.value) == value
    assert "z@1" in graph.names


def test_later_uses_see_the_newest_binding():
    graph = build_graph("w = param(2.0)\nx = w * 3\nx = x + 1\ny = x * w")
    y = graph.output_node
    assert graph.nodes[y.inputs[0]].name == "x"  # the newest
    assert float(y.value) == 14.0


def test_assigning_a_name_to_another_gives_the_node_a_second_name():
    graph = build_graph("w = param(2.0)\nv = w\nloss = v * 3")
    assert graph.names["v"] == graph.names["w"]
    assert graph.nodes[graph.names["w"]].aliases == ["v"]


# ---- no parameter ---------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "x = 2.0\ny = x * 3",
    "x = [1.0, 2.0]\ny = sum(x * x)",
    "w = param(1.0)\nx = 2.0\nz = w * 2\ny = x * 3",  # w does not reach the output y
])
def test_no_parameter_programs_hold_one_step_per_phase_saying_so(text):
    trace = build_trace(text)
    phases = [s.phase for s in trace.steps]
    forward = phases.count("forward")
    assert phases == ["forward"] * forward + ["local", "backward"]
    local, backward = trace.steps[-2], trace.steps[-1]
    assert isinstance(local, NoParameterStep) and isinstance(backward, NoParameterStep)
    assert local.explanation.key == "none.local"
    assert backward.explanation.key == "none.backward"
    out = trace.graph.output_node.label
    assert local.text.startswith(f"No parameter reaches {out}")
    assert backward.text.startswith(f"No parameter reaches {out}")
    assert local.value is None and backward.value is None
    known = trace.known_at(len(trace))
    assert known.local == {} and known.grads == {}
    for p in trace.graph.parameters:
        assert float(trace.gradient(p.id)) == 0.0


# ---- order of steps -------------------------------------------------------------------


def test_local_gradient_steps_reverse_topological_inputs_left_to_right():
    text = "a = param(1.0)\nb = param(2.0)\nx = 3.0\nu = a * x\nv = b * a\nloss = u + v"
    trace = build_trace(text)
    assert [s.target for s in trace.steps if s.phase == "local"] == [
        "∂loss/∂u", "∂loss/∂v", "∂v/∂b", "∂v/∂a", "∂u/∂a"]
    # x is data: ∂u/∂x is listed in the graph, but no step
    n = trace.graph.names
    assert trace.graph.nx.edges[n["x"], n["u"], 1]["needed"] is False
    assert [s.target for s in trace.steps if s.phase == "backward"] == [
        "∂loss/∂v", "∂loss/∂u", "∂loss/∂b", "∂loss/∂a"]
    last = trace.steps[-1]
    assert last.equation == ("∂loss/∂a = ∂loss/∂u · ∂u/∂a + ∂loss/∂v · ∂v/∂a = "
                             "1 · 3 + 1 · 2 = 3 + 2 = 5")


@pytest.mark.parametrize("text", [
    FORK,
    "a = param(1.0)\nb = param(2.0)\nx = 3.0\nu = a * x\nv = b * a\nloss = u + v",
    "w = param([0.5, -1.0])\nx = [1.0, 2.0]\nh = relu(w * x + 0.1)\nloss = mean(h * h) + sum(w)",
    "a = param(1.5)\nb = 2.0\nc = exp(a) * b - a\nd = c / (a + 1)\nloss = d ** 2 + sin(c)",
])
def test_step_order_invariants(text):
    trace = build_trace(text)
    graph = trace.graph
    phases = [s.phase for s in trace.steps]
    assert phases == sorted(phases, key=["forward", "local", "backward"].index)
    forward = [s.node for s in trace.steps if s.phase == "forward"]
    assert forward == [n.id for n in graph.operations]  # one per op, creation order
    assert forward == sorted(forward)
    assert all(all(i < n for i in graph.nodes[n].inputs) for n in forward)
    edges = [s.edge for s in trace.steps if isinstance(s, LocalGradientStep)]
    # reverse topological by consumer, inputs left to right within a consumer
    assert edges == sorted(edges, key=lambda e: (-e[1], e[2]))
    needed = {(u, v, k) for u, v, k, ok in graph.nx.edges(keys=True, data="needed") if ok}
    assert set(edges) == needed
    for source, _, _ in edges:
        assert graph.nodes[source].kind not in ("data", "constant")
    backward = [s.node for s in trace.steps if s.phase == "backward"]
    assert backward == sorted(backward, reverse=True)
    relevant = {i for i, r in enumerate(graph.relevant) if r} - {graph.output}
    assert set(backward) == relevant
    # every contribution's upstream is known before it is used
    done = {graph.output}
    for s in trace.steps:
        if isinstance(s, BackwardStep):
            assert all(c.consumer in done for c in s.contributions)
            done.add(s.node)


def test_forward_ties_follow_statement_then_operands_left_to_right():
    trace = build_trace("a = param(1.0)\nb = param(2.0)\nloss = exp(a) * sin(b) + cos(a)")
    assert [s.target for s in trace.steps if s.phase == "forward"] == [
        "exp(a)", "sin(b)", "exp(a) · sin(b)", "cos(a)", "loss"]


# ---- the output -----------------------------------------------------------------------


def test_backward_call_wins_over_the_last_assignment():
    graph = build_graph("w = param(1.0)\nloss = w * 2\nother = w * 3\nloss.backward()")
    assert graph.output_node.name == "loss"


def test_otherwise_the_last_assigned_name_is_the_output():
    graph = build_graph("w = param(1.0)\na = w * 2\nb = w * 3")
    assert graph.output_node.name == "b"


def test_a_bare_final_expression_is_named_underscore():
    trace = build_trace("w = param(1.0)\nw * 2 + 1")
    assert trace.graph.output_node.name == "_"
    assert "_" in trace.graph.names
    assert float(trace.graph.output_node.value) == 3.0
    assert "∂_/∂_ = 1" in trace.steps[[s.phase for s in trace.steps].index("backward")].text


@pytest.mark.parametrize("text", [
    "w = param([1.0, 2.0])\ny = w * 2",
    "w = param([1.0, 2.0])\ny = w * 2\ny.backward()",
    "w = param(1.0)\nv = [1.0, 2.0, 3.0]\nw * v",
])
def test_vector_output_says_wrap_it_in_sum_or_mean(text):
    with pytest.raises(ExpressionError) as info:
        build_trace(text)
    assert "wrap it in sum() or mean()" in str(info.value)
    assert info.value.line is not None


def test_bindings_override_declarations():
    trace = build_trace("w = param(1.0)\nx = 1.0\nloss = (w * x - 2) ** 2",
                        {"w": Binding("parameter", np.float64(3.0)),
                         "x": Binding("data", np.float64(2.0))})
    assert float(trace.graph.output_node.value) == 16.0
    assert float(trace.gradient(trace.graph.names["w"])) == 16.0  # 2 · (6 − 2) · x


def test_bindings_can_turn_data_into_a_parameter():
    trace = build_trace("w = 1.0\nloss = w * 3", {"w": Binding("parameter", np.float64(2.0))})
    assert trace.graph.nodes[trace.graph.names["w"]].kind == "parameter"
    assert float(trace.gradient(trace.graph.names["w"])) == 3.0


def test_unused_bindings_are_reported():
    graph = build_graph("w = param(1.0)\nloss = w * 3", {"zz": Binding("data", np.float64(1.0))})
    assert graph.unused_bindings == ["zz"]


def test_output_that_is_a_parameter_itself():
    """``w.backward()`` on a leaf: torch gives w.grad = 1."""
    trace = build_trace("w = param(2.0)\ny = w * 3\nw.backward()")
    assert trace.graph.output_node.name == "w"
    assert float(trace.gradient(trace.graph.names["w"])) == 1.0


def test_update_with_accumulated_gradient_adds_what_grad_still_holds():
    """forget zero_grad: the update uses this pass's gradient plus the earlier ones."""
    import numpy as np

    from core.engine.graph import Binding
    from core.engine.trace import build_trace
    from core.io.examples import LESSON_TEXT, lesson_bindings

    bindings = lesson_bindings()
    bindings["w"] = Binding("parameter", np.float64(1.2))
    trace = build_trace(LESSON_TEXT, bindings, 0.1, {"w": np.float64(-2.0)})
    update = trace.steps[-1]
    assert update.phase == "update"
    assert float(update.gradient) == pytest.approx(-3.6)
    assert float(update.value) == pytest.approx(1.56)
    assert update.equation == "w ← w − lr · w.grad = 1.2 − 0.1 · (−3.6) = 1.56"
    assert "−1.6 + (−2) = −3.6" in update.text
    plain = build_trace(LESSON_TEXT, lesson_bindings(), 0.1)
    assert plain.steps[-1].equation == "w ← w − lr · ∂loss/∂w = 1 − 0.1 · (−2) = 1.2"


# ---- local vs total, and the edges that are not needed (issue 10) ----------------------


def test_the_backward_step_at_the_output_spells_out_the_chain(lesson_trace):
    """Step 4 (local) and step 7 (backward) are both ∂loss/∂s: step 7 shows the chain."""
    local, backward = lesson_trace.steps[3], lesson_trace.steps[6]
    assert local.target == backward.target == "∂loss/∂s"
    assert (local.phase, backward.phase) == ("local", "backward")
    assert backward.equation == "∂loss/∂s = ∂loss/∂loss · local = 1 · (−2) = −2"
    assert local.equation == "∂loss/∂s = 2 · s = 2 · (−1) = −2"


def test_the_local_phase_says_why_data_needs_no_gradient(lesson_trace):
    """As the lesson: ∂s/∂y and ∂y_hat/∂x are not needed, x and y being data."""
    texts = [s.text for s in lesson_trace.steps if s.phase == "local"]
    assert "not needed" not in texts[0]  # loss = s²: its one input needs a gradient
    assert "y is data: ∂s/∂y is not needed — nothing updates y." in texts[1]
    assert "x is data: ∂y_hat/∂x is not needed — nothing updates x." in texts[2]
    keys = [e.key for e in lesson_trace.steps[5].explanation.more]
    assert keys == ["why.mul", "unneeded.data"]
    assert all("not needed" not in s.text for s in lesson_trace.steps if s.phase != "local")


def test_constants_and_values_without_a_parameter_are_not_needed_either():
    from core.engine.explain import unneeded, unneeded_edges

    trace = build_trace("x = 2.0\ny = 3.0\nw = param(1.0)\nloss = (w - 5) ** 2 + x * y")
    graph = trace.graph
    reasons = {unneeded(graph, e).args["edge"]: unneeded(graph, e).key
               for e in unneeded_edges(graph)}
    assert reasons == {"∂(w − 5)/∂5": "unneeded.constant",
                       "∂loss/∂(x · y)": "unneeded.computed"}
    # told once per op, at its first local step
    told = [s.target for s in trace.steps if s.phase == "local" and "not needed" in s.text]
    assert told == ["∂loss/∂((w − 5)²)", "∂(w − 5)/∂w"]


def test_an_update_that_overflows_is_inf_without_numpy_warnings():
    """lr = 1e308 with ∂loss/∂w = −2: w − lr · g overflows (warnings are errors here)."""
    trace = build_trace("y_hat = w * x\ns = y_hat - y\nloss = s ** 2",
                        {"w": Binding("parameter", np.array(1.0)),
                         "x": Binding("data", np.array(1.0)),
                         "y": Binding("data", np.array(2.0))}, learning_rate=1e308)
    update = trace.step(len(trace))
    assert update.phase == "update"
    assert float(update.value) == np.inf


def test_a_what_ifs_twin_step_has_its_numbers():
    """Trace.twin: the step at the same place of a What-if of the same program, with
    its numbers (by hand at w = 1.5: s = −0.5, ∂loss/∂w = 2 s · x = −1); none where
    the programs differ."""
    lesson = "y_hat = w * x\ns = y_hat - y\nloss = s ** 2"
    own = build_trace(lesson, {"w": Binding("parameter", 1.0), "x": Binding("data", 1.0),
                               "y": Binding("data", 2.0)})
    other = build_trace(lesson, {"w": Binding("parameter", 1.5), "x": Binding("data", 1.0),
                                 "y": Binding("data", 2.0)})
    for step in own.steps:
        twin = other.twin(step)
        assert twin is other.steps[step.index - 1] and twin.target == step.target
    assert float(own.steps[-1].value) == -2.0 and float(other.twin(own.steps[-1]).value) == -1.0
    different = build_trace("y_hat = w * x\nloss = y_hat ** 2",
                            {"w": Binding("parameter", 1.0), "x": Binding("data", 1.0)})
    assert different.twin(own.steps[-1]) is None
