"""A big program built in a worker thread, for the window's model (gui.state.model).

A mixin of :class:`gui.state.model.StepperModel` (it uses the model's signals, learning
rate, preparers and undo stack): ``buildingChanged(True)`` at the start, the old trace
stays steppable, and the result is pushed as an undoable change on the GUI thread when it
arrives. A newer change (another Apply, undo, opening a file) supersedes a build still
running.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from core.base.cancel import Cancelled, Token, cancellable
from core.base.memory import OutOfMemory, release_memory
from core.engine.trace import Trace
from core.language.parser import ExpressionError
from core.language.program import Program
from gui.state.program_edits import ProgramCommand, build, same_program, used_only


class _BuildSignals(QObject):
    """Carries a worker thread's result back to the GUI thread (a queued connection)."""

    done = Signal(int, object, str, object)  # job id, Program, description, Trace | error


class BackgroundBuild:
    """The worker-thread build of :class:`gui.state.model.StepperModel`."""

    def _init_background_build(self) -> None:
        #: the build in a worker thread that counts (older ones are ignored when they end)
        self._build_id = 0
        self._building: str | None = None  # the program text being built
        self._build_signals: dict[int, _BuildSignals] = {}
        self._build_token = Token()  # the running build's (core.base.cancel)

    @property
    def building(self) -> bool:
        """True while a big program is being built in a worker thread."""
        return self._building is not None

    @property
    def building_text(self) -> str | None:
        """The text of the program being built in a worker thread, if any."""
        return self._building

    def cancel_build(self) -> None:
        """Stop the build running in a worker thread: it raises core.base.cancel.Cancelled at
        its next op and drops its arrays (a late result would be ignored anyway)."""
        if self._building is None:
            return
        self._build_token.cancel()
        self._build_id += 1
        self._building = None
        self.buildingChanged.emit(False)

    def _start_build(self, text: str, make_program: Callable[[], Program],
                     description: str) -> None:
        """Build in a worker thread; ``make_program`` runs there too (it may parse)."""
        self._build_token.cancel()  # a newer program supersedes the one being built
        self._build_id += 1
        job_id = self._build_id
        token = self._build_token = Token()
        # what set_program would use: this learning rate, .grad emptied (a new run)
        learning_rate = self.learning_rate
        jobs = [make() for make in self.preparers]
        signals = _BuildSignals()  # no parent: the thread keeps it alive while it runs
        signals.done.connect(self._build_done)
        self._build_signals[job_id] = signals

        def run() -> None:
            program = trace = None
            cancelled = False
            try:
                with cancellable(token):
                    program = make_program()
                    trace = build(program, learning_rate, {})
                    for job in jobs:
                        token.check()
                        job(trace)
                result: object = trace
            except Cancelled:  # superseded: nobody waits for it
                cancelled = True
            except ExpressionError as error:
                result = error
            except MemoryError:  # a message, not a bug; dropping it frees what it held
                result = OutOfMemory()
            except Exception as error:  # noqa: BLE001 - raised again on the GUI thread
                result = error
            if cancelled:  # out of the except block, its frames' arrays are gone: the GUI
                # thread gives them back (_build_done). A gc.collect() here, in this thread,
                # once deadlocked with the GUI thread: finalising Qt wrappers off the GUI
                # thread waits for a lock the GUI thread holds while it waits for the GIL
                program = trace = result = None
            signals.done.emit(job_id, program, description, result)

        self._building = text
        self.buildingChanged.emit(True)  # again for a newer program: its size may differ
        threading.Thread(target=run, name=f"build-trace-{job_id}", daemon=True).start()

    def _build_done(self, job_id: int, program: Program, description: str, result) -> None:
        self._build_signals.pop(job_id, None)
        if job_id != self._build_id or self._building is None:
            if result is None:  # cancelled: what it held goes back to the system
                release_memory()
            return  # superseded
        self._building = None
        self.buildingChanged.emit(False)
        if isinstance(result, ExpressionError):
            if isinstance(result, OutOfMemory):
                release_memory()
            self.set_error(result)
            self._set_out_of_date(True)
            return
        if isinstance(result, BaseException):
            raise result  # a bug: as loud as it would be on the GUI thread
        trace: Trace = result
        program = used_only(program, trace)
        if same_program(program, self.program):
            self.set_error(None)
            return
        self.undo_stack.push(ProgramCommand(self, program, trace, description))
