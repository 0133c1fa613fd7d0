"""One bounded reader for every file the app takes in: programs and sessions.

Only regular files are read: a FIFO would block forever and ``/dev/zero`` never ends, so
the file is opened without blocking and checked with ``fstat`` on the open descriptor
(a symlink to a device is refused too, and nothing can swap the file in between).
At most the limit plus one byte is read, so a 1 GB file or ``/dev/urandom`` costs the
limit, not the file. A UTF-8 byte-order mark is dropped, for programs and sessions
alike (Windows editors write one).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from core.language.parser import MAX_TEXT_CHARS, ExpressionError

#: a program is at most MAX_TEXT_CHARS characters of up to 4 UTF-8 bytes each
MAX_PROGRAM_BYTES = 4 * MAX_TEXT_CHARS
BOM = b"\xef\xbb\xbf"
_CHUNK = 1 << 20


def _limit_text(limit: int) -> str:
    if limit >= 1_000_000 and limit % 1_000_000 == 0:
        return f"{limit // 1_000_000} MB"
    return f"{limit:,} bytes"


def read_bytes(path: str | os.PathLike, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (BOM dropped), else
    ExpressionError naming the file."""
    path = Path(path)
    where = path.name or str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise ExpressionError(f"cannot read the file: {exc.strerror or exc}", where=where
                              ) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else \
                "a pipe" if stat.S_ISFIFO(info.st_mode) else "a device or special file"
            raise ExpressionError(f"cannot read the file: it is {kind}, not a regular file",
                                  where=where)
        if info.st_size > limit:
            raise ExpressionError(f"the file is larger than {_limit_text(limit)}", where=where)
        chunks, total = [], 0
        while total <= limit:  # bounded: at most limit + 1 bytes, even if the file grows
            try:
                chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            except BlockingIOError:  # cannot happen for a regular file; never spin on it
                break
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise ExpressionError(f"the file is larger than {_limit_text(limit)}", where=where)
    except OSError as exc:
        raise ExpressionError(f"cannot read the file: {exc.strerror or exc}", where=where
                              ) from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    return data[len(BOM):] if data.startswith(BOM) else data


def read_program(path: str | os.PathLike) -> str:
    """A program's text (UTF-8, at most 8,000,000 bytes)."""
    data = read_bytes(path, MAX_PROGRAM_BYTES)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = Path(path).name
        raise ExpressionError(f"cannot read the file: not UTF-8 text (byte {exc.start + 1:,} is "
                              f"0x{data[exc.start]:02x})", where=where) from None


def strip_bom(text: str) -> str:
    """Text that came from elsewhere (a session string, the clipboard) without a BOM."""
    return text[1:] if text.startswith("\ufeff") else text
