"""Forward mode in the window (issue 14): the walk, Why backwards, What if, both languages."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QLabel,
    QListWidget,
    QSlider,
    QTableWidget,
    QToolButton,
)

from gui.support import i18n
from tests.gui.test_i18n import _compiled_translation  # noqa: F401 - the .qm for Chinese


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    i18n.apply_language("en")


def turn_on(window, qtbot):
    qtbot.mouseClick(window.findChild(QToolButton, "forwardModeButton"),
                     Qt.MouseButton.LeftButton)
    panel = window.forward_panel
    assert panel.forward_mode
    qtbot.waitUntil(window.findChild(QDockWidget, "forwardDock").isVisible)
    return panel


def test_the_lesson_walk_gives_tangent_of_loss_minus_two(window, qtbot):
    panel = turn_on(window, qtbot)
    assert window.findChild(QComboBox, "forwardWrt").currentText() == "w"
    steps = window.findChild(QListWidget, "forwardSteps")
    rows = [steps.item(i).text() for i in range(steps.count())]
    assert rows[0] == "∂w/∂w = 1"
    assert rows[-1] == "∂loss/∂w = local ∂loss/∂s · ∂s/∂w = (−2) · 1 = −2"
    assert float(panel.steps[-1].value) == -2.0
    assert panel.mode_action.text() == "Mode: Forward"
    why = window.findChild(QLabel, "whyBackwards").text()
    assert "1 parameter: forward mode needs 1 pass, reverse mode 1" in why
    assert "forward mode's ∂loss/∂w = −2, reverse mode's = −2: equal" in why
    text = window.findChild(QLabel, "forwardStepText").text()
    assert text.startswith("Tangent: how fast loss changes when w changes")


def test_step_menu_has_the_mode_and_the_key_toggles_it(window, qtbot):
    step_menu = next(a.menu() for a in window.menuBar().actions() if "Step" in a.text())
    assert window.forward_panel.mode_action in step_menu.actions()
    window.canvas.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert window.forward_panel.forward_mode
    qtbot.keyClick(window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert not window.forward_panel.forward_mode
    assert window.forward_panel.mode_action.text() == "Mode: Reverse"


def test_picking_x_seeds_x(window, qtbot):
    panel = turn_on(window, qtbot)
    window.findChild(QComboBox, "forwardWrt").setCurrentText("x")
    # ∂loss/∂x = 2 · s · w = −2 at the lesson's values
    assert panel.steps[0].target == "∂x/∂x"
    assert float(panel.steps[-1].value) == -2.0


def test_what_if_slider_updates_every_value_and_gradient(window, qtbot):
    panel = turn_on(window, qtbot)
    panel.tabs.setCurrentIndex(1)
    slider = window.findChild(QSlider, "whatIfSlider")
    assert slider.isEnabled()
    slider.setFocus()
    for _ in range(3):  # the arrows step the lesson; Page Up moves the slider
        qtbot.keyClick(slider, Qt.Key.Key_PageUp)
    w = panel.value_at(slider.value())
    assert w != 1.0
    trace = panel.whatif_trace
    graph = trace.graph
    # by hand: loss = (w · 1 − 2)², ∂loss/∂w = 2 (w − 2)
    assert np.isclose(graph.output_node.value, (w - 2) ** 2)
    assert np.isclose(trace.named_gradients()["w"], 2 * (w - 2))
    table = window.findChild(QTableWidget, "whatIfTable")
    cells = {table.item(r, 0).text(): table.item(r, 2).text() for r in range(table.rowCount())}
    assert set(cells) == {"w", "x", "y", "y_hat", "s", "loss"}
    xs, ys = panel._tangent_line.get_data()
    assert np.isclose((ys[1] - ys[0]) / (xs[1] - xs[0]), 2 * (w - 2))
    label = window.findChild(QLabel, "whatIfValue").text()
    assert label.startswith("What if w = ") and "slope ∂loss/∂w" in label
    # the window's own program is untouched
    assert float(window.model.trace.graph.nodes[window.model.trace.graph.names["w"]].value) == 1


def test_the_panel_in_chinese(window, qtbot):
    panel = turn_on(window, qtbot)
    window.set_language("zh")
    qtbot.waitUntil(lambda: panel.windowTitle() == "为什么要反向")
    assert window.findChild(QDockWidget, "forwardDock").windowTitle() == "为什么要反向"
    assert panel.mode_action.text() == "模式：前向"
    assert panel.title.text() == "前向模式：当 w 变化时，每个节点变化得有多快"
    assert "1 个参数：前向模式需要 1 次传递" in window.findChild(QLabel, "whyBackwards").text()
    assert panel.tabs.tabText(1) == "假如"
    assert window.findChild(QLabel, "whatIfValue").text().startswith("假如 w = ")


def test_torch_forward_ad_ticks_every_tangent_and_the_code_is_shown(window, qtbot):
    from PySide6.QtWidgets import QPlainTextEdit

    from tests.gui.test_torch_panel import TORCH_TIMEOUT

    panel = turn_on(window, qtbot)
    status = window.findChild(QLabel, "forwardTorch")
    qtbot.waitUntil(lambda: "every tangent matches" in status.text(), timeout=TORCH_TIMEOUT)
    assert panel.torch_answer["tangents"]["loss"] == -2.0
    steps = window.findChild(QListWidget, "forwardSteps")
    rows = [steps.item(i).text() for i in range(steps.count())]
    assert rows[-1].endswith("= −2  ✓") and rows[0].endswith("✓")
    assert [r for r in rows if r.startswith("∂")] == [r for r in rows if r.endswith("✓")]
    code = window.findChild(QPlainTextEdit, "forwardCode").toPlainText()
    assert "with fwAD.dual_level():" in code and "fwAD.unpack_dual(loss).tangent" in code


def test_a_hidden_panel_in_reverse_mode_waits_until_it_is_shown(window, qtbot):
    panel = window.forward_panel
    assert not panel.forward_mode and window.torch_panel.isVisible()
    assert panel.steps == []  # nothing spent on forward mode nobody looks at
    window.forward_dock.raise_()
    qtbot.waitUntil(lambda: bool(panel.steps))
    assert panel.steps and float(panel.steps[-1].value) == -2.0


def test_the_monkey_with_forward_mode_on_leaves_no_exception(window, qtbot, monkeypatch):
    """The GUI monkey's walk (random programs, values, keys) with the panel live: a nan
    or an overflow in forward mode is a number shown, never a warning raised."""
    from tests.gui import test_monkey

    caught = test_monkey.collected_exceptions.__wrapped__(monkeypatch)
    window.forward_panel.mode_action.setChecked(True)
    test_monkey.test_monkey_walk_leaves_no_exception_and_the_lesson_still_works(
        window, qtbot, caught)
