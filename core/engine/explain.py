"""The sentences under each step, kept as a key plus arguments so the GUI can translate.

``Explanation.key`` picks a template; ``args`` fill it. :func:`render` gives English;
the GUI looks the same key up in its translated table and falls back to English.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np

from core.ops import OPS
from core.ops.index import TEXTS, grad_fn_of


@dataclass(frozen=True)
class Explanation:
    key: str
    args: dict = field(default_factory=dict)
    #: further sentences, each an Explanation of its own
    more: tuple = ()


_STATIC: dict[str, str] = {
    # forward pass
    "forward": "Forward pass: compute {target} from values that are already known.",
    "forward.output": "Forward pass: this is the output. Its value, {value}, is what the "
                      "backward pass differentiates.",
    "forward.nonfinite": "Careful: the result is {value} — {warning}.",
    "forward.grad_fn": "PyTorch keeps how {target} was made: its grad_fn is {grad_fn}, "
                       "which the backward pass calls to send the gradient on to its inputs.",
    # local gradients
    "local": "Local gradient: how much {target} changes when {source} changes, "
             "with every other input held fixed.",
    # edges the backward pass skips, told at the local phase as the lesson does
    "unneeded.data": "{source} is data: {edge} is not needed — nothing updates {source}.",
    "unneeded.constant": "{source} is a constant: {edge} is not needed — nothing updates "
                         "{source}.",
    "unneeded.computed": "{source} depends on no parameter: {edge} is not needed — nothing "
                         "it comes from is updated.",
    "local.vjp": "Local rule: {target} mixes many entries of {source}, so there is no single "
                 "number here. G stands for ∂{output}/∂{target_b}: the gradient that will "
                 "arrive at {target} from the steps after it. The rule turns G into the "
                 "gradient of {source}, and shows the shapes it maps between.",
    # each op's why.<op> sentence and its short rule.<op> (a quiz hint) are in its entry
    "rule.forward": "apply the operation to the values already known",
    "rule.chain": "chain rule: the gradient from above times the local gradient",
    "rule.chain.fork": "chain rule, once per use: add the {count} products",
    "rule.update": "gradient descent: the value minus lr times the gradient",
    # backward pass
    "backward.seed": "The backward pass starts at the output with ∂{output}/∂{output} = 1.",
    "backward": "Chain rule: multiply the gradient arriving from {consumer} by this edge's "
                "local gradient.",
    "backward.vjp": "Chain rule through {consumer}: its gradient G = ∂{output}/∂{consumer_b} "
                    "is known now; {consumer}'s local rule turns G into ∂{output}/∂{target_b}, "
                    "which has the same shape as {target}.",
    "backward.fork": "{target} is used {count} times, so its gradient is the sum of "
                     "{count} contributions: gradients add up where a value is used twice.",
    "backward.broadcast": "⊙ then Σ: {target} was broadcast to a vector, so the "
                          "element-wise products are summed back to its shape.",
    "backward.parameter": "{target} is a parameter: this is the gradient an optimiser "
                          "uses to update it.",
    # gradient descent
    "update": "Gradient descent: move {target} against its gradient, by the learning rate "
              "{lr} times the gradient. The next iteration starts from this value.",
    "update.accumulated": "zero_grad() was forgotten, so {target}.grad still holds the earlier "
                          "passes' gradients: the update uses {now} + {left} = {total}.",
    # a training script's update phase: the optimizer's own rule, with the row's numbers
    "update.sgd": "optimizer.step() with torch.optim.SGD: move {target} against its .grad "
                  "({grad}) by the learning rate {lr}. The next iteration starts from the "
                  "new value.",
    "update.momentum": "optimizer.step() with SGD and momentum {momentum}: the buffer b "
                       "keeps a running sum of the gradients (b ← μ · b + .grad), and "
                       "{target} moves against b by the learning rate {lr}.",
    "update.adam": "optimizer.step() with torch.optim.Adam, step {step}: m and v are running "
                   "averages of the gradient and of its square; m_hat and v_hat correct their "
                   "start at zero, and {target} moves by lr · m_hat / (√v_hat + ε) with lr = {lr}.",
    "update.manual": "The script's own update, under torch.no_grad(): {target} changes in "
                     "place, using its .grad ({grad}).",
    "update.grad_accumulated": ".grad was not zeroed, so it still holds the earlier "
                               "passes' gradients ({left}): the update uses {total}.",
    # nothing to differentiate
    "none.local": "No parameter reaches {output}, so there are no local gradients to "
                  "compute. Make a value a parameter (param(…)) to see this phase.",
    "none.backward": "No parameter reaches {output}, so there is no gradient to "
                     "propagate back. Make a value a parameter (param(…)) to see this phase.",
}



_OPS_AFTER = "local.vjp"


class _Templates(Mapping[str, str]):
    """The sentences above, then every op's ``why.<op>`` and ``rule.<op>``, read from the
    op entries as they are now (an op registered later is explained too)."""

    def __getitem__(self, key: str) -> str:
        found = _STATIC.get(key)
        return TEXTS[key] if found is None else found

    def __contains__(self, key: object) -> bool:
        return key in _STATIC or key in TEXTS

    def __iter__(self) -> Iterator[str]:
        # in the order the translation file lists them: the first lessons' ops (those
        # with a rule) after the local-step sentences, the later ops' at the end
        rules = [key for key in TEXTS if key.startswith("rule.")]
        ruled = {"why." + key.removeprefix("rule.") for key in rules}
        for key in _STATIC:
            yield key
            if key == _OPS_AFTER:
                yield from (k for k in TEXTS if k in ruled)
                yield from rules
        yield from (k for k in TEXTS if k.startswith("why.") and k not in ruled)

    def __len__(self) -> int:
        return sum(1 for _ in self)


TEMPLATES: Mapping[str, str] = _Templates()

#: at most this many not-needed edges are listed (a big graph has thousands)
MAX_UNNEEDED = 200


def _bracketed(node) -> str:
    return node.label if node.atomic else f"({node.label})"


def unneeded_edges(graph, consumer: int | None = None) -> list[tuple[int, int, int]]:
    """Edges (source, consumer, position) into an op the backward pass visits, from an
    input it skips (data, a constant, or a value no parameter reaches): the dashed ones."""
    relevant = graph.relevant
    consumers = range(len(graph.nodes)) if consumer is None else (consumer,)
    edges = []
    for c in consumers:
        node = graph.nodes[c]
        if node.kind != "operation" or not relevant[c]:
            continue
        edges += [(s, c, p) for p, s in enumerate(node.inputs) if not relevant[s]]
        if len(edges) >= MAX_UNNEEDED:
            return edges[:MAX_UNNEEDED]
    return edges


def unneeded(graph, edge: tuple[int, int, int]) -> Explanation:
    """Why an edge from :func:`unneeded_edges` gets no gradient: "x is data: …"."""
    source, consumer = graph.nodes[edge[0]], graph.nodes[edge[1]]
    kind = source.kind if source.kind in ("data", "constant") else "computed"
    return Explanation(f"unneeded.{kind}", {
        "source": source.label,
        "edge": f"∂{_bracketed(consumer)}/∂{_bracketed(source)}"})


def grad_fn_name(graph, node) -> str | None:
    """The grad_fn torch gives ``node``'s result, as the op's registry entry names it
    (core.ops.grad_fn_of: ``MulBackward0``; ``2 - x`` RsubBackward1), the operands' ranks
    and order as core.checks.torch_check builds them; None for a result that needs no
    gradient (torch makes none) or an op whose entry does not say."""
    if node.kind != "operation" or not graph.needs_grad[node.id]:
        return None
    entry = OPS[node.op]
    first = graph.nodes[node.inputs[0]] if node.inputs else None
    number_first = (first is not None and first.kind == "constant" and not first.integer
                    and np.ndim(first.value) == 0
                    and not (entry.tensor_args or entry.reduction))
    ndims = tuple(np.ndim(graph.nodes[i].value) for i in node.inputs)
    return grad_fn_of(node.op, node.attrs, ndims, number_first)


def grad_fn_sentence(graph, node) -> Explanation | None:
    """"PyTorch keeps how y_hat was made: its grad_fn is MulBackward0, …", or None."""
    name = grad_fn_name(graph, node)
    return Explanation("forward.grad_fn", {"target": node.label, "grad_fn": name}) \
        if name else None


def render(explanation: Explanation, templates: dict[str, str] | None = None) -> str:
    """The explanation as text; ``templates`` replaces the English ones key by key."""
    table = templates or {}
    parts = [explanation, *explanation.more]
    return " ".join(table.get(e.key, TEMPLATES[e.key]).format(**e.args) for e in parts)
