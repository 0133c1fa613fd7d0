"""Training in the window: learning rate, update phase, iterations, the plot, PyTorch ✓."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSlider,
    QSpinBox,
    QTextBrowser,
)

from tests.gui.test_i18n import _compiled_translation  # noqa: F401 - the .qm for Chinese
from tests.gui.test_torch_panel import TORCH_TIMEOUT


def explanation(window) -> str:
    return window.findChild(QTextBrowser, "explanationView").toPlainText()


def set_learning_rate(window, qtbot, text: str) -> None:
    window.show_training()
    field = window.findChild(QLineEdit, "learningRateField")
    field.setFocus()
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def click(window, qtbot, name: str) -> None:
    qtbot.mouseClick(window.findChild(QPushButton, name), Qt.MouseButton.LeftButton)


def toggle_forget(window, qtbot) -> None:
    box = window.findChild(QCheckBox, "forgetZeroGradBox")
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def open_example(window, title_start: str) -> None:
    action = next(a for a in window.examples_menu.actions() if a.text().startswith(title_start))
    action.trigger()


def test_the_lesson_stays_nine_steps_without_a_learning_rate(window):
    slider = window.findChild(QSlider, "stepSlider")
    assert slider.maximum() == 9
    assert not window.findChild(QPushButton, "updatePhaseButton").isVisible()
    assert not window.findChild(QPushButton, "nextIterationButton").isEnabled()


def test_learning_rate_adds_the_update_phase_and_ctrl_4_jumps_to_it(window, qtbot):
    set_learning_rate(window, qtbot, "0.1")
    slider = window.findChild(QSlider, "stepSlider")
    assert slider.maximum() == 10
    assert window.findChild(QPushButton, "updatePhaseButton").isVisible()
    window.canvas.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.model.position == 10
    assert window.findChild(QLabel, "stepLabel").text() == "step 10 of 10 · Update"
    assert "w ← w − lr · ∂loss/∂w = 1 − 0.1 · (−2) = 1.2" in explanation(window)
    update_table = window.tables.tables["update"]
    assert window.tables.currentWidget() is update_table
    assert update_table.item(0, 2).text() == "1.2"
    # emptying the field turns it off again: back to the lesson's nine steps
    set_learning_rate(window, qtbot, "")
    assert slider.maximum() == 9


@pytest.mark.parametrize("text", ["-0.1", "0", "abc", "1, 2"])
def test_a_bad_learning_rate_is_refused_inline(window, qtbot, text):
    set_learning_rate(window, qtbot, text)
    error = window.findChild(QLabel, "learningRateError")
    assert error.isVisible()
    assert "positive number" in error.text()
    assert window.model.learning_rate is None
    assert window.model.length == 9


def test_next_iteration_moves_w_to_1_2_and_the_loss_to_0_64_and_undoes(window, qtbot):
    set_learning_rate(window, qtbot, "0.1")
    window.model.end()
    click(window, qtbot, "nextIterationButton")
    assert float(window.model.program.bindings["w"].value) == pytest.approx(1.2)
    now = window.findChild(QLabel, "trainingNow").text()
    assert "w = 1.2" in now and "loss = 0.64" in now
    # the new pass starts at its first step: y_hat = w · x, with the new w
    assert window.model.position == 1
    assert "y_hat = w · x = 1.2 · 1 = 1.2" in explanation(window)
    window.model.end()
    assert "1.2 − 0.1 · (−1.6) = 1.36" in explanation(window)
    loss_node = window.model.trace.graph.output
    assert window.canvas.node_labels(loss_node)["value"] == "0.64"
    panel = window.training_panel
    assert panel.loss_points() == [1.0]
    assert panel.cell(0, "w") == "1" and panel.cell(0, "w.grad") == "−2"
    window.undo_action.trigger()
    assert float(window.model.program.bindings["w"].value) == 1.0
    assert panel.loss_points() == []
    assert window.model.position == 10  # back where the iteration was taken
    window.redo_action.trigger()
    assert panel.loss_points() == [1.0]
    assert window.model.position == 1


def test_train_20_on_mean_squared_error_converges_and_matches_torch(window, qtbot):
    open_example(window, "Mean squared error")
    set_learning_rate(window, qtbot, "0.1")
    box = window.findChild(QSpinBox, "trainCountBox")
    assert box.value() == 20
    click(window, qtbot, "trainButton")
    panel = window.training_panel
    losses = panel.loss_points()
    assert len(losses) == 20
    assert losses[0] == pytest.approx(30.0)
    assert losses[-1] < 1e-5
    assert all(b < a for a, b in zip(losses, losses[1:], strict=False))
    assert float(window.model.program.bindings["w"].value) == pytest.approx(2.0, abs=1e-4)
    status = window.findChild(QLabel, "trainingTorchStatus")
    qtbot.waitUntil(lambda: "All 20 iterations match" in status.text(), timeout=TORCH_TIMEOUT)
    assert panel.torch_marks() == ["✓"] * 20
    # one undo takes back all twenty
    window.undo_action.trigger()
    assert float(window.model.program.bindings["w"].value) == 0.0
    assert panel.loss_points() == []


def test_the_lesson_converges_in_20_iterations(window, qtbot):
    set_learning_rate(window, qtbot, "0.1")
    click(window, qtbot, "trainButton")
    losses = window.training_panel.loss_points()
    # the error shrinks by 0.8 an iteration: 0.8²⁰ ≈ 0.012, so the loss falls from 1 to ~2e-4
    assert len(losses) == 20 and losses[0] == 1.0 and losses[-1] < 5e-4
    assert float(window.model.program.bindings["w"].value) == pytest.approx(2.0, abs=0.02)


def test_forget_zero_grad_piles_gradients_up(window, qtbot):
    set_learning_rate(window, qtbot, "0.1")
    toggle_forget(window, qtbot)
    assert window.model.training.forget_zero_grad
    click(window, qtbot, "nextIterationButton")
    window.model.goto_phase("update")
    # .grad still holds −2 from the first pass: the update uses −1.6 + (−2) = −3.6
    assert "w ← w − lr · w.grad = 1.2 − 0.1 · (−3.6) = 1.56" in explanation(window)
    assert "−1.6 + (−2) = −3.6" in explanation(window)
    click(window, qtbot, "nextIterationButton")
    panel = window.training_panel
    assert [panel.cell(row, "w.grad") for row in range(2)] == ["−2", "−3.6"]
    assert [panel.cell(row, "w") for row in range(2)] == ["1", "1.2"]
    status = window.findChild(QLabel, "trainingTorchStatus")
    qtbot.waitUntil(lambda: "All 2 iterations match" in status.text(), timeout=TORCH_TIMEOUT)
    # switching it off starts a fresh run with an empty .grad
    toggle_forget(window, qtbot)
    assert panel.loss_points() == []
    assert "∂loss/∂w" in window.model.trace.steps[-1].formula


def test_an_edit_starts_a_new_run(window, qtbot):
    set_learning_rate(window, qtbot, "0.1")
    click(window, qtbot, "nextIterationButton")
    assert window.training_panel.loss_points() == [1.0]
    assert window.model.edit_value("x", "2")
    assert window.training_panel.loss_points() == []
    assert window.model.length == 10  # the learning rate stays


def test_training_a_program_without_parameters_says_why(window, qtbot):
    set_learning_rate(window, qtbot, "0.1")
    window.model.edit_role("w", "data")
    click(window, qtbot, "nextIterationButton")
    error = window.findChild(QLabel, "learningRateError")
    assert error.isVisible() and "no parameter" in error.text()


def test_the_parameter_plot_starts_at_iteration_0(window, qtbot):
    panel = window.training_panel
    assert panel.parameter_points("w") == []  # no learning rate: no plot yet
    set_learning_rate(window, qtbot, "0.1")
    assert panel.parameter_points("w") == [(0, 1.0)]
    click(window, qtbot, "nextIterationButton")
    assert panel.parameter_points("w") == [(0, 1.0), (1, pytest.approx(1.2))]
    click(window, qtbot, "nextIterationButton")
    assert [x for x, _ in panel.parameter_points("w")] == [0, 1, 2]
    assert panel.parameter_points("w")[2][1] == pytest.approx(1.36)


def test_a_rebound_parameter_trains_in_the_window(window, qtbot):
    """w = param(1); w = w * 2: the parameter shows as w@1 but is bound by w."""
    editor = window.editor_panel.editor
    editor.setPlainText("w = param(1.0)\nw = w * 2\nloss = (w - 3) ** 2")
    window.editor_panel.apply()
    set_learning_rate(window, qtbot, "0.1")
    assert float(window.model.trace.graph.output_node.value) == 1.0
    click(window, qtbot, "nextIterationButton")
    # ∂loss/∂w@1 = 2 · (2w − 3) · 2 = −4, so w@1 ← 1 + 0.4 = 1.4 and loss = (2.8 − 3)² = 0.04
    assert float(window.model.trace.graph.output_node.value) == pytest.approx(0.04)
    assert window.training_panel.loss_points() == [1.0]
    status = window.findChild(QLabel, "trainingTorchStatus")
    qtbot.waitUntil(lambda: "The one iteration matches" in status.text(), timeout=TORCH_TIMEOUT)


def test_the_training_plot_follows_the_dark_theme(window, qtbot):
    from matplotlib.colors import to_hex

    panel = window.training_panel
    set_learning_rate(window, qtbot, "0.1")
    assert to_hex(panel.figure.get_facecolor()) == "#ffffff"
    window.dark_action.trigger()
    assert window.dark
    assert to_hex(panel.figure.get_facecolor()) == "#1b1d22"
    assert to_hex(panel.loss_axes.get_facecolor()) == "#1b1d22"
    assert to_hex(panel.param_axes.xaxis.label.get_color()) == "#e8e8e8"
    window.dark_action.trigger()
    assert to_hex(panel.figure.get_facecolor()) == "#ffffff"


def test_the_plot_labels_draw_chinese_after_a_language_switch(window, qtbot):
    """The axis labels exist before the switch: they must take the CJK font then, or
    matplotlib draws empty boxes (and warns of the missing glyphs)."""
    import warnings

    from gui.panels.training.panel import TrainingPanel
    from gui.support import fonts

    window.set_language("zh")  # English again afterwards: tests/gui/conftest.py
    panel = window.findChild(TrainingPanel)
    qtbot.waitUntil(lambda: panel.loss_axes.get_ylabel() == "损失")
    assert fonts.CJK_FAMILY in panel.loss_axes.yaxis.label.get_fontfamily()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        panel.plot.draw()
    assert not [w for w in caught if "missing from font" in str(w.message)]
