"""Text → statements: a whitelist over Python's ``ast``; nothing is ever evaluated.

The language is the part of Python (and of PyTorch) a learner writes in a first lesson:
assignments, ``+ - * / **``, a few functions, ``param(...)``/``torch.tensor(...)``
declarations, and the lesson's own ``loss.backward()`` / ``print(...)`` lines, so the
lesson's PyTorch code pastes verbatim. Everything else is rejected with an
:class:`ExpressionError` naming the line, the column and what to write instead.
"""

from __future__ import annotations

import ast
import gc
import math
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from core.base import cancel
from core.base.did_you_mean import suggest
from core.base.errors import MAX_MESSAGE, ExpressionError, short
from core.base.errors import syntax_error as _syntax_error
from core.base.values import parse_number
from core.language import recursion
from core.language.calls import (
    TENSOR_CALLS,
    CallReader,
    dotted,
)
from core.language.declarations import DTYPES, MAX_VECTOR, DeclarationReader  # noqa: F401 - re-exported
from core.language.draws import Draws
from core.language.ir import Apply, Assign, Backward, Declare, Literal, ParsedProgram, Ref
from core.language.ir import fold as _fold
from core.language.words import (  # noqa: F401 - RESERVED, MODULES, function_list re-exported
    _AUG,
    _BINOP_HINTS,
    _BINOPS,
    _CONSTRUCT_NAMES,
    MODULES,
    RESERVED,
    function_list,
)
from core.ops.index import CALLS, FUNCTIONS

MAX_TEXT_CHARS = 2_000_000
MAX_STATEMENTS = 50_000
MAX_DEPTH = 400
#: terms in one flat sum or product (a + b + …): Python's own parser refuses about 3,000
#: at its default recursion limit, and the cap keeps that answer whatever ran before
MAX_TERMS = 3_000
#: a longer name only slows every label and message down (a 100,000-character one froze
#: the window for 13 s)
MAX_NAME = 100


# ---- parsing ----------------------------------------------------------------------

__all__ = ["MAX_MESSAGE", "Apply", "Assign", "Backward", "Declare", "ExpressionError",
           "Literal", "ParsedProgram", "Ref", "TENSOR_CALLS", "parse", "parse_number", "short"]


class _Parser(DeclarationReader, CallReader):
    def __init__(self, text: str):
        self.text = text
        self.lines = text.splitlines()
        self.ascii = text.isascii()
        #: the deepest expression tree (a flat sum of n terms is n deep)
        self.tree_depth = 0
        #: local name -> module ("F" -> "torch.nn.functional")
        self.aliases = {"torch": "torch", "F": "torch.nn.functional"}
        self.draws = Draws()
        #: the statements so far and declarations a call adds (core.language.call_spellings)
        self.statements: list = []
        self.pending: list = []

    # positions: ast gives UTF-8 byte offsets, people count characters from 1
    def pos(self, node: ast.AST) -> tuple[int, int]:
        line = getattr(node, "lineno", 1) or 1
        offset = getattr(node, "col_offset", 0) or 0
        if not self.ascii and 0 < line <= len(self.lines):
            offset = len(self.lines[line - 1].encode("utf-8")[:offset].decode("utf-8", "ignore"))
        return line, offset + 1

    def error(self, node: ast.AST, message: str, hint: str | None = None) -> ExpressionError:
        return ExpressionError(message, *self.pos(node), hint=hint)

    # ---- statements
    def statement(self, node: ast.stmt, is_last: bool) -> list:
        line, column = self.pos(node)
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name not in MODULES or (alias.asname is None) != (alias.name == "torch"):
                    error = self.error(node, "only 'import torch' is allowed",
                                       "or 'import torch.nn.functional as F'")
                    raise suggest(error, alias.name, MODULES)
                self.aliases[alias.asname or alias.name] = alias.name
            return []
        if isinstance(node, ast.ImportFrom):
            if node.module == "torch.nn" and [a.name for a in node.names] == ["functional"]:
                self.aliases[node.names[0].asname or "functional"] = "torch.nn.functional"
                return []
            raise self.error(node, "'from … import' is not supported",
                             "write 'import torch' and use torch.exp(…)")
        if isinstance(node, ast.Assign):
            if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name):
                target = node.targets[0] if len(node.targets) == 1 else node
                raise self.error(target, "assign to one plain name, as in 'y = w * x'")
            name = self.target_name(node.targets[0])
            declared = self.declaration(node.value, name)
            if declared is not None:
                role, value = declared
                return [Declare(name, role, value, line, column)]
            expr = self.expr(node.value, 0)
            if isinstance(expr, Literal):  # x = 1.0, x = [1, 2], x = 2 ** 0.5: data
                return [Declare(name, "data", expr.value, line, column)]
            return [Assign(name, expr, line, column)]
        if isinstance(node, ast.AugAssign):
            if not isinstance(node.target, ast.Name):
                raise self.error(node.target, "assign to one plain name, as in 'w -= 1'")
            kind = _AUG.get(type(node.op))
            if kind is None:
                raise self.error(node, "only +=, -=, *= and /= are supported")
            name = self.target_name(node.target)
            tline, tcol = self.pos(node.target)
            expr = Apply(kind, (Ref(name, tline, tcol), self.expr(node.value, 0)), line, column)
            return [Assign(name, _fold(expr), line, column, augmented=True)]
        if isinstance(node, ast.Expr):
            return self.expression_statement(node, is_last)
        construct = _CONSTRUCT_NAMES.get(type(node), type(node).__name__)
        if isinstance(node, (ast.For, ast.FunctionDef, ast.ClassDef, ast.If, ast.With)):
            raise self.error(node, f"{construct} is not supported in straight-line code",
                             "a training script runs on the command line: main.py "
                             "--headless --expr-file SCRIPT.py")
        raise self.error(node, f"{construct} is not supported",
                         "write one assignment per line, as in 'y = w * x'")

    def name(self, node: ast.AST, name: str) -> str:
        if len(name) > MAX_NAME:
            raise self.error(node, f"the name {short(name)!r} is longer than {MAX_NAME} "
                                   f"characters ({len(name):,})", "choose a shorter name")
        return name

    def target_name(self, node: ast.Name) -> str:
        self.name(node, node.id)
        if node.id in RESERVED:
            raise self.error(node, f"'{node.id}' is a reserved name", "choose another name")
        return node.id

    def expression_statement(self, node: ast.Expr, is_last: bool) -> list:
        value = node.value
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) \
                and value.func.id == "print":
            return []  # the lesson's print(...) lines: nothing to compute
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute):
            attr = value.func
            if attr.attr == "backward" and not value.args and not value.keywords:
                if not isinstance(attr.value, ast.Name):
                    raise self.error(attr.value, "call .backward() on a named value",
                                     "write 'loss = …' first, then 'loss.backward()'")
                return [Backward(self.name(attr.value, attr.value.id),
                                 *self.pos(attr.value))]
            if attr.attr == "zero_" and isinstance(attr.value, ast.Attribute) \
                    and attr.value.attr == "grad":
                return []  # w.grad.zero_(): gradients start at zero here anyway
            if self.resolve(attr) == "torch.manual_seed":
                if len(value.args) != 1 or value.keywords:
                    raise self.error(value, "torch.manual_seed takes one whole number")
                try:
                    self.draws.seed(self.whole(value.args[0], "the seed"))
                except RuntimeError as exc:
                    raise self.error(value, str(exc)) from None
                return []
        if is_last:
            line, column = self.pos(node)
            return [Assign("_", self.expr(value, 0), line, column)]
        raise self.error(node, "this line computes a value but does not name it",
                         "write 'name = …'")

    def resolve(self, func: ast.expr) -> str | None:
        """A dotted callee, aliases expanded: ``F.relu`` → ``torch.nn.functional.relu``."""
        text = dotted(func)
        if text is None:
            return None
        head, _, rest = text.partition(".")
        if head in self.aliases:
            return self.aliases[head] + ("." + rest if rest else "")
        return text

    # ---- expressions
    def binops(self, node: ast.BinOp, depth: int):
        """a + b + c + … is one level, however many terms: its left spine is walked in a
        loop (nesting counts, terms do not)."""
        spine = []
        while isinstance(node, ast.BinOp):
            spine.append(node)
            node = node.left
        if len(spine) >= MAX_TERMS:
            raise self.error(node, f"the expression has more than {MAX_TERMS:,} terms",
                             "split it over several lines")
        self.tree_depth = max(self.tree_depth, depth + len(spine))
        result = self.expr(node, depth + 1)
        for binop in reversed(spine):
            result = self.binop(binop, result, self.expr(binop.right, depth + 1))
        return result

    def expr(self, node: ast.expr, depth: int):
        if depth > MAX_DEPTH:
            raise self.error(node, f"the expression is nested more than {MAX_DEPTH} levels deep",
                             "split it over several lines")
        line, column = self.pos(node)
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                kind = "text" if isinstance(value, str) else type(value).__name__
                raise self.error(node, f"{kind} is not a number")
            try:
                number = float(value)
            except OverflowError:
                number = math.inf
            return Literal(np.float64(number), line, column)
        if isinstance(node, ast.Name):
            self.name(node, node.id)
            if node.id in RESERVED:
                hint = "call it, as in exp(x)" if node.id in FUNCTIONS else None
                raise self.error(node, f"'{node.id}' is a function, not a value", hint)
            return Ref(node.id, line, column)
        if isinstance(node, ast.BinOp):
            return self.binops(node, depth)
        if isinstance(node, ast.UnaryOp):
            operand = self.expr(node.operand, depth + 1)
            if isinstance(node.op, ast.USub):
                return _fold(Apply("neg", (operand,), line, column))
            if isinstance(node.op, ast.UAdd):
                return operand
            raise self.error(node, f"'{'not' if isinstance(node.op, ast.Not) else '~'}' "
                                   "is not supported")
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        if isinstance(node, ast.List):
            value = self.literal_value(node)
            return Literal(value, line, column)
        if isinstance(node, ast.Attribute):
            if node.attr == "T":
                operand = self.expr(node.value, depth + 1)
                return _fold(Apply("transpose", (operand,), line, column,
                                   attrs={"dims": (0, 1), "form": ".T"}))
            func = node.value.func if isinstance(node.value, ast.Call) else None
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if node.attr == "values" and name in ("max", "min"):
                return self.expr(node.value, depth + 1)  # x.max(dim=1).values
            raise self.error(node, f"'.{short(node.attr)}' is not supported here",
                             "methods must be called, as in x.exp()")
        construct = _CONSTRUCT_NAMES.get(type(node), type(node).__name__)
        raise self.error(node, f"{construct} is not supported")

    def binop(self, node: ast.BinOp, left, right):
        line, column = self.pos(node)
        kind = _BINOPS.get(type(node.op))
        if kind is None:
            message, hint = _BINOP_HINTS.get(type(node.op), ("operator not supported", None))
            raise self.error(node, message, hint)
        if kind == "pow" and isinstance(right, Literal) and np.ndim(right.value) == 0:
            return _fold(Apply("powc", (left,), line, column, k=float(right.value)))
        if kind == "div" and isinstance(left, Literal) and np.ndim(left.value) == 0 \
                and not isinstance(right, Literal):
            kind = "rdiv"  # a number over a tensor: torch takes reciprocal(w) · c
        attrs = {"form": "@"} if kind == "matmul" else None
        return _fold(Apply(kind, (left, right), line, column, attrs=attrs))

    def function_list(self) -> str:
        return function_list()

    def call(self, node: ast.Call, depth: int):
        line, column = self.pos(node)
        name, args, method = self.callee(node)
        func = node.func
        tensor = self.tensor_call(name, node, args, method, depth)
        if tensor is not None:
            return tensor
        name = {"maximum": "max", "minimum": "min"}.get(name, name)
        if name in ("sum", "mean", "max", "min"):
            reduced = self.reduce_call(name, node, args, depth)
            if reduced is not None:
                return reduced
        if node.keywords:
            raise self.error(node.keywords[0], "keyword arguments are not supported here")
        allowed = (*FUNCTIONS, "pow")
        if name not in allowed:
            known = (*allowed, *TENSOR_CALLS, "matmul", "transpose", "reshape")
            raise suggest(self.error(func, f"unknown function '{short(name)}'",
                                     f"available: {function_list()}"), name, known)
        operands = [self.expr(a, depth + 1) for a in args]
        if name == "pow":
            if len(operands) != 2:
                raise self.error(node, "pow takes a base and an exponent", "as in s.pow(2)")
            base, exponent = operands
            if isinstance(exponent, Literal) and np.ndim(exponent.value) == 0:
                return _fold(Apply("powc", (base,), line, column, k=float(exponent.value)))
            return _fold(Apply("pow", (base, exponent), line, column))
        if name in ("max", "min"):
            if len(operands) == 1:
                return _fold(Apply(name, (operands[0],), line, column))
            if len(operands) == 2:
                return _fold(Apply("maximum" if name == "max" else "minimum",
                                   tuple(operands), line, column))
            raise self.error(node, f"{name} takes one vector or two values",
                             f"as in {name}(v) or {name}(a, b)")
        if len(operands) != 1:
            raise self.error(node, f"{name} takes one argument, not {len(operands)}")
        return _fold(Apply(CALLS[name].key, (operands[0],), line, column))


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many objects that all live on.

    Collections would only rescan them: a third of the time at 10,000 nodes.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse(text: str) -> ParsedProgram:
    """Parse program text; raise :class:`ExpressionError` for anything outside the language."""
    with paused_gc():
        return _parse(text)


def _parse(text: str) -> ParsedProgram:
    if not isinstance(text, str):
        raise ExpressionError("the program must be text")
    # a byte-order mark (Notepad's UTF-8) is not part of the program; Python drops it too
    text = text.removeprefix("\ufeff")
    if len(text) > MAX_TEXT_CHARS:
        raise ExpressionError(f"the program is longer than {MAX_TEXT_CHARS:,} characters")
    if not text.strip():
        raise ExpressionError("the program is empty", hint="type a computation, as in "
                              "'loss = (w * x - y) ** 2'")
    try:
        tree = ast.parse(text, mode="exec")
    except SyntaxError as exc:
        raise _syntax_error(exc, text) from None
    except (RecursionError, MemoryError):
        raise ExpressionError("the program is nested too deeply or is too large to read",
                              hint="split long expressions over several lines") from None
    except ValueError as exc:  # null bytes, over-long integer literals
        raise ExpressionError(f"cannot read the program: {exc}") from None
    if len(tree.body) > MAX_STATEMENTS:
        raise ExpressionError(f"the program has more than {MAX_STATEMENTS:,} statements")
    parser = _Parser(text)
    program = ParsedProgram(text)
    parser.statements = program.statements
    last = len(tree.body) - 1
    stop = cancel.token()
    # MAX_DEPTH, not the recursion limit that earlier programs left, decides how deep a
    # statement may nest: the same text always gets the same error
    recursion.allow_reading(tree, MAX_DEPTH)
    for i, node in enumerate(tree.body):
        stop.check()  # a superseded build in the window stops here too (core.base.cancel)
        try:
            statements = parser.statement(node, i == last)
            program.statements.extend(parser.pending)  # a dropout's mask, before its line
            parser.pending.clear()
            program.statements.extend(statements)
        except RecursionError:  # a safety net: the limit covers MAX_DEPTH levels
            raise ExpressionError("the expression is nested too deeply", *parser.pos(node),
                                  hint="split it over several lines") from None
    recursion.allow_building(parser.tree_depth)
    if not any(isinstance(s, (Assign, Declare)) for s in program.statements):
        raise ExpressionError("the program computes nothing",
                              hint="write an assignment, as in 'loss = (w * x - y) ** 2'")
    return program

