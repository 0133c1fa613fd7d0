"""Names from the code for intermediate results too long to write out (issue 24):
beginners read ``model.0(X)`` and ``tanh(model.0(X))``, or ``+ in out`` (the ``+`` of
the line ``out = …``), where the graph used to say ``+#8`` and ``tanh(+#8)``.

Pure functions over ``core.engine.graph.Node``s, used by ``core.engine.graph`` as it labels nodes.
"""

from __future__ import annotations

#: a node's label longer than this is replaced by a name from the code
MAX_LABEL = 32


def linear_call(node, nodes) -> str | None:
    """``model.0(X)`` for the sum that ends an nn.Linear, ``(X @ P.weightᵀ) + P.bias``
    (``F.linear``, as a script records it): the call as the script wrote it."""
    if node.op != "add" or len(node.inputs) != 2:
        return None
    first, second = (nodes[i] for i in node.inputs)
    for product, bias in ((first, second), (second, first)):
        if not (bias.name or "").endswith(".bias") or product.op != "matmul":
            continue
        prefix = bias.name[: -len(".bias")]
        x, weight = (nodes[i] for i in product.inputs)
        if weight.op == "transpose" and nodes[weight.inputs[0]].name == f"{prefix}.weight":
            return f"{prefix}({x.label})"
    return None


def code_name(node, nodes, symbol: str, owner: str | None) -> str:
    """A short label for ``node`` whose expression is too long: the module call that
    computed it, else its operator in the line's target (``+ in out``), else the
    operator and the node's number as before."""
    call = linear_call(node, nodes)
    if call is not None and len(call) <= MAX_LABEL:
        return call
    if owner is not None and len(owner) + len(symbol) + 4 <= MAX_LABEL:
        return f"{symbol} in {owner}"
    return f"{symbol}#{node.id}"
