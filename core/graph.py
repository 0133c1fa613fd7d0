"""Statements → the computational graph, with the forward values of every node.

Nodes are numbered in creation order (statement by statement, operands left to right
before the op that uses them), so every edge goes from a smaller number to a larger
one: creation order *is* the topological order with ties broken as the lesson reads.
Rebinding is SSA: ``c = c + 1`` makes a new node; the newest binding is shown as ``c``,
earlier ones as ``c@1``, ``c@2``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from core import cancel
from core.did_you_mean import nearest, suggest
from core.format import format_value
from core.language import (
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
from core.node_names import MAX_LABEL, code_name, linear_call
from core.ops import OPS, ShapeError, forward
from core.program import ROLES, Binding
from core.values import MAX_ENTRIES, as_value, shape_of, shape_text

__all__ = ["ROLES", "Binding", "ComputationGraph", "Node", "Operand", "as_value", "build_graph",
           "evaluate", "value_warning"]

if TYPE_CHECKING:
    import networkx

MAX_NODES = 50_000
#: the work budget: every operation costs its result's entries; a program whose graph
#: would hold more is refused before anything is computed (issue 21)
MAX_GRAPH_ENTRIES = 50_000_000
@dataclass
class Node:
    id: int
    kind: str
    line: int
    column: int
    op: str | None = None
    k: float | None = None
    inputs: tuple[int, ...] = ()
    name: str | None = None
    label: str = ""
    atomic: bool = True
    value: np.ndarray = field(default_factory=lambda: np.float64(0.0))
    warning: str | None = None
    aliases: list[str] = field(default_factory=list)
    #: the op's other attributes (dim, keepdim, shape, form …), None when it has none
    params: dict | None = None
    #: holds class labels (torch.long in the generated code)
    integer: bool = False

    @property
    def is_leaf(self) -> bool:
        return self.kind != "operation"

    @property
    def symbol(self) -> str:
        return OPS[self.op].symbol_for({"k": self.k}) if self.op else ""

    @property
    def attrs(self) -> dict:
        if self.params is None:
            return {} if self.k is None else {"k": self.k}
        return self.params if self.k is None else {**self.params, "k": self.k}


class Operand:
    """A node's label in a formula: ``{0}`` wraps a compound label, ``{0:bare}`` never."""

    __slots__ = ("text", "atomic")

    def __init__(self, text: str, atomic: bool):
        self.text, self.atomic = text, atomic

    def __format__(self, spec: str) -> str:
        return self.text if spec == "bare" or self.atomic else f"({self.text})"


class ComputationGraph:
    """The nodes, their values, the output, and which nodes the gradient flows through."""

    def __init__(self, program: ParsedProgram, nodes: list[Node], output: int,
                 names: dict[str, int], unused: list[str]):
        self.program = program
        self.nodes = nodes
        self.output = output
        self.names = names
        #: bindings given from outside that the program never uses
        self.unused_bindings = unused
        #: node id -> the script's function call that computed it (a training script only)
        self.groups: dict[int, str] = {}
        self.consumers: list[list[tuple[int, int]]] = [[] for _ in nodes]
        for node in nodes:
            for index, source in enumerate(node.inputs):
                self.consumers[source].append((node.id, index))
        self.needs_grad = self._needs_grad()
        self.reaches_output = self._reaches_output()
        #: on a path from a parameter to the output: the nodes the backward pass visits
        self.relevant = [a and b for a, b in zip(self.needs_grad, self.reaches_output, strict=True)]

    def _needs_grad(self) -> list[bool]:
        flags = [False] * len(self.nodes)
        for node in self.nodes:
            flags[node.id] = node.kind == "parameter" or any(flags[i] for i in node.inputs)
        return flags

    def _reaches_output(self) -> list[bool]:
        flags = [False] * len(self.nodes)
        flags[self.output] = True
        for node in reversed(self.nodes[: self.output + 1]):
            if flags[node.id]:
                for i in node.inputs:
                    flags[i] = True
        return flags

    @property
    def output_node(self) -> Node:
        return self.nodes[self.output]

    @property
    def parameters(self) -> list[Node]:
        return [n for n in self.nodes if n.kind == "parameter"]

    @property
    def operations(self) -> list[Node]:
        return [n for n in self.nodes if n.kind == "operation"]

    def edge_needed(self, source: int, target: int) -> bool:
        return self.relevant[source] and self.relevant[target]

    def operands(self, node: Node, values: Mapping[int, np.ndarray] | None = None) -> list[Operand]:
        """The operands of ``node`` as labels, or as formatted values when ``values`` is given."""
        if values is None:
            return [Operand(self.nodes[i].label, self.nodes[i].atomic) for i in node.inputs]
        result = []
        for i in node.inputs:
            text = format_value(values[i])
            result.append(Operand(text, not text.startswith("−")))
        return result

    @cached_property
    def nx(self) -> networkx.MultiDiGraph:
        """The graph as networkx sees it: one edge per operand, keyed by its position.

        Built (and networkx imported, ~140 ms) only when asked for: the trace and the
        layout work on the node lists, so the window paints sooner without it.
        """
        import networkx  # noqa: PLC0415

        graph = networkx.MultiDiGraph()
        for node in self.nodes:
            graph.add_node(node.id, kind=node.kind, name=node.name, label=node.label,
                           symbol=node.symbol)
        for node in self.nodes:
            for index, source in enumerate(node.inputs):
                graph.add_edge(source, node.id, key=index,
                               needed=self.edge_needed(source, node.id))
        return graph


def build_graph(program: ParsedProgram | str, bindings: Mapping[str, Binding] | None = None,
                known: Mapping[int, np.ndarray] | None = None) -> ComputationGraph:
    """Build the graph and run the forward pass; values given in ``bindings`` win over
    declarations in the text. ``known``: values already computed, by ``id`` of the
    expression (a script's interpreter computed them): the forward pass keeps them."""
    if isinstance(program, str):
        program = parse(program)
    bindings = dict(bindings or {})
    nodes: list[Node] = []
    env: dict[str, int] = {}
    binding_order: list[tuple[str, int]] = []  # (name, node) for SSA display names
    used: set[str] = set()
    output: int | None = None
    has_backward = any(isinstance(s, Backward) for s in program.statements)
    unknown: dict[str, tuple[int, int]] = {}  # name → where it is first used
    owners: dict[int, str] = {}  # node → the target of the line that computed it
    preset: set[int] = set()

    def add(node: Node) -> int:
        if len(nodes) >= MAX_NODES:
            raise ExpressionError(f"the graph has more than {MAX_NODES:,} nodes",
                                  node.line, node.column, hint="use a smaller program")
        node.id = len(nodes)
        nodes.append(node)
        return node.id

    def leaf(name: str, role: str, value: np.ndarray, line: int, column: int) -> int:
        if name in bindings:
            used.add(name)
            role, value = bindings[name].role, bindings[name].value
        return add(Node(0, role, line, column, value=as_value(value)))

    def build(expr) -> int:
        if isinstance(expr, Literal):
            return add(Node(0, "constant", expr.line, expr.column, value=as_value(expr.value)))
        if isinstance(expr, Ref):
            if expr.name in env:
                return env[expr.name]
            if expr.name in bindings:
                node = leaf(expr.name, "data", np.float64(0.0), expr.line, expr.column)
                env[expr.name] = node
                binding_order.append((expr.name, node))
                return node
            # go on with a stand-in, so that every unknown name is reported at once
            unknown.setdefault(expr.name, (expr.line, expr.column))
            return add(Node(0, "data", expr.line, expr.column))
        inputs = tuple(build(arg) for arg in expr.args)
        made = add(Node(0, "operation", expr.line, expr.column, op=expr.op, k=expr.k,
                        inputs=inputs, params=expr.attrs))
        if known and id(expr) in known:
            nodes[made].value = as_value(known[id(expr)])
            preset.add(made)
        return made

    for statement in program.statements:
        if isinstance(statement, Declare):
            node = leaf(statement.name, statement.role, statement.value,
                        statement.line, statement.column)
        elif isinstance(statement, Assign):
            first = len(nodes)
            node = build(statement.expr)  # for ``a = b``, a second name for b's node
            owners.update(dict.fromkeys(range(first, len(nodes)), short(statement.name, 20)))
        elif isinstance(statement, Backward):
            if statement.name not in env:
                raise ExpressionError(f"unknown name '{short(statement.name)}'",
                                      statement.line, statement.column,
                                      hint="call .backward() on a value computed above")
            output = env[statement.name]
            continue
        else:  # pragma: no cover - the parser emits only these
            raise TypeError(statement)
        env[statement.name] = node
        binding_order.append((statement.name, node))
        if not has_backward and (isinstance(statement, Assign) or output is None):
            output = node  # the last computed name; a trailing declaration is an input

    if unknown:
        raise unknown_names(unknown, [*env, *bindings])
    if not any(n.kind == "operation" for n in nodes):
        raise ExpressionError("there is nothing to compute: no operation in the program",
                              hint="combine the values, as in 'loss = (w * x - y) ** 2'")
    names = _display_names(nodes, binding_order)
    _label(nodes, owners)
    _forward(nodes, preset)
    assert output is not None
    out = nodes[output]
    if np.ndim(out.value) != 0:
        what = f"a vector of {np.size(out.value)} numbers" if np.ndim(out.value) == 1 else \
            f"a {shape_of(out.value)} tensor"
        raise ExpressionError(f"the output {out.name or out.label} is {what}",
                              out.line, out.column, hint="wrap it in sum() or mean()")
    unused = [name for name in bindings if name not in used]
    return ComputationGraph(program, nodes, output, names, unused)


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


def check_budget(nodes: list[Node], preset: set[int] | frozenset = frozenset()) -> None:
    """Refuse, before computing, a graph whose operations' results would hold more than
    MAX_GRAPH_ENTRIES entries (a 12000×12000 product passed a per-input limit)."""
    shapes: list[tuple] = []
    total = 0
    for node in nodes:
        if node.kind != "operation" or node.id in preset:
            shapes.append(np.shape(node.value))
            if node.kind == "operation":
                total += int(np.size(node.value))
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


def _forward(nodes: list[Node], preset: set[int] | frozenset = frozenset()) -> None:
    check_budget(nodes, preset)
    stop = cancel.token()
    with np.errstate(all="ignore"):
        for node in nodes:
            stop.check()  # a superseded build stops between ops (core.cancel)
            if node.id in preset:  # computed (and its shapes checked) before
                if OPS[node.op].no_grad:
                    check_targets(node, nodes)
            elif node.kind == "operation":
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
