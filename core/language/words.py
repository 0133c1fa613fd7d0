"""The language's words: the names a value may not take, the modules a program may
import, the operators it reads and the Python constructs it refuses, each named for the
message (core.language.parser reads them)."""

from __future__ import annotations

import ast

from core.ops.index import FUNCTIONS


class _Reserved:
    """Names a value may not take: the language's own words and every function (an op
    registered later is reserved too, as its entry is the only place it is named)."""

    def __init__(self, words: frozenset[str]):
        self.words = words

    def __contains__(self, name: object) -> bool:
        return name in self.words or name in FUNCTIONS

    def __iter__(self):
        return iter(sorted({*self.words, *FUNCTIONS}))


RESERVED = _Reserved(frozenset({"param", "torch", "print", "tensor", "maximum", "minimum",
                                "pow", "grad", "backward", "float"}))  # float: code's nan
#: module names the program may import, and what they stand for
MODULES = {"torch": "torch", "torch.nn": "torch.nn", "torch.nn.functional": "torch.nn.functional"}


_BINOPS = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div", ast.Pow: "pow",
           ast.MatMult: "matmul"}
_BINOP_HINTS = {
    ast.BitXor: ("'^' is not a power", "use ** for powers: x ** 2"),
    ast.FloorDiv: ("'//' (floor division) is not supported", "use / for division"),
    ast.Mod: ("'%' is not supported", "use +, -, *, / and **"),
    ast.BitAnd: ("'&' is not supported", "use +, -, *, / and **"),
    ast.BitOr: ("'|' is not supported", "use +, -, *, / and **"),
    ast.LShift: ("'<<' is not supported", "use +, -, *, / and **"),
    ast.RShift: ("'>>' is not supported", "use +, -, *, / and **"),
}
_AUG = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div"}
_CONSTRUCT_NAMES = {
    ast.For: "a for loop", ast.While: "a while loop", ast.If: "an if statement",
    ast.FunctionDef: "a function definition", ast.ClassDef: "a class definition",
    ast.With: "a with block", ast.Try: "a try block", ast.Return: "return",
    ast.Delete: "del", ast.Global: "global", ast.Nonlocal: "nonlocal",
    ast.Lambda: "a lambda", ast.IfExp: "a conditional expression",
    ast.Compare: "a comparison", ast.BoolOp: "and/or", ast.Subscript: "indexing",
    ast.Dict: "a dictionary", ast.Set: "a set", ast.Tuple: "a tuple",
    ast.ListComp: "a list comprehension", ast.GeneratorExp: "a generator",
    ast.DictComp: "a dict comprehension", ast.SetComp: "a set comprehension",
    ast.JoinedStr: "an f-string", ast.Await: "await", ast.Yield: "yield",
    ast.NamedExpr: "':='", ast.Starred: "'*' unpacking", ast.AsyncFunctionDef: "async",
    ast.Assert: "assert", ast.Raise: "raise", ast.Pass: "pass", ast.Break: "break",
    ast.Continue: "continue", ast.AnnAssign: "an annotated assignment",
    ast.Match: "match",
}


def function_list() -> str:
    return ", ".join(sorted(FUNCTIONS))
