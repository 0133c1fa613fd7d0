"""Calls read from an op's :class:`~core.ops.spelling.Spelling`: conv2d, pooling, dropout …

Mixed into the parser through :class:`core.language.calls.CallReader`. Arguments bind as Python
binds them (by position in torch's order, or by keyword), each is read by its kind, and
the op's family checks the values (``stride=0``, ``dilation=2``) before the op is made.
Dropout also draws its mask here, through torch (:mod:`core.language.draws`), in the program's
order, so that it is the mask torch draws at the same point of the same program.
"""

from __future__ import annotations

import ast

import numpy as np

from core.language.draws import DrawError
from core.language.ir import Apply, Assign, Declare, Literal, Ref, fold
from core.ops import CALLS, OPS, SPELLINGS, ShapeError
from core.ops.spelling import BOOL, INT, NUMBER, PAIR, PAIR_OR_NONE, WORD, Spelling


class SpelledCalls:
    """``F.conv2d(x, w, stride=2)`` and the other calls a Spelling describes."""

    #: the program's statements so far, and declarations a call adds before its own
    #: statement (dropout's mask); the parser gives each its own lists (these defaults
    #: are empty and cannot be added to by mistake)
    statements: list | tuple = ()
    pending: list | tuple = ()

    def spelled_call(self, name: str, node: ast.Call, args: list[ast.expr], method: bool,
                     depth: int):
        spelling, check = SPELLINGS[name]
        if method and "method" not in CALLS[name].forms:
            raise self.error(node, f"'.{name}()' is not a tensor method here",
                             f"write F.{name}(x, …)")
        given = self._bind(name, spelling, node, args)
        operands = [self.expr(given[t], depth + 1) for t in spelling.tensors]
        attrs: dict = {}
        for t in spelling.optional:
            value = given.get(t)
            if value is not None and not (isinstance(value, ast.Constant) and value.value is None):
                operands.append(self.expr(value, depth + 1))
                attrs["biased"] = True
        words = dict(spelling.words)
        for pname, kind, default in spelling.params:
            if pname in given:
                attrs[pname] = self._argument(given[pname], kind, pname, words.get(pname))
            elif default is None and kind != PAIR_OR_NONE:
                raise self.error(node, f"{name} needs {pname}",
                                 f"as in F.{name}(x, {pname}=2)")
            else:
                attrs[pname] = default
        message = check(name, attrs)
        if message is not None:
            raise self.error(node, message)
        line, column = self.pos(node)
        if name == "dropout":
            operands.append(self._dropout_mask(node, operands[0], attrs))
        return fold(Apply(spelling.key, tuple(operands), line, column, attrs=attrs))

    def _bind(self, name: str, spelling: Spelling, node: ast.Call, args) -> dict:
        names = spelling.names
        if len(args) > len(names):
            raise self.error(args[len(names)], f"{name} takes at most {len(names)} arguments",
                             f"its parameters: {', '.join(names)}")
        given = dict(zip(names, args, strict=False))
        for kw in node.keywords:
            if kw.arg is None:
                raise self.error(node, "'**' unpacking is not supported")
            if kw.arg not in names:
                raise self.error(kw, f"{name} does not take the keyword '{kw.arg[:40]}'",
                                 f"it takes {', '.join(names)}")
            if kw.arg in given:
                raise self.error(kw, f"{name} got {kw.arg} twice")
            given[kw.arg] = kw.value
        for t in spelling.tensors:
            if t not in given:
                raise self.error(node, f"{name} needs its {t}",
                                 f"its parameters: {', '.join(names)}")
        return given

    def _argument(self, node: ast.expr, kind: str, what: str, words=None):
        if kind == PAIR_OR_NONE and isinstance(node, ast.Constant) and node.value is None:
            return None
        if kind in (PAIR, PAIR_OR_NONE):
            if isinstance(node, (ast.Tuple, ast.List)):
                if len(node.elts) != 2:
                    raise self.error(node, f"{what} takes one whole number or two, "
                                     "as in 2 or (2, 1)")
                return tuple(self.whole(e, what) for e in node.elts)
            return self.whole(node, what)
        if kind == INT:
            return self.whole(node, what)
        if kind == NUMBER:
            return self.number(node, what)
        if kind == BOOL:
            return self.flag(node, what)
        if kind == WORD and isinstance(node, ast.Constant) and node.value in words:
            return node.value
        raise self.error(node, f"{what} must be one of {', '.join(map(repr, words or ()))}")

    # ---- dropout's mask ------------------------------------------------------------

    def _dropout_mask(self, node: ast.Call, operand, attrs: dict) -> Ref:
        """Draw the mask now (torch draws it when the line runs), declare it as data
        named ``dropout_mask`` (``dropout_mask2`` …) and give it to the op."""
        shape = self.shape_of(operand, len(self.statements))
        if shape is None:
            raise self.error(node, "dropout: the shape of its input is not known here",
                             "compute the input on an earlier line of the same program")
        p, training = attrs["p"], attrs["training"]
        try:
            if training and 0.0 < p < 1.0 and int(np.prod(shape)) > 0:
                mask = self.draws.mask(tuple(shape), 1.0 - p)
            else:  # torch draws nothing: eval mode, p = 0 (kept) or p = 1 (all dropped)
                mask = np.full(shape, 0.0 if training and p == 1.0 else 1.0)[()]
        except DrawError as exc:
            raise self.error(node, str(exc)) from None
        taken = {s.name for s in (*self.statements, *self.pending)
                 if isinstance(s, (Assign, Declare))}
        name, n = "dropout_mask", 1
        while name in taken:
            n += 1
            name = f"dropout_mask{n}"
        line, column = self.pos(node)
        self.pending.append(Declare(name, "data", np.asarray(mask, dtype=np.float64)[()],
                                    line, column))
        return Ref(name, line, column)

    def shape_of(self, expr, before: int):
        """The shape ``expr`` will have, from the statements before index ``before``;
        None where it cannot be told (an unknown name, shapes the op refuses)."""
        if type(expr) is Literal:
            return np.shape(expr.value)
        if type(expr) is Ref:
            for index in range(min(before, len(self.statements)) - 1, -1, -1):
                statement = self.statements[index]
                if isinstance(statement, (Assign, Declare)) and statement.name == expr.name:
                    if isinstance(statement, Declare):
                        return np.shape(statement.value)
                    return self.shape_of(statement.expr, index)
            return None
        if type(expr) is Apply:
            shapes = [self.shape_of(a, before) for a in expr.args]
            if any(s is None for s in shapes):
                return None
            attrs = dict(expr.attrs or {})
            if expr.k is not None:
                attrs["k"] = expr.k
            try:
                return OPS[expr.op].output_shape(tuple(shapes), attrs)
            except ShapeError:
                return None
        return None

    # the parser's (see core.language.calls.CallReader)
    def error(self, node, message, hint=None):  # pragma: no cover
        raise NotImplementedError

    def whole(self, node, what):  # pragma: no cover
        raise NotImplementedError

    def number(self, node, what):  # pragma: no cover
        raise NotImplementedError

    def flag(self, node, what):  # pragma: no cover
        raise NotImplementedError

    def expr(self, node, depth):  # pragma: no cover
        raise NotImplementedError

    def pos(self, node):  # pragma: no cover
        raise NotImplementedError
