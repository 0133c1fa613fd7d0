"""A recorded pass as the trace the window steps: each torch call becomes a registry op
(core/ops) where one exists, with torch's forward values as the node values; any other
call becomes one ``torch_rule`` node carrying torch's numbers (the app never invents a
rule). A call is mapped only when our forward gives torch's value back: a call whose
arguments we read differently stays torch's.

The update phase is the recorded ``optimizer.step()``, shown by
:class:`core.engine.optimizer_step.OptimizerStep` (SGD with its momentum buffer, Adam's moments).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from core.base.values import as_value
from core.checks.rounding import recorded_close
from core.engine.graph import ComputationGraph, Node, _label, evaluate, value_warning
from core.engine.optimizer_step import OptimizerStep
from core.engine.trace import RecordedContext, Trace
from core.language.ir import ParsedProgram
from core.ops import OPS, forward, grad_fn_of
from core.ops.recorded import UNAVAILABLE
from core.record.calls import Mapped, map_call, reflected
from core.record.check import PassCheck, check_built, contributions_by_rule
from core.record.recording import PassRecord, RecordError


@dataclass
class Built:
    """A pass's graph, with torch's gradient per node where torch recorded one."""

    graph: ComputationGraph
    torch_grads: dict[int, np.ndarray] = field(default_factory=dict)
    #: our node id -> the recorded node's id it shows (the last node of a mapped call)
    recorded: dict[int, int] = field(default_factory=dict)
    torch_rule_only: list[str] = field(default_factory=list)
    #: calls whose torch grad_fn was compared with the registry entry's (core.ops.grad_fn_of)
    grad_fns_compared: int = 0
    #: ``Tensor.t: torch's TBackward0, transpose's PermuteBackward0``: a call whose grad_fn
    #: is not its op's, so it was not mapped to that op (it stays torch's rule)
    grad_fns_differ: list[str] = field(default_factory=list)


class _Builder:
    def __init__(self, record: PassRecord):
        self.record = record
        self.nodes: list[Node] = []
        self.ours: dict[int, int] = {}  # recorded id -> our node id
        self.torch_grads: dict[int, np.ndarray] = {}
        self.recorded: dict[int, int] = {}
        self.opaque: list[str] = []
        self.grad_fns_compared = 0
        self.grad_fns_differ: list[str] = []
        self.leaf_count = {"data": 0, "parameter": 0}
        #: our op node id -> the module whose forward computed it (``model.l1``): the
        #: canvas's band under a call (graph.groups)
        self.groups: dict[int, str] = {}

    def add(self, node: Node) -> int:
        node.id = len(self.nodes)
        self.nodes.append(node)
        return node.id

    def constant(self, value) -> int:
        return self.add(Node(0, "constant", 0, 0, value=as_value(float(value))))

    def leaf(self, rec) -> int:
        kind = rec.kind if rec.kind in ("parameter", "data") else "data"
        if rec.value is None:
            raise RecordError(f"{rec.name or 'a tensor'} ({'×'.join(map(str, rec.shape))}) "
                              "was kept only as a summary")
        if rec.kind == "constant" or (kind == "data" and rec.name is None
                                      and rec.value.size == 1):
            return self.constant(rec.value.reshape(()))
        node = Node(0, kind, rec.line or 0, 0, value=as_value(rec.value),
                    integer=rec.value.dtype.kind in "iub")
        if rec.name is None:
            self.leaf_count[kind] += 1
            node.name = f"{'x' if kind == 'data' else 'p'}{self.leaf_count[kind]}"
        else:
            node.name = rec.name
        return self.add(node)

    def operand(self, item) -> int | None:
        if isinstance(item, int):
            return self.ours[item]
        if isinstance(item, dict) and isinstance(item.get("const"), (int, float)) \
                and not isinstance(item.get("const"), bool):
            return self.constant(item["const"])
        return None

    def build(self) -> None:
        for rec in self.record.nodes:
            if rec.kind != "operation":
                self.ours[rec.id] = self.leaf(rec)
            else:
                first = len(self.nodes)
                self.ours[rec.id] = self.operation(rec)
                if rec.module:
                    self.groups.update((node.id, rec.module) for node in self.nodes[first:]
                                       if node.kind == "operation")
            if rec.grad is not None:
                self.torch_grads[self.ours[rec.id]] = as_value(rec.grad)
                self.recorded[self.ours[rec.id]] = rec.id

    def operation(self, rec) -> int:
        if rec.value is None:
            raise RecordError(f"{rec.name or rec.op} ({'×'.join(map(str, rec.shape))}) was "
                              "kept only as a summary")
        value = as_value(rec.value)
        shapes = {i: np.shape(self.nodes[self.ours[i]].value) for i in self.ours}
        mapped = map_call(rec.op or "", rec.inputs, rec.kwargs, shapes)
        if mapped is not None:
            made = self.try_mapped(rec, mapped, value)
            if made is not None:
                return made
        return self.torch_rule(rec, value)

    def try_mapped(self, rec, mapped: Mapped, value) -> int | None:
        """Our nodes for a mapped call, or None when our forward disagrees with torch."""
        start = len(self.nodes)
        made = None
        made_ids: list[int] = []
        values: dict[int, np.ndarray] = {}
        try:
            with np.errstate(all="ignore"):
                for key, args, attrs in mapped.steps:
                    inputs = []
                    for a in args:
                        if isinstance(a, tuple) and a[0] == "step":
                            inputs.append(made_ids[a[1]])
                        elif isinstance(a, tuple) and a[0] == "const":
                            inputs.append(self.constant(a[1]))
                        else:
                            inputs.append(self.ours[a])
                    node = Node(0, "operation", rec.line or 0, 0, op=key, inputs=tuple(inputs),
                                params=dict(attrs) if attrs else None)
                    node.k = node.params.pop("k") if node.params and "k" in node.params else None
                    if node.params == {}:
                        node.params = None
                    node.value = as_value(forward(OPS[key], [self.nodes[i].value
                                                             for i in inputs], node.attrs))
                    made = self.add(node)
                    values[made] = node.value
                    made_ids.append(made)
        except (ValueError, TypeError, IndexError, KeyError, ArithmeticError):
            made = None
        if made is None or not recorded_close(values[made], value) \
                or not self.same_grad_fn(rec, mapped, self.nodes[made]):
            del self.nodes[start:]
            return None
        last = self.nodes[made]
        last.value = value  # torch's numbers, not our float64 recomputation
        last.name = rec.name
        for i in range(start, made):
            self.nodes[i].name = None
        return made

    def same_grad_fn(self, rec, mapped: Mapped, node: Node) -> bool:
        """Torch's grad_fn for a one-op call is the one the op's registry entry names
        (``Tensor.mul`` made a MulBackward0): else the call is not that op, and our rule
        is not applied to it. A call of several ops (``F.linear``: AddmmBackward0) and a
        result that needed no gradient are not compared."""
        if not rec.grad_fn or len(mapped.steps) != 1:
            return True
        expected = grad_fn_of(node.op, node.attrs, tuple(
            np.ndim(self.nodes[i].value) for i in node.inputs), reflected(rec.op or ""))
        if expected is None:
            return True
        self.grad_fns_compared += 1
        if expected == rec.grad_fn:
            return True
        self.grad_fns_differ.append(f"{_short(rec.op)}: torch's {rec.grad_fn}, "
                                    f"{node.op}'s {expected}")
        return False

    def torch_rule(self, rec, value) -> int:
        inputs = []
        for item in rec.inputs:
            if isinstance(item, int):
                inputs.append(self.ours[item])
            elif isinstance(item, dict) and isinstance(item.get("list"), list):
                inputs.extend(self.ours[i] for i in item["list"])
        for v in rec.kwargs.values():
            if isinstance(v, dict) and isinstance(v.get("node"), int):
                inputs.append(self.ours[v["node"]])
        short = _short(rec.op)
        self.opaque.append(rec.op or "?")
        node = Node(0, "operation", rec.line or 0, 0, op="torch_rule", inputs=tuple(inputs),
                    value=value, params={"call": rec.op or "?", "short": short,
                                         "arity": len(inputs), "grads": ()})
        node.name = rec.name
        return self.add(node)


def _short(call: str | None) -> str:
    return (call or "torch").replace("torch.nn.functional.", "F.") \
        .replace("torch.Tensor.", "Tensor.")


def _ssa_names(nodes: list[Node]) -> dict[str, int]:
    """``h@1``, ``h@2`` for the earlier of several nodes one name was given to."""
    totals: dict[str, int] = {}
    for node in nodes:
        if node.name:
            totals[node.name] = totals.get(node.name, 0) + 1
    seen: dict[str, int] = {}
    names: dict[str, int] = {}
    for node in nodes:
        if node.name:
            seen[node.name] = seen.get(node.name, 0) + 1
            if seen[node.name] < totals[node.name]:
                node.name = f"{node.name}@{seen[node.name]}"
            names[node.name] = node.id
    return names


def _torch_rule_grads(built: Built) -> None:
    """Each torch_rule node's contribution to each input, from torch's numbers: the
    input's recorded gradient less what its other consumers sent (by our rules)."""
    graph = built.graph
    others = contributions_by_rule(graph, built.torch_grads, skip_torch_rule=True)
    for node in graph.nodes:
        if node.op != "torch_rule":
            continue
        grads = []
        for position, source in enumerate(node.inputs):
            total = built.torch_grads.get(source)
            if total is None:
                grads.append(None)
                continue
            sent = others.get(source)
            grads.append(total if sent is None else as_value(total - sent))
            del position
        node.params["grads"] = tuple(grads)


def build_pass_graph(record: PassRecord) -> Built:
    """The graph of a recorded pass (or of a forward-only recording: its last op is the
    output), with torch's gradients."""
    builder = _Builder(record)
    builder.build()
    nodes = builder.nodes
    if not any(n.kind == "operation" for n in nodes):
        raise RecordError("the recording holds no operation")
    output = builder.ours[record.output] if record.output is not None else \
        max(n.id for n in nodes if n.kind == "operation")
    names = _ssa_names(nodes)
    _label(nodes)
    for node in nodes:
        node.warning = value_warning(node.value)
    graph = ComputationGraph(ParsedProgram("", []), nodes, output, names, [])
    graph.groups = builder.groups
    built = Built(graph, builder.torch_grads, builder.recorded, builder.opaque,
                  builder.grad_fns_compared, builder.grad_fns_differ)
    if builder.opaque:
        _torch_rule_grads(built)
    return built


def _rule(optimizer: dict, numbers: dict) -> tuple[dict, dict, dict]:
    """OptimizerStep's rule, numbers and previous numbers from the recorded step."""
    settings = optimizer.get("settings", {})
    kind = optimizer.get("class", "")
    state = numbers.get("state", {})
    before_state = numbers.get("state_before", {}) or {}
    rule = {"rule": kind if kind in ("SGD", "Adam") else kind or "manual",
            "lr": settings.get("lr"), "momentum": settings.get("momentum") or 0.0}
    shown = {"before": numbers["before"], "grad": numbers["grad"], "after": numbers["after"],
             "line": numbers.get("line") or ""}
    previous = {}
    if kind == "SGD" and state.get("momentum_buffer") is not None:
        shown["buffer"] = state["momentum_buffer"]
        if before_state.get("momentum_buffer") is not None:
            previous["buffer"] = as_value(before_state["momentum_buffer"])
    if kind == "Adam" and state.get("exp_avg") is not None:
        beta1, beta2 = settings.get("betas", (0.9, 0.999))
        step = float(np.asarray(state.get("step", 1)).reshape(()))
        rule.update(betas=(beta1, beta2), eps=settings.get("eps", 1e-8), step=step)
        m, v = as_value(state["exp_avg"]), as_value(state["exp_avg_sq"])
        shown.update(m=m, v=v, m_hat=m / (1 - beta1 ** step), v_hat=v / (1 - beta2 ** step))
        for key, name in (("m", "exp_avg"), ("v", "exp_avg_sq")):
            if before_state.get(name) is not None:
                previous[key] = as_value(before_state[name])
    rule["step"] = float(np.asarray(state.get("step", 1)).reshape(())) \
        if state.get("step") is not None else 1
    return rule, shown, previous


def pass_trace(record: PassRecord, built: Built | None = None) -> Trace:
    """The trace of one recorded pass: forward, local, backward, then the optimizer's
    update. Its context (a core.engine.trace.RecordedContext) holds the pass, and
    ``trace.unavailable`` says why What if / forward mode are off (or None).
    ``built``: the pass's graph built already (for its check)."""
    built = build_pass_graph(record) if built is None else built
    graph = built.graph
    names = {n.name for n in graph.parameters}
    left = {k: as_value(v) for k, v in record.grads_before.items()
            if k in names and v is not None and np.any(v != 0)}
    unavailable = UNAVAILABLE.format(call=", ".join(sorted(set(built.torch_rule_only)))) \
        if built.torch_rule_only else None
    trace = Trace(graph, None, left, RecordedContext(record.index, built, unavailable))
    optimizer = record.optimizer
    if optimizer is not None and optimizer.get("class") in ("SGD", "Adam", "manual"):
        for node in graph.parameters:
            numbers = optimizer["params"].get(node.name)
            if numbers and numbers.get("grad") is None and node.id in built.torch_grads:
                # .grad was changed in place after step() (zero_grad(set_to_none=False), or
                # a forgotten zero_grad): what step() used is what was left plus this pass's
                grad = built.torch_grads[node.id]
                numbers = {**numbers, "grad": grad + left[node.name] if node.name in left
                           else grad}
            if numbers and all(numbers.get(k) is not None for k in ("before", "grad", "after")):
                rule, shown, previous = _rule(optimizer, numbers)
                trace.steps.append(OptimizerStep(trace, node.id, rule, shown, previous))
        for index, step in enumerate(trace.steps, start=1):
            step.index = index
        trace.phase_starts = {}
        for step in trace.steps:
            trace.phase_starts.setdefault(step.phase, step.index)
    return trace


def whatif_trace(graph: ComputationGraph, changes: dict[int, np.ndarray]) -> Trace:
    """What if, on a recorded pass whose nodes are all registry ops: the pass's graph
    recomputed by our engine (core.engine.graph.evaluate, then core.engine.backprop) with the leaves
    in ``changes`` (node id -> value) moved, the recording untouched. Raises ValueError on a
    pass holding a torch_rule node (its rule only torch knows)."""
    held = sorted({n.params["call"] for n in graph.nodes if n.op == "torch_rule"})
    if held:
        raise ValueError(UNAVAILABLE.format(call=", ".join(held)))
    values = evaluate(graph, {i: as_value(v) for i, v in changes.items()})
    nodes = [replace(node, value=as_value(value), warning=value_warning(value))
             for node, value in zip(graph.nodes, values, strict=True)]
    moved = ComputationGraph(graph.program, nodes, graph.output, dict(graph.names),
                             list(graph.unused_bindings))
    moved.groups = dict(graph.groups)
    return Trace(moved)


def check_pass(record: PassRecord) -> PassCheck:
    """``{"compared", "mismatches", "failed", "torch_rule_only"}`` for one kept pass."""
    return check_built(build_pass_graph(record))


__all__ = ["Built", "Mapped", "build_pass_graph", "check_pass", "pass_trace", "whatif_trace"]
