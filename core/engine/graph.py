"""Statements → the computational graph, with the forward values of every node (the
graph's classes: core/engine/graph_nodes.py; the forward pass: core/engine/forward_pass.py).

Nodes are numbered in creation order (statement by statement, operands left to right
before the op that uses them), so every edge goes from a smaller number to a larger
one: creation order *is* the topological order with ties broken as the lesson reads.
Rebinding is SSA: ``c = c + 1`` makes a new node; the newest binding is shown as ``c``,
earlier ones as ``c@1``, ``c@2``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from core.base.did_you_mean import nearest, suggest
from core.base.format import format_value
from core.base.values import as_value, shape_of
from core.engine.forward_pass import (
    MAX_GRAPH_ENTRIES,
    check_budget,
    check_shapes,
    check_targets,
    evaluate,
    forward_pass,
    value_warning,
)
from core.engine.graph_nodes import ROLES, Binding, ComputationGraph, Node, Operand
from core.engine.node_names import MAX_LABEL, code_name, linear_call
from core.language.parser import (
    Assign,
    Backward,
    Declare,
    ExpressionError,
    Literal,
    ParsedProgram,
    Ref,
    parse,
    short,
)
from core.ops import OPS

__all__ = ["MAX_GRAPH_ENTRIES", "ROLES", "Binding", "ComputationGraph", "Node", "Operand",
           "as_value", "build_graph", "check_budget", "check_shapes", "check_targets",
           "evaluate", "value_warning"]

MAX_NODES = 50_000


def build_graph(program: ParsedProgram | str,
                bindings: Mapping[str, Binding] | None = None) -> ComputationGraph:
    """Build the graph and run the forward pass; values given in ``bindings`` win over
    declarations in the text."""
    if isinstance(program, str):
        program = parse(program)
    builder = _Builder(dict(bindings or {}))
    has_backward = any(isinstance(s, Backward) for s in program.statements)
    for statement in program.statements:
        builder.statement(statement, has_backward)
    return builder.finish(program)


class _Builder:
    """The nodes of one program, statement by statement (SSA: a rebinding is a new node)."""

    def __init__(self, bindings: dict[str, Binding]):
        self.bindings = bindings
        self.nodes: list[Node] = []
        self.env: dict[str, int] = {}
        self.binding_order: list[tuple[str, int]] = []  # (name, node) for SSA display names
        self.used: set[str] = set()
        self.output: int | None = None
        self.unknown: dict[str, tuple[int, int]] = {}  # name → where it is first used
        self.owners: dict[int, str] = {}  # node → the target of the line that computed it

    def add(self, node: Node) -> int:
        if len(self.nodes) >= MAX_NODES:
            raise ExpressionError(f"the graph has more than {MAX_NODES:,} nodes",
                                  node.line, node.column, hint="use a smaller program")
        node.id = len(self.nodes)
        self.nodes.append(node)
        return node.id

    def leaf(self, name: str, role: str, value: np.ndarray, line: int, column: int) -> int:
        if name in self.bindings:
            self.used.add(name)
            role, value = self.bindings[name].role, self.bindings[name].value
        return self.add(Node(0, role, line, column, value=as_value(value)))

    def build(self, expr) -> int:
        if isinstance(expr, Literal):
            return self.add(Node(0, "constant", expr.line, expr.column,
                                 value=as_value(expr.value)))
        if isinstance(expr, Ref):
            return self.ref(expr)
        inputs = tuple(self.build(arg) for arg in expr.args)
        return self.add(Node(0, "operation", expr.line, expr.column, op=expr.op, k=expr.k,
                             inputs=inputs, params=expr.attrs))

    def ref(self, expr: Ref) -> int:
        if expr.name in self.env:
            return self.env[expr.name]
        if expr.name in self.bindings:
            node = self.leaf(expr.name, "data", np.float64(0.0), expr.line, expr.column)
            self.env[expr.name] = node
            self.binding_order.append((expr.name, node))
            return node
        # go on with a stand-in, so that every unknown name is reported at once
        self.unknown.setdefault(expr.name, (expr.line, expr.column))
        return self.add(Node(0, "data", expr.line, expr.column))

    def statement(self, statement, has_backward: bool) -> None:
        if isinstance(statement, Declare):
            node = self.leaf(statement.name, statement.role, statement.value,
                             statement.line, statement.column)
        elif isinstance(statement, Assign):
            first = len(self.nodes)
            node = self.build(statement.expr)  # for ``a = b``, a second name for b's node
            self.owners.update(dict.fromkeys(range(first, len(self.nodes)),
                                             short(statement.name, 20)))
        elif isinstance(statement, Backward):
            if statement.name not in self.env:
                raise ExpressionError(f"unknown name '{short(statement.name)}'",
                                      statement.line, statement.column,
                                      hint="call .backward() on a value computed above")
            self.output = self.env[statement.name]
            return
        else:  # pragma: no cover - the parser emits only these
            raise TypeError(statement)
        self.env[statement.name] = node
        self.binding_order.append((statement.name, node))
        if not has_backward and (isinstance(statement, Assign) or self.output is None):
            self.output = node  # the last computed name; a trailing declaration is an input

    def finish(self, program: ParsedProgram) -> ComputationGraph:
        """Names, labels and the forward pass; errors for what the program cannot give."""
        nodes = self.nodes
        if self.unknown:
            raise unknown_names(self.unknown, [*self.env, *self.bindings])
        if not any(n.kind == "operation" for n in nodes):
            raise ExpressionError("there is nothing to compute: no operation in the program",
                                  hint="combine the values, as in 'loss = (w * x - y) ** 2'")
        names = _display_names(nodes, self.binding_order)
        _label(nodes, self.owners)
        forward_pass(nodes)
        assert self.output is not None
        out = nodes[self.output]
        if np.ndim(out.value) != 0:
            what = f"a vector of {np.size(out.value)} numbers" if np.ndim(out.value) == 1 \
                else f"a {shape_of(out.value)} tensor"
            raise ExpressionError(f"the output {out.name or out.label} is {what}",
                                  out.line, out.column, hint="wrap it in sum() or mean()")
        unused = [name for name in self.bindings if name not in self.used]
        return ComputationGraph(program, nodes, self.output, names, unused)


def unknown_names(unknown: dict[str, tuple[int, int]], known=()) -> ExpressionError:
    """One error for every unknown name, at the first; ``.names`` lists them all, and
    ``.suggestions`` the known names they look like a typo of (``y_predcted``)."""
    names = [short(n) for n in unknown]
    line, column = next(iter(unknown.values()))
    message = f"unknown name '{names[0]}'"
    if len(names) > 1:
        shown = ", ".join(f"'{n}'" for n in names[1:21]) + (", …" if len(names) > 21 else "")
        message += f", and {len(names) - 1} more: {shown}"
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    hint = f"give {listed} a value" if len(names) == 1 else \
        f"give {listed} values" if len(names) <= 5 else "give each of them a value"
    error = ExpressionError(message, line, column, hint=hint)
    error.names = tuple(unknown)  # for the window's one-click fix: add them as variables
    first = next(iter(unknown))
    suggest(error, first, known)
    for name in unknown:  # "did you mean" for each, the first one's in the hint
        meant = nearest(name, known)
        if meant is not None:
            error.suggestions.setdefault(name, meant)
    return error


def _display_names(nodes: list[Node], binding_order: list[tuple[str, int]]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for name, _ in binding_order:
        totals[name] = totals.get(name, 0) + 1
    seen: dict[str, int] = {}
    names: dict[str, int] = {}
    for name, node_id in binding_order:
        seen[name] = seen.get(name, 0) + 1
        shown = name if seen[name] == totals[name] else f"{name}@{seen[name]}"
        names[shown] = node_id
        node = nodes[node_id]
        if node.name is None:
            node.name = shown
        else:
            node.aliases.append(shown)
    return names


def _label(nodes: list[Node], owners: Mapping[int, str] | None = None) -> None:
    """How a node is written inside formulas: its name, its expression, or when that is
    too long a name from the code (``owners``: node → the target of its line)."""
    owners = owners or {}
    for node in nodes:
        if node.name is not None:
            node.label, node.atomic = node.name, True
        elif node.kind == "constant":
            node.label = format_value(node.value)
            node.atomic = not node.label.startswith("−")
        else:
            entry = OPS[node.op]
            operands = [Operand(nodes[i].label, nodes[i].atomic) for i in node.inputs]
            text = entry.text_for(node.attrs).format(*operands)
            named = len(text) > MAX_LABEL or linear_call(node, nodes) is not None
            if named:  # model.0(X), "+ in out"
                text = code_name(node, nodes, entry.symbol_for(node.attrs), owners.get(node.id))
            node.label = text
            # function forms (exp(…), σ(…), |…|) read as one unit; infix forms need
            # brackets; a call reads as one, "+ in out" does not
            node.atomic = "#" in text or (named and " in " not in text) \
                or entry.text_for(node.attrs)[0] not in "{−"
