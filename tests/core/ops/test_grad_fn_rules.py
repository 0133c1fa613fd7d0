"""Each op entry's grad_fn and grad_fn_rule (core.ops.grad_fn_of) against torch's own
name for the same call written the same way: the recorder maps a call to an op only when
they agree (tests/core/record/test_grad_fns.py), so a wrong entry would turn correct
calls into torch's rule."""

from __future__ import annotations

import pytest

from core.ops import grad_fn_of

# (op key, attrs, operand ranks, number first, the call as the learner writes it)
CASES = [
    ("sub", {}, (0, 1), True, lambda t, x, W: 2 - x),
    ("sub", {}, (1, 0), False, lambda t, x, W: x - 2),
    ("div", {}, (0, 1), True, lambda t, x, W: 2 / x),
    ("div", {}, (1, 0), False, lambda t, x, W: x / 2),
    ("pow", {}, (0, 1), True, lambda t, x, W: 2 ** x),
    ("pow", {}, (1, 1), False, lambda t, x, W: x ** x),
    ("powc", {"k": 3.0}, (1,), False, lambda t, x, W: x ** 3),
    ("mul", {}, (0, 1), True, lambda t, x, W: 2 * x),
    ("sum", {}, (2,), False, lambda t, x, W: W.sum()),
    ("sum", {"dim": 1, "keepdim": False}, (2,), False, lambda t, x, W: W.sum(dim=1)),
    ("mean", {"dim": 0, "keepdim": False}, (2,), False, lambda t, x, W: W.mean(dim=0)),
    ("max", {}, (2,), False, lambda t, x, W: W.max()),
    ("max", {"dim": 1, "keepdim": False}, (2,), False, lambda t, x, W: W.max(dim=1).values),
    ("min", {"dim": 1, "keepdim": False}, (2,), False, lambda t, x, W: W.min(dim=1).values),
    ("matmul", {"form": "@"}, (2, 2), False, lambda t, x, W: W @ W.T),
    ("matmul", {"form": "@"}, (2, 1), False, lambda t, x, W: W.T @ x[:2]),
    ("matmul", {"form": "@"}, (1, 2), False, lambda t, x, W: x[:2] @ W),
    ("matmul", {"form": "@"}, (1, 1), False, lambda t, x, W: x @ x),
    ("transpose", {"form": ".T"}, (2,), False, lambda t, x, W: W.T),
    ("transpose", {"form": ".t()"}, (2,), False, lambda t, x, W: W.t()),
    ("transpose", {"form": "transpose"}, (2,), False, lambda t, x, W: W.transpose(0, 1)),
    ("transpose", {"form": "transpose"}, (2,), False, lambda t, x, W: W.mT),
]


@pytest.mark.parametrize(("key", "attrs", "ndims", "first", "call"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_the_entrys_grad_fn_is_torchs(torch, key, attrs, ndims, first, call):
    x = torch.tensor([0.5, 1.5, 2.0], requires_grad=True)
    W = torch.tensor([[1.0, -2.0, 0.5], [3.0, 0.25, -1.0]], requires_grad=True)
    assert grad_fn_of(key, attrs, ndims, first) == call(torch, x, W).grad_fn.name()


def test_a_batched_matmul_and_an_unknown_op_are_not_said(torch):
    a = torch.rand(2, 3, 4, requires_grad=True)
    assert (a @ torch.rand(4, 5)).grad_fn.name() != "MmBackward0"
    assert grad_fn_of("matmul", {"form": "@"}, (3, 2)) is None
    assert grad_fn_of("no such op") is None
