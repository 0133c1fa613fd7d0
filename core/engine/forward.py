"""Forward mode: carry ∂node/∂w forward alongside the values, one pass per input w.

The walk answers "why does backpropagation run backwards?": forward mode seeds
∂w/∂w = 1 at one input and pushes the tangent through every op in forward order, with
each op's JVP from its registry entry (:func:`core.ops.jvp`). For element-wise ops the
tangent is Σ over inputs (local gradient × input tangent), with the same local
gradients the reverse walk shows. One forward pass gives ∂loss/∂w for one w; the
backward pass gives it for every w at once: :func:`cost` says how many passes each
mode needs, :func:`compare_modes` that the two agree.

Texts are kept as keys with English and Chinese (:data:`TEXTS`), like core.engine.explain's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from core.base.format import format_value
from core.base.values import shape_text
from core.engine.graph import ComputationGraph, Operand
from core.language.parser import ExpressionError, short
from core.ops import OPS, jvp

#: ``w``, ``w[2]``, ``W[1, 0]``: at most two indices, read with a bounded pattern
_WRT = re.compile(r"\s*([^\W\d][\w@]{0,99})\s*(?:\[\s*(-?\d{1,9})\s*"
                  r"(?:,\s*(-?\d{1,9})\s*)?\])?\s*\Z")
#: the most passes :func:`compare_modes` runs (one per parameter entry)
MAX_COMPARED = 256

TEXTS: dict[str, tuple[str, str]] = {
    "title": ("forward mode: how fast each node changes when {wrt} changes",
              "前向模式：当 {wrt} 变化时，每个节点变化得有多快"),
    "seed": ("Seed: ∂{wrt}/∂{wrt} = 1 — {wrt} changes one-for-one with itself; every other "
             "input is held fixed (tangent 0).",
             "种子：∂{wrt}/∂{wrt} = 1 —— {wrt} 随自身一比一变化；其他输入保持不变（切向量为 0）。"),
    "seed.entry": ("Seed: only the entry {wrt} moves (tangent 1 there, 0 elsewhere); every "
                   "other input is held fixed.",
                   "种子：只有元素 {wrt} 变化（该处切向量为 1，其余为 0）；其他输入保持不变。"),
    "value": ("Value: compute {target} from values that are already known, as in the "
              "forward pass.",
              "值：像前向传播一样，由已知的值计算 {target}。"),
    "tangent": ("Tangent: how fast {target} changes when {wrt} changes — the sum over its "
                "inputs of (local gradient × the input's tangent), the same local gradients "
                "the backward pass uses.",
                "切向量：当 {wrt} 变化时 {target} 变化得有多快 —— 对它的每个输入求和"
                "（局部梯度 × 该输入的切向量），与反向传播使用的局部梯度相同。"),
    "tangent.rule": ("Tangent: {target} mixes many entries, so its op's forward-mode rule "
                     "(JVP) maps the inputs' tangents to its own, with the shapes shown.",
                     "切向量：{target} 混合了多个元素，因此用该运算的前向模式规则（JVP）"
                     "把输入的切向量映射为它自己的切向量（形状如图所示）。"),
    "cost": ("{n} parameters: forward mode needs {n} passes, reverse mode 1",
             "{n} 个参数：前向模式需要 {n} 次传递，反向模式只需 1 次"),
    "cost.one": ("1 parameter: forward mode needs 1 pass, reverse mode 1",
                 "1 个参数：前向模式需要 1 次传递，反向模式也是 1 次"),
    "cost.entries": ("{n} parameter entries: forward mode needs {n} passes (one per entry), "
                     "reverse mode 1",
                     "{n} 个参数元素：前向模式需要 {n} 次传递（每个元素一次），反向模式只需 1 次"),
    "why": ("Each forward pass gives ∂{output}/∂w for one w; one backward pass gives it for "
            "every w at once. With one output and many parameters, backwards is cheaper.",
            "每次前向传递只能得到一个 w 的 ∂{output}/∂w；一次反向传递就能同时得到所有 w 的。"
            "输出只有一个、参数很多时，反向更省。"),
    "equal": ("forward mode's ∂{output}/∂{name} = {forward}, reverse mode's = {reverse}: {same}",
              "前向模式的 ∂{output}/∂{name} = {forward}，反向模式的 = {reverse}：{same}"),
}


def text(key: str, lang: str = "en", **args) -> str:
    """A forward-mode sentence in English or Chinese (``lang`` "zh")."""
    english, chinese = TEXTS[key]
    return (chinese if lang == "zh" else english).format(**args)


@dataclass(frozen=True)
class Seed:
    """What moves: one input's node, and the tangent it starts with."""

    node: int
    wrt: str
    tangent: np.ndarray
    #: the entry seeded (``w[1]``), or None when the whole tensor is (``ones_like``)
    index: tuple[int, ...] | None = None


def parse_seed(graph: ComputationGraph, spec: str, where: str = "--forward-mode") -> Seed:
    """``NAME``, ``NAME[i]`` or ``NAME[i, j]`` for data or a parameter; anything else is
    an ExpressionError naming it."""
    match = _WRT.match(spec) if len(spec) <= 240 else None
    if match is None and any(n.kind == "constant" and n.label == spec.strip()
                             for n in graph.nodes):
        raise ExpressionError(f"{short(spec.strip())} is a constant: nothing can move it, so "
                              "it has no tangent to seed", where=where)
    if match is None:
        raise ExpressionError(f"expected NAME, NAME[i] or NAME[i, j], got {short(spec)!r}",
                              where=where)
    name = match.group(1)
    if name not in graph.names:
        raise ExpressionError(f"unknown name {short(name)!r}: the program has no such input",
                              where=where)
    node = graph.nodes[graph.names[name]]
    if node.kind == "constant":
        raise ExpressionError(f"{short(name)} is a constant: nothing can move it", where=where)
    if node.kind == "operation":
        raise ExpressionError(f"{short(name)} is computed, not an input: seed data or a "
                              "parameter", where=where)
    if node.integer:
        raise ExpressionError(f"{short(name)} holds class labels: they cannot move",
                              where=where)
    value = np.asarray(node.value, dtype=np.float64)
    if match.group(2) is None:
        return Seed(node.id, name, np.ones_like(value)[()])
    index = tuple(int(g) for g in match.groups()[1:] if g is not None)
    if len(index) != value.ndim:
        raise ExpressionError(f"{short(name)} has {value.ndim} dimension"
                              f"{'s' if value.ndim != 1 else ''}, got {len(index)} "
                              f"ind{'ices' if len(index) != 1 else 'ex'}", where=where)
    for i, size in zip(index, value.shape, strict=True):
        if not -size <= i < size:
            raise ExpressionError(f"index {i} is out of range for {short(name)} of shape "
                                  f"{shape_text(value.shape)}", where=where)
    tangent = np.zeros_like(value)
    tangent[index] = 1.0
    shown = ", ".join(str(i) for i in index)
    return Seed(node.id, f"{name}[{shown}]", tangent, index)


def tangents(graph: ComputationGraph, seed: Seed) -> dict[int, np.ndarray]:
    """∂node/∂w for every node that depends on the seeded one (the others: 0)."""
    nodes = graph.nodes
    found: dict[int, np.ndarray] = {seed.node: seed.tangent}
    with np.errstate(all="ignore"):
        for node in nodes[seed.node + 1:]:
            if node.kind != "operation" or not any(i in found for i in node.inputs):
                continue
            entry = OPS[node.op]
            inputs = tuple(nodes[i].value for i in node.inputs)
            moving = tuple(found.get(i) for i in node.inputs)
            if entry.jvp is not None:  # a rule of its own takes zeros, not None
                moving = tuple(np.zeros_like(np.asarray(v, dtype=np.float64))[()]
                               if t is None else t for v, t in zip(inputs, moving, strict=True))
            result = np.asarray(jvp(entry, moving, inputs, node.value, node.attrs),
                                dtype=np.float64)
            shape = np.shape(node.value)
            if result.shape != shape:
                result = np.broadcast_to(result, shape) + 0.0
            found[node.id] = result[()]
    return found


def tangent_of(graph: ComputationGraph, found: dict[int, np.ndarray], node_id: int):
    value = found.get(node_id)
    if value is None:
        return np.zeros_like(np.asarray(graph.nodes[node_id].value, dtype=np.float64))[()]
    return value


def named_tangents(graph: ComputationGraph, found: dict[int, np.ndarray]) -> dict:
    """Tangents keyed like the values: every named node."""
    return {name: tangent_of(graph, found, i) for name, i in graph.names.items()}


@dataclass(frozen=True)
class ForwardModeStep:
    """One step of the forward-mode walk: the seed, a node's value, or its tangent."""

    kind: str  # "seed" | "value" | "tangent"
    node: int
    target: str
    formula: str
    substituted: str
    value: np.ndarray
    key: str
    args: dict

    @property
    def equation(self) -> str:
        parts = [self.target]
        for part in (self.formula, self.substituted, format_value(self.value)):
            if part and part != parts[-1]:
                parts.append(part)
        return " = ".join(parts)

    def text(self, lang: str = "en") -> str:
        return text(self.key, lang, **self.args)


def _d(top: str, wrt: str) -> str:
    return f"∂{top}/∂{wrt}"


def walk(graph: ComputationGraph, seed: Seed, found: dict[int, np.ndarray] | None = None
         ) -> list[ForwardModeStep]:
    """The steps in forward order: the seed, then per op its value and (where it moves)
    its tangent, with the numbers."""
    found = tangents(graph, seed) if found is None else found
    nodes = graph.nodes
    wrt = seed.wrt
    key = "seed" if seed.index is None else "seed.entry"
    steps = [ForwardModeStep("seed", seed.node, _d(wrt, wrt), "", "", seed.tangent, key,
                             {"wrt": wrt})]
    for node in nodes[: graph.output + 1]:
        if node.kind != "operation":
            continue
        entry = OPS[node.op]
        template = entry.text_for(node.attrs)
        formula = template.format(*graph.operands(node))
        numbers = template.format(*graph.operands(node, {i: nodes[i].value
                                                         for i in node.inputs}))
        steps.append(ForwardModeStep("value", node.id, node.label, formula, numbers,
                                     node.value, "value", {"target": node.label}))
        if node.id not in found:
            continue
        steps.append(_tangent_step(graph, node, found, wrt))
    return steps


def _tangent_step(graph, node, found, wrt) -> ForwardModeStep:
    nodes = graph.nodes
    entry = OPS[node.op]
    moving = [(p, i) for p, i in enumerate(node.inputs) if i in found]
    target = _d(node.label, wrt)
    if entry.elementwise:
        local = entry.local(tuple(nodes[i].value for i in node.inputs), node.value,
                            node.attrs)
        terms, numbers = [], []
        for p, i in moving:
            source = Operand(nodes[i].label, nodes[i].atomic)
            terms.append(f"local ∂{node.label}/∂{source} · {_d(nodes[i].label, wrt)}")
            numbers.append(f"{_num(local[p])} · {_num(found[i])}")
        return ForwardModeStep("tangent", node.id, target, " + ".join(terms),
                               " + ".join(numbers), found[node.id], "tangent",
                               {"target": node.label, "wrt": wrt})
    shapes = ", ".join(shape_text(np.shape(nodes[i].value)) for _, i in moving)
    ins = ", ".join(_d(nodes[i].label, wrt) for _, i in moving)
    rule = f"JVP[{entry.symbol_for(node.attrs)}]({ins})"
    return ForwardModeStep("tangent", node.id, target, rule,
                           f"({shapes} → {shape_text(np.shape(node.value))})",
                           found[node.id], "tangent.rule", {"target": node.label, "wrt": wrt})


def _num(value) -> str:
    text_ = format_value(value)
    return f"({text_})" if text_.startswith("−") else text_


# ---- why backwards -------------------------------------------------------------------


def parameter_entries(graph: ComputationGraph) -> int:
    return int(sum(np.size(n.value) for n in graph.parameters))


def cost(graph: ComputationGraph, lang: str = "en") -> str:
    """``3 parameters: forward mode needs 3 passes, reverse mode 1`` for this program."""
    params = graph.parameters
    n = parameter_entries(graph)
    if any(np.ndim(p.value) for p in params):
        return text("cost.entries", lang, n=n)
    if n == 1:
        return text("cost.one", lang)
    return text("cost", lang, n=n)


@dataclass(frozen=True)
class ModeComparison:
    """One parameter: ∂output/∂w by forward mode (one pass per entry) and by reverse."""

    name: str
    forward: np.ndarray
    reverse: np.ndarray
    equal: bool


def compare_modes(graph: ComputationGraph, grads: dict[int, np.ndarray],
                  limit: int = MAX_COMPARED) -> list[ModeComparison]:
    """Forward mode's ∂output/∂w, entry by entry, against the backward pass's, for each
    parameter (up to ``limit`` passes in all: the rest are left out)."""
    from core.base.agreement import agree  # noqa: PLC0415

    rows = []
    passes = 0
    for param in graph.parameters:
        value = np.asarray(param.value, dtype=np.float64)
        if passes + value.size > limit:
            break
        passes += value.size
        result = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            tangent = np.zeros_like(value)
            tangent[index] = 1.0
            found = tangents(graph, Seed(param.id, param.name, tangent[()], index or None))
            result[index] = np.sum(tangent_of(graph, found, graph.output))
        reverse = grads.get(param.id)
        reverse = np.zeros_like(value) if reverse is None else np.asarray(reverse, np.float64)
        rows.append(ModeComparison(param.name, result[()], reverse[()],
                                   agree(result, reverse, rtol=1e-9, atol=1e-12)))
    return rows
