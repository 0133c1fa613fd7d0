"""The script's side of a run: its outer loops and assignment targets (read with ast),
pyplot's show(), its error line and traceback, its parameters at the end."""

from __future__ import annotations

import ast
import os
import sys
import traceback

import torch

from .tape import Tensor, _walk_modules


def _script_shape(path: str) -> tuple[dict[int, str], dict[int, tuple[int, int]]]:
    """The script's assignment targets (:func:`_assignment_targets`) and its outer loops:
    the header line of each ``for``/``while`` not inside another loop of its own function,
    with the lines the loop spans (a forward-only recording's groups are their iterations)."""
    try:
        with open(path, encoding="utf-8") as f:
            tree = ast.parse(f.read())
    except (OSError, SyntaxError, ValueError):
        return {}, {}
    loops: dict[int, tuple[int, int]] = {}
    scopes = [(tree, False)]
    while scopes:  # no recursion: a deeply nested script must not stop the recorder
        node, in_loop = scopes.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                scopes.append((child, False))
            elif isinstance(child, (ast.For, ast.AsyncFor, ast.While)):
                if not in_loop:
                    loops[child.lineno] = (child.lineno, child.end_lineno or child.lineno)
                scopes.append((child, True))
            else:
                scopes.append((child, in_loop))
    return _assignment_targets(tree), loops


def _assignment_targets(tree) -> dict[int, str]:
    """line -> the name a one-name assignment on that line binds (``h = …``, ``h += …``)."""
    targets = {}
    for node in ast.walk(tree):
        target = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            target = node.target
        if isinstance(target, ast.Name):
            for line in range(node.lineno, (node.end_lineno or node.lineno) + 1):
                targets[line] = target.id
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            for line in range(node.lineno, (node.end_lineno or node.lineno) + 1):
                targets[line] = f"{target.value.id}.{target.attr}"
    return targets


def _progress_fd():
    try:
        return int(os.environ["BPS_PROGRESS_FD"])
    except (KeyError, ValueError):
        return None


def _patch_pyplot(folder: str) -> None:
    """``plt.show()`` saves each open figure to DIR/plots/NNN.png and closes it; the
    patch is made when the script imports pyplot (importing it here would cost 0.3 s)."""
    import importlib.abc  # noqa: PLC0415 - stdlib, only when needed
    import importlib.util  # noqa: PLC0415

    class Finder(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name != "matplotlib.pyplot":
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(name)
            if spec is None or spec.loader is None:
                return spec
            run = spec.loader.exec_module

            def exec_module(module):
                run(module)
                shown = []

                def show(*args, **kwargs):
                    os.makedirs(os.path.join(folder, "plots"), exist_ok=True)
                    for number in module.get_fignums():
                        shown.append(f"plots/{len(shown) + 1:03d}.png")
                        module.figure(number).savefig(os.path.join(folder, shown[-1]))
                    module.close("all")
                module.show = show
                PLOTS.append(shown)
            spec.loader.exec_module = exec_module
            return spec

    sys.meta_path.insert(0, Finder())


PLOTS: list = []


def _error_line(exc: BaseException, path: str):
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == path:
            line = frame.lineno
    if line is None and isinstance(exc, SyntaxError) and exc.filename == path:
        line = exc.lineno
    return line


def _ours(filename: str) -> bool:
    """A frame of the recorder's own files, bootstrap.py and this folder: absolute paths
    when run by path, ``core/record/…`` relative to the bundle in the frozen app."""
    path = "/" + filename.replace("\\", "/")
    return path.endswith("/core/record/bootstrap.py") or \
        path.rsplit("/", 1)[0].endswith("/core/record/child")


def _print_traceback(exc: BaseException, path: str) -> None:
    """Python's own traceback, without the recorder's frames (bootstrap.py's and this
    folder's: a torch call reaches the script through the recorder's mode) and runpy's."""
    te = traceback.TracebackException.from_exception(exc)
    te.stack = traceback.StackSummary.from_list(
        [f for f in te.stack if not _ours(f.filename) and "runpy" not in f.filename])
    sys.stderr.write("".join(te.format()))
    sys.stderr.flush()


def _parameters(g: dict) -> dict:
    """Every parameter when the script ended: modules among the globals by
    named_parameters() with the variable in front, leaves with requires_grad by name."""
    found, seen = {}, set()
    items = [(k, v) for k, v in list(g.items()) if not k.startswith("__")]
    _, params = _walk_modules([(k, v) for k, v in items if isinstance(v, torch.nn.Module)])
    loose = [(k, v) for k, v in items if isinstance(v, Tensor) and v.requires_grad and v.is_leaf]
    for name, p in [(name, p) for p, name in params] + loose:  # modules first
        if id(p) not in seen:
            seen.add(id(p))
            found.setdefault(name, p)
    return found
