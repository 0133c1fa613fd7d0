"""A recorded run inside a session file (issue 20 §5): the script's output, every pass's
summary and as many kept passes as fit, as plain JSON (never pickle).

:func:`saved_recording` packs a record folder (what the bootstrap wrote) into a JSON
object: its ``summary.json`` and ``pass-NNNNNN.json`` as they are, each tensor file they
name as ``{"dtype", "shape", "data"}``. :func:`restore_recording` checks that object,
writes the files back into a folder of the caller's and reads them with
:func:`core.record.recording.load_recording`, so a saved pass is validated exactly as a
fresh one. Opening such a session runs nothing.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core.record.recording import TENSOR_REF, RecordError, load_recording, tensor, write_tensor

FORMAT = 1
#: the JSON a session gives its recording, at most (the session file holds 20 MB)
BUDGET_BYTES = 12_000_000
MAX_ENTRIES = 1_000_000
_REF = TENSOR_REF
_PASS = re.compile(r"pass-\d{6}\.json")
_FORWARD = re.compile(r"forward-\d{6}\.json")
_PLOT = re.compile(r"plots/\d{3}\.png")
PNG = b"\x89PNG\r\n\x1a\n"
#: a saved figure, at most (as gui.panels.plots_panel shows one)
MAX_PLOT_BYTES = 4_000_000
DTYPES = ("float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool")


@dataclass
class SavedRun:
    """What a session keeps of the runner's result (gui.state.run_state reads these)."""

    status: str = "ok"
    error: dict | None = None
    stdout_text: str = ""
    stderr_lines: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0
    record_dir: Path | None = None
    returncode: int | None = None


def _refs(data) -> set[str]:
    """Every tensor file a record's JSON names."""
    found, stack = set(), [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str) and _REF.fullmatch(item):
            found.add(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _tensor_json(folder: Path, ref: str) -> dict:
    value = tensor(folder, ref)
    data = value.astype(np.float64).ravel() if value.dtype.kind == "f" else value.ravel()
    numbers = [x if math.isfinite(x) else str(x) for x in data.tolist()] \
        if value.dtype.kind == "f" else data.tolist()
    return {"dtype": value.dtype.name, "shape": list(value.shape), "data": numbers}


def saved_recording(folder, run, order: list[int]) -> dict:
    """The record in ``folder`` as JSON, with the kept passes of ``order`` (most wanted
    first) while they fit :data:`BUDGET_BYTES`; the other passes keep their summary."""
    folder = Path(folder)
    summary_path = folder / "summary.json"
    summary = json.loads(summary_path.read_text("utf-8")) if summary_path.exists() else None
    output = getattr(run, "stdout_text", "") or ""
    used = len(output.encode("utf-8")) + 2 * len(json.dumps(summary or {}))
    passes, tensors = {}, {}
    forward = (summary or {}).get("forward") or {}
    groups = [f"forward-{g['index']:06d}.json" for g in forward.get("groups") or []
              if isinstance(g, dict) and g.get("kept") and isinstance(g.get("index"), int)]
    # a forward-only script: its last group (the end of the run) first, then the others
    names = [f"pass-{k:06d}.json" for k in order] + groups[-1:] + groups[:-1]
    for name in names:
        path = folder / name
        if not path.exists():
            continue
        raw = json.loads(path.read_text("utf-8"))
        new = {ref: _tensor_json(folder, ref) for ref in _refs(raw) - tensors.keys()}
        size = len(json.dumps(raw)) + len(json.dumps(new))
        if used + size > BUDGET_BYTES:
            continue
        used += size
        passes[str(int(name[5:11])) if name.startswith("pass-") else name] = raw
        tensors.update(new)
    if summary is not None:
        for ref in _refs(summary.get("parameters", {})) - tensors.keys():
            tensors[ref] = _tensor_json(folder, ref)
    plots = _saved_plots(folder, (summary or {}).get("plots"), BUDGET_BYTES - used)
    return {"format": FORMAT, "summary": summary, "passes": passes, "tensors": tensors,
            "plots": plots, "output": output, "status": getattr(run, "status", "ok"),
            "error": getattr(run, "error", None),
            "stderr": list(getattr(run, "stderr_lines", []) or [])[-200:],
            "elapsed": float(getattr(run, "elapsed_s", 0.0) or 0.0)}


def _saved_plots(folder: Path, names, room: int) -> dict[str, str]:
    """The figures the script showed (``plt.show()``), as base64 PNG, in the order shown,
    while they fit ``room`` bytes (a session keeps its recording's whole run)."""
    plots: dict[str, str] = {}
    for name in names if isinstance(names, list) else []:
        path = folder / name if isinstance(name, str) and _PLOT.fullmatch(name) else None
        try:
            data = path.read_bytes() if path is not None and \
                path.stat().st_size <= MAX_PLOT_BYTES else b""
        except OSError:
            continue
        text = base64.b64encode(data).decode("ascii")
        if not data.startswith(PNG) or len(text) > room:
            continue
        room -= len(text)
        plots[name] = text
    return plots


def _restore_plots(folder: Path, plots) -> None:
    """The saved figures written back as ``plots/NNN.png``: PNG files only, by the names
    the bootstrap gives them (core.record.recording reads no others)."""
    if plots is None:
        return  # a session saved before figures were kept
    if not isinstance(plots, dict):
        raise RecordError("the session's plots must be an object")
    for name, text in plots.items():
        if not isinstance(name, str) or not _PLOT.fullmatch(name) or not isinstance(text, str) \
                or len(text) > MAX_PLOT_BYTES * 4 // 3 + 4:
            raise RecordError("a saved plot must be a PNG under its name (plots/NNN.png)")
        try:
            data = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise RecordError(f"{name}: not base64") from None
        if not data.startswith(PNG):
            raise RecordError(f"{name}: not a PNG image")
        (folder / "plots").mkdir(exist_ok=True)
        (folder / name).write_bytes(data)


def restore_recording(data, folder):
    """``(SavedRun, Recording)`` from what :func:`saved_recording` made, its files
    written into ``folder``; raises RecordError for anything else."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise RecordError("the session's recording is not in a format this app reads")
    output, status = data.get("output", ""), data.get("status", "ok")
    error, stderr = data.get("error"), data.get("stderr", [])
    if not isinstance(output, str) or status not in ("ok", "raised", "stopped") \
            or not (error is None or isinstance(error, dict)) \
            or not (isinstance(stderr, list) and all(isinstance(s, str) for s in stderr)):
        raise RecordError("the session's recording has a bad output, status or error")
    elapsed = data.get("elapsed", 0.0)
    if isinstance(elapsed, bool) or not isinstance(elapsed, (int, float)):
        raise RecordError("the session's recording has a bad time")
    folder = Path(folder)
    (folder / "t").mkdir(parents=True, exist_ok=True)
    tensors = data.get("tensors", {})
    if not isinstance(tensors, dict):
        raise RecordError("the session's tensors must be an object")
    for ref, entry in tensors.items():
        write_tensor(folder, _tensor_name(ref), _tensor(ref, entry))
    passes = data.get("passes", {})
    if not isinstance(passes, dict):
        raise RecordError("the session's passes must be an object")
    for k, raw in passes.items():
        name = f"pass-{int(k):06d}.json" if isinstance(k, str) and k.isdigit() else k
        if not (_PASS.fullmatch(name) or _FORWARD.fullmatch(name)) or not isinstance(raw, dict):
            raise RecordError("a saved pass must be a pass record under its number")
        (folder / name).write_text(json.dumps(raw), "utf-8")
    _restore_plots(folder, data.get("plots"))
    summary = data.get("summary")
    if summary is not None:
        if not isinstance(summary, dict) or not isinstance(summary.get("passes", []), list):
            raise RecordError("the session's recording summary is not an object")
        summary = dict(summary)
        summary["passes"] = [dict(p, kept=str(p.get("index")) in passes)
                             if isinstance(p, dict) else p for p in summary["passes"]]
        summary["forward"] = _saved_forward(summary.get("forward"), passes)
        (folder / "summary.json").write_text(json.dumps(summary), "utf-8")
    run = SavedRun(status, error, output, list(stderr), float(elapsed), folder)
    return run, load_recording(folder, run)


def _saved_forward(forward, saved: dict):
    """The forward summary with only the groups the session holds marked kept; its file
    is the last of those (the end of the run)."""
    if not isinstance(forward, dict) or not isinstance(forward.get("groups"), list):
        return forward
    groups = [dict(g, kept=isinstance(g.get("index"), int)
                   and f"forward-{g['index']:06d}.json" in saved)
              if isinstance(g, dict) else g for g in forward["groups"]]
    kept = [g for g in groups if isinstance(g, dict) and g["kept"]]
    return dict(forward, groups=groups,
                file=f"forward-{kept[-1]['index']:06d}.json" if kept else None)


def _tensor_name(ref) -> str:
    if not isinstance(ref, str) or not _REF.fullmatch(ref):
        raise RecordError(f"not a tensor file name: {str(ref)[:40]!r}")
    return ref


def _tensor(ref: str, entry) -> np.ndarray:
    if not isinstance(entry, dict) or entry.get("dtype") not in DTYPES:
        raise RecordError(f"{ref}: a tensor needs a dtype among {', '.join(DTYPES)}")
    shape, data = entry.get("shape"), entry.get("data")
    if not isinstance(shape, list) or not all(isinstance(s, int) and not isinstance(s, bool)
                                              and 0 <= s <= MAX_ENTRIES for s in shape):
        raise RecordError(f"{ref}: a shape is a list of sizes")
    count = int(np.prod(shape, dtype=np.int64)) if shape else 1
    if count > MAX_ENTRIES or not isinstance(data, list) or len(data) != count:
        raise RecordError(f"{ref}: {count:,} entries expected")
    numbers = []
    for x in data:
        if isinstance(x, str) and x in ("nan", "inf", "-inf"):
            numbers.append(float(x))
        elif isinstance(x, (int, float)):
            numbers.append(x)
        else:
            raise RecordError(f"{ref}: the data must be numbers")
    try:
        return np.asarray(numbers, dtype=np.float64).astype(entry["dtype"]).reshape(shape)
    except (ValueError, OverflowError) as exc:
        raise RecordError(f"{ref}: {exc}") from None
