"""A convolution's gradient entry spelled out, and the cells that meet in it.

Clicking one entry of a kernel's gradient gives its sum with the actual numbers,

    ∂loss/∂W[0, 0, 1, 2] = Σ_b Σ_y Σ_x G[b, 0, y, x] · x[b, 0, y, x + 1]
                         = 1 · 2 + 0 · 3 + … (21 more terms) = 5

and :func:`conv_cells` names the input cells and the output cells that meet in it, so the
window can light them up on the feature maps. The input's gradient is the same sum read
the other way: a "full" correlation of G with the flipped kernel.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.base.format import format_number, more_terms
from core.ops.conv import _pool_geometry, conv_geometry, out_size

FIRST_TERMS = 4

Cell = tuple[int, int, int, int]


@dataclass(frozen=True)
class ConvZoom:
    """One gradient entry of a conv2d input: its sum, and where its terms come from."""

    text: str
    #: (G's cell, the other factor's cell) per nonzero-position term, in sum order
    pairs: tuple[tuple[Cell, Cell], ...]
    #: which input of the conv the entry belongs to: 0 image, 1 kernel, 2 bias
    position: int


def _n(x: float) -> str:
    text = format_number(x)
    return f"({text})" if text.startswith("−") else text


def _at(var: str, stride: int, offset: int) -> str:
    """``y·2 + 1``, ``x − 1``, ``y``: an input coordinate as a kernel offset moves it."""
    text = var if stride == 1 else f"{var}·{stride}"
    if offset:
        text += f" + {offset}" if offset > 0 else f" − {-offset}"
    return text


def _sum_text(values: list[tuple[float, float]]) -> str:
    shown = [f"{_n(a)} · {_n(b)}" for a, b in values[:FIRST_TERMS]]
    rest = len(values) - len(shown)
    if rest > 0:
        shown.append(more_terms(rest) if rest != 1 else "… (1 more term)")
    return " + ".join(shown) if shown else "0 (every window reads padding here)"


def weight_pairs(x: np.ndarray, g: np.ndarray, index, stride, pad) -> list[tuple[Cell, Cell]]:
    """(G cell, X cell) of every term of dW[o, c, i, j] whose X cell is inside the image."""
    o, c, i, j = index
    n, _, h, w = x.shape
    ho, wo = g.shape[2], g.shape[3]
    pairs = []
    for b in range(n):
        for y in range(ho):
            r = y * stride[0] + i - pad[0]
            if not 0 <= r < h:
                continue
            for xx in range(wo):
                col = xx * stride[1] + j - pad[1]
                if 0 <= col < w:
                    pairs.append(((b, o, y, xx), (b, c, r, col)))
    return pairs


def input_pairs(w: np.ndarray, g: np.ndarray, index, stride, pad) -> list[tuple[Cell, Cell]]:
    """(G cell, W cell) of every term of dX[b, c, r, col]: the outputs whose window
    covers the cell, each with the kernel entry that lies on it."""
    b, c, r, col = index
    o_count, _, kh, kw = w.shape
    ho, wo = g.shape[2], g.shape[3]
    pairs = []
    for o in range(o_count):
        for i in range(kh):
            y, rem_y = divmod(r + pad[0] - i, stride[0])
            if rem_y or not 0 <= y < ho:
                continue
            for j in range(kw):
                xx, rem_x = divmod(col + pad[1] - j, stride[1])
                if not rem_x and 0 <= xx < wo:
                    pairs.append(((b, o, y, xx), (o, c, i, j)))
    return pairs


def conv_zoom(target: str, g: np.ndarray, inputs: list, names: list[str], attrs, position: int,
              index, result: float, g_name: str) -> ConvZoom:
    """The sum behind one entry of a conv2d input's gradient (``target`` names it)."""
    stride, pad = conv_geometry(attrs)
    x, w = (np.asarray(v, dtype=np.float64) for v in inputs[:2])
    xn, wn = names[0], names[1]
    index = tuple(int(k) for k in index)
    if position == 1:
        o, c, i, j = index
        pairs = weight_pairs(x, g, index, stride, pad)
        rule = (f"Σ_b Σ_y Σ_x G[b, {o}, y, x] · {xn}[b, {c}, {_at('y', stride[0], i - pad[0])}, "
                f"{_at('x', stride[1], j - pad[1])}]")
        values = [(g[gc], x[xc]) for gc, xc in pairs]
    elif position == 0:
        b, c, r, col = index
        pairs = input_pairs(w, g, index, stride, pad)
        ys = f"({r + pad[0]} − i)" + (f"/{stride[0]}" if stride[0] > 1 else "")
        xs = f"({col + pad[1]} − j)" + (f"/{stride[1]}" if stride[1] > 1 else "")
        rule = (f"Σ_o Σ_i Σ_j G[{b}, o, {ys}, {xs}] · {wn}[o, {c}, i, j]  "
                "(G correlated in full with the flipped kernel)")
        values = [(g[gc], w[wc]) for gc, wc in pairs]
    else:
        (o,) = index
        pairs = [((b, o, y, xx), (b, o, y, xx)) for b in range(g.shape[0])
                 for y in range(g.shape[2]) for xx in range(g.shape[3])]
        rule = f"Σ_b Σ_y Σ_x G[b, {o}, y, x]"
        values = [(g[gc], 1.0) for gc, _ in pairs]
    if position == 2:
        terms = [_n(a) for a, _ in values[:FIRST_TERMS]]
        rest = len(values) - len(terms)
        body = " + ".join(terms + ([more_terms(rest)] if rest > 0 else []))
    else:
        body = _sum_text(values)
    text = f"{target} = {rule} = {body} = {format_number(result)}  (G = {g_name})"
    return ConvZoom(text, tuple(pairs), position)


def max_pool_entry(target: str, g: np.ndarray, x: np.ndarray, attrs, index, result: float,
                   g_name: str) -> str:
    """One entry of a max-pool input's gradient: the G of every window whose first
    largest cell it is, or 0 and why."""
    from core.ops.pooling import argmax_cells  # noqa: PLC0415 - pooling imports conv

    x = np.asarray(x, dtype=np.float64)
    _, where = argmax_cells(x, attrs)
    index = tuple(int(k) for k in index)
    lead, (r, c) = index[:-2], index[-2:]
    flat = r * x.shape[-1] + c
    windows = [w for w in np.ndindex(*where.shape[-2:]) if where[lead + w] == flat]
    if not windows:
        kernel, stride, pad = _pool_geometry(attrs)
        rows = [y for y in range(out_size(x.shape[-2], kernel[0], stride[0], pad[0]))
                if 0 <= r - (y * stride[0] - pad[0]) < kernel[0]]
        cols = [k for k in range(out_size(x.shape[-1], kernel[1], stride[1], pad[1]))
                if 0 <= c - (k * stride[1] - pad[1]) < kernel[1]]
        why = "it is the first largest of no window it is in" if rows and cols else \
            "no window covers it (the windows that fit stop before it)"
        return f"{target} = 0: {why}, so it does not move the output  (G = {g_name})"
    terms = " + ".join(f"G[{', '.join(str(i) for i in lead + w)}]" for w in windows)
    values = " + ".join(_n(g[lead + w]) for w in windows)
    return f"{target} = {terms} = {values} = {format_number(result)}  (G = {g_name})"
