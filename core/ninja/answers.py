"""An answer's text → an expression tree, read with the programs' ``ast`` whitelist.

An answer is one expression in the program language (:mod:`core.language.parser`) plus what a
backward pass needs: comparisons for masks (``(h > 0) * d_h``), indexing
(``torch.eye(3)[y]``, ``x[:, 0]``), ``torch.zeros_like``/``ones_like``/``full_like``,
``torch.where``, ``torch.sign``, ``F.one_hot``, ``.float()``, ``.expand_as``,
``x.shape[0]``/``x.size(0)``/``x.numel()`` and ``grad("c@1")`` for a node whose name is
not an identifier. Nothing is ever evaluated as Python: the tree is computed by
:mod:`core.ninja.evaluate` with the engine's own op forwards.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from core.base.errors import ExpressionError, short
from core.language.calls import dotted
from core.language.ir import Apply, Literal, Ref
from core.language.parser import MAX_DEPTH, _Parser

MAX_ANSWER_CHARS = 20_000
_COMPARE = {ast.Gt: ">", ast.Lt: "<", ast.GtE: ">=", ast.LtE: "<=", ast.Eq: "==",
            ast.NotEq: "!="}
#: functions of one tensor that answers add to the language's own
_LIKE = ("zeros_like", "ones_like")


@dataclass(slots=True)
class Compare:
    """``a > b``: 1.0 where it holds, else 0.0 (a mask, as ``(h > 0).float()``)."""

    op: str
    left: object
    right: object
    line: int
    column: int


@dataclass(slots=True)
class Index:
    """``x[i]``, ``x[rows, labels]``, ``x[:, 0]``: items are expressions or slices."""

    value: object
    items: tuple
    line: int
    column: int


@dataclass(slots=True)
class Slice:
    start: int | None
    stop: int | None
    step: int | None


@dataclass(slots=True)
class GradRef:
    """``grad("c@1")``: the gradient of a node by its label."""

    name: str
    line: int
    column: int


@dataclass(slots=True)
class ValueRef:
    """``value("model.0.weight")``: the value of a node by its name or label."""

    name: str
    line: int
    column: int


@dataclass(slots=True)
class Call:
    """A function answers add: ``zeros_like``, ``where``, ``one_hot``, ``size`` …"""

    fn: str
    args: tuple
    line: int
    column: int
    number: float | None = None  # full_like's value, size's dim, one_hot's classes


@dataclass
class Answer:
    """A parsed answer: the tree, and every name it uses with its column."""

    text: str
    expr: object
    names: list[tuple[str, int]]  # (name, column): values and d_<name>
    grads: list[tuple[str, int]]  # (label, column): grad("…")
    values: list[tuple[str, int]] = field(default_factory=list)  # value("…")


class _AnswerParser(_Parser):
    def expr(self, node: ast.expr, depth: int):
        if depth > MAX_DEPTH:
            raise self.error(node, "the answer is nested too deeply")
        line, column = self.pos(node)
        if isinstance(node, ast.Compare):
            if len(node.ops) != 1 or type(node.ops[0]) not in _COMPARE:
                raise self.error(node, "compare two values once, as in (h > 0)")
            return Compare(_COMPARE[type(node.ops[0])], self.expr(node.left, depth + 1),
                           self.expr(node.comparators[0], depth + 1), line, column)
        if isinstance(node, ast.Subscript):
            return self.subscript(node, depth)
        if isinstance(node, ast.Attribute) and node.attr == "shape":
            raise self.error(node, "use one size of the shape, as in x.shape[0]")
        if isinstance(node, ast.Attribute) and node.attr != "T":
            name = dotted(node)  # a module's value, model.weight, or its d_model.weight
            if name is not None and name.partition(".")[0] not in self.aliases \
                    and not any(part.startswith("_") for part in name.split(".")[1:]):
                return Ref(self.name(node, name), line, column)
        if isinstance(node, ast.Call):
            special = self.special_call(node, depth)
            if special is not None:
                return special
        return super().expr(node, depth)

    def subscript(self, node: ast.Subscript, depth: int):
        line, column = self.pos(node)
        value = node.value
        if isinstance(value, ast.Attribute) and value.attr == "shape":
            dim = self.whole(node.slice, "the axis")
            return Call("size", (self.expr(value.value, depth + 1),), line, column, dim)
        index = node.slice
        parts = index.elts if isinstance(index, ast.Tuple) else [index]
        items = []
        for part in parts:
            if isinstance(part, ast.Slice):
                bounds = [None if b is None else self.whole(b, "a slice bound")
                          for b in (part.lower, part.upper, part.step)]
                items.append(Slice(*bounds))
            else:
                items.append(self.expr(part, depth + 1))
        return Index(self.expr(value, depth + 1), tuple(items), line, column)

    def special_call(self, node: ast.Call, depth: int):
        """The calls answers add; None for a call the program language reads."""
        line, column = self.pos(node)
        func = node.func
        if isinstance(func, ast.Name) and func.id in ("grad", "value"):
            if len(node.args) != 1 or node.keywords or not (
                    isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                raise self.error(node, f"{func.id} takes a node's name in quotes",
                                 f'as in {func.id}("c@1")')
            kind = GradRef if func.id == "grad" else ValueRef
            return kind(node.args[0].value, line, column)
        resolved = self.resolve(func) or ""
        if resolved == "torch.tensor":  # a constant, as our own answers write one
            value = self.literal_value(node.args[0]) if len(node.args) == 1 else None
            if value is None or node.keywords:
                raise self.error(node, "torch.tensor takes a number or a list of numbers")
            return Literal(value, line, column)
        method = isinstance(func, ast.Attribute) and not resolved.startswith("torch.")
        name = func.attr if method else resolved.rpartition(".")[2]
        args = ([func.value] if method else []) + list(node.args)
        known = resolved in ("torch.nn.functional.one_hot",) or name in (
            *_LIKE, "full_like", "where", "sign", "float", "double", "expand_as", "size",
            "numel") and (method or resolved.startswith("torch."))
        if not known:
            return None
        if name == "one_hot":
            kws = self.keywords(node, "one_hot", ("num_classes",))
            classes = kws.get("num_classes", args[1] if len(args) > 1 else None)
            if classes is None or len(args) > 2:
                raise self.error(node, "one_hot needs the number of classes",
                                 "as in F.one_hot(y, 3)")
            return Call("one_hot", (self.expr(args[0], depth + 1),), line, column,
                        self.whole(classes, "num_classes"))
        self.keywords(node, name, ())
        counts = {"where": 3, "full_like": 2, "expand_as": 2, "size": 2}
        wanted = counts.get(name, 1)
        if len(args) != wanted:
            raise self.error(node, f"{name} takes {wanted} argument{'s' if wanted > 1 else ''}"
                             + (" (self included)" if method else ""))
        if name == "size":
            return Call("size", (self.expr(args[0], depth + 1),), line, column,
                        self.whole(args[1], "the axis"))
        if name == "full_like":
            return Call("full_like", (self.expr(args[0], depth + 1),), line, column,
                        self.number(args[1], "the fill value"))
        if name in ("float", "double"):
            return self.expr(args[0], depth + 1)  # values are floats already
        return Call(name, tuple(self.expr(a, depth + 1) for a in args), line, column)


def parse_answer(text: str, where: str = "answer") -> Answer:
    """Read one answer; raise :class:`ExpressionError` with ``where`` and the column."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("the answer is empty", where=where,
                              hint="write an expression, as in 2 * s * d_loss")
    text = text.strip().replace("−", "-").replace("·", "*")
    if len(text) > MAX_ANSWER_CHARS or "\n" in text:
        raise ExpressionError("an answer is one expression on one line", where=where)
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        column = exc.offset if exc.offset else len(text) + 1
        message = (exc.msg or "invalid syntax").replace("invalid syntax. ", "")
        raise ExpressionError(f"syntax error: {message}", where=f"{where}, column {column}",
                              hint="write one expression, as in 2 * s * d_loss") from None
    except (RecursionError, MemoryError, ValueError):
        raise ExpressionError("the answer cannot be read", where=where) from None
    parser = _AnswerParser(text)
    parser.aliases["nn"] = "torch.nn"
    try:
        expr = parser.expr(tree.body, 0)
    except ExpressionError as exc:
        column = f", column {exc.column}" if exc.column else ""
        raise ExpressionError(exc.message, where=where + column, hint=exc.hint) from None
    except RecursionError:
        raise ExpressionError("the answer is nested too deeply", where=where) from None
    names, grads, values = [], [], []
    for item in walk(expr):
        if isinstance(item, Ref):
            names.append((item.name, item.column))
        elif isinstance(item, GradRef):
            grads.append((item.name, item.column))
        elif isinstance(item, ValueRef):
            values.append((item.name, item.column))
    return Answer(text, expr, names, grads, values)


def children(expr) -> tuple:
    if isinstance(expr, Apply):
        return expr.args
    if isinstance(expr, Compare):
        return expr.left, expr.right
    if isinstance(expr, Index):
        return (expr.value, *(i for i in expr.items if not isinstance(i, Slice)))
    if isinstance(expr, Call):
        return expr.args
    return ()


def walk(expr):
    """Every node of the tree, parents first."""
    stack = [expr]
    while stack:
        item = stack.pop()
        yield item
        stack.extend(reversed(children(item)))


def unknown_name(name: str, column: int, where: str, available: list[str]) -> ExpressionError:
    """An error for a name the answer may not use here, with what it may use."""
    import difflib  # noqa: PLC0415 - only on this error

    close = difflib.get_close_matches(name, available, n=1)
    if name.startswith("d_"):
        hint = f"{short(name)} is not available here: write the answer for " \
               f"{short(name[2:])} first"
    else:
        hint = "names: the program's values, d_<name> for gradients, grad(\"label\")"
    if close:
        hint = f"did you mean {close[0]}? " + hint
    return ExpressionError(f"unknown name '{short(name)}'", where=f"{where}, column {column}",
                           hint=hint)


__all__ = ["Answer", "Call", "Compare", "GradRef", "Index", "Literal", "Slice", "ValueRef",
           "children", "parse_answer", "unknown_name", "walk"]
