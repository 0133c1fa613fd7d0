"""The trace of a script that has not been recorded yet: no steps, nothing to draw.

Opening a ``.py`` file runs nothing: its text goes into the editor and the window shows
"Run to record" where the graph goes (gui.window.run_window), so the model still holds
a trace, with no step, whose one hidden node no panel shows.
"""

from __future__ import annotations

import numpy as np

from core.engine.graph import ComputationGraph, Node
from core.engine.trace import Trace
from core.language.ir import ParsedProgram


class BlankTrace(Trace):
    """No steps; ``blank`` tells the window to show "Run to record" instead of a graph."""

    blank = True

    def __init__(self, text: str = ""):  # noqa: D107 - Trace's own work is all skipped
        node = Node(0, "constant", 1, 1, value=np.float64(0.0), label="")
        self.graph = ComputationGraph(ParsedProgram(text), [node], 0, {}, [])
        self.learning_rate = None
        self.accumulated = {}
        self.local = {}
        self.grads = {}
        self.steps = []
        self.phase_starts = {}
