"""``torch_rule``: a recorded call the registry has no entry for (``F.conv2d``, ``clamp``).

A script run with real torch (core/record) may call anything. Such a call becomes one
node carrying torch's numbers: its forward value and, per input, the gradient torch's
backward sent to that input for the recorded upstream gradient. The app never invents
its rule, so this entry has no forward, no local gradient and no forward-mode rule:
What if and forward mode are unavailable on a pass holding one (the trace says why).
"""

from __future__ import annotations

import numpy as np

from core.ops.base import VJP, op

#: why What if / forward mode are off on a pass that holds a torch_rule node
UNAVAILABLE = "it holds {call}, whose rule only torch knows: its numbers are torch's, " \
              "recorded for this pass"


def _no_forward(*inputs, **attrs):
    raise ValueError(UNAVAILABLE.format(call=attrs.get("call", "a call")))


def _torch_vjp(upstream, inputs, out, attrs, position):
    """Torch's own contribution to input ``position``, as recorded (zero when torch sent
    none: an input that needs no gradient)."""
    grads = attrs.get("grads") or ()
    grad = grads[position] if position < len(grads) else None
    if grad is None:
        return np.zeros_like(np.asarray(inputs[position], dtype=np.float64))[()]
    return grad


op(
    key="torch_rule", symbol="torch", arity=1, kind=VJP,
    forward=_no_forward,
    vjp_rule=_torch_vjp,
    text="torch({0:bare})", local_text=("torch's rule",),
    code="{0}",
    torch=lambda t, *a: (_ for _ in ()).throw(ValueError("torch's rule has no twin")),
    rule_text=lambda shapes, attrs, position: "torch's rule for " + attrs.get("call", "the call")
    + ": {G} ↦ torch's recorded gradient",
    description="a call the registry does not know, with torch's recorded numbers",
    why="Torch computed this node and its backward; the app shows torch's numbers and "
        "does not invent the rule.",
)
