"""The computational graph's classes: a node, the graph with its edges and which nodes
the gradient flows through, and how a label reads inside a formula
(:class:`Operand`). core/engine/graph.py builds them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from core.base.format import format_value
from core.language.ir import ParsedProgram
from core.language.program import ROLES, Binding  # noqa: F401  (re-exported with the graph)
from core.ops import OPS

if TYPE_CHECKING:
    import networkx


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
