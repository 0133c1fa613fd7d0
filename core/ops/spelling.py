"""How an op is written in a program: its torch signature, held by the op's entry.

A :class:`Spelling` lists the call's parameters in torch's order, so that
:mod:`core.language.calls` can bind ``F.conv2d(x, w, stride=2)`` as Python binds it, read each
argument by its kind and hand the op its attributes, without a branch per op.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

#: argument kinds: a whole number or a pair of them; the same or None; a whole number;
#: a number; True/False; one of a few words
PAIR, PAIR_OR_NONE, INT, NUMBER, BOOL, WORD = "pair", "pair?", "int", "number", "bool", "word"


@dataclass(frozen=True)
class Spelling:
    """One call: the op it makes, its tensor parameters and its other parameters."""

    key: str
    #: tensor parameters every call gives (nodes of the graph)
    tensors: tuple[str, ...]
    #: tensor parameters a call may leave out (conv2d's bias)
    optional: tuple[str, ...] = ()
    #: (name, kind, default) after the tensors, in torch's order; a default of None
    #: with a kind other than PAIR_OR_NONE marks a required parameter
    params: tuple[tuple[str, str, object], ...] = ()
    #: WORD parameters: the words each takes
    words: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: (call name, attrs) -> a message for an argument torch refuses or that is not
    #: supported here, else None; it may drop attrs the op does not keep (inplace=False)
    check: Callable[[str, dict], str | None] | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return (*self.tensors, *self.optional, *(p[0] for p in self.params))


def number_arg(value) -> str:
    """An int or a pair as the learner wrote it: 2, (2, 1)."""
    if isinstance(value, tuple):
        return f"({value[0]}, {value[1]})"
    return str(value)
