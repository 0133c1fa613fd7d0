"""The passes of a recorded run (a mixin of :class:`gui.state.run_state.RunState`):
choosing one, turning it into a trace in a worker thread, what the script had printed at
the step on screen, and a session's saved recording (core.record.saved).

Kept traces are few (``CACHE``): a trace holds float64 copies of a pass's tensors.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from core.base.errors import ExpressionError
from core.language.program import Program
from gui.state.blank_trace import BlankTrace
from gui.state.run_output import bytes_at, field, text_until, trim_traceback

translate = QCoreApplication.translate
#: kept traces of passes (a trace holds float64 copies of a pass's tensors)
CACHE = 3


def limit_text(error: dict) -> str:
    """A run that a limit of Run → Preferences stopped, in the learner's words (the
    recorder says "TimeLimit: stopped after 4 s"); "" for anything else."""
    message = error.get("message", "")
    if error.get("type") == "TimeLimit":
        return translate("RunState", "The time limit stopped the script ({0}); Run → "
                                     "Preferences sets the limit.").format(message)
    if error.get("type") == "MemoryLimit":
        return translate("RunState", "The memory limit stopped the script ({0}); Run → "
                                     "Preferences sets the limit.").format(message)
    return ""

class PassesMixin:
    """Needs the RunState's signals (passChanged, finished), model, recording, result,
    _traces, _request, _after_pass, _relay, _lock, _progress, _losses."""

    # ---- what the script printed
    def output_at(self) -> str:
        """What the script had printed at the step on screen: all of it at the end of the
        run, less while a pass is stepped back, so no answer shows early."""
        text = self.output_text()
        if not self.on_screen:
            return "" if self._opening else text
        k = self._shown_key if self._shown_key is not None else self.model.trace.recorded_pass
        _trace, record = self._traces.get(k, (None, None))
        if record is None:
            return text
        last = k == self.last_kept or not k or k == -self.last_kept_group
        whole = len(text.encode("utf-8")) if last else None
        return text_until(text, bytes_at(self.model.trace, record, self.model.position, whole))

    def error_text(self) -> str:
        """The traceback of a script that raised, trimmed to the learner's own frames, or
        the message of a limit that stopped it; "" when it ended normally."""
        result = self.result
        if result is None or result.status == "ok":
            return ""
        error = result.error or {}
        if error.get("type") in ("TimeLimit", "MemoryLimit", "Signal") or result.status == \
                "stopped":
            return limit_text(error) or error.get("message") or translate("RunState",
                                                                          "Stopped.")
        traceback = self._traceback()
        if not traceback:
            traceback = "\n".join(line.rstrip("\n") for line in result.stderr_lines)
        return trim_traceback(traceback, self.path)

    def _traceback(self) -> str:
        """Python's traceback as the child wrote it into the recording, if it did."""
        exit_ = getattr(self.recording, "exit", None) or {}
        text = exit_.get("traceback") if isinstance(exit_, dict) else None
        return text if isinstance(text, str) else ""

    # ---- passes
    def goto_pass(self, k: int, position: int = 0, then: Callable | None = None) -> bool:
        """Pass ``k`` (from 1) on screen at ``position`` (-1: its end). A pass kept only as
        a summary is chosen (``summary_only``) and the window offers to run again."""
        if not self.count:
            return False
        k = max(1, min(int(k), self.count))
        summary = self.recording.passes[k - 1]
        if not field(summary, "kept", True):
            self.summary_only = k
            self.passChanged.emit()
            if then is not None:
                then()
            return True
        self.summary_only = None
        self._forget_groups()
        if k in self._traces:
            self._show(k, position)
            if then is not None:
                then()
            return True
        self._request_trace(k, position, then)
        return True

    def _request_trace(self, k: int, position: int, then: Callable | None) -> None:
        """Pass ``k``'s trace made in a worker (``-k``: a forward-only recording's group
        k; 0: its one forward file, as recordings made before groups have)."""
        self._request += 1
        request, recording = self._request, self.recording
        self._after_pass = (position, then)
        jobs = [make() for make in self.preparers]
        threading.Thread(target=self._build_pass, args=(request, recording, k, jobs),
                         name=f"pass-trace-{k}", daemon=True).start()

    def step_pass(self, delta: int) -> bool:
        """The pass ``delta`` away; False past the first or the last (it stays: the
        last pass's next went back to that pass's own start)."""
        k = self.iteration + delta
        return self.goto_pass(k) if self.count and 1 <= k <= self.count else False

    #: the names the iteration selector and Ctrl+] / Ctrl+[ call (as a training script's)
    def goto_iteration(self, k: int, position: int = 0) -> bool:
        return self.goto_pass(k, position)

    def step_iteration(self, delta: int) -> bool:
        return self.step_pass(delta)

    def _build_pass(self, request: int, recording, k: int, jobs) -> None:  # a worker
        trace = record = problem = None
        try:
            from core.record.check import check_built
            from core.record.to_trace import pass_trace

            record = recording.load_pass(k) if k > 0 else recording.load_group(-k) if k \
                else recording.load_forward()
            if record is not None:
                trace = pass_trace(record)
                trace.context.check = check_built(trace.recorded)  # the PyTorch panel's ✓ or ✗
                for job in jobs:
                    job(trace)
        except Exception as error:  # noqa: BLE001 - said in the window, the run stays
            problem = str(error) or type(error).__name__
        self._relay.passReady.emit(request, k, trace, record, problem)

    def _pass_ready(self, request: int, k: int, trace, record, problem) -> None:
        if request != self._request:
            return  # superseded by another choice
        self._opening = False
        position, then = self._after_pass or (0, None)
        self._after_pass = None
        if trace is None:
            self.problem = problem or translate("RunState", "pass {0} was not kept").format(
                abs(k))
            if k > 0:
                self.summary_only = k
                self.passChanged.emit()
            elif k < 0:
                self.group = self.group_summary_only = -k
                self.passChanged.emit()
            else:
                self._show_blank()
        else:
            trace.context.shown_pass, trace.context.shown_by = max(k, 0), self
            self._traces[k] = (trace, record)
            while len(self._traces) > CACHE:
                self._traces.popitem(last=False)
            self._show(k, position)
        if then is not None:
            then()

    def _show(self, k: int, position: int) -> None:
        trace, _record = self._traces[k]
        self._traces.move_to_end(k)
        self._shown_key = k
        if k < 0:
            self.group, self.group_summary_only = -k, None
        position = len(trace) if position < 0 else position
        self.model.set_program(Program(self.document_text(), {}), position=position,
                               trace=trace)
        self._mark_error()
        self.passChanged.emit()

    def _show_blank(self) -> None:
        """No pass to step (no backward(), or the script stopped before one)."""
        self._shown_key, self._opening = None, False
        self.model.set_program(Program(self.document_text(), {}), position=0,
                               trace=BlankTrace(self.document_text()))
        self._mark_error()
        self.passChanged.emit()

    def _mark_error(self) -> None:
        """The script raised: its line marked in the editor (what ran before stays)."""
        result = self.result
        error = (result.error or {}) if result is not None else {}
        if result is None or result.status == "ok" or not error:
            return
        line = error.get("line")
        said = limit_text(error)  # a limit stopped it: said as such, not as an error type
        self.model.set_error(ExpressionError(
            said or f"{error.get('type', 'Error')}: {error.get('message', '')}".strip(),
            line=line if isinstance(line, int) and line > 0 and not said else None,
            column=1))
        if self.stale:
            self.model._set_out_of_date(True)

    # ---- sessions (core.record.saved): a recording saved with the script, opened again
    def saved(self) -> dict | None:
        """The recording as a session keeps it (None: none, or the text changed since):
        the pass on screen first, then the last, the first three."""
        make = self.saved_later()
        return make() if make is not None else None

    def saved_later(self) -> Callable[[], dict] | None:
        """:meth:`saved` as a function a worker thread calls (File → Save, in
        gui.state.session_save: a CNN's recording takes seconds); which passes, in which
        order, is read now, on the GUI thread. None when there is no recording to save."""
        result, recording = self.result, self.recording
        if result is None or recording is None or self.stale or self._run is not None:
            return None
        from functools import partial

        from core.record.saved import saved_recording

        shown = [self.iteration] if self.iteration else []
        first = [p.index for p in recording.passes[:3]]
        rest = [p.index for p in recording.passes if p.kept]
        order = list(dict.fromkeys(shown + [self.last_kept] + first + rest))
        return partial(saved_recording, result.record_dir, result, order)

    def saved_json(self) -> str | None:
        """:meth:`saved` as JSON text for the autosave (gui.window.recovery), made once per
        run in a worker thread (a CNN's takes seconds), whichever pass is on screen; None
        while it is being made (``saving``), or when there is none."""
        result = self.result
        if result is None or self.recording is None or self.stale or self._run is not None:
            return None
        cached = self._saved_text
        if cached is not None and cached[0] is result:
            return cached[1]
        if self._saving is not result:
            self._saving = result
            recording = self.recording
            order = list(dict.fromkeys([self.last_kept] + [p.index for p in recording.passes
                                                            if p.kept]))
            threading.Thread(target=self._make_saved, args=(result, order), daemon=True,
                             name="saved-recording").start()
        return None

    @property
    def saving(self) -> bool:
        """The recording's JSON for the autosave is being made."""
        cached = self._saved_text
        return self._saving is not None and (cached is None or cached[0] is not self._saving)

    def _make_saved(self, result, order: list[int]) -> None:  # a worker
        import json

        from core.record.saved import saved_recording

        try:
            text = json.dumps(saved_recording(result.record_dir, result, order))
        except Exception:  # noqa: BLE001 - its folder went (another run): no recording saved
            text = None
        self._saved_text = (result, text)

    def adopt(self, text: str, data: dict, k: int = 0, position: int = 0) -> None:
        """Show a session's saved recording (nothing runs): pass ``k`` at ``position``,
        or the end of the run. Raises core.record.recording.RecordError for a bad one."""
        from core.record.saved import restore_recording

        self.close_document()
        folder = Path(tempfile.mkdtemp(prefix="saved-", dir=self._own_folder()))
        result, recording = restore_recording(data, folder)
        self.text, self.result, self.recording = text, result, recording
        self._elapsed, self._opening = result.elapsed_s, True
        losses = [p.loss for p in recording.passes]
        with self._lock:
            self._losses = losses
            self._progress = {"passes": len(losses), "loss": losses[-1] if losses else None,
                              "forward": recording.forward_nodes}
        kept = 1 <= k <= self.count and recording.passes[k - 1].kept
        if kept:
            self.goto_pass(k, position)
        elif self.last_kept:
            self.goto_pass(self.last_kept, -1)
        elif 1 <= k <= self.group_count and recording.groups[k - 1].kept:
            self.goto_group(k, position)
        elif self.last_kept_group:
            self.goto_group(self.last_kept_group, -1)
        elif getattr(recording, "forward_file", None):
            self._request_trace(0, position, None)
        else:
            self._show_blank()
        if self.summary_only is not None or self.group_summary_only:
            self._opening = False  # a pass kept only as a summary: no step is on screen
        self.opened.emit()

    def _own_folder(self) -> str:
        if self._folder is None:
            self._folder = tempfile.TemporaryDirectory(prefix="backprop-stepper-script-")
        return self._folder.name

