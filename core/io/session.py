"""Sessions: the program text and the values given to it, as versioned JSON.

A session file is data, never code: it is read with ``json`` and every field is checked
before anything is built from it. A bad file raises :class:`ExpressionError` naming the
file and the field; the caller's current work is untouched.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core.base.format import to_json_value
from core.engine.graph import ROLES, Binding
from core.language.parser import MAX_NAME, MAX_TEXT_CHARS, MAX_VECTOR, ExpressionError, short
from core.language.reading import read_bytes, strip_bom
from core.ninja.progress import check_progress

FORMAT = "backprop-stepper-session"
#: 2: values may be nested lists (matrices, as tensor.tolist()); version 1 files still load
VERSION = 2
MAX_FILE_BYTES = 20_000_000
MAX_VARIABLES = 10_000
#: arrays a script may have drawn (each nn.Linear draws two)
MAX_DRAWS = 1000


@dataclass
class Session:
    """What the user works on: text, values by name (role + value), and where they are."""

    text: str
    bindings: dict[str, Binding] = field(default_factory=dict)
    position: int | None = None
    title: str = ""
    #: extra, forward-compatible settings (learning rate, …), kept as plain JSON data
    settings: dict = field(default_factory=dict)
    #: the numbers a script drew when the retired whitelist interpreter ran it (nn.Linear's
    #: initial weights): still read and validated, so an old session loads; nothing uses them
    draws: list = field(default_factory=list)
    #: ninja mode's progress (core.ninja.progress): the level, per node the score and answer
    ninja: dict | None = None

    def to_dict(self) -> dict:
        data = {
            "format": FORMAT,
            "version": VERSION,
            "text": self.text,
            "variables": {
                name: {"role": b.role, "value": _plain(b.value)}
                for name, b in self.bindings.items()
            },
        }
        if self.title:
            data["title"] = self.title
        if self.position is not None:
            data["position"] = int(self.position)
        if self.settings:
            data["settings"] = self.settings
        if self.draws:
            data["draws"] = [_plain(v) for v in self.draws]
        if self.ninja:
            data["ninja"] = self.ninja
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"


def _plain(value):
    """Numbers for JSON; nan/inf as the strings "nan"/"inf"/"-inf" (read back below)."""
    return to_json_value(value)


def session_from_json(text: str | bytes, where: str = "session") -> Session:
    """Parse and validate a session; raise ExpressionError(where=...) on any problem."""
    if isinstance(text, bytes):
        if len(text) > MAX_FILE_BYTES:
            raise ExpressionError(f"the file is larger than {MAX_FILE_BYTES // 1_000_000} MB",
                                  where=where)
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise ExpressionError("not a session file (not UTF-8 text)", where=where) from None
    if len(text) > MAX_FILE_BYTES:
        raise ExpressionError(f"the file is larger than {MAX_FILE_BYTES // 1_000_000} MB",
                              where=where)
    text = strip_bom(text)
    try:
        data = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_unique)
    except RecursionError:
        raise ExpressionError("the file is nested too deeply to be a session", where=where
                              ) from None
    except ValueError as exc:
        raise ExpressionError(f"not valid JSON: {short(str(exc), 120)}", where=where) from None
    return session_from_dict(data, where)


def _unique(pairs: list[tuple[str, object]]) -> dict:
    """A key given twice would silently lose the first value: refuse it."""
    data = dict(pairs)
    if len(data) != len(pairs):
        seen = set()
        twice = next(k for k, _ in pairs if k in seen or seen.add(k))
        raise ValueError(f"the key {short(twice)!r} is given twice")
    return data


def _reject_constant(name: str):
    raise ValueError(f"{name} is not allowed")


def session_from_dict(data: object, where: str = "session") -> Session:
    def bad(message: str) -> ExpressionError:
        return ExpressionError(message, where=where)

    if not isinstance(data, dict):
        raise bad("not a session file (expected a JSON object)")
    if data.get("format") != FORMAT:
        raise bad(f"not a session file (\"format\" must be \"{FORMAT}\")")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise bad("\"version\" must be a whole number")
    if version > VERSION:
        raise bad(f"made by a newer version of the app (session version {version}, "
                  f"this app reads up to {VERSION})")
    if version < 1:
        raise bad(f"unknown session version {version}")
    text = data.get("text")
    if not isinstance(text, str):
        raise bad("\"text\" must be the program as a string")
    if not _encodable(text):
        raise bad("\"text\" holds characters that are not valid Unicode")
    if len(text) > MAX_TEXT_CHARS:
        raise bad(f"\"text\" is longer than {MAX_TEXT_CHARS:,} characters")
    variables = data.get("variables", {})
    if not isinstance(variables, dict):
        raise bad("\"variables\" must be an object of name → {role, value}")
    if len(variables) > MAX_VARIABLES:
        raise bad(f"more than {MAX_VARIABLES:,} variables")
    bindings = {}
    for name, entry in variables.items():
        label = f"variable {short(name)!r}"
        if not name.isidentifier():
            raise bad(f"{label}: not a valid name")
        if len(name) > MAX_NAME:
            raise bad(f"{label}: the name is longer than {MAX_NAME} characters")
        if not isinstance(entry, dict):
            raise bad(f"{label}: expected {{\"role\": …, \"value\": …}}")
        role = entry.get("role")
        if role not in ROLES:
            raise bad(f"{label}: role must be \"data\" or \"parameter\"")
        bindings[name] = Binding(role, _value(entry.get("value"), bad, label))
    position = data.get("position")
    if position is not None and (not isinstance(position, int) or isinstance(position, bool)
                                 or position < 0):
        raise bad("\"position\" must be a whole number ≥ 0")
    title = data.get("title", "")
    if not isinstance(title, str) or not _encodable(title):
        raise bad("\"title\" must be a string")
    settings = data.get("settings", {})
    if not isinstance(settings, dict):
        raise bad("\"settings\" must be an object")
    draws = data.get("draws", [])
    if not isinstance(draws, list) or len(draws) > MAX_DRAWS:
        raise bad(f"\"draws\" must be a list of at most {MAX_DRAWS} numbers or lists")
    draws = [_value(entry, bad, f"draw {i + 1}") for i, entry in enumerate(draws)]
    ninja = data.get("ninja")
    if ninja is not None:
        ninja = check_progress(ninja, where)
    return Session(text, bindings, position, title[:200], settings, draws, ninja)


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from a JSON escape such as \ud800
        return False
    return True


_NON_FINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


def _value(value: object, bad, label: str) -> np.ndarray:
    def number(x: object) -> float:
        if isinstance(x, str) and x in _NON_FINITE:  # written so by to_json_value
            return _NON_FINITE[x]
        if isinstance(x, bool) or not isinstance(x, (int, float)):
            raise bad(f"{label}: value must be a number or a list of numbers")
        try:
            f = float(x)
        except OverflowError:
            raise bad(f"{label}: number too large") from None
        if not math.isfinite(f):  # 1e999 reads as inf; only the spelled-out strings may
            raise bad(f"{label}: value must be finite (or the string \"nan\"/\"inf\")")
        return f

    if isinstance(value, list):
        count = [0]

        def rows(items: list, depth: int):
            if not items:
                raise bad(f"{label}: an empty list has no values")
            if depth > 8:
                raise bad(f"{label}: lists nested more than 8 deep")
            if isinstance(items[0], list):
                if not all(isinstance(i, list) for i in items):
                    raise bad(f"{label}: value must be a number or a list of numbers")
                result = [rows(i, depth + 1) for i in items]
                if len({np.shape(r) for r in result}) > 1:
                    raise bad(f"{label}: the rows have different lengths")
                return result
            count[0] += len(items)
            if count[0] > MAX_VECTOR:
                raise bad(f"{label}: at most {MAX_VECTOR:,} numbers")
            return [number(v) for v in items]

        return np.array(rows(value, 0), dtype=np.float64)
    return np.float64(number(value))


def load_session(path: str | os.PathLike) -> Session:
    path = Path(path)
    return session_from_json(read_bytes(path, MAX_FILE_BYTES), path.name)


def save_session(session: Session, path: str | os.PathLike) -> None:
    """Write atomically: a temporary file in the same folder, then a rename."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(session.to_json())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
