"""The values a script computes with, its limits, and what a run leaves behind."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from core.language.ir import Literal

MAX_LOOP = 10_000
#: statements and expressions run in all, over every loop: nested loops share it
MAX_OPERATIONS = 1_000_000
MAX_CALL_DEPTH = 50
IMPORTS = {("torch", None): "torch", ("torch.nn", "nn"): "torch.nn",
           ("torch.nn.functional", "F"): "torch.nn.functional"}
LEAF_ERROR = "a leaf Variable that requires grad is being used in an in-place operation."
SECOND_BACKWARD = ("Trying to backward through the graph a second time (or directly access "
                   "saved tensors after they have already been freed)")


@dataclass(eq=False)
class Tensor:
    """A value of the script: numbers in float64, and where its gradient comes from."""

    value: np.ndarray
    requires_grad: bool = False
    #: the tape entry that computed it (None for a leaf or data)
    ref: str | None = None
    name: str | None = None
    grad: np.ndarray | None = None
    freed: bool = False
    #: read out of a tensor that needs a gradient (``w[0][0]``): for its numbers only
    view: bool = False
    #: an nn module's parameter: torch prints it as "Parameter containing:"
    module_param: bool = False
    #: the script's name for a tensor that needs no gradient (``X``): its graph node
    data_name: str | None = None
    #: torch's dtype for it: "float32" (the default), "float64", "int64" or "bool"
    dtype: str = "float32"
    #: its number on the torch tape (core/script_tape.py), once recorded
    tid: int | None = None
    #: torch's grad_fn where torch has one and the engine does not (``.round()``)
    grad_fn: str | None = None

    @property
    def is_leaf(self) -> bool:
        return self.ref is None


@dataclass
class Row:
    """One ``backward()`` call: the training panel's iteration."""

    iteration: int
    loss: float
    params: dict[str, np.ndarray]
    grads: dict[str, np.ndarray | None]
    updated: dict[str, np.ndarray] = field(default_factory=dict)
    torch_match: bool | None = None
    graph: object = None
    #: each parameter's .grad before the call (what backward() adds to)
    grads_before: dict = field(default_factory=dict)
    #: how the parameters changed after this call, for the update phase (None: unchanged):
    #: {"rule": "SGD" | "Adam" | "manual", "lr", "momentum", "betas", "eps", "step",
    #:  "params": {name: {"before", "after", "grad", and "buffer" or "m", "v", "m_hat",
    #:  "v_hat" (optimizers), or "line" (the statement of a manual update)}}}
    update: dict | None = None
    #: graph node id -> the function of the script that computed it ("forward")
    groups: dict[int, str] = field(default_factory=dict)


@dataclass
class ScriptRun:
    prints: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    parameters: dict[str, Tensor] = field(default_factory=dict)
    torch_error: str | None = None
    #: for each line of ``prints``: how many backward() calls ran before it was printed
    print_rows: list[int] = field(default_factory=list)
    #: the error that stopped the script (``run_script(…, keep_partial=True)`` only): the
    #: rows and prints before it are kept, as the window steps them
    error: Exception | None = None
    #: the arrays torch drew (nn.Linear's initial numbers, torch.randn), in order
    draws: list[np.ndarray] = field(default_factory=list)
    #: what the torch side did (core/script_torch.py): "printed" lines, "code", per-row
    #: torch numbers; empty without the torch check
    torch: dict = field(default_factory=dict)
    #: what the torch check replays (a core.script_tape.Tape), kept by
    #: ``run_script(…, check_torch=True)``; None without the check
    tape: object = None


class Item(float):
    """``t.item()``: a plain number that remembers its tensor, so that the torch replay
    prints torch's own number where the script formats it."""

    tid: int | None = None


@dataclass(slots=True)
class NamedData(Literal):
    """An operand that is a named data tensor of the script: a data node ``X`` in the
    graph (a plain constant where the name would be ambiguous)."""

    name: str = ""
    key: int = 0


class Return(Exception):  # noqa: N818 - control flow, never escapes a call
    def __init__(self, value):
        self.value = value
