"""A script run by the learner's Run: the child process, its live output, and its passes.

Part of the one model (``model.run``, attached by :mod:`gui.state.assemble`). It wraps
:class:`core.record.runner.ScriptRun` (the child process and its limits). Nothing here
blocks the GUI thread:

- the runner's reader threads only append to a buffer under a lock; a timer on the GUI
  thread takes what arrived every ``TICK_MS`` (``outputAdded``, ``progressChanged``), so
  a script that prints a flood costs the window one append per tick;
- a waiter thread waits for the child and reads the recording (``load_recording``);
- a kept pass becomes a trace in a worker thread, when it is chosen, with the canvas's
  layout made there too (gui.state.run_passes: float32 tensors become float64 in a
  trace, so only a few are kept).

The trace on screen carries ``recorded_pass`` (k, from 1) and ``recorded_by`` (this
state), so the model, the panels and undo know it for a recorded pass.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from gui.state.blank_trace import BlankTrace
from gui.state.run_groups import GroupsMixin, GroupSteps
from gui.state.run_passes import PassesMixin

#: how often the live output and the progress line are brought to the window
TICK_MS = 50
#: at most this many lines go into the live console per tick (the rest: "… n lines")
LIVE_LINES = 400


class _Relay(QObject):
    """Carries the worker threads' results to the GUI thread (queued connections)."""

    ended = Signal(int, object, object, object)  # run id, RunResult, Recording, problem
    passReady = Signal(int, int, object, object, object)  # request, k, trace, record, problem


class RunState(PassesMixin, GroupsMixin, QObject):
    #: a run began (the Output pane empties and becomes a live console)
    started = Signal()
    #: lines printed since the last tick, joined with newlines
    outputAdded = Signal(str)
    #: the progress line changed (elapsed time, passes, latest loss)
    progressChanged = Signal()
    #: the run ended and the window shows its end (the last pass at its last step)
    finished = Signal()
    #: another pass was chosen (on screen, or only a summary of it was kept)
    passChanged = Signal()
    #: the text in the editor no longer is the text that was recorded
    staleChanged = Signal(bool)
    #: a session's saved recording was opened (nothing ran): the window shows it as it
    #: shows a run's end (the Output and Plots docks)
    opened = Signal()

    def __init__(self, model):
        super().__init__(model)
        self.model = model
        #: python (None: the app's own), timeout_s, memory_mb (None: the runner's default)
        self.python: str | None = None
        self.timeout_s: float | None = None
        self.memory_mb: int | None = None
        #: made on the GUI thread before a pass is built; each returns a job for the worker
        self.preparers: list[Callable[[], Callable]] = []
        self.text = ""  # the text that was run
        self.path: Path | None = None  # the file that was run
        self.result = None  # core.record.runner.RunResult of the last run
        self.recording = None  # core.record.recording.Recording of the last run
        self.stale = False
        self.problem: str | None = None  # the recording could not be read: why
        self.summary_only: int | None = None  # a chosen pass kept only as a summary
        self._run = None
        self._run_id = 0
        self._request = 0
        self._started_at = 0.0
        self._elapsed = 0.0
        self._lock = threading.Lock()
        self._pending: deque[str] = deque()
        self._dropped_live = 0
        self._progress = {"passes": 0, "loss": None, "forward": 0}
        self._losses: list = []  # each pass's loss, as the progress events said
        self._traces: OrderedDict[int, tuple] = OrderedDict()
        self._folder: tempfile.TemporaryDirectory | None = None  # an unsaved script's
        self._after_pass: tuple | None = None
        self._shown_key: int | None = None  # the cache key of the trace on screen
        #: a session's recording opened, its pass not on screen yet: nothing printed shows
        self._opening = False
        self._saved_text: tuple | None = None  # (the run's result, its recording as JSON)
        self._saving = None  # the result whose recording's JSON a worker makes
        #: a forward-only run's groups, as the iteration box and Ctrl+] / Ctrl+[ pick them
        self.groups = GroupSteps(self)
        self._show_after: int | None = None
        self._copies: list[Path] = []  # edited copies beside an opened file, while it runs
        #: the editor's text now (the window sets it; by default the text that ran)
        self.document_text: Callable[[], str] = lambda: self.text
        self._relay = _Relay()
        self._relay.ended.connect(self._ended, Qt.ConnectionType.QueuedConnection)
        self._relay.passReady.connect(self._pass_ready, Qt.ConnectionType.QueuedConnection)
        self._timer = QTimer(self, interval=TICK_MS)
        self._timer.timeout.connect(self._tick)

    # ---- reading
    def is_running(self) -> bool:
        return self._run is not None

    @property
    def count(self) -> int:
        """Passes recorded (every backward() call), kept or summarised."""
        return len(self.recording.passes) if self.recording is not None else 0

    @property
    def last_kept(self) -> int:
        """The last pass kept whole (the last pass, unless a Stop or a limit ended the run
        before it was written); 0: none."""
        passes = self.recording.passes if self.recording is not None else []
        return next((p.index for p in reversed(passes) if p.kept), 0)

    @property
    def iteration(self) -> int:
        """The pass on screen (from 1), or the summary-only pass chosen; 0: none."""
        if self.summary_only is not None:
            return self.summary_only
        return self.model.trace.recorded_pass if self.on_screen else 0

    @property
    def on_screen(self) -> bool:
        """A pass of this state's recording is the trace on screen."""
        return self.model.trace.recorded_by is self

    def progress(self) -> dict:
        """{"elapsed", "passes", "loss", "forward"} of the run under way (or the last)."""
        with self._lock:
            progress = dict(self._progress)
        progress["elapsed"] = time.monotonic() - self._started_at if self._run else self._elapsed
        return progress

    def output_text(self) -> str:
        """Everything the last run printed (within the output limits)."""
        return self.result.stdout_text if self.result is not None else ""

    # ---- running
    def start(self, text: str, path: str | Path | None = None, keep: tuple = (),
              show: int | None = None) -> bool:
        """Run ``text`` (the file ``path`` when it holds that text, else a copy in a folder
        of its own), keeping the passes ``keep`` whole; when it ends, pass ``show`` is on
        screen at its start (None: the last pass at its end; ``-k``: group k of a
        forward-only run). False when a run is under
        way."""
        if self._run is not None:
            return False
        from core.record.runner import RunLimits, ScriptRun

        script = self._script_file(text, path)
        limits = RunLimits()
        if self.timeout_s:
            limits.timeout_s = float(self.timeout_s)
        if self.memory_mb:
            limits.memory_mb = int(self.memory_mb)
        self._forget_recording()
        self.text, self.path, self.result, self.problem = text, script, None, None
        self._set_stale(False)
        with self._lock:
            self._pending.clear()
            self._dropped_live = 0
            self._progress = {"passes": 0, "loss": None, "forward": 0}
            self._losses = []
        self._run_id += 1
        run_id = self._run_id
        self._show_after = show
        self._run = ScriptRun(script, python=self.python or None, limits=limits,
                              keep_passes=tuple(keep), on_stdout=self._on_stdout,
                              on_progress=self._on_progress)
        self._started_at = time.monotonic()
        self._run.start()
        self._timer.start()
        threading.Thread(target=self._wait, args=(self._run, run_id), name=f"run-wait-{run_id}",
                         daemon=True).start()
        self.started.emit()
        self.progressChanged.emit()
        return True

    #: the name a script with no file of its own runs under: a lesson of ours keeps its
    #: own, so that its traceback names it (it read ".../script.py")
    script_name: str | None = None

    def _script_file(self, text: str, path) -> Path:
        """The file to run: ``path`` when it holds ``text``; edits not saved yet run from a
        hidden copy beside it (its folder is the working folder, so ``./data`` works),
        removed when the run ends; a pasted script from this document's own folder."""
        if path is not None and Path(path).suffix == ".py":
            path = Path(path)
            try:
                if path.read_text(encoding="utf-8") == text:
                    return path
                copy = path.with_name(f".{path.stem}.backprop-stepper-edited.py")
                copy.write_text(text, encoding="utf-8")
                self._copies.append(copy)
                return copy
            except (OSError, UnicodeDecodeError):
                pass  # a folder we cannot write: the document's own folder
        name = path.name if path is not None and path.suffix == ".py" else \
            self.script_name or "script.py"
        script = Path(self._own_folder()) / name
        script.write_text(text, encoding="utf-8")
        return script

    def _remove_copies(self) -> None:
        for copy in self._copies:
            copy.unlink(missing_ok=True)
        self._copies.clear()

    @property
    def folder(self) -> Path | None:
        """The temporary folder an unsaved script runs in (None until one did)."""
        return Path(self._folder.name) if self._folder is not None else None

    def stop(self) -> None:
        """End the script and everything it started (the runner takes at most 1 s, in a
        thread of its own: the window goes on drawing meanwhile)."""
        run = self._run
        if run is not None:
            threading.Thread(target=run.stop, name="run-stop", daemon=True).start()

    def _on_stdout(self, line: str) -> None:  # a reader thread
        with self._lock:
            self._pending.append(line[:-1] if line.endswith("\n") else line)
            if len(self._pending) > LIVE_LINES * 4:  # only the last lines are shown live
                self._pending.popleft()
                self._dropped_live += 1

    def _on_progress(self, event: dict) -> None:  # a reader thread
        with self._lock:
            if event.get("event") == "pass":
                self._progress["passes"] = int(event.get("index") or 0)
                self._progress["loss"] = event.get("loss")
                self._losses.append(event.get("loss"))
            elif event.get("event") == "forward":
                self._progress["forward"] = int(event.get("nodes") or 0)

    def _tick(self) -> None:
        """On the GUI thread: what arrived since the last tick, in one append."""
        with self._lock:
            lines = list(self._pending)
            self._pending.clear()
            dropped, self._dropped_live = self._dropped_live, 0
        if len(lines) > LIVE_LINES:
            dropped += len(lines) - LIVE_LINES
            lines = lines[-LIVE_LINES:]
        if dropped:
            lines.insert(0, self.tr("… {0} more lines (all of them show when the run "
                                    "ends)").format(f"{dropped:,}"))
        if lines:
            self.outputAdded.emit("\n".join(lines))
        self.progressChanged.emit()

    def _wait(self, run, run_id: int) -> None:  # the waiter thread
        result = run.wait()
        recording, problem = None, None
        try:
            from core.record.recording import load_recording

            recording = load_recording(result.record_dir, result)
        except Exception as error:  # noqa: BLE001 - a bad recording is a message, not a crash
            problem = str(error) or type(error).__name__
        self._relay.ended.emit(run_id, result, recording, problem)

    def _ended(self, run_id: int, result, recording, problem) -> None:
        if run_id != self._run_id:
            return
        self._tick()
        self._timer.stop()
        self._remove_copies()
        self._elapsed = getattr(result, "elapsed_s", time.monotonic() - self._started_at)
        self._run = None
        self.result, self.recording, self.problem = result, recording, problem
        self._add_unwritten_passes()
        self.progressChanged.emit()
        if self._show_after is not None and 1 <= self._show_after <= self.count:
            self.goto_pass(self._show_after, position=0, then=self.finished.emit)
        elif self._show_after is not None and 1 <= abs(self._show_after) <= self.group_count:
            # -k: group k; k (--pass K) of a forward-only run: its group k, numbered as passes
            self.goto_group(abs(self._show_after), position=0, then=self.finished.emit)
        elif self.last_kept:  # the end of the run: the last pass at its last step
            self.goto_pass(self.last_kept, position=-1, then=self.finished.emit)
        elif self.last_kept_group:  # no backward(): its last group of forward ops
            self.goto_group(self.last_kept_group, -1, then=self.finished.emit)
        elif recording is not None and getattr(recording, "forward_file", None):
            self._request_trace(0, -1, self.finished.emit)  # no backward(): the forward ops
        else:
            self._show_blank()
            self.finished.emit()

    def _add_unwritten_passes(self) -> None:
        """A run stopped (Stop, a limit) wrote no summary: the passes after the kept ones
        are known from the progress events, and are offered as summaries."""
        recording = self.recording
        if recording is None or len(self._losses) <= len(recording.passes):
            return
        from core.record.recording import PassSummary

        for index in range(len(recording.passes) + 1, len(self._losses) + 1):
            loss = self._losses[index - 1]
            recording.passes.append(PassSummary(
                index, float(loss) if isinstance(loss, (int, float)) else None, False))

    # ---- the document
    def edited(self, text: str) -> None:
        """The editor's text changed: the recording is out of date unless it is the same."""
        if self.result is None and self._run is None:
            return
        self._set_stale(text != self.text)

    def _set_stale(self, on: bool) -> None:
        if on != self.stale:
            self.stale = on
            if self.on_screen or isinstance(self.model.trace, BlankTrace):
                self.model._set_out_of_date(on)
            self.staleChanged.emit(on)

    def _forget_recording(self) -> None:
        """Free the last run's passes and files (a new run, or the document closed)."""
        self._request += 1
        self._traces.clear()
        self.recording, self.summary_only, self._shown_key = None, None, None
        self._opening, self._saved_text, self._saving = False, None, None
        self._forget_groups()
        old = self.result
        self.result = None
        if old is not None and getattr(old, "record_dir", None) is not None:
            shutil.rmtree(old.record_dir, ignore_errors=True)

    def close_document(self) -> None:
        """The document closes: stop its run, free its recording, remove its folder."""
        if self._run is not None:
            self._run_id += 1  # its end is ignored
            self._run.stop()
            self._run.wait(2.0)  # the tree is gone before its folder is (Stop: ≤ 1 s)
            self._run = None
            self._timer.stop()
            self._remove_copies()
        self._forget_recording()
        self.text, self.path, self.stale = "", None, False
        self.script_name = None
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None
