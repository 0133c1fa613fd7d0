"""The explanation of a tensor step: any gradient entry expands on click into its sum,
with the actual numbers; a local step of tiny shapes shows its explicit Jacobian."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QUrl

LAYER = ("X = [[1.0, 2.0, 3.0], [4.0, -5.0, 6.0]]\n"
         "W = param([[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]])\nb = param([0.1, -0.2])\n"
         "h = relu(X @ W + b)\nloss = mean(h)\n")


def _goto(window, phase, node=None, edge_target=None):
    trace = window.model.trace
    for step in trace.steps:
        if step.phase != phase:
            continue
        if node is not None and step.node == node:
            break
        if edge_target is not None and step.edge == edge_target:
            break
    window.model.goto(step.index)
    return step


def test_clicking_an_entry_of_dW_spells_out_its_sum(window):
    assert window.model.apply_text(LAYER)
    graph = window.model.trace.graph
    _goto(window, "backward", node=graph.names["W"])
    view = window.explanation
    html = view.html()
    assert 'href="entry:2,1"' in html  # dW is 3×2: six links
    view.anchorClicked.emit(QUrl("entry:2,1"))
    text = view.toPlainText()
    # every pre-activation is positive, so G = 1/4 everywhere: 3 · 0.25 + 6 · 0.25 = 2.25
    assert "∂loss/∂W[2, 1] = Σ_b X[b, 2] · G[b, 1] = 3 · 0.25 + 6 · 0.25 = 2.25" in text


def test_a_tiny_local_step_shows_its_jacobian_on_demand(window):
    assert window.model.apply_text(LAYER)
    graph = window.model.trace.graph
    h = graph.names["h"]
    pre = graph.nodes[h].inputs[0]
    _goto(window, "local", edge_target=(pre, h, 0))
    view = window.explanation
    assert "jacobian:" in view.html() and "(4×4)" in view.toPlainText()
    view.anchorClicked.emit(QUrl("jacobian:"))
    text = view.toPlainText()
    # relu of four positive entries: the 4×4 identity
    cells = [line for line in text.splitlines() if line.strip() in ("0", "1")]
    assert len(cells) == 16 and cells.count("1") == 4
    assert np.array_equal(np.array([c == "1" for c in cells]).reshape(4, 4), np.eye(4, dtype=bool))
    view.anchorClicked.emit(QUrl("jacobian:"))
    assert "(4×4)" in view.toPlainText()


def test_the_quiz_asks_one_entry_of_a_tensor(window):
    assert window.model.apply_text(LAYER)
    window.model.quiz.set_active(True)
    window.model.next()  # X @ W = [[2.2, 1.2], [1.9, 6.4]]: the largest entry is asked
    text = window.explanation.toPlainText()
    assert "([1, 1] = ?)" in text and "[1, 1]" in text.split("?)")[1]
    assert window.model.quiz.check("6.4").correct
    assert window.model.position == 2
