"""Numbers as the learner reads them: 4 significant digits and a real minus sign."""

from __future__ import annotations

import math

import numpy as np

MINUS = "−"
MAX_SHOWN = 6


def format_number(x: float, digits: int = 4) -> str:
    """``-2.0`` → ``−2``; ``1/3`` → ``0.3333``; nan/inf spelled out."""
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "∞" if x > 0 else f"{MINUS}∞"
    if x == 0:
        return "0"
    text = f"{x:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text.replace("-", MINUS)


def format_value(value, digits: int = 4, max_shown: int = MAX_SHOWN) -> str:
    """A scalar as a number, a vector as ``[1, 2, 3]`` (long ones elided in the middle)."""
    if np.ndim(value) == 0:
        return format_number(value, digits)
    items = [format_number(v, digits) for v in np.ravel(value)]
    if len(items) > max_shown:
        items = [*items[: max_shown - 2], "…", items[-1]]
    return "[" + ", ".join(items) + "]"


def full_precision(value) -> str:
    """Every digit (for hover and copy): the shortest text that reads back the same."""
    if np.ndim(value) == 0:
        return repr(float(value))
    return "[" + ", ".join(repr(float(v)) for v in np.ravel(value)) + "]"


def to_json_value(value):
    """A number or list for JSON; nan/inf become the strings "nan", "inf", "-inf"."""
    if value is None:
        return None
    if np.ndim(value) == 0:
        x = float(value)
        if math.isnan(x):
            return "nan"
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return x
    return [to_json_value(v) for v in np.ravel(value)]
