"""Gradient descent in the window: iterations, their history, and the PyTorch check.

Part of the one model: :class:`gui.state.model.StepperModel` owns a :class:`TrainingState` as
``model.training``. An iteration is the lesson's last sentence made concrete: take the
update steps of the current trace (``w ← w − lr · ∂loss/∂w``), make the new values the
parameters' bindings, and build the next forward and backward pass. One click (or one
"train N") is one undoable command. Every iteration since the run started is checked
against ``torch.optim.SGD`` in the PyTorch worker process, never on the GUI thread.

A run starts afresh (history and ``.grad`` emptied) whenever anything but an iteration
changes the program, or the learning rate or the zero_grad setting changes.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QUndoCommand

from core.engine.trace import Trace
from core.engine.training import Iteration, check_learning_rate, descend
from core.io.session import Session
from core.language.parser import ExpressionError
from gui.state.model import Program, StepperModel, build
from gui.state.pass_rows import PassRow, apply_numbers, kept_numbers, summary_rows
from gui.state.torch_service import TorchService

#: "train N" runs on the GUI thread (each iteration is one small trace): keep N sane
MAX_TRAIN = 1000


@dataclass
class _Snapshot:
    program: Program
    accumulated: dict[str, np.ndarray]
    history: list[Iteration] = field(default_factory=list)
    run_start: Program | None = None
    #: where the stepper stands once this is restored (None: keep the position)
    position: int | None = None


class _Relay(QObject):
    """Carries a kept passes' reader's numbers to the GUI thread."""

    numbers = Signal(object, object)  # recording, {pass: numbers}


class TrainingState(QObject):
    historyChanged = Signal()  # the history was replaced: redraw it all
    iterationsAdded = Signal(int)  # new iterations from this index on: append them
    torchChanged = Signal()  # ✓/✗ per iteration arrived (or the check failed)
    settingsChanged = Signal()  # learning rate or forget-zero_grad

    def __init__(self, model: StepperModel):
        super().__init__(model)
        self.model = model
        self.history: list[Iteration] = []
        #: the program when the run's first iteration was taken (PyTorch starts there)
        self.run_start: Program | None = None
        self.forget_zero_grad = False
        self.torch_error: str | None = None
        self._request_id: int | None = None
        #: the recording whose passes are the history (a recorded run on screen)
        self._rows_for = None
        self._reading = False  # the kept passes are being read and checked
        self._relay = _Relay()
        self._relay.numbers.connect(self._numbers_read, Qt.ConnectionType.QueuedConnection)
        model.traceReplaced.connect(self._trace_replaced)
        TorchService.instance().reportReady.connect(self._on_answer)

    def attach_run(self, run) -> None:
        """A recorded run's passes become the history (gui.state.assemble)."""
        run.passChanged.connect(self._trace_replaced)

    # ---- reading
    @property
    def learning_rate(self) -> float | None:
        return self.model.learning_rate

    @property
    def losses(self) -> list[float]:
        return [it.loss for it in self.history]

    @property
    def checking(self) -> bool:
        if self.recorded:
            return self._reading
        return self._request_id is not None

    @property
    def script(self) -> bool:
        """Whether a script is on screen (its own loop trains, not this panel): what a run
        recorded (a pass, or the forward ops of a script that never called backward())."""
        return self.recorded or self.model.trace.recorded_by is not None

    @property
    def recorded(self) -> bool:
        """A pass of a recorded run is chosen (on screen, or only its summary)."""
        run = self.model.run
        return bool(run is not None and run.count
                    and (run.on_screen or run.summary_only is not None))

    @property
    def loop(self):
        """Who numbers the iterations on screen: the recorded run (gui.state.run_state), or
        None."""
        return self.model.run if self.recorded else None

    def current_pass(self) -> tuple[float | None, dict[str, np.ndarray]]:
        """The loss and parameter values of the trace on screen (the next iteration)."""
        graph = self.model.trace.graph
        output = np.asarray(graph.output_node.value)
        loss = float(output.reshape(())) if output.size == 1 else None
        return loss, {n.name: n.value for n in graph.parameters}

    # ---- settings
    def set_learning_rate(self, learning_rate: float | None) -> None:
        """None turns the update phase off; a bad number raises ExpressionError."""
        if learning_rate is not None:
            learning_rate = check_learning_rate(learning_rate)
        if learning_rate != self.model.learning_rate:
            self.model.set_learning_rate(learning_rate)  # a new run (see _trace_replaced)
            self.settingsChanged.emit()

    def set_forget_zero_grad(self, on: bool) -> None:
        on = bool(on)
        if on == self.forget_zero_grad:
            return
        self.forget_zero_grad = on
        if self.model.accumulated:
            self.model.set_program(self.model.program)  # .grad emptied: a new run
        else:
            self._reset()
        self.settingsChanged.emit()

    # ---- iterating
    def iterate(self, count: int = 1) -> None:
        """Take ``count`` gradient-descent steps as one undoable change.

        Raises ExpressionError when there is no learning rate, nothing to train, or the
        count is out of range.
        """
        model = self.model
        lr = model.learning_rate
        if lr is None:
            raise ExpressionError("set a learning rate first", where="learning rate")
        if not 1 <= count <= MAX_TRAIN:
            raise ExpressionError(f"train 1 to {MAX_TRAIN} iterations at a time",
                                  where="iterations")
        program, accumulated = model.program, dict(model.accumulated)
        new: list[Iteration] = []
        steps = descend(program.text, program.bindings, lr, count, self.forget_zero_grad,
                        accumulated, model.trace, len(self.history) + 1)
        for it, bindings, left, _trace in steps:
            new.append(it)
            program, accumulated = Program(program.text, bindings), left
        after_trace = build(program, lr, accumulated)
        before = _Snapshot(model.program, dict(model.accumulated), list(self.history),
                           self.run_start, model.position)
        # the new pass starts at its first step: the learner walks it again, step by step
        after = _Snapshot(program, accumulated, self.history + new,
                          self.run_start or model.program,
                          after_trace.phase_starts.get("forward", 0))
        text = (self.tr("Next iteration") if count == 1
                else self.tr("Train {0} iterations").format(count))
        model.undo_stack.push(IterationCommand(self, before, after, model.trace, after_trace,
                                               text))

    def _restore(self, snapshot: _Snapshot, trace: Trace) -> None:
        grew = len(snapshot.history) > len(self.history) and all(
            a is b for a, b in zip(snapshot.history, self.history, strict=False))
        first_new = len(self.history)
        self.history = list(snapshot.history)
        self.run_start = snapshot.run_start
        self.model.accumulated = dict(snapshot.accumulated)
        self.model.set_program(snapshot.program, position=snapshot.position, trace=trace,
                               iteration=True)
        if grew:
            self.iterationsAdded.emit(first_new)
        else:
            self.historyChanged.emit()
        self._check_with_torch()

    def _trace_replaced(self) -> None:
        if self.recorded:  # a recorded run: a row per backward() call
            recording = self.model.run.recording
            if recording is not self._rows_for:
                self._show_recording(recording)
            return
        self._rows_for = None
        if not self.model.iteration_change:
            self._reset()

    def _show_recording(self, recording) -> None:
        """The summaries at once; the kept passes' numbers when a worker has read them."""
        self._request_id, self.run_start, self.torch_error = None, None, None
        self._rows_for = recording
        self.history = summary_rows(recording)
        self._reading = any(row.kept for row in self.history)
        self.historyChanged.emit()
        if self._reading:
            threading.Thread(target=self._read_kept, args=(recording,),
                             name="training-rows", daemon=True).start()

    def _read_kept(self, recording) -> None:  # a worker
        try:
            numbers = kept_numbers(recording)
        except Exception:  # noqa: BLE001 - the rows stay summaries
            numbers = {}
        self._relay.numbers.emit(recording, numbers)

    def _numbers_read(self, recording, numbers: dict) -> None:
        if recording is not self._rows_for:
            return  # another run since
        self._reading = False
        rows: list[PassRow] = self.history
        apply_numbers(rows, numbers)
        self.historyChanged.emit()

    def _reset(self) -> None:
        self._request_id = None
        self.torch_error = None
        if self.history or self.run_start is not None:
            self.history = []
            self.run_start = None
        self.historyChanged.emit()

    # ---- PyTorch, in the worker process
    def _check_with_torch(self) -> None:
        if not self.history or all(it.torch_match is not None for it in self.history):
            self._request_id = None
            self.torchChanged.emit()
            return
        start = self.run_start or self.model.program
        request = {
            "session": Session(start.text, dict(start.bindings)).to_dict(),
            "learning_rate": self.model.learning_rate,
            "iterations": len(self.history),
            "forget_zero_grad": self.forget_zero_grad,
        }
        self._request_id = TorchService.instance().ask("train", request)
        self.torch_error = None
        self.torchChanged.emit()

    def _on_answer(self, request_id: int, answer: dict) -> None:
        if request_id != self._request_id:
            return
        self._request_id = None
        if "failure" in answer:
            self.torch_error = answer["failure"]
        else:
            result = answer["training"]
            self.torch_error = result.get("error")
            matches, losses = result["torch_match"], result["losses"]
            for it, match, loss in zip(self.history, matches, losses, strict=False):
                it.torch_match = None if match is None else bool(
                    match and np.isclose(it.loss, loss, rtol=1e-9, atol=1e-12, equal_nan=True))
        self.torchChanged.emit()


class IterationCommand(QUndoCommand):
    """Iterations as one undoable change: program, leftover .grad and history together."""

    def __init__(self, training: TrainingState, before: _Snapshot, after: _Snapshot,
                 before_trace: Trace, after_trace: Trace, text: str):
        super().__init__(text)
        self.training = training
        self.before, self.after = before, after
        self.before_trace, self.after_trace = before_trace, after_trace

    def redo(self) -> None:
        self.training._restore(self.after, self.after_trace)

    def undo(self) -> None:
        self.training._restore(self.before, self.before_trace)
