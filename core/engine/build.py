"""The one way in: text and the values given to its names → a :class:`core.engine.trace.Trace`.

The command line (core/io/cli.py), the window's model (gui/state/model.py) and the torch
worker (core/io/worker.py) all build through :func:`build`, and "is this a script?" is
decided here, once (:func:`is_script`): a script is run as Python only by Run or
``--run`` (core/record), never here: :func:`build` refuses one (:class:`ScriptText`).
Straight-line programs are read by the safe ast path and never run as Python.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping

import numpy as np

from core.base.errors import ExpressionError
from core.engine.graph import Binding
from core.engine.trace import Trace, build_trace

#: statements the ast path never reads: a text holding one is a script (issue 20 §4)
_SCRIPT_NODES = (ast.For, ast.While, ast.FunctionDef, ast.ClassDef, ast.If, ast.With,
                 ast.AsyncFor, ast.AsyncFunctionDef, ast.AsyncWith)
#: the only imports the ast path reads (core.language.parser.MODULES)
_AST_IMPORTS = frozenset({"torch", "torch.nn", "torch.nn.functional"})
#: a script holds one of these words; a text without any is not one (no parsing needed:
#: a 50,000-line program is parsed once, by the ast path, not twice)
_SCRIPT_WORDS = re.compile(r"\b(for|while|def|class|if|with|async|import|from)\b")


class ScriptText(ExpressionError):
    """The text is a script: the ast path does not read it, and nothing here runs it
    (Run, or ``--run FILE``, runs it as Python and records what PyTorch did)."""


def is_script(text: str) -> bool:
    """Whether ``text`` is a script, run as Python only by Run (or ``--run``), never by
    Apply: it holds a def, class, for, while, if or with, or imports anything but torch,
    torch.nn and torch.nn.functional. The one place this is decided; text that does not
    parse is not a script (Apply reports its error at its line)."""
    if not _SCRIPT_WORDS.search(text):
        return False
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


def build(text: str, bindings: Mapping[str, Binding] | None = None, *,
          learning_rate: float | None = None,
          accumulated: Mapping[str, np.ndarray] | None = None) -> Trace:
    """The trace of the straight-line program ``text`` with ``bindings``; raises
    ExpressionError for bad text or a bad value, and :class:`ScriptText` for a script.

    A learning rate adds the update phase; ``accumulated`` is what ``.grad`` still holds
    when zero_grad is forgotten.
    """
    if is_script(text):
        raise ScriptText("this text is a script (def, class, for, while, if or with, or an "
                         "import other than torch): Run runs it as Python",
                         hint="Run (Ctrl+R), or --run FILE on the command line")
    return build_trace(text, bindings, learning_rate, accumulated)
