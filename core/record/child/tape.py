"""What the recorder holds while the script runs: a node per call, and the helpers
its calls, passes and groups share (torch and the standard library only)."""

from __future__ import annotations

import math

import torch
from torch.overrides import resolve_name

Tensor = torch.Tensor
#: calls that compute nothing the learner wrote: reads, conversions, the profiler
SKIP = {"torch.autograd.backward"} | {"torch.Tensor." + name for name in (
    "backward detach detach_ requires_grad_ register_hook numpy tolist item cpu to retain_grad"
    " __setstate__ __reduce_ex__ __deepcopy__ __repr__ __format__ __len__ __iter__ __bool__"
    " __float__ __int__ __index__ __array__ __hash__ __contains__ __eq__ __ne__ data_ptr"
    " share_memory_ __dir__").split()}
KEEP_GETTERS = {"torch.Tensor.T.__get__", "torch.Tensor.mT.__get__"}
INPLACE_DUNDER = {"__iadd__", "__isub__", "__imul__", "__itruediv__", "__ipow__",
                  "__imatmul__", "__idiv__", "__ifloordiv__", "__iand__", "__ior__"}
MAX_TAPE = 20_000  # op nodes held per pass or group (a forward-only script counts beyond)
#: reading a value (printing it, ``.item()``): a forward-only group's outputs
READS = {"torch.Tensor.item", "torch.Tensor.tolist", "torch.Tensor.__repr__",
         "torch.Tensor.__format__", "torch.Tensor.__str__"}
MAX_GROUPS = 100_000  # group summaries kept in summary.json (the rest are counted)


class Node:
    __slots__ = ("id", "op", "kind", "inputs", "kwargs", "line", "module", "tensor",
                 "version", "snap", "grad", "stdout", "name", "requires_grad", "summary",
                 "shape", "dtype", "key", "slot", "read", "grad_version", "grad_fn", "__weakref__")

    def __init__(self, nid, op, kind, tensor, stdout, line=None, module=None):
        self.id, self.op, self.kind, self.stdout = nid, op, kind, stdout
        self.inputs, self.kwargs, self.line, self.module = [], {}, line, module
        self.tensor, self.version, self.snap, self.grad = tensor, 0, None, None
        self.grad_version = None  # .grad's _version when ``grad`` is the leaf's own .grad
        self.name = self.summary = self.grad_fn = None  # grad_fn: torch's name for its node
        self.read = False  # printed or read with .item() (a forward-only group's output)
        self.key = id(tensor)
        self.slot = tensor.output_nr  # which of its autograd node's outputs it is
        self.requires_grad = tensor.requires_grad
        self.shape, self.dtype = list(tensor.shape), _dtype_name(tensor.dtype)

    def value(self):
        """The output as it was when computed (None: only a summary was kept)."""
        if self.snap is not None:
            return self.snap
        t = self.tensor
        if t is None or t._version != self.version:
            return None
        return t


def _grad_sink(ref, grads) -> None:
    """An op's autograd-node prehook (``partial(_grad_sink, weakref to its Node)``): the
    gradient for the Node, held weakly as ``_bps`` tags are. Node -> tensor -> autograd node
    -> hook -> Node is a cycle through C++ that gc cannot see: a strong hook kept every
    pass's graph and tensors for the whole run."""
    node = ref()
    g = None if node is None else grads[node.slot] if len(grads) > node.slot else grads[0]
    if g is not None:
        node.grad = g if node.grad is None else node.grad + g


_DTYPE_NAMES: dict = {}


def _dtype_name(dtype) -> str:
    name = _DTYPE_NAMES.get(dtype)
    if name is None:
        name = _DTYPE_NAMES[dtype] = str(dtype).replace("torch.", "")
    return name


def _copy(t):
    """The recorder's own copy of ``t``'s value now: nothing changes it afterwards, so the
    record folder writes it once however many places name it (a parameter's value in its
    pass and its optimizer's "before"; data reused across passes)."""
    copy = t.detach().clone()
    copy.__dict__["_bps_copy"] = True
    return copy


def _safe(value):
    """A JSON-able version of a call argument (None when it has none)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, (tuple, list)) and len(value) <= 16:
        items = [_safe(v) for v in value]
        return None if any(i is None and v is not None for i, v in zip(items, value, strict=True)) \
            else items
    if isinstance(value, (torch.dtype, torch.device)):
        return str(value)
    return None


class LeafHook:
    """A leaf's gradient hook: hands the gradient to the leaf's node in the running pass,
    if it has one (between passes it keeps nothing, so autograd can reuse the tensor)."""

    __slots__ = ("recorder", "key", "__torch_unserializable__")

    def __init__(self, recorder, key):
        self.recorder, self.key = recorder, key
        self.__torch_unserializable__ = True  # torch.save of the leaf: no warning about it

    def __call__(self, grad):
        rec = self.recorder
        node = rec.leaf_nodes.get(self.key)
        if node is None:
            return
        if rec.lazy_pass and node.grad is None:
            hit = rec.leaf_hooks.get(self.key)
            leaf = hit[0]() if hit is not None else None
            if leaf is not None and leaf.grad is None:
                rec.lazy_keys.append(self.key)  # read from leaf.grad after backward()
                return
        node.grad = grad if node.grad is None else node.grad + grad


class Lazy:
    """A tensor read when the pass is written, if nothing changed it in place since."""

    __slots__ = ("tensor", "version")

    def __init__(self, t):
        self.tensor, self.version = t, t._version


def _now(value):
    if isinstance(value, Lazy):
        return value.tensor if value.tensor._version == value.version else None
    return value


def _walk_modules(found) -> tuple[dict, list]:
    """The script's modules: id(module) -> its path (``model.l1``), and each parameter
    with its name (``model.l1.weight``)."""
    modules, params = {}, []
    for var, value in found:
        try:
            for sub, m in value.named_modules():
                modules.setdefault(id(m), f"{var}.{sub}" if sub else var)
            params.extend((p, f"{var}.{sub}") for sub, p in value.named_parameters())
        except Exception:  # noqa: BLE001 - a module that cannot list itself
            pass
    return modules, params


def _norms(tensors: list) -> list[float]:
    """Each tensor's 2-norm, in one call where torch can (``_foreach_norm``)."""
    if not tensors:
        return []
    try:
        return [n.item() for n in torch._foreach_norm(tensors)]
    except Exception:  # noqa: BLE001 - an older torch, mixed devices: one by one
        return [float(t.detach().norm()) for t in tensors]


def _leaves_grads(optimizer) -> bool:
    """Whether torch's step() leaves .grad as it is: SGD and Adam(W) without nesterov,
    maximize or fused (SGD's nesterov adds to .grad in place; others are not trusted)."""
    if type(optimizer) not in (torch.optim.SGD, torch.optim.Adam, torch.optim.AdamW):
        return False
    return not any(g.get("nesterov") or g.get("maximize") or g.get("fused")
                   for g in optimizer.param_groups)


def _off():
    """torch's own switch for every torch-function mode, entered: while an optimizer's
    step() or zero_grad() runs, its ops never reach the recorder (not even to be
    skipped: each would cost a Python call). None where torch lacks it."""
    try:
        switch = torch._C.DisableTorchFunction()
        switch.__enter__()
        return switch
    except Exception:  # noqa: BLE001
        return None


def _on(switch) -> None:
    if switch is not None:
        switch.__exit__(None, None, None)


def _shape_only(t) -> dict:
    """A tensor the budget had no room for: a pass holding one is not kept."""
    return {"shape": list(t.shape), "dtype": str(t.dtype).replace("torch.", ""),
            "over_budget": True}


def _grad_norms(nodes: list, before: dict) -> dict:
    """Each named parameter's ``.grad`` norm after this pass's backward() (None: it got no
    gradient): this pass's gradient, plus what ``.grad`` held before it (``before``, by
    node id: zero_grad() forgotten), as the plot's ‖w.grad‖ says."""
    named = [n for n in nodes if n.kind == "parameter" and n.name]
    have = [n for n in named if n.grad is not None]
    grads = [n.grad.detach() if n.id not in before else n.grad.detach() + before[n.id]
             for n in have]
    norms = dict(zip([n.name for n in have], _norms(grads), strict=True))
    return {n.name: norms.get(n.name) for n in named}


def _nbytes(node: Node) -> int:
    t = node.value()
    size = 0 if t is None else t.numel() * t.element_size()
    return size * 2  # its gradient too


#: the calls whose random mask is recorded where torch draws it
DROPOUTS = {"torch.nn.functional.dropout", "torch.dropout"}


def _mask_catcher():
    """A dispatch mode that keeps dropout's mask where torch draws it (``bernoulli_`` on
    the CPU, ``native_dropout`` on a GPU): it cannot be read back from the output where
    the input is 0. Only around a dropout call, so it costs nothing elsewhere."""
    try:
        from torch.utils._python_dispatch import TorchDispatchMode
    except ImportError:  # an older torch: dropout stays torch's rule
        return None

    class MaskCatcher(TorchDispatchMode):
        mask = None

        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            out = func(*args, **(kwargs or {}))
            if self.mask is None:
                packet = getattr(func, "overloadpacket", None)
                if packet is torch.ops.aten.bernoulli_:
                    self.mask = args[0].detach().clone()
                elif packet is torch.ops.aten.native_dropout:
                    self.mask = out[1].detach().to(out[0].dtype)
            return out
    return MaskCatcher()


def _classify(func) -> tuple:
    """(the call's name, whether it works in place), worked out once per function; the
    name None for a call that computes nothing the learner wrote."""
    try:
        name = resolve_name(func)
    except Exception:  # noqa: BLE001
        name = None
    if name is None:
        name = getattr(func, "__qualname__", None) or getattr(func, "__name__", None)
        if name is None:
            return None, False
    if name in ("torch.Tensor.backward", "torch.autograd.backward"):
        return "backward", False
    if name in READS:
        return "read", False
    if name in SKIP or "profiler" in name or "_set_grad_enabled" in name or \
            name.endswith(".__get__") and name not in KEEP_GETTERS or \
            name.startswith("torch.nn.init.") or name.startswith("torch._C."):
        return None, False
    return name, _is_inplace(name)


def _is_inplace(name: str) -> bool:
    last = name.rsplit(".", 1)[-1]
    return last in INPLACE_DUNDER or last.endswith("_") and not last.endswith("__")
