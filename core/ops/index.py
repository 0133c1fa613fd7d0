"""Tables derived from the entries: which names call which op, torch's grad_fns, the texts.

Nothing here is kept by hand. Each table is a live view over :data:`core.ops.base.OPS`,
rebuilt when an entry comes or goes (:func:`core.ops.base.generation`), so an op
registered later (a test's made-up ``cube``) is called, printed and explained like the
others. The views read as the tuples and dicts they replace: ``name in FUNCTIONS``,
``sorted(F_FUNCTIONS)``, ``GRAD_FNS.get(op)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from core.ops.base import OPS, Op, generation

#: readers that take one tensor and nothing else the parser must know (f(x), x.sum())
PLAIN = ("unary", "reduce")
#: readers whose calls the parser reads with their own arguments (dim=, a target …)
TENSOR_READERS = ("matmul", "transpose", "reshape", "flatten", "squeeze", "along", "loss")


class _Cached:
    def __init__(self, build: Callable[[], Any]):
        self._build = build
        self._at = -1
        self._value: Any = None

    def now(self) -> Any:
        if self._at != generation():
            self._value = self._build()
            self._at = generation()
        return self._value


class Names(Sequence[str]):
    """A tuple of call names, rebuilt from the entries when they change."""

    def __init__(self, build: Callable[[], tuple[str, ...]]):
        self._cache = _Cached(lambda: (lambda t: (t, frozenset(t)))(tuple(build())))

    def __getitem__(self, index):
        return self._cache.now()[0][index]

    def __len__(self) -> int:
        return len(self._cache.now()[0])

    def __iter__(self) -> Iterator[str]:
        return iter(self._cache.now()[0])

    def __contains__(self, name: object) -> bool:
        return name in self._cache.now()[1]

    def __repr__(self) -> str:
        return repr(self._cache.now()[0])


class Table(Mapping[str, Any]):
    """A dict derived from the entries, rebuilt when they change."""

    def __init__(self, build: Callable[[], dict]):
        self._cache = _Cached(build)

    def __getitem__(self, key: str):
        return self._cache.now()[key]

    def __len__(self) -> int:
        return len(self._cache.now())

    def __iter__(self) -> Iterator[str]:
        return iter(self._cache.now())

    def __contains__(self, key: object) -> bool:
        return key in self._cache.now()

    def __repr__(self) -> str:
        return repr(self._cache.now())


def _names(readers: tuple[str, ...], form: str | None = None) -> tuple[str, ...]:
    return tuple(name for entry in OPS.values() if entry.reader in readers
                 and (form is None or form in entry.forms) for name in entry.names)


def _callable() -> dict[str, Op]:
    return {name: entry for entry in OPS.values() for name in entry.names}


#: call name -> its entry (``mm`` -> matmul, ``t`` -> transpose, ``exp`` -> exp)
CALLS: Mapping[str, Op] = Table(_callable)
#: the functions written by name with one tensor: ``exp(x)``, ``torch.exp(x)``, ``x.exp()``
UNARY_FUNCTIONS: Sequence[str] = Names(lambda: _names(PLAIN, "name"))
#: every function the language lists by name (the unary ones, max/min, softmax …)
FUNCTIONS: Sequence[str] = Names(
    lambda: (*_names(PLAIN, "name"), *_names(("pick", "along"), "name")))
#: the names reachable as ``F.<name>``
F_FUNCTIONS: Sequence[str] = Names(
    lambda: tuple(n for e in OPS.values() if "F" in e.forms for n in e.names))
#: matmul's spellings: matmul, mm, mv, dot
MATMULS: Sequence[str] = Names(lambda: _names(("matmul",)))
#: t, transpose, reshape, view, flatten, unsqueeze, squeeze
SHAPE_METHODS: Sequence[str] = Names(
    lambda: _names(("transpose", "reshape", "flatten", "squeeze")))
#: softmax and log_softmax: along one dim
ALONG: Sequence[str] = Names(lambda: _names(("along",)))
#: the losses: a prediction and a target
LOSSES: Sequence[str] = Names(lambda: _names(("loss",)))
#: every name a call may have besides the element-wise functions
TENSOR_CALLS: Sequence[str] = Names(lambda: _names(TENSOR_READERS))
#: call name -> (its Spelling, its argument check): conv2d, pooling, dropout …
SPELLINGS: Mapping[str, tuple] = Table(lambda: {
    name: (entry.spelling, entry.spelling.check or _fine)
    for entry in OPS.values() if entry.spelling is not None for name in entry.names})
#: op key -> torch's grad_fn for its result
GRAD_FNS: Mapping[str, str] = Table(
    lambda: {key: entry.grad_fn for key, entry in OPS.items() if entry.grad_fn})


def grad_fn_of(key: str, attrs: dict | None = None, ndims: tuple[int, ...] = (),
               number_first: bool = False) -> str | None:
    """torch's grad_fn for op ``key``'s result, as its entry says: its ``grad_fn_rule`` for
    these attrs, operand ranks and operand order (``sum(dim=1)`` is SumBackward1, ``2 - x``
    RsubBackward1), else its ``grad_fn``; None where the entry does not say (a rule's
    "": not said for these operands)."""
    entry = OPS.get(key)
    if entry is None:
        return None
    if entry.grad_fn_rule is not None:
        found = entry.grad_fn_rule(attrs or {}, tuple(ndims), number_first)
        if found is not None:
            return found or None
    return entry.grad_fn or None


#: op key -> the dtype rule of its result ("float", "promote", "sum")
DTYPES: Mapping[str, str] = Table(lambda: {key: entry.dtype for key, entry in OPS.items()})
#: ``torch.nn`` module name -> op key (ReLU -> relu)
MODULES: Mapping[str, str] = Table(
    lambda: {entry.module: key for key, entry in OPS.items() if entry.module})


def _fine(name: str, attrs: dict) -> None:
    return None


def texts() -> dict[str, str]:
    """``why.<op>`` and ``rule.<op>`` for every entry that has them (core.engine.explain)."""
    found = {f"why.{key}": entry.why for key, entry in OPS.items() if entry.why}
    found.update({f"rule.{key}": entry.rule for key, entry in OPS.items() if entry.rule})
    return found


TEXTS: Mapping[str, str] = Table(texts)
