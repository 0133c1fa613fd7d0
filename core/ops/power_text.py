"""How a power reads in formulas: ``x²``, ``x^(−0.5)``, and its local gradient
``2 · x`` (the Op entry's symbol and local text, core/ops/base.py)."""

from __future__ import annotations


def power_symbol(k: float) -> str:
    return {2.0: "²", 3.0: "³"}.get(float(k), "^" + format_exponent(k))


def format_exponent(k: float) -> str:
    text = f"{float(k):.6g}".replace("-", "−")
    return text if float(k) >= 0 and "e" not in text else f"({text})"


def power_local_text(k: float) -> str:
    k = float(k)
    if k == 0:
        return "0"
    if k == 1:
        return "1"
    if k == 2:
        return "2 · {0}"
    lead = f"{k:.6g}".replace("-", "−")
    return f"{lead} · {{0}}{power_symbol(k - 1)}"
