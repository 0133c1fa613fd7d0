"""The PyTorch panel's code, written ahead in a worker thread (see StepperModel.preparers)."""

from __future__ import annotations

import threading
import weakref

from core.base import cancel
from core.checks.torch_check import generate_code

#: PyTorch code written in a worker thread, by trace
_CODE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_CODE_LOCK = threading.Lock()


def code_for(trace) -> str:
    """The trace's PyTorch code: the one written ahead, else written now."""
    with _CODE_LOCK:
        code = _CODE.get(trace)
    return code if code is not None else generate_code(trace.graph)


def code_job():
    """For a worker thread: a function that writes a trace's PyTorch code ahead."""
    def job(trace) -> None:
        code = generate_code(trace.graph)
        cancel.check()  # a superseded build's code is never stored
        with _CODE_LOCK:
            _CODE[trace] = code

    return job
