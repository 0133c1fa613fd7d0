"""The runner's bounded output: what is kept, cut and counted, chunk by chunk."""

from __future__ import annotations

import json
import os
import threading

from core.record.runner import RunLimits, classify_exit
from core.record.streams import BoundedLines, pump_progress, utf8_chars


def _feed(data: bytes, max_bytes=1000, line_chars=50, chunk=7):
    sink = BoundedLines(max_bytes, line_chars)
    emitted = []
    for start in range(0, len(data), chunk):
        sink.feed(data[start:start + chunk], emitted.append)
    sink.close(emitted.append)
    return sink, emitted


def test_lines_split_across_chunks_come_out_whole():
    data = "".join(f"line {i} é\n" for i in range(20)).encode()
    sink, emitted = _feed(data, chunk=3)
    assert emitted == sink.lines() == [f"line {i} é" for i in range(20)]
    assert sink.text() == data.decode()
    assert (sink.dropped_lines, sink.dropped_bytes) == (0, 0)


def test_a_last_line_without_newline_is_kept_without_one():
    sink, emitted = _feed(b"a\nb")
    assert sink.lines() == emitted == ["a", "b"]
    assert sink.text() == "a\nb"


def test_the_middle_is_dropped_and_counted():
    lines = [f"{i:04d}" for i in range(1000)]           # 5 bytes a line with its newline
    sink, emitted = _feed("".join(f"{line}\n" for line in lines).encode(), max_bytes=100)
    kept = sink.lines()
    assert emitted == lines                              # the live console saw all of it
    assert kept == lines[:10] + lines[-10:]
    assert (sink.dropped_lines, sink.dropped_bytes) == (980, 980 * 5)


def test_a_long_line_is_cut_and_marked():
    sink, _ = _feed(b"ab" * 100 + b"\nshort\n", line_chars=50)
    assert sink.lines() == ["ab" * 25 + "… [cut: 150 characters]", "short"]
    assert sink.dropped_bytes == 150
    wide = "中" * 80                                       # 3 bytes a character
    sink, _ = _feed(wide.encode() + b"\n", line_chars=50, chunk=5)
    assert sink.lines() == ["中" * 50 + "… [cut: 30 characters]"]
    assert sink.dropped_bytes == 90


def test_a_gigantic_line_is_never_held():
    sink = BoundedLines(1000, 50)
    block = b"y" * (1 << 20)
    for _ in range(64):                                  # a 64 MB line, a chunk at a time
        sink.feed(block)
    sink.feed(b"\n")
    assert len(sink._partial) == 0
    assert sink.lines() == ["y" * 50 + f"… [cut: {64 * 2 ** 20 - 50} characters]"]


def test_invalid_utf8_becomes_replacement_characters():
    sink, _ = _feed(b"ok \xff\xfe \xc3\x28\n\xe4\xb8\n")
    assert sink.lines() == ["ok \ufffd\ufffd \ufffd(", "\ufffd"]
    assert utf8_chars("中é a".encode()) == 4


def test_progress_keeps_only_json_objects_on_short_lines():
    read, write = os.pipe()
    events = []
    reader = threading.Thread(target=pump_progress, args=(read, events.append))
    reader.start()
    good = {"event": "pass", "index": 2, "loss": None}
    payload = (b"{bad\n" + b"[1]\n" + b'{"event": "' + b"z" * 100_000 + b'"}\n'
               + b"\xff\n" + b"[" * 100_000 + b"\n" + json.dumps(good).encode() + b"\n"
               + b'{"event": "end"}')                    # no newline: not a whole event
    os.write(write, payload[:60_000])
    os.write(write, payload[60_000:])
    os.close(write)
    reader.join(5)
    assert events == [good]


def test_the_parents_own_reasons_win_over_the_summary(tmp_path):
    summary = tmp_path / "summary.json"
    summary.write_text(json.dumps({"exit": {"status": "ok", "error": None}}))
    limits = RunLimits(timeout_s=30, memory_mb=3000)
    assert classify_exit("time", -9, limits, summary, [], tmp_path) == (
        "raised", {"type": "TimeLimit", "message": "stopped after 30 s", "line": None})
    assert classify_exit("memory", -9, limits, summary, [], tmp_path)[1]["message"] == (
        "the script used more than 3000 MB")
    assert classify_exit(None, 1, limits, summary, [], tmp_path) == ("ok", None)
    summary.write_text(json.dumps({"exit": {"status": "raised", "error": {
        "type": "ValueError", "message": "bad", "line": 4}}}))
    assert classify_exit(None, 1, limits, summary, [], tmp_path) == (
        "raised", {"type": "ValueError", "message": "bad", "line": 4})
    summary.write_text("{not json")
    assert classify_exit(None, -11, limits, summary, [], tmp_path)[1]["type"] == "Signal"


def test_a_tree_is_only_ever_a_child_of_this_process():
    import pytest

    from core.record.proctree import Tree

    for pid in (0, 1, os.getpid()):
        with pytest.raises(ValueError):
            Tree(pid, b"BPS_RUN_TOKEN=x")
    if os.getppid() <= 1:
        return
    tree = Tree(os.getppid(), b"BPS_RUN_TOKEN=x")   # our parent is no child of ours
    from core.record.proctree import scan

    assert tree.members(scan()) == set()
