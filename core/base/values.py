"""Values: float64 coercion, un-broadcasting, shapes as text, and n-D JSON.

Every value in the engine is a float64 numpy array of any rank, or, for a scalar, a
``np.float64`` (arithmetic on it is several times cheaper than on a 0-d array, which
the 10,000-node scalar graphs feel). Shapes and broadcasting follow numpy, which are
torch's rules too.
"""

from __future__ import annotations

import math

import numpy as np

from core.base.errors import ExpressionError, short

#: entries one tensor may hold: a 784×128 weight is 100,352
MAX_ENTRIES = 1_000_000
#: tensors with more entries than this are shown as "[1000 values]" in step texts
MAX_SHOWN_ENTRIES = 6


def as_value(value) -> np.ndarray:
    """float64 scalar (as ``np.float64``) or n-D array; scalars stay cheap."""
    return value if type(value) is np.float64 else np.asarray(value, dtype=np.float64)[()]


def unbroadcast(grad, shape: tuple[int, ...]):
    """Sum a gradient of a broadcast result back to the input's ``shape``.

    As autodidact's ``unbroadcast``: drop the leading axes broadcasting added, then sum
    (keeping the axis) wherever the input had size 1. The one place it is done.
    """
    if type(grad) is np.float64 and not shape:
        return grad
    grad_shape = np.shape(grad)
    if grad_shape == tuple(shape):
        return grad
    while np.ndim(grad) > len(shape):
        grad = np.sum(grad, axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and np.shape(grad)[axis] != 1:
            grad = np.sum(grad, axis=axis, keepdims=True)
    return as_value(np.broadcast_to(grad, shape) + 0.0 if np.shape(grad) != tuple(shape)
                    else grad)


def is_broadcast(grad_shape: tuple[int, ...], shape: tuple[int, ...]) -> bool:
    """True when a gradient of ``grad_shape`` has to be summed to reach ``shape``."""
    return tuple(grad_shape) != tuple(shape)


def shape_text(shape) -> str:
    """``(4, 2)`` → ``4×2``; a scalar is ``scalar``."""
    shape = tuple(np.shape(shape)) if not isinstance(shape, tuple) else shape
    return "×".join(str(s) for s in shape) if shape else "scalar"


def shape_of(value) -> str:
    return shape_text(tuple(np.shape(value)))


def to_json_value(value):
    """A number or nested lists shaped as ``tensor.tolist()``; nan/inf become the
    strings "nan", "inf", "-inf"."""
    if value is None:
        return None
    if np.ndim(value) == 0:
        x = float(value)
        if math.isnan(x):
            return "nan"
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return x
    array = np.asarray(value, dtype=np.float64)
    if np.all(np.isfinite(array)):
        return array.tolist()
    return [to_json_value(row) for row in array]


#: characters a typed value may have: 1-D text is 25 per number at most
MAX_VALUE_TEXT = 25 * MAX_ENTRIES


def read_nested(text: str) -> np.ndarray:
    """``[[1, 2], [3, 4]]`` typed in a field: rows of equal length, read with ``float()``.

    A small bounded reader (no eval): brackets, commas and numbers only. Raises
    ValueError with a message for the learner.
    """
    text = text.replace("−", "-")
    position = 0
    count = 0

    def row(depth: int):
        nonlocal position, count
        if depth > 8:
            raise ValueError("lists are nested more than 8 deep")
        position += 1  # the "["
        items = []
        while True:
            while position < len(text) and text[position] in " \t\n":
                position += 1
            if position >= len(text):
                raise ValueError("a '[' is never closed")
            if text[position] == "[":
                items.append(row(depth + 1))
            else:
                end = position
                while end < len(text) and text[end] not in ",[]":
                    end += 1
                part = text[position:end].strip()
                try:
                    items.append(float(part))
                except ValueError:
                    raise ValueError(f"not a number: {part[:40]!r}") from None
                count += 1
                if count > MAX_ENTRIES:
                    raise ValueError(f"at most {MAX_ENTRIES:,} numbers")
                position = end
            while position < len(text) and text[position] in " \t\n":
                position += 1
            if position < len(text) and text[position] == ",":
                position += 1
                continue
            if position < len(text) and text[position] == "]":
                position += 1
                break
            raise ValueError("expected ',' or ']'")
        kinds = {isinstance(i, list) for i in items}
        if len(kinds) > 1:
            raise ValueError("a list holds numbers, or rows that are all lists")
        if isinstance(items[0], list) and len({len(np.ravel(i)) for i in items}) > 1 \
                or isinstance(items[0], list) and len({np.shape(i) for i in items}) > 1:
            raise ValueError("the rows have different lengths")
        return items

    text = text.strip()
    result = row(0)
    if text[position:].strip():
        raise ValueError("text after the closing ']'")
    return np.array(result, dtype=np.float64)


def parse_number(text: str, where: str) -> np.ndarray:
    """A value typed in a field or on the command line: a number or a comma-separated list.

    Read with ``float()``, never evaluated; ``where`` names the field in the message.
    """
    if not isinstance(text, str):
        raise ExpressionError("not a number", where=where)
    if len(text) > MAX_VALUE_TEXT:
        raise ExpressionError(f"at most {MAX_ENTRIES:,} numbers", where=where)
    if text.strip().startswith("[["):  # a matrix, as torch.tensor takes it
        try:
            numbers = read_nested(text)
        except ValueError as exc:
            raise ExpressionError(str(exc), where=where,
                                  hint="write rows of numbers, as in [[1, 2], [3, 4]]") from None
        if not np.all(np.isfinite(numbers)):
            raise ExpressionError("must be a finite number", where=where)
        return numbers
    parts = [p.strip() for p in text.strip().strip("[]").split(",")]
    if len(parts) > MAX_ENTRIES:
        raise ExpressionError(f"at most {MAX_ENTRIES:,} numbers", where=where)
    numbers = []
    for part in parts:
        try:
            numbers.append(float(part.replace("−", "-")))
        except ValueError:
            raise ExpressionError(f"not a number: {short(part)!r}", where=where,
                                  hint="write a number such as 1.5, or a list such as 1, 2, 3"
                                  ) from None
    if not all(math.isfinite(n) for n in numbers):
        raise ExpressionError("must be a finite number", where=where)
    if len(numbers) == 1 and "," not in text and "[" not in text:
        return np.float64(numbers[0])
    return np.array(numbers, dtype=np.float64)
