"""Our own answer for a node: the backward step's rule written as an answer expression.

"Show answer" gives this text. It is the explanation's rule (one term per use of the
node, in the order the backward pass adds them, summed back over broadcast axes) in the
answer language, so typing it back is graded right: the tests check that on every
example. ``d_loss * (2 * s)`` for the lesson's s, ``X.T @ d_z`` for W, and for level 2
the fused ``d_loss * (torch.softmax(z, dim=1) - F.one_hot(y, 3)) / 4``.
"""

from __future__ import annotations

import json
import keyword
import unicodedata

import numpy as np

from core.engine.graph import ComputationGraph, Operand
from core.ops import OPS

_MATMUL = {  # by the operands' ranks
    (1, 1): ("{G} * {1}", "{G} * {0}"),
    (1, 2): ("{1} @ {G}", "{0}.unsqueeze(1) * {G}"),
    (2, 1): ("{G}.unsqueeze(1) * {1}", "{0}.T @ {G}"),
    (2, 2): ("{G} @ {1}.T", "{0}.T @ {G}"),
}
_RESHAPES = ("reshape", "view", "flatten", "unsqueeze", "squeeze")


def name_ok(name: str | None) -> bool:
    """A name answers can use: ``w``, or a module's ``model.weight``; and one Python reads
    back as itself (``Aᵀ`` is an identifier, but read as ``AT``)."""
    return bool(name) and all(part.isidentifier() and not keyword.iskeyword(part)
                              for part in name.split(".")) \
        and unicodedata.normalize("NFKC", name) == name


def value_text(graph: ComputationGraph, node_id: int, depth: int = 0) -> Operand:
    """A node as the answer language writes its value: its name, or its expression."""
    node = graph.nodes[node_id]
    if name_ok(node.name):
        return Operand(node.name, True)
    if node.name:  # model.0.weight, c@1
        return Operand("value(" + json.dumps(typed(node.name), ensure_ascii=False) + ")", True)
    if node.kind != "operation" or depth > 30:
        value = np.asarray(node.value, dtype=np.float64)
        if value.ndim == 0:
            text = repr(float(value)) if np.isfinite(value) else "float('nan')"
            return Operand(text.removesuffix(".0"), not text.startswith("-"))
        return Operand(f"torch.tensor({value.tolist()!r})", True)
    entry = OPS[node.op]
    operands = [value_text(graph, i, depth + 1) for i in node.inputs]
    code = entry.code_for(node.attrs)
    k = node.k
    exponent = "" if k is None else (str(int(k)) if float(k).is_integer() else repr(float(k)))
    if k is not None and k < 0:
        exponent = f"({exponent})"
    text = code.format(*operands, k=exponent)
    atomic = (code.startswith(("torch.", "F.", "{0}.")) or code.endswith(")")) \
        and "@" not in code and " " not in code.replace(", ", ",")
    return Operand(text, atomic or text.isidentifier())


#: the labels' symbols as a keyboard types them: grad("(w * X) - Y") finds (w · X) − Y
TYPED = {"−": "-", "·": "*", "²": "**2", "³": "**3", "ᵀ": ".T", "×": "*", "σ(": "sigmoid("}


def typed(label: str) -> str:
    """A label as it can be typed on any keyboard."""
    for symbol, text in TYPED.items():
        label = label.replace(symbol, text)
    return label


def grad_text(graph: ComputationGraph, node_id: int) -> str:
    """``d_s``, or ``grad("c@1")`` for a node whose label is not a name."""
    node = graph.nodes[node_id]
    if name_ok(node.name):
        return f"d_{node.name}"
    return "grad(" + json.dumps(typed(node.name or node.label), ensure_ascii=False) + ")"


def term_text(graph: ComputationGraph, source: int, consumer: int, position: int
              ) -> str | None:
    """One contribution ``source`` gets through ``consumer``'s operand ``position``, in
    the node's shape; None for an op with no rule written here."""
    user = graph.nodes[consumer]
    entry = OPS[user.op]
    shapes = [np.shape(graph.nodes[i].value) for i in user.inputs]
    template = _template(user, shapes, position)
    if template is None:
        return None
    operands = [value_text(graph, i) for i in user.inputs]
    out = value_text(graph, consumer)
    attrs = user.attrs
    dim = attrs.get("dim")
    d = dim if dim is not None else -1
    first = shapes[0]
    fill = {"G": Operand(grad_text(graph, consumer), True), "out": out, "d": d,
            "n": entry.n_for(tuple(graph.nodes[i].value for i in user.inputs), attrs),
            "C": first[-1] if first else 1, "last": max(len(first) - 1, 0),
            "shape": shapes[position]}
    if "dims" in attrs:
        fill["d0"], fill["d1"] = attrs["dims"]
    text = template.format(*operands, **fill)
    product = np.shape(user.value) if entry.elementwise else shapes[position]
    return summed(text, tuple(product), shapes[position])


def has_rule(graph: ComputationGraph, contributions) -> bool:
    """Whether every term of a node's gradient can be written in the answer language
    (cheap: the templates only, no text built)."""
    for c in contributions:
        user = graph.nodes[c.consumer]
        if user.op not in OPS:
            return False
        shapes = [np.shape(graph.nodes[i].value) for i in user.inputs]
        if _template(user, shapes, c.position) is None:
            return False
    return True


def _template(user, shapes, position: int) -> str | None:
    op = user.op
    attrs = user.attrs
    if op == "powc":
        k = float(attrs["k"])
        if k == 0:
            return "{G} * 0"
        if k == 1:
            return "{G}"
        lead = str(int(k)) if k.is_integer() else repr(k)
        power = k - 1
        exponent = str(int(power)) if power.is_integer() else repr(power)
        if power < 0:
            exponent = f"({exponent})"
        return f"{{G}} * ({lead} * {{0}} ** {exponent})" if power != 1 else \
            f"{{G}} * ({lead} * {{0}})"
    if op == "matmul":
        ranks = (len(shapes[0]), len(shapes[1]))
        return _MATMUL.get(ranks, (None, None))[position]
    if op in _RESHAPES:
        shape = shapes[position]
        return "{G}.reshape(" + (", ".join(str(s) for s in shape) if shape else "()") + ")"
    if op in ("sum", "mean", "max", "min"):
        return _reduction_template(op, attrs)
    if op == "conv2d":
        return _conv_template(attrs, shapes, position)
    terms = OPS[op].answer  # element-wise ops and losses: one per operand, in the entry
    if position >= len(terms):
        return None
    return terms[position]


def _conv_template(attrs, shapes, position: int) -> str | None:
    """conv2d's rules as correlations (stride 1, 4-d operands): dW correlates the input
    with G, dX correlates G with the flipped kernel (its channels swapped), db sums G
    over batch, rows and columns. None where this is not written (a stride, dilation)."""
    if any(int(v) != 1 for v in _pair(attrs.get("stride", 1)) + _pair(attrs.get("dilation", 1))) \
            or int(attrs.get("groups", 1)) != 1 or any(len(s) != 4 for s in shapes[:2]):
        return None
    pad = _pair(attrs.get("padding", 0))
    if position == 2:
        return "{G}.sum(0).sum(1).sum(1)"
    if position == 1:
        return "F.conv2d({0}.transpose(0, 1), {G}.transpose(0, 1), padding=" \
            + _pad_text(pad) + ").transpose(0, 1)"
    kernel = shapes[1][2:]
    back = tuple(k - 1 - p for k, p in zip(kernel, pad, strict=True))
    if min(back) < 0:
        return None
    return "F.conv2d({G}, {1}[:, :, ::-1, ::-1].transpose(0, 1), padding=" \
        + _pad_text(back) + ")"


def _pair(value) -> tuple[int, int]:
    return tuple(int(v) for v in value) if isinstance(value, (tuple, list)) else \
        (int(value), int(value))


def _pad_text(pad: tuple[int, int]) -> str:
    return str(pad[0]) if pad[0] == pad[1] else f"({pad[0]}, {pad[1]})"


def _reduction_template(op: str, attrs) -> str:
    dim, keep = attrs.get("dim"), attrs.get("keepdim")
    g = "{G}" if dim is None or keep else f"{{G}}.unsqueeze({dim})"
    if op in ("sum", "mean"):
        text = f"{g} * torch.ones_like({{0:bare}})"
        return text + " / {n}" if op == "mean" else text
    out = "{out}" if dim is None or keep else f"{{out}}.unsqueeze({dim})"
    if dim is None:
        return f"{g} * ({{0}} == {out}) / ({{0}} == {out}).sum()"
    return f"{g} * ({{0}} == {out})"


def summed(text: str, product: tuple, shape: tuple) -> str:
    """The term summed back to the node's shape where the forward pass broadcast it."""
    if product == shape:
        return text
    try:
        if tuple(np.broadcast_shapes(product, shape)) != product:
            return text
    except ValueError:
        return text
    if not shape:
        return f"({text}).sum()"
    text = f"({text})" + ".sum(0)" * (len(product) - len(shape))
    for axis, size in enumerate(shape):
        if size == 1 and product[len(product) - len(shape) + axis] != 1:
            text += f".sum({axis}, keepdim=True)"
    return text


def answer_text(graph: ComputationGraph, node_id: int, contributions) -> str | None:
    """The whole gradient of a node: its terms, added in the backward pass's order."""
    ordered = contributions
    if len(contributions) > 2:
        ordered = sorted(contributions, key=lambda c: (-c.consumer, c.position))
    terms = []
    for c in ordered:
        term = term_text(graph, node_id, c.consumer, c.position)
        if term is None:
            return None
        terms.append(f"({term})" if terms and term.startswith("-") else term)
    return " + ".join(terms)


def fused_text(graph: ComputationGraph, loss: int, logits: int, labels: int) -> str:
    """Level 2: ``(softmax(logits) − onehot) / N`` times the loss's upstream gradient."""
    shape = np.shape(graph.nodes[logits].value)
    n = shape[0] if len(shape) == 2 else 1
    g = grad_text(graph, loss)
    z = value_text(graph, logits)
    y = value_text(graph, labels)
    return (f"{g} * (torch.softmax({z:bare}, dim={len(shape) - 1}) - "
            f"F.one_hot({y:bare}, {shape[-1]})) / {n}")
