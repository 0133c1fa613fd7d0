"""Cooperative cancellation of a build running in a worker thread (issue 21).

The window builds big programs in a thread; when the learner applies another program,
the old build must stop rather than burn CPU and hold its arrays. Python cannot kill a
thread, so the engine's loops ask :func:`token` once and test ``token.cancelled``
between ops (one attribute read per op, never per element): the build raises
:class:`Cancelled` and its frames, with every array they held, are dropped.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class Cancelled(Exception):  # noqa: N818 - reads as what happened, like KeyboardInterrupt
    """The build was superseded: nobody wants its result any more."""


class Token:
    """A flag one thread sets (:meth:`cancel`) and a build's loops read."""

    __slots__ = ("cancelled",)

    def __init__(self) -> None:
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True  # a plain attribute write: atomic under the GIL

    def check(self) -> None:
        """Raise :class:`Cancelled` once :meth:`cancel` was called."""
        if self.cancelled:
            raise Cancelled("the build was superseded")


#: the token of a thread outside :func:`cancellable`: never cancelled
NEVER = Token()
_local = threading.local()


def token() -> Token:
    """This thread's token: ask once before a loop, test ``.cancelled`` inside it."""
    return getattr(_local, "token", NEVER)


def check() -> None:
    """Raise :class:`Cancelled` if this thread's build was cancelled."""
    token().check()


@contextmanager
def cancellable(flag: Token) -> Iterator[Token]:
    """Run the body with ``flag`` as this thread's token (nested uses restore the outer)."""
    outer = token()
    _local.token = flag
    try:
        yield flag
    finally:
        _local.token = outer
