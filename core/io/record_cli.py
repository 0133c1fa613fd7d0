"""``main.py --headless --run FILE``: run a script as Python with real torch, then print
its own output, the passes, and pass K's steps (issue 20 §6).

JSON keys: ``prints``, ``output_dropped``, ``stderr``, ``exit``, ``passes``, ``forward``,
``parameters``, ``steps``. Exit status, the highest that applies in the order 3, 4, 1, 0
(2, bad usage, is decided before anything runs).
"""

from __future__ import annotations

import json
import math
import sys
import tempfile
from pathlib import Path

import numpy as np

from core.base.errors import ExpressionError
from core.base.format import format_value, to_json_value
from core.base.output import stdout_is_unicode, write_stdout
from core.ninja.run import grade_answers, ninja_json, render_ninja
from core.record.check import check_built
from core.record.recording import RecordError, Recording, load_recording
from core.record.to_trace import build_pass_graph, pass_trace

EXIT_OK, EXIT_MISMATCH, EXIT_BAD_INPUT, EXIT_NOT_WRITTEN, EXIT_RAISED = 0, 1, 2, 3, 4
#: options that give values to a straight-line program; a script has its own
VALUE_FLAGS = ("no_torch", "train", "lr", "input", "param", "forward_mode")


def usage_error(args) -> str | None:
    """The one ``error:`` line for options that do not go with --run, or None."""
    given = [f"--{flag.replace('_', '-')}" for flag in VALUE_FLAGS
             if getattr(args, flag, None) not in (None, False, [])]
    if getattr(args, "forget_zero_grad", False):
        given.append("--forget-zero-grad")
    if given:
        return f"{', '.join(given)} cannot be used with --run: a script takes its values " \
               "from its own text"
    if args.pass_ is not None and args.pass_ < 1:
        return "--pass counts passes from 1"
    if args.timeout is not None and not (args.timeout > 0 and math.isfinite(args.timeout)):
        return "--timeout must be a positive number of seconds"
    if args.memory is not None and args.memory <= 0:
        return "--memory must be a positive number of megabytes"
    path = Path(args.run)
    if not path.is_file():
        return f"cannot read {args.run}: no such file"
    return None


def _run(path: Path, args, record_dir: Path):
    """Start the script through the runner (core/record/runner.py) and wait for it."""
    from core.record.runner import RunLimits, run_script  # noqa: PLC0415 - only for --run

    limits = RunLimits()
    if args.timeout is not None:
        limits.timeout_s = float(args.timeout)
    if args.memory is not None:
        limits.memory_mb = int(args.memory)
    keep = (args.pass_,) if args.pass_ else ()
    return run_script(path, python=args.python, limits=limits, keep_passes=keep,
                      workdir=record_dir, on_stdout=None if _json(args) else _echo)


def _json(args) -> bool:
    return bool(args.json or getattr(args, "json_full", False))


def _echo(line: str) -> None:
    """Text mode: the script's own output as it prints (a failed write is exit 3 below,
    when the summary cannot be written either)."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def passes_json(recording: Recording, chosen: int | None = None):
    """Every pass's summary, with the check for the kept ones; the mismatch count; and
    pass ``chosen``'s (record, built graph) when it was kept, built once for both."""
    out, mismatches, found = [], 0, None
    for summary in recording.passes:
        check = record = None
        if summary.kept:
            try:
                record = recording.load_pass(summary.index)
                built = build_pass_graph(record)
                check = check_built(built).json()
                mismatches += check["mismatches"]
                if summary.index == chosen:
                    found = (record, built)
            except (RecordError, ValueError) as exc:
                print(f"warning: pass {summary.index} could not be checked: {exc}",
                      file=sys.stderr)
        out.append({"index": summary.index, "loss": _finite(summary.loss),
                    "nodes": summary.nodes, "kept": summary.kept, "check": check,
                    "not_zeroed": not_zeroed(record) if summary.kept and check else None})
    return out, mismatches, found


def forward_json(recording: Recording) -> dict:
    """``{"nodes", "groups"}``: a forward-only script's op count and its groups, one per
    iteration of its outer loop (``iteration`` null: the ops outside the loop)."""
    return {"nodes": recording.forward_nodes,
            "groups": [{"index": g.index, "iteration": g.iteration, "line": g.line,
                        "nodes": g.nodes, "read": g.read, "kept": g.kept}
                       for g in recording.groups]}


def not_zeroed(record) -> list[str]:
    """The parameters whose .grad was not zero before this pass's backward(): zero_grad()
    was forgotten, so the gradients of the earlier passes were added to this one's."""
    return sorted(name for name, grad in record.grads_before.items()
                  if grad is not None and np.any(grad != 0))


def _finite(value):
    return None if value is None or not math.isfinite(value) else value


def chosen_pass(recording: Recording, asked: int | None) -> tuple[int | None, str | None]:
    """Pass K (default 1); past the last pass, the last one, with a warning."""
    if not recording.passes:
        return None, None
    k = asked or 1
    if k > len(recording.passes):
        return len(recording.passes), f"there are {len(recording.passes)} passes: " \
                                      f"showing the last, not pass {k}"
    return k, None


def chosen_group(recording: Recording, asked: int | None) -> tuple[int | None, str | None]:
    """A forward-only recording's group K (``--pass K``, default 1: groups are numbered
    as passes are); past the last group, the last one, with a warning. None: the script
    called backward() (its passes are chosen), or recorded no group."""
    if recording.passes or not recording.groups:
        return None, None
    count = len(recording.groups)
    k = asked or 1
    if k > count:
        return count, f"there are {count} groups: showing the last, not group {k}"
    return k, None


def group_steps(recording: Recording, k: int, steps_json, full: bool = True,
                saved: bool = False) -> tuple[list, list, str | None]:
    """Group ``k``'s steps (stepped forward: no gradients were asked for), its table of
    forward values, and a warning when it cannot be shown."""
    try:
        record = recording.load_group(k)
        if record is None:
            return [], [], (f"group {k} was saved only as a summary" if saved else
                            f"group {k} was kept only as a summary: run again with --pass {k}")
        trace = pass_trace(record)
    except (RecordError, ValueError) as exc:
        return [], [], f"group {k} cannot be stepped: {exc}"
    graph = trace.graph
    table = [["node", "computed", "value"]] + [
        [graph.nodes[step.node].label, step.formula, _short(step.value)]
        for step in trace.steps if step.phase == "forward" and step.node is not None]
    return steps_json(trace, full=full), table, None


def _short(value) -> str:
    """A value's numbers when there are a few (a group's table), else its summary."""
    array = np.asarray(value)
    if array.size <= 8 and array.dtype.kind in "fiub":
        numbers = ", ".join(f"{x:.4g}" for x in array.ravel().tolist())
        return numbers if array.ndim == 0 else f"[{numbers}]"
    return format_value(value)


def group_heading(recording: Recording, k: int) -> str:
    """``Group 3 of 9 (iteration 2 of the loop at line 26): forward values``."""
    group = recording.groups[k - 1]
    where = f"iteration {group.iteration} of the loop at line {group.line}" \
        if group.iteration is not None and group.line is not None else \
        "the ops outside the loop"
    return f"Group {k} of {len(recording.groups)} ({where}): forward values"


def exit_json(result, recording: Recording) -> dict:
    error = result.error
    status = result.status
    if error is None and recording.exit.get("error"):
        error = recording.exit["error"]
    if status == "ok" and recording.exit.get("status") == "raised":
        status = "raised"
    return {"status": status, "error": error}


def run_file(args, steps_json) -> int:
    """The whole of ``--run``: run, read the recording, print, and the exit status.
    ``steps_json``: core.io.cli's step format (passed in: core.io.cli imports this module)."""
    path = Path(args.run).resolve()
    with tempfile.TemporaryDirectory(prefix="bps-run-") as folder:
        result = _run(path, args, Path(folder))
        try:
            recording = load_recording(result.record_dir, result)
        except RecordError as exc:
            print(f"warning: the recording could not be read: {exc}", file=sys.stderr)
            recording = Recording(Path(folder), [], 0, {}, {}, [], result)
        k, warning = chosen_pass(recording, args.pass_)
        passes, mismatches, found = passes_json(recording, k)
        steps, table, trace = [], [], None
        if found is not None:
            try:
                trace = pass_trace(*found)
                steps = steps_json(trace, full=bool(getattr(args, "json_full", False)))
                table = ours_vs_torch(trace)
            except (RecordError, ValueError) as exc:
                warning = f"pass {k} cannot be stepped: {exc}"
                trace = None
        elif k is not None and args.pass_:
            warning = f"pass {k} was kept only as a summary: run again with --pass {k}"
        group, group_warning = chosen_group(recording, args.pass_)
        if group is not None:
            steps, table, problem = group_steps(
                recording, group, steps_json, full=bool(getattr(args, "json_full", False)))
            warning = "; ".join(w for w in (group_warning, problem) if w) or None
        ninja = None
        if getattr(args, "ninja_answers", None) is not None:
            ninja, problem = grade_pass(trace, k, args.ninja_answers, args.ninja_level)
            if problem is not None:
                print(f"error: {problem}", file=sys.stderr)
                return EXIT_BAD_INPUT
        exit_ = exit_json(result, recording)
        if warning:
            print(f"warning: {warning}", file=sys.stderr)
        if _json(args):
            data = {"prints": result.stdout_lines, "output_dropped": result.output_dropped,
                    "stderr": result.stderr_lines, "exit": exit_, "passes": passes,
                    "forward": forward_json(recording),
                    "parameters": {name: to_json_value(np.asarray(v, dtype=np.float64)[()])
                                   for name, v in recording.parameters.items()},
                    "steps": steps}
            if ninja is not None:
                data["ninja"] = ninja_json(ninja)
            text = json.dumps(data, ensure_ascii=not stdout_is_unicode()) + "\n"
        else:
            if result.stderr_lines:
                sys.stderr.write("\n".join(result.stderr_lines) + "\n")
            text = summary_text(recording, passes, k, table, exit_, group)
            if ninja is not None:
                text += render_ninja(ninja)
    failed = write_stdout(text)
    if failed is not None:
        return failed
    if exit_["status"] != "ok":
        return EXIT_RAISED
    return EXIT_MISMATCH if mismatches else EXIT_OK


def grade_pass(trace, k, answers: dict, level: int):
    """``--ninja``: the answers graded against pass K's gradients in float32 (the walk's
    dtype for a recorded pass); or the ``error:`` line (exit 2)."""
    if trace is None:
        return None, "--ninja: " + ("the script made no backward() pass to grade"
                                    if k is None else f"pass {k} cannot be graded")
    try:
        return grade_answers(trace, answers, level)[1], None
    except ExpressionError as exc:
        return None, str(exc)


def ours_vs_torch(trace) -> list[list[str]]:
    """Pass K's gradients: ours (the trace's backward pass) against torch's recorded."""
    built = trace.recorded
    rows = [["node", "ours", "torch", "ok"]]
    for node_id, theirs in built.torch_grads.items():
        node = trace.graph.nodes[node_id]
        if node.kind == "constant" or node_id not in trace.grads:
            continue
        ours = trace.grads[node_id]
        from core.checks.rounding import recorded_close  # noqa: PLC0415

        rows.append([node.label, format_value(ours), format_value(theirs),
                     "✓" if recorded_close(ours, theirs) else "✗"])
    return rows


def _loss(p: dict) -> str:
    return "—" if p["loss"] is None else format_value(p["loss"])


def summary_text(recording: Recording, passes: list[dict], k, table, exit_,
                 group: int | None = None) -> str:
    """The text after the script's output: its passes (or groups), then pass K's table of
    ours vs torch (or group K's forward values)."""
    lines = ["", f"Recorded {len(passes)} pass{'es' if len(passes) != 1 else ''}"
             + (f", {recording.forward_nodes} forward ops (no backward() was called)"
                if not passes and recording.forward_nodes else "")]
    if not passes and len(recording.groups) > 1:
        loops = sorted({g.line for g in recording.groups if g.line is not None})
        plural = "s" if len(loops) > 1 else ""
        outside = any(g.iteration is None for g in recording.groups)
        lines.append(f"  in {len(recording.groups)} groups: one per iteration of the loop"
                     f"{plural} at line{plural} {', '.join(map(str, loops)) or '?'}"
                     + (", and the ops outside it" if outside else ""))
    run: list[dict] = []  # consecutive passes kept only as summaries, shown as one line

    def close_run():
        if run:
            first, last = run[0], run[-1]
            span = f"pass {first['index']}" if first is last else \
                f"passes {first['index']}–{last['index']}"
            lines.append(f"  {span}: summaries only, loss {_loss(first)} → {_loss(last)}")
            run.clear()

    for p in passes:
        check = p["check"]
        if check is None:
            run.append(p)
            continue
        close_run()
        verdict = "✓ every rule matches torch" if not check["mismatches"] else \
            f"✗ {', '.join(check['failed'])}"
        if check["torch_rule_only"]:
            verdict += f" (torch's rule only: {', '.join(check['torch_rule_only'])})"
        lines.append(f"  pass {p['index']}: loss {_loss(p)}, {p['nodes']} nodes, {verdict}")
        if p.get("not_zeroed"):
            lines.append(f"    {', '.join(n + '.grad' for n in p['not_zeroed'])} held the "
                         "earlier passes' gradients (zero_grad() forgotten): backward() "
                         "added this pass's to them")
    close_run()
    shown = group if group is not None else k
    if shown is not None and table:
        lines += ["", group_heading(recording, group) if group is not None
                  else f"Pass {k}: ours vs torch"]
        widths = [max(len(r[i]) for r in table) for i in range(len(table[0]) - 1)]
        lines += ["  " + "  ".join(c.ljust(w) for c, w in zip(r, [*widths, 0], strict=True))
                  .rstrip() for r in table]
    if exit_["error"]:
        e = exit_["error"]
        at = f" (line {e['line']})" if e.get("line") else ""
        lines.append(f"\nThe script stopped: {e['type']}: {e['message']}{at}")
    return "\n".join(lines) + "\n"
