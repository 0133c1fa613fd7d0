"""A big graph placed again for a new text size in a worker thread.

View → Text size and presentation mode change the graph's text size, and every label is
placed again for it (``build_scene``). On the GUI thread that froze the window: 0.08 s at
200 nodes, 0.17 s at 400, 0.34 s at 1,000, 0.8 s at 5,000, 7.5 s at 20,000. From
``IN_THREAD_NODES`` nodes (about 0.1 s of layout, the most a key press may hang) it is
made in a worker thread (``build_scene`` is numpy and Python only: the build thread of
an Apply makes it too, ``GraphCanvas.layout_job``). Meanwhile the graph stays as it was,
steppable, under a busy cursor; then it is shown at the new size, as the GUI thread would
have placed it. One layout runs at a time: pressing Ctrl++ three times lays out the
last size asked for once the running one ends. A layout whose graph was replaced
meanwhile (an Apply, undo) is dropped.

A new UI language places the labels again too (their size words, "[4×3: 12 个值]", have
new widths): a big graph's in the worker thread the same way, keeping its zoom and step;
the legend's words change at once. A layout made for the words before is dropped.
"""

from __future__ import annotations

import threading
import weakref

from PySide6.QtCore import QObject, Qt, Signal

from gui.canvas.scene import _PREPARED, _PREPARED_LOCK, build_scene

#: the words' generation (``Rescaler.words``) each layout an Apply's build thread made
#: for ``_PREPARED`` was started in, by trace: one made while the language changed is
#: laid out again for the new words when it is shown (``GraphCanvas.set_trace``)
PREPARED_WORDS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

#: graphs of at least this many nodes are placed again in a worker thread (a smaller
#: one's layout takes under ~0.1 s here: at once, it is shown without a busy cursor)
IN_THREAD_NODES = 250


class Rescaler(QObject):
    """The canvas's collaborator ``canvas.rescaler``: lays out ``canvas.trace`` again
    for ``canvas.text_scale`` and the UI language in a worker thread."""

    #: (the scene shown when the layout started, the trace, the scale, the words'
    #: generation, the new scene); emitted from the worker thread, received on the GUI
    #: thread (a queued connection)
    laidOut = Signal(object, object, float, int, object)

    def __init__(self, canvas) -> None:
        super().__init__(canvas)
        self.canvas = canvas
        self.running: tuple | None = None  # (scene at the start, trace, scale, words)
        self.words = 0  # one more at each new UI language: a layout's words are its own
        self.laidOut.connect(self._arrived, Qt.ConnectionType.QueuedConnection)

    @property
    def pending(self) -> bool:
        """True while a layout for a new text size or language is being made."""
        return self.running is not None

    def start(self) -> None:
        """Lay out the canvas's graph for its text size and words now (after the running
        layout, if one runs)."""
        if self.running is not None:
            return  # _arrived starts the size asked for last
        canvas = self.canvas
        job = (canvas.scene, canvas.trace, canvas.text_scale, self.words)
        self.running = job
        canvas.setCursor(Qt.CursorShape.BusyCursor)
        grid = canvas.scene.grid
        # new words keep every node's row, as the graph laid out on the GUI thread did
        # (rows that came from the graph before an Apply); a new size is laid out anew
        before = canvas.trace if canvas.text_scale == canvas.scene.text_scale else None

        def run() -> None:
            scene = None
            try:
                scene = build_scene(job[1], before, grid, job[2])
            finally:  # (an error is raised again on the GUI thread, by a layout there)
                try:
                    self.laidOut.emit(*job, scene)
                except RuntimeError:  # the canvas was deleted meanwhile: nobody waits
                    pass

        threading.Thread(target=run, name="text-size-layout", daemon=True).start()

    def _arrived(self, shown, trace, scale: float, words: int, scene) -> None:
        self.running = None
        canvas = self.canvas
        canvas.unsetCursor()
        if canvas.scene is shown and canvas.trace is trace and scale == canvas.text_scale \
                and words == self.words:
            if scene is not None:
                with _PREPARED_LOCK:
                    _PREPARED[trace] = scene  # set_trace takes it (failed: laid out there)
            if scale != shown.text_scale:
                self.place_again()
            else:
                self.place_words()
            return
        # dropped: another size or language was asked for meanwhile, or the graph was
        # replaced (laid out at once then, perhaps not at a size asked for since)
        if canvas.trace is None:
            return
        if canvas.scene.text_scale != canvas.text_scale:
            self.relayout()
        elif words != self.words:  # the words changed meanwhile (the graph on screen
            self.relabel(again=True)  # may have been laid out before or after: again)

    def relayout(self) -> None:
        """The canvas's graph placed again for its text size: a big one in a worker
        thread, a small one at once."""
        canvas = self.canvas
        if canvas.trace is not None and len(canvas.trace.graph.nodes) >= IN_THREAD_NODES:
            self.start()
        elif canvas.trace is not None:
            self.place_again()

    def relabel(self, again: bool = False) -> None:
        """The canvas's graph placed again for the UI language now installed (its view,
        rows and step kept): a big one in a worker thread, a small one at once."""
        canvas = self.canvas
        if not again:
            self.words += 1
        if canvas.trace is not None and len(canvas.trace.graph.nodes) >= IN_THREAD_NODES:
            self.start()
        elif canvas.trace is not None:
            self.place_words()

    def place_words(self) -> None:
        """The canvas's graph laid out anew in the language now installed (or as the
        worker thread laid it out), its view and step as they were."""
        canvas = self.canvas
        state = canvas.tangents.last_state  # what show_state last showed
        whatif = canvas.tangents.whatif_numbers
        canvas.set_trace(canvas.trace)  # (the same graph: its view stays; the legend too)
        if state is not None:
            canvas.show_state(*state)
        if whatif is not None:  # a What-if's numbers, as they were (not the trace's)
            canvas.show_numbers(*whatif)

    def place_again(self) -> None:
        """The canvas's graph laid out anew at its text size now (or as the worker thread
        laid it out), at the same step, fitted."""
        canvas = self.canvas
        known, shown = canvas.trace, {k: set(v) for k, v in canvas._shown.items()}
        key, whatif = canvas._current_key, canvas.tangents.whatif_numbers
        # the step's neighbours too: Whole graph labels only those (overview.py)
        focus = canvas._position, canvas._focus_nodes, canvas._focus_edges
        canvas.trace = None  # a new layout, not an edit of the old one
        canvas.set_trace(known)
        canvas._shown = shown
        canvas._current_key = key
        canvas._position, canvas._focus_nodes, canvas._focus_edges = focus
        canvas.view.fit_view()
        if whatif is not None:  # a What-if's numbers, as they were (not the trace's)
            canvas.show_numbers(*whatif)
