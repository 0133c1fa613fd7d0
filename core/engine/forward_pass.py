"""The forward pass over a graph's nodes: the work budget and each op's shapes checked
before it runs, then its value and a warning for nan or inf (core/engine/graph.py builds the
nodes); :func:`evaluate` runs it again with some leaves replaced.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from core.base import cancel
from core.base.errors import ExpressionError
from core.base.format import format_value
from core.base.values import MAX_ENTRIES, as_value, shape_text
from core.engine.graph_nodes import ComputationGraph, Node, Operand
from core.ops import OPS, ShapeError, forward

#: the work budget: every operation costs its result's entries; a program whose graph
#: would hold more is refused before anything is computed (issue 21)
MAX_GRAPH_ENTRIES = 50_000_000


def check_budget(nodes: list[Node]) -> None:
    """Refuse, before computing, a graph whose operations' results would hold more than
    MAX_GRAPH_ENTRIES entries (a 12000×12000 product passed a per-input limit)."""
    shapes: list[tuple] = []
    total = 0
    for node in nodes:
        if node.kind != "operation":
            shapes.append(np.shape(node.value))
            continue
        ins = [shapes[i] for i in node.inputs]
        entry = OPS[node.op]
        if entry.shape is None and all(s == ins[0] for s in ins):
            out = ins[0]
        else:
            try:
                out = entry.output_shape(tuple(ins), node.attrs)
            except Exception:  # noqa: BLE001 - the forward pass names the shape error
                return
        shapes.append(tuple(out))
        size = int(np.prod(out)) if out else 1
        if size > MAX_ENTRIES:
            return  # the forward pass names this one result's size (check_shapes)
        total += size
        if total > MAX_GRAPH_ENTRIES:
            raise ExpressionError(
                f"the graph would hold more than {MAX_GRAPH_ENTRIES:,} numbers: each "
                f"operation keeps its result, and by this one they add up to {total:,}",
                node.line, node.column, hint="use smaller tensors or fewer operations")


def forward_pass(nodes: list[Node]) -> None:
    """Every operation's value, in creation order, after the budget and shape checks."""
    check_budget(nodes)
    stop = cancel.token()
    with np.errstate(all="ignore"):
        for node in nodes:
            stop.check()  # a superseded build stops between ops (core.base.cancel)
            if node.kind == "operation":
                args = [nodes[i].value for i in node.inputs]
                entry = OPS[node.op]
                if entry.shape is not None or type(args[0]) is not np.float64 or \
                        len(args) > 1 and type(args[1]) is not np.float64:
                    check_shapes(node, nodes)
                if entry.no_grad:
                    check_targets(node, nodes)
                if node.params is None:
                    value = entry.forward(*args) if node.k is None else entry.forward(*args, node.k)
                else:
                    value = forward(entry, args, node.attrs)
                node.value = as_value(value)
            node.warning = value_warning(node.value)


def _formula(node: Node, nodes: list[Node]) -> str:
    operands = [Operand(nodes[i].label, nodes[i].atomic) for i in node.inputs]
    return OPS[node.op].text_for(node.attrs).format(*operands)


def check_shapes(node: Node, nodes: list[Node]) -> None:
    """Shapes the op cannot take: an error naming both shapes and the place."""
    inputs = [nodes[i] for i in node.inputs]
    shapes = tuple(np.shape(n.value) for n in inputs)
    entry = OPS[node.op]
    if len(inputs) == 2 and entry.shape is None and len(shapes[0]) == 1 \
            and len(shapes[1]) == 1 and shapes[0] != shapes[1] and 1 not in shapes[0] + shapes[1]:
        a, b = inputs
        raise ExpressionError(
            f"{a.label} has {np.size(a.value)} numbers but {b.label} has {np.size(b.value)}",
            node.line, node.column, hint="vectors combined element by element need the "
            "same length")
    try:
        out = entry.output_shape(shapes, node.attrs)
    except ShapeError as exc:
        raise ExpressionError(f"{_formula(node, nodes)}: {exc}", node.line, node.column
                              ) from None
    size = int(np.prod(out)) if out else 1
    if size > MAX_ENTRIES:
        raise ExpressionError(f"{_formula(node, nodes)}: the result would be {shape_text(out)}, "
                              f"{size:,} entries (at most {MAX_ENTRIES:,})", node.line,
                              node.column, hint="use smaller tensors")


def check_targets(node: Node, nodes: list[Node]) -> None:
    """A loss's target takes no gradient; cross-entropy's holds class indices."""
    entry = OPS[node.op]
    for position in entry.no_grad:
        target = nodes[node.inputs[position]]
        if _depends_on_parameter(target, nodes):
            raise ExpressionError(f"{_formula(node, nodes)}: the target {target.label} must be "
                                  "data, not computed from a parameter", node.line, node.column,
                                  hint="a target takes no gradient")
        if node.op in ("cross_entropy", "nll_loss"):
            labels = np.asarray(target.value)
            classes = np.shape(nodes[node.inputs[0]].value)[-1]
            whole = np.all(np.isfinite(labels)) and np.all(labels == np.round(labels))
            if not whole or np.any(labels < 0) or np.any(labels >= classes):
                bad = labels[~((labels == np.round(labels)) & (labels >= 0)
                               & (labels < classes))] if labels.ndim else labels
                raise ExpressionError(
                    f"{_formula(node, nodes)}: the target {target.label} holds class indices, "
                    f"whole numbers from 0 to {classes - 1}, not {format_value(np.ravel(bad)[0])}",
                    node.line, node.column, hint="as in torch.tensor([0, 2, 1])")
            target.integer = True


def _depends_on_parameter(node: Node, nodes: list[Node]) -> bool:
    stack, seen = [node.id], set()
    while stack:
        current = nodes[stack.pop()]
        if current.kind == "parameter":
            return True
        if current.id not in seen:
            seen.add(current.id)
            stack.extend(current.inputs)
    return False


def value_warning(value: np.ndarray) -> str | None:
    if type(value) is np.float64:
        if math.isfinite(value):
            return None
    elif math.isfinite(np.add.reduce(value, axis=None)) or np.all(np.isfinite(value)):
        return None  # a finite sum has finite terms: one pass instead of two
    if np.any(np.isnan(value)):
        return "not a number (nan): an input is outside the function's domain"
    return "infinite: the result overflowed or divided by zero"
    if np.any(np.isnan(value)):
        return "not a number (nan): an input is outside the function's domain"
    return "infinite: the result overflowed or divided by zero"


def evaluate(graph: ComputationGraph, leaf_values: Mapping[int, np.ndarray]) -> list[np.ndarray]:
    """Forward pass with some leaves replaced: for finite differences."""
    values: list[np.ndarray] = []
    stop = cancel.token()
    with np.errstate(all="ignore"):
        for node in graph.nodes:
            stop.check()
            if node.kind == "operation":
                args = [values[i] for i in node.inputs]
                values.append(forward(OPS[node.op], args, node.attrs))
            else:
                values.append(leaf_values.get(node.id, node.value))
    return values
