"""The recorder's passes: each ``backward()`` a pass, the optimizer's step and
zero_grad around it, and the pass written to the record folder."""

from __future__ import annotations

import math

import torch

from .tape import (
    Lazy,
    Node,
    Tensor,
    _copy,
    _grad_norms,
    _leaves_grads,
    _nbytes,
    _norms,
    _now,
    _off,
    _on,
    _safe,
    _walk_modules,
)


class PassRecording:
    """The passes' half of :class:`~.recorder.Recorder` (its state is set there)."""

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
                  "grad_norms": _grad_norms(nodes, before)}
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
