"""A training script in the window: which iteration is on screen, its PyTorch check,
and the numbers torch draws for it.

Part of the one model (``model.script``, attached by :mod:`gui.state.assemble`). The
trace on screen carries the run and the iteration (:func:`core.loop_trace.iteration_trace`),
so undo, redo and opening a session need nothing from here; this state moves between
iterations, asks the PyTorch worker to check the run (``{"script": …}``) and, when the
script draws (nn.Linear, torch.randn) and no saved numbers fit, asks it for the numbers
first (``{"draw": …}``): the GUI process never imports torch.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QObject, Signal

from core.base.errors import ExpressionError
from core.base.values import to_json_value
from core.language.program import Program
from core.loop_trace import DrawsNeeded, iteration_trace
from gui.state.torch_service import TorchService


class ScriptState(QObject):
    #: a new run, or another iteration of it, is on screen
    changed = Signal()
    #: the worker's check of the run arrived (``report``), or failed (``torch_error``)
    checked = Signal()
    #: True while the worker draws the initial numbers
    drawingChanged = Signal(bool)

    def __init__(self, model):
        super().__init__(model)
        self.model = model
        #: the worker's answer for the run on screen: {"rows", "printed", "code", …}
        self.report: dict | None = None
        self.torch_error: str | None = None
        self._checked_run = None
        self._check_id: int | None = None
        self._draw_id: int | None = None
        self._after_draw: tuple[Program, Callable[[Program], None]] | None = None
        self._drawn: dict[str, str | None] = {}  # text → the worker's error when it drew
        self._traces: dict[int, object] = {}
        model.traceReplaced.connect(self._trace_replaced)
        TorchService.instance().reportReady.connect(self._on_answer)

    # ---- reading
    @property
    def run(self):
        """The script run on screen (None for a straight-line program)."""
        return self.model.trace.script_run

    @property
    def iteration(self) -> int:
        return self.model.trace.iteration

    @property
    def count(self) -> int:
        run = self.run
        return len(run.rows) if run is not None else 0

    @property
    def checking(self) -> bool:
        return self._check_id is not None

    @property
    def drawing(self) -> bool:
        return self._draw_id is not None

    # ---- moving between iterations
    def goto_iteration(self, k: int, position: int = 0) -> bool:
        """Iteration ``k`` (1-based) on screen at ``position`` (its step 0 by default)."""
        run = self.run
        if run is None:
            return False
        k = max(1, min(int(k), len(run.rows)))
        if k == self.iteration:
            self.model.goto(position)
            return True
        trace = self._traces.get(k)
        if trace is None:
            trace = iteration_trace(run, k)
        self.model.set_program(self.model.program, position=position, trace=trace,
                               iteration=True)
        return True

    def step_iteration(self, delta: int) -> bool:
        return self.goto_iteration(self.iteration + delta) if self.run is not None else False

    def _trace_replaced(self) -> None:
        run = self.run
        if run is None:
            self._traces = {}
            if self._checked_run is not None:
                self._checked_run, self.report, self._check_id = None, None, None
                self.changed.emit()
            return
        if run is not self._checked_run:
            self._traces = {}
            self._checked_run = run
            self._check()
        self._traces[self.iteration] = self.model.trace
        self._drawn.pop(self.model.program.text, None)  # the drawn numbers fitted
        if run.error is not None and self.model.error is not run.error:
            self.model.set_error(run.error)  # at its line; the iterations before it stay
        self.changed.emit()

    # ---- PyTorch, in the worker process
    def _check(self) -> None:
        program = self.model.program
        self.report, self.torch_error = None, None
        for row in self.run.rows:
            row.torch_match = None
        self._check_id = TorchService.instance().ask(
            "script", {"text": program.text, "draws": [to_json_value(v) for v in program.draws]})
        self.checked.emit()

    def draw_then(self, program: Program, done: Callable[[Program], None]) -> None:
        """Ask the worker for the numbers ``program`` draws, then ``done(program + draws)``.

        The request goes before any check under way (that one is sent again after)."""
        if program.text in self._drawn:  # the worker drew once and it still does not fit
            error = self._drawn.pop(program.text)
            self.model.set_error(ExpressionError(self.tr(
                "PyTorch could not draw the initial numbers: {0}").format(
                    error or self.tr("they do not fit the script"))))
            return
        self._after_draw = (program, done)
        self._draw_id = TorchService.instance().ask("draw", {"text": program.text})
        self.drawingChanged.emit(True)

    def _on_answer(self, request_id: int, answer: dict) -> None:
        if request_id == self._draw_id:
            self._drawn_answer(answer)
        elif request_id == self._check_id:
            self._check_id = None
            if "failure" in answer:
                self.torch_error = answer["failure"]
            else:
                self.report = answer["script"]
                self.torch_error = None if self.report.get("available") else \
                    self.report.get("error")
                rows = self.run.rows if self.run is not None else []
                for row, checked in zip(rows, self.report.get("rows", []), strict=False):
                    row.torch_match = checked.get("torch_match")
            self.checked.emit()
            training = getattr(self.model, "training", None)
            if training is not None:
                training.torchChanged.emit()

    def _drawn_answer(self, answer: dict) -> None:
        self._draw_id = None
        program, done = self._after_draw
        self._after_draw = None
        self.drawingChanged.emit(False)
        if "failure" in answer:
            self.model.set_error(ExpressionError(self.tr(
                "PyTorch could not draw the initial numbers: {0}").format(answer["failure"])))
            return
        drawn = answer["draw"]
        self._drawn[program.text] = drawn.get("error")
        draws = tuple(np.asarray(v, dtype=np.float64)[()] for v in drawn.get("draws", []))
        try:
            done(Program(program.text, program.bindings, draws))
        except DrawsNeeded:
            self.draw_then(program, done)  # reports that the numbers do not fit
