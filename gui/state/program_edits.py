"""What the window's model (gui.state.model) does to a program: build it, compare two,
drop bindings it no longer uses, and push a change as one undoable command.

A script (core.engine.build.is_script) is never built here: its trace is "Run to record"
(gui.state.blank_trace) until Run records it.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QUndoCommand

from core.engine import build as engine
from core.engine.trace import Trace
from core.language.parser import ExpressionError, parse
from core.language.program import Program
from gui.state.blank_trace import BlankTrace

#: programs of about this many operations or more build in a worker thread (issue 6):
#: ~2,000 nodes take ~50 ms to build but ~200 ms or more with everything the window
#: does with a new trace; smaller programs stay synchronous
ASYNC_OPERATIONS = 2000


def size_estimate(text: str) -> int:
    """A cheap guess of a program's operations before parsing it: its lines or its
    operator signs and calls, whichever are more (one statement per line, or one long
    expression)."""
    return max(text.count("\n"), sum(text.count(sign) for sign in "+-*/@("))


def build(program: Program, learning_rate: float | None = None,
          accumulated: dict[str, np.ndarray] | None = None) -> Trace:
    """The trace of a program; raises ExpressionError for bad text or a bad value.

    A learning rate adds the update phase; ``accumulated`` is what ``.grad`` still holds
    from earlier iterations when zero_grad is forgotten (see gui.state.training_state).
    A script is not built and nothing runs it: "Run to record" stands for its graph.
    """
    if engine.is_script(program.text):
        return BlankTrace(program.text)
    return engine.build(program.text, program.bindings, learning_rate=learning_rate,
                        accumulated=accumulated)


def same_values(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> bool:
    return a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)


def used_only(program: Program, trace: Trace) -> Program:
    """Drop bindings the program does not use (a name removed from the text)."""
    unused = set(trace.graph.unused_bindings)
    if not unused:
        return program
    return Program(program.text, {k: v for k, v in program.bindings.items() if k not in unused},
                   program.draws)


def changed_declarations(old_text: str, new_text: str) -> list[str]:
    """Names whose declaration (``x = 2.0``, ``w = param(1.0)``) is new or different."""
    try:
        new = parse(new_text).declared
    except ExpressionError:
        return []  # try_change reports the error
    try:
        old = parse(old_text).declared
    except ExpressionError:
        old = {}
    changed = []
    for name, declare in new.items():
        before = old.get(name)
        if before is None or before.role != declare.role \
                or np.shape(before.value) != np.shape(declare.value) \
                or not np.array_equal(before.value, declare.value):
            changed.append(name)
    return changed


def same_program(a: Program, b: Program) -> bool:
    if a.text != b.text or a.bindings.keys() != b.bindings.keys():
        return False
    return all(a.bindings[k].role == b.bindings[k].role
               and np.shape(a.bindings[k].value) == np.shape(b.bindings[k].value)
               and np.array_equal(a.bindings[k].value, b.bindings[k].value)
               for k in a.bindings)


class ProgramCommand(QUndoCommand):
    """Swap one program for another; both traces are kept so undo/redo cost nothing.

    A new text (Apply, or undoing one) starts at step 0: a position of the old program
    would show the new one's gradients before the learner stepped to them (issue 24). A
    value or role edit keeps the position, to see what the change did there."""

    def __init__(self, model, after: Program, after_trace: Trace, text: str):
        super().__init__(text)
        self.model = model
        self.before, self.before_trace = model.program, model.trace
        self.after, self.after_trace = after, after_trace
        self.position = 0 if self.before.text != self.after.text else None

    def redo(self) -> None:
        self.model.set_program(self.after, position=self.position, trace=self.after_trace)

    def undo(self) -> None:
        self.model.set_program(self.before, position=self.position, trace=self.before_trace)
