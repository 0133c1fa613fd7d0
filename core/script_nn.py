"""torch.nn modules, losses and torch.optim optimizers inside a script.

``nn.Linear`` draws its weight and bias as torch does (uniform in ±1/√in, weight first),
through the program's torch generator, so after ``torch.manual_seed(s)`` the numbers are
torch's own. Modules compute with the engine's ops (``x @ W.T + b``); optimizers update
the parameters in place, as torch's do, with the numbers of each rule kept for display.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass, field

import numpy as np

from core.base.did_you_mean import suggest
from core.language.ir import Apply, Ref
from core.language.printing import linear_grad_fn
from core.script_values import Tensor

ACTIVATIONS = {"ReLU": "relu", "Sigmoid": "sigmoid", "Tanh": "tanh"}
LOSSES = {"MSELoss": "mse_loss", "BCELoss": "binary_cross_entropy",
          "CrossEntropyLoss": "cross_entropy"}
MODULES = ("Linear", "Sequential", *ACTIVATIONS, *LOSSES)
MAX_FEATURES = 100_000


@dataclass(eq=False)
class Module:
    kind: str  # "Linear", "Sequential", "ReLU", …, "MSELoss", …
    params: dict[str, Tensor] = field(default_factory=dict)
    children: dict[str, Module] = field(default_factory=dict)
    #: a class's __init__ and forward
    methods: dict = field(default_factory=dict)
    #: a class's other attributes (self.n = 3)
    attrs: dict[str, object] = field(default_factory=dict)

    def named_parameters(self, prefix: str = "") -> list[tuple[str, Tensor]]:
        found = [(prefix + name, t) for name, t in self.params.items()]
        for name, child in self.children.items():
            found += child.named_parameters(f"{prefix}{name}.")
        return found


@dataclass(eq=False)
class Optimizer:
    kind: str  # "SGD" | "Adam"
    params: list[Tensor]
    lr: float
    momentum: float = 0.0
    betas: tuple[float, float] = (0.9, 0.999)
    eps: float = 1e-8
    state: dict[int, dict] = field(default_factory=dict)
    steps: int = 0
    #: the last step's numbers, per parameter name: buffer, or m, v, m̂, v̂
    last: dict[str, dict] = field(default_factory=dict)
    #: its number on the torch tape (core/script_tape.py)
    tid: int | None = None

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None  # torch's default, set_to_none=True

    def step(self) -> None:
        self.steps += 1
        self.last = {}
        for p in self.params:
            if p.grad is None:
                continue
            g = np.asarray(p.grad, dtype=np.float64)
            state = self.state.setdefault(id(p), {})
            shown: dict = {"grad": g, "before": p.value}  # replaced below, not changed
            with np.errstate(all="ignore"):
                if self.kind == "SGD":
                    if self.momentum:
                        buf = g.copy() if "buf" not in state else \
                            self.momentum * state["buf"] + g
                        state["buf"] = buf
                        shown["buffer"] = buf
                        g = buf
                    new = g * -self.lr  # p − lr·g, with one new array instead of two
                    new += p.value
                    p.value = np.asarray(new)[()]
                else:
                    b1, b2 = self.betas
                    m = b1 * state.get("m", 0.0) + (1 - b1) * g
                    v = b2 * state.get("v", 0.0) + (1 - b2) * g * g
                    state["m"], state["v"] = m, v
                    m_hat = m / (1 - b1 ** self.steps)
                    v_hat = v / (1 - b2 ** self.steps)
                    shown.update(m=m, v=v, m_hat=m_hat, v_hat=v_hat)
                    p.value = np.asarray(p.value - self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
                                         )[()]
            shown["after"] = p.value
            self.last[p.name or "?"] = shown

    def record(self) -> dict:
        """The last step's rule and numbers, for the update phase of its iteration."""
        return {"rule": self.kind, "lr": self.lr, "momentum": self.momentum,
                "betas": self.betas, "eps": self.eps, "step": self.steps,
                "params": dict(self.last)}


class ModuleReader:
    """Mixed into the interpreter: builds and calls modules and optimizers."""

    def construct_module(self, kind: str, node: ast.Call) -> Module:
        if kind not in MODULES:
            raise suggest(self.error(node.func, f"unknown module 'nn.{kind[:40]}'",
                                     f"available: nn.{', nn.'.join(MODULES)}"), kind, MODULES,
                          "nn.")
        if kind == "Sequential":
            if node.keywords:
                raise self.error(node, "nn.Sequential takes modules only")
            children = {}
            for i, arg in enumerate(node.args):
                child = self.value(arg)
                if not isinstance(child, Module):
                    raise self.error(arg, "nn.Sequential takes modules", "as in nn.Linear(2, 1)")
                children[str(i)] = child
            return Module(kind, children=children)
        if kind != "Linear":
            if node.args or node.keywords:
                raise self.error(node, f"nn.{kind}() takes no arguments here")
            return Module(kind)
        sizes = [self.plain(a, "a size") for a in node.args]
        bias = True
        for kw in node.keywords:
            if kw.arg != "bias":
                raise self.error(kw, f"nn.Linear does not take '{kw.arg}'", "only bias=")
            bias = bool(self.plain(kw.value, "bias"))
        if len(sizes) != 2 or not all(isinstance(s, int) and 0 < s <= MAX_FEATURES
                                      for s in sizes):
            raise self.error(node, "nn.Linear takes two whole sizes", "as in nn.Linear(3, 1)")
        n_in, n_out = sizes
        bound = 1 / math.sqrt(n_in)
        try:
            params = {"weight": Tensor(self.parser.draws.uniform((n_out, n_in), bound), True,
                                       module_param=True)}
            if bias:
                params["bias"] = Tensor(self.parser.draws.uniform((n_out,), bound), True,
                                        module_param=True)
        except RuntimeError as exc:
            raise self.error(node, str(exc), "give the weights as tensors instead") from None
        return Module(kind, params)

    def define_class(self, node: ast.ClassDef) -> None:
        """``class Name(nn.Module)`` with ``__init__`` and ``forward``, nothing else."""
        bases = [self.parser.resolve(b) for b in node.bases]
        if bases != ["torch.nn.Module"] or node.keywords or node.decorator_list:
            raise self.error(node, "a class here is an nn.Module",
                             "as in class Model(nn.Module):")
        if self.calling:
            raise self.error(node, "define classes at the top of the script")
        methods = {}
        for item in node.body:
            if isinstance(item, ast.FunctionDef) and item.name in ("__init__", "forward"):
                self.check_def(item)
                methods[item.name] = item
            elif not (isinstance(item, ast.Expr) and isinstance(item.value, ast.Constant)
                      or isinstance(item, ast.Pass)):
                raise self.error(item, "a module class holds __init__ and forward only",
                                 "compute inside forward(self, x)")
        if "forward" not in methods:
            raise self.error(node, f"class {node.name} needs a forward(self, x) method")
        self.classes[node.name] = methods

    def construct_user(self, name: str, node: ast.Call) -> Module:
        module = Module(f"class {name}")
        module.methods = self.classes[name]
        init = module.methods.get("__init__")
        if init is not None:
            self.call_function(node, init, owner=module)
        return module

    def is_super_init(self, node: ast.Call) -> bool:
        """``super().__init__()`` or ``super(Name, self).__init__()``, inside __init__."""
        func = node.func
        return isinstance(func, ast.Attribute) and func.attr == "__init__" \
            and isinstance(func.value, ast.Call) and isinstance(func.value.func, ast.Name) \
            and func.value.func.id == "super" and not node.args and bool(self.calling)

    def set_attribute(self, target: ast.Attribute, value) -> None:
        owner = self.object_of(target.value)
        if not isinstance(owner, Module) or not owner.kind.startswith("class "):
            raise self.error(target, "assign attributes on self inside __init__ only",
                             "as in self.lin = nn.Linear(1, 1)")
        if isinstance(value, Module):
            owner.children[target.attr] = value
        elif isinstance(value, Tensor) and value.requires_grad and value.is_leaf:
            owner.params[target.attr] = value
        else:
            owner.attrs[target.attr] = value

    def name_module(self, name: str, module: Module) -> None:
        """Parameters are named as named_parameters() names them, the variable in front."""
        for path, tensor in module.named_parameters(f"{name}."):
            if tensor.name is None:
                tensor.name = path
                self.run.parameters.setdefault(path, tensor)

    def call_module(self, module: Module, node: ast.Call):
        args = [self.value(a) for a in node.args]
        if node.keywords:
            raise self.error(node.keywords[0], "modules take their inputs by position")
        if module.kind in LOSSES:
            if len(args) != 2:
                raise self.error(node, "a loss takes a prediction and a target")
            return self.apply(LOSSES[module.kind], args, node)
        if len(args) != 1:
            raise self.error(node, f"nn.{module.kind} takes one input")
        if module.kind not in ("Linear", "Sequential") or self.call_names:
            return self.run_module(module, args[0], node)  # grouped by the enclosing def
        caller = node.func.id if isinstance(node.func, ast.Name) else "self." + \
            node.func.attr if isinstance(node.func, ast.Attribute) else "a module"
        self.call_names.append(f"{caller}: nn.{module.kind}")
        try:
            return self.run_module(module, args[0], node)
        finally:
            self.call_names.pop()

    def run_module(self, module: Module, x, node):
        if module.kind == "Sequential":
            for child in module.children.values():
                x = self.run_module(child, x, node)
            return x
        if module.kind in ACTIVATIONS:
            return self.apply(ACTIVATIONS[module.kind], [x], node)
        if module.kind in LOSSES:
            raise self.error(node, "a loss takes a prediction and a target")
        if module.kind.startswith("class "):
            call = ast.copy_location(ast.Call(func=ast.Name(id="forward", ctx=ast.Load()),
                                              args=[], keywords=[]), node)
            self.scopes[-1]["__x"] = x
            call.args = [ast.copy_location(ast.Name(id="__x", ctx=ast.Load()), node)]
            return self.call_function(call, module.methods["forward"], owner=module)
        weight = module.params["weight"]
        transposed = self.apply("transpose", [weight], node, dims=(0, 1), form=".T")
        y = self.apply("matmul", [x, transposed], node, form="@")
        if "bias" in module.params:
            y = self.apply("add", [y, module.params["bias"]], node)
        if isinstance(y, Tensor) and y.requires_grad and not y.is_leaf:
            y.grad_fn = linear_grad_fn(np.ndim(getattr(x, "value", x)), "bias" in module.params)
        return y

    def apply(self, op: str, args: list, node, **attrs):
        bound = {f"__m{i}": a if isinstance(a, Tensor) else Tensor(np.float64(a))
                 for i, a in enumerate(args)}
        line, column = self.parser.pos(node)
        ir = Apply(op, tuple(Ref(k, line, column) for k in bound), line, column,
                   attrs=attrs or None)
        return self.evaluate(ir, node, bound)

    def construct_optimizer(self, kind: str, node: ast.Call) -> Optimizer:
        if kind not in ("SGD", "Adam"):
            raise suggest(self.error(node.func, f"unknown optimizer 'torch.optim.{kind[:40]}'",
                                     "available: torch.optim.SGD and torch.optim.Adam"),
                          kind, ("SGD", "Adam"), "torch.optim.")
        if len(node.args) != 1:
            raise self.error(node, f"torch.optim.{kind} takes the parameters first",
                             "as in torch.optim.SGD(model.parameters(), lr=0.01)")
        given_params = node.args[0]
        params = tuple(self.value(e) for e in given_params.elts) \
            if isinstance(given_params, (ast.List, ast.Tuple)) else self.value(given_params)
        if isinstance(params, Tensor):
            params = (params,)
        if not isinstance(params, tuple) or not all(isinstance(p, Tensor) and p.requires_grad
                                                    for p in params):
            raise self.error(node.args[0], "the optimizer takes parameters",
                             "as in model.parameters() or [w, b]")
        given = {kw.arg: self.plain(kw.value, kw.arg or "a keyword") for kw in node.keywords
                 if kw.arg in ("lr", "momentum")}
        for kw in node.keywords:
            if kw.arg not in ("lr", "momentum") or kw.arg == "momentum" and kind == "Adam":
                raise self.error(kw, f"torch.optim.{kind} does not take '{kw.arg}' here",
                                 "lr= (and momentum= for SGD)")
        lr = given.get("lr", 0.001 if kind == "Adam" else None)
        if not isinstance(lr, (int, float)) or not lr > 0:
            raise self.error(node, "the optimizer needs lr=, a positive number")
        optimizer = Optimizer(kind, list(params), float(lr), float(given.get("momentum", 0.0)))
        self.rec.optimizer(optimizer)
        return optimizer

    def method_of_object(self, owner, node: ast.Call):
        attr = node.func.attr
        if isinstance(owner, Optimizer) and attr in ("step", "zero_grad") and not node.args:
            self.rec.optimizer_call(owner, attr)
            if attr == "zero_grad":
                owner.zero_grad()
            else:
                owner.step()
                if self.run.rows:
                    self.run.rows[-1].update = owner.record()
            return None
        if isinstance(owner, Module) and attr == "parameters" and not node.args:
            return tuple(t for _, t in owner.named_parameters())
        if isinstance(owner, Module) and attr == "named_parameters" and not node.args:
            return tuple((n, t) for n, t in owner.named_parameters())
        raise self.error(node, f"'.{attr[:40]}()' is not supported on this object")
