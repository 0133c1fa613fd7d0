"""A program as every caller holds it: its text plus the values given to its names.

The one class named ``Program``. What the parser reads from the text is
:class:`core.language.ParsedProgram`; the window's Apply, undo and variables table
change a ``Program``, and sessions store one.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

import numpy as np

#: what a bound value is (issue 18: Binding and ROLES live with Program, below the graph,
#: which imports and re-exports them; core.program imports nothing from the engine)
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
    #: a training script's drawn numbers (nn.Linear's initial weights, torch.randn), in
    #: the order it draws them: given back without torch (core.draws), saved in sessions
    draws: tuple = field(default=(), compare=False)


#: statements the ast path never reads: a text holding one is a script (issue 20 §4)
_SCRIPT_NODES = (ast.For, ast.While, ast.FunctionDef, ast.ClassDef, ast.If, ast.With,
                 ast.AsyncFor, ast.AsyncFunctionDef, ast.AsyncWith)
#: the only imports the ast path reads (core.language.MODULES)
_AST_IMPORTS = frozenset({"torch", "torch.nn", "torch.nn.functional"})


def is_script(text: str) -> bool:
    """Whether ``text`` is a script, run as Python only by Run (or ``--run``), never by
    Apply: it holds a def, class, for, while, if or with, or imports anything but torch,
    torch.nn and torch.nn.functional. The one place this is decided; text that does not
    parse is not a script (Apply reports its error at its line)."""
    try:
        tree = ast.parse(text.removeprefix("\ufeff"))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    for node in tree.body:
        if isinstance(node, _SCRIPT_NODES) or isinstance(node, ast.ImportFrom):
            return True
        if isinstance(node, ast.Import) and any(a.name not in _AST_IMPORTS for a in node.names):
            return True
    return False
