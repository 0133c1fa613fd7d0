"""The sentences under each step, kept as a key plus arguments so the GUI can translate.

``Explanation.key`` picks a template; ``args`` fill it. :func:`render` gives English;
the GUI looks the same key up in its translated table and falls back to English.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.ops import OPS


@dataclass(frozen=True)
class Explanation:
    key: str
    args: dict = field(default_factory=dict)
    #: further sentences, each an Explanation of its own
    more: tuple = ()


TEMPLATES: dict[str, str] = {
    # forward pass
    "forward": "Forward pass: compute {target} from values that are already known.",
    "forward.output": "Forward pass: this is the output. Its value, {value}, is what the "
                      "backward pass differentiates.",
    "forward.nonfinite": "Careful: the result is {value} — {warning}.",
    # local gradients
    "local": "Local gradient: how much {target} changes when {source} changes, "
             "with every other input held fixed.",
    "local.vjp": "Local rule: {target} mixes many entries of {source}, so there is no single "
                 "number here; the rule says how a gradient G arriving at {target} becomes "
                 "the gradient of {source}, with the shapes it maps between.",
    "why.add": "A sum changes one-for-one with each of its terms.",
    "why.sub": "A difference changes one-for-one with the first term and against the second.",
    "why.mul": "The derivative of a product with respect to one factor is the other factor.",
    "why.div": "Quotient rule: 1/b for the numerator, −a/b² for the denominator.",
    "why.neg": "Negation flips the sign of every change.",
    "why.powc": "Power rule: the derivative of xᵏ is k · xᵏ⁻¹.",
    "why.pow": "Power rule for the base; for the exponent, aᵇ · log(a).",
    "why.exp": "exp is its own derivative.",
    "why.log": "The derivative of log(x) is 1/x.",
    "why.sqrt": "The derivative of √x is 1/(2√x); at 0 it is infinite.",
    "why.sin": "The derivative of sin is cos.",
    "why.cos": "The derivative of cos is −sin.",
    "why.tanh": "The derivative of tanh is 1 − tanh², computed from the output.",
    "why.sigmoid": "The derivative of σ is σ · (1 − σ), computed from the output.",
    "why.relu": "relu passes the change through where its input is positive and blocks "
                "it elsewhere (at exactly 0 it blocks, as PyTorch does).",
    "why.abs": "|x| changes with the sign of x (0 at x = 0, as PyTorch does).",
    "why.maximum": "Only the larger input moves the result; a tie splits the gradient "
                   "in half, as PyTorch does.",
    "why.minimum": "Only the smaller input moves the result; a tie splits the gradient "
                   "in half, as PyTorch does.",
    "why.sum": "Every entry adds to the sum one-for-one.",
    "why.mean": "Every entry moves the mean by 1/n of its change.",
    "why.max": "Only the largest entry moves the result (ties share it evenly).",
    "why.min": "Only the smallest entry moves the result (ties share it evenly).",
    # backward pass
    "backward.seed": "The backward pass starts at the output with ∂{output}/∂{output} = 1.",
    "backward": "Chain rule: multiply the gradient arriving from {consumer} by this edge's "
                "local gradient.",
    "backward.vjp": "Chain rule through {consumer}: its rule, as written above, takes the "
                    "gradient arriving from {consumer} and gives {target}'s, in {target}'s "
                    "shape.",
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
    # nothing to differentiate
    "none.local": "No parameter reaches {output}, so there are no local gradients to "
                  "compute. Make a value a parameter (param(…)) to see this phase.",
    "none.backward": "No parameter reaches {output}, so there is no gradient to "
                     "propagate back. Make a value a parameter (param(…)) to see this phase.",
}


# an op added for tensors keeps its why-sentence in its own registry entry
TEMPLATES.update({f"why.{key}": entry.why for key, entry in OPS.items()
                  if entry.why and f"why.{key}" not in TEMPLATES})


def render(explanation: Explanation, templates: dict[str, str] | None = None) -> str:
    """The explanation as text; ``templates`` replaces the English ones key by key."""
    table = templates or {}
    parts = [explanation, *explanation.more]
    return " ".join(table.get(e.key, TEMPLATES[e.key]).format(**e.args) for e in parts)
