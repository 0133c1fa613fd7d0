"""The one gui-side model: the program, its trace and the position, as Qt signals.

Panels never hold their own copy of the state: they read it from :class:`StepperModel`
when it says something changed, and send intent (next, goto, apply) back to it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from core.base.memory import OutOfMemory, release_memory
from core.engine import build as engine
from core.engine.graph import Binding
from core.engine.trace import PHASES, Step, Stepper, Trace
from core.io.examples import LESSON_TEXT, lesson_bindings
from core.io.session import Session
from core.language.parser import ExpressionError, parse_number
from core.language.program import Program
from gui.state.background_build import BackgroundBuild
from gui.state.blank_trace import BlankTrace
from gui.state.program_edits import (
    ASYNC_OPERATIONS,
    ProgramCommand,
    build,
    changed_declarations,
    same_program,
    same_values,
    size_estimate,
    used_only,
)
from gui.state.undo_memory import UNDO_TRACE_BYTES, trace_bytes, trim_undo_traces  # noqa: F401
from gui.support import gc_timer

SPEEDS = (0.5, 1.0, 2.0, 4.0)  # steps per second while playing
#: the three phases of the lesson (the engine may add an optional "update" phase)
STEP_PHASES = ("forward", "local", "backward")


class StepperModel(QObject, BackgroundBuild):
    """Wraps a core :class:`Stepper`; emits ``traceReplaced`` then ``stepChanged``.

    A big program (:func:`size_estimate` ≥ ``ASYNC_OPERATIONS``) is built in a worker
    thread: ``buildingChanged(True)`` at the start, the old trace stays steppable, and the
    result is pushed as an undoable change on the GUI thread when it arrives. A newer
    change (another Apply, undo, opening a file) supersedes a build still running.
    """

    traceReplaced = Signal()
    stepChanged = Signal(int)
    errorChanged = Signal(object)  # ExpressionError | None
    playingChanged = Signal(bool)
    buildingChanged = Signal(bool)
    #: True after a failed Apply: the graph on screen is the last one that built
    outOfDateChanged = Signal(bool)
    #: Apply was given a script (core.engine.build.is_script): it waits for Run, unbuilt
    scriptApplied = Signal()

    def __init__(self, program: Program | None = None, position: int = 0, parent=None):
        super().__init__(parent)
        gc_timer.install()  # worker threads build: collect garbage on the GUI thread only
        program = program or Program(LESSON_TEXT, lesson_bindings())
        #: off by default: the lesson is the three phases, nine steps
        self.learning_rate: float | None = None
        self.accumulated: dict[str, np.ndarray] = {}
        trace = build(program)
        self.program = used_only(program, trace)
        self.trace = trace
        self.stepper = Stepper(trace, position)
        self.error: ExpressionError | None = None
        self.iteration_change = False  # the last set_program came from a training step
        self._out_of_date = False
        self.speed = 1.0
        self.undo_stack = QUndoStack(self)
        self.undo_stack.indexChanged.connect(self._trim_undo)
        self._init_background_build()
        #: called on the GUI thread when a worker build starts; each returns a function
        #: that the worker calls with the new trace (layout, code: pure work, no widgets)
        self.preparers: list[Callable[[], Callable[[Trace], None]]] = []
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._apply_speed()
        #: the companions (gui.state.training_state, gui.state.quiz_state) import this
        #: module, so whoever makes the model attaches them (gui.state.assemble)
        self.training = self.quiz = self.run = None

    def _trim_undo(self, _index: int = 0) -> None:
        trim_undo_traces(self.undo_stack, self.trace, UNDO_TRACE_BYTES)

    # ---- reading
    @property
    def position(self) -> int:
        return self.stepper.position

    @property
    def length(self) -> int:
        return len(self.trace)

    @property
    def known(self):
        return self.stepper.known

    @property
    def current(self) -> Step | None:
        return self.stepper.current

    @property
    def phase(self) -> str | None:
        return self.trace.phase_at(self.position)

    @property
    def out_of_date(self) -> bool:
        """True after a failed Apply, until a program builds (a fix, or undo)."""
        return self._out_of_date

    def _set_out_of_date(self, on: bool) -> None:
        if on != self._out_of_date:
            self._out_of_date = on
            self.outOfDateChanged.emit(on)

    def session(self, title: str = "") -> Session:
        quiz = self.quiz
        ninja = quiz.ninja_progress() if quiz is not None else None  # issue 23
        return Session(self.program.text, dict(self.program.bindings), self.position, title,
                       {"iteration": self.trace.iteration} if self.trace.context is not None
                       else {}, list(self.program.draws), ninja)

    def variables(self, trace: Trace | None = None) -> list[tuple[str, str, object]]:
        """(name, role, value) of every named input, in the order the graph made them (of
        ``trace``, a What-if's, else this model's)."""
        graph = (trace or self.trace).graph
        rows = []
        for name, node_id in graph.names.items():
            node = graph.nodes[node_id]
            if node.kind in ("data", "parameter") and "@" not in name:
                rows.append((name, node.kind, node.value))
        return rows

    # ---- changing the program
    def build(self, program: Program) -> Trace:
        """The trace of ``program`` with this model's learning rate and leftover .grad."""
        return build(program, self.learning_rate, self.accumulated)

    def _fits(self, trace: Trace) -> bool:
        if trace.recorded_by is not None or trace.blank:
            return True  # a pass a script recorded (gui.state.run_state) is as it ran
        return trace.learning_rate == self.learning_rate \
            and same_values(trace.accumulated, self.accumulated)

    def set_program(self, program: Program, position: int | None = None,
                    trace: Trace | None = None, iteration: bool = False) -> None:
        """Replace the program (already known to build); keep the position if it exists.

        Any change but a training iteration starts training afresh (``.grad`` emptied).
        It supersedes a build still running in a worker thread.
        """
        self.cancel_build()
        self.iteration_change = iteration
        if not iteration:
            self.accumulated = {}
        if trace is None or not self._fits(trace):
            trace = self.build(program)
        keep = self.position if position is None else position
        self.program = used_only(program, trace)
        self.trace = trace
        self.stepper = Stepper(trace, min(keep, len(trace)))
        self.set_error(None)
        self._set_out_of_date(False)
        self.traceReplaced.emit()
        self.stepChanged.emit(self.position)
        if self.position >= self.length:
            self.set_playing(False)

    def try_change(self, program: Program, description: str) -> bool:
        """Build ``program``; on success push it as one undoable change, else show the error.

        A big program builds in a worker thread: True then means "on its way". A script
        is never built: it waits for Run.
        """
        if engine.is_script(program.text):
            return self._apply_script(program.text, description)
        if size_estimate(program.text) >= ASYNC_OPERATIONS:
            self._start_build(program.text, lambda: program, description)
            return True
        self.cancel_build()
        try:
            trace = self.build(program)
        except ExpressionError as error:
            self.set_error(error)
            return False
        except MemoryError:
            trace = None  # said below, once the exception and its frames (arrays) are gone
        if trace is None:
            release_memory()
            self.set_error(OutOfMemory())
            return False
        program = used_only(program, trace)
        if same_program(program, self.program):
            self.set_error(None)
            return True
        self.undo_stack.push(ProgramCommand(self, program, trace, description))
        return True

    def apply_text(self, text: str, extra: dict[str, Binding] | None = None) -> bool:
        """Apply: re-run with new program text (values from the table stay).

        ``extra`` are variables added in the table that the old program did not use.
        A failed Apply makes the graph on screen ``out_of_date``.
        """
        old_text, old_bindings = self.program.text, dict(self.program.bindings)
        old_bindings = {**(extra or {}), **old_bindings}

        def program() -> Program:
            bindings = dict(old_bindings)
            for name in changed_declarations(old_text, text):
                bindings.pop(name, None)  # the line the user just typed wins over the table
            return Program(text, bindings)

        description = self.tr("Apply program")
        if engine.is_script(text):  # never built nor run by Apply: Run runs it (issue 20 §4)
            return self._apply_script(text, description)
        if size_estimate(text) >= ASYNC_OPERATIONS:  # parsing too
            self._start_build(text, program, description)
            return True
        if self.try_change(program(), description):
            return True
        self._set_out_of_date(True)
        return False

    def _apply_script(self, text: str, description: str) -> bool:
        """A script's text: "Run to record" where the graph goes (one undoable change),
        unless its recording, or its "Run to record", is already on screen."""
        self.cancel_build()
        self.set_playing(False)
        self.set_error(None)
        self._set_out_of_date(False)
        shown = self.trace.blank or self.trace.recorded_by
        if not (shown and self.program.text == text):
            program = Program(text, {})
            self.undo_stack.push(ProgramCommand(self, program, BlankTrace(text), description))
        self.scriptApplied.emit()
        return True

    def edit_value(self, name: str, text: str) -> bool:
        """A value typed into the variables table (a number or a comma list, never eval'd)."""
        if self._script_refuses(name):
            return False
        try:
            value = parse_number(text, name)
        except ExpressionError as error:
            self.set_error(error)
            return False
        role = self._role_of(name)
        bindings = dict(self.program.bindings)
        bindings[name] = Binding(role, value)
        return self.try_change(Program(self.program.text, bindings),
                               self.tr("Set {0} = {1}").format(name, text.strip()))

    def edit_role(self, name: str, role: str) -> bool:
        from gui.support.texts import role_title

        value = next((v for n, _, v in self.variables() if n == name), None)
        if self._script_refuses(name) or value is None or role not in ("data", "parameter"):
            return False
        bindings = dict(self.program.bindings)
        bindings[name] = Binding(role, value)
        return self.try_change(Program(self.program.text, bindings),
                               self.tr("Make {0} {1}").format(name, role_title(role)))

    def _script_refuses(self, name: str) -> bool:
        """A script gives its values in its text: the table only shows a recorded pass's
        (What if moves a value, nothing keeps it)."""
        if self.trace.recorded_by is None:
            return False
        self.set_error(ExpressionError(
            self.tr("a script gives {0} its value in its text").format(name), where=name,
            hint=self.tr("change the line that sets it, then Apply")))
        return True

    def _role_of(self, name: str) -> str:
        return next((r for n, r, _ in self.variables() if n == name), "data")

    def replace_document(self, program: Program, position: int | None = None) -> None:
        """Open a session or an example: a new document, not an undoable edit."""
        trace = self.build(program)
        self.set_playing(False)
        self.set_program(program, position=0 if position is None else position, trace=trace)
        self.undo_stack.clear()
        self.undo_stack.setClean()

    def set_learning_rate(self, learning_rate: float | None) -> None:
        """Turn the update phase on (a positive number) or off (None); keeps the position."""
        if learning_rate == self.learning_rate:
            return
        self.learning_rate = learning_rate
        self.set_program(self.program)

    def set_error(self, error: ExpressionError | None) -> None:
        if error is None and self.error is None:
            return
        self.error = error
        self.errorChanged.emit(error)

    # ---- moving
    def goto(self, position: int) -> None:
        before = self.position
        self.stepper.goto(position)
        if self.position != before:
            self.stepChanged.emit(self.position)

    def next(self) -> None:
        self.goto(self.position + 1)

    def previous(self) -> None:
        self.goto(self.position - 1)

    def reset(self) -> None:
        self.goto(0)

    def end(self) -> None:
        self.goto(self.length)

    def goto_phase(self, phase: str) -> None:
        """To the first step of ``phase``: that step done, as if the learner just took it."""
        if phase in PHASES and phase in self.trace.phase_starts:
            self.goto(self.trace.phase_starts[phase])

    # ---- playing
    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    def set_playing(self, on: bool) -> None:
        if on == self.playing:
            return
        if on:
            if self.position >= self.length:
                self.reset()
            self._timer.start()
        else:
            self._timer.stop()
        self.playingChanged.emit(on)

    def toggle_play(self) -> None:
        self.set_playing(not self.playing)

    def set_speed(self, steps_per_second: float) -> None:
        self.speed = float(steps_per_second)
        self._apply_speed()

    def _apply_speed(self) -> None:
        self._timer.setInterval(max(20, round(1000 / self.speed)))

    def _tick(self) -> None:
        self.next()
        if self.position >= self.length:
            self.set_playing(False)
