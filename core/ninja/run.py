"""``--ninja ANSWERS.json``: grade a whole file of answers, for the command line.

The file maps node names (or labels) to answers: ``{"s": "2 * s", "y_hat": "d_s",
"w": "d_y_hat * x"}``. An answer may use ``d_<name>`` of any node answered in the file
(each is the learner's own value) and ``d_<output>`` (given). Every answer is read and
its names checked before anything is computed: a bad one is an :class:`ExpressionError`
naming the node and the column (exit 2). An answer that reads but cannot be computed is
a wrong answer, with a hint.
"""

from __future__ import annotations

import json

import numpy as np

from core.base.errors import ExpressionError, short
from core.base.format import to_json_value
from core.engine.trace import Trace
from core.language.reading import read_bytes
from core.ninja.answers import Answer
from core.ninja.grade import FAILED
from core.ninja.hints import render_hint
from core.ninja.walk import Verdict, Walk

MAX_ANSWERS_BYTES = 2_000_000


def read_answers(path: str) -> dict[str, str]:
    """The answers file: a JSON object of name → expression text."""
    where = f"--ninja {short(str(path), 80)}"
    data = read_bytes(path, MAX_ANSWERS_BYTES)
    try:
        answers = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ExpressionError(f"not valid JSON: {short(str(exc), 120)}", where=where) from None
    if not isinstance(answers, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in answers.items()):
        raise ExpressionError("expected a JSON object of node name → answer text",
                              where=where, hint='as in {"s": "2 * s", "y_hat": "d_s"}')
    return answers


def grade_answers(trace: Trace, answers: dict[str, str], level: int = 1
                  ) -> tuple[Walk, dict[str, Verdict]]:
    """Every answer graded, in the walk's order."""
    walk = Walk(trace, level)
    questions = {}
    for key in answers:
        node = walk.find(key)
        where = f"the answer for {short(key)!r}"
        if node is None:
            names = ", ".join(q.key for q in walk.questions)
            raise ExpressionError(f"there is no node named {short(key)!r}", where=where,
                                  hint=f"the walk asks for {short(names, 200)}")
        if node not in walk.by_node:
            raise ExpressionError(_not_asked(walk, node), where=where)
        node_key = walk.by_node[node].key
        if node_key in questions:
            raise ExpressionError(f"{short(questions[node_key][0])!r} and {short(key)!r} name "
                                  "the same node", where=where, hint="give one answer per node")
        questions[node_key] = (key, answers[key])
    # every gradient an answer may use: given, or answered in the file (placeholders)
    placeholders = {**walk.given_grads(), **{k: np.float64(0.0) for k in questions}}
    parsed: dict[str, Answer] = {}
    for key, (typed, text) in questions.items():
        parsed[key] = walk.parse(walk.by_node[walk.find(key)], text, placeholders,
                                 where=f"the answer for {short(typed)!r}")
    verdicts = _evaluate_all(walk, parsed)
    # keyed as the file keys them (y_hat - y for y_hat − y), in the walk's order
    return walk, {questions[k][0]: v for k, v in verdicts.items()}


def _not_asked(walk: Walk, node: int) -> str:
    graph = walk.trace.graph
    label = walk.key(node)
    if node == graph.output:
        return f"d_{label} is given (ones in its shape): answer the nodes before it"
    if node in walk.torch_given:
        return f"d_{label} flows back through torch's own rule (a call with no rule of " \
            "ours): it is given, not asked"
    if node in walk.no_rule:
        return f"d_{label}'s rule is not written in the answer language yet: it is given"
    if node in walk.given:
        return f"{label} is fused into the next answer at level 2"
    kind = graph.nodes[node].kind
    if kind in ("data", "constant"):
        return f"{label} is {kind}: it gets no gradient (nothing updates it)"
    return f"{label} is not on a path from a parameter to the output: it gets no gradient"


def _evaluate_all(walk: Walk, parsed: dict[str, Answer]) -> dict[str, Verdict]:
    """Each answer once, the gradients it uses first (any order in the file)."""
    values: dict[str, np.ndarray | None] = dict(walk.given_grads())
    verdicts: dict[str, Verdict] = {}
    busy: list[str] = []
    true = walk.true_grads()

    def compute(key: str) -> None:
        if key in verdicts:
            return
        if key in busy:
            raise ExpressionError(f"the answers for {' and '.join(busy[busy.index(key):])} "
                                  "use each other", where=f"the answer for {short(key)!r}",
                                  hint="each gradient uses the ones after it in the graph")
        busy.append(key)
        answer = parsed[key]
        used = [k for _, k in walk.used_grads(answer)]
        for other in used:
            if other in parsed:
                compute(other)
        busy.pop()
        question = walk.by_node[walk.find(key)]
        missing = [k for k in used if values.get(k) is None]
        if missing:
            reason = f"d_{missing[0]} could not be computed"
            verdict = Verdict(FAILED, None, walk._hint(question, None, reason, (), None), reason)
        else:
            verdict = walk.grade(question, answer, {k: v for k, v in values.items()
                                                    if v is not None}, true)
        verdicts[key] = verdict
        values[key] = verdict.value

    for key in parsed:
        compute(key)
    return {q.key: verdicts[q.key] for q in walk.questions if q.key in verdicts}


def ninja_json(verdicts: dict[str, Verdict]) -> dict:
    """The ``ninja`` object of ``--json``: one entry per answer, in the walk's order."""
    return {key: {"exact": v.grade.exact, "close": v.grade.close,
                  "maxdiff": None if v.grade.maxdiff is None else to_json_value(v.grade.maxdiff),
                  "shape_ok": v.grade.shape_ok,
                  "hint": None if v.grade.right else render_hint(v.hint)}
            for key, v in verdicts.items()}


def render_ninja(verdicts: dict[str, Verdict]) -> str:
    """The same as a table, for the text output."""
    rows = [["node", "exact", "close", "maxdiff", "shape", "hint"]]
    for key, v in verdicts.items():
        g = v.grade
        rows.append([key, "✓" if g.exact else "✗", "✓" if g.close else "✗",
                     "—" if g.maxdiff is None else f"{g.maxdiff:.3g}",
                     "✓" if g.shape_ok else "✗", "" if g.right else render_hint(v.hint) or ""])
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    right = sum(1 for v in verdicts.values() if v.grade.right)
    lines = ["", f"Ninja: {right} of {len(verdicts)} gradients right"]
    for row in rows:
        cells = [c.ljust(w) for c, w in zip(row, widths, strict=False)] + [row[-1]]
        lines.append("  " + "  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def ninja_answers(trace: Trace, path: str, level: int = 1) -> dict[str, Verdict]:
    """``--ninja PATH [--ninja-level N]``: the verdicts, or ExpressionError (exit 2)."""
    return grade_answers(trace, read_answers(path), level)[1]
