"""What to say when a program needs more memory than the machine can give (issue 21)."""

from __future__ import annotations

import ctypes
import gc
import re
import sys

from core.base.errors import ExpressionError


class OutOfMemory(ExpressionError):
    """A program that needed more memory than it could get, as an error to show."""

    def __init__(self) -> None:
        super().__init__(memory_message())


def release_memory() -> None:
    """Give freed memory back to the system after a MemoryError: glibc keeps freed
    blocks in its arenas (a failed 300 MB build in a worker thread stayed resident)."""
    gc.collect()
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL("libc.so.6").malloc_trim(0)
        except (OSError, AttributeError):
            pass


def available_mb() -> int | None:
    """The memory the kernel says is available now, in MB (None where unknown)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def memory_message() -> str:
    """The one line for a MemoryError: the program, not the app, asked too much."""
    free = available_mb()
    machine = f" (this machine has {free:,} MB available)" if free is not None else ""
    return (f"this program needs more memory than it could get{machine}; use smaller "
            "tensors or fewer operations")


def out_of_memory(exc: BaseException) -> bool:
    """An allocation that failed: numpy's MemoryError, or torch's allocator refusing."""
    text = str(exc)
    return isinstance(exc, MemoryError) or isinstance(exc, RuntimeError) and (
        "can't allocate memory" in text or "not enough memory" in text
        or "DefaultCPUAllocator" in text)


def could_not_run(report, exc: BaseException):
    """The check never ran: not a disagreement (exit 0), but said, never only skipped."""
    text = str(exc).strip()
    asked = re.search(r"allocate (\d+) bytes", text)
    detail = f"PyTorch could not allocate {int(asked.group(1)):,} bytes" if asked else \
        text.splitlines()[0][:200] if text else ""
    report.available = False
    report.match = None
    report.rows.clear()
    report.values.clear()
    report.grads.clear()
    report.error = "out of memory" + (f" ({detail})" if detail else "")
    return report
