"""The one ours-vs-torch tolerance (core.base.agreement) and the callers that all use it."""

from __future__ import annotations

import numpy as np

from core.base import agreement
from core.base.agreement import agree, agree_entries, far_entries
from core.checks import rounding, torch_check


def test_the_checks_share_one_function():
    assert rounding.close is agree
    assert torch_check.same is agree


def test_agree_within_the_bound_and_not_beyond():
    assert agree(1.0, 1.0 + 5e-10)  # 1e-12 + 1e-9 · 1
    assert not agree(1.0, 1.0 + 5e-9)
    assert agree(0.0, 1e-13) and not agree(0.0, 1e-11)  # atol alone near 0
    assert agree(0.0, 3.0, scale=2e16)  # a cancelled sum's rounding
    assert not agree(0.0, 3.0, scale=3.0)
    assert agree(1e-9 + 1.0, 1.0, rtol=1e-8)


def test_agree_on_nan_inf_none_and_shapes():
    nan, inf = float("nan"), float("inf")
    assert agree(nan, nan) and agree(inf, inf) and not agree(inf, -inf)
    assert not agree(1.0, nan, scale=np.inf) and not agree(inf, 1e308, scale=np.inf)
    assert agree(None, None) and not agree(None, 1.0) and not agree(1.0, None)
    assert not agree([1.0, 2.0], [1.0, 2.0, 3.0])
    assert agree_entries([1.0, 2.0], [1.0]) is None


def test_far_entries_names_the_entries_beyond_tolerance():
    assert far_entries([1.0, 2.0, 3.0], [1.0, 2.5, 3.5]).tolist() == [1, 2]
    assert far_entries([1.0], None) is None


def test_a_recorded_run_allows_float32_rounding():
    big = np.array([1000.0, 1.0])
    assert rounding.recorded_close(big + [0.0, 5e-3], big)  # 1e-5 of the largest entry
    assert not rounding.recorded_close(big + [0.0, 5e-2], big)
    assert rounding.recorded_close([np.inf, np.nan], [np.inf, np.nan])
    assert not rounding.recorded_close([np.inf], [1.0]) and not rounding.recorded_close(
        [1.0], [1.0, 1.0])
    assert agreement.RTOL == 1e-9 and agreement.ATOL == 1e-12
