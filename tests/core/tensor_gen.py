"""Random tensor programs (1-D, 2-D, broadcasting, dims, keepdim) with a torch oracle.

Each expression is drawn as a tree with its shape known, written as program TEXT in one
of the spellings the language takes (``A @ B``, ``torch.matmul(A, B)``, ``A.sum(dim=1,
keepdim=True)``, ``F.softmax(A, dim=0)`` …). The same tree evaluates in torch float64
directly (:func:`oracle`), without the engine's parser, graph or torch twin.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
from hypothesis import strategies as st

UNARY = ("exp", "tanh", "sigmoid", "relu", "sin", "abs")
BINARY = {"add": "+", "sub": "-", "mul": "*", "div": "/"}


@dataclass(frozen=True)
class T:
    """A tree node: ``op`` over ``args`` with attributes; a leaf has ``name``."""

    op: str
    args: tuple = ()
    attrs: tuple = ()  # sorted (key, value) pairs
    name: str | None = None
    shape: tuple = ()


@dataclass
class TensorProgram:
    text: str
    leaves: dict[str, tuple[str, list]] = field(default_factory=dict)  # name -> (role, value)
    output: T | None = None

    def __repr__(self) -> str:
        return f"TensorProgram(text={self.text!r})"


def values(draw, shape, moderate=True):
    size = int(np.prod(shape)) if shape else 1
    magnitude = st.floats(0.25, 2.0) if moderate else st.floats(-3, 3)
    numbers = draw(st.lists(magnitude, min_size=size, max_size=size))
    signs = draw(st.lists(st.sampled_from([1.0, -1.0]), min_size=size, max_size=size))
    flat = [round(a * s, 3) for a, s in zip(numbers, signs, strict=True)]
    return np.array(flat).reshape(shape).tolist() if shape else flat[0]


@st.composite
def tensor_programs(draw, max_statements: int = 4) -> TensorProgram:
    program = TensorProgram("")
    lines = ["import torch", "import torch.nn.functional as F"]
    env: dict[str, tuple] = {}
    counter = [0]

    def new_leaf(shape, role=None) -> T:
        counter[0] += 1
        name = f"p{counter[0]}"
        role = role or draw(st.sampled_from(["parameter", "parameter", "data"]))
        value = values(draw, shape)
        text = json.dumps(value)
        if role == "parameter":
            form = draw(st.sampled_from(["param", "tensor"]))
            lines.append(f"{name} = param({text})" if form == "param" else
                         f"{name} = torch.tensor({text}, requires_grad=True)")
        else:
            lines.append(f"{name} = torch.tensor({text})")
        program.leaves[name] = (role, value)
        env[name] = shape
        return T("leaf", name=name, shape=shape)

    def leaf(shape) -> T:
        same = [n for n, s in env.items() if s == shape]
        if same and draw(st.booleans()):
            name = draw(st.sampled_from(same))
            return T("leaf", name=name, shape=shape)
        return new_leaf(shape)

    def partner(shape) -> tuple:
        """A shape that broadcasts with ``shape``."""
        options = [shape, ()]
        if shape:
            options.append(shape[-1:])
            options.append((1,) * (len(shape) - 1) + shape[-1:])
        if len(shape) == 2:
            options.append((shape[0], 1))
        return draw(st.sampled_from(options))

    def expr(shape, depth) -> T:
        if depth <= 0 or draw(st.integers(0, 9)) < 3:
            return leaf(shape)
        kind = draw(st.sampled_from(["binary", "binary", "unary", "reduce", "matmul",
                                     "transpose", "reshape", "softmax"]))
        if kind == "binary":
            other = partner(shape)
            a, b = expr(shape, depth - 1), expr(other, depth - 1)
            if draw(st.booleans()):
                a, b = b, a
            key = draw(st.sampled_from(sorted(BINARY)))
            if key == "div":
                b = T("unary", (b,), (("f", "exp"),), shape=b.shape)  # a positive divisor
            return T(key, (a, b), shape=tuple(np.broadcast_shapes(a.shape, b.shape)))
        if kind == "unary":
            return T("unary", (expr(shape, depth - 1),),
                     (("f", draw(st.sampled_from(UNARY))),), shape=shape)
        if kind == "reduce" and len(shape) < 2:
            # shape = reduce(bigger, dim): insert an axis and reduce it away
            axis = draw(st.integers(0, len(shape)))
            size = draw(st.integers(1, 3))
            inner = shape[:axis] + (size,) + shape[axis:]
            keep = draw(st.booleans())
            if keep:
                return T("reduce", (expr(inner, depth - 1),),
                         (("dim", axis), ("key", draw(st.sampled_from(["sum", "mean"]))),
                          ("keepdim", False)), shape=shape)
            key = draw(st.sampled_from(["sum", "mean", "max", "min"]))
            dim = axis if draw(st.booleans()) else axis - len(inner)
            return T("reduce", (expr(inner, depth - 1),),
                     (("dim", dim), ("key", key), ("keepdim", False)), shape=shape)
        if kind == "reduce" and shape and shape[-1] == 1:
            inner = shape[:-1] + (draw(st.integers(2, 3)),)
            key = draw(st.sampled_from(["sum", "mean", "max", "min"]))
            return T("reduce", (expr(inner, depth - 1),),
                     (("dim", len(shape) - 1), ("key", key), ("keepdim", True)), shape=shape)
        if kind == "matmul" and shape and len(shape) <= 2:
            k = draw(st.integers(1, 3))
            if len(shape) == 2:
                a_shape, b_shape = (shape[0], k), (k, shape[1])
            elif draw(st.booleans()):
                a_shape, b_shape = (shape[0], k), (k,)
            else:
                a_shape, b_shape = (k,), (k, shape[0])
            form = draw(st.sampled_from(["@", "matmul"]))
            return T("matmul", (expr(a_shape, depth - 1), expr(b_shape, depth - 1)),
                     (("form", form),), shape=shape)
        if kind == "transpose" and len(shape) == 2:
            form = draw(st.sampled_from([".T", ".t()", "transpose"]))
            return T("transpose", (expr(shape[::-1], depth - 1),), (("form", form),),
                     shape=shape)
        if kind == "reshape" and shape:
            size = int(np.prod(shape))
            inner = draw(st.sampled_from([(size,), (1, size), (size, 1)]))
            return T("reshape", (expr(inner, depth - 1),), (("to", shape),), shape=shape)
        if kind == "softmax" and shape:
            dim = draw(st.integers(-len(shape), len(shape) - 1))
            key = draw(st.sampled_from(["softmax", "log_softmax"]))
            return T("softmax", (expr(shape, depth - 1),), (("dim", dim), ("key", key)),
                     shape=shape)
        return leaf(shape)

    statements = draw(st.integers(1, max_statements))
    names = []
    for i in range(statements):
        shape = draw(st.sampled_from([(2,), (3,), (2, 3), (3, 2), (1, 3), (2, 1), (2, 2)]))
        tree = expr(shape, 3)
        name = f"t{i}"
        lines.append(f"{name} = {write(tree, draw)}")
        env[name] = shape
        names.append((name, tree))
    name, tree = names[-1]
    final = draw(st.sampled_from(["sum", "mean", "weighted"]))
    if final == "weighted":
        weights = new_leaf(tree.shape, role="data")
        lines.append(f"loss = ({name} * {weights.name}).sum()")
        out = T("final", (T("leaf", name=name, shape=tree.shape), weights), (("f", "w"),))
    else:
        lines.append(f"loss = {final}({name})" if draw(st.booleans()) else
                     f"loss = {name}.{final}()")
        out = T("final", (T("leaf", name=name, shape=tree.shape),), (("f", final),))
    program.text = "\n".join(lines) + "\n"
    program.output = out
    program.assignments = names
    return program


def write(tree: T, draw) -> str:
    at = dict(tree.attrs)
    if tree.op == "leaf":
        return tree.name
    args = [write(a, draw) for a in tree.args]
    if tree.op in BINARY:
        return f"({args[0]} {BINARY[tree.op]} {args[1]})"
    if tree.op == "unary":
        return draw(st.sampled_from([f"torch.{at['f']}({args[0]})", f"({args[0]}).{at['f']}()"]))
    if tree.op == "reduce":
        keep = ", keepdim=True" if at["keepdim"] else ""
        values = ".values" if at["key"] in ("max", "min") else ""
        return f"({args[0]}).{at['key']}(dim={at['dim']}{keep}){values}"
    if tree.op == "matmul":
        return f"({args[0]} @ {args[1]})" if at["form"] == "@" else \
            f"torch.matmul({args[0]}, {args[1]})"
    if tree.op == "transpose":
        return {".T": f"({args[0]}).T", ".t()": f"({args[0]}).t()",
                "transpose": f"({args[0]}).transpose(0, 1)"}[at["form"]]
    if tree.op == "reshape":
        return f"({args[0]}).reshape({', '.join(str(s) for s in at['to'])})"
    if tree.op == "softmax":
        return f"F.{at['key']}({args[0]}, dim={at['dim']})"
    raise ValueError(tree.op)


def oracle(program: TensorProgram, torch):
    """The program's trees evaluated in torch float64: (loss, {name: value}, {param: grad})."""
    env = {}
    for name, (role, value) in program.leaves.items():
        env[name] = torch.tensor(value, dtype=torch.float64, requires_grad=role == "parameter")

    def ev(tree: T):
        at = dict(tree.attrs)
        if tree.op == "leaf":
            return env[tree.name]
        args = [ev(a) for a in tree.args]
        if tree.op == "add":
            return args[0] + args[1]
        if tree.op == "sub":
            return args[0] - args[1]
        if tree.op == "mul":
            return args[0] * args[1]
        if tree.op == "div":
            return args[0] / args[1]
        if tree.op == "unary":
            return getattr(torch, at["f"])(args[0])
        if tree.op == "reduce":
            result = getattr(args[0], at["key"])(dim=at["dim"], keepdim=at["keepdim"])
            return result.values if at["key"] in ("max", "min") else result
        if tree.op == "matmul":
            return torch.matmul(args[0], args[1])
        if tree.op == "transpose":
            return args[0].transpose(0, 1)
        if tree.op == "reshape":
            return args[0].reshape(at["to"])
        if tree.op == "softmax":
            return getattr(torch, at["key"])(args[0], dim=at["dim"])
        if tree.op == "final":
            if at["f"] == "w":
                return (args[0] * args[1]).sum()
            return getattr(args[0], at["f"])()
        raise ValueError(tree.op)

    for name, tree in program.assignments:
        env[name] = ev(tree)
    loss = ev(program.output)
    if loss.requires_grad:
        loss.backward()
    grads = {n: t.grad for n, t in env.items() if n in program.leaves and t.requires_grad}
    return loss, env, grads
