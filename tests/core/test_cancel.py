"""Cancelling a build from another thread (issue 21): it stops between ops, soon, with
:class:`Cancelled`; a build nobody cancels gives the same numbers as before."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from core.base.cancel import NEVER, Cancelled, Token, cancellable, token
from core.engine.trace import build_trace
from tests.programs import chain, chain_answer, vector_chain


def run_in_thread(work, flag: Token) -> dict:
    """Start ``work()`` under ``flag`` in a thread; the dict gets its result or error."""
    out: dict = {}

    def run() -> None:
        with cancellable(flag):
            try:
                out["result"] = work()
            except Cancelled as exc:
                out["error"] = exc
            out["ended"] = time.monotonic()

    out["thread"] = threading.Thread(target=run, daemon=True)
    out["thread"].start()
    return out


@pytest.mark.parametrize("work", [lambda: build_trace(vector_chain(4_000))],
                         ids=["ast-path"])
def test_a_build_cancelled_from_another_thread_stops_soon(work):
    flag = Token()
    out = run_in_thread(work, flag)
    time.sleep(0.3)  # well inside the build (seconds long even on a quiet machine)
    assert out["thread"].is_alive(), "the build ended before it could be cancelled"
    cancelled_at = time.monotonic()
    flag.cancel()
    out["thread"].join(timeout=5)
    assert not out["thread"].is_alive()
    assert isinstance(out.get("error"), Cancelled) and "result" not in out
    assert out["ended"] - cancelled_at < 1.0  # between two ops, not at the end


def test_a_cancelled_token_stops_the_build_before_any_op():
    flag = Token()
    flag.cancel()
    with cancellable(flag), pytest.raises(Cancelled):
        build_trace(chain(50))
    assert token() is NEVER  # the thread's token is restored after the block


def test_an_uncancelled_build_gives_the_same_numbers():
    text = chain(200)
    with cancellable(Token()) as flag:
        watched = build_trace(text)
    assert not flag.cancelled
    plain = build_trace(text)
    value, gradient = chain_answer(200)  # worked out in plain floats, no engine
    w = watched.graph.names["w"]
    assert float(watched.graph.output_node.value) == pytest.approx(value)
    assert float(watched.gradient(w)) == pytest.approx(gradient)
    assert len(watched) == len(plain)
    assert all(np.array_equal(watched.grads[k], plain.grads[k]) for k in plain.grads)


def test_tokens_nest_and_other_threads_keep_theirs():
    outer, inner = Token(), Token()
    seen = []
    with cancellable(outer):
        with cancellable(inner):
            assert token() is inner
            worker = threading.Thread(target=lambda: seen.append(token()))
            worker.start()
            worker.join()
        assert token() is outer
    assert seen == [NEVER]  # a token is per thread: cancelling one build spares others
