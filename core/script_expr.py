"""The expressions of a script: plain numbers, f-strings, comparisons, calls of the
script's own functions, and tensor ops read by the straight-line parser one at a time."""

from __future__ import annotations

import ast

import numpy as np

from core.language.ir import Apply, Literal, Ref
from core.language.printing import grad_fn_of, show
from core.ops import OPS, ShapeError, forward
from core.script_dtype import TORCH_NAMES, of_literal, promote
from core.script_methods import NOT_HANDLED, TENSOR_METHODS, TensorMethods
from core.script_nn import Module, Optimizer
from core.script_tape import piece
from core.script_values import MAX_CALL_DEPTH, NamedData, Return, Tensor


class Expressions(TensorMethods):
    """Mixed into the interpreter: evaluates one expression node."""

    def plain(self, node: ast.expr, what: str):
        value = self.value(node)
        if isinstance(value, Tensor) or isinstance(value, tuple) or value is None:
            raise self.error(node, f"{what} must be a plain number",
                             "compare numbers, as in 'if epoch % 10 == 0:'")
        return value

    def value(self, node: ast.expr):  # noqa: C901, PLR0911, PLR0912 - one case per form
        self.tick(node)
        if isinstance(node, ast.Constant):
            if isinstance(node.value, (int, float, str)) or node.value is None:
                return node.value
            raise self.error(node, f"{type(node.value).__name__} is not supported")
        if isinstance(node, ast.Name):
            if node.id in ("True", "False"):
                return node.id == "True"
            if node.id in self.functions:
                raise self.error(node, f"'{node.id}' is a function", f"call it: {node.id}(…)")
            return self.lookup(node)
        if isinstance(node, ast.JoinedStr):
            return self.fstring(node)
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.BoolOp):
            values = [self.plain(v, "and/or") for v in node.values]
            return all(values) if isinstance(node.op, ast.And) else any(values)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return not self.plain(node.operand, "not")
        if isinstance(node, ast.Tuple):
            return tuple(self.value(e) for e in node.elts)
        if isinstance(node, ast.BinOp):
            return self.binop(node, self.value(node.left), self.value(node.right))
        if isinstance(node, ast.UnaryOp):
            operand = self.value(node.operand)
            if not isinstance(operand, Tensor):
                return -operand if isinstance(node.op, ast.USub) else +operand
        if isinstance(node, ast.Attribute):
            if node.attr in ("grad", "data", "shape"):
                owner = self.value(node.value)
                if isinstance(owner, Tensor):
                    if node.attr == "grad":
                        return None if owner.grad is None else self.rec.derive(
                            Tensor(np.copy(owner.grad), dtype=owner.dtype), "grad", owner)
                    if node.attr == "data":
                        return self.rec.derive(Tensor(owner.value, dtype=owner.dtype), "data",
                                               owner)
                    return tuple(int(s) for s in np.shape(owner.value))
        if isinstance(node, ast.Attribute):
            owner = self.object_of(node.value)
            if isinstance(owner, Module):
                found = owner.params.get(node.attr)
                found = owner.children.get(node.attr) if found is None else found
                found = owner.attrs.get(node.attr) if found is None else found
                if found is None:
                    raise self.error(node, f"nn.{owner.kind} has no '{node.attr[:40]}'")
                return found
        if isinstance(node, ast.Subscript):
            owner = self.value(node.value)
            index = self.plain(node.slice, "an index")
            if isinstance(owner, tuple) and isinstance(index, int):
                if not -len(owner) <= index < len(owner):
                    raise self.error(node, f"index {index} is out of range (it holds "
                                     f"{len(owner)})")
                return owner[index]
            if isinstance(owner, Tensor) and isinstance(index, int) and np.ndim(owner.value):
                if not -len(owner.value) <= index < len(owner.value):
                    raise self.error(node, f"index {index} is out of range for a dimension "
                                     f"of size {len(owner.value)}")
                return self.rec.derive(Tensor(np.asarray(owner.value[index]),
                                              view=owner.requires_grad or owner.view,
                                              dtype=owner.dtype), "index", owner, index)
            raise self.error(node, "indexing takes a whole number, on a shape or on data")
        if isinstance(node, ast.Call):
            return self.call(node)
        return self.through_parser(node, {})

    def object_of(self, node: ast.expr):
        """The module or optimizer a name (or ``model.lin``) holds; None for anything else."""
        if isinstance(node, ast.Name):
            for scope in (self.scopes[-1], self.globals):
                if node.id in scope:
                    found = scope[node.id]
                    return found if isinstance(found, (Module, Optimizer)) else None
            return None
        if isinstance(node, ast.Attribute):
            owner = self.object_of(node.value)
            if isinstance(owner, Module):
                return owner.children.get(node.attr)
        return None

    def binop(self, node: ast.BinOp, left, right):
        if not isinstance(left, Tensor) and not isinstance(right, Tensor):
            if not all(isinstance(v, (int, float)) for v in (left, right)):
                raise self.error(node, "this operation needs numbers or tensors")
            ops = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
                   ast.Mult: lambda a, b: a * b, ast.Div: lambda a, b: a / b,
                   ast.Mod: lambda a, b: a % b, ast.FloorDiv: lambda a, b: a // b,
                   ast.Pow: lambda a, b: float(a) ** b}
            rule = ops.get(type(node.op))
            if rule is None:
                raise self.error(node, "operator not supported on numbers")
            try:
                return rule(left, right)
            except (ZeroDivisionError, OverflowError) as exc:
                raise self.error(node, f"{exc}") from None
        return self.through_parser(ast.BinOp(left=node.left, op=node.op, right=node.right,
                                             lineno=node.lineno, col_offset=node.col_offset),
                                   {id(node.left): left, id(node.right): right})

    def compare(self, node: ast.Compare):
        left = self.plain(node.left, "a comparison")
        ops = {ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b,
               ast.Lt: lambda a, b: a < b, ast.LtE: lambda a, b: a <= b,
               ast.Gt: lambda a, b: a > b, ast.GtE: lambda a, b: a >= b}
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = self.plain(comparator, "a comparison")
            if type(op) not in ops:
                raise self.error(node, "only ==, !=, <, <=, > and >= compare numbers")
            if not ops[type(op)](left, right):
                return False
            left = right
        return True

    def fstring(self, node: ast.JoinedStr) -> str:
        return self.fstring_parts(node)[0]

    def fstring_parts(self, node: ast.JoinedStr) -> tuple[str, list[tuple]]:
        """The text, and its pieces for the torch side (core.script_tape.piece)."""
        parts, pieces = [], []
        for part in node.values:
            if isinstance(part, ast.Constant):
                parts.append(str(part.value))
                pieces.append(("s", parts[-1]))
                continue
            spec = ""
            if part.format_spec is not None:
                spec = self.fstring(part.format_spec)
            if part.conversion not in (-1, 115):
                raise self.error(part, "only plain {value} and {value:.3f} in f-strings")
            value = self.value(part.value)
            given = value
            if isinstance(value, Tensor) and (spec or np.ndim(value.value) == 0):
                # torch formats a one-number tensor as its number: f"{l}" is "99.0"
                if np.ndim(value.value) != 0:
                    raise self.error(part, "a format spec needs a single number",
                                     "as in {w.item():.3f}")
                value = float(value.value)
            try:
                parts.append(format(value, spec) if spec else show(value, self.op_of(value)))
            except (ValueError, TypeError) as exc:
                raise self.error(part, f"bad format spec: {exc}") from None
            pieces.append(piece(self.rec, given, spec, parts[-1]))
        return "".join(parts), pieces

    def call(self, node: ast.Call):
        func = node.func
        if isinstance(func, ast.Name) and func.id in self.functions:
            return self.call_function(node, self.functions[func.id])
        if isinstance(func, ast.Name) and func.id in self.classes:
            return self.construct_user(func.id, node)
        if self.is_super_init(node):
            return None
        if isinstance(func, ast.Name) and func.id in ("float", "int", "len", "abs", "round"):
            args = [self.plain(a, f"{func.id}(…)") for a in node.args]
            return {"float": float, "int": int, "abs": abs, "round": round}.get(
                func.id, len)(*args)
        if isinstance(func, ast.Attribute) and func.attr in TENSOR_METHODS:
            found = self.tensor_method(node, func)
            if found is not NOT_HANDLED:
                return found
        resolved = self.parser.resolve(func) or ""
        if resolved.startswith("torch.nn.") and "." not in resolved[9:] \
                and resolved[9:10].isupper():
            return self.construct_module(resolved[9:], node)
        if resolved.startswith("torch.optim.") and "." not in resolved[12:]:
            return self.construct_optimizer(resolved[12:], node)
        callee = self.object_of(func)
        if isinstance(callee, Module):
            return self.call_module(callee, node)
        if isinstance(func, ast.Attribute):
            owner = self.object_of(func.value)
            if isinstance(owner, (Module, Optimizer)):
                return self.method_of_object(owner, node)
        if resolved == "torch.no_grad":
            raise self.error(node, "torch.no_grad() opens a block", "with torch.no_grad():")
        declared = self.parser.declaration(node, "_")
        if declared is not None:
            role, value = declared
            dtype = next((TORCH_NAMES[self.parser.dtype(kw.value)] for kw in node.keywords
                          if kw.arg == "dtype"), None)
            if dtype is None:
                dtype = of_literal(node.args[0]) if resolved == "torch.tensor" and node.args \
                    else "float32"
            return Tensor(np.asarray(value, dtype=np.float64)[()], role == "parameter",
                          dtype=dtype)
        values = {id(a): self.value(a) for a in node.args}
        if isinstance(func, ast.Attribute) and self.parser.resolve(func) is not None \
                and not self.parser.resolve(func).startswith("torch."):
            values[id(func.value)] = self.value(func.value)  # a method: x.mean(), f(x).sum()
        elif isinstance(func, ast.Attribute) and self.parser.resolve(func) is None:
            values[id(func.value)] = self.value(func.value)
        return self.through_parser(node, values)

    def call_function(self, node: ast.Call, function: ast.FunctionDef, owner=None):
        """A def of the script (``owner``: the module a method is called on, as ``self``)."""
        if function.name in self.calling and owner is None or id(function) in self.calling:
            raise self.error(node, f"'{function.name}' calls itself: recursion is not supported",
                             "write a for loop instead")
        if len(self.calling) >= MAX_CALL_DEPTH:
            raise self.error(node, f"calls are nested more than {MAX_CALL_DEPTH} deep")
        names = [a.arg for a in function.args.args]
        defaults = function.args.defaults
        scope: dict[str, object] = {}
        if owner is not None:
            if not names:
                raise self.error(function, f"{function.name} needs self first")
            scope[names.pop(0)] = owner
        for name, default in zip(names[len(names) - len(defaults):], defaults, strict=False):
            scope[name] = self.value(default)
        if len(node.args) > len(names):
            raise self.error(node, f"{function.name}() takes {len(names)} arguments")
        for name, arg in zip(names, node.args, strict=False):
            scope[name] = self.value(arg)
        for kw in node.keywords:
            if kw.arg not in names:
                raise self.error(kw, f"{function.name}() has no argument '{kw.arg}'")
            scope[kw.arg] = self.value(kw.value)
        missing = [n for n in names if n not in scope]
        if missing:
            raise self.error(node, f"{function.name}() is missing the argument '{missing[0]}'")
        self.calling.append(function.name if owner is None else id(function))
        self.call_names.append(f"{function.name}()" if owner is None
                               else f"{owner.kind.removeprefix('class ')}.{function.name}()")
        self.scopes.append(scope)
        try:
            self.block(function.body)
        except Return as done:
            return done.value
        finally:
            self.scopes.pop()
            self.calling.pop()
            self.call_names.pop()
        return None

    def through_parser(self, node: ast.expr, values: dict[int, object]):
        """One operator or call, read by the straight-line parser, then evaluated here."""
        bound: dict[str, object] = {}

        def swap(child):
            if id(child) not in values:
                return child
            value = values[id(child)]
            if isinstance(value, Tensor):
                key = f"__v{len(bound)}"
                bound[key] = value
                return ast.copy_location(ast.Name(id=key, ctx=ast.Load()), child)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return ast.copy_location(ast.Constant(value=value), child)
            return child

        # new nodes, never the script's own: the next loop iteration reads it afresh
        if isinstance(node, ast.BinOp):
            rewritten = ast.copy_location(ast.BinOp(left=swap(node.left), op=node.op,
                                                    right=swap(node.right)), node)
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute):
                func = ast.copy_location(ast.Attribute(value=swap(func.value), attr=func.attr,
                                                       ctx=ast.Load()), func)
            rewritten = ast.copy_location(ast.Call(func=func, args=[swap(a) for a in node.args],
                                                   keywords=node.keywords), node)
        else:
            rewritten = node
        if isinstance(rewritten, ast.Name) and rewritten.id not in bound:
            return self.lookup(rewritten)
        ir = self.parser.expr(rewritten, 0)
        return self.evaluate(ir, node, bound)

    def evaluate(self, ir, node, bound: dict | None = None):
        bound = bound or {}
        if isinstance(ir, Literal):
            return Tensor(np.asarray(ir.value, dtype=np.float64)[()])  # a folded constant
        if isinstance(ir, Ref):
            if ir.name in bound:
                return bound[ir.name]
            return self.lookup(ast.Name(id=ir.name, lineno=ir.line, col_offset=ir.column - 1))
        args = [self.evaluate(a, node, bound) for a in ir.args]
        if any(a.view for a in args) and not self.no_grad:
            raise self.error(node, "an entry of a tensor that needs a gradient is read here "
                             "for its number only", "as in w[0][0].item()")
        entry = OPS[ir.op]
        attrs = dict(ir.attrs or {})
        if ir.k is not None:
            attrs["k"] = ir.k
        try:
            entry.output_shape(tuple(np.shape(a.value) for a in args), attrs)
        except ShapeError as exc:
            raise self.error(node, str(exc)) from None
        if ir.op == "transpose" and np.ndim(args[0].value) >= 2:
            # a view, as torch's: a tensor's numbers are replaced, never changed in place
            value = np.swapaxes(args[0].value, *attrs.get("dims", (0, 1)))
        else:
            with np.errstate(all="ignore"):
                value = np.asarray(forward(entry, [a.value for a in args], attrs),
                                   dtype=np.float64)[()]
        needs = not self.no_grad and any(a.requires_grad for a in args)
        taped, dtypes, numbers = [], [], []
        for a_ir, a in zip(ir.args, args, strict=True):
            if isinstance(a_ir, Literal) and np.ndim(a_ir.value) == 0:
                number = float(a_ir.value)
                number = int(number) if number.is_integer() and abs(number) < 2 ** 53 \
                    else number
                numbers.append(number)
                taped.append(("n", number))
            else:
                dtypes.append((a.dtype, np.ndim(a.value)))
                taped.append(self.rec.operand(a))
        dtype = promote(ir.op, dtypes, numbers)
        if not needs:
            out = Tensor(value, dtype=dtype)
            self.rec.op(out, ir.op, ir.k, attrs_of(ir), taped, bool(self.no_grad))
            return out
        ref = f"_t{len(self.tape)}"
        operands = []
        leaves = []
        for a in args:
            if a.requires_grad and a.is_leaf:
                if a.name is None:
                    a.name = f"_p{len(self.tape)}"
                leaves.append(a)
                operands.append(Ref(a.name, 0, 0))
            elif a.requires_grad:
                operands.append(Ref(a.ref, 0, 0))
            elif a.data_name is not None:
                operands.append(NamedData(a.value, 0, 0, a.data_name, id(a)))
            else:
                operands.append(Literal(a.value, 0, 0))
        self.tape[ref] = (Apply(ir.op, tuple(operands), ir.line, ir.column, k=ir.k,
                                attrs=ir.attrs), [False, *leaves])
        self.values[ref] = value
        if self.call_names:
            self.step_groups[ref] = self.call_names[-1]
        out = Tensor(value, True, ref, dtype=dtype)
        out.grad_fn = grad_fn_of(ir.op, attrs, [np.ndim(a.value) for a in args],
                                 bool(ir.args) and isinstance(ir.args[0], Literal)
                                 and np.ndim(ir.args[0].value) == 0)
        self.rec.op(out, ir.op, ir.k, attrs_of(ir), taped, False)
        return out



def attrs_of(ir: Apply) -> dict:
    return dict(ir.attrs or {})


def _as_ir(value):
    if isinstance(value, Tensor):
        return Literal(value.value, 0, 0)
    return Literal(np.float64(value), 0, 0)



