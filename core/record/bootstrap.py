"""The recorder's side of the script's process: run FILE as ``python FILE`` would, and
record what torch did (torch + the standard library only; see core/record/__init__.py).

    PYTHON bootstrap.py --out DIR [--keep 1,2,3] [--budget-mb 200] [--max-entries N] FILE

A TorchFunctionMode sees each call at the level the script wrote (``F.linear``, ``Tensor.mul``);
a node keeps the output tensor and its ``_version`` and copies it only before an in-place op
would change it, so a training loop copies little. Each ``backward()`` is a pass: the nodes
the loss depends on, each with its autograd node's name (``MulBackward0``) and the gradient
that node received (a prehook on ``grad_fn``: a hook on the tensor would give an in-placed
tensor's newer gradient). Passes ``--keep`` and the last are written in full (JSON + .npy
written by hand, never pickle) within ``--budget-mb``; the others leave a summary.

This file is the entry: the recorder's parts are the package ``child/`` beside it. Run by
path (``python bootstrap.py``, the zygote's fork), it never imports ``core`` or numpy, since
the learner's folder or venv may hold neither: it loads ``child/`` under a private name.
"""

from __future__ import annotations

import atexit
import os
import runpy
import sys
import traceback

import torch
from torch.optim.optimizer import (
    register_optimizer_step_post_hook,
    register_optimizer_step_pre_hook,
)

#: the name the recorder's parts (child/) take when this file runs by path
PRIVATE_NAME = "_backprop_stepper_recorder"


def _parts():
    """The recorder's parts, the package child/ beside this file. Imported as
    ``core.record.child`` where this file was imported as a module (main.py's
    ``--record-child``, the bundle), else loaded from its folder under a private name:
    a learner's own ``core/`` is then neither imported nor shadowed."""
    if __package__:
        from core.record import child  # noqa: PLC0415 - the one import of core, as a module

        return child
    import importlib.util  # noqa: PLC0415 - stdlib, only when run by path

    folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "child")
    spec = importlib.util.spec_from_file_location(
        PRIVATE_NAME, os.path.join(folder, "__init__.py"), submodule_search_locations=[folder])
    package = importlib.util.module_from_spec(spec)
    sys.modules[PRIVATE_NAME] = package
    spec.loader.exec_module(package)
    return package


_child = _parts()
CountingOut, Recorder, Writer, PLOTS = _child.CountingOut, _child.Recorder, _child.Writer, \
    _child.PLOTS
_off, _on, _error_line, _parameters = _child._off, _child._on, _child._error_line, \
    _child._parameters
_patch_pyplot, _print_traceback = _child._patch_pyplot, _child._print_traceback


FLAGS = {"--out": ("out", str), "--budget-mb": ("budget", float),
         "--max-entries": ("max_entries", int),
         "--keep": ("keep", lambda value: {int(k) for k in value.split(",") if k.strip()})}


def _parse(argv: list[str]):
    opts = {"out": None, "keep": set(), "budget": 200, "max_entries": 1_000_000}
    rest = list(argv)
    while rest and rest[0].startswith("--"):
        flag = rest.pop(0)
        if not rest:
            raise SystemExit(f"bootstrap: {flag} needs a value")
        value = rest.pop(0)
        if flag not in FLAGS:
            raise SystemExit(f"bootstrap: unknown option {flag}")
        key, read = FLAGS[flag]
        opts[key] = read(value)
    if opts["out"] is None or len(rest) != 1:
        raise SystemExit("usage: bootstrap.py --out DIR [--keep 1,2,3] [--budget-mb MB] "
                         "[--max-entries N] FILE")
    return opts, rest[0]


def install(path: str, out_dir: str, keep: set[int], budget_mb: float, max_entries: int,
            result: dict | None = None):
    """The recorder, its hooks and its stdout counter in place; ``finish()`` removes them
    and writes summary.json (once, also from atexit)."""
    writer = Writer(os.path.abspath(out_dir), int(budget_mb * 2**20), max_entries)
    out = CountingOut(sys.stdout)
    sys.stdout = out
    rec = Recorder(path, writer, set(keep) | {1, 2, 3}, out)
    hooks = [register_optimizer_step_pre_hook(rec.step_pre),
             register_optimizer_step_post_hook(rec.step_post)]
    unwrap = _wrap_zero_grad(rec)
    rec.start_groups()
    result = {"status": "ok", "error": None, "traceback": ""} if result is None else result
    done = []

    def finish():
        if done:
            return
        done.append(True)
        while rec.switches:  # a step() that raised: its switch is still on
            _on(rec.switches.pop())
        rec.stop_groups(drop=False)
        rec.remove_leaf_hooks()
        for hook in hooks:
            hook.remove()
        unwrap()
        if sys.stdout is out:
            sys.stdout = out._stream
        try:
            sys.stdout.flush()
        except Exception:  # noqa: BLE001 - a closed stdout
            pass
        _write_summary(rec, writer, result, rec.script_globals or {})
        rec.emit({"event": "end"})

    return rec, finish


def main(argv: list[str] | None = None) -> int:
    opts, script = _parse(sys.argv[1:] if argv is None else argv)
    path = os.path.abspath(script)
    folder = os.path.dirname(path)
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [folder] + [p for p in sys.path[1:] if os.path.abspath(p or ".") != here]
    sys.argv = [script]
    _patch_pyplot(os.path.abspath(opts["out"]))
    result = {"status": "ok", "error": None, "traceback": ""}
    rec, finish = install(path, opts["out"], opts["keep"], opts["budget"],
                          opts["max_entries"], result)
    atexit.register(finish)
    os.chdir(folder)
    code = 0
    try:
        with rec:
            g = runpy.run_path(path, run_name="__main__")
        rec.script_globals = g
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if exc.code is not None and not isinstance(exc.code, int):
            sys.stderr.write(f"{exc.code}\n")
        if code:
            result.update(status="raised", error={"type": "SystemExit",
                                                  "message": str(exc.code),
                                                  "line": _error_line(exc, path)})
    except BaseException as exc:  # noqa: BLE001 - the script's error, reported as Python does
        code = 1
        result.update(status="raised", error={"type": type(exc).__name__,
                                              "message": str(exc)[:2000],
                                              "line": _error_line(exc, path)})
        result["traceback"] = "".join(traceback.format_exception(exc))[-20000:]
        _print_traceback(exc, path)
    finish()
    return code


def _wrap_zero_grad(rec: Recorder):
    """zero_grad() has no hook: wrap the optimizer's and the module's, muting their ops.
    Gives the function that puts them back."""
    originals = []
    for owner in (torch.optim.Optimizer, torch.nn.Module):
        original = owner.zero_grad

        def zero_grad(self, *args, _original=original, **kwargs):
            set_to_none = kwargs.get("set_to_none", args[0] if args else True)
            rec.zero_grad_event(set_to_none)
            rec.muted += 1
            switch = _off()
            try:
                return _original(self, *args, **kwargs)
            finally:
                _on(switch)
                rec.muted -= 1
        zero_grad.__doc__ = original.__doc__
        owner.zero_grad = zero_grad
        originals.append((owner, original))

    def unwrap():
        for owner, original in originals:
            owner.zero_grad = original
    return unwrap


def _write_summary(rec: Recorder, writer: Writer, result: dict, g: dict) -> None:
    try:
        rec.flush_pending(last=True)
        forward = {"nodes": rec.forward_count if not rec.passes else 0, "file": None,
                   "groups": []}
        if not rec.passes:
            if any(n.kind == "operation" for n in rec.tape):
                rec.finish_group(last=True)
            else:
                rec.flush_group(last=True)
            forward["groups"] = rec.groups
            forward["file"] = rec.group_files[-1] if rec.group_files else None
        writer.packed("summary.json", lambda: {
            "passes": rec.passes, "forward": forward, "exit": result,
            "parameters": {k: writer.tensor(p, charge=False) for k, p in _parameters(g).items()},
            "plots": [p for shown in PLOTS for p in shown]})
    except Exception as exc:  # noqa: BLE001 - the parent builds what it can without it
        sys.stderr.write(f"backprop-stepper recorder: could not write the summary: {exc}\n")


if __name__ == "__main__":
    sys.exit(main())
