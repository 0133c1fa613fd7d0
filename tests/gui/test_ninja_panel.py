"""Ninja mode in the window: the learner types every gradient, with real key presses."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton, QTableWidget, QToolButton

from core.ninja.hints import TEMPLATES
from core.ninja.train import train_with_answers
from gui.panels.ninja_hints import HINTS

ROOT = Path(__file__).resolve().parents[2]
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def ninja_on(window, qtbot) -> None:
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_N, CTRL | SHIFT)
    assert window.model.quiz.active and window.model.quiz.mode == "ninja"
    qtbot.waitUntil(window.quiz_dock.isVisible)


def backward(window, qtbot) -> None:
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_3, CTRL)
    assert window.model.current.phase == "backward"


def type_answer(window, qtbot, text: str) -> None:
    field = window.findChild(QLineEdit, "ninjaAnswer")
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_A, CTRL)  # select what is there: typing replaces it
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def feedback(window) -> str:
    return window.findChild(QLabel, "ninjaFeedback").text()


def question(window) -> str:
    return window.findChild(QLabel, "ninjaQuestion").text()


def table_rows(window) -> list[list[str]]:
    table = window.findChild(QTableWidget, "ninjaScore")
    return [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]


def gradient_shown(window, name: str) -> str | None:
    graph = window.model.trace.graph
    return window.canvas.node_labels(graph.names[name])["gradient"]


def test_the_lesson_typed_gradient_by_gradient(window, qtbot):
    ninja_on(window, qtbot)
    assert window.findChild(QToolButton, "ninjaButton").isChecked()
    assert any(window.quiz_panel.ninja_action in m.actions()  # in the Step menu
               for m in window.menuBar().findChildren(type(window.examples_menu)))
    backward(window, qtbot)
    assert window.model.position == 7
    assert question(window) == "d_s = ∂loss/∂s (scalar) = ?"
    assert gradient_shown(window, "s") is None  # kept back until written
    type_answer(window, qtbot, "3 * s")
    assert feedback(window).startswith("✗ Not yet: exact ✗ · close ✗ · max difference 1")
    assert "power rule" in feedback(window)
    assert window.model.position == 7 and gradient_shown(window, "s") is None
    type_answer(window, qtbot, "2 * s * d_loss")
    assert feedback(window) == "✓ Right: s. exact ✓ · close ✓ · max difference 0 · shape ✓"
    assert window.model.position == 8  # on to y_hat, and s's gradient is on the canvas
    assert gradient_shown(window, "s") == "−2"
    type_answer(window, qtbot, "-d_s")
    assert "The sign is flipped" in feedback(window)
    type_answer(window, qtbot, "d_s")
    type_answer(window, qtbot, "d_y_hat * x")
    assert window.model.position == 9 and gradient_shown(window, "w") == "−2"  # the lesson's
    assert question(window) == "End of the walk."
    assert table_rows(window) == [["s", "2", "exact", "yes"], ["y_hat", "2", "exact", "yes"],
                                  ["w", "1", "exact", "no"]]
    assert window.findChild(type(window.quiz_panel.ninja_view.tabs), "ninjaTabs").tabText(0) \
        == "Score: 1 of 3"


def test_a_wrong_answer_that_does_not_read_is_not_a_try(window, qtbot):
    ninja_on(window, qtbot)
    backward(window, qtbot)
    type_answer(window, qtbot, "2 * q")
    assert "unknown name 'q'" in feedback(window) and "column 5" in feedback(window)
    assert table_rows(window)[0][1] == ""  # no try counted
    type_answer(window, qtbot, "__import__('os')")
    assert "unknown function" in feedback(window)


def test_example_nine_with_hints_heat_map_and_show_answer(window, qtbot):
    window.load_example(ROOT / "resources" / "examples" / "09-one-layer.json")
    ninja_on(window, qtbot)
    backward(window, qtbot)
    view = window.quiz_panel.ninja_view
    type_answer(window, qtbot, "d_loss * torch.ones_like(h) / 8")
    assert feedback(window).startswith("✓ Right: h.")
    assert question(window) == 'grad("(X @ W) + b") = ∂loss/∂((X @ W) + b) (4×2) = ?'
    type_answer(window, qtbot, "d_h")  # the relu mask forgotten
    assert "multiply by the mask (((X @ W) + b) > 0)" in feedback(window)
    assert view.plot.showing == "heatmap" and view.tabs.currentWidget() is view.plot
    type_answer(window, qtbot, "d_h * (h > 0)")
    assert feedback(window).startswith("✓ Right")
    assert view.tabs.currentWidget() is view.table
    type_answer(window, qtbot, 'grad("(X @ W) + b")')  # the sum over the batch forgotten
    assert "shape ✗" in feedback(window) and "(.sum(0))" in feedback(window)
    type_answer(window, qtbot, 'grad("(X @ W) + b").sum(0)')
    type_answer(window, qtbot, 'grad("(X @ W) + b")')
    assert question(window) == "d_W = ∂loss/∂W (3×2) = ?"
    assert gradient_shown(window, "W") is None
    type_answer(window, qtbot, 'grad("X @ W").T @ X')  # transposes swapped
    assert "transpose of the gradient" in feedback(window)
    qtbot.mouseClick(window.findChild(QPushButton, "ninjaShowAnswerButton"),
                     Qt.MouseButton.LeftButton)
    assert feedback(window) == 'The answer: d_W = X.T @ grad("X @ W")'
    assert gradient_shown(window, "W") is not None
    rows = table_rows(window)
    assert [r[0] for r in rows] == ["h", "(X @ W) + b", "b", "X @ W", "W"]
    assert rows[-1][2] == "shown" and rows[2][2] in ("exact", "close")


def test_level_two_fuses_softmax_log_and_nll(window, qtbot):
    from core.language.program import Program

    text = ("X = [[1., 2.], [0.5, -1.]]\ny = torch.tensor([1, 0])\n"
            "W = param([[0.1, 0.2, 0.3], [0.3, -0.4, 0.1]])\nz = X @ W\n"
            "loss = F.nll_loss(torch.log(torch.softmax(z, dim=1)), y)\n")
    window.load_program(Program(text, {}))
    ninja_on(window, qtbot)
    assert window.model.quiz.total == 4
    window.findChild(QComboBox, "ninjaLevel").setCurrentIndex(1)
    assert window.model.quiz.total == 2
    backward(window, qtbot)
    # the fused-away nodes are walked past, shown; the first question is the logits'
    while window.model.quiz.hidden_step is None:
        window.canvas.setFocus()
        qtbot.keyClick(window.canvas, Qt.Key.Key_Right)
    assert question(window) == "d_z = ∂loss/∂z (2×3) = ?"
    type_answer(window, qtbot, "torch.softmax(z, dim=1) - F.one_hot(y, 3)")
    assert "Fused: softmax, log and nll" in feedback(window)
    type_answer(window, qtbot, "(torch.softmax(z, dim=1) - torch.eye(3)[y]) / 2")
    assert feedback(window).startswith("✓ Right: z.")


def test_level_three_trains_with_your_gradients(window, qtbot):
    ninja_on(window, qtbot)
    window.findChild(QComboBox, "ninjaLevel").setCurrentIndex(2)
    view = window.quiz_panel.ninja_view
    assert view.train_button.isVisible() and view.keep_button.isVisible()
    backward(window, qtbot)
    type_answer(window, qtbot, "2 * s")
    type_answer(window, qtbot, "-d_s")  # wrong: keep it anyway, and see
    assert view.keep_button.isEnabled()
    qtbot.mouseClick(view.keep_button, Qt.MouseButton.LeftButton)
    type_answer(window, qtbot, "d_y_hat * x")
    assert "d_y_hat is not right yet" in feedback(window)
    qtbot.mouseClick(view.keep_button, Qt.MouseButton.LeftButton)
    view.iterations.setValue(10)
    qtbot.mouseClick(view.train_button, Qt.MouseButton.LeftButton)
    assert view.plot.showing == "curves"
    assert feedback(window).startswith("Your gradients do not train")
    expected = train_with_answers(window.model.program.text, window.model.program.bindings,
                                  {"s": "2 * s", "y_hat": "-d_s", "w": "d_y_hat * x"}, 0.1, 10,
                                  check_torch=False)
    assert view.last_run.losses == expected.losses and view.last_run.losses[-1] > 1
    lines = view.plot.axes.get_lines()
    assert list(lines[1].get_ydata()) == expected.losses
    assert list(lines[0].get_ydata()) == expected.reference


def test_progress_is_saved_and_opened_again(window, qtbot, tmp_path):
    ninja_on(window, qtbot)
    backward(window, qtbot)
    type_answer(window, qtbot, "s")
    type_answer(window, qtbot, "2 * s * d_loss")
    path = tmp_path / "ninja.json"
    assert window.save_to(path)
    window.quiz_panel.ninja_view.leave_button.click()
    assert not window.model.quiz.active
    assert window.open_file(path)
    quiz = window.model.quiz
    assert quiz.active and quiz.mode == "ninja" and window.model.position == 8
    assert table_rows(window)[0] == ["s", "2", "exact", "yes"]
    assert quiz.hidden_step is window.model.current  # y_hat is asked again
    type_answer(window, qtbot, "d_s")
    assert feedback(window).startswith("✓ Right: y_hat.")


def test_in_chinese(window, qtbot):
    ninja_on(window, qtbot)
    backward(window, qtbot)
    window.set_language("zh")
    qtbot.waitUntil(lambda: question(window) == "d_s = ∂loss/∂s（scalar）= ?", timeout=3000)
    assert window.findChild(QPushButton, "ninjaCheckButton").text() == "检查"
    type_answer(window, qtbot, "3 * s")
    assert feedback(window).startswith("✗ 还不对") and "链式法则" in feedback(window)
    assert window.quiz_panel.ninja_action.text() == "忍者模式"


def test_the_hints_the_window_translates_are_the_engines():
    assert {k: v for k, v in HINTS.items()} == TEMPLATES


def test_a_lesson_scripts_iteration(window, qtbot):
    """Today's lesson scripts: a recorded pass is walked like any program (the lesson runs
    at once through the recorder; its last pass, from its start)."""
    from tests.gui.test_script_window import run_lesson

    run_lesson(window, qtbot, "11-regression-autograd")
    assert window.model.run.iteration == 20
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_Home)
    assert window.model.position == 0
    ninja_on(window, qtbot)
    backward(window, qtbot)
    walk = window.model.quiz.ninja.walk
    assert walk.questions
    for q in walk.questions:
        while window.model.quiz.hidden_step is None:
            window.canvas.setFocus()
            qtbot.keyClick(window.canvas, Qt.Key.Key_Right)
        # our own answer typed back is right; the engine's gradient is torch's (core tests)
        type_answer(window, qtbot, walk.show(q))
        assert feedback(window).startswith(f"✓ Right: {q.key}."), feedback(window)
    assert all(np.isfinite(np.asarray(v)).all() for v in window.model.quiz.ninja.grads.values())


def test_every_example_walked_with_our_own_answers_typed(window, qtbot):
    """Every example in resources/examples: each gradient typed (our expression, as Show
    answer gives it) is right, fills the canvas and moves on to the end of the walk."""
    ninja_on(window, qtbot)
    for path in sorted((ROOT / "resources" / "examples").glob("*.json")):
        window.load_example(path)
        assert window.model.quiz.active and window.model.quiz.mode == "ninja"
        backward(window, qtbot)
        walk = window.model.quiz.ninja.walk
        for q in walk.questions:
            while window.model.current.node_id in walk.given:  # given, with a note: → on
                qtbot.keyClick(window.canvas, Qt.Key.Key_Right)
            assert window.model.quiz.hidden_step is q.step, (path.stem, q.key)
            type_answer(window, qtbot, walk.show(q))
            assert feedback(window).startswith(f"✓ Right: {q.key}."), (path.stem, feedback(window))
        assert window.model.position == window.model.length, path.stem
        assert question(window) == "End of the walk."
        assert all(row[2] in ("exact", "close") for row in table_rows(window))


def test_quiz_and_ninja_are_two_modes_of_one_panel(window, qtbot):
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_Q, CTRL | SHIFT)  # the numbers quiz
    quiz = window.model.quiz
    assert quiz.active and quiz.mode == "numbers"
    assert window.quiz_panel.pages.currentIndex() == 0
    ninja_on(window, qtbot)  # switches the mode, one at a time
    assert not window.quiz_panel.toggle_action.isChecked()
    assert window.quiz_panel.pages.currentIndex() == 1
    assert window.quiz_dock in window.tabifiedDockWidgets(window.explanation_dock)
    qtbot.keyClick(window.canvas, Qt.Key.Key_N, CTRL | SHIFT)  # and off again
    assert not quiz.active and not window.quiz_dock.isVisible()
    assert window.quiz_dock not in window.tabifiedDockWidgets(window.explanation_dock)
    qtbot.keyClick(window.canvas, Qt.Key.Key_Q, CTRL | SHIFT)
    assert quiz.mode == "numbers" and window.quiz_dock.isVisible()
    assert window.quiz_panel.pages.currentIndex() == 0
