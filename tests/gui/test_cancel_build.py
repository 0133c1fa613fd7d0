"""Apply of a new program cancels a superseded build (issue 21): the lesson is on screen
at once, the old build's thread stops within about a second, burns no more CPU and
gives its memory back (before: it ran its build and layout to the end, ~3 CPU-seconds
and 12 s on a loaded machine, and kept 1.1 GB)."""

from __future__ import annotations

import os
import threading
import time

from PySide6.QtCore import Qt

from core.io.examples import LESSON_TEXT
from tests.programs import vector_chain

STOP_S = 2.0  # ~1 s on a loaded 2-core machine; the whole build takes over 10 s there


def rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2 ** 20


def build_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("build-trace-")]


def apply_with_keys(window, qtbot, text: str) -> None:
    editor = window.editor_panel.editor
    editor.setPlainText(text)
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def test_applying_the_lesson_cancels_a_big_build(window, qtbot):
    model = window.model
    lesson_steps = len(model.trace)
    before = rss_mb()
    apply_with_keys(window, qtbot, vector_chain(4_000))  # 8,000 ops on 5,000-entry vectors
    assert model.building and build_threads()
    # well into the build: its arrays are held (8,000 × 5,000 float64 = 320 MB in all)
    qtbot.waitUntil(lambda: rss_mb() > before + 150, timeout=60_000)
    assert model.building, "the build ended before it could be superseded"
    apply_with_keys(window, qtbot, LESSON_TEXT)
    switched, cpu = time.monotonic(), time.process_time()
    # the lesson is on screen at once (it builds on the GUI thread)
    assert not model.building and not window.build_progress.isVisible()
    assert model.program.text == LESSON_TEXT and len(model.trace) == lesson_steps
    assert window.canvas.trace is model.trace
    qtbot.waitUntil(lambda: not build_threads(), timeout=10_000)
    stopped = time.monotonic() - switched
    qtbot.wait(1_000)  # an idle second: nothing runs on behind the lesson
    burnt = time.process_time() - cpu
    assert stopped < STOP_S
    assert burnt < 1.0  # the rest of the build and its layout took ~3 CPU-seconds
    assert rss_mb() < before + 100  # the superseded arrays were given back
    assert model.undo_stack.count() == 0  # the lesson was already there; nothing pushed
    assert len(model.trace) == lesson_steps


def test_undo_during_a_big_build_stops_its_thread(window, qtbot):
    model = window.model
    apply_with_keys(window, qtbot, "w = param(2.0)\nloss = w * w\n")
    small = model.trace
    apply_with_keys(window, qtbot, vector_chain(4_000))
    assert model.building
    qtbot.wait(300)
    window.undo_action.trigger()
    assert not model.building and model.trace is not small and len(model.trace) > 4
    undone = time.monotonic()
    qtbot.waitUntil(lambda: not build_threads(), timeout=10_000)
    assert time.monotonic() - undone < STOP_S
    assert model.undo_stack.index() == 0


def test_a_cancelled_build_gives_its_memory_back_on_the_gui_thread(window, qtbot, monkeypatch):
    """A full collection in the build thread once deadlocked with the GUI thread
    (finalising Qt wrappers off the GUI thread); the memory of a cancelled build is
    given back from the GUI thread, when its end arrives there."""
    from core.base import memory

    collect, threads = memory.gc.collect, []

    def counted_collect(*args):
        threads.append(threading.current_thread().name)
        return collect(*args)

    monkeypatch.setattr(memory.gc, "collect", counted_collect)
    apply_with_keys(window, qtbot, vector_chain(4_000))
    assert window.model.building
    apply_with_keys(window, qtbot, LESSON_TEXT)  # supersedes it: its thread stops
    qtbot.waitUntil(lambda: not build_threads(), timeout=30_000)
    qtbot.waitUntil(lambda: bool(threads), timeout=10_000)  # its end reached the GUI thread
    assert set(threads) == {threading.main_thread().name}, threads
