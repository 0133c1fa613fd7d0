"""The child's output, read from pipes as it arrives and kept within fixed bounds.

Whatever the script prints, the parent keeps at most ``output_bytes`` (the first half
and the last half), cuts a line at ``line_chars`` characters, and counts what it left
out. Bytes that are not UTF-8 are decoded with replacement characters, never raised.
"""

from __future__ import annotations

import collections
import json
import os
from collections.abc import Callable

import numpy as np

#: a progress event longer than this is not an event the bootstrap writes
PROGRESS_LINE_BYTES = 64 * 1024


def utf8_chars(data: bytes) -> int:
    """Characters in UTF-8 bytes (each byte that is not a continuation byte starts one)."""
    if not data:
        return 0
    codes = np.frombuffer(data, dtype=np.uint8)
    return int(len(data) - np.count_nonzero((codes & 0xC0) == 0x80))


class BoundedLines:
    """Lines kept as the first and last ``max_bytes / 2``; the middle is only counted.

    Kept lines are stored as UTF-8 blocks, not one object per line, so a flood of
    short lines costs the parent about the bytes it keeps.
    """

    BLOCK = 1 << 16

    def __init__(self, max_bytes: int, line_chars: int):
        self.half = max(1, max_bytes // 2)
        self.line_chars = line_chars
        self._head = bytearray()
        self._tail: collections.deque[bytearray] = collections.deque()
        self._front = 0                # where the oldest kept tail line starts
        self.tail_bytes = 0
        self.dropped_lines = 0
        self.dropped_bytes = 0
        self.ended_with_newline = True
        self._partial = bytearray()
        self._partial_cut = 0          # characters of the current line past the cut

    def feed(self, chunk: bytes, emit: Callable[[str], None] | None = None) -> None:
        """Take a chunk of raw bytes; complete lines are kept (and passed to emit)."""
        *complete, rest = chunk.split(b"\n")
        short = self.line_chars
        for piece in complete:
            if not self._partial and not self._partial_cut and len(piece) <= short:
                text = piece.decode("utf-8", errors="replace")   # the common case
                self._keep(text, piece)
                if emit is not None:
                    emit(text)
            else:
                self._grow(piece)
                self._finish(emit)
        self._grow(rest)
        self.ended_with_newline = not self._partial and not self._partial_cut

    def close(self, emit: Callable[[str], None] | None = None) -> None:
        """The stream ended: a last line without its newline is kept too."""
        if self._partial or self._partial_cut:
            self._finish(emit)
            self.ended_with_newline = False

    def _grow(self, piece: bytes) -> None:
        room = max(self.line_chars * 4 - len(self._partial), 0)
        if len(piece) <= room:
            self._partial += piece
        else:
            self._partial += piece[:room]
            self._partial_cut += utf8_chars(piece[room:])
            self.dropped_bytes += len(piece) - room

    def _finish(self, emit) -> None:
        raw = bytes(self._partial)
        text = raw.decode("utf-8", errors="replace")
        cut = self._partial_cut
        kept = len(raw)
        if len(text) > self.line_chars:
            cut += len(text) - self.line_chars
            text = text[:self.line_chars]
            kept = len(text.encode("utf-8", errors="replace"))
            self.dropped_bytes += len(raw) - kept
        if cut:
            text += f"… [cut: {cut} characters]"
        self._partial.clear()
        self._partial_cut = 0
        self._keep(text)
        if emit is not None:
            emit(text)

    def _keep(self, text: str, raw: bytes | None = None) -> None:
        data = raw if raw is not None and raw.isascii() else text.encode("utf-8", "replace")
        size = len(data) + 1
        if not self._tail and len(self._head) + size <= self.half:
            self._head += data
            self._head += b"\n"
            return
        if not self._tail or len(self._tail[-1]) >= self.BLOCK:
            self._tail.append(bytearray())
        self._tail[-1] += data
        self._tail[-1] += b"\n"
        self.tail_bytes += size
        while self.tail_bytes > self.half:
            self._drop_oldest()

    def _drop_oldest(self) -> None:
        block = self._tail[0]
        end = block.index(b"\n", self._front) + 1
        size = end - self._front
        self.tail_bytes -= size
        self.dropped_lines += 1
        self.dropped_bytes += size
        self._front = end
        if end >= len(block):
            self._tail.popleft()
            self._front = 0

    def text(self) -> str:
        """What was kept, as one text (a last line without newline stays without)."""
        data = bytearray(self._head)
        for i, block in enumerate(self._tail):
            data += memoryview(block)[self._front:] if i == 0 else block
        if data and not self.ended_with_newline:
            del data[-1]
        return data.decode("utf-8", errors="replace")

    def lines(self, text: str | None = None) -> list[str]:
        """The kept lines (from ``text()``'s result when the caller has it already)."""
        text = self.text() if text is None else text
        if not text:
            return []
        lines = text.split("\n")
        if self.ended_with_newline:
            lines.pop()
        return lines


def pump(fd: int, sink: BoundedLines, emit=None, on_error=None) -> None:
    """Read fd until end of file into sink (a reader thread's body)."""
    try:
        for chunk in _chunks(fd):
            sink.feed(chunk, emit)
        sink.close(emit)
    except Exception as exc:  # a callback's fault must not kill the reader silently
        if on_error is not None:
            on_error(exc)
        _drain(fd)
    finally:
        os.close(fd)


def pump_progress(fd: int, on_event, on_error=None) -> None:
    """Read JSON lines from the progress pipe; bad or overlong lines are ignored."""
    partial = bytearray()
    skipping = False
    try:
        for chunk in _chunks(fd):
            *lines, rest = chunk.split(b"\n")
            for line in lines:
                if not skipping and len(partial) + len(line) <= PROGRESS_LINE_BYTES:
                    _event(bytes(partial + line), on_event)
                partial.clear()
                skipping = False
            if len(partial) + len(rest) > PROGRESS_LINE_BYTES:
                partial.clear()
                skipping = True
            elif not skipping:
                partial += rest
    except Exception as exc:
        if on_error is not None:
            on_error(exc)
        _drain(fd)
    finally:
        os.close(fd)


def _chunks(fd: int):
    """What fd gives until end of file, in reads of at most 64 KiB (EINTR retried)."""
    while True:
        try:
            chunk = os.read(fd, 1 << 16)
        except InterruptedError:
            continue
        if not chunk:
            return
        yield chunk


def _event(line: bytes, on_event) -> None:
    try:
        event = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return
    if isinstance(event, dict) and on_event is not None:
        on_event(event)


def _drain(fd: int) -> None:
    """Keep reading so the child never blocks on a full pipe after a callback failed."""
    try:
        while os.read(fd, 1 << 16):
            pass
    except OSError:
        pass
