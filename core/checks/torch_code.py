"""PyTorch code the learner can paste: the one generator, from the registry's templates.

:func:`op_code` writes one op as torch code (its entry's template, its operands, the
constants torch wants as tensors); :func:`torch_code` writes a whole graph as parts
(leaves, forward pass, output, parameters), which :meth:`TorchCode.reverse` renders as
the reverse-mode program (``.backward()`` and the ``.grad`` prints) and
:meth:`TorchCode.forward_mode` as the forward-mode one (``fwAD.make_dual`` inside
``dual_level``). Nothing here runs the text.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass, field

import numpy as np

from core.engine.graph import ComputationGraph, Operand
from core.ops import OPS, Op

_REQUIRES_GRAD = ", requires_grad=True"


def literal(value) -> str:
    """Python text for a number or nested lists, shaped as the value."""
    if np.ndim(value) == 0:
        x = float(value)
        if np.isnan(x):
            return "float('nan')"
        if np.isinf(x):
            return "float('inf')" if x > 0 else "-float('inf')"
        return repr(x)
    return "[" + ", ".join(literal(v) for v in np.asarray(value)) + "]"


def exponent(k: float) -> str:
    """A fixed power as written after ``**``: ``2``, ``0.5``, ``(-1)``."""
    text = str(int(k)) if np.isfinite(k) and float(k).is_integer() and abs(k) < 1e15 \
        else literal(k)
    return f"({text})" if k < 0 else text


def op_code(entry: Op, attrs, operands: list[Operand], k: float | None = None
            ) -> tuple[str, bool]:
    """One op as torch code: (text, whether it reads as one unit). ``operands`` are
    already written; a constant torch wants as a tensor is wrapped by the caller."""
    code = entry.code_for(attrs)
    text = code.format(*operands, **({"k": exponent(k)} if k is not None else {}))
    atomic = code.startswith(("torch.", "F.", "{0}.")) or code.endswith(")")
    return text, atomic and "@" not in code


def python_names(graph: ComputationGraph) -> dict[int, str]:
    """A valid Python name per named node: ``c`` stays ``c``; ``c@1`` becomes ``c_1``."""
    taken = {n.name for n in graph.nodes if n.name and "@" not in n.name}
    names = {}
    for node in graph.nodes:
        if not node.name:
            continue
        name = node.name
        if "@" in name or keyword.iskeyword(name):
            base = name.replace("@", "_")
            name = base
            while name in taken:
                name += "_"
            taken.add(name)
        names[node.id] = name
    return names


@dataclass
class TorchCode:
    """A graph as torch code, in parts: each mode renders them its own way."""

    #: (name, the arguments of torch.tensor(…), a parameter: requires_grad=True)
    leaves: list[tuple[str, str, bool]] = field(default_factory=list)
    #: the forward pass, one assignment a line
    body: list[str] = field(default_factory=list)
    #: the output's expression (a name, or the op's code when the output is unnamed)
    output: str = ""
    #: the parameters whose .grad the reverse-mode code prints (none: no backward())
    grads: list[str] = field(default_factory=list)
    uses_f: bool = False
    names: dict[int, str] = field(default_factory=dict)

    def _head(self, with_grad: bool, extra: tuple[str, ...] = ()) -> list[str]:
        head = ["import torch", *extra]
        if self.uses_f:
            head.append("import torch.nn.functional as F")
        head.append("")
        for name, args, grad in self.leaves:
            flag = _REQUIRES_GRAD if grad and with_grad else ""
            head.append(f"{name} = torch.tensor({args}{flag})")
        return head

    def reverse(self) -> str:
        """The reverse-mode program: forward pass, print the output, backward, grads."""
        lines = [*self._head(True), "", "# forward pass and loss", *self.body,
                 f"print({self.output})"]
        if self.grads:
            lines += ["", "# backward pass: PyTorch computes local gradients and "
                      "backpropagates", f"{self.output}.backward()",
                      *(f"print({name}.grad)" for name in self.grads)]
        return "\n".join(lines) + "\n"

    def forward_mode(self, seeded: str, wrt: str, index: tuple[int, ...] | None,
                     output_label: str) -> str:
        """The forward-mode program: the same leaves without autograd, the forward pass
        inside ``fwAD.dual_level()`` from ``seeded``, printing ∂output/∂``wrt``."""
        head = self._head(False, ("import torch.autograd.forward_ad as fwAD",))
        if index is None:
            tangent, seed_lines = f"torch.ones_like({seeded})", []
        else:
            places = ", ".join(str(i) for i in index)
            tangent = "seed"
            seed_lines = [f"    seed = torch.zeros_like({seeded})", f"    seed[{places}] = 1.0"]
        body = [
            "# forward mode: carry ∂node/∂" + wrt + " forward with the values",
            "with fwAD.dual_level():",
            *seed_lines,
            f"    {seeded} = fwAD.make_dual({seeded}, {tangent})  # seed ∂{wrt}/∂{wrt} = 1",
            *("    " + line for line in self.body),
            f"    print(fwAD.unpack_dual({self.output}).tangent)  # ∂{output_label}/∂{wrt}",
        ]
        return "\n".join([*head, "", *body]) + "\n"


def _constant(node) -> Operand:
    value = float(node.value) if np.ndim(node.value) == 0 else None
    # an inline number reads as typed: `b + 1`, not `b + 1.0` (a Python int combines
    # with a float tensor exactly like the float), but -0.0 keeps its sign (-0.0 / w
    # is −∞ where 0 / w is +∞)
    text = str(int(value)) if value is not None and value.is_integer() and \
        abs(value) < 1e15 and not np.signbit(value) else literal(node.value)
    if np.ndim(node.value):
        text = f"torch.tensor({text})"
    return Operand(text, not text.startswith("-"))


def _operands(graph: ComputationGraph, node, entry: Op, expr: dict) -> list[Operand]:
    operands = []
    for i in node.inputs:
        operand = expr[i]
        if entry.tensor_args and graph.nodes[i].kind == "constant" \
                and not operand.text.startswith("torch."):
            # a float literal: torch.tensor(0) would be an integer tensor
            operand = Operand(f"torch.tensor({literal(graph.nodes[i].value)})", True)
        operands.append(operand)
    return operands


def torch_code(graph: ComputationGraph) -> TorchCode:
    """The graph as torch code, in parts (render with ``.reverse()`` or
    ``.forward_mode(…)``)."""
    names = python_names(graph)
    code = TorchCode(names=names)
    expr: dict[int, Operand] = {}
    for node in graph.nodes:
        if node.integer or node.is_leaf and node.kind != "constant":
            if node.integer:
                args = f"{np.asarray(node.value).astype(np.int64).tolist()!r}, dtype=torch.long"
                if node.kind == "constant":
                    expr[node.id] = Operand(f"torch.tensor({args})", True)
                    continue
            else:  # -0.0 stays -0.0, as typed
                args = literal(np.asarray(node.value, float))
            code.leaves.append((names[node.id], args, node.kind == "parameter"
                                and not node.integer))
            expr[node.id] = Operand(names[node.id], True)
            continue
        if node.kind == "constant":
            expr[node.id] = _constant(node)
            continue
        entry = OPS[node.op]
        text, atomic = op_code(entry, node.attrs, _operands(graph, node, entry, expr), node.k)
        code.uses_f = code.uses_f or entry.code_for(node.attrs).startswith("F.")
        if node.id in names:
            code.body.append(f"{names[node.id]} = {text}")
            expr[node.id] = Operand(names[node.id], True)
            code.body += [f"{alias} = {names[node.id]}" for alias in node.aliases
                          if "@" not in alias]
        else:
            expr[node.id] = Operand(text, atomic)
    code.output = expr[graph.output].text
    if graph.parameters and graph.relevant[graph.output]:
        code.grads = [names[n.id] for n in graph.parameters]
    return code


__all__ = ["TorchCode", "exponent", "literal", "op_code", "python_names", "torch_code"]
