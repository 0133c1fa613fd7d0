"""Bad input, with where it is and what to do about it: the one error the engine raises."""

from __future__ import annotations

MAX_MESSAGE = 300


class ExpressionError(ValueError):
    """Bad input, with where it is and what to do about it.

    ``line``/``column`` are 1-based; both are ``None`` for input that is not program
    text (a value field, a session file), whose ``where`` names it instead.
    """

    def __init__(self, message: str, line: int | None = None, column: int | None = None,
                 hint: str | None = None, where: str | None = None):
        self.message = _cap(message)
        self.line = line
        self.column = column
        self.hint = _cap(hint) if hint else None
        self.where = where
        super().__init__(str(self))

    @property
    def location(self) -> str:
        parts = []
        if self.where:
            parts.append(self.where)
        if self.line is not None:
            parts.append(f"line {self.line}" + (f", column {self.column}" if self.column else ""))
        return ", ".join(parts)

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        return f"{text} ({self.hint})" if self.hint else text


def _cap(text: str, limit: int = MAX_MESSAGE) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def short(name: str, limit: int = 40) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def syntax_error(exc: SyntaxError, text: str) -> ExpressionError:
    """A SyntaxError from ``ast.parse`` in the app's words, at its line and column, with a
    hint for the usual slips (``2x``, ``^``, a parenthesis left open)."""
    line = exc.lineno or 1
    column = exc.offset or 1
    message = (exc.msg or "invalid syntax").replace("invalid syntax. ", "")
    hint = None
    bad_line = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
    if "invalid decimal literal" in message:
        hint = "write 2 * x for a product"
    elif "^" in bad_line:
        hint = "use ** for powers: x ** 2"
    elif "was never closed" in message or "unmatched" in message:
        hint = "check the parentheses"
    elif "=" not in bad_line and bad_line.strip():
        hint = "write one assignment per line, as in 'y = w * x'"
    return ExpressionError(f"syntax error: {message}", line, column, hint=hint)
