"""A program as every caller holds it: its text plus the values given to its names.

The one class named ``Program``. What the parser reads from the text is
:class:`core.language.ParsedProgram`; the window's Apply, undo and variables table
change a ``Program``, and sessions store one. Whether its text is a script is decided
in core/build.py (``is_script``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.graph import Binding


@dataclass(frozen=True)
class Program:
    """Text plus the values given to it: what Apply and the variables table change."""

    text: str
    bindings: dict[str, Binding]
    #: a training script's drawn numbers (nn.Linear's initial weights, torch.randn), in
    #: the order it draws them: given back without torch (core.draws), saved in sessions
    draws: tuple = field(default=(), compare=False)
