"""Ninja mode's engine: answers read safely, computed, graded against torch, hinted."""

from __future__ import annotations

import glob
from pathlib import Path

import numpy as np
import pytest

from core.base.errors import ExpressionError
from core.checks.torch_check import build_torch_graph, release
from core.engine.trace import build_trace
from core.io.examples import LESSON_TEXT, lesson_bindings
from core.io.session import load_session
from core.ninja.answers import parse_answer
from core.ninja.evaluate import AnswerFailed, Env, evaluate
from core.ninja.grade import grade
from core.ninja.hints import TEMPLATES, render_hint
from core.ninja.walk import Walk, fused_groups

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(glob.glob(str(ROOT / "resources" / "examples" / "*.json")))
#: programs beyond the examples: every op family the rules table covers
PROGRAMS = {
    "nll-of-log-softmax": "X = [[1., 2., 3.], [0.5, -1., 2.]]\ny = torch.tensor([2, 0])\n"
                          "W = param([[0.1, 0.2, 0.3], [0.3, -0.4, 0.1], [0.5, 0.6, -0.2]])\n"
                          "z = X @ W\nloss = F.nll_loss(torch.log(torch.softmax(z, dim=1)), y)",
    "cross-entropy": "X = [[1., 2., 3.], [0.5, -1., 2.]]\ny = torch.tensor([2, 0])\n"
                     "W = param([[0.1, 0.2, 0.3], [0.3, -0.4, 0.1], [0.5, 0.6, -0.2]])\n"
                     "z = X @ W\nloss = F.cross_entropy(z, y)",
    "functions": "w = param([1., 2., 3.])\nv = [0.5, 2., -1.]\nm = w.reshape(3, 1) * v\n"
                 "t = m.sum(dim=0)\nq = torch.tanh(t).max()\n"
                 "r = (w / v).mean() + sigmoid(w).sum() + q\n"
                 "loss = r ** 3 + exp(-r) + sqrt(abs(r)) + log(r * r)",
    "matrices": "A = param([[1., 2.], [3., 4.]])\nx = param([1., -1.])\ny = A @ x\nz = x @ A\n"
                "loss = (y * z).sum() + (A.T @ A).mean(dim=1).sum() + max(y, z).sum() "
                "+ min(A, 2.5).sum()",
    "shapes": "tg = [1., 2., 3., 4.]\nw = param([[1., 2.], [3., 4.]])\nb = param([[1.], [2.]])\n"
              "u = w + b\nloss = F.mse_loss(u.flatten(), tg) + "
              "(u.sum(dim=1, keepdim=True) ** 2).mean() + sin(cos(u)).unsqueeze(0).sum()",
    "bce": "yy = [0., 1.]\np = param([0.2, 0.7])\n"
           "loss = F.binary_cross_entropy(p, yy) + (2 / p).sum() + (p ** p).sum()",
}


def _traces():
    yield "lesson", build_trace(LESSON_TEXT, lesson_bindings())
    for path in EXAMPLES:
        session = load_session(path)
        yield Path(path).stem, build_trace(session.text, session.bindings)
    for name, text in PROGRAMS.items():
        yield name, build_trace(text)


TRACES = dict(_traces())


def torch_grads(trace, torch) -> dict[int, np.ndarray]:
    """Every node's gradient as torch computes it (retain_grad on each op)."""
    graph = trace.graph
    tensors = build_torch_graph(graph, torch, torch.float64)
    try:
        tensors[graph.output].backward()
        found = {}
        for node in graph.nodes:
            t = tensors[node.id]
            if hasattr(t, "grad") and t.grad is not None:
                found[node.id] = t.grad.detach().numpy().copy()
        return found
    finally:
        release(tensors)


@pytest.mark.parametrize("name", list(TRACES))
@pytest.mark.parametrize("level", [1, 2])
def test_our_own_answer_is_graded_right_and_agrees_with_torch(name, level, torch):
    """Show answer's text, typed back, is right for every node; the gradient it is graded
    against is torch's."""
    trace = TRACES[name]
    walk = Walk(trace, level)
    reference = torch_grads(trace, torch)
    true = walk.true_grads()
    assert walk.questions
    for q in walk.questions:
        np.testing.assert_allclose(q.expected, reference[q.node], rtol=1e-12, atol=1e-14)
        shown = walk.show(q)
        verdict = walk.grade(q, walk.parse(q, shown, true), true, true)
        assert verdict.grade.close and verdict.grade.shape_ok, (name, q.key, shown)
        assert np.allclose(verdict.value, reference[q.node], rtol=1e-5, atol=1e-8)
        assert verdict.hint is None


def test_the_lessons_answers_are_exact():
    walk = Walk(TRACES["lesson"])
    assert [q.key for q in walk.questions] == ["s", "y_hat", "w"]
    assert [walk.show(q) for q in walk.questions] == ["d_loss * (2 * s)", "d_s", "d_y_hat * x"]
    grads = walk.given_grads()
    assert grads == {"loss": 1.0}
    for q, text in zip(walk.questions, ["2 * s", "d_s", "d_y_hat * x"], strict=True):
        verdict = walk.grade(q, walk.parse(q, text, grads), grads)
        assert verdict.grade.exact and verdict.grade.maxdiff == 0.0
        grads[q.key] = verdict.value
    assert grads["w"] == -2.0


def _hint(name: str, key: str, text: str, level: int = 1):
    trace = TRACES[name]
    walk = Walk(trace, level)
    q = walk.by_node[walk.find(key)]
    true = walk.true_grads()
    verdict = walk.grade(q, walk.parse(q, text, true), true, true)
    assert not verdict.grade.right
    return verdict


def test_a_missing_sum_over_the_batch():
    verdict = _hint("09-one-layer", "b", 'grad("(X @ W) + b")')
    assert verdict.hint.key == "ninja.fix.sum"
    walk = Walk(TRACES["09-one-layer"])
    expected = walk.by_node[walk.find("b")].expected
    assert not verdict.grade.shape_ok and verdict.value.shape == (4, 2)
    # maxdiff broadcasts, as cmp()'s (dt - t.grad).abs().max() does
    assert verdict.grade.maxdiff == np.max(np.abs(verdict.value - expected))
    assert render_hint(verdict.hint) == ("The forward pass broadcast b over the batch: sum the "
                                         "gradient over that axis (.sum(0)).")


def test_a_missing_term_at_a_fork():
    walk = Walk(TRACES["06-reuse"])
    assert len(walk.by_node[walk.find("b")].step.contributions) == 2
    verdict = _hint("06-reuse", "b", "d_c * 1")
    assert verdict.hint.key == "ninja.fix.fork"
    assert verdict.grade.shape_ok and verdict.grade.maxdiff > 0
    assert "used 2 times" in render_hint(verdict.hint) and "through d" in render_hint(verdict.hint)


def test_transposes_swapped():
    verdict = _hint("09-one-layer", "W", 'grad("X @ W").T @ X')
    assert verdict.hint.key == "ninja.fix.transpose"
    assert "3×2" in render_hint(verdict.hint)
    # the other wrong order does not compute: a wrong answer with the shape hint
    failed = _hint("09-one-layer", "W", 'grad("X @ W") @ X.T')
    assert failed.value is None and failed.hint.key == "ninja.failed"
    assert not failed.grade.shape_ok and "3×2" in render_hint(failed.hint)


def test_the_relu_mask_forgotten():
    verdict = _hint("09-one-layer", "(X @ W) + b", "d_h")
    assert verdict.hint.key == "ninja.fix.mask"
    assert "(((X @ W) + b) > 0)" in render_hint(verdict.hint)


def test_a_sign_error():
    verdict = _hint("lesson", "y_hat", "-d_s")
    assert verdict.hint.key == "ninja.fix.sign"
    assert "difference rule" in render_hint(verdict.hint)


def test_a_wrong_gradient_upstream_is_named():
    trace = TRACES["lesson"]
    walk = Walk(trace)
    s, y_hat = walk.questions[:2]
    grads = walk.given_grads()
    grads["s"] = walk.grade(s, walk.parse(s, "s", grads), grads).value  # wrong: −1
    verdict = walk.grade(y_hat, walk.parse(y_hat, "d_s", grads), grads, walk.true_grads())
    assert not verdict.grade.right and verdict.hint.key == "ninja.upstream"
    assert "d_s" in render_hint(verdict.hint)


def test_fallback_hints_in_order():
    # the shape first
    assert _hint("09-one-layer", "W", "torch.zeros_like(X)").hint.key == "ninja.shape"
    # a fork
    assert _hint("06-reuse", "b", "d_c * 3").hint.key == "ninja.fork"
    # a broadcast (right shape, wrong numbers)
    assert _hint("09-one-layer", "b", "torch.zeros_like(b)").hint.key == "ninja.broadcast"
    # matmul
    text = render_hint(_hint("09-one-layer", "W", "torch.zeros_like(W)").hint)
    assert text == "matmul: G ↦ Xᵀ @ G for W."
    # the local rule in words
    text = render_hint(_hint("lesson", "s", "3 * s").hint)
    assert text == "Chain rule: the gradient from loss times the local gradient (power rule: " \
                   "k · xᵏ⁻¹)."


def test_hints_never_give_the_number_away():
    for name, key, text in [("lesson", "s", "3 * s"), ("09-one-layer", "W", "W"),
                            ("09-one-layer", "b", "b"), ("06-reuse", "b", "d_c * 3")]:
        verdict = _hint(name, key, text)
        walk = Walk(TRACES[name])
        expected = walk.by_node[walk.find(key)].expected
        hint = render_hint(verdict.hint)
        for number in np.ravel(expected):
            if number not in (0.0, 1.0, 2.0, -1.0):
                assert f"{number:g}" not in hint, (hint, number)


def test_level_two_fuses_softmax_log_and_nll():
    trace = TRACES["nll-of-log-softmax"]
    one, two = Walk(trace, 1), Walk(trace, 2)
    assert len(one.questions) == len(two.questions) + 2
    assert [q.key for q in two.questions] == ["z", "W"]
    (group,) = fused_groups(trace).values()
    assert len(group[3]) == 2
    z = two.questions[0]
    assert two.show(z) == "d_loss * (torch.softmax(z, dim=1) - F.one_hot(y, 3)) / 2"
    grads = two.given_grads()
    assert set(grads) == {"loss", *(trace.graph.nodes[n].label for n in group[3])}
    verdict = two.grade(z, two.parse(z, "torch.softmax(z, dim=1) - F.one_hot(y, 3)", grads),
                        grads, two.true_grads())
    assert verdict.hint.key == "ninja.fused" and "3×3" not in render_hint(verdict.hint)
    assert "2×3" in render_hint(verdict.hint)
    # the one-hot written with an integer-tensor index is the same answer
    verdict = two.grade(z, two.parse(z, "(torch.softmax(z, dim=1) - torch.eye(3)[y]) / 2",
                                     grads), grads)
    assert verdict.grade.exact


def test_cross_entropy_is_one_answer_at_both_levels():
    trace = TRACES["cross-entropy"]
    assert [q.key for q in Walk(trace, 1).questions] == ["z", "W"]
    assert Walk(trace, 2).questions[0].fused is not None


@pytest.mark.parametrize("text", [
    "__import__('os')", "open('f')", "s.__class__", "lambda: 1", "[x for x in s]",
    "exec('1')", "s if s else 1", "a < b < c", "grad(s)", "torch.nn.Module()", "2 *",
    "s; s", "s\ns", "", "x = 1", "F.conv9(s)", "s.shape", "{}"])
def test_answers_are_never_run_as_python(text):
    with pytest.raises(ExpressionError):
        parse_answer(text)


def test_answer_language():
    env = Env({"h": np.array([[1.0, -2.0], [0.5, 0.0]]), "y": np.array([0.0, 2.0, 1.0]),
               "s": np.float64(-1.0)}, {"h": np.ones((2, 2)), "loss": np.float64(1.0)})
    cases = {
        "(h > 0) * d_h": [[1, 0], [1, 0]], "(h > 0).float() * d_h": [[1, 0], [1, 0]],
        "torch.eye(3)[y]": np.eye(3)[[0, 2, 1]],
        "F.one_hot(y, num_classes=3)": np.eye(3)[[0, 2, 1]],
        "d_h.sum(0, keepdim=True)": [[2, 2]], "h[:, 0]": [1, 0.5], "h.shape[0] + h.size(1)": 4,
        "torch.where(h > 0, d_h, 0)": [[1, 0], [1, 0]], "torch.zeros_like(h)": np.zeros((2, 2)),
        "torch.full_like(h, 3)": np.full((2, 2), 3.0), "torch.sign(h)": [[1, -1], [1, 0]],
        'grad("h") * 2': [[2, 2], [2, 2]], "d_loss.expand_as(h)": np.ones((2, 2)),
        "h.T": [[1, 0.5], [-2, 0]], "h.numel()": 4, "2 * s * d_loss": -2,
    }
    for text, expected in cases.items():
        np.testing.assert_array_equal(evaluate(parse_answer(text), env), expected, text)
    with pytest.raises(AnswerFailed):
        evaluate(parse_answer("h @ torch.ones(3, 2)"), env)
    with pytest.raises(AnswerFailed):
        evaluate(parse_answer("torch.eye(2)[y]"), env)


def test_float32_answers_are_computed_in_float32():
    env = Env({"s": np.float32(0.1)}, {"loss": np.float32(1.0)}, np.float32)
    value = evaluate(parse_answer("2 * s * d_loss / 3"), env)
    assert value.dtype == np.float32
    assert value == np.float32(2) * np.float32(0.1) / np.float32(3)


def test_grade_matches_torchs_cmp(torch):
    """exact is torch's ==, close torch.allclose, maxdiff (a - b).abs().max()."""
    rng = np.random.default_rng(3)
    expected = rng.normal(size=(3, 4))
    for given in (expected.copy(), expected + 1e-9, expected * (1 + 2e-5), expected + 1e-3):
        g = grade(given, expected)
        t, e = torch.tensor(given), torch.tensor(expected)
        assert g.exact == bool(torch.all(t == e))
        assert g.close == torch.allclose(t, e)
        assert g.maxdiff == pytest.approx((t - e).abs().max().item(), rel=1e-12, abs=0)
        assert g.shape_ok
    wrong = grade(expected[:, :1], expected)
    assert not wrong.shape_ok and not wrong.close
    assert grade(np.float64(1.0), np.array([1.0])).shape_ok is False


def test_unknown_names_and_nodes_are_errors_with_a_column():
    walk = Walk(TRACES["lesson"])
    q = walk.questions[1]
    with pytest.raises(ExpressionError) as info:
        walk.parse(q, "2 * d_w", walk.given_grads())
    assert "column 5" in str(info.value) and "d_w" in str(info.value)
    with pytest.raises(ExpressionError) as info:
        walk.parse(q, 'grad("y_hat - y")', walk.given_grads())
    assert "column 1" in str(info.value)


def test_every_hint_template_fills():
    for key, text in TEMPLATES.items():
        assert key.startswith("ninja.") and text.endswith(".")


def test_a_walk_in_float32_grades_in_float32():
    """A recorded pass (float32, once the recorder lands) is graded in its own dtype."""
    trace = TRACES["09-one-layer"]
    walk = Walk(trace, 1, dtype=np.float32)
    grads = walk.given_grads()
    assert grads["loss"].dtype == np.float32
    true = walk.true_grads()
    for q in walk.questions:
        verdict = walk.grade(q, walk.parse(q, walk.show(q), grads), grads, true)
        assert verdict.value.dtype == np.float32 and verdict.grade.close, q.key
        grads[q.key] = verdict.value
