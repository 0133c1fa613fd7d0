"""A training script (``def``, ``for … in range``, ``if``, ``with torch.no_grad()``) run by
a small, bounded interpreter over the parsed ``ast``; nothing is ever evaluated.

Tensor expressions go through the straight-line parser (:mod:`core.language.parser`) one call
or operator at a time, so every op it knows is known here too. Each ``backward()`` builds
the graph of the ops that led to the loss (:func:`core.engine.graph.build_graph`) and takes the
gradients from its trace; ``.grad`` accumulates as in torch until ``.grad.zero_()``.
"""

from __future__ import annotations

import ast

import numpy as np

from core.base import cancel
from core.base.did_you_mean import suggest
from core.base.errors import ExpressionError, short
from core.language.draws import Draws
from core.language.ir import Apply, Literal
from core.language.parser import _Parser, _syntax_error, paused_gc
from core.language.printing import show
from core.script_expr import Expressions, _as_ir
from core.script_graph import GraphRecorder
from core.script_inplace import InPlace
from core.script_nn import Module, ModuleReader, Optimizer
from core.script_tape import NoTape, Tape, piece
from core.script_values import (
    IMPORTS,
    LEAF_ERROR,
    MAX_CALL_DEPTH,
    MAX_LOOP,
    MAX_OPERATIONS,
    Return,
    Row,
    ScriptRun,
    Tensor,
)

#: what a def's body may hold (a nested def is refused when it runs: "define functions
#: at the top of the script")
_FUNCTION_STATEMENTS = (ast.FunctionDef, ast.Return, ast.Assign, ast.AugAssign, ast.For,
                        ast.If, ast.With, ast.Expr, ast.Pass)


class Interpreter(Expressions, ModuleReader, GraphRecorder, InPlace):
    """Runs one script; every loop and every call is bounded."""

    def __init__(self, text: str, check_torch: bool = True):
        self.parser = _Parser(text)
        self.run = ScriptRun()
        self.globals: dict[str, object] = {}
        self.scopes: list[dict[str, object]] = [self.globals]
        self.functions: dict[str, ast.FunctionDef] = {}
        self.classes: dict[str, dict[str, ast.FunctionDef]] = {}
        #: tape entry -> the script's name for it, for the graph's labels
        self.shown: dict[str, str] = {}
        self.calling: list[str] = []
        self.tape: dict[str, tuple[Apply, list]] = {}
        #: tape entry -> its value, until a backward() built the graph from it
        self.values: dict[str, np.ndarray] = {}
        #: rows before this one have their ``updated`` (a 10,000-iteration loop stays linear)
        self.updated_rows = 0
        self.no_grad = 0
        self.budget = MAX_OPERATIONS
        self.stop = cancel.token()  # a superseded build in the window stops at a tick
        self.check_torch = check_torch
        self.costs: dict[int, int] = {}
        self.current: ast.AST = ast.Pass(lineno=1, col_offset=0)
        self.loop_iteration = 0
        #: tape entry -> the call that computed it ("forward()"), for the canvas's groups
        self.step_groups: dict[str, str] = {}
        self.call_names: list[str] = []
        self.expr_refs: dict[int, str] = {}
        #: what the torch side replays (core/script_torch.py); nothing without the check
        self.rec = Tape() if check_torch else NoTape()

    # ---- helpers
    def error(self, node, message: str, hint: str | None = None) -> ExpressionError:
        return self.parser.error(node, message, hint)

    def tick(self, node) -> None:
        self.stop.check()
        self.budget -= 1
        if self.budget < 0:
            raise self.error(node, f"the script runs more than {MAX_OPERATIONS:,} operations",
                             "use fewer or shorter loops")

    def lookup(self, node: ast.Name):
        for scope in (self.scopes[-1], self.globals):
            if node.id in scope:
                return scope[node.id]
        known = [*self.scopes[-1], *self.globals, *self.functions]
        raise suggest(self.error(node, f"unknown name '{short(node.id)}'",
                                 "give it a value first"), node.id, known)

    # ---- statements
    def block(self, body: list[ast.stmt]) -> None:
        for node in body:
            self.tick(node)
            self.current = node
            self.statement(node)

    def statement(self, node: ast.stmt) -> None:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            return self.import_(node)
        if isinstance(node, ast.FunctionDef):
            return self.define(node)
        if isinstance(node, ast.Return):
            raise Return(None if node.value is None else self.value(node.value))
        if isinstance(node, ast.Assign):
            if len(node.targets) != 1:
                raise self.error(node, "assign to one name at a time")
            return self.assign(node.targets[0], self.value(node.value))
        if isinstance(node, ast.AugAssign):
            return self.augmented(node)
        if isinstance(node, ast.For):
            return self.for_(node)
        if isinstance(node, ast.If):
            test = self.plain(node.test, "an if condition")
            return self.block(node.body if test else node.orelse)
        if isinstance(node, ast.With):
            return self.with_(node)
        if isinstance(node, ast.Expr):
            return self.expression_statement(node.value)
        if isinstance(node, ast.Pass):
            return None
        if isinstance(node, ast.While):
            raise self.error(node, "a while loop is not supported",
                             "write 'for i in range(n):' with a fixed number of iterations")
        if isinstance(node, ast.ClassDef):
            return self.define_class(node)
        raise self.error(node, f"{type(node).__name__} is not supported in a script",
                         "write assignments, def, for … in range(…), if and print(…)")

    def import_(self, node) -> None:
        if isinstance(node, ast.ImportFrom):
            if node.module == "torch" and [a.name for a in node.names] == ["nn"]:
                self.parser.aliases[node.names[0].asname or "nn"] = "torch.nn"
                return
            raise self.error(node, f"'from {short(str(node.module))} import …' is not allowed",
                             "the only imports are torch, torch.nn as nn, "
                             "torch.nn.functional as F and from torch import nn")
        for alias in node.names:
            if (alias.name, alias.asname) not in IMPORTS:
                error = self.error(node, f"'import {short(alias.name)}' is not allowed",
                                   "the only imports are torch, torch.nn as nn and "
                                   "torch.nn.functional as F")
                raise suggest(error, alias.name, [name for name, _ in IMPORTS])
            self.parser.aliases[alias.asname or alias.name] = alias.name

    def define(self, node: ast.FunctionDef) -> None:
        self.check_def(node)
        if self.calling:
            raise self.error(node, "define functions at the top of the script")
        self.functions[node.name] = node
        self.globals.pop(node.name, None)

    def check_def(self, node: ast.FunctionDef) -> None:
        args = node.args
        if args.vararg or args.kwarg or args.kwonlyargs or args.posonlyargs \
                or node.decorator_list:
            raise self.error(node, "a function takes plain named arguments here",
                             "as in def forward(x): return w * x")
        for inner in ast.walk(node):  # refused where it is written, called or not
            if isinstance(inner, (ast.Yield, ast.YieldFrom, ast.Await)):
                raise self.error(inner, "a generator (yield) is not supported",
                                 "return the value instead")
            if isinstance(inner, ast.While):
                raise self.error(inner, "a while loop is not supported",
                                 "write 'for i in range(n):' with a fixed number of iterations")
            if isinstance(inner, ast.stmt) and not isinstance(inner, _FUNCTION_STATEMENTS):
                raise self.error(inner, f"{type(inner).__name__} is not supported in a function",
                                 "write assignments, for … in range(…), if, return and print(…)")

    def assign(self, target: ast.expr, value) -> None:
        if isinstance(target, ast.Name):
            self.parser.target_name(target)
            if isinstance(value, Tensor) and value.requires_grad and value.is_leaf \
                    and value.name is None:
                value.name = target.id
                self.run.parameters.setdefault(target.id, value)
            if isinstance(value, Module):
                self.name_module(target.id, value)
            if isinstance(value, Tensor) and value.ref is not None:
                self.shown.setdefault(value.ref, target.id)
            if isinstance(value, Tensor) and not value.requires_grad and not value.view \
                    and value.data_name is None:
                value.data_name = target.id
            if isinstance(value, (Tensor, Optimizer)):
                self.rec.name(value, target.id)
            self.scopes[-1][target.id] = value
            return
        if isinstance(target, (ast.Tuple, ast.List)):
            items = value if isinstance(value, tuple) else None
            if items is None or len(items) != len(target.elts):
                raise self.error(target, "cannot unpack this value into "
                                 f"{len(target.elts)} names", "as in n, m = X.shape")
            for element, item in zip(target.elts, items, strict=True):
                self.assign(element, item)
            return
        if isinstance(target, ast.Attribute):
            return self.set_attribute(target, value)
        raise self.error(target, "assign to a plain name, as in 'y = w * x'")

    def augmented(self, node: ast.AugAssign) -> None:
        if not isinstance(node.target, ast.Name):
            raise self.error(node.target, "assign to one plain name, as in 'w -= 1'")
        current = self.lookup(node.target)
        change = self.value(node.value)
        if isinstance(current, Tensor) and current.is_leaf and current.requires_grad:
            if not self.no_grad:
                raise self.error(node, LEAF_ERROR, "update parameters inside "
                                 "'with torch.no_grad():'")
            step = Apply("sub", (Literal(current.value, 0, 0), _as_ir(change)), 0, 0)
            kind = {ast.Sub: "sub", ast.Add: "add", ast.Mult: "mul", ast.Div: "div"}.get(
                type(node.op))
            if kind is None:
                raise self.error(node, "only +=, -=, *= and /= are supported")
            step.op = kind
            before = np.copy(current.value)
            self.rec.tid(current)  # on the tape with its numbers before the update
            operand = self.rec.operand(change)
            rec, self.rec = self.rec, NoTape()  # torch's twin is the in-place op itself
            try:
                current.value = self.evaluate(step, node).value  # in place: the same leaf
            finally:
                self.rec = rec
            self.rec.inplace(current, kind, operand, node.lineno)
            self.record_manual_update(node, current, before)
            return
        binop = ast.BinOp(left=ast.Name(id=node.target.id), op=node.op, right=node.value)
        ast.copy_location(binop, node)
        ast.copy_location(binop.left, node.target)
        self.scopes[-1][node.target.id] = self.binop(binop, current, change)

    def record_manual_update(self, node: ast.stmt, tensor: Tensor, before) -> None:
        """An update written by hand (``w -= lr * w.grad``): the update phase shows its line."""
        if not self.run.rows or tensor.name is None:
            return
        row = self.run.rows[-1]
        if row.update is None or row.update.get("rule") != "manual":
            row.update = {"rule": "manual", "params": {}}
        line = self.parser.text.splitlines()[node.lineno - 1].strip() \
            if 0 < node.lineno <= len(self.parser.text.splitlines()) else ""
        entry = row.update["params"].setdefault(tensor.name, {"before": before})
        entry.update(after=np.copy(tensor.value), line=line,
                     grad=None if tensor.grad is None else np.copy(tensor.grad))

    def for_(self, node: ast.For) -> None:
        call = node.iter
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) \
                and call.func.attr in ("parameters", "named_parameters") and not node.orelse \
                and isinstance(self.object_of(call.func.value), Module):
            for item in self.value(call):  # a module's parameters: a short, fixed list
                self.tick(node)
                self.assign(node.target, item)
                self.block(node.body)
            return
        if not isinstance(node.target, ast.Name):
            raise self.error(node.target, "loop over one name, as in 'for epoch in range(n):'")
        call = node.iter
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                and call.func.id == "range" and 1 <= len(call.args) <= 3 and not call.keywords):
            raise self.error(call, "a loop runs over range(…) only",
                             "as in 'for epoch in range(n_iters):'")
        bounds = [self.plain(a, "a range bound") for a in call.args]
        if not all(isinstance(b, int) and not isinstance(b, bool) for b in bounds):
            raise self.error(call, "range(…) takes whole numbers")
        steps = range(*bounds) if bounds[-1:] != [0] or len(bounds) < 3 else None
        if steps is None:
            raise self.error(call, "range(…) step must not be zero")
        if len(steps) > MAX_LOOP:
            raise self.error(call, f"the loop runs {len(steps):,} times, at most {MAX_LOOP:,} "
                             "are allowed", "use fewer iterations")
        if node.orelse:
            raise self.error(node, "for … else is not supported")
        estimate = len(steps) * self.cost(node.body)
        if estimate > self.budget:
            raise self.error(node, f"the loop would run about {estimate:,} operations, more "
                             f"than the {MAX_OPERATIONS:,} a script may run",
                             "use fewer or shorter loops")
        top = not self.calling and self.loop_iteration == 0
        for i in steps:
            self.tick(node)
            if top:
                self.loop_iteration += 1
            self.scopes[-1][node.target.id] = i
            self.block(node.body)
            if top:
                self.end_iteration()
        if top:
            self.loop_iteration = 0

    def cost(self, body: list[ast.stmt]) -> int:
        """About how many operations one run of ``body`` takes: its statements and
        expressions, an inner loop's times its iteration count when that is known now."""
        key = id(body[0]) if body else 0
        if key in self.costs:
            return self.costs[key]
        total = 0
        for stmt in body:
            inner = self.inner_count(stmt) if isinstance(stmt, ast.For) else None
            if inner is not None:
                total += 1 + inner * self.cost(stmt.body)
            else:
                total += sum(isinstance(n, (ast.expr, ast.stmt)) for n in ast.walk(stmt))
        self.costs[key] = total
        return total

    def inner_count(self, node: ast.For) -> int | None:
        """range(…)'s length when its bounds are numbers or names holding whole numbers."""
        call = node.iter
        if not (isinstance(call, ast.Call) and 1 <= len(call.args) <= 3):
            return None
        bounds = []
        for arg in call.args:
            if isinstance(arg, ast.Constant) and type(arg.value) is int:
                bounds.append(arg.value)
            elif isinstance(arg, ast.Name) and type(self.globals.get(arg.id)) is int:
                bounds.append(self.globals[arg.id])
            else:
                return None
        return len(range(*bounds)) if bounds[-1:] != [0] or len(bounds) < 3 else None

    def end_iteration(self) -> None:
        """The parameters at the end of the outer loop's iteration, for its rows."""
        rows = self.run.rows
        for row in rows[self.updated_rows:]:  # the rows before have theirs: no rescan
            if not row.updated:  # values are replaced, never changed in place: no copies
                row.updated = {n: t.value for n, t in self.run.parameters.items()}
        self.updated_rows = len(rows)
        self.rec.end_iteration(self.loop_iteration)

    def with_(self, node: ast.With) -> None:
        item = node.items[0] if len(node.items) == 1 else None
        if item is None or item.optional_vars is not None \
                or self.parser.resolve(getattr(item.context_expr, "func", item)) \
                != "torch.no_grad":
            raise self.error(node, "the only with block is 'with torch.no_grad():'")
        self.no_grad += 1
        self.rec.no_grad = True
        try:
            self.block(node.body)
        finally:
            self.no_grad -= 1
            self.rec.no_grad = bool(self.no_grad)

    def expression_statement(self, node: ast.expr) -> None:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            attr = node.func.attr
            if attr == "backward" and not node.args and not node.keywords:
                return self.backward(node, self.value(node.func.value))
            if attr == "zero_" and not node.args:
                owner = node.func.value
                if isinstance(owner, ast.Attribute) and owner.attr == "grad":
                    tensor = self.value(owner.value)
                    if isinstance(tensor, Tensor) and tensor.grad is not None:
                        tensor.grad = np.zeros_like(tensor.grad)
                        self.rec.grad_zero(tensor)
                        return None
                raise self.error(node, "'.zero_()' works on a parameter's .grad here",
                                 "as in w.grad.zero_()")
            if attr == "copy_" and len(node.args) == 1 and not node.keywords:
                return self.copy_(node)
            if self.parser.resolve(node.func) == "torch.manual_seed":
                self.parser.expression_statement(ast.Expr(value=node, lineno=node.lineno,
                                                          col_offset=node.col_offset), False)
                return None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == "print":
            return self.print_(node)
        self.value(node)
        return None

    def print_(self, node: ast.Call) -> None:
        if node.keywords:
            raise self.error(node.keywords[0], "print(…) takes values only here")
        texts, pieces = [], []
        for arg in node.args:
            if isinstance(arg, ast.JoinedStr):
                text, parts = self.fstring_parts(arg)
            else:
                value = self.value(arg)
                text = show(value, self.op_of(value))
                parts = [piece(self.rec, value, None, text)]
            texts.append(text)
            pieces.append(parts)
        self.rec.print(pieces)
        text = " ".join(texts)
        lines = text.split("\n")  # as stdout shows it: line by line
        self.run.prints.extend(lines)
        self.run.print_rows.extend([len(self.run.rows)] * len(lines))

    def op_of(self, value) -> str | None:
        if isinstance(value, Tensor) and value.ref is not None:
            return self.tape[value.ref][0].op
        return None


def run_script(text: str, check_torch: bool = True, keep_partial: bool = False,
               draws: list | None = None) -> ScriptRun:
    """Run the script; raise :class:`ExpressionError` at the first line outside the subset
    (``keep_partial``: return what ran before it instead, the error in ``run.error``).
    ``draws``: the numbers a run drew before (``run.draws``), given back without torch.
    ``check_torch`` keeps what torch replays (``run.tape``); checking it is the caller's
    (:func:`core.script_check.run_checked` runs and checks)."""
    text = text.removeprefix("\ufeff")
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        raise _syntax_error(exc, text) from None
    interpreter = Interpreter(text, check_torch)
    interpreter.parser.draws = Draws(draws)
    try:
        _run(interpreter, tree)
    except ExpressionError as exc:
        if not keep_partial:
            raise
        interpreter.run.error = exc
    interpreter.end_iteration()
    run = interpreter.run
    run.draws = interpreter.parser.draws.recorded
    if check_torch:  # the caller checks it: core.script_check.run_checked
        run.tape = interpreter.rec
    return run


def _run(interpreter: Interpreter, tree: ast.Module) -> None:
    try:
        with paused_gc():  # many objects that live on: collections would only rescan them
            interpreter.block(tree.body)
    except RecursionError:
        raise ExpressionError("the script is nested too deeply") from None
    except ExpressionError:
        raise
    except (TypeError, ValueError, IndexError, KeyError, AttributeError, ArithmeticError) as exc:
        # a case the interpreter's own checks missed: still an error at its line
        raise interpreter.error(interpreter.current, f"this line cannot be run: {exc}",
                                "write it with the forms the README lists") from None


__all__ = ["MAX_CALL_DEPTH", "MAX_LOOP", "MAX_OPERATIONS", "Interpreter", "Row",
           "ScriptRun", "Tensor", "run_script"]
