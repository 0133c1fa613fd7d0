"""What one ``backward()`` of a script builds: the graph of the ops that led to the loss,
named as the script names them, its gradients, and the function that computed each node."""

from __future__ import annotations

import numpy as np

from core.base.errors import ExpressionError
from core.engine.backprop import backward_pass, local_gradients
from core.engine.graph import build_graph
from core.language.ir import Apply, Assign, Declare, Literal, Ref, _refs
from core.language.parser import ParsedProgram
from core.script_values import SECOND_BACKWARD, NamedData, Row, Tensor


class GraphRecorder:
    """Mixed into the interpreter: ``backward()`` and the graph it runs on."""

    def backward(self, node, loss) -> None:

        if not isinstance(loss, Tensor) or not loss.requires_grad:
            raise self.error(node, "element 0 of tensors does not require grad and does not "
                             "have a grad_fn", "compute the loss from a parameter")
        if loss.freed:
            raise self.error(node, SECOND_BACKWARD, "compute the loss again before "
                             "calling .backward() a second time")
        known: dict[int, np.ndarray] = {}
        statements, leaves = self.collect(loss, known)
        program = ParsedProgram(self.parser.text, statements)
        graph = build_graph(program, known=known)
        groups = graph.groups = self.groups_of(statements, len(graph.nodes))
        # the gradients as core.engine.trace.Trace computes them, without its steps: the window
        # builds those for the iteration it shows
        found, _ = backward_pass(graph, local_gradients(graph))
        grads: dict[str, np.ndarray | None] = {}
        # no copies: a tensor's value and .grad are replaced, never changed in place
        before = {n: (0.0 if t.grad is None else t.grad)
                  for n, t in self.run.parameters.items()}
        for leaf in leaves:
            node = graph.names[leaf.name]
            grad = np.asarray(found[node] if node in found else
                              np.zeros_like(graph.nodes[node].value) + 0.0, dtype=np.float64)
            leaf.grad = grad if leaf.grad is None else leaf.grad + grad
        for name, tensor in self.run.parameters.items():
            grads[name] = tensor.grad
        params = {n: t.value for n, t in self.run.parameters.items()}
        self.run.rows.append(Row(len(self.run.rows) + 1, float(loss.value), params, grads,
                                 graph=graph, grads_before=before, groups=groups))
        self.rec.backward(loss, len(self.run.rows) - 1)
        for ref in self.reachable(loss):
            self.tape[ref][1][0] = True  # freed, as torch frees the saved tensors
            self.values.pop(ref, None)
        loss.freed = True

    def groups_of(self, statements: list, count: int) -> dict[int, str]:
        """Node id -> the function call that computed it, numbered as build_graph numbers
        nodes (a declaration, then each expression's arguments before its op)."""
        groups: dict[int, str] = {}
        counter = 0

        def build(expr) -> None:
            nonlocal counter
            if isinstance(expr, Literal):
                counter += 1
            elif isinstance(expr, Apply):
                for arg in expr.args:
                    build(arg)
                label = self.step_groups.get(self.expr_refs.get(id(expr)))
                if label is not None:
                    groups[counter] = label
                counter += 1

        for statement in statements:
            if isinstance(statement, Declare):
                counter += 1
            elif isinstance(statement, Assign):
                build(statement.expr)
        return groups if counter == count else {}

    def data_names(self, refs: list[str], taken: set[str]) -> dict[int, tuple[str, object]]:
        """Named data tensors that can be graph nodes: tensor key -> (name, value); a name
        two tensors share, or that a parameter or a result has, stays a constant."""
        seen: dict[str, dict[int, object]] = {}
        for ref in refs:
            for a in self.tape[ref][0].args:
                if isinstance(a, NamedData):
                    seen.setdefault(a.name, {})[a.key] = a.value
        return {key: (name, value) for name, tensors in seen.items()
                if len(tensors) == 1 and name not in taken
                for key, value in tensors.items()}

    def reachable(self, loss: Tensor) -> list[str]:
        seen, stack = [], [loss.ref]
        found = set()
        while stack:
            ref = stack.pop()
            if ref is None or ref in found:
                continue
            found.add(ref)
            seen.append(ref)
            stack.extend(r.name for r in _refs(self.tape[ref][0]) if r.name in self.tape)
        return seen

    def collect(self, loss: Tensor, known: dict):
        refs = sorted(self.reachable(loss), key=lambda r: int(r[2:]))
        if any(self.tape[r][1][0] for r in refs):
            raise ExpressionError(SECOND_BACKWARD)
        leaves: dict[str, Tensor] = {}
        for ref in refs:
            for leaf in self.tape[ref][1][1:]:
                leaves[leaf.name] = leaf
        statements = [Declare(t.name, "parameter", t.value, 0, 0) for t in leaves.values()]
        statements += self.named_steps(refs, loss.ref, set(leaves), known)
        return statements, list(leaves.values())

    def named_steps(self, refs: list[str], output: str, taken: set[str], known: dict) -> list:
        """The ops as the script names them (``y_pred``, ``l``); an unnamed op used once
        is written inside the op that uses it, as the straight-line parser does."""
        uses: dict[str, int] = {}
        for ref in refs:
            for r in _refs(self.tape[ref][0]):
                uses[r.name] = uses.get(r.name, 0) + 1
        names: dict[str, str] = {}
        counts: dict[str, int] = {}
        for ref in refs:
            if ref in self.shown:
                counts[self.shown[ref]] = counts.get(self.shown[ref], 0) + 1
        for ref in refs:
            shown = self.shown.get(ref)
            if shown is not None and counts[shown] == 1 and shown not in taken:
                names[ref] = shown
        inline = {r for r in refs if r not in self.shown and uses.get(r) == 1 and r != output}
        data = self.data_names(refs, taken | set(names.values()))
        written: dict[str, Apply] = {}
        statements: list = [Declare(name, "data", value, 0, 0)
                            for name, value in data.values()]
        for ref in refs:
            apply = self.tape[ref][0]
            args = tuple(written[a.name] if isinstance(a, Ref) and a.name in inline
                         else Ref(names.get(a.name, a.name), a.line, a.column)
                         if isinstance(a, Ref)
                         else Ref(a.name, 0, 0) if isinstance(a, NamedData) and a.key in data
                         else a for a in apply.args)
            expr = Apply(apply.op, args, apply.line, apply.column, k=apply.k, attrs=apply.attrs)
            self.expr_refs[id(expr)] = ref
            if ref in self.values:
                known[id(expr)] = self.values[ref]
            if ref in inline:
                written[ref] = expr
            else:
                statements.append(Assign(names.get(ref, ref), expr, apply.line, apply.column))
        return statements
