"""conv2d, max_pool2d, avg_pool2d: forward, VJP and JVP against torch in float64.

Hypothesis draws the shapes, strides, paddings and kernel sizes (and, for max-pool,
small whole numbers so that windows tie often); ``make soak`` draws many more.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.ops import OPS, ShapeError, forward, jvp, vjp
from tests.core.conftest import assert_same

torch = pytest.importorskip("torch")
F = torch.nn.functional
SOAK = settings.get_current_profile_name() == "soak"


def examples(default: int, soak: int) -> int:
    return soak if SOAK else default


def torch_jvp(fn, primals, tangents):
    """torch.func.jvp (its first import warns that torch.jit.script is deprecated)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "`torch.jit.script` is deprecated", DeprecationWarning)
        return torch.func.jvp(fn, primals, tangents)


def _t(a, grad=False):
    return torch.tensor(np.asarray(a), dtype=torch.float64, requires_grad=grad)


@st.composite
def conv_cases(draw):
    n, c, o = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    pad = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    h = draw(st.integers(max(1, kh - 2 * pad[0]), 7))
    w = draw(st.integers(max(1, kw - 2 * pad[1]), 7))
    seed = draw(st.integers(0, 2 ** 31))
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, c, h, w))
    weight = rng.normal(size=(o, c, kh, kw))
    bias = rng.normal(size=(o,)) if draw(st.booleans()) else None
    as_ints = draw(st.booleans()) and stride[0] == stride[1] and pad[0] == pad[1]
    attrs = {"stride": stride[0] if as_ints else stride, "padding": pad[0] if as_ints else pad}
    return x, weight, bias, attrs, rng


@settings(max_examples=examples(40, 3_000), deadline=None)
@given(conv_cases())
def test_conv2d_forward_vjp_jvp_match_torch(case):
    x, w, b, attrs, rng = case
    entry = OPS["conv2d"]
    inputs = (x, w) if b is None else (x, w, b)
    at = dict(attrs, biased=True) if b is not None else dict(attrs)
    out = forward(entry, inputs, at)
    assert entry.output_shape(tuple(i.shape for i in inputs), at) == out.shape
    leaves = [_t(i, True) for i in inputs]
    theirs = F.conv2d(*leaves, stride=attrs["stride"], padding=attrs["padding"])
    assert_same(out, theirs.detach().numpy())
    g = rng.normal(size=out.shape)
    theirs.backward(_t(g))
    for position, leaf in enumerate(leaves):
        assert_same(vjp(entry, g, None, inputs, out, at, position), leaf.grad.numpy())
    tangents = tuple(rng.normal(size=i.shape) for i in inputs)
    _, their_tangent = torch_jvp(
        lambda *a: F.conv2d(*a, stride=attrs["stride"], padding=attrs["padding"]),
        tuple(_t(i) for i in inputs), tuple(_t(t) for t in tangents))
    assert_same(jvp(entry, tangents, inputs, out, at), their_tangent.numpy())


@st.composite
def pool_cases(draw, ties: bool):
    lead = draw(st.sampled_from([(1, 1), (2, 3), (2,)]))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    stride = draw(st.sampled_from([None, 1, 2, (1, 2), (3, 1)]))
    pad = (draw(st.integers(0, kh // 2)), draw(st.integers(0, kw // 2)))
    h = draw(st.integers(max(1, kh - 2 * pad[0]), 7))
    w = draw(st.integers(max(1, kw - 2 * pad[1]), 7))
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 31)))
    shape = (*lead, h, w)
    x = rng.integers(-2, 3, size=shape).astype(np.float64) if ties else rng.normal(size=shape)
    kernel = kh if kh == kw and draw(st.booleans()) else (kh, kw)
    return x, {"kernel_size": kernel, "stride": stride, "padding": pad}, rng


def _pool_check(key, torch_fn, x, attrs, rng):
    entry = OPS[key]
    out = forward(entry, (x,), attrs)
    assert entry.output_shape((x.shape,), attrs) == out.shape
    leaf = _t(x, True)
    theirs = torch_fn(leaf)
    assert_same(out, theirs.detach().numpy())
    g = rng.normal(size=out.shape)
    theirs.backward(_t(g))
    assert_same(vjp(entry, g, None, (x,), out, attrs, 0), leaf.grad.numpy())
    tangent = rng.normal(size=x.shape)
    _, their_tangent = torch_jvp(torch_fn, (_t(x),), (_t(tangent),))
    assert_same(jvp(entry, (tangent,), (x,), out, attrs), their_tangent.numpy())


@settings(max_examples=examples(40, 3_000), deadline=None)
@given(pool_cases(ties=True))
def test_max_pool2d_sends_each_gradient_to_the_first_maximum_as_torch(case):
    x, attrs, rng = case
    _pool_check("max_pool2d", lambda a: F.max_pool2d(a, attrs["kernel_size"], attrs["stride"],
                                                      attrs["padding"]), x, attrs, rng)


@settings(max_examples=examples(30, 2_000), deadline=None)
@given(pool_cases(ties=False), st.booleans())
def test_avg_pool2d_matches_torch(case, include_pad):
    x, attrs, rng = case
    attrs = dict(attrs, count_include_pad=include_pad)
    _pool_check("avg_pool2d", lambda a: F.avg_pool2d(
        a, attrs["kernel_size"], attrs["stride"], attrs["padding"],
        count_include_pad=include_pad), x, attrs, rng)


def test_a_tie_gives_the_whole_gradient_to_the_first_cell_read_row_by_row():
    x = np.array([[[[1.0, 3.0], [3.0, 3.0]]]])
    attrs = {"kernel_size": 2, "stride": None, "padding": 0}
    grad = vjp(OPS["max_pool2d"], np.array([[[[5.0]]]]), None, (x,), np.array([[[[3.0]]]]),
               attrs, 0)
    assert grad.tolist() == [[[[0.0, 5.0], [0.0, 0.0]]]]


def test_overlapping_windows_add_up_at_a_shared_maximum():
    x = np.array([[[[0.0, 9.0, 0.0]]]])
    attrs = {"kernel_size": (1, 2), "stride": 1, "padding": 0}
    out = forward(OPS["max_pool2d"], (x,), attrs)
    grad = vjp(OPS["max_pool2d"], np.array([[[[1.0, 2.0]]]]), None, (x,), out, attrs, 0)
    assert grad.tolist() == [[[[0.0, 3.0, 0.0]]]]


@pytest.mark.parametrize(("shapes", "attrs", "message"), [
    (((2, 3, 6, 7), (1, 1, 3, 3)), {}, "the input 2×3×6×7 has 3 channels but the weight "
                                       "1×1×3×3 expects 1"),
    (((1, 1, 5, 5), (2, 1, 3, 3), (3,)), {}, "the bias 3 must hold one number per kernel: 2"),
    (((1, 1, 2, 2), (1, 1, 3, 3)), {}, "the kernel 3×3 is larger than the input 1×1×2×2's "
                                       "2×2 image"),
    (((5, 5), (1, 1, 3, 3)), {}, "conv2d takes an N×C×H×W input (4-D), not 5×5"),
])
def test_conv2d_shape_errors_name_both_shapes(shapes, attrs, message):
    with pytest.raises(ShapeError, match=message.replace("(", r"\(").replace(")", r"\)")):
        OPS["conv2d"].output_shape(shapes, attrs)


def test_pool_shape_errors():
    with pytest.raises(ShapeError, match="the window 3×3 is larger"):
        OPS["max_pool2d"].output_shape(((1, 1, 2, 2),), {"kernel_size": 3})
    with pytest.raises(ShapeError, match="3-D or 4-D"):
        OPS["avg_pool2d"].output_shape(((4, 4),), {"kernel_size": 2})


def test_conv2d_texts_name_the_geometry():
    entry = OPS["conv2d"]
    assert entry.text_for({"stride": 2, "padding": (1, 0), "biased": True}) == \
        "conv2d({0:bare}, {1:bare}, {2:bare}, stride=2, padding=(1, 0))"
    assert entry.code_for({"stride": 1, "padding": 0}) == "F.conv2d({0:bare}, {1:bare})"
    assert OPS["max_pool2d"].text_for({"kernel_size": 2, "stride": None, "padding": 0}) == \
        "max_pool2d({0:bare}, 2)"
    assert entry.rule_shape_text(((1, 1, 5, 5), (1, 1, 3, 3)), (1, 1, 3, 3), {}, 1) == \
        "1×1×3×3 = correlate(1×1×5×5, 1×1×3×3)"
