"""Ninja progress as a session keeps it: the level and, per node, the score and answer.

Plain JSON data, checked field by field like the rest of a session (:mod:`core.io.session`)
and never run: an answer's text is only ever read again by the ``ast`` whitelist.

    "ninja": {"level": 1, "records": {"s": {"attempts": 2, "result": "exact",
              "hint_used": true, "shown": false, "answer": "2 * s * d_loss"}}}
"""

from __future__ import annotations

from core.base.errors import ExpressionError, short

MAX_RECORDS = 50_000
MAX_TEXT = 20_000
RESULTS = ("", "exact", "close")
_FIELDS = {"attempts": int, "result": str, "hint_used": bool, "shown": bool, "answer": str}


def check_progress(data: object, where: str = "session") -> dict:
    """The ``ninja`` field of a session, validated; ExpressionError naming the field."""
    def bad(message: str) -> ExpressionError:
        return ExpressionError(f"\"ninja\": {message}", where=where)

    if not isinstance(data, dict) or set(data) - {"level", "records"}:
        raise bad("expected {\"level\": 1, 2 or 3, \"records\": {…}}")
    level = data.get("level", 1)
    if level not in (1, 2, 3) or isinstance(level, bool):
        raise bad("\"level\" must be 1, 2 or 3")
    records = data.get("records", {})
    if not isinstance(records, dict) or len(records) > MAX_RECORDS:
        raise bad(f"\"records\" must be an object of at most {MAX_RECORDS:,} nodes")
    checked = {}
    for key, record in records.items():
        label = f"the record of {short(key)!r}"
        if len(key) > 300 or not isinstance(record, dict) or set(record) - set(_FIELDS):
            raise bad(f"{label} must be an object of {', '.join(_FIELDS)}")
        for name, kind in _FIELDS.items():
            value = record.get(name, {int: 0, str: "", bool: False}[kind])
            if not isinstance(value, kind) or kind is int and isinstance(value, bool):
                raise bad(f"{label}: \"{name}\" must be {kind.__name__}")
        if record.get("attempts", 0) < 0 or record.get("result", "") not in RESULTS:
            raise bad(f"{label}: attempts ≥ 0 and a result of \"exact\", \"close\" or \"\"")
        if len(record.get("answer", "")) > MAX_TEXT:
            raise bad(f"{label}: the answer is longer than {MAX_TEXT:,} characters")
        checked[key] = dict(record)
    return {"level": level, "records": checked}
