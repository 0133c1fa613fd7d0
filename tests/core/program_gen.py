"""Random programs in the app's language, with an independent torch oracle.

A hypothesis strategy draws a program as a small tree per statement and writes it as
TEXT in one of the spellings the language accepts (``exp(a)``, ``torch.exp(a)``,
``a.exp()``, ``a ** 2``, ``a.pow(2)``, ``c += …``). The same trees evaluate directly in
torch float64 (:func:`oracle`), without the engine's parser, graph or torch twin: what
the engine reads from the text must be what the trees say.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from hypothesis import strategies as st

from core.engine.graph import Binding

INF, NAN = math.inf, math.nan

#: values at the edges of the ops' domains
EDGES = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 5e-324, -5e-324, 1e-300, -1e-300, 1e-8,
         -1e-8, 700.0, 710.0, 800.0, -800.0, 1e154, -1e154, 1e308, -1e308, 3.0]
NONFINITE = [INF, -INF, NAN]
#: fixed powers (torch has special paths for several), tried as ``x ** k``
POWERS = [0.0, 1.0, 2.0, 3.0, -1.0, -2.0, 0.5, -0.5, 1.5, -1.5, 2.5, 4.0, 1e999]
UNARY = ("exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "abs")
REDUCE = ("sum", "mean", "max", "min")
BINARY = ("add", "sub", "mul", "div")
INFIX = {"add": "+", "sub": "-", "mul": "*", "div": "/"}
LEAF_NAMES = ["w", "x", "b", "y", "h", "c_1", "ŷ", "match", "w2", "bias"]
RESULT_NAMES = ["c", "s", "z", "loss_part", "y_hat", "t", "c_1", "d"]


# ---- trees -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Name:
    name: str


@dataclass(frozen=True)
class Const:
    value: object  # float or tuple of floats


@dataclass(frozen=True)
class Op:
    key: str  # an OPS key
    args: tuple
    k: float | None = None


@dataclass
class Expr:
    tree: object
    text: str
    atomic: bool  # needs no brackets as an operand
    vector: bool


@dataclass
class Generated:
    text: str
    bindings: dict[str, Binding]
    #: effective leaves after bindings: name -> (role, value)
    leaves: dict[str, tuple[str, object]]
    #: ("assign", name, tree) | ("backward", name), in order
    statements: list = field(default_factory=list)
    moderate: bool = False

    def __repr__(self) -> str:  # hypothesis prints this on failure: make it pasteable
        bound = {k: (b.role, np.asarray(b.value).tolist()) for k, b in self.bindings.items()}
        return f"Generated(text={self.text!r}, bindings={bound!r})"


# ---- numbers as text --------------------------------------------------------------------

def number_text(x: float, int_style: bool = False) -> str:
    x = float(x)
    if math.isnan(x):
        return "(1e999 - 1e999)"
    if math.isinf(x):
        return "1e999" if x > 0 else "-1e999"
    if int_style and x.is_integer() and abs(x) < 1e15 and not (x == 0 and math.copysign(1, x) < 0):
        return str(int(x))
    return repr(x)


def value_text(value, int_style: bool = False) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(number_text(v, int_style) for v in value) + "]"
    return number_text(value, int_style)


def as_array(value):
    return np.asarray(value, dtype=np.float64)[()] if isinstance(value, tuple) \
        else np.float64(value)


# ---- strategies -------------------------------------------------------------------------

def scalars(moderate: bool, nonfinite: bool = False):
    if moderate:
        magnitude = st.floats(0.25, 2.0)
        return st.builds(lambda m, s: m * s, magnitude, st.sampled_from([1.0, -1.0]))
    options = [st.floats(-3, 3, allow_nan=False, allow_infinity=False),
               st.sampled_from(EDGES),
               st.floats(allow_nan=False, allow_infinity=False, width=64)]
    if nonfinite:
        options.append(st.sampled_from(NONFINITE))
    return st.one_of(*options)


@st.composite
def expressions(draw, env: dict[str, bool], n: int, depth: int, moderate: bool) -> Expr:
    """An expression over the names in ``env`` (name -> is a vector)."""
    leaf_only = depth <= 0 or draw(st.integers(0, 9)) < 2
    if leaf_only:
        if env and draw(st.integers(0, 9)) < 8:
            name = draw(st.sampled_from(sorted(env)))
            return Expr(Name(name), name, True, env[name])
        if draw(st.integers(0, 5)) == 0:
            value = tuple(draw(st.lists(scalars(moderate), min_size=n, max_size=n)))
            return Expr(Const(value), value_text(value), True, True)
        value = draw(scalars(moderate))
        text = number_text(value, draw(st.booleans()))
        return Expr(Const(value), text, not text.startswith("-") and "(" not in text, False)

    def sub(d: int = 1) -> Expr:
        return draw(expressions(env, n, depth - d, moderate))

    def wrap(e: Expr) -> str:
        return e.text if e.atomic else f"({e.text})"

    def wrapm(e: Expr) -> str:  # before a method: ``2.exp()`` is not Python
        return f"({e.text})" if isinstance(e.tree, Const) and not e.vector else wrap(e)

    kind = draw(st.sampled_from(["binary"] * 4 + ["neg", "powc", "pow", "unary", "unary",
                                                  "unary", "pick", "reduce", "plus"]))
    if kind == "binary":
        key = draw(st.sampled_from(BINARY))
        a, b = sub(), sub()
        text = f"{wrap(a)} {INFIX[key]} {wrap(b)}"
        return Expr(Op(key, (a.tree, b.tree)), text, False, a.vector or b.vector)
    if kind == "neg":
        a = sub()
        return Expr(Op("neg", (a.tree,)), f"-{wrap(a)}", False, a.vector)
    if kind == "plus":  # unary plus: no node at all
        a = sub()
        return Expr(a.tree, f"+{wrap(a)}", False, a.vector)
    if kind == "powc":
        a = sub()
        k = draw(st.sampled_from(POWERS)) if draw(st.integers(0, 4)) else draw(
            st.floats(-4, 4).map(lambda v: round(v, 2)))
        k_text = number_text(k, draw(st.booleans()))
        if k_text.startswith("-") and draw(st.booleans()):
            k_text = f"({k_text})"
        form = draw(st.sampled_from(["**", "**", "method", "torch", "builtin"]))
        text = {"**": f"{wrap(a)} ** {k_text}", "method": f"{wrapm(a)}.pow({k_text})",
                "torch": f"torch.pow({a.text}, {k_text})",
                "builtin": f"pow({a.text}, {k_text})"}[form]
        return Expr(Op("powc", (a.tree,), float(k)), text, form != "**", a.vector)
    if kind == "pow":
        a = sub()
        b = sub()
        if isinstance(b.tree, Const) and not isinstance(b.tree.value, tuple):
            b = Expr(b.tree, b.text, b.atomic, b.vector)  # a literal exponent: fixed power
            key, args, k = "powc", (a.tree,), float(b.tree.value)
        else:
            key, args, k = "pow", (a.tree, b.tree), None
        form = draw(st.sampled_from(["**", "method", "torch"]))
        text = {"**": f"{wrap(a)} ** {wrap(b)}", "method": f"{wrapm(a)}.pow({b.text})",
                "torch": f"torch.pow({a.text}, {b.text})"}[form]
        return Expr(Op(key, args, k), text, form != "**", a.vector or b.vector)
    if kind == "unary":
        key = draw(st.sampled_from(UNARY))
        a = sub()
        form = draw(st.sampled_from(["plain", "torch", "method"]))
        text = {"plain": f"{key}({a.text})", "torch": f"torch.{key}({a.text})",
                "method": f"{wrapm(a)}.{key}()"}[form]
        return Expr(Op(key, (a.tree,)), text, True, a.vector)
    if kind == "pick":
        key = draw(st.sampled_from(["maximum", "minimum"]))
        a, b = sub(), sub()
        short = "max" if key == "maximum" else "min"
        form = draw(st.sampled_from(["plain", "torch", "torch-long", "method", "long"]))
        text = {"plain": f"{short}({a.text}, {b.text})",
                "torch": f"torch.{short}({a.text}, {b.text})",
                "torch-long": f"torch.{key}({a.text}, {b.text})",
                "method": f"{wrapm(a)}.{key}({b.text})",
                "long": f"{key}({a.text}, {b.text})"}[form]
        return Expr(Op(key, (a.tree, b.tree)), text, True, a.vector or b.vector)
    # reduce
    key = draw(st.sampled_from(REDUCE))
    a = sub()
    form = draw(st.sampled_from(["plain", "torch", "method"]))
    text = {"plain": f"{key}({a.text})", "torch": f"torch.{key}({a.text})",
            "method": f"{wrapm(a)}.{key}()"}[form]
    return Expr(Op(key, (a.tree,)), text, True, False)


def scalar_out(draw, e: Expr) -> Expr:
    """Reduce a vector expression to one number."""
    if not e.vector:
        return e
    key = draw(st.sampled_from(REDUCE))
    text = draw(st.sampled_from([f"{key}({e.text})", f"torch.{key}({e.text})",
                                 f"({e.text}).{key}()"]))
    return Expr(Op(key, (e.tree,)), text, True, False)


@st.composite
def programs(draw, moderate: bool = False, max_statements: int = 6, max_depth: int = 3
             ) -> Generated:
    """A whole program: declarations (or bindings), statements, an output.

    ``moderate`` keeps every number within ±[0.25, 2] and finite, for finite differences.
    """
    n = draw(st.sampled_from([1, 2, 3, 4]))
    lines: list[str] = []
    if draw(st.integers(0, 3)) == 0:
        lines.append("import torch")
    bindings: dict[str, Binding] = {}
    leaves: dict[str, tuple[str, object]] = {}
    env: dict[str, bool] = {}  # names bound so far -> vector?
    free: dict[str, bool] = {}  # leaves given only by bindings, used by name
    leaf_names = draw(st.lists(st.sampled_from(LEAF_NAMES), min_size=1, max_size=4,
                               unique=True))
    nonfinite = not moderate and draw(st.integers(0, 2)) == 0

    def draw_value(vector: bool):
        if vector:
            return tuple(draw(st.lists(scalars(moderate, nonfinite), min_size=n, max_size=n)))
        return draw(scalars(moderate, nonfinite))

    for name in leaf_names:
        vector = draw(st.booleans())
        value = draw_value(vector)
        how = draw(st.sampled_from(["param", "param", "tensor", "tensor-grad", "plain",
                                    "bound"]))
        role = "parameter" if how in ("param", "tensor-grad") else "data"
        int_style = draw(st.booleans())
        if how == "bound":
            role = draw(st.sampled_from(["parameter", "data"]))
            bindings[name] = Binding(role, as_array(value))
            leaves[name] = (role, value)
            free[name] = vector
            continue
        v = value_text(value, int_style)
        if how == "param":
            lines.append(f"{name} = param({v})")
        elif how == "tensor":
            lines.append(f"{name} = torch.tensor({v})")
        elif how == "tensor-grad":
            dtype = ", dtype=torch.float64" if draw(st.integers(0, 3)) == 0 else ""
            lines.append(f"{name} = torch.tensor({v}{dtype}, requires_grad=True)")
        else:
            lines.append(f"{name} = {v}")
        leaves[name] = (role, value)
        if draw(st.integers(0, 7)) == 0:  # a value given from outside wins
            vector = draw(st.booleans())
            value = draw_value(vector)
            role = draw(st.sampled_from(["parameter", "data"]))
            bindings[name] = Binding(role, as_array(value))
            leaves[name] = (role, value)
        env[name] = vector

    statements: list = []
    scope = {**env, **free}
    count = draw(st.integers(1, max_statements))
    for _ in range(count):
        kind = draw(st.sampled_from(["new"] * 6 + ["rebind", "rebind", "aug", "aug", "alias",
                                                   "noise"]))
        depth = draw(st.integers(1, max_depth))
        if kind in ("rebind", "aug", "alias") and not scope:
            kind = "new"
        if kind == "noise":
            lines.append(draw(st.sampled_from(
                ["print(1)", f"print({sorted(scope)[0] if scope else 1})", "import torch",
                 f"{leaf_names[0]}.grad.zero_()", "# a comment", ""])))
            continue
        if kind == "aug":
            target = draw(st.sampled_from(sorted(scope)))
            key = draw(st.sampled_from(BINARY))
            e = draw(expressions(scope, n, depth, moderate))
            lines.append(f"{target} {INFIX[key]}= {e.text}")
            statements.append(("assign", target, Op(key, (Name(target), e.tree))))
            scope[target] = scope[target] or e.vector
            continue
        if kind == "alias":
            target = draw(st.sampled_from(RESULT_NAMES))
            source = draw(st.sampled_from(sorted(scope)))
            if target == source or target in leaves or target in free:
                continue
            lines.append(f"{target} = {source}")
            statements.append(("assign", target, Name(source)))
            scope[target] = scope[source]
            continue
        e = draw(expressions(scope, n, depth, moderate))
        if isinstance(e.tree, (Const, Name)):
            continue  # a literal is a declaration, a name an alias: both drawn elsewhere
        if is_constant(e.tree) and kind == "rebind":
            continue  # x = <literal> again: a binding for x would give it its value too
        if kind == "rebind":  # not a name given from outside: its value would go unused
            target = draw(st.sampled_from(sorted(set(scope) - set(free) or ["c"])))
        else:
            target = draw(st.sampled_from(RESULT_NAMES))
            if target in leaves:
                continue
        lines.append(f"{target} = {e.text}")
        statements.append(("assign", target, e.tree))
        scope[target] = e.vector

    # the output: a final scalar that surely holds an operation
    names = sorted(scope)
    e = draw(expressions(scope, n, draw(st.integers(1, max_depth)), moderate))
    if not isinstance(e.tree, Op) or is_constant(e.tree):  # a literal or a name: no op
        a = Expr(Name(names[0]), names[0], True, scope[names[0]])
        e = Expr(Op("mul", (a.tree, e.tree)), f"{a.text} * ({e.text})", False,
                 a.vector or e.vector)
    e = scalar_out(draw, e)
    style = draw(st.sampled_from(["assign", "assign", "backward", "bare", "backward-early"]))
    if style == "bare":
        lines.append(e.text)
        statements.append(("assign", "_", e.tree))
    else:
        lines.append(f"loss = {e.text}")
        statements.append(("assign", "loss", e.tree))
        if style.startswith("backward"):
            lines.append("loss.backward()")
            statements.append(("backward", "loss"))
            if style == "backward-early":  # later lines do not change the output
                e2 = draw(expressions({**scope, "loss": False}, n, 2, moderate))
                if not is_constant(e2.tree):
                    lines.append(f"after = {e2.text}")
                    statements.append(("assign", "after", e2.tree))
            lines.append(draw(st.sampled_from(["", f"print({leaf_names[0]}.grad)",
                                               "print(loss)"])))
    # the leaves given only by bindings must be used, or they are reported unused
    text = "\n".join(lines) + "\n"
    used = _used_names(statements)
    for name in list(free):
        if name not in used:
            del bindings[name]
            del leaves[name]
    return Generated(text, bindings, leaves, statements, moderate)


def is_constant(tree) -> bool:
    """No name inside: the parser folds it to one literal."""
    if isinstance(tree, Name):
        return False
    if isinstance(tree, Op):
        return all(is_constant(a) for a in tree.args)
    return True


def _used_names(statements) -> set[str]:
    used: set[str] = set()

    def walk(tree):
        if isinstance(tree, Name):
            used.add(tree.name)
        elif isinstance(tree, Op):
            for a in tree.args:
                walk(a)

    for s in statements:
        if s[0] == "assign":
            walk(s[2])
    return used


# ---- the oracle -------------------------------------------------------------------------

def _torch_op(torch, key: str, args: list, k: float | None):
    def tensor(a):
        return a if isinstance(a, torch.Tensor) else torch.tensor(a, dtype=torch.float64)

    a = args[0]
    if key == "add":
        return a + args[1]
    if key == "sub":
        return a - args[1]
    if key == "mul":
        return a * args[1]
    if key == "div":
        return a / args[1]
    if key == "neg":
        return -a
    if key == "powc":
        return tensor(a) ** k
    if key == "pow":
        return a ** args[1]
    if key in ("maximum", "minimum"):
        return getattr(torch, key)(tensor(a), tensor(args[1]))
    if key in REDUCE:
        return getattr(tensor(a), key)()
    return getattr(torch, key)(tensor(a))


@dataclass
class OracleResult:
    output: object  # tensor
    named: dict  # final binding of every name -> tensor or float
    params: dict  # parameter leaf name -> tensor (with .grad after backward)
    #: every op's result, in evaluation order (unnamed ones too: the torch twin checks them)
    steps: list = field(default_factory=list)


def _nudge(value, rng):
    """Every number moved by a few units in the last place, in a random direction."""
    if rng is None:
        return value
    x = np.asarray(value, dtype=np.float64)
    eps = np.finfo(np.float64).eps
    moved = x * (1 + 4 * eps * rng.choice([-1.0, 1.0], size=x.shape))
    moved = np.where(np.isfinite(moved), moved, x)
    return tuple(moved.tolist()) if isinstance(value, tuple) else float(moved)


def oracle(g: Generated, torch, nudge: np.random.Generator | None = None) -> OracleResult:
    """Evaluate the drawn trees in torch float64 and run backward from the output.

    With ``nudge``, every leaf and constant first moves by a few ulps, and so does every
    op's result (as another libm would round it: torch's tanh(1.2e-7) is one ulp from
    numpy's): where that moves the results beyond the comparison's tolerance, the
    program is ill-conditioned there and one-ulp differences between two correct
    implementations are amplified too.
    """
    f64 = torch.float64
    env: dict[str, object] = {}
    params = {}
    steps: list = []
    for name, (role, value) in g.leaves.items():
        value = _nudge(value, nudge)
        t = torch.tensor(np.asarray(value, dtype=np.float64).tolist(), dtype=f64,
                         requires_grad=role == "parameter")
        env[name] = t
        if role == "parameter":
            params[name] = t

    def ev(tree):
        if isinstance(tree, Name):
            return env[tree.name]
        if isinstance(tree, Const):
            value = _nudge(tree.value, nudge)
            if isinstance(value, tuple):
                return torch.tensor(list(value), dtype=f64)
            return float(value)
        args = [ev(a) for a in tree.args]
        if not any(isinstance(a, torch.Tensor) for a in args):  # folded by the engine
            value = _torch_op(torch, tree.key,
                              [torch.tensor(a, dtype=f64) for a in args], tree.k)
            return value if value.dim() else float(value)
        result = _torch_op(torch, tree.key, args, tree.k)
        if nudge is not None and isinstance(result, torch.Tensor):
            eps = np.finfo(np.float64).eps
            factor = 1 + 4 * eps * nudge.choice([-1.0, 1.0], size=tuple(result.shape))
            result = result * torch.tensor(factor, dtype=f64)
        steps.append(result)
        return result

    output = None
    with np.errstate(all="ignore"):
        for s in g.statements:
            if s[0] == "assign":
                env[s[1]] = ev(s[2])
                if is_constant(s[2]) and not isinstance(env[s[1]], torch.Tensor):
                    env[s[1]] = torch.tensor(env[s[1]], dtype=f64)  # declared: data
                output_candidate = env[s[1]]
                if not any(x[0] == "backward" for x in g.statements):
                    output = output_candidate
            else:
                output = env[s[1]]
    if isinstance(output, torch.Tensor) and output.requires_grad:
        if output.grad_fn is None:  # the output is a parameter itself
            output.grad = None
        output.backward()
    return OracleResult(output, env, params, steps)
