"""Cyclic garbage is collected on the GUI thread only (gui.support.gc_timer): an
automatic collection started in a build thread once deadlocked with the GUI thread
(finalising Qt wrappers off it) and once finalised the GUI thread's generator there."""

from __future__ import annotations

import gc
import threading
import weakref

from gui.support import gc_timer


class _Cycle:
    """Refers to itself: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


def _collecting_threads():
    """Records the thread of every collection that found something."""
    threads: list[int] = []

    def seen(phase: str, info: dict) -> None:
        if phase == "stop" and info.get("collected"):
            threads.append(threading.get_ident())

    return threads, seen


def test_a_window_collects_on_the_gui_thread(window):
    found = gc_timer.collector()
    assert found is not None and found.timer.isActive()
    assert not gc.isenabled()  # no automatic collection, in whatever thread allocates


def test_cyclic_garbage_made_in_a_worker_is_collected_on_the_gui_thread(window, qtbot):
    threads, seen = _collecting_threads()
    refs: list[weakref.ref] = []

    def work() -> None:  # allocates past generation 0's threshold many times over
        for _ in range(20 * gc.get_threshold()[0]):
            refs.append(weakref.ref(_Cycle()))

    gc.callbacks.append(seen)
    try:
        worker = threading.Thread(target=work, name="build-trace-gc-test")
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: all(ref() is None for ref in refs), timeout=10_000)
    finally:
        gc.callbacks.remove(seen)
    assert threads, "nothing was collected"
    assert set(threads) == {threading.main_thread().ident}


def test_the_generation_collected_follows_the_thresholds(window):
    found = gc_timer.collector()
    generations: list[int] = []

    def seen(phase: str, info: dict) -> None:
        if phase == "start":
            generations.append(info["generation"])

    gc.collect()  # counts back to 0
    gc.callbacks.append(seen)
    try:
        assert found.check() == 0 and generations == []  # under generation 0's threshold
        for _ in range(gc.get_threshold()[0] + 1):
            _Cycle()
        found.check()
    finally:
        gc.callbacks.remove(seen)
    assert generations == [0]


def test_uninstall_gives_automatic_collection_back(window):
    gc_timer.uninstall()
    try:
        assert gc.isenabled() and not gc_timer.collector().timer.isActive()
    finally:
        gc_timer.install()
    assert not gc.isenabled()


def test_start_up_objects_are_frozen_out_of_later_collections(window):
    """After the first paint (gui.app), a full collection walks only what was made
    since start-up, not the ~94,000 objects start-up made."""
    gc.collect()
    before = len(gc.get_objects())
    try:
        frozen = gc_timer.freeze_start_up()
        assert frozen >= before * 0.9
        assert len(gc.get_objects()) < before / 10  # what a collection walks now
        garbage = _Cycle()  # made after: still collected
        del garbage
        assert gc.collect() >= 1
    finally:
        gc.unfreeze()
    assert gc.get_freeze_count() == 0
