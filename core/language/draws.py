"""Random tensors (``torch.randn``/``torch.rand``), drawn through torch itself.

The numbers are torch's own: after ``torch.manual_seed(s)`` the same as the lesson's
PyTorch code prints, in torch's default dtype, then held in float64 (exactly). Without
a seed they are drawn all the same. torch is imported only when a program draws;
:func:`forbidden` (``--no-torch``) makes a draw a clear error instead.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np


class _PerThread(threading.local):
    """A stack per thread (True: torch may be used): the window builds scripts in worker
    threads, two at once when a newer Apply supersedes one still running, and each must
    keep its own "no torch here". ``_allowed[-1]`` is falsy inside :func:`forbidden`."""

    def __init__(self) -> None:
        self.stack: list = [True]

    def __getitem__(self, index: int):
        return self.stack[index]

    def append(self, value) -> None:
        self.stack.append(value)

    def pop(self):
        return self.stack.pop()


_allowed = _PerThread()


class DrawError(RuntimeError):
    """torch is not to be used, or cannot be loaded."""


class Refusals:
    """How many draws :func:`forbidden` refused (the window then asks the worker)."""

    count = 0

    def __bool__(self) -> bool:  # "torch allowed?" – no
        return False


@contextmanager
def forbidden() -> Iterator[Refusals]:
    """No draws inside: ``--no-torch`` promises that torch is never imported."""
    refusals = Refusals()
    _allowed.append(refusals)
    try:
        yield refusals
    finally:
        _allowed.pop()


class Draws:
    """One program's generator: seeded by ``torch.manual_seed``, drawn in text order."""

    def __init__(self, replay: list | None = None) -> None:
        self._generator = None
        #: every array drawn, in order: what a session saves so that it reopens the same
        self.recorded: list[np.ndarray] = []
        #: numbers drawn before (a saved session, or the worker's draw): given back in
        #: order, without torch, as long as their shapes agree
        self._replay = [np.asarray(v, dtype=np.float64) for v in replay] if replay else None
        self._seed_later: int | None = None

    def _replayed(self, shape: tuple[int, ...]) -> np.ndarray | None:
        if self._replay is None:
            return None
        if not self._replay or self._replay[0].shape != tuple(shape):
            self._replay = None  # the text changed: draw afresh from here on
            if self._seed_later is not None:
                self.seed(self._seed_later)
            return None
        value = self._replay.pop(0)[()]
        self.recorded.append(value)
        return value

    def _keep(self, value: np.ndarray) -> np.ndarray:
        self.recorded.append(value)
        return value

    def _torch(self):
        refusals = _allowed[-1]
        if refusals is not True:
            refusals.count += 1
            raise DrawError("torch.randn and torch.rand draw their numbers through PyTorch, "
                            "which --no-torch turns off")
        try:
            import torch  # noqa: PLC0415 - only a program that draws pays for it
        except Exception as exc:  # ImportError, or a broken install raising OSError
            raise DrawError(f"PyTorch could not be loaded: {exc}") from None
        return torch

    def seed(self, seed: int) -> None:
        if self._replay is not None:
            self._seed_later = int(seed)  # the numbers are given: no torch needed
            return
        torch = self._torch()
        self._generator = torch.Generator().manual_seed(int(seed))

    def _seeded(self):
        """torch and the program's generator (seeded from the OS without manual_seed)."""
        torch = self._torch()
        if self._generator is None:
            self._generator = torch.Generator()
            self._generator.seed()
        return torch, self._generator

    def uniform(self, shape: tuple[int, ...], bound: float) -> np.ndarray:
        """Uniform in [-bound, bound], as nn.Linear initialises its weight and bias."""
        given = self._replayed(shape)
        if given is not None:
            return given
        torch, generator = self._seeded()
        values = torch.empty(shape).uniform_(-bound, bound, generator=generator)
        return self._keep(np.asarray(values.double().numpy(), dtype=np.float64)[()])

    def draw(self, kind: str, shape: tuple[int, ...]) -> np.ndarray:
        given = self._replayed(shape)
        if given is not None:
            return given
        torch, generator = self._seeded()
        make = torch.randn if kind == "randn" else torch.rand
        values = make(*shape, generator=generator) if shape else make((), generator=generator)
        return self._keep(np.asarray(values.double().numpy(), dtype=np.float64)[()])

    def mask(self, shape: tuple[int, ...], keep: float) -> np.ndarray:
        """Dropout's mask as torch's ``F.dropout`` draws it on the CPU: a tensor of the
        input's shape filled by ``bernoulli_(1 − p)`` (1 keeps an entry, 0 drops it)."""
        given = self._replayed(shape)
        if given is not None:
            return given
        torch, generator = self._seeded()
        values = torch.empty(shape).bernoulli_(keep, generator=generator)
        return self._keep(np.asarray(values.double().numpy(), dtype=np.float64)[()])
