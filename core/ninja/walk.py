"""The walk: which gradients the learner writes, in which order, and how each is graded.

Level 1 asks for every node of the backward pass, in its order. Level 2 fuses
softmax + log + nll (or log_softmax + nll) into one question for the logits, with the
fused rule; ``F.cross_entropy`` is fused already. Level 3 trains with the answers
(:mod:`core.ninja.train`). ``d_<output>`` is given: ones in the output's shape.

An answer sees the program's values by name and the gradients written so far as
``d_<name>`` (or ``grad("label")``), each the learner's own value, as in Karpathy's
notebook: a wrong gradient upstream makes the next one wrong too, and the hint says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from core.base.errors import ExpressionError, short
from core.engine.explain import Explanation
from core.engine.trace import BackwardStep, Trace
from core.ninja.answers import Answer, parse_answer, unknown_name
from core.ninja.evaluate import AnswerFailed, Env, evaluate
from core.ninja.grade import FAILED, Grade, grade
from core.ninja.hints import Attempt, diagnose
from core.ninja.rules import answer_text, fused_text, has_rule, typed

LEVELS = (1, 2, 3)


def fold(label: str) -> str:
    """A label as typed on any keyboard: ``y_hat - y`` finds ``y_hat − y``, ``s**2``
    finds ``s²``."""
    return typed(label).replace(" ", "")


@dataclass
class Question:
    """One gradient to write: the node, its backward step and the engine's gradient."""

    node: int
    key: str  # the node's name or label: ANSWERS.json's key, the table's row
    step: BackwardStep
    expected: np.ndarray
    #: level 2: (loss, logits, labels) of a fused softmax + log + nll
    fused: tuple[int, int, int] | None = None


@dataclass
class Verdict:
    """One graded try."""

    grade: Grade
    value: np.ndarray | None
    hint: Explanation | None
    error: str = ""


@dataclass
class Record:
    """The score of one question: tries, the best result, a hint seen, the answer shown."""

    attempts: int = 0
    result: str = ""  # "exact" | "close" | "" (not yet)
    hint_used: bool = False
    shown: bool = False
    answer: str = ""

    def to_dict(self) -> dict:
        return {"attempts": self.attempts, "result": self.result, "hint_used": self.hint_used,
                "shown": self.shown, "answer": self.answer}


#: the command line's word on level 3 for a recorded pass (the window's is its own note)
RECORDED_LEVEL3 = "level 3 trains with your gradients, and a recorded pass is fixed: it " \
    "does not apply to a recorded pass (use --ninja-level 1 or 2)"


def is_recorded(trace: Trace) -> bool:
    """A pass recorded from a real script (core/record), rather than a program."""
    return trace.recorded is not None


def torch_rule_inputs(trace: Trace) -> set[int]:
    """The nodes of a recorded pass fed into an opaque ``torch_rule`` node (a torch call
    with no rule of ours) that get a gradient: the learner cannot write theirs."""
    graph = trace.graph
    found = set()
    for node in graph.nodes:
        if node.op == "torch_rule":
            found.update(i for i in node.inputs if i in trace.grads and graph.relevant[i])
    return found


def expected_grad(trace: Trace, node_id: int):
    """What an answer is graded against: the engine's gradient; for a recorded pass,
    torch's own ``.grad`` where it recorded one (the engine's agrees: the pass's check),
    so that an answer computed as torch computes it in float32 is bitwise exact."""
    recorded = trace.recorded
    theirs = None if recorded is None else recorded.torch_grads.get(node_id)
    if theirs is not None and np.shape(theirs) == np.shape(trace.grads[node_id]):
        return theirs
    return trace.grads[node_id]


def fused_groups(trace: Trace) -> dict[int, tuple[int, int, int, tuple[int, ...]]]:
    """logits node → (loss node, logits, labels, the nodes fused away) for every
    ``nll_loss(log(softmax(z)))`` / ``nll_loss(log_softmax(z))`` along the last axis,
    and every ``cross_entropy(z, y)``."""
    graph = trace.graph
    found = {}
    for node in graph.nodes:
        if node.op == "cross_entropy" and graph.relevant[node.inputs[0]]:
            found[node.inputs[0]] = (node.id, node.inputs[0], node.inputs[1], ())
        if node.op != "nll_loss":
            continue
        chain = [graph.nodes[node.inputs[0]]]
        if chain[0].op == "log":
            chain.append(graph.nodes[chain[0].inputs[0]])
            if chain[-1].op != "softmax":
                continue
        elif chain[0].op != "log_softmax":
            continue
        logits = graph.nodes[chain[-1].inputs[0]]
        last = max(np.ndim(logits.value) - 1, 0)
        if chain[-1].attrs.get("dim", -1) % max(np.ndim(logits.value), 1) != last:
            continue
        if any(len(graph.consumers[n.id]) != 1 for n in chain) or not graph.relevant[logits.id]:
            continue
        found[logits.id] = (node.id, logits.id, node.inputs[1], tuple(n.id for n in chain))
    return found


class Walk:
    """The questions of one trace at one level, and the grading of answers to them."""

    def __init__(self, trace: Trace, level: int = 1, dtype=None):
        if level not in LEVELS:
            raise ExpressionError(f"the level must be 1, 2 or 3, not {level}", where="level")
        if dtype is None:  # the pass's dtype: torch's float32 for a recorded pass
            dtype = np.float32 if is_recorded(trace) else np.float64
        self.trace, self.level, self.dtype = trace, level, dtype
        graph = trace.graph
        groups = fused_groups(trace) if level >= 2 else {}
        skipped = {n for g in groups.values() for n in g[3]}
        #: nodes whose gradient flows back through torch's own rule (no rule of ours to
        #: write it with): given, with a note, never asked
        self.torch_given = torch_rule_inputs(trace) - skipped
        #: nodes whose rule the answer language cannot write yet (max_pool2d's routing,
        #: a strided conv2d): given, with a note, never asked
        self.no_rule: set[int] = set()
        self.questions: list[Question] = []
        for step in trace.steps:
            if not isinstance(step, BackwardStep) or step.node_id in skipped \
                    or step.node_id in self.torch_given:
                continue
            if step.node_id not in groups and not has_rule(graph, step.contributions):
                self.no_rule.add(step.node_id)
            else:
                fused = groups.get(step.node_id)
                self.questions.append(Question(step.node_id, self.key(step.node_id), step,
                                               expected_grad(trace, step.node_id),
                                               fused[:3] if fused else None))
        self.by_node = {q.node: q for q in self.questions}
        #: nodes the walk fills in by itself (the output, and what level 2 fuses away)
        self.given = [graph.output, *sorted(skipped | self.torch_given | self.no_rule)]
        self.values = {name: graph.nodes[i].value for name, i in graph.names.items()}
        self._folded = {fold(self.key(n.id)): n.id for n in graph.nodes}
        self._folded.update({fold(name): i for name, i in graph.names.items()})

    def key(self, node_id: int) -> str:
        node = self.trace.graph.nodes[node_id]
        return node.name or node.label

    def find(self, key: str) -> int | None:
        """The node a key (a name or a label, typed with ``-`` or ``−``) stands for."""
        return self._folded.get(fold(key))

    def given_grads(self) -> dict[str, np.ndarray]:
        """d_<output> (ones in its shape) and the gradients fused away at level 2."""
        grads = {}
        for node_id in self.given:
            value = self.trace.gradient(node_id)
            grads[self.key(node_id)] = np.asarray(value, dtype=self.dtype)[()]
        return grads

    def show(self, question: Question) -> str:
        """Our expression for the node (Show answer)."""
        graph = self.trace.graph
        if question.fused is not None:
            return fused_text(graph, *question.fused)
        text = answer_text(graph, question.node, question.step.contributions)
        return text if text is not None else question.step.formula

    def parse(self, question: Question, text: str, grads: dict[str, np.ndarray],
              where: str = "answer") -> Answer:
        """Read an answer and check every name it uses is available here."""
        answer = parse_answer(text, where)
        env = self.env(grads)
        available = env.available()
        for name, column in answer.names:
            try:
                env.lookup(name)
            except KeyError:
                raise unknown_name(name, column, where, available) from None
        for label, column in answer.grads:
            found = self.find(label)
            if found is None or self.key(found) not in grads:
                raise ExpressionError(f"no gradient for {short(label)!r} here",
                                      where=f"{where}, column {column}",
                                      hint="grad(\"label\") takes a node written before this one")
        for label, column in answer.values:
            if self.find(label) is None:
                raise ExpressionError(f"no node named {short(label)!r}",
                                      where=f"{where}, column {column}",
                                      hint='value("label") takes a node\'s name or label')
        return answer

    def env(self, grads: dict[str, np.ndarray], answer: Answer | None = None) -> Env:
        values = self.values
        if answer is not None and answer.values:
            nodes = self.trace.graph.nodes
            values = {**values, **{label: nodes[self.find(label)].value
                                   for label, _ in answer.values}}
        return Env(values, grads, self.dtype)

    def compute(self, answer: Answer, grads: dict[str, np.ndarray]):
        """The answer's value with these gradients (AnswerFailed when it cannot be)."""
        return evaluate(answer, self.env(_labelled(self, answer, grads), answer))

    def grade(self, question: Question, answer: Answer, grads: dict[str, np.ndarray],
              true_grads: dict[str, np.ndarray] | None = None) -> Verdict:
        """Evaluate and grade; a wrong answer gets its first hint."""
        try:
            value = self.compute(answer, grads)
        except AnswerFailed as exc:
            return Verdict(FAILED, None, self._hint(question, None, str(exc), (), None), str(exc))
        result = grade(value, np.asarray(question.expected, dtype=self.dtype))
        if result.right:
            return Verdict(result, value, None)
        wrong = tuple(shown for shown, key in self.used_grads(answer)
                      if true_grads is not None and key in true_grads
                      and not _same(grads.get(key), true_grads[key]))
        retry = None
        if wrong:
            def retry():
                try:
                    return self.compute(answer, {**grads, **true_grads})
                except AnswerFailed:
                    return None
        return Verdict(result, value, self._hint(question, value, "", wrong, retry))

    def _hint(self, question, value, error, wrong, retry) -> Explanation:
        return diagnose(Attempt(self.trace.graph, question.node, question.expected,
                                question.step.contributions, value, error, wrong, retry,
                                question.fused is not None))

    def used_grads(self, answer: Answer) -> list[tuple[str, str]]:
        """(as written, node key) of every gradient the answer uses."""
        used = [(name, name[2:]) for name, _ in answer.names
                if name.startswith("d_") and self.find(name[2:]) is not None]
        for label, _ in answer.grads:
            found = self.find(label)
            if found is not None:
                used.append((f'grad("{label}")', self.key(found)))
        return used

    def true_grads(self) -> dict[str, np.ndarray]:
        grads = self.given_grads()
        for q in self.questions:
            grads[q.key] = np.asarray(q.expected, dtype=self.dtype)[()]
        return grads


def _labelled(walk: Walk, answer: Answer, grads: dict[str, np.ndarray]) -> dict:
    """Gradients by key, plus each ``grad("…")`` the answer uses by its typed text."""
    result = dict(grads)
    for label, _ in answer.grads:
        found = walk.find(label)
        if found is not None and walk.key(found) in grads:
            result[label] = grads[walk.key(found)]
    return result


def _same(a, b) -> bool:
    if a is None:
        return False
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-5, atol=1e-8, equal_nan=True))


@dataclass
class Score:
    """Per question key, in the walk's order."""

    records: dict[str, Record] = field(default_factory=dict)

    def record(self, key: str) -> Record:
        return self.records.setdefault(key, Record())

    @property
    def right_first_try(self) -> int:
        return sum(1 for r in self.records.values()
                   if r.result and r.attempts == 1 and not r.shown)

    @property
    def solved(self) -> int:
        return sum(1 for r in self.records.values() if r.result and not r.shown)
