"""The Variables table's own rows: names added before the program uses them.

A program's inputs are the graph's data and parameter nodes (``StepperModel.variables``).
Writing a new program goes the other way: the learner adds ``x`` (data, 1) in the table,
or clicks the one-click fix that adds every unknown name of a failed Apply, and then the
program uses it. Until then the row is *pending*: kept here, given to every Apply as an
extra binding, and dropped from here once the program uses it (it is a real row then).
Pending rows are not part of the undo history or a saved session.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable

import numpy as np
from PySide6.QtCore import QObject, Signal

from core.engine.graph import Binding
from core.language.parser import RESERVED, ExpressionError, parse_number
from gui.state.model import Program, StepperModel

#: names that are usually parameters: the one-click fix guesses the role by them (the
#: table changes it with a double-click)
PARAMETER_NAME = re.compile(r"(w|b|weights?|bias|theta)(\d+|_\w*)?")
MAX_NAME = 100


def guess_role(name: str) -> str:
    return "parameter" if PARAMETER_NAME.fullmatch(name) else "data"


def check_name(name: str) -> str:
    """A variable name typed in the table: a plain Python name the language allows."""
    name = (name or "").strip()
    if not name.isidentifier() or keyword.iskeyword(name) or name in RESERVED \
            or len(name) > MAX_NAME:
        raise ExpressionError(f"'{name[:MAX_NAME]}' cannot be a variable name", where="name",
                              hint="use letters, digits and _, as in x or w_1")
    return name


class VariablesState(QObject):
    changed = Signal()  # the pending rows changed

    def __init__(self, model: StepperModel):
        super().__init__(model)
        self.model = model
        #: name → binding added in the table before the program uses it, in order
        self.pending: dict[str, Binding] = {}
        model.traceReplaced.connect(self._trace_replaced)

    def rows(self) -> list[tuple[str, str, object]]:
        """(name, role, value) of each pending row, after the program's own."""
        return [(name, b.role, b.value) for name, b in self.pending.items()]

    # ---- intent
    def apply(self, text: str) -> bool:
        """Apply ``text`` with the pending rows as extra bindings."""
        return self.model.apply_text(text, dict(self.pending))

    def add_unknown(self, names: Iterable[str], text: str) -> bool:
        """The one-click fix for unknown names: each becomes a row (role guessed from its
        name, value 1), then ``text`` is applied again."""
        used = self.model.program.bindings
        for name in names:
            if name not in self.pending and name not in used:
                self.pending[name] = Binding(guess_role(name), np.float64(1.0))
        self.changed.emit()
        return self.apply(text)

    def add(self, name: str, role: str = "data", value: object = 1.0) -> str:
        """A row typed in the table; raises ExpressionError for a bad or taken name."""
        name = check_name(name)
        if name in self.pending or any(n == name for n, _, _ in self.model.variables()):
            raise ExpressionError(f"{name} is already a variable", where="name")
        self.pending[name] = Binding(role, np.asarray(value, np.float64)[()])
        self.changed.emit()
        return name

    def edit(self, name: str, role: str | None = None, text: str | None = None) -> bool:
        """A role or a value typed into a pending row (a value is read, never evaluated)."""
        binding = self.pending.get(name)
        if binding is None:
            return False
        value = binding.value
        if text is not None:
            try:
                value = parse_number(text, name)
            except ExpressionError as error:
                self.model.set_error(error)
                return False
        role = role if role in ("data", "parameter") else binding.role
        self.pending[name] = Binding(role, value)
        self.changed.emit()
        return True

    def remove(self, name: str) -> bool:
        """Remove a row: a pending row goes; a value the table gives to a name the
        program also declares goes back to the declaration. A name that only the table
        defines stays, since the program needs it: ExpressionError says so."""
        if name in self.pending:
            del self.pending[name]
            self.changed.emit()
            return True
        model = self.model
        if name not in model.program.bindings:
            raise ExpressionError(f"{name} is declared in the program: change it there",
                                  where="name")
        program = Program(model.program.text,
                          {k: v for k, v in model.program.bindings.items() if k != name})
        try:
            model.build(program)
        except ExpressionError:
            raise ExpressionError(f"the program uses {name}: take it out of the program "
                                  "first", where="name") from None
        return model.try_change(program, self.tr("Remove {0}").format(name))

    # ---- model → rows
    def _trace_replaced(self) -> None:
        used = set(self.model.program.bindings)
        if used & set(self.pending):  # in use now: a real row of the table
            self.pending = {k: v for k, v in self.pending.items() if k not in used}
            self.changed.emit()
