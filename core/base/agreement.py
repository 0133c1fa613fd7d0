"""Ours against torch: the one tolerance every comparison uses.

Two numbers agree when ``|ours − theirs| ≤ atol + rtol · max(|ours|, |theirs|, scale)``,
entry by entry; nan agrees with nan, and an infinity only with the same infinity. The
callers differ only in what they pass:

- the straight-line check (:mod:`core.checks.torch_check`, float64 on both sides): ``rtol`` of
  1e-9 and, as ``scale``, the magnitude the value's rounding is relative to
  (:mod:`core.checks.rounding`: a sum that cancelled keeps its terms' size);
- a recorded run (:mod:`core.record`): float32's ``rtol`` and a share of the tensor's
  largest entry as ``atol``.

numpy only: nothing here imports torch.
"""

from __future__ import annotations

import numpy as np

#: the float64 comparison's tolerances: the same to the last few digits
RTOL = 1e-9
ATOL = 1e-12


def agree_entries(ours, theirs, scale=0.0, rtol: float = RTOL, atol: float = ATOL):
    """:func:`agree` entry by entry (a boolean array), or None when the shapes differ."""
    a = np.asarray(ours, dtype=np.float64)
    b = np.asarray(theirs, dtype=np.float64)
    if a.shape != b.shape:
        return None
    with np.errstate(all="ignore"):
        bound = atol + rtol * np.fmax(np.fmax(np.abs(a), np.abs(b)), scale)
        finite = np.isfinite(a) & np.isfinite(b)
        return (np.isnan(a) & np.isnan(b)) | (a == b) | (finite & (np.abs(a - b) <= bound))


def agree(ours, theirs, scale=0.0, rtol: float = RTOL, atol: float = ATOL) -> bool:
    """Do ours and torch's agree, every entry (see the module)? None agrees only with
    None; different shapes never agree."""
    if ours is None or theirs is None:
        return ours is None and theirs is None
    ok = agree_entries(ours, theirs, scale, rtol, atol)
    return ok is not None and bool(np.all(ok))


def far_entries(ours, theirs, scale=0.0, rtol: float = RTOL, atol: float = ATOL):
    """Flat indices of the entries beyond tolerance; None when no entry can be paired."""
    if theirs is None:
        return None
    ok = agree_entries(ours, theirs, scale, rtol, atol)
    return None if ok is None else np.flatnonzero(~np.asarray(ok))


def largest(*arrays, scale: float = 0.0) -> float:
    """The largest magnitude among whole arrays (and ``scale``): a tolerance relative to
    the array's size, not to each entry's own digits."""
    sizes = [float(np.max(np.abs(np.asarray(a, dtype=np.float64)), initial=0.0))
             for a in arrays]
    return max([*sizes, scale])


__all__ = ["ATOL", "RTOL", "agree", "agree_entries", "far_entries", "largest"]
