"""Why an answer is wrong: try the usual mistakes on it, then say the rule, never the number.

First the mistakes, each undone on the learner's value: when undoing one turns the value
into the right gradient, that one names the hint —

- a gradient used before it was right (``d_s`` wrong): with the right ``d_s`` it is right;
- a sum over a broadcast axis left out (``d_z`` for ``b`` instead of ``d_z.sum(0)``);
- a transpose (``G.T @ X`` for ``W``);
- a flipped sign;
- a relu mask left out (``d_h`` instead of ``d_h * (z > 0)``);
- a term missing where the value is used twice (``=`` where ``+=`` was meant).

Otherwise, in order: the shape it should have; "used twice: a sum" at a fork; the sum
over a broadcast axis; the matmul rule; the local rule in words. Hints are
:class:`core.engine.explain.Explanation` keys with arguments, so the window translates them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core.base.values import shape_text, unbroadcast
from core.engine.explain import TEMPLATES as EXPLAIN
from core.engine.explain import Explanation
from core.engine.graph import ComputationGraph
from core.ninja.grade import ATOL, RTOL
from core.ninja.rules import value_text
from core.ops import OPS

TEMPLATES = {
    "ninja.failed": "This cannot be computed ({error}). ∂{output}/∂{target} has the shape of "
                    "{target}: {shape}.",
    "ninja.upstream": "{used} is not right yet: with the right {used}, this answer would be "
                      "right. Fix {used} first.",
    "ninja.fix.sum": "The forward pass broadcast {target} over the batch: sum the gradient "
                     "over that axis ({sum}).",
    "ninja.fix.transpose": "This is the transpose of the gradient: ∂{output}/∂{target} has "
                           "the shape of {target}, {shape}.",
    "ninja.fix.sign": "The sign is flipped: check the local rule ({rule}).",
    "ninja.fix.mask": "relu passes the gradient only where its input was positive: multiply "
                      "by the mask ({mask} > 0).",
    "ninja.fix.fork": "{target} is used {count} times: its gradient is a sum (+=), and the "
                      "term through {consumer} is missing.",
    "ninja.shape": "∂{output}/∂{target} has the shape of {target}: {shape}, not {given}.",
    "ninja.fused": "Fused: softmax, log and nll together give ∂{output}/∂{target} = "
                   "(softmax({target}) − onehot) / N, a {shape} tensor.",
    "ninja.fork": "{target} is used {count} times: its gradient is a sum of {count} terms "
                  "(+=).",
    "ninja.broadcast": "The forward pass broadcast {target} over the batch: sum the gradient "
                       "over that axis.",
    "ninja.matmul": "matmul: G ↦ {rule} for {target}.",
    "ninja.rule": "Chain rule: the gradient from {consumer} times the local gradient "
                  "({rule}).",
}


@dataclass
class Attempt:
    """What the hints look at: the question, the learner's value, how to retry it."""

    graph: ComputationGraph
    node: int
    expected: np.ndarray
    contributions: list
    value: np.ndarray | None  # None: could not be computed
    error: str = ""
    #: d_<name>s the answer used whose own value is wrong, and a recomputation of the
    #: answer with the right ones (None when it cannot be computed)
    wrong_upstream: tuple[str, ...] = ()
    retry: Callable[[], np.ndarray | None] | None = None
    fused: bool = False


def _close(a, b) -> bool:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        return False
    with np.errstate(all="ignore"):
        return bool(np.allclose(a, b, rtol=RTOL, atol=ATOL, equal_nan=True))


def diagnose(attempt: Attempt) -> Explanation:
    """The first hint that applies to a wrong answer."""
    graph, node = attempt.graph, graph_node(attempt)
    args = {"output": graph.output_node.label, "target": node.label,
            "shape": shape_text(np.shape(attempt.expected))}
    if attempt.value is None:
        return Explanation("ninja.failed", {**args, "error": attempt.error})
    found = _mistake(attempt, args)
    if found is not None:
        return found
    return _fallback(attempt, args)


def graph_node(attempt: Attempt):
    return attempt.graph.nodes[attempt.node]


def _mistake(attempt: Attempt, args: dict) -> Explanation | None:
    value, expected = np.asarray(attempt.value), np.asarray(attempt.expected)
    if attempt.wrong_upstream and attempt.retry is not None:
        again = attempt.retry()
        if again is not None and _close(again, expected):
            return Explanation("ninja.upstream", {**args, "used": attempt.wrong_upstream[0]})
    if value.shape != expected.shape:
        try:
            grown = np.broadcast_shapes(value.shape, expected.shape) == value.shape
        except ValueError:
            grown = False
        if grown and _close(unbroadcast(value.astype(np.float64), expected.shape), expected):
            return Explanation("ninja.fix.sum", {**args, "sum": _sum_text(value.shape,
                                                                         expected.shape)})
    if value.ndim == 2 and value.T.shape == expected.shape and _close(value.T, expected) \
            and not _close(value, expected):
        return Explanation("ninja.fix.transpose", args)
    if _close(-value, expected):
        return Explanation("ninja.fix.sign", {**args, **_rule(attempt)})
    graph = attempt.graph
    for c in attempt.contributions:
        if graph.nodes[c.consumer].op == "relu":
            mask = np.asarray(graph.nodes[attempt.node].value) > 0
            if value.shape == expected.shape and _close(value * mask, expected):
                return Explanation("ninja.fix.mask", {
                    **args, "mask": format(value_text(graph, attempt.node))})
    if len(attempt.contributions) > 1 and value.shape == expected.shape:
        for c in attempt.contributions:
            if _close(value + c.value, expected) or _close(value, c.value):
                missing = c if _close(value + c.value, expected) else next(
                    o for o in attempt.contributions if o is not c)
                return Explanation("ninja.fix.fork", {
                    **args, "count": len(attempt.contributions),
                    "consumer": graph.nodes[missing.consumer].label})
    return None


def _sum_text(have: tuple, want: tuple) -> str:
    text = ".sum(0)" * (len(have) - len(want)) if want else ".sum()"
    if want:
        for axis, size in enumerate(want):
            if size == 1 and have[len(have) - len(want) + axis] != 1:
                text += f".sum({axis}, keepdim=True)"
    return text


def _fallback(attempt: Attempt, args: dict) -> Explanation:
    graph = attempt.graph
    value = np.asarray(attempt.value)
    if value.shape != np.shape(attempt.expected):
        return Explanation("ninja.shape", {**args, "given": shape_text(value.shape)})
    if attempt.fused:
        return Explanation("ninja.fused", args)
    count = len(attempt.contributions)
    if count > 1:
        return Explanation("ninja.fork", {**args, "count": count})
    if any(c.broadcast for c in attempt.contributions):
        return Explanation("ninja.broadcast", args)
    for c in attempt.contributions:
        user = graph.nodes[c.consumer]
        if user.op == "matmul":
            return Explanation("ninja.matmul", {**args, "rule": matmul_words(graph, user,
                                                                           c.position)})
    return Explanation("ninja.rule", {**args, **_rule(attempt)})


def matmul_words(graph: ComputationGraph, user, position: int) -> str:
    """``G @ Wᵀ`` for X, ``Xᵀ @ G`` for W (labels of the operands)."""
    a, b = (graph.nodes[i] for i in user.inputs)
    ranks = (np.ndim(a.value), np.ndim(b.value))
    left = a.label if a.atomic else f"({a.label})"
    right = b.label if b.atomic else f"({b.label})"
    if ranks == (2, 2):
        return f"G @ {right}ᵀ" if position == 0 else f"{left}ᵀ @ G"
    if ranks == (1, 1):
        return f"G · {right}" if position == 0 else f"G · {left}"
    if ranks[0] == 1:
        return f"{right} @ G" if position == 0 else f"{left} ⊗ G"
    return f"G ⊗ {right}" if position == 0 else f"{left}ᵀ @ G"


def _rule(attempt: Attempt) -> dict:
    """The local rule of the first use, in words: "product rule: the other factor"."""
    graph = attempt.graph
    c = attempt.contributions[0]
    user = graph.nodes[c.consumer]
    key = f"rule.{user.op}"
    if key in EXPLAIN:
        words = EXPLAIN[key]
    elif user.op == "matmul":
        key, words = "", "matmul: G ↦ " + matmul_words(graph, user, c.position)
    else:
        key, words = "", OPS[user.op].why or OPS[user.op].description or user.op
    return {"consumer": user.label, "rule": words, "rule_key": key}


def render_hint(hint: Explanation | None, templates: dict[str, str] | None = None) -> str | None:
    """English (or ``templates``' language) text of a hint; None for no hint."""
    if hint is None:
        return None
    table = templates or TEMPLATES
    return table.get(hint.key, TEMPLATES[hint.key]).format(**hint.args)
