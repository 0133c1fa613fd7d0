"""Shared helpers for the engine tests: the lesson, torch in float64, array comparison."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from core.engine.trace import build_trace
from core.io.examples import LESSON_TEXT, lesson_bindings

#: The lesson's PyTorch code, verbatim from ../shared/TUTORIAL.md section 5.
LESSON_TORCH_CODE = """\
import torch

x = torch.tensor(1.0)
y = torch.tensor(2.0)
w = torch.tensor(1.0, requires_grad=True)

# forward pass and loss
y_hat = w * x
loss = (y_hat - y) ** 2
print(loss)        # tensor(1., grad_fn=<PowBackward0>)

# backward pass: PyTorch computes local gradients and backpropagates
loss.backward()
print(w.grad)      # tensor(-2.)
"""

LESSON_PRINTED = "tensor(1., grad_fn=<PowBackward0>)\ntensor(-2.)\n"


@pytest.fixture(scope="session", autouse=True)
def _no_qt(request):
    """`make test-fast` runs tests/core without pytest-qt: then no test module may load Qt
    (the engine's tests need no window, and Qt costs each worker its import)."""
    if request.config.pluginmanager.has_plugin("pytest-qt"):
        return
    loaded = sorted(name for name in sys.modules if name.split(".")[0] in ("PySide6", "shiboken6"))
    if loaded:
        pytest.fail(f"a test module under tests/core imported Qt: {', '.join(loaded[:3])}")


@pytest.fixture
def lesson_trace():
    return build_trace(LESSON_TEXT, lesson_bindings())


@pytest.fixture(scope="session")
def torch():
    return pytest.importorskip("torch")


def assert_same(ours, theirs, rtol: float = 1e-10, atol: float = 1e-12, shape: bool = True):
    """Equal numbers: nan equals nan, infinities must agree in sign, shapes must agree."""
    a = np.asarray(ours, dtype=np.float64)
    b = np.asarray(theirs, dtype=np.float64)
    if shape:
        assert a.shape == b.shape, f"shape {a.shape} != {b.shape}: {a!r} vs {b!r}"
    assert np.array_equal(np.isnan(a), np.isnan(b)), f"nan pattern differs: {a!r} vs {b!r}"
    inf = np.isinf(a) | np.isinf(b)
    assert np.array_equal(a[inf], b[inf]), f"infinities differ: {a!r} vs {b!r}"
    finite = ~(np.isnan(a) | inf)
    assert np.allclose(a[finite], b[finite], rtol=rtol, atol=atol), f"{a!r} vs {b!r}"


@pytest.fixture(scope="session")
def same():
    """``same(ours, theirs)`` asserts equal numbers (nan = nan, signed infinities)."""
    return assert_same


@pytest.fixture(scope="session")
def lesson_torch_code() -> str:
    return LESSON_TORCH_CODE


@pytest.fixture(scope="session")
def lesson_printed() -> str:
    return LESSON_PRINTED
