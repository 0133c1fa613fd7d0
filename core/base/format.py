"""Numbers as the learner reads them: 4 significant digits and a real minus sign.

A matrix reads as rows, ``[[1, 2], [3, 4]]``; a tensor of more than six entries is too
long for a step's one line and is named by its size instead ("[1000 values]", or
"[4×250: 1000 values]"): its numbers appear in full once, in JSON ``values``/``grads``,
the tooltip and :func:`format_block`.
"""

from __future__ import annotations

import math
import re

import numpy as np

from core.base.values import MAX_SHOWN_ENTRIES, shape_text, to_json_value

MINUS = "−"
NO_NUMBER = "—"
MAX_SHOWN = MAX_SHOWN_ENTRIES

__all__ = ["MINUS", "MAX_SHOWN", "format_number", "format_value", "format_block", "labelled",
           "matrix_lines", "sized_words",
           "full_precision", "to_json_value", "more_terms", "MORE_TERMS", "more_terms_words"]


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


def _nested(array: np.ndarray, digits: int) -> str:
    if array.ndim == 1:
        return "[" + ", ".join(format_number(v, digits) for v in array) + "]"
    return "[" + ", ".join(_nested(row, digits) for row in array) + "]"


def format_value(value, digits: int = 4, max_shown: int = MAX_SHOWN) -> str:
    """A scalar as a number, a vector as ``[1, 2, 3]``, a matrix as ``[[1, 2], [3, 4]]``;
    more than ``max_shown`` entries as ``[1000 values]``; None (the local step of a
    matmul, which has a rule instead of a number) as a dash."""
    if value is None:
        return NO_NUMBER
    if np.ndim(value) == 0:
        return format_number(value, digits)
    array = np.asarray(value)
    if array.size > max_shown:
        if array.ndim == 1:
            return f"[{array.size} values]"
        return f"[{shape_text(array.shape)}: {array.size} values]"
    if array.size == 0:
        return "[]"
    return _nested(array, digits)


#: the English word of a tensor named by its size, "[4×250: 1000 values]"
_SIZED = re.compile(r"(\d+) values\]")


def sized_words(text: str, template: str) -> str:
    """``text`` with each tensor named by its size written by ``template`` (the UI
    language's "{0} values", where {0} is the count): step texts are built in
    English, and a UI translates this word as it does "local" (gui.support.texts)."""
    if "values]" not in text:
        return text
    return _SIZED.sub(lambda match: template.format(match.group(1)) + "]", text)


def _row(values, digits: int, max_cols: int) -> str:
    items = [format_number(v, digits) for v in values[:max_cols]]
    if len(values) > max_cols:
        items[-2:] = ["…", format_number(values[-1], digits)]
    return ", ".join(items)


def format_block(value, digits: int = 4, indent: str = "", max_rows: int = 12,
                 max_cols: int = 10) -> list[str]:
    """A matrix as one line per row (for command-line tables); a long tensor keeps its
    first and last rows and columns around a "…" (JSON has every number)."""
    if np.ndim(value) == 0:
        return [indent + format_number(value, digits)]
    array = np.asarray(value)
    if array.ndim == 1:
        return [indent + "[" + _row(array, digits, max_cols) + "]"]
    rows = array.reshape(-1, array.shape[-1])
    shown = list(range(len(rows)))
    if len(rows) > max_rows:
        shown = [*range(max_rows - 2), None, len(rows) - 1]
    lines = []
    for n, i in enumerate(shown):
        opening = "[" * array.ndim if n == 0 else " " * (array.ndim - 1) + "["
        if i is None:
            lines.append(indent + " " * array.ndim + "…")
            continue
        closing = "]" * array.ndim if n == len(shown) - 1 else "],"
        lines.append(indent + opening + _row(rows[i], digits, max_cols) + closing)
    return lines


def labelled(label: str, value, indent: str = "  ") -> list[str]:
    """``label = value`` on one line, or for a matrix ``label (4×2) =`` and its rows."""
    if np.ndim(value) <= 1 and np.size(value) <= 2 * MAX_SHOWN:
        return [f"{label} = {format_block(value, max_cols=2 * MAX_SHOWN)[0]}"]
    return [f"{label} ({shape_text(np.shape(value))}) =",
            *format_block(value, indent=indent + "  ")]


def full_precision(value) -> str:
    """Every digit (for hover and copy): the shortest text that reads back the same."""
    if value is None:
        return NO_NUMBER
    if np.ndim(value) == 0:
        return repr(float(value))
    array = np.asarray(value, dtype=np.float64)
    if array.ndim == 1:
        return "[" + ", ".join(repr(float(v)) for v in array) + "]"
    return "[" + ", ".join(full_precision(row) for row in array) + "]"


def matrix_lines(pairs) -> list[str]:
    """For a command-line table: every (label, value) too big for its one-line form
    (a matrix, or more than six entries) again as rows, under that line."""
    lines = []
    for label, value in pairs:
        if np.ndim(value) >= 2 or np.size(value) > MAX_SHOWN:
            lines += labelled("  " + label, value)
    return lines


#: the terms a long sum leaves out ({0}: how many), in English as the formulas are; a UI
#: translates it as it does "values" (gui.support.texts.MORE_TERMS is this text)
MORE_TERMS = "… ({0} more terms)"
_MORE = re.compile(r"… \((\d+) more terms?\)")


def more_terms(count: int) -> str:
    """The terms a long sum leaves out, "… (N more terms)"."""
    return MORE_TERMS.format(count)


def more_terms_words(text: str, template: str) -> str:
    """``text`` with each "… (N more terms)" written by ``template`` (the UI language's
    MORE_TERMS); the English template leaves it as it is ("… (1 more term)" too)."""
    if template == MORE_TERMS or "more term" not in text:
        return text
    return _MORE.sub(lambda match: template.format(match.group(1)), text)
