"""Python's cyclic garbage collection on the GUI thread only.

Automatic collection runs on whichever thread's allocation crosses a threshold. The
window builds traces, recordings and saves in worker threads, and a collection started
there finalises Qt wrappers and generators the GUI thread owns: once it deadlocked (the
build thread waiting for a lock the GUI thread held, py-spy showing both on futexes) and
once it raised "generator already executing". The known fix for Qt applications (the
GarbageCollector of pyqtgraph and ilastik, after Erik Janssens): turn automatic
collection off and, every ``INTERVAL_MS`` on the GUI thread, collect the generations whose
counts passed Python's own thresholds. Memory is reclaimed as before, only on this thread.

:func:`install` is called when the QApplication is made (gui.startup) and when a model
is (gui.state.model), so every window, the tests' and the benchmarks' too, has it; the
collector is a child of the application, and :func:`uninstall` turns automatic
collection back on (the tests do, after a window's test).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer

INTERVAL_MS = 100
_NAME = "gcOnGuiThread"


class GuiThreadCollector(QObject):
    """Collects on a QTimer the generations automatic collection would have."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.setObjectName(_NAME)
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.check)

    def start(self) -> None:
        gc.disable()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        gc.enable()

    def check(self) -> int:
        """Collect as CPython's automatic collection would, once generation 0's count
        passed its threshold: the oldest generation whose count passed its threshold.
        Returns the number of unreachable objects found."""
        counts, threshold = gc.get_count(), gc.get_threshold()
        if counts[0] <= threshold[0]:
            return 0
        generation = max(g for g in range(3) if g == 0 or counts[g] > threshold[g])
        return gc.collect(generation)


def collector() -> GuiThreadCollector | None:
    """The application's collector, if installed."""
    app = QCoreApplication.instance()
    if app is None:
        return None
    return app.findChild(GuiThreadCollector, _NAME)


def install() -> GuiThreadCollector | None:
    """Start collecting on the GUI thread (once per application; again after
    :func:`uninstall`). Does nothing without an application, or off its thread."""
    app = QCoreApplication.instance()
    if app is None or QThread.currentThread() != app.thread():
        return None
    found = collector()
    if found is None:
        found = GuiThreadCollector(app)
    if not found.timer.isActive():
        found.start()
    return found


def uninstall() -> None:
    """Automatic collection back on (the collector stays, stopped)."""
    found = collector()
    if found is not None:
        found.stop()
    else:
        gc.enable()


#: after the window's first paint, its start-up objects are frozen (see freeze_start_up)
FREEZE_AFTER_MS = 2000


def freeze_start_up() -> int:
    """The objects made to start (modules, widgets, the first lesson) moved out of every
    later collection (:func:`gc.freeze`), after one collection of their garbage: a full
    collection walked all 94,000 of them (40 ms with the lesson open, a pause every few
    seconds of steady stepping); after, it walks what was made since (0.2 ms). Garbage in
    a frozen cycle is never collected: it is what start-up made, which lives as long as
    the window does. Returns how many objects were frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
