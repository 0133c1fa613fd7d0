"""Quiz mode: the next number is hidden until the learner types it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTextBrowser,
    QToolButton,
)

from tests.gui.test_torch_panel import TORCH_TIMEOUT


def explanation(window) -> str:
    return window.findChild(QTextBrowser, "explanationView").toPlainText()


def start_quiz(window, qtbot) -> None:
    qtbot.mouseClick(window.findChild(QToolButton, "quizButton"), Qt.MouseButton.LeftButton)
    assert window.model.quiz.active
    qtbot.waitUntil(window.quiz_dock.isVisible)


def step(window, qtbot) -> None:
    window.canvas.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Right)


def answer(window, qtbot, text: str) -> None:
    field = window.findChild(QLineEdit, "quizAnswer")
    field.setFocus()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def feedback(window) -> str:
    return window.findChild(QLabel, "quizFeedback").text()


def score(window) -> str:
    return window.findChild(QLabel, "quizScore").text()


def test_the_next_number_is_hidden_everywhere_until_answered(window, qtbot):
    start_quiz(window, qtbot)
    step(window, qtbot)
    assert window.model.position == 1
    assert window.findChild(QLabel, "quizQuestion").text() == "What is y_hat?"
    assert "y_hat = ?" in explanation(window)
    assert "1 · 1" not in explanation(window)
    y_hat = window.model.trace.graph.names["y_hat"]
    assert window.canvas.node_labels(y_hat)["value"] is None
    forward = window.tables.tables["forward"]
    assert forward.item(0, 2).text() == "?"
    answer(window, qtbot, "1")
    assert feedback(window) == "✓ Right: y_hat = 1"
    assert window.model.position == 2  # right → revealed, and on to the next question
    assert window.canvas.node_labels(y_hat)["value"] == "1"
    assert forward.item(0, 2).text() == "1"
    assert forward.item(1, 2).text() == "?"


def test_wrong_answer_shows_the_formula_right_answer_advances_and_scores(window, qtbot):
    window.model.goto(3)
    start_quiz(window, qtbot)
    step(window, qtbot)  # step 4: ∂loss/∂s
    assert window.findChild(QLabel, "quizQuestion").text() == \
        "What is the local gradient ∂loss/∂s?"
    assert window.canvas.edge_label(window.model.current.edge) is None
    answer(window, qtbot, "3")
    # the hint fills in the numbers and names the rule, and says "local"
    assert feedback(window) == ("✗ Not quite. Hint: local ∂loss/∂s = 2 · s = 2 · (−1) "
                                "(power rule: k · xᵏ⁻¹)")
    assert "local ∂loss/∂s = 2 · s = 2 · (−1) = ?" in explanation(window)
    assert window.model.position == 4
    assert score(window) == "0 of 9 right first try"
    answer(window, qtbot, "-2")
    assert window.model.position == 5
    assert "Right" in feedback(window)
    assert window.canvas.edge_label(window.model.trace.steps[3].edge) == "2 · s = −2"
    assert score(window) == "0 of 9 right first try"  # right, but not on the first try
    answer(window, qtbot, "1")  # ∂s/∂y_hat
    assert score(window) == "1 of 9 right first try"


def test_answers_are_numbers_never_code(window, qtbot):
    start_quiz(window, qtbot)
    step(window, qtbot)
    answer(window, qtbot, "__import__('os')")
    assert "Type a number" in feedback(window)
    assert window.model.position == 1
    assert window.model.quiz.score.answered == 0


def test_show_answer_gives_up_and_a_full_walk_is_scored(window, qtbot):
    start_quiz(window, qtbot)
    answers = ["1", "-1", "1", "-2", "1", "1", "-2", "-2", "-2"]
    step(window, qtbot)
    qtbot.mouseClick(window.findChild(QPushButton, "quizShowAnswerButton"),
                     Qt.MouseButton.LeftButton)
    assert feedback(window) == "The answer: y_hat = w · x = 1 · 1 = 1"
    assert "y_hat = w · x = 1 · 1 = 1" in explanation(window)
    for text in answers[1:]:
        step(window, qtbot) if window.model.quiz.hidden_step is None else None
        answer(window, qtbot, text)
    assert window.model.position == 9
    assert score(window) == "8 of 9 right first try"
    assert window.findChild(QLabel, "quizQuestion").text() == "End of the walk."


def test_the_torch_panel_hides_its_numbers_while_quizzing(window, qtbot):
    status = window.torch_panel.findChild(QLabel, "torchStatus")
    qtbot.waitUntil(lambda: status.text() == "all match", timeout=TORCH_TIMEOUT)
    table = window.torch_panel.findChild(QTableWidget, "torchTable")
    output = window.torch_panel.findChild(QPlainTextEdit, "torchOutput")
    assert table.isVisible() and output.isVisible()
    start_quiz(window, qtbot)
    assert not table.isVisible() and not output.isVisible()
    assert window.torch_panel.findChild(QLabel, "torchQuizNote").isVisible()
    # the lesson tables show no future numbers either
    assert {window.tables.tables["backward"].item(r, 2).text() for r in range(3)} == {"?"}
    qtbot.keyClick(window, Qt.Key.Key_Q,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert not window.model.quiz.active
    assert table.isVisible() and output.isVisible()
    assert not window.quiz_dock.isVisible()


def test_leaving_the_quiz_restores_the_hidden_number(window, qtbot):
    start_quiz(window, qtbot)
    step(window, qtbot)
    y_hat = window.model.trace.graph.names["y_hat"]
    assert window.canvas.node_labels(y_hat)["value"] is None
    qtbot.mouseClick(window.findChild(QPushButton, "quizStopButton"), Qt.MouseButton.LeftButton)
    assert window.canvas.node_labels(y_hat)["value"] == "1"
    assert window.tables.tables["forward"].item(0, 2).text() == "1"
    assert "y_hat = w · x = 1 · 1 = 1" in explanation(window)


def test_quiz_with_the_update_phase(window, qtbot):
    window.training_panel.set_learning_rate_text("0.1")
    window.model.goto(9)
    start_quiz(window, qtbot)
    step(window, qtbot)
    assert "w ← ?" in explanation(window)
    answer(window, qtbot, "1.2")
    assert feedback(window) == "✓ Right: w = 1.2"


def test_local_and_total_gradients_are_asked_differently(window, qtbot):
    """Steps 4 and 7 both compute ∂loss/∂s: one local gradient, one gradient of the loss."""
    window.model.goto(3)
    start_quiz(window, qtbot)
    step(window, qtbot)
    question = window.findChild(QLabel, "quizQuestion")
    assert question.text() == "What is the local gradient ∂loss/∂s?"
    window.model.goto(6)
    step(window, qtbot)
    assert window.model.position == 7
    assert question.text() == "What is the gradient of the loss ∂loss/∂s?"
    answer(window, qtbot, "5")
    assert feedback(window) == ("✗ Not quite. Hint: ∂loss/∂s = ∂loss/∂loss · local = 1 · (−2) "
                                "(chain rule: the gradient from above times the local "
                                "gradient)")


def test_a_fraction_answers_the_mean_example(window, qtbot):
    action = next(a for a in window.examples_menu.actions()
                  if a.text().startswith("Mean squared error"))
    action.trigger()
    model = window.model
    first_local = model.trace.phase_starts["local"]
    model.goto(first_local - 1)
    start_quiz(window, qtbot)
    step(window, qtbot)
    assert model.position == first_local
    answer(window, qtbot, "1/4")  # ∂mean/∂entry = 1/n, n = 4
    assert "Right" in feedback(window)
    assert model.position == first_local + 1
