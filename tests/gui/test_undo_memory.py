"""Issue 13: the undo history keeps about 256 MB of traces; older entries rebuild."""

from __future__ import annotations

import gc

import pytest
from PySide6.QtCore import Qt

import gui.state.model as model_module
from core.engine.trace import build_trace
from gui.state.model import UNDO_TRACE_BYTES, trace_bytes
from tests.programs import chain, chain_answer

SIZES = [100 + 13 * i for i in range(8)]  # each program different, all built synchronously


def kept(stack) -> list:
    traces = {}
    for i in range(stack.count()):
        command = stack.command(i)
        for attr in ("before_trace", "after_trace"):
            trace = getattr(command, attr, None)
            if trace is not None:
                traces[id(trace)] = trace
    return list(traces.values())


def output_value(window) -> float:
    return float(window.model.trace.graph.output_node.value)


def test_the_estimate_is_near_the_measured_size():
    # measured: ~130 MB for the 50,000-node chain; the estimate must be of that order
    size = trace_bytes(build_trace(chain(5_000)))
    assert 8e6 < size < 30e6
    assert UNDO_TRACE_BYTES == 256 * 1024 * 1024


def test_old_entries_drop_their_traces_and_rebuild_on_undo(window, qtbot, monkeypatch):
    budget = 2 * trace_bytes(build_trace(chain(SIZES[-1]))) + 1
    monkeypatch.setattr(model_module, "UNDO_TRACE_BYTES", budget)
    model = window.model
    for n in SIZES:
        assert model.apply_text(chain(n))
        assert output_value(window) == pytest.approx(chain_answer(n)[0], rel=1e-12)
    stack = model.undo_stack
    assert stack.count() == len(SIZES)
    traces = kept(stack)
    assert sum(trace_bytes(t) for t in traces if t is not model.trace) <= budget
    assert len(traces) < len(SIZES)  # some entries kept only their program
    assert stack.command(len(SIZES) - 1).before_trace is not None  # the nearest stay
    assert stack.command(1).after_trace is None  # far ones keep only their program
    # undo all the way with the keyboard: every entry comes back right, rebuilt or not
    window.canvas.setFocus()
    for n in reversed(SIZES[:-1]):
        qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert model.program.text == chain(n)
        assert output_value(window) == pytest.approx(chain_answer(n)[0], rel=1e-12)
        traces = kept(stack)
        assert sum(trace_bytes(t) for t in traces if t is not model.trace) <= budget
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "y_hat" in model.program.text  # the lesson again
    for n in SIZES:  # and redo forward again
        stack.redo()
        assert output_value(window) == pytest.approx(chain_answer(n)[0], rel=1e-12)
    gc.collect()


@pytest.mark.soak
def test_fourteen_applies_of_50000_nodes_stay_bounded(window, qtbot):
    def rss_mb() -> float:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * 4096 / 1e6

    model = window.model
    start = rss_mb()
    for i in range(14):
        text = chain(49_990 - i)
        model.apply_text(text)
        qtbot.waitUntil(lambda text=text: model.program.text == text, timeout=300_000)
    gc.collect()
    grown = rss_mb() - start
    print(f"\n14 Applies of 50,000 nodes: +{grown:.0f} MB")
    assert grown < 1200  # 2.3 GB before; 256 MB of history plus the live traces after
