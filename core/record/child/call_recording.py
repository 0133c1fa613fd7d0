"""The recorder's calls: each torch call the script makes becomes a node; an update
written by hand (``w -= lr * w.grad``) is noted as the pass's update."""

from __future__ import annotations

import functools
import linecache
import math
import sys
import time
import weakref

import torch

from .tape import (
    DROPOUTS,
    MAX_TAPE,
    Lazy,
    LeafHook,
    Node,
    Tensor,
    _classify,
    _copy,
    _grad_sink,
    _mask_catcher,
    _safe,
    _shape_only,
)
from .writer import summarize


class CallRecording:
    """The calls' half of :class:`~.recorder.Recorder` (its state is set there)."""

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
