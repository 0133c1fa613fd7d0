"""Size limits (issue 6): 20,000 nodes work; past 50,000 a clear message names the place.

Timings are recorded (``-s`` prints them; benchmarks/bench_limits.py measures them
properly), never asserted tightly: this is a test of behaviour, not of the machine.
"""

from __future__ import annotations

import time

import pytest

from core.engine.graph import MAX_NODES
from core.engine.trace import build_trace
from core.language.parser import ExpressionError
from tests.programs import chain, chain_answer


def test_a_20000_node_program_builds_and_is_right():
    text = chain(20_000)
    start = time.perf_counter()
    trace = build_trace(text)
    elapsed = time.perf_counter() - start
    print(f"\n20,000-op program ({len(trace.graph.nodes):,} nodes, {len(trace.steps):,} steps): "
          f"parse + graph + trace {elapsed * 1000:.0f} ms")
    assert len(trace.graph.nodes) >= 20_000
    assert elapsed < 60  # generous: a hang, not a slow machine, should fail this
    v, dv = chain_answer(20_000)  # the same chain in plain Python floats
    assert float(trace.graph.output_node.value) == pytest.approx(v, rel=1e-12)
    assert float(trace.gradient(trace.graph.names["w"])) == pytest.approx(dv, rel=1e-9)


def test_past_50000_nodes_the_message_names_the_line():
    # w, x, then two nodes per line (a constant and a product): the limit falls mid-program
    lines = ["w = param(0.5)", "x = 1.5"] + [f"v{i} = w * 2" for i in range(25_000)]
    start = time.perf_counter()
    with pytest.raises(ExpressionError) as info:
        build_trace("\n".join(lines))
    elapsed = time.perf_counter() - start
    print(f"\n50,001st node refused after {elapsed * 1000:.0f} ms")
    error = info.value
    assert f"more than {MAX_NODES:,} nodes" in error.message
    assert error.hint == "use a smaller program"
    assert error.line == 2 + MAX_NODES // 2 and error.column is not None
    assert str(error).startswith(f"line {error.line}, column {error.column}: ")


def test_exactly_50000_nodes_still_work():
    lines = ["w = param(0.5)", "x = 1.5"] + [f"v{i} = w * 2" for i in range(24_999)]
    trace = build_trace("\n".join(lines))
    assert len(trace.graph.nodes) == MAX_NODES
