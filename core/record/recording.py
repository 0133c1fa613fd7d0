"""The parent's side of a recording: what the bootstrap wrote, read back with bounded reads
and validated, as plain data (no torch here).

Nothing in a record folder is trusted: JSON files are read up to a size limit, tensors
only by names the bootstrap makes (``t/000123.npy``, or ``t/000124.bin@4096``: a pass's
one file of tensors at an offset), as .npy records whose header is checked before
anything is read (never pickle); a field of the wrong type is an error, never a crash.
Kept passes load lazily (:meth:`Recording.load_pass`): only the pass asked for becomes
a trace (float32 tensors become float64 there).
"""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MAX_JSON_BYTES = 64 * 2**20
MAX_NPY_BYTES = 512 * 2**20
#: a tensor the bootstrap wrote: its own .npy file, or a .npy record at an offset of the
#: one file a pass's tensors go to (one file per pass is cheaper to write than one each)
TENSOR_REF = re.compile(r"t/\d{6}\.npy|t/\d{6}\.bin@\d{1,12}")
_FORWARD = re.compile(r"forward(-\d{6})?\.json")


class RecordError(ValueError):
    """A record folder that is not what the bootstrap writes."""


@dataclass
class PassSummary:
    index: int
    loss: float | None
    kept: bool
    nodes: int = 0
    grad_norms: dict[str, float | None] = field(default_factory=dict)
    update: float | None = None
    stdout_bytes: int = 0


@dataclass
class GroupSummary:
    """A forward-only script's group: the ops of one iteration of its outer loop
    (``iteration`` None: the ops outside the loop), numbered from 1 like passes."""

    index: int
    iteration: int | None
    line: int | None
    nodes: int
    read: int
    kept: bool
    stdout_bytes: int = 0


@dataclass
class RecordedNode:
    id: int
    op: str | None
    kind: str
    name: str | None
    inputs: list
    kwargs: dict
    line: int | None
    module: str | None
    shape: tuple[int, ...]
    dtype: str
    stdout_bytes: int
    value: np.ndarray | None
    grad: np.ndarray | None
    summary: dict | None = None
    read: bool = False  # printed or read with .item() (a forward-only group's output)
    grad_fn: str | None = None  # torch's autograd node's name (``MulBackward0``), if any


@dataclass
class PassRecord:
    index: int
    loss: float | None
    nodes: list[RecordedNode]
    output: int | None
    optimizer: dict | None
    zero_grad: list[dict]
    grads_before: dict[str, np.ndarray]
    stdout_bytes_start: int = 0
    stdout_bytes_end: int = 0

    def node(self, node_id: int) -> RecordedNode:
        return self.by_id[node_id]

    @property
    def by_id(self) -> dict[int, RecordedNode]:
        return {n.id: n for n in self.nodes}


@dataclass
class Recording:
    folder: Path
    passes: list[PassSummary]
    forward_nodes: int
    parameters: dict[str, np.ndarray]
    exit: dict
    plots: list[str]
    run: object = None  # the runner's RunResult: prints, exit, dropped output, stderr
    forward_file: str | None = None
    #: a forward-only script's groups (one per iteration of its outer loop)
    groups: list[GroupSummary] = field(default_factory=list)

    def load_group(self, k: int) -> PassRecord | None:
        """Group ``k`` (1-based) of a forward-only recording; None if only summarised."""
        if not 1 <= k <= len(self.groups) or not self.groups[k - 1].kept:
            return None
        return read_pass(self.folder, self.folder / f"forward-{self.groups[k - 1].index:06d}.json")

    def load_pass(self, k: int) -> PassRecord | None:
        """Pass ``k`` (1-based) in full, or None when only its summary was kept."""
        if not 1 <= k <= len(self.passes) or not self.passes[k - 1].kept:
            return None
        return read_pass(self.folder, self.folder / f"pass-{k:06d}.json")

    def load_forward(self) -> PassRecord | None:
        """The forward ops of a script that never called backward() (its last kept
        group; a recording made before groups: all of them)."""
        if self.forward_file is None:
            return None
        return read_pass(self.folder, self.folder / self.forward_file)


def _json(path: Path):
    try:
        size = path.stat().st_size
        if size > MAX_JSON_BYTES:
            raise RecordError(f"{path.name} is {size:,} bytes (at most {MAX_JSON_BYTES:,})")
        with path.open("rb") as f:
            return json.loads(f.read(MAX_JSON_BYTES + 1))
    except (OSError, ValueError) as exc:
        raise RecordError(f"{path.name}: {exc}") from None


def tensor(folder: Path, ref) -> np.ndarray | None:
    """A tensor the bootstrap wrote (None for a summary or nothing)."""
    if ref is None or isinstance(ref, dict):
        return None
    if not isinstance(ref, str) or not TENSOR_REF.fullmatch(ref):
        raise RecordError(f"not a tensor file name: {str(ref)[:40]!r}")
    name, _, offset = ref.partition("@")
    try:
        with (folder / name).open("rb") as f:
            size, start = os.fstat(f.fileno()).st_size, int(offset or 0)
            f.seek(start)
            return _npy_record(f, ref, size - start)
    except (OSError, ValueError) as exc:
        raise RecordError(f"{ref}: {exc}") from None


def _npy_record(f, ref: str, room: int) -> np.ndarray:
    """The .npy record at ``f``'s position, its header checked before its data is read."""
    version = np.lib.format.read_magic(f)
    read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) \
        else np.lib.format.read_array_header_2_0
    shape, fortran, dtype = read_header(f)
    if dtype.kind not in "fiub" or dtype.hasobject:
        raise RecordError(f"{ref}: a {dtype} tensor")
    count = math.prod(shape)
    if count * dtype.itemsize > min(MAX_NPY_BYTES, room):
        raise RecordError(f"{ref}: {count:,} entries do not fit its file")
    data = np.fromfile(f, dtype=dtype, count=count)
    if data.size != count:
        raise RecordError(f"{ref}: the file ends within its data")
    return data.reshape(shape, order="F" if fortran else "C")


def write_tensor(folder: Path, ref: str, value: np.ndarray) -> None:
    """``value`` written back where ``ref`` names it (a session restored): in a pass's file,
    with the bootstrap's header, so that the records after it keep their offsets."""
    if not isinstance(ref, str) or not TENSOR_REF.fullmatch(ref):
        raise RecordError(f"not a tensor file name: {str(ref)[:40]!r}")
    name, _, offset = ref.partition("@")
    path = folder / name
    if not offset:
        np.save(path, value, allow_pickle=False)
        return
    value = np.asarray(value, dtype=value.dtype.newbyteorder("<"), order="C")
    header = f"{{'descr': '{value.dtype.str}', 'fortran_order': False, " \
             f"'shape': {value.shape!r}, }}"
    header += " " * (64 - (10 + len(header) + 1) % 64) + "\n"
    with path.open("r+b" if path.exists() else "wb") as f:
        f.seek(int(offset))
        f.write(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode())
        f.write(value.tobytes())


def _int(value, what: str, none: bool = False) -> int | None:
    if value is None and none:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecordError(f"{what} must be a whole number, not {str(value)[:20]!r}")
    return value


def _number(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if value in ("nan", "inf", "-inf"):
        return float(value)
    raise RecordError(f"not a number: {str(value)[:20]!r}")


def _node(folder: Path, raw) -> RecordedNode:
    if not isinstance(raw, dict):
        raise RecordError("a node must be an object")
    kind = raw.get("kind")
    if kind not in ("operation", "parameter", "data", "constant"):
        raise RecordError(f"unknown node kind {str(kind)[:20]!r}")
    inputs = raw.get("inputs") or []
    if not isinstance(inputs, list) or not isinstance(raw.get("kwargs") or {}, dict):
        raise RecordError("a node's inputs must be a list and its kwargs an object")
    shape = raw.get("shape") or []
    if not isinstance(shape, list) or not all(isinstance(s, int) for s in shape):
        raise RecordError("a node's shape must be a list of whole numbers")
    value_ref = raw.get("value")
    name, op, module = raw.get("name"), raw.get("op"), raw.get("module")
    grad_fn = raw.get("grad_fn")
    for text in (name, op, module, grad_fn):
        if text is not None and not isinstance(text, str):
            raise RecordError("names must be text")
    return RecordedNode(
        id=_int(raw.get("id"), "a node's id"), op=op, kind=kind, name=name, inputs=inputs,
        kwargs=raw.get("kwargs") or {}, line=_int(raw.get("line"), "a line", none=True),
        module=module, shape=tuple(shape), dtype=str(raw.get("dtype", "")),
        stdout_bytes=_int(raw.get("stdout_bytes", 0), "stdout_bytes"),
        value=tensor(folder, value_ref), grad=tensor(folder, raw.get("grad")),
        summary=value_ref.get("summary") if isinstance(value_ref, dict) else None,
        read=raw.get("read") is True, grad_fn=grad_fn[:100] if grad_fn else None)


def _optimizer(folder: Path, raw) -> dict | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not isinstance(raw.get("params", {}), dict):
        raise RecordError("the optimizer record must be an object")
    params = {}
    for name, numbers in raw.get("params", {}).items():
        if not isinstance(numbers, dict):
            raise RecordError("an optimizer parameter record must be an object")
        params[name] = {
            "before": tensor(folder, numbers.get("before")),
            "grad": tensor(folder, numbers.get("grad")),
            "after": tensor(folder, numbers.get("after")),
            "state": _state(folder, numbers.get("state")),
            "state_before": _state(folder, numbers.get("state_before")),
            "line": numbers["line"][:500] if isinstance(numbers.get("line"), str) else ""}
    settings = raw.get("settings") if isinstance(raw.get("settings"), dict) else {}
    return {"class": str(raw.get("class", "")), "settings": settings, "params": params}


def _state(folder: Path, raw) -> dict:
    """An optimizer's per-parameter state: tensors (momentum_buffer, exp_avg …), numbers."""
    if not isinstance(raw, dict):
        return {}
    return {str(k): (tensor(folder, v) if isinstance(v, str) else
                     v if isinstance(v, (int, float)) and not isinstance(v, bool) else None)
            for k, v in raw.items()}


def read_pass(folder: Path, path: Path) -> PassRecord:
    raw = _json(path)
    if not isinstance(raw, dict) or not isinstance(raw.get("nodes"), list):
        raise RecordError(f"{path.name} is not a pass record")
    nodes = [_node(folder, n) for n in raw["nodes"]]
    ids = {n.id for n in nodes}
    for n in nodes:
        for i in n.inputs:
            refs = [i] if isinstance(i, int) else (i.get("list", []) if isinstance(i, dict)
                                                   else [])
            if any(not isinstance(r, int) or r not in ids for r in refs):
                raise RecordError(f"node {n.id} uses a node the record does not hold")
    output = _int(raw.get("output"), "the output", none=True)
    if output is not None and output not in ids:
        raise RecordError("the pass's output is not among its nodes")
    before = raw.get("grads_before") or {}
    return PassRecord(
        index=_int(raw.get("index", 0), "a pass index"), loss=_number(raw.get("loss")),
        nodes=nodes, output=output, optimizer=_optimizer(folder, raw.get("optimizer")),
        zero_grad=[z for z in raw.get("zero_grad") or [] if isinstance(z, dict)],
        grads_before={str(k): tensor(folder, v) for k, v in before.items()}
        if isinstance(before, dict) else {},
        stdout_bytes_start=_int(raw.get("stdout_bytes_start", 0), "stdout_bytes_start"),
        stdout_bytes_end=_int(raw.get("stdout_bytes_end", 0), "stdout_bytes_end"))


def _summary(raw) -> PassSummary:
    if not isinstance(raw, dict):
        raise RecordError("a pass summary must be an object")
    norms = raw.get("grad_norms") or {}
    return PassSummary(
        index=_int(raw.get("index"), "a pass index"), loss=_number(raw.get("loss")),
        kept=bool(raw.get("kept")), nodes=_int(raw.get("nodes", 0), "a node count"),
        grad_norms={str(k): _number(v) for k, v in norms.items()}
        if isinstance(norms, dict) else {},
        update=_number(raw.get("update")), stdout_bytes=_int(raw.get("stdout_bytes", 0),
                                                             "stdout_bytes"))


def _group(raw) -> GroupSummary:
    if not isinstance(raw, dict):
        raise RecordError("a group summary must be an object")
    return GroupSummary(
        index=_int(raw.get("index"), "a group index"),
        iteration=_int(raw.get("iteration"), "an iteration", none=True),
        line=_int(raw.get("line"), "a line", none=True),
        nodes=_int(raw.get("nodes", 0), "a node count"),
        read=_int(raw.get("read", 0), "a count of values read"), kept=bool(raw.get("kept")),
        stdout_bytes=_int(raw.get("stdout_bytes", 0), "stdout_bytes"))


def load_recording(record_dir, result=None) -> Recording:
    """The recording in ``record_dir``; without summary.json (a run stopped by a limit or
    ``os._exit``), what the pass files hold."""
    folder = Path(record_dir)
    summary_path = folder / "summary.json"
    if summary_path.exists():
        raw = _json(summary_path)
        if not isinstance(raw, dict) or not isinstance(raw.get("passes", []), list):
            raise RecordError("summary.json is not a recording summary")
        passes = [_summary(p) for p in raw.get("passes", [])]
        forward = raw.get("forward") if isinstance(raw.get("forward"), dict) else {}
        params_raw = raw.get("parameters") if isinstance(raw.get("parameters"), dict) else {}
        parameters = {str(k): v for k, ref in params_raw.items()
                      if (v := tensor(folder, ref)) is not None}
        exit_ = raw.get("exit") if isinstance(raw.get("exit"), dict) else {}
        plots = [p for p in raw.get("plots", []) if isinstance(p, str)
                 and re.fullmatch(r"plots/\d{3}\.png", p)]
        forward_file = forward.get("file") if isinstance(forward.get("file"), str) and \
            _FORWARD.fullmatch(forward["file"]) else None
        groups = forward.get("groups") if isinstance(forward.get("groups"), list) else []
        return Recording(folder, passes, _int(forward.get("nodes", 0), "forward nodes"),
                         parameters, exit_, plots, result, forward_file,
                         [_group(g) for g in groups])
    files = {}
    for path in sorted(folder.glob("pass-*.json")):
        record = read_pass(folder, path)
        files[record.index] = PassSummary(record.index, record.loss, True, len(record.nodes))
    streamed = getattr(result, "streamed", None) or []
    passes = _streamed_passes(streamed, files)
    groups = _streamed_groups(streamed, folder)
    kept = [g for g in groups if g.kept]
    return Recording(folder, passes, sum(g.nodes for g in groups), {}, {}, [], result,
                     f"forward-{kept[-1].index:06d}.json" if kept else None, groups)


def _streamed_passes(events: list, files: dict[int, PassSummary]) -> list[PassSummary]:
    """A run that ended before its summary.json (Stop, a limit, a crash): every pass the
    parent heard of (loss, node count, gradient norms, the update's size), kept where
    its file was written; numbered from 1 with no gap."""
    passes: list[PassSummary] = []
    for event in events:
        try:
            summary = _summary({**event, "kept": False, "update": None})
        except RecordError:
            break
        if event.get("event") != "pass" or summary.index != len(passes) + 1:
            continue
        if passes:
            passes[-1].update = _number(event.get("previous_update")) \
                if isinstance(event.get("previous_update"), (int, float)) else None
        passes.append(summary)
    for k in range(len(passes) + 1, max(files, default=0) + 1):  # a file the stream lacks
        if k not in files:
            break
        passes.append(files[k])
    for found in passes:
        found.kept = found.index in files
    return passes


def _streamed_groups(events: list, folder: Path) -> list[GroupSummary]:
    groups: list[GroupSummary] = []
    for event in events:
        if event.get("event") != "group":
            continue
        try:
            group = _group({**event, "kept": False})
        except RecordError:
            break
        if group.index == len(groups) + 1:
            group.kept = (folder / f"forward-{group.index:06d}.json").is_file()
            groups.append(group)
    return groups


def finite(value) -> float | None:
    """A JSON-safe float (None for nan/inf)."""
    return None if value is None or not math.isfinite(value) else float(value)
