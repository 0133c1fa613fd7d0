"""The script runner against a corpus of adversarial scripts (tests/data/scripts/).

Each script runs through ``run_script`` with short limits (6 s, 1000 MB) and, where
plain Python finishes, is compared with plain Python: the same prints, the same way of
ending. Where Python cannot finish within the limits, the run names the limit. Every test
runs twice: through a fresh interpreter (subprocess) and forked by the warm zygote.
"""

from __future__ import annotations

import math
import threading
import time
import tracemalloc

import pytest

from core.record.runner import RunLimits
from tests.core.record.runner_support import (
    SHORT,
    alive,
    child_paths,
    plain_python,
    run,
    wait_for_file,
)

child_path = pytest.fixture(autouse=True, params=["subprocess", "zygote"])(child_paths)


def _plain_lines(folder, name):
    plain = plain_python(folder, name)
    return plain, plain.stdout.decode("utf-8", errors="replace")


def test_an_ordinary_script_prints_what_python_prints(tmp_path):
    events = []
    streamed = []
    result = run(tmp_path, "numbers.py", on_progress=events.append,
                 on_stdout=streamed.append)
    plain, text = _plain_lines(tmp_path, "numbers.py")
    assert (result.status, result.error, result.returncode) == ("ok", None, 0)
    assert result.stdout_text == text
    assert result.stdout_lines == text.splitlines() == streamed
    assert result.stdout_lines[1] == "scripts"          # cwd: the script's folder
    assert {"event": "end"} in events
    assert result.output_dropped == {"lines": 0, "bytes": 0}
    assert result.record_dir == tmp_path / "record"


def _bits(i: int) -> int:
    """Bit length of 3 ** (2 ** (i + 1)), what square_forever.py prints in line i."""
    return math.floor(2 ** (i + 1) * math.log2(3)) + 1


def test_an_integer_squared_40_times_stops_at_the_time_limit(tmp_path):
    # (4 s: its first dozen lines take milliseconds, after a new interpreter's torch import;
    # the squaring then runs until the limit, so a longer one only burns a core for longer)
    limits = RunLimits(timeout_s=4.0, memory_mb=1000)
    result = run(tmp_path, "square_forever.py", limits=limits)
    assert result.status == "raised"
    assert result.error == {"type": "TimeLimit", "message": "stopped after 4 s", "line": None}
    assert 4.0 <= result.elapsed_s < 5.0
    assert len(result.stdout_lines) >= 12
    assert all(_bits(i) == (3 ** (2 ** (i + 1))).bit_length() for i in range(12))
    assert result.stdout_lines == [f"{i} {_bits(i)}" for i in range(len(result.stdout_lines))]


def test_a_huge_allocation_stops_at_the_memory_limit(tmp_path):
    result = run(tmp_path, "big_allocation.py")
    assert result.status == "raised"
    assert result.error == {"type": "MemoryLimit",
                            "message": "the script used more than 1000 MB", "line": None}
    assert result.peak_mb > 1000
    assert result.elapsed_s < SHORT.timeout_s
    assert result.stdout_lines == ["allocating"]


def test_a_gigabyte_f_string_stops_at_the_memory_limit(tmp_path):
    tracemalloc.start()
    try:
        result = run(tmp_path, "fstring_gigabyte.py")
        peak_mb = tracemalloc.get_traced_memory()[1] / 2 ** 20
    finally:
        tracemalloc.stop()
    assert result.error["type"] == "MemoryLimit"
    assert result.stdout_lines in ([], ["1000000000"])  # the recorder's torch: 200 MB more
    print("parent peak MB", peak_mb)
    assert peak_mb < 5            # the parent kept none of it


#: the flood's limits: its subject is the cut, not the time limit, nor the default 10 MB.
#: A run prints unbuffered (each line one write the parent reads), so the flood's time
#: goes with its lines: 400,000 lines against the default 10 MB took 13-36 s of wall
#: clock per path on this 2-core machine (SHORT's 20 s ended it as a TimeLimit at load
#: 13); 80,000 lines against 1 MB check the same cut, at a fifth of the lines.
FLOOD = RunLimits(timeout_s=180.0, memory_mb=SHORT.memory_mb, output_bytes=1024 * 1024)


def test_a_flood_of_output_keeps_the_first_and_last_half_of_its_limit(tmp_path):
    tracemalloc.start()
    try:
        result = run(tmp_path, "output_flood.py", limits=FLOOD)
        peak_mb = tracemalloc.get_traced_memory()[1] / 2 ** 20
    finally:
        tracemalloc.stop()
    plain, text = _plain_lines(tmp_path, "output_flood.py")
    lines = text.splitlines()
    assert result.status == "ok", (result.error, result.elapsed_s)
    assert len(plain.stdout) > 2 * FLOOD.output_bytes          # far more than is kept
    kept = result.stdout_lines
    half = FLOOD.output_bytes // 2
    split = next(i for i, (ours, theirs) in enumerate(zip(kept, lines, strict=False))
                 if ours != theirs)
    head, tail = kept[:split], kept[split:]
    assert half - 40 < sum(len(line) + 1 for line in head) <= half
    assert tail[-1] == "the end" == lines[-1]
    assert tail[-2] == "x" * 10_000 + "… [cut: 15000 characters]"
    assert tail[:-2] == lines[len(lines) - len(tail):-2]
    assert half - 40 < sum(len(line) + 1 for line in tail[:-2]) + 10_001 + 8 <= half
    dropped = result.output_dropped
    assert dropped["lines"] == len(lines) - len(kept) > 0
    assert dropped["bytes"] == len(plain.stdout) - sum(
        len(line) + 1 for line in kept[:-2] + ["x" * 10_000, "the end"])
    assert len(result.stdout_text.encode()) <= FLOOD.output_bytes
    print("parent peak MB", peak_mb)
    assert peak_mb < 7            # the kept 1 MB as bytes, text and lines, nothing more


def test_invalid_utf8_on_stdout_is_replaced_not_raised(tmp_path):
    result = run(tmp_path, "invalid_utf8.py")
    plain, text = _plain_lines(tmp_path, "invalid_utf8.py")
    assert result.status == "ok"
    assert result.stdout_text == text
    assert result.stdout_lines[1] == "bad \ufffd\ufffd bytes \ufffd( here"
    assert result.stdout_lines[2] == "good é ü 中"


def test_a_script_that_closes_its_stdout_ends_normally(tmp_path):
    result = run(tmp_path, "closed_stdout.py")
    plain, text = _plain_lines(tmp_path, "closed_stdout.py")
    assert plain.returncode == 0
    assert (result.status, result.returncode) == ("ok", 0)
    assert result.stdout_text == text == "before closing\n"
    assert "total 499500" in result.stderr_lines


def test_os_exit_midway_is_an_exit_with_its_status(tmp_path):
    result = run(tmp_path, "os_exit_midway.py")
    plain, text = _plain_lines(tmp_path, "os_exit_midway.py")
    assert result.returncode == plain.returncode == 3
    assert result.status == "raised"
    assert result.error["type"] == "SystemExit"
    assert "3" in result.error["message"]
    assert result.stdout_text == text == "first half\n"


def test_a_forked_setsid_grandchild_is_ended_with_the_run(tmp_path):
    start = time.monotonic()
    result = run(tmp_path, "fork_setsid.py")
    took = time.monotonic() - start
    grandchild = int(wait_for_file(tmp_path / "scripts" / "fork_setsid.py.grandchild"))
    assert result.status == "ok"
    assert result.stdout_lines == ["parent done"]
    assert not alive(grandchild)
    assert took < SHORT.timeout_s           # the run ended with its main process


def test_a_segfault_is_signal_11(tmp_path):
    result = run(tmp_path, "segfault.py")
    plain, text = _plain_lines(tmp_path, "segfault.py")
    assert result.returncode == plain.returncode == -11
    assert result.status == "raised"
    assert result.error == {"type": "Signal",
                            "message": "the script's process ended with signal 11",
                            "line": None}
    assert result.stdout_text == text == "about to crash\n"


def test_deep_recursion_is_pythons_own_recursion_error(tmp_path):
    result = run(tmp_path, "deep_recursion.py")
    plain, text = _plain_lines(tmp_path, "deep_recursion.py")
    assert plain.returncode == 1
    assert result.status == "raised"
    assert result.error["type"] == "RecursionError"
    assert result.error["message"].startswith("maximum recursion depth exceeded")
    assert result.error["line"] == 3
    assert result.stdout_text == text


def test_keyboard_interrupt_raised_by_the_script(tmp_path):
    result = run(tmp_path, "keyboard_interrupt.py")
    plain, text = _plain_lines(tmp_path, "keyboard_interrupt.py")
    assert plain.returncode == -2            # Python ends itself with SIGINT
    assert result.status == "raised"
    assert result.error["type"] == "KeyboardInterrupt"
    assert result.error["line"] == 3
    assert result.stdout_text == text == "working\n"


def test_input_gets_eof_error(tmp_path):
    result = run(tmp_path, "reads_input.py")
    plain, text = _plain_lines(tmp_path, "reads_input.py")
    assert result.status == "raised"
    assert result.error == {"type": "EOFError", "message": "EOF when reading a line",
                            "line": 3}
    assert result.stdout_text == text == "asking\nyour name? "
    assert result.stdout_lines == ["asking", "your name? "]


def test_sys_exit_with_a_status_is_raised_and_without_is_ok(tmp_path):
    raised = run(tmp_path / "a", "sys_exit_code.py")
    assert (raised.status, raised.error["type"], raised.returncode) == (
        "raised", "SystemExit", 5)
    ok = run(tmp_path / "b", "sys_exit_zero.py")
    assert (ok.status, ok.error, ok.stdout_lines) == ("ok", None, ["done early"])


def test_bad_progress_lines_are_ignored(tmp_path):
    events = []
    result = run(tmp_path, "progress_noise.py", on_progress=events.append)
    assert result.status == "ok"
    assert all(isinstance(event, dict) for event in events)
    assert {"event": "pass", "index": 1, "loss": 0.5} in events
    assert not any(len(str(event)) > 1000 for event in events)


def test_stop_ends_a_running_script_and_its_setsid_grandchild_within_1_s(tmp_path):
    from core.record.runner import ScriptRun
    from tests.core.record.runner_support import BOOT, copy_scripts

    script = copy_scripts(tmp_path) / "slow_printer.py"
    first = threading.Event()
    lines = []

    def on_stdout(line):
        lines.append(line)
        first.set()

    run_ = ScriptRun(script, limits=SHORT, bootstrap=BOOT, on_stdout=on_stdout,
                     workdir=tmp_path / "record")
    run_.start()
    assert first.wait(10)
    assert run_.is_running()                  # prints arrive while it runs
    assert run_.wait(timeout=0.05) is None
    grandchild = int(wait_for_file(script.with_name("slow_printer.py.grandchild")))
    assert alive(grandchild)
    asked = time.monotonic()
    run_.stop()
    result = run_.wait(timeout=5)
    latency = time.monotonic() - asked
    print(f"stop latency {latency * 1000:.0f} ms")
    assert latency < 1.0
    assert not alive(grandchild)
    assert not run_.is_running()
    assert (result.status, result.error) == ("stopped", None)
    assert result.stdout_lines[:len(lines)] == lines
    assert result.stdout_lines[0] == "tick 0"
