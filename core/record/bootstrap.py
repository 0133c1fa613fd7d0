"""The recorder's side of the script's process: run FILE as ``python FILE`` would, and
record what torch did (torch + the standard library only; see core/record/__init__.py).

    PYTHON bootstrap.py --out DIR [--keep 1,2,3] [--budget-mb 200] [--max-entries N] FILE

A TorchFunctionMode sees each call at the level the script wrote (``F.linear``, ``Tensor.mul``);
a node keeps the output tensor and its ``_version`` and copies it only before an in-place op
would change it, so a training loop copies little. Each ``backward()`` is a pass: the nodes
the loss depends on, each with its autograd node's name (``MulBackward0``) and the gradient
that node received (a prehook on ``grad_fn``: a hook on the tensor would give an in-placed
tensor's newer gradient). Passes ``--keep`` and the last are written in full (JSON + .npy
written by hand, never pickle) within ``--budget-mb``; the others leave a summary. This file
never imports ``core`` or numpy: the learner's folder or venv may hold neither.
"""

from __future__ import annotations

import ast
import atexit
import ctypes
import functools
import json
import linecache
import math
import os
import runpy
import sys
import time
import traceback
import weakref

import torch
from torch.optim.optimizer import (
    register_optimizer_step_post_hook,
    register_optimizer_step_pre_hook,
)
from torch.overrides import TorchFunctionMode, resolve_name

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
DTYPES = {torch.float32: "<f4", torch.float64: "<f8", torch.float16: "<f2",
          torch.int64: "<i8", torch.int32: "<i4", torch.int16: "<i2", torch.int8: "|i1",
          torch.uint8: "|u1", torch.bool: "|b1"}
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


def summarize(t) -> dict:
    """Shape, min, max, mean and 16 samples: what a tensor too big to keep shows."""
    out = {"shape": list(t.shape), "dtype": str(t.dtype).replace("torch.", "")}
    try:
        f = t.detach().float()
        if f.numel():
            out.update(min=f.min().item(), max=f.max().item(), mean=f.mean().item(),
                       norm=f.norm().item())
            flat = f.reshape(-1)
            step = max(1, flat.numel() // 16)
            out["thumbnail"] = flat[::step][:16].tolist()
    except Exception:  # noqa: BLE001 - a summary never stops the script
        pass
    return out


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


class Writer:
    """The record folder: .npy records with a hand-written header, JSON written atomically.
    A pass's tensors go to one file (``t/000007.bin@OFFSET``): a file each costs more."""

    def __init__(self, folder: str, budget_bytes: int, max_entries: int):
        self.folder, self.budget, self.max_entries = folder, budget_bytes, max_entries
        self.used, self.count, self.pack = 0, 0, None  # pack: [fd, name, offset] while open
        self.written: dict = {}  # id(own copy) -> (weakref, file): each copy written once
        os.makedirs(os.path.join(folder, "t"), exist_ok=True)

    def fits(self, nbytes: int) -> bool:
        return self.used + nbytes <= self.budget

    def tensor(self, t, charge: bool = True):
        """A reference to ``t`` written as .npy, or its summary when it cannot be kept."""
        if t is None:
            return None
        own = "_bps_copy" in t.__dict__
        if own:
            hit = self.written.get(id(t))
            if hit is not None and hit[0]() is t:
                return hit[1]
        name = self._write(t.detach(), charge)
        if own and isinstance(name, str):
            self.written[id(t)] = (weakref.ref(t), name)
        return name

    def _write(self, t, charge: bool):
        if t.numel() > self.max_entries or t.is_complex() or t.is_sparse:
            return {"summary": summarize(t)}
        t = t.cpu()  # itself when it is on the CPU
        t = (t if t.dtype in DTYPES else t.float()).contiguous()
        nbytes = t.numel() * t.element_size()
        if charge and not self.fits(nbytes):
            return {"summary": summarize(t)}
        self.used += nbytes if charge else 0
        header = f"{{'descr': '{DTYPES[t.dtype]}', 'fortran_order': False, " \
                 f"'shape': {tuple(t.shape)!r}, }}"
        header = (header + " " * (64 - (10 + len(header) + 1) % 64) + "\n").encode("latin1")
        # straight from the tensor's memory: no Python file object, no copy
        parts = [b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header,
                 (ctypes.c_char * nbytes).from_address(t.data_ptr()) if nbytes else b""]
        if self.pack is not None:
            fd, name, offset = self.pack
            _write_all(fd, parts)
            self.pack[2] += len(parts[0]) + nbytes
            return f"{name}@{offset}"
        self.count += 1
        name = f"t/{self.count:06d}.npy"
        fd = self._open(name)
        try:
            _write_all(fd, parts)
        finally:
            os.close(fd)
        return name

    def _open(self, name: str) -> int:
        return os.open(os.path.join(self.folder, name),
                       os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o666)

    def packed(self, name: str, build) -> None:
        """The JSON ``build()`` makes, as ``name``, its tensors in one file written first."""
        self.count += 1
        pack = f"t/{self.count:06d}.bin"
        self.pack = [self._open(pack), pack, 0]
        try:
            data = build()
        finally:
            os.close(self.pack[0])
            if not self.pack[2]:
                os.remove(os.path.join(self.folder, pack))
            self.pack = None
        self.json(name, data)

    def json(self, name: str, data) -> None:
        path = os.path.join(self.folder, name)
        text = json.dumps(data, allow_nan=True)  # dumps uses the C encoder, dump does not
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(path + ".tmp", path)


def _write_all(fd: int, parts: list) -> None:
    for part in parts:
        view = memoryview(part).cast("B")
        while view:
            view = view[os.write(fd, view):]


class CountingOut:
    """sys.stdout as it was, counting the bytes printed (node's ``stdout_bytes``)."""

    def __init__(self, stream):
        self._stream, self.count = stream, 0

    def write(self, s):
        self.count += len(s) if s.isascii() else len(s.encode("utf-8", "surrogateescape"))
        return self._stream.write(s)

    def __getattr__(self, name):
        return getattr(self._stream, name)


class Recorder(TorchFunctionMode):
    """The mode: every call the script makes, a node; every backward(), a pass."""

    def __init__(self, path: str, writer: Writer, keep: set[int], out: CountingOut):
        super().__init__()
        self.path, self.writer, self.keep, self.out = path, writer, keep, out
        self.names: dict = {}
        self.epoch, self.tape = 0, []
        #: id(leaf) -> (weakref, hook handle): one hook per leaf for the whole run, which
        #: hands its gradient to the leaf's node of the running pass (``leaf_nodes``)
        self.leaf_hooks: dict = {}
        self.leaf_nodes: dict = {}
        #: a pass no --keep asks for takes its leaves' gradients from their .grad after
        #: backward() (held, autograd copies each gradient into .grad): ``lazy_keys`` the
        #: leaves whose hook saw .grad empty; ``shared`` the storages of those .grad
        #: (storage pointer -> node), copied before anything changes them in place
        self.lazy_pass, self.lazy_keys, self.shared = False, [], {}
        self.muted, self.script_globals = 0, None
        self.passes: list[dict] = []
        self.pending = None  # the last pass, written when the next one ends or at exit
        self.zero_events: list[dict] = []
        self.forward_count, self.last_progress = 0, 0.0
        self.held = 0  # bytes this pass holds (copies and references)
        self.copies: dict = {}  # id(leaf) -> (weakref, version, copy): reused while unchanged
        self.targets, self.loops = _script_shape(path)
        #: a forward-only script's groups: one per iteration of its outer loop (sys.settrace
        #: sees the loop's header line; only until the first backward())
        self.groups: list[dict] = []
        self.group_pending, self.group_files = None, []
        self.loop = None  # [header line, script depth, frame, first, last, iteration]
        self.label = (None, None)  # the running group's (iteration, loop line)
        self.group_count = 0
        self.tracing = False
        self.progress = _progress_fd()
        self.module_key, self.module_walk = None, ({}, [])
        self.switches: list = []  # _off() entered by step_pre, left by step_post

    # ---- the calls ----------------------------------------------------------------
    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if self.muted:
            return func(*args, **kwargs)
        name, inplace = self.names.get(func) or self.names.setdefault(func, _classify(func))
        if name is None:
            return func(*args, **kwargs)
        if name == "backward":
            return self.backward(func, args, kwargs)
        if name == "read":
            if args and isinstance(args[0], Tensor):
                node = self.node_of(args[0])
                if node is not None:
                    node.read = True
            return func(*args, **kwargs)
        inplace = inplace or "out" in kwargs
        if inplace and self.shared:
            self.unshare(args, kwargs)
        target = args[0] if inplace and args and isinstance(args[0], Tensor) else None
        pre = update = None
        if target is not None:
            if self.pending is not None:
                update = self.update_of(target)
            if update is None:
                pre = self.before_inplace(target)
        catcher = _mask_catcher() if name in DROPOUTS else None
        if catcher is not None:
            with catcher:
                out = func(*args, **kwargs)
        else:
            out = func(*args, **kwargs)
        if update is not None:
            self.updated(*update)
            return out
        try:
            self.record(name, args, kwargs, out, target, pre,
                        catcher.mask if catcher is not None else None)
        except Exception:  # noqa: BLE001 - recording never changes what the script does
            pass
        return out

    # ---- an update written by hand: ``w -= lr * w.grad`` under no_grad, ``w.data -= …``
    def update_of(self, t):
        """(node, entry) when this in-place op updates a parameter of the pass just made
        by hand (the pass's update step, as an optimizer's step() is), else None."""
        record = self.pending
        optimizer = record["optimizer"]
        if optimizer is not None and optimizer["class"] != "manual":
            return None
        params = record.get("params_by")
        if params is None:
            params = record["params_by"] = {}
            for n in record["nodes"]:
                p = n.tensor
                if n.kind == "parameter" and n.name and p is not None:
                    params[id(p)] = params[(p.data_ptr(), p.dtype, tuple(p.shape))] = n
        node = params.get(id(t)) if not torch.is_grad_enabled() else None
        if node is None or node.tensor is not t:
            node = params.get((t.data_ptr(), t.dtype, tuple(t.shape)))
            if node is None or node.tensor is t:  # ``w -= …`` outside no_grad: torch's error
                return None
        if optimizer is None:
            optimizer = record["optimizer"] = {"class": "manual", "settings": {}, "params": {}}
        entry = optimizer["params"].get(node.name)
        if entry is None:
            p = node.tensor
            before = self.cached_copy(p)
            entry = optimizer["params"][node.name] = {
                "before": _copy(p) if before is None else before,
                "grad": None if p.grad is None else _copy(p.grad) if record["before"]
                else Lazy(p.grad), "after": None,
                "state": {}, "state_before": {}, "line": self.source_line()}
        return node, entry

    def updated(self, node, entry) -> None:
        """After the op: the value after it (read when the pass is written) and the
        update's size for the pass's summary."""
        p = node.tensor
        entry["after"] = Lazy(p)
        self.copies.pop(id(p), None)  # ``w.data -= …`` changes w without its version
        p.__dict__.pop("_bps", None)
        try:
            sizes = self.pending.setdefault("update_sq", {})
            sizes[node.name] = float(torch.dist(p.detach(), entry["before"])) ** 2
            self.passes[-1]["update"] = math.sqrt(sum(sizes.values()))
        except Exception:  # noqa: BLE001 - the summary's size only
            pass

    def source_line(self) -> str:
        """The script's line running now, as its text (a hand-written update's rule)."""
        f = sys._getframe(1)
        while f is not None and f.f_code.co_filename != self.path:
            f = f.f_back
        return "" if f is None else linecache.getline(self.path, f.f_lineno).strip()

    def before_inplace(self, t):
        """Copy the value an in-place op is about to change; the node it had (this pass)."""
        tag = t.__dict__.get("_bps")
        valid = tag is not None and tag[3] == id(t) and tag[2] == t._version
        node = tag[1]() if valid else None  # None too when its pass is gone
        if node is not None and node.snap is None and node.tensor is not None:
            if self.room(t):
                node.snap = _copy(t)
            else:
                node.tensor, node.summary = None, node.summary or _shape_only(t)
        if not valid and torch.is_grad_enabled() and len(self.tape) < MAX_TAPE:
            return self.leaf(t)
        return self.node_of(t)

    def room(self, t) -> bool:
        """Whether this pass may hold ``t`` (a copy or a reference) within the budget:
        the recording never keeps a tensor only because it was computed."""
        n = t.numel()
        if n > self.writer.max_entries:
            return False
        size = n * t.element_size()
        if self.held + size > self.writer.budget:
            return False
        self.held += size
        return True

    def node_of(self, t):
        """The node of ``t`` in this pass, while ``t`` holds the value it had then."""
        tag = t.__dict__.get("_bps")
        if tag is None or tag[0] != self.epoch or tag[3] != id(t) or tag[2] != t._version:
            return None
        return tag[1]()

    def leaf(self, t) -> Node:
        kind = "parameter" if t.requires_grad and t.is_leaf else "data"
        node = Node(len(self.tape), None, kind, t, self.out.count)
        node.version = t._version
        copy = self.cached_copy(t)
        if copy is not None:  # the same data as last pass: no copy
            node.snap = copy
        elif self.room(t):
            node.snap = _copy(t)
            if len(self.copies) > 4096:
                self.copies = {k: v for k, v in self.copies.items() if v[0]() is not None}
            self.copies[id(t)] = (weakref.ref(t), t._version, node.snap)
        else:
            node.tensor = None
            node.summary = summarize(t) if t.numel() > self.writer.max_entries \
                else _shape_only(t)
        if t.requires_grad and t.is_leaf and torch.is_grad_enabled():
            self.hook_leaf(t, node)
        self.tape.append(node)
        t.__dict__["_bps"] = (self.epoch, weakref.ref(node), t._version, id(t))
        return node

    def hook_leaf(self, t, node: Node) -> None:
        """``node`` gets the gradient backward computes for leaf ``t`` in this pass (the
        hook is made once per leaf: registering one each pass costs more than the pass)."""
        key = id(t)
        hit = self.leaf_hooks.get(key)
        if hit is None or hit[0]() is not t:
            if len(self.leaf_hooks) > 4096:
                self.leaf_hooks = {k: v for k, v in self.leaf_hooks.items()
                                   if v[0]() is not None}
            self.leaf_hooks[key] = (weakref.ref(t), t.register_hook(LeafHook(self, key)))
        self.leaf_nodes[key] = node

    def remove_leaf_hooks(self) -> None:
        for ref, handle in self.leaf_hooks.values():
            if ref() is not None:
                handle.remove()
        self.leaf_hooks, self.leaf_nodes = {}, {}

    def record(self, name, args, kwargs, out, target, pre=None, mask=None) -> None:
        o = out[0] if isinstance(out, tuple) and out and isinstance(out[0], Tensor) else out
        if not isinstance(o, Tensor):
            return
        if target is not None and not torch.is_grad_enabled():
            target.__dict__.pop("_bps", None)  # an update under no_grad: a new leaf next
            return
        tensors = [a for a in args if isinstance(a, Tensor)]
        for a in args:
            if isinstance(a, (list, tuple)):
                tensors.extend(x for x in a if isinstance(x, Tensor))
        if not tensors:
            return  # a factory (torch.tensor, randn): a leaf when first used
        self.forward_count += 1
        if len(self.tape) >= MAX_TAPE:
            o.__dict__.pop("_bps", None)
            return
        inputs = []
        for position, a in enumerate(args):
            if position == 0 and pre is not None:
                inputs.append(pre.id)
            elif isinstance(a, Tensor):
                inputs.append((self.node_of(a) or self.leaf(a)).id)
            elif isinstance(a, (bool, int, float)):
                inputs.append({"const": _safe(a)})
            elif isinstance(a, (list, tuple)) and any(isinstance(x, Tensor) for x in a):
                inputs.append({"list": [(self.node_of(x) or self.leaf(x)).id
                                        for x in a if isinstance(x, Tensor)]})
            else:
                inputs.append({"const": _safe(a)})
        mask_leaf = None
        if mask is not None:  # dropout's mask, as torch drew it: a data leaf of the call
            mask_leaf = self.leaf(mask)
            mask_leaf.name = "dropout_mask"
        line, module = self._where()
        node = Node(len(self.tape), name, "operation", o, self.out.count, line, module)
        node.inputs = inputs
        node.kwargs = {k: ({"node": (self.node_of(v) or self.leaf(v)).id}
                            if isinstance(v, Tensor) else _safe(v))
                       for k, v in kwargs.items() if k != "out"}
        if mask_leaf is not None:
            node.kwargs["mask"] = {"node": mask_leaf.id}
        node.version = o._version
        if o.numel() > self.writer.max_entries:
            node.summary, node.tensor = summarize(o), None
        elif not self.room(o):
            node.summary, node.tensor = _shape_only(o), None
        elif o._is_view():  # a reference would keep its base's whole storage alive
            node.snap, node.tensor = _copy(o), None
        ref = weakref.ref(node)
        if o.requires_grad and (fn := o.grad_fn) is not None:
            fn.register_prehook(functools.partial(_grad_sink, ref))
            node.grad_fn = fn.name()  # the parent checks it is the mapped op's (to_trace)
        self.tape.append(node)
        o.__dict__["_bps"] = (self.epoch, ref, o._version, id(o))
        if self.progress is not None and not self.passes:
            now = time.monotonic()
            if now - self.last_progress > 0.5:
                self.last_progress = now
                self.emit({"event": "forward", "nodes": self.forward_count})

    def _where(self):
        """The script's line running now, and id() of the innermost module whose
        ``forward`` runs (a walk up the frames: global module hooks would put every
        module call on torch's slow path)."""
        f, line, module = sys._getframe(3), None, None
        path = self.path
        for _ in range(64):
            if f is None:
                break
            code = f.f_code
            if module is None and code.co_name == "forward":
                owner = f.f_locals.get("self")
                if isinstance(owner, torch.nn.Module):
                    module = id(owner)
                    if line is not None:
                        break
            if line is None and code.co_filename == path:
                if self.script_globals is None:
                    self.script_globals = f.f_globals
                line = f.f_lineno
                if module is not None:
                    break
            f = f.f_back
        return line, module

    # ---- passes -------------------------------------------------------------------
    def backward(self, func, args, kwargs):
        if not self.passes and (self.tracing or self.groups):
            self.stop_groups(drop=True)
        loss = args[0] if args else kwargs.get("tensors")
        if isinstance(loss, (list, tuple)):
            loss = loss[0] if loss else None
        root = self.node_of(loss) if isinstance(loss, Tensor) else None
        before = self.grads_now(root)
        self.shared, self.lazy_keys = {}, []  # the pending pass is written only if kept
        self.lazy_pass = len(self.passes) + 1 not in self.keep
        try:
            return func(*args, **kwargs)
        finally:
            self.lazy_pass = False
            self.share_leaf_grads()
            self.leaf_nodes = {}
            self.finish_pass(loss, root, before)

    def share_leaf_grads(self) -> None:
        """The gradient of each leaf whose hook left it to autograd: its .grad now."""
        for key in self.lazy_keys:
            node = self.leaf_nodes.get(key)
            hit = self.leaf_hooks.get(key)
            leaf = hit[0]() if hit is not None else None
            g = leaf.grad if leaf is not None else None
            if node is None or g is None:
                continue
            node.grad, node.grad_version = g, g._version
            try:
                self.shared[g.untyped_storage().data_ptr()] = node
            except Exception:  # noqa: BLE001 - no storage to share: keep a copy
                node.grad, node.grad_version = _copy(g), None
        self.lazy_keys = []

    def unshare(self, args, kwargs) -> None:
        """Before an in-place op (``w.grad.zero_()``, ``clip_grad_norm_``, ``.data``):
        the pass's own copy of each shared gradient it is given."""
        tensors = [a for a in args if isinstance(a, Tensor)]
        for a in args:
            if isinstance(a, (list, tuple)):
                tensors.extend(x for x in a if isinstance(x, Tensor))
        tensors.extend(v for v in kwargs.values() if isinstance(v, Tensor))
        for t in tensors:
            try:
                node = self.shared.pop(t.untyped_storage().data_ptr(), None)
            except Exception:  # noqa: BLE001 - a tensor without storage
                continue
            if node is not None:
                node.grad, node.grad_version = _copy(node.grad), None

    def unshare_all(self) -> None:
        for node in self.shared.values():
            node.grad, node.grad_version = _copy(node.grad), None
        self.shared = {}

    def grads_now(self, root) -> dict:
        """What .grad held before this backward() when it was not zero (left over when
        zero_grad is forgotten); zeros (``set_to_none=False``) are not copied."""
        if root is None:
            return {}
        return {n.id: _copy(n_grad) for n in self.tape
                if n.kind == "parameter" and n.tensor is not None
                and (n_grad := n.tensor.grad) is not None
                and bool(n_grad.any())}

    def finish_pass(self, loss, root, before) -> None:
        index = len(self.passes) + 1
        value = None
        if isinstance(loss, Tensor) and loss.numel() == 1:
            value = float(loss.detach().reshape(()).item())
        nodes = self.reachable(root) if root is not None else []
        self.name_nodes(nodes)
        record = {"index": index, "loss": value, "nodes": nodes, "root": root,
                  "before": before, "optimizer": None, "zero_grad": self.zero_events,
                  "stdout_bytes_start": nodes[0].stdout if nodes else self.out.count,
                  "stdout_bytes_end": self.out.count,
                  "grad_norms": _grad_norms(nodes)}
        self.zero_events = []
        self.flush_pending()
        self.pending = record
        self.passes.append({"index": index, "loss": value, "kept": False,
                            "grad_norms": record["grad_norms"], "update": None,
                            "stdout_bytes": self.out.count, "nodes": len(nodes)})
        self.epoch += 1
        self.tape = []
        self.held = 0
        event = {"event": "pass", "index": index, "loss": value,
                 "stdout_bytes": self.out.count, "nodes": len(nodes),
                 "previous_update": self.passes[-2]["update"] if index > 1 else None}
        if len(record["grad_norms"]) <= 64:
            event["grad_norms"] = record["grad_norms"]
        self.emit(event)  # the parent keeps these: a run killed before its end keeps them

    def reachable(self, root: Node) -> list[Node]:
        """The nodes the loss depends on; a result needing no gradient becomes data."""
        seen, stack = {}, [root]
        by_id = self.tape
        while stack:
            node = stack.pop()
            if node.id in seen:
                continue
            seen[node.id] = node
            if node.kind != "operation":
                continue
            if not node.requires_grad:
                node.kind = "data"
                continue
            for i in node.inputs:
                if isinstance(i, int):
                    stack.append(by_id[i])
                elif isinstance(i, dict) and "list" in i:
                    stack.extend(by_id[j] for j in i["list"])
            for v in node.kwargs.values():
                if isinstance(v, dict) and "node" in v:
                    stack.append(by_id[v["node"]])
        return [seen[k] for k in sorted(seen)]

    def name_nodes(self, nodes: list[Node]) -> None:
        """Names as the script has them: a global variable (``w``, ``model.l1.weight``),
        else the line's assignment target (the last op on the line), else the module
        path (``model.l1``)."""
        named, modules = self.global_names()
        last_on_line = {}
        for node in nodes:
            if node.kind == "operation" and node.line is not None:
                last_on_line[node.line] = node
        for line, node in last_on_line.items():
            if line in self.targets:
                node.name = self.targets[line]
        for node in nodes:
            name = named.get(id(node))
            if name is not None:
                node.name = name
            elif node.name is None and node.module is not None:
                node.name = modules.get(node.module)

    def global_names(self):
        """id(node) -> the global (or parameter) name of its tensor; id(module) -> path.
        The modules' walk is made again only when the script's modules change."""
        named = {}
        g = self.script_globals or {}
        items = [(k, v) for k, v in list(g.items()) if not k.startswith("__")]
        found = [(k, v) for k, v in items if isinstance(v, torch.nn.Module)]
        key = [(k, id(v)) for k, v in found]
        if key != self.module_key:
            self.module_key, self.module_walk = key, _walk_modules(found)
        modules, params = self.module_walk
        # modules first: a parameter is named by its module, not by a loose alias
        for p, name in params:
            node = self.node_of(p)
            if node is not None:
                named.setdefault(id(node), name)
        for var, value in items:
            if isinstance(value, Tensor):
                node = self.node_of(value)
                if node is not None:
                    named.setdefault(id(node), var)
        return named, modules

    # ---- optimizer and zero_grad ----------------------------------------------------
    def step_pre(self, optimizer, args, kwargs) -> None:
        """Before step(): each parameter's value (the pass's own copy where it still holds:
        no copy), its .grad and the optimizer's state (copied: step() changes them)."""
        self.muted += 1
        self.switches.append(_off())
        if self.shared and not _leaves_grads(optimizer):
            self.unshare_all()  # step() may change .grad in place (SGD's nesterov does)
        self.step_before = {}
        for group in optimizer.param_groups:
            for p in group["params"]:
                old = self.cached_copy(p)
                state = {k: _copy(v) for k, v in optimizer.state.get(p, {}).items()
                         if isinstance(v, Tensor) and v.numel() <= self.writer.max_entries}
                self.step_before[id(p)] = (_copy(p) if old is None else old,
                                           None if p.grad is None else Lazy(p.grad), state)

    def step_post(self, optimizer, args, kwargs) -> None:
        """After step(): the update's size for the summary; the values after it are read
        when the pass is written (before the next step changes them). Muted until the
        end: its own torch calls are not the script's."""
        try:
            self.after_step(optimizer)
        finally:
            self.muted = max(0, self.muted - 1)
            if self.switches:
                _on(self.switches.pop())

    def after_step(self, optimizer) -> None:
        before = getattr(self, "step_before", {})
        self.step_before = {}
        record = self.pending
        if record is None:
            return
        node_of_param = {node.key: node for node in record["nodes"]
                         if node.kind == "parameter" and node.name}
        params, moves = {}, []
        group0 = optimizer.param_groups[0] if optimizer.param_groups else {}
        for group in optimizer.param_groups:
            for p in group["params"]:
                if id(p) not in before or id(p) not in node_of_param:
                    continue
                old, grad, state_before = before[id(p)]
                if record["before"] and p.grad is not None:
                    # .grad held earlier passes' too (zero_grad forgotten): the next
                    # backward() adds to it before this pass is written, so copy it now
                    grad = _copy(p.grad)
                moves.append((p.detach(), old))
                state = {k: (Lazy(v) if isinstance(v, Tensor) else v)
                         for k, v in optimizer.state.get(p, {}).items()}
                params[node_of_param[id(p)].name] = {
                    "before": old, "grad": grad, "after": Lazy(p), "state": state,
                    "state_before": state_before}
        settings = {k: v for k, v in group0.items() if k != "params"}  # _safe when written
        record["optimizer"] = {"class": type(optimizer).__name__, "settings": settings,
                               "params": params}
        try:
            moved = torch._foreach_sub([p for p, _ in moves], [old for _, old in moves])
        except Exception:  # noqa: BLE001 - mixed dtypes or devices: one by one
            moved = [p - old for p, old in moves]
        self.passes[-1]["update"] = math.sqrt(sum(n * n for n in _norms(moved)))

    def cached_copy(self, t):
        """This leaf's copy made earlier, while ``t`` still holds that value, or None."""
        hit = self.copies.get(id(t))
        if hit is not None and hit[0]() is t and hit[1] == t._version:
            return hit[2]
        return None

    def zero_grad_event(self, set_to_none: bool) -> None:
        if not set_to_none and self.shared:
            self.unshare_all()
        self.zero_events.append({"set_to_none": bool(set_to_none),
                                 "at_stdout_bytes": self.out.count})

    # ---- writing --------------------------------------------------------------------
    def flush_pending(self, last: bool = False) -> None:
        record, self.pending = self.pending, None
        if record is None:
            return
        index = record["index"]
        if index not in self.keep and not last:
            return
        if self.writable(record):
            self.writer.packed(f"pass-{index:06d}.json", lambda: self.pass_json(record))
            self.passes[index - 1]["kept"] = True

    def writable(self, record) -> bool:
        """Whole within the budget: no tensor left a summary for want of room, no shared
        gradient changed since (else the pass or group keeps only its summary)."""
        return self.writer.fits(2 * sum(_nbytes(n) for n in record["nodes"])) and not any(
            n.summary and n.summary.get("over_budget") or n.grad_version is not None
            and n.grad._version != n.grad_version for n in record["nodes"])

    def pass_json(self, record) -> dict:
        w = self.writer
        nodes = []
        for n in record["nodes"]:
            value = n.value()
            nodes.append({
                # a result that needed no gradient is a leaf of this pass: what made it
                # (an unsqueeze before the loop) is not in the pass
                "id": n.id, "op": n.op, "kind": n.kind, "name": n.name,
                "inputs": n.inputs if n.kind == "operation" else [],
                "kwargs": n.kwargs if n.kind == "operation" else {},
                "line": n.line, "module": None, "shape": n.shape,
                "dtype": n.dtype, "stdout_bytes": n.stdout, "read": n.read, "grad_fn": n.grad_fn,
                "value": {"summary": n.summary or {"shape": n.shape}} if value is None
                else w.tensor(value),
                "grad": w.tensor(n.grad) if n.grad is not None else None})
        modules = self.global_names()[1]
        for n, entry in zip(record["nodes"], nodes, strict=True):
            entry["module"] = modules.get(n.module) if n.module else None
        optimizer = record["optimizer"]
        if optimizer is not None:
            optimizer = dict(optimizer, settings={k: _safe(v) for k, v in
                                                  optimizer["settings"].items()})
            optimizer["params"] = {
                name: {k: (w.tensor(_now(v)) if isinstance(v, (Tensor, Lazy)) else
                           {s: (w.tensor(_now(x)) if isinstance(x, (Tensor, Lazy)) else _safe(x))
                            for s, x in v.items()} if isinstance(v, dict) else v)
                       for k, v in numbers.items()}
                for name, numbers in optimizer["params"].items()}
        by_id = {n.id: n for n in record["nodes"]}
        return {"index": record["index"], "loss": record["loss"],
                "stdout_bytes_start": record["stdout_bytes_start"],
                "stdout_bytes_end": record["stdout_bytes_end"], "nodes": nodes,
                "output": record["root"].id if record["root"] is not None else None,
                "optimizer": optimizer, "zero_grad": record["zero_grad"],
                "grads_before": {by_id[i].name or str(i): w.tensor(g)
                                 for i, g in record["before"].items() if i in by_id}}

    # ---- a forward-only script's groups: one per iteration of its outer loop ----------
    def trace_call(self, frame, event, arg):  # sys.settrace: the script's frames only
        return self.trace_line if frame.f_code.co_filename == self.path else None

    def trace_line(self, frame, event, arg):
        loop = self.loop
        if event == "line":
            line = frame.f_lineno
            if line in self.loops:
                self.loop_header(frame, line)
            elif loop is not None and loop[2] is frame and not loop[3] <= line <= loop[4]:
                self.loop = None  # left the loop (its end, or break)
                self.new_group(None)
        elif event == "return" and loop is not None and loop[2] is frame:
            self.loop = None
            self.new_group(None)
        return self.trace_line

    def loop_header(self, frame, line) -> None:
        """A loop's header line ran: the loop's next iteration starts (the outermost loop
        running in the script counts; a loop in a function it calls does not)."""
        depth, f = 0, frame
        while f is not None:
            depth += f.f_code.co_filename == self.path
            f = f.f_back
        loop = self.loop
        if loop is not None and loop[0] == line and loop[2] is frame:
            loop[5] += 1
        elif loop is None or depth <= loop[1]:
            first, last = self.loops[line]
            loop = self.loop = [line, depth, frame, first, last, 1]
        else:
            return
        self.new_group(loop[5])

    def new_group(self, label) -> None:
        """The running group ends (if it holds an op) and the next is ``label``'s."""
        if self.passes or not self.tracing:
            return
        if any(n.kind == "operation" for n in self.tape):
            self.muted += 1  # writing a group: the recorder's own torch calls
            try:
                self.finish_group()
            finally:
                self.muted -= 1
        self.label = (label, self.loop[0] if self.loop is not None and label else None)

    def finish_group(self, last: bool = False) -> None:
        self.group_count += 1
        index = self.group_count
        ops = [n for n in self.tape if n.kind == "operation"]
        read = [n for n in ops if n.read]
        record = {"index": index, "loss": None, "nodes": self.tape,
                  "root": (read or ops)[-1], "before": {}, "optimizer": None,
                  "zero_grad": [], "stdout_bytes_start": self.tape[0].stdout,
                  "stdout_bytes_end": self.out.count}
        if index in self.keep:  # named now, while the script's variables hold its tensors
            self.name_nodes(self.tape)
        self.flush_group()
        self.group_pending = record
        if len(self.groups) < MAX_GROUPS:
            self.groups.append({"index": index, "iteration": self.label[0],
                                "line": self.label[1], "nodes": len(ops), "read": len(read),
                                "kept": False, "stdout_bytes": self.out.count})
        self.epoch += 1
        self.tape, self.held, self.leaf_nodes = [], 0, {}
        self.emit({"event": "group", "index": index, "iteration": self.label[0],
                   "line": self.label[1], "nodes": len(ops), "read": len(read),
                   "stdout_bytes": self.out.count})
        if last:
            self.flush_group(last=True)

    def flush_group(self, last: bool = False) -> None:
        record, self.group_pending = self.group_pending, None
        if record is None or record["index"] not in self.keep and not last:
            return
        if record["index"] > MAX_GROUPS or not self.writable(record):
            return
        if last and record["index"] not in self.keep:
            self.name_nodes(record["nodes"])
        name = f"forward-{record['index']:06d}.json"
        self.writer.packed(name, lambda: self.pass_json(record))
        self.group_files.append(name)
        self.groups[record["index"] - 1]["kept"] = True

    def start_groups(self) -> None:
        """Group by the outer loop's iterations (a script with a loop, and no other tracer
        such as a debugger: the recorder never takes its place)."""
        if self.loops and sys.gettrace() is None:
            self.tracing = True
            sys.settrace(self.trace_call)

    def stop_groups(self, drop: bool) -> None:
        """No more groups: at the first backward() (its passes are the recording: the
        groups written so far go) or at the end."""
        if self.tracing and sys.gettrace() == self.trace_call:
            sys.settrace(None)
        self.tracing, self.loop = False, None
        if drop:
            self.groups, self.group_pending = [], None
            for name in self.group_files:
                try:
                    os.remove(os.path.join(self.writer.folder, name))
                except OSError:
                    pass
            self.group_files = []

    def emit(self, event: dict) -> None:
        if self.progress is None:
            return
        try:
            os.write(self.progress, (json.dumps(event) + "\n").encode())
        except (OSError, ValueError):
            self.progress = None


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


def _grad_norms(nodes: list) -> dict:
    """Each named parameter's gradient norm in this pass (None: it got no gradient)."""
    named = [n for n in nodes if n.kind == "parameter" and n.name]
    have = [n for n in named if n.grad is not None]
    norms = dict(zip([n.name for n in have], _norms([n.grad.detach() for n in have]),
                     strict=True))
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


def _script_shape(path: str) -> tuple[dict[int, str], dict[int, tuple[int, int]]]:
    """The script's assignment targets (:func:`_assignment_targets`) and its outer loops:
    the header line of each ``for``/``while`` not inside another loop of its own function,
    with the lines the loop spans (a forward-only recording's groups are their iterations)."""
    try:
        with open(path, encoding="utf-8") as f:
            tree = ast.parse(f.read())
    except (OSError, SyntaxError, ValueError):
        return {}, {}
    loops: dict[int, tuple[int, int]] = {}
    scopes = [(tree, False)]
    while scopes:  # no recursion: a deeply nested script must not stop the recorder
        node, in_loop = scopes.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                scopes.append((child, False))
            elif isinstance(child, (ast.For, ast.AsyncFor, ast.While)):
                if not in_loop:
                    loops[child.lineno] = (child.lineno, child.end_lineno or child.lineno)
                scopes.append((child, True))
            else:
                scopes.append((child, in_loop))
    return _assignment_targets(tree), loops


def _assignment_targets(tree) -> dict[int, str]:
    """line -> the name a one-name assignment on that line binds (``h = …``, ``h += …``)."""
    targets = {}
    for node in ast.walk(tree):
        target = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            target = node.target
        if isinstance(target, ast.Name):
            for line in range(node.lineno, (node.end_lineno or node.lineno) + 1):
                targets[line] = target.id
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            for line in range(node.lineno, (node.end_lineno or node.lineno) + 1):
                targets[line] = f"{target.value.id}.{target.attr}"
    return targets


def _progress_fd():
    try:
        return int(os.environ["BPS_PROGRESS_FD"])
    except (KeyError, ValueError):
        return None


def _patch_pyplot(folder: str) -> None:
    """``plt.show()`` saves each open figure to DIR/plots/NNN.png and closes it; the
    patch is made when the script imports pyplot (importing it here would cost 0.3 s)."""
    import importlib.abc  # noqa: PLC0415 - stdlib, only when needed
    import importlib.util  # noqa: PLC0415

    class Finder(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name != "matplotlib.pyplot":
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(name)
            if spec is None or spec.loader is None:
                return spec
            run = spec.loader.exec_module

            def exec_module(module):
                run(module)
                shown = []

                def show(*args, **kwargs):
                    os.makedirs(os.path.join(folder, "plots"), exist_ok=True)
                    for number in module.get_fignums():
                        shown.append(f"plots/{len(shown) + 1:03d}.png")
                        module.figure(number).savefig(os.path.join(folder, shown[-1]))
                    module.close("all")
                module.show = show
                PLOTS.append(shown)
            spec.loader.exec_module = exec_module
            return spec

    sys.meta_path.insert(0, Finder())


PLOTS: list = []


def _error_line(exc: BaseException, path: str):
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == path:
            line = frame.lineno
    if line is None and isinstance(exc, SyntaxError) and exc.filename == path:
        line = exc.lineno
    return line


def _print_traceback(exc: BaseException, path: str) -> None:
    """Python's own traceback, without the bootstrap's and runpy's frames."""
    te = traceback.TracebackException.from_exception(exc)
    here = os.path.abspath(__file__)
    te.stack = traceback.StackSummary.from_list(
        [f for f in te.stack if f.filename != here and "runpy" not in f.filename])
    sys.stderr.write("".join(te.format()))
    sys.stderr.flush()


def _parameters(g: dict) -> dict:
    """Every parameter when the script ended: modules among the globals by
    named_parameters() with the variable in front, leaves with requires_grad by name."""
    found, seen = {}, set()
    items = [(k, v) for k, v in list(g.items()) if not k.startswith("__")]
    _, params = _walk_modules([(k, v) for k, v in items if isinstance(v, torch.nn.Module)])
    loose = [(k, v) for k, v in items if isinstance(v, Tensor) and v.requires_grad and v.is_leaf]
    for name, p in [(name, p) for p, name in params] + loose:  # modules first
        if id(p) not in seen:
            seen.add(id(p))
            found.setdefault(name, p)
    return found


FLAGS = {"--out": ("out", str), "--budget-mb": ("budget", float),
         "--max-entries": ("max_entries", int),
         "--keep": ("keep", lambda value: {int(k) for k in value.split(",") if k.strip()})}


def _parse(argv: list[str]):
    opts = {"out": None, "keep": set(), "budget": 200, "max_entries": 1_000_000}
    rest = list(argv)
    while rest and rest[0].startswith("--"):
        flag = rest.pop(0)
        if not rest:
            raise SystemExit(f"bootstrap: {flag} needs a value")
        value = rest.pop(0)
        if flag not in FLAGS:
            raise SystemExit(f"bootstrap: unknown option {flag}")
        key, read = FLAGS[flag]
        opts[key] = read(value)
    if opts["out"] is None or len(rest) != 1:
        raise SystemExit("usage: bootstrap.py --out DIR [--keep 1,2,3] [--budget-mb MB] "
                         "[--max-entries N] FILE")
    return opts, rest[0]


def install(path: str, out_dir: str, keep: set[int], budget_mb: float, max_entries: int,
            result: dict | None = None):
    """The recorder, its hooks and its stdout counter in place; ``finish()`` removes them
    and writes summary.json (once, also from atexit)."""
    writer = Writer(os.path.abspath(out_dir), int(budget_mb * 2**20), max_entries)
    out = CountingOut(sys.stdout)
    sys.stdout = out
    rec = Recorder(path, writer, set(keep) | {1, 2, 3}, out)
    hooks = [register_optimizer_step_pre_hook(rec.step_pre),
             register_optimizer_step_post_hook(rec.step_post)]
    unwrap = _wrap_zero_grad(rec)
    rec.start_groups()
    result = {"status": "ok", "error": None, "traceback": ""} if result is None else result
    done = []

    def finish():
        if done:
            return
        done.append(True)
        while rec.switches:  # a step() that raised: its switch is still on
            _on(rec.switches.pop())
        rec.stop_groups(drop=False)
        rec.remove_leaf_hooks()
        for hook in hooks:
            hook.remove()
        unwrap()
        if sys.stdout is out:
            sys.stdout = out._stream
        try:
            sys.stdout.flush()
        except Exception:  # noqa: BLE001 - a closed stdout
            pass
        _write_summary(rec, writer, result, rec.script_globals or {})
        rec.emit({"event": "end"})

    return rec, finish


def main(argv: list[str] | None = None) -> int:
    opts, script = _parse(sys.argv[1:] if argv is None else argv)
    path = os.path.abspath(script)
    folder = os.path.dirname(path)
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [folder] + [p for p in sys.path[1:] if os.path.abspath(p or ".") != here]
    sys.argv = [script]
    _patch_pyplot(os.path.abspath(opts["out"]))
    result = {"status": "ok", "error": None, "traceback": ""}
    rec, finish = install(path, opts["out"], opts["keep"], opts["budget"],
                          opts["max_entries"], result)
    atexit.register(finish)
    os.chdir(folder)
    code = 0
    try:
        with rec:
            g = runpy.run_path(path, run_name="__main__")
        rec.script_globals = g
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if exc.code is not None and not isinstance(exc.code, int):
            sys.stderr.write(f"{exc.code}\n")
        if code:
            result.update(status="raised", error={"type": "SystemExit",
                                                  "message": str(exc.code),
                                                  "line": _error_line(exc, path)})
    except BaseException as exc:  # noqa: BLE001 - the script's error, reported as Python does
        code = 1
        result.update(status="raised", error={"type": type(exc).__name__,
                                              "message": str(exc)[:2000],
                                              "line": _error_line(exc, path)})
        result["traceback"] = "".join(traceback.format_exception(exc))[-20000:]
        _print_traceback(exc, path)
    finish()
    return code


def _wrap_zero_grad(rec: Recorder):
    """zero_grad() has no hook: wrap the optimizer's and the module's, muting their ops.
    Gives the function that puts them back."""
    originals = []
    for owner in (torch.optim.Optimizer, torch.nn.Module):
        original = owner.zero_grad

        def zero_grad(self, *args, _original=original, **kwargs):
            set_to_none = kwargs.get("set_to_none", args[0] if args else True)
            rec.zero_grad_event(set_to_none)
            rec.muted += 1
            switch = _off()
            try:
                return _original(self, *args, **kwargs)
            finally:
                _on(switch)
                rec.muted -= 1
        zero_grad.__doc__ = original.__doc__
        owner.zero_grad = zero_grad
        originals.append((owner, original))

    def unwrap():
        for owner, original in originals:
            owner.zero_grad = original
    return unwrap


def _write_summary(rec: Recorder, writer: Writer, result: dict, g: dict) -> None:
    try:
        rec.flush_pending(last=True)
        forward = {"nodes": rec.forward_count if not rec.passes else 0, "file": None,
                   "groups": []}
        if not rec.passes:
            if any(n.kind == "operation" for n in rec.tape):
                rec.finish_group(last=True)
            else:
                rec.flush_group(last=True)
            forward["groups"] = rec.groups
            forward["file"] = rec.group_files[-1] if rec.group_files else None
        writer.packed("summary.json", lambda: {
            "passes": rec.passes, "forward": forward, "exit": result,
            "parameters": {k: writer.tensor(p, charge=False) for k, p in _parameters(g).items()},
            "plots": [p for shown in PLOTS for p in shown]})
    except Exception as exc:  # noqa: BLE001 - the parent builds what it can without it
        sys.stderr.write(f"backprop-stepper recorder: could not write the summary: {exc}\n")


if __name__ == "__main__":
    sys.exit(main())
