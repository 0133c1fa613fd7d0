"""Waiting on another process's files, where no Qt signal can tell us."""

from __future__ import annotations

import time


def wait_for(predicate, timeout: float = 120.0):
    """``predicate()``'s first truthy result within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.1)  # polling another process's file: no Qt signal to wait on
    raise AssertionError("timed out")
