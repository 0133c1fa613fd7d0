"""What a recorded run printed up to a point, and its traceback in the learner's terms.

Plain Python (no Qt), so the rules are tested without a window. A recording counts the
script's stdout in UTF-8 bytes (``stdout_bytes`` per node, ``stdout_bytes_start`` /
``stdout_bytes_end`` per pass: the recorder contract); the Output pane shows the text
printed before the step on screen, so stepping back never reveals an answer early.
"""

from __future__ import annotations

import re
from pathlib import Path

#: the lines of a traceback that name a frame: ``  File "x.py", line 3, in <module>``
_FRAME = re.compile(r'^  File "(?P<file>[^"]+)", line (?P<line>\d+)')
#: what a script draws from unseeded generators (a new run gives other numbers)
_DRAWS = re.compile(r"\b(?:torch\.(?:randn|rand|randint|randperm|normal|bernoulli|multinomial)"
                    r"|nn\.(?:Linear|Conv[123]d|Bilinear|RNN|LSTM|GRU|Embedding|Dropout)"
                    r"|F\.dropout|np\.random\.|random\.(?:random|uniform|gauss|shuffle|choice)"
                    r"|train_test_split|\.uniform_\(|\.normal_\()")
_SEEDS = re.compile(r"\b(?:manual_seed|random\.seed|np\.random\.seed|default_rng\(\s*\d"
                    r"|random_state\s*=\s*\d)")


def field(record, name: str, default=None):
    """A pass record's field, whether the recorder hands a dict or an object."""
    if isinstance(record, dict):
        return record.get(name, default)
    return getattr(record, name, default)


def text_until(text: str, byte_count: int | None) -> str:
    """The first ``byte_count`` UTF-8 bytes of ``text`` as text (all of it for None).

    A cut inside a character drops that character: it was not printed whole yet."""
    if byte_count is None:
        return text
    data = text.encode("utf-8")
    if byte_count >= len(data):
        return text
    return data[:max(0, int(byte_count))].decode("utf-8", errors="ignore")


def _node_bytes(trace, record, node_id: int) -> int | None:
    """The stdout byte count when a trace node's op ran: from the recorded node it shows
    (``trace.recorded.recorded``: our id -> the recorded id, core.record.to_trace), or
    from the graph node itself."""
    built = trace.recorded
    shown = getattr(built, "recorded", None)
    if isinstance(shown, dict) and node_id in shown:
        for node in field(record, "nodes", []) or []:
            if field(node, "id") == shown[node_id]:
                value = field(node, "stdout_bytes")
                return None if value is None else int(value)
    value = getattr(trace.graph.nodes[node_id], "stdout_bytes", None)
    return None if value is None else int(value)


def bytes_at(trace, record, position: int, whole: int | None = None) -> int | None:
    """How much of the output was printed at ``position`` of a recorded pass's trace.

    - position 0: what was printed when the pass's first op ran (``stdout_bytes_start``);
    - a forward step: what was printed when its op ran (never less than before);
    - the local, backward and update phases: what was printed when ``backward()`` was
      called (``stdout_bytes_end``: a ``print(loss)`` before it shows);
    - the end of the pass: the same, or ``whole`` for the last pass of a run that ended
      (everything the script printed, after its loop too).
    """
    start = field(record, "stdout_bytes_start")
    start = 0 if start is None else int(start)
    end = field(record, "stdout_bytes_end")
    node_counts = [field(n, "stdout_bytes") for n in field(record, "nodes", []) or []]
    at_backward = max([start] + [int(c) for c in node_counts if c is not None]
                      + ([int(end)] if end is not None else []))
    length = len(trace)
    if position >= length:
        return whole if whole is not None else at_backward
    shown = start
    forward_end = trace.phase_starts.get("local", length + 1) - 1
    for step in trace.steps[:position]:
        if step.index > forward_end:
            return at_backward
        node_id = getattr(step, "node_id", None)
        count = _node_bytes(trace, record, node_id) if node_id is not None else None
        if count is not None:
            shown = max(shown, count)
    return shown


def trim_traceback(text: str, script: str | Path | None) -> str:
    """Python's traceback with only the learner's frames (the script's own file, or any
    file in its folder): the recorder's and runpy's frames are noise to a learner."""
    if not text.strip():
        return text
    folder = Path(script).resolve().parent if script else None
    lines = text.splitlines()
    kept: list[str] = []
    skipping = False
    for line in lines:
        match = _FRAME.match(line)
        if match:
            skipping = not _is_own(match.group("file"), script, folder)
            if not skipping:
                kept.append(line)
            continue
        if skipping and line.startswith("    "):
            continue  # the source line (and carets) of a frame left out
        skipping = False
        kept.append(line)
    return "\n".join(kept)


def _is_own(file: str, script, folder: Path | None) -> bool:
    if script is None:
        return True
    path = Path(file)
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):
        return False
    if resolved == Path(script).resolve():
        return True
    return folder is not None and resolved.parent == folder and "site-packages" not in file


def draws_unseeded(text: str) -> bool:
    """Whether the script draws random numbers with no seed in sight (a heuristic over
    its text: another run gives other numbers, so pass k will differ)."""
    return bool(_DRAWS.search(text)) and not _SEEDS.search(text)


def needs_torchvision(error: dict | None, output: str = "") -> bool:
    """The script stopped on torchvision (not installed, or the registry's CUDA build)."""
    if not error:
        return False
    words = f"{error.get('type', '')} {error.get('message', '')}"
    return "torchvision" in words or ("torchvision" in output and "Error" in words)
