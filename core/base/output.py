"""Writing to stdout and stderr without tracebacks, for every command line.

- A terminal that cannot show ``−`` or ``∂`` (``PYTHONIOENCODING=ascii``, ``cp1252``,
  ``LC_ALL=C``) gets ASCII forms (``-``, ``d``, …), never a UnicodeEncodeError.
- Output that cannot be written (``> /dev/full``, a full disk) is one line,
  ``error: could not write the output: …``, and exit status 3 (:data:`EXIT_NOT_WRITTEN`),
  which wins over 1.
- A reader that leaves early (``… | head``) ends the run quietly.
"""

from __future__ import annotations

import codecs
import os
import sys

EXIT_NOT_WRITTEN = 3
ERROR_HANDLER = "backprop-ascii"

#: what the app's own symbols become where the terminal cannot show them
ASCII_FORMS = {
    "−": "-", "∂": "d", "·": "*", "×": "x", "÷": "/", "✓": "ok", "✗": "X", "—": "-",
    "–": "-", "…": "...", "²": "^2", "³": "^3", "←": "<-", "→": "->", "≤": "<=", "≥": ">=",
    "≈": "~", "Σ": "sum", "√": "sqrt", "ŷ": "y_hat", "⁻": "^-", "¹": "1", "⁰": "0",
    "‘": "'", "’": "'", "“": '"', "”": '"', "∞": "inf", "σ": "sigma", "λ": "lambda",
}


def _ascii_forms(error: UnicodeError):
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start:error.end]
    return "".join(ASCII_FORMS.get(ch, "?") for ch in text), error.end


codecs.register_error(ERROR_HANDLER, _ascii_forms)


def _utf(stream) -> bool:
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
    return encoding in ("utf-8", "utf8", "utf-16", "utf-32")


def prepare_streams() -> None:
    """Let stdout and stderr fall back to ASCII forms for what they cannot encode."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and not _utf(stream) and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors=ERROR_HANDLER)
            except (ValueError, OSError):  # a closed or unusual stream: leave it
                pass


def stdout_is_unicode() -> bool:
    return _utf(sys.stdout)


def _silence_stdout() -> None:
    """After a failed write, the buffer still holds the text; interpreter exit would try
    to flush it again and print "Exception ignored …". Point stdout at /dev/null."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def write_stdout(text: str) -> int | None:
    """Write and flush; None when written (or the reader left: nothing to say), else
    the exit status to end with (3)."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        return None
    except OSError as exc:
        _silence_stdout()
        return not_written(exc)
    return None


def say_error(text: str) -> None:
    """One ``error:`` line on stderr, and nothing more even when stderr is gone."""
    try:
        sys.stderr.write(f"error: {text}\n")
        sys.stderr.flush()
    except OSError:
        pass


def not_written(exc: BaseException | str) -> int:
    """Say that the output was not written, in one line; the exit status is 3."""
    detail = exc if isinstance(exc, str) else (getattr(exc, "strerror", None) or str(exc))
    say_error(f"could not write the output: {detail}")
    return EXIT_NOT_WRITTEN
