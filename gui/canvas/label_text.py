"""What each label says: values, gradients and their sums, local gradients, tooltips.

Plain strings from the trace, translated under the context ``GraphCanvas``
(``QT_TRANSLATE_NOOP`` lets lupdate find the words; :func:`tr` looks them up).
"""

from __future__ import annotations

import re

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from core.base.format import format_value, full_precision
from core.base.values import shape_text

__all__ = ["format_value"]
from core.engine.trace import Trace
from gui.support import texts

#: a gradient label sums at most this many contributions (the rest become "…"): a
#: parameter used 10,000 times would otherwise get a label too long to draw or read
MAX_TERMS = 6
#: edge labels longer than this many characters go on two lines
WRAP_EDGE_LABEL = 24
#: a formula longer than this is shortened with "…" on the canvas (full text on hover)
MAX_FORMULA = 28
#: vectors longer than this are drawn as a column of cells, up to VECTOR_CELLS and "…"
VECTOR_INLINE, VECTOR_CELLS = 4, 6

#: the legend: marker, colour role, long label, short label (for a narrow window)
LEGEND = (
    ("box", "data", QT_TRANSLATE_NOOP("GraphCanvas", "data"),
     QT_TRANSLATE_NOOP("GraphCanvas", "data")),
    ("box", "parameter", QT_TRANSLATE_NOOP("GraphCanvas", "parameter"),
     QT_TRANSLATE_NOOP("GraphCanvas", "parameter")),
    ("box", "constant", QT_TRANSLATE_NOOP("GraphCanvas", "constant"),
     QT_TRANSLATE_NOOP("GraphCanvas", "constant")),
    ("circle", "operation", QT_TRANSLATE_NOOP("GraphCanvas", "operation"),
     QT_TRANSLATE_NOOP("GraphCanvas", "op")),
    ("square", "value", QT_TRANSLATE_NOOP("GraphCanvas", "value (above)"),
     QT_TRANSLATE_NOOP("GraphCanvas", "value")),
    ("square", "grad", QT_TRANSLATE_NOOP("GraphCanvas", "gradient ∂{0}/∂node (below)"),
     QT_TRANSLATE_NOOP("GraphCanvas", "gradient")),
    ("square", "local", QT_TRANSLATE_NOOP("GraphCanvas", "local gradient (on edge)"),
     QT_TRANSLATE_NOOP("GraphCanvas", "local")),
    ("line", "highlight", QT_TRANSLATE_NOOP("GraphCanvas", "current step"),
     QT_TRANSLATE_NOOP("GraphCanvas", "current")),
    ("dashed", "not_needed", QT_TRANSLATE_NOOP("GraphCanvas", "not needed"),
     QT_TRANSLATE_NOOP("GraphCanvas", "not needed")),
)

_KIND = {
    "data": QT_TRANSLATE_NOOP("GraphCanvas", "data"),
    "parameter": QT_TRANSLATE_NOOP("GraphCanvas", "parameter"),
    "constant": QT_TRANSLATE_NOOP("GraphCanvas", "constant"),
    "operation": QT_TRANSLATE_NOOP("GraphCanvas", "operation"),
}
_NOT_YET = QT_TRANSLATE_NOOP("GraphCanvas", "value: not computed yet")
_VALUE_IS = QT_TRANSLATE_NOOP("GraphCanvas", "value = {0}")
OUT_OF_DATE = QT_TRANSLATE_NOOP("GraphCanvas", "out of date — fix the program or undo")
OVERVIEW_HINT = QT_TRANSLATE_NOOP(
    "GraphCanvas", "overview: labels only around the current step — F zooms in to read")
FIT_HINT = QT_TRANSLATE_NOOP(
    "GraphCanvas", "zoomed in to read — View → Whole graph (Shift+F) shows all of it")


def tr(text: str) -> str:
    return QCoreApplication.translate("GraphCanvas", text)


def sized(text: str) -> str:
    """``text`` with its tensors named by size ("[4×2: 8 values]") in the UI language,
    as the explanation and the tables write them (gui.support.texts)."""
    return texts.engine_words(text)


def legend_entries(trace: Trace | None, translate: bool = True) -> list[tuple[str, str, str, str]]:
    out = trace.graph.output_node.label if trace is not None else "out"
    out = out if len(out) <= 12 else "out"
    t = tr if translate else str
    return [(marker, role, t(long).format(out), t(short)) for marker, role, long, short in LEGEND]


def symbol_text(symbol: str) -> str:
    """An op's symbol as drawn: a bare "²" in a circle reads as a number ("2 y")."""
    if symbol in ("²", "³"):
        return f"(·){symbol}"
    return symbol


def symbol_size(symbol: str) -> float:
    return (12.0 if symbol.startswith("(·)") else 14.0 if len(symbol) == 1
            else 10.5 if len(symbol) <= 3 else 8.5)


#: a parenthesised name transposed twice: (Wᵀ)ᵀ
_TWICE = re.compile(r"\(([\w.]+)ᵀ\)ᵀ")


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def value_text(value) -> str:
    """A value label: a number, a short vector inline, a long one as a column of cells."""
    flat = np.ravel(value)
    if np.ndim(value) == 1 and len(flat) > VECTOR_INLINE:
        cells = [format_value(v) for v in flat[:VECTOR_CELLS]]
        if len(flat) > VECTOR_CELLS:
            cells[-1] = "…"
        return "\n".join(cells)
    return sized(format_value(value))


def local_text(trace: Trace, edge, step) -> str:
    """``formula = number`` on an edge; long ones on two lines, very long ones shortened."""
    value = trace.local[edge]
    if value is None:  # a VJP-only op (matmul …): its rule with shapes, no single number
        if step is None:
            return ""
        rule, shapes = _untransposed(step.formula), step.substituted
        if shapes.startswith("(") and rule and rule != shapes:  # "G ↦ Xᵀ · G\n(4×2 → 3×2)"
            return f"{_short(rule, MAX_FORMULA)}\n{_short(shapes, MAX_FORMULA)}"
        return _short(shapes or rule, MAX_FORMULA)
    formula = step.formula if step is not None else ""
    if np.ndim(value) >= 2 or (np.ndim(value) == 1 and np.size(value) > VECTOR_INLINE):
        return _tensor_local(formula, np.asarray(value))
    number = sized(format_value(value))
    if formula in ("", number):
        return number
    label = f"{formula} = {number}"
    if len(label) > WRAP_EDGE_LABEL:  # two short lines fit between two layers
        label = f"{_short(formula, MAX_FORMULA)}\n= {number}"
    return label


def _untransposed(rule: str) -> str:
    """``G · (model.2.weightᵀ)ᵀ`` as ``G · model.2.weight``: a transpose undone reads
    shorter to a beginner, and the edge's label then fits between two columns of a
    projector's view (issue 24, item 8)."""
    return _TWICE.sub(r"\1", rule) if "ᵀ)ᵀ" in rule else rule


def _tensor_local(formula: str, value: np.ndarray) -> str:
    """An element-wise local gradient of a tensor: its formula and the edge's shape,
    ``1 (4×2)``; the numbers are in the tooltip and the explanation."""
    shape = shape_text(value.shape)
    flat = value.ravel()
    if not formula or (flat.size and np.all(flat == flat[0]) and formula == format_value(flat[0])):
        formula = format_value(flat[0]) if flat.size and np.all(flat == flat[0]) else formula
    label = f"{formula} ({shape})" if formula else shape
    if len(label) > WRAP_EDGE_LABEL:
        label = f"{_short(formula, MAX_FORMULA)}\n({shape})"
    return label


def local_tooltip(trace: Trace, edge, step) -> str:
    formula = step.formula if step is not None else ""
    if trace.local[edge] is None:
        return step.substituted if step is not None else ""
    number = full_precision(trace.local[edge])
    return f"{formula} = {number}" if formula else number


def gradient_text(trace: Trace, node_id: int, step) -> str:
    """The gradient, or its ledger "3 + 3 = 6" when two or more uses add up."""
    total = sized(format_value(trace.grads[node_id]))
    if step is None or len(step.contributions) < 2:
        return total
    contributions = step.contributions
    if len(contributions) > MAX_TERMS:  # a node used thousands of times: first, last
        contributions = [*contributions[:MAX_TERMS - 2], None, contributions[-1]]
    terms = [format_value(c.value) if c is not None else "…" for c in contributions]
    terms = [f"({t})" if t.startswith("−") else t for t in terms]
    return sized(f"{' + '.join(terms)} = {total}")


def forward_formula(trace: Trace, node_id: int) -> str:
    for step in trace.steps:
        if getattr(step, "node", None) == node_id and step.phase == "forward":
            return step.formula
    return trace.graph.nodes[node_id].label


def node_tooltip(trace: Trace, node_id: int, value_shown: bool, grad_shown: bool) -> str:
    """Name and kind, formula, full-precision value and gradient, in the UI language."""
    node = trace.graph.nodes[node_id]
    name = node.name or node.label
    lines = [f"{name} ({tr(_KIND.get(node.kind, node.kind))})"]
    if node.kind == "operation":
        lines.append(f"{name} = {forward_formula(trace, node_id)}")
    if value_shown:
        lines.append(tr(_VALUE_IS).format(tensor_tip(node.value)))
    else:
        lines.append(tr(_NOT_YET))
    if grad_shown:
        out = trace.graph.output_node
        lines.append(f"∂{out.label}/∂{name} = {tensor_tip(trace.grads[node_id])}")
    return "\n".join(lines)


#: a tooltip lists a matrix's rows up to this many entries (a 784×128 one would fill
#: the screen many times over); beyond it the first rows and a "…"
TIP_ENTRIES = 2000


def tensor_tip(value) -> str:
    """Every digit of a scalar or vector; a matrix as its shape and then row by row."""
    if np.ndim(value) < 2:
        return full_precision(value)
    array = np.asarray(value, dtype=np.float64)
    matrix = array.reshape(array.shape[0], -1)
    per_row = max(1, TIP_ENTRIES // max(matrix.shape[1], 1))
    rows = [full_precision(row) for row in matrix[:per_row]]
    if len(matrix) > per_row:
        rows.append("…")
    return shape_text(array.shape) + "\n" + "\n".join(rows)
