"""Karpathy's ``cmp()``: is the learner's gradient exact, close, how far off, right shape?

- exact: every entry equal to the engine's gradient (``==``, as torch's ``dt == t.grad``;
  nan equals nan), in the same shape;
- close: ``allclose`` at torch's default tolerances (rtol 1e-5, atol 1e-8), same shape;
- maxdiff: the largest ``|answer − gradient|`` where the shapes broadcast, else None;
- shape_ok: the answer has the node's shape.

The engine's gradient is the one the torch check confirms (tests compare with torch).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RTOL, ATOL = 1e-5, 1e-8  # torch.allclose's defaults


@dataclass(frozen=True)
class Grade:
    exact: bool
    close: bool
    maxdiff: float | None
    shape_ok: bool

    @property
    def right(self) -> bool:
        return self.exact or self.close


FAILED = Grade(False, False, None, False)


def grade(given, expected) -> Grade:
    """Compare an answer's value with the gradient it should be."""
    given = np.asarray(given)
    expected = np.asarray(expected)
    shape_ok = given.shape == expected.shape
    maxdiff = difference(given, expected)
    diff = None if maxdiff is None else float(np.max(np.abs(maxdiff))) if maxdiff.size else 0.0
    if diff is not None and np.isnan(diff) and not np.any(np.isnan(given) != np.isnan(expected)):
        finite = ~np.isnan(maxdiff)
        diff = float(np.max(np.abs(maxdiff[finite]))) if np.any(finite) else 0.0
    if not shape_ok:
        return Grade(False, False, diff, False)
    with np.errstate(all="ignore"):
        exact = bool(np.all((given == expected) | (np.isnan(given) & np.isnan(expected))))
        close = exact or bool(np.allclose(given.astype(np.float64), expected.astype(np.float64),
                                          rtol=RTOL, atol=ATOL, equal_nan=True))
    return Grade(exact, close, diff, True)


def difference(given, expected) -> np.ndarray | None:
    """``answer − gradient`` where the shapes broadcast (for maxdiff and the heat map)."""
    given = np.asarray(given, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    try:
        np.broadcast_shapes(given.shape, expected.shape)
    except ValueError:
        return None
    with np.errstate(all="ignore"):
        diff = given - expected
        # inf − inf is nan although the entries agree
        same = (given == expected)
        return np.where(same, 0.0, diff)
