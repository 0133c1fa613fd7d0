"""A forward-only run's groups (a mixin of :class:`gui.state.run_state.RunState`): a
script that never calls ``backward()`` is recorded as one group of forward ops per
iteration of its outer loop (``forward.groups``, core/record/bootstrap.py). The iteration
box and Ctrl+] / Ctrl+[ pick a group (:class:`GroupSteps`), which is stepped forward;
no gradients were asked for, so it has no backward phase.

A group's trace is cached beside the passes' under the key ``-k`` (a pass is ``k``, the
older single forward file ``0``); ``recorded_pass`` stays 0 on a group's trace, so the
panels that number passes see none.
"""

from __future__ import annotations

from collections.abc import Callable

from gui.state.run_output import field


class GroupSteps:
    """The iteration source (gui.panels.training.iteration_selector) of a forward-only
    run: its groups numbered from 1, as passes are."""

    #: the selector says "Iteration", not "Pass": a group is one turn of the script's loop
    groups = True

    def __init__(self, runs):
        self.runs = runs

    @property
    def count(self) -> int:
        return self.runs.group_count

    @property
    def iteration(self) -> int:
        return self.runs.group

    def goto_iteration(self, k: int, position: int = 0) -> bool:
        return self.runs.goto_group(k, position)

    def step_iteration(self, delta: int) -> bool:
        k = self.runs.group + delta  # (False past either end: it stays)
        return self.runs.goto_group(k) if self.count and 1 <= k <= self.count else False


class GroupsMixin:
    """Needs the RunState's recording, _traces, _request_trace, _show, passChanged."""

    group = 0  # the group on screen, or the summary-only group chosen (from 1); 0: none
    group_summary_only: int | None = None  # a chosen group kept only as a summary

    @property
    def group_count(self) -> int:
        """The groups of a forward-only recording (0 when the script called backward())."""
        recording = self.recording
        if recording is None or recording.passes:
            return 0
        return len(getattr(recording, "groups", None) or [])

    @property
    def last_kept_group(self) -> int:
        groups = (self.recording.groups or []) if self.group_count else []
        return next((g.index for g in reversed(groups) if g.kept), 0)

    def group_summary(self, k: int):
        return self.recording.groups[k - 1]

    def goto_group(self, k: int, position: int = 0, then: Callable | None = None) -> bool:
        """Group ``k`` (from 1) on screen at ``position`` (-1: its end); a group kept only
        as a summary is chosen (``group_summary_only``) and the window offers to run again."""
        count = self.group_count
        if not count:
            return False
        k = max(1, min(int(k), count))
        self.summary_only = None
        if not field(self.group_summary(k), "kept", True):
            self.group, self.group_summary_only = k, k
            self.passChanged.emit()
            if then is not None:
                then()
            return True
        self.group_summary_only = None
        if -k in self._traces:
            self._show(-k, position)
            if then is not None:
                then()
            return True
        self._request_trace(-k, position, then)
        return True

    def _forget_groups(self) -> None:
        self.group, self.group_summary_only = 0, None
