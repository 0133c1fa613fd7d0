"""The command line's JSON, compact by default: each value and gradient appears once.

``values`` and ``grads`` carry every number. Everything else refers to them instead of
repeating them (issue 21: a 1,000-element vector through 997 ops made 113 MB of JSON,
10⁶ values and 10⁶ gradients repeated per column):

- ``torch.values``, ``torch.grads`` and ``numeric_grads`` keep a verdict per node,
  ``{"match": true}``, or ``{"match": false, "differs": [{"index", "ours", "torch" |
  "numeric"}]}`` listing only the entries beyond tolerance;
- a step's ``value`` (and a contribution's ``upstream``, ``local``, ``value``) is written
  in full up to :data:`STEP_ENTRIES` entries; a larger one is a summary
  ``{"shape", "min", "max", "mean", "see"}``, where ``see`` names the key that holds it
  in full (``values``, ``grads``) or ``--json-full``.

``--json-full`` keeps the complete form: every number wherever it applies.
"""

from __future__ import annotations

import json

import numpy as np

from core.base.values import to_json_value

#: a step's value is written in full up to this many entries (else summarised)
STEP_ENTRIES = 100
#: a result whose graph holds more entries than this is written without indentation
INDENT_ENTRIES = 10_000
#: finite differences' own tolerance (core.checks.numeric.agrees)
NUMERIC_RTOL, NUMERIC_ATOL = 1e-4, 1e-6


def step_value(value, see: str | None, full: bool):
    """A step's number: itself, or (large, compact form) a summary pointing to it."""
    if full or value is None or np.size(value) <= STEP_ENTRIES:
        return to_json_value(value)
    array = np.asarray(value, dtype=np.float64)
    with np.errstate(all="ignore"):
        summary = {"shape": list(array.shape), "min": to_json_value(np.min(array)),
                   "max": to_json_value(np.max(array)), "mean": to_json_value(np.mean(array))}
    summary["see"] = see or "--json-full"
    return summary


def _entry(index: int, shape: tuple, ours, theirs, key: str) -> dict:
    where = [int(i) for i in np.unravel_index(index, shape)] if shape else []
    return {"index": where, "ours": to_json_value(np.asarray(ours).flat[index]),
            key: to_json_value(np.asarray(theirs).flat[index])}


def verdict(ours, theirs, ok: bool, differs, key: str) -> dict:
    """``{"match": true}``, or the entries beyond tolerance (all of theirs when unpaired)."""
    if ok:
        return {"match": True}
    if differs is None or theirs is None:
        return {"match": False, "ours": to_json_value(ours), key: to_json_value(theirs)}
    shape = np.shape(ours)
    return {"match": False, "differs": [_entry(int(i), shape, ours, theirs, key)
                                        for i in differs]}


def torch_verdicts(report, quantity: str) -> dict:
    """Per named node, torch's verdict for its value or gradient (as the table's ✓/✗)."""
    named = report.values if quantity == "value" else report.grads
    return {row.name: verdict(row.ours, row.torch, row.ok, row.differs, "torch")
            for row in report.rows if row.quantity == quantity and row.name in named}


def numeric_verdicts(numeric: dict, grads: dict) -> dict:
    """Per parameter, whether central differences agree with our gradient, entry by entry."""
    found = {}
    for name, value in numeric.items():
        if value is None:  # not computed (too large to difference entry by entry)
            found[name] = None
            continue
        ours = grads.get(name)
        if ours is None or np.shape(ours) != np.shape(value):
            found[name] = verdict(ours, value, False, None, "numeric")
            continue
        with np.errstate(all="ignore"):
            close = np.isclose(np.asarray(ours, float), np.asarray(value, float),
                               rtol=NUMERIC_RTOL, atol=NUMERIC_ATOL)
        found[name] = verdict(ours, value, bool(np.all(close)), np.flatnonzero(~close),
                              "numeric")
    return found


def dumps(result: dict, entries: int, ensure_ascii: bool) -> str:
    """The JSON text: indented for a small program, compact for a large one (time, size)."""
    if entries <= INDENT_ENTRIES:
        return json.dumps(result, ensure_ascii=ensure_ascii, indent=2) + "\n"
    return json.dumps(result, ensure_ascii=ensure_ascii, separators=(",", ":")) + "\n"
