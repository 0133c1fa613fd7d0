"""A program as every caller holds it: its text plus the values given to its names.

The one class named ``Program``. What the parser reads from the text is
:class:`core.language.parser.ParsedProgram`; the window's Apply, undo and variables table
change a ``Program``, and sessions store one. Whether its text is a script is decided
in core/engine/build.py (``is_script``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

#: what a bound value is (issue 18: Binding and ROLES live with Program, below the graph,
#: which imports and re-exports them; core.language.program imports nothing from the engine)
ROLES = ("data", "parameter")


@dataclass(frozen=True)
class Binding:
    """A value given from outside the text (variables table, ``--input``/``--param``)."""

    role: str
    value: np.ndarray

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}, not {self.role!r}")


@dataclass(frozen=True)
class Program:
    """Text plus the values given to it: what Apply and the variables table change."""

    text: str
    bindings: dict[str, Binding]
    #: the numbers a session's script drew when the retired whitelist interpreter ran it
    #: (nn.Linear's initial weights): nothing reads them now; kept so the session saves as it
    #: loaded
    draws: tuple = field(default=(), compare=False)
