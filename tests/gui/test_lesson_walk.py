"""Walk the lesson with the keyboard: every position's explanation and canvas labels."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSlider,
    QTableWidget,
    QTextBrowser,
    QWidget,
)

from gui.graph_canvas import GraphCanvas

#: (equation in the explanation, labels the canvas must show, labels it must not show yet)
LESSON = {
    0: ("Nothing is computed yet", [], ["−1", "2 · s = −2", "−2"]),
    1: ("y_hat = w · x = 1 · 1 = 1", [], ["−1"]),
    2: ("s = y_hat − y = 1 − 2 = −1", ["−1"], ["2 · s = −2"]),
    3: ("loss = s² = (−1)² = 1", ["−1"], ["2 · s = −2", "−2"]),
    4: ("local ∂loss/∂s = 2 · s = 2 · (−1) = −2", ["2 · s = −2"], ["x = 1", "−2"]),
    5: ("local ∂s/∂y_hat = 1", ["2 · s = −2"], ["x = 1", "−2"]),
    6: ("local ∂y_hat/∂w = x = 1", ["2 · s = −2", "x = 1"], ["−2"]),
    7: ("∂loss/∂s = ∂loss/∂loss · local = 1 · (−2) = −2", ["−2"], []),
    8: ("∂loss/∂y_hat = ∂loss/∂s · ∂s/∂y_hat = −2 · 1 = −2", ["−2"], []),
    9: ("∂loss/∂w = ∂loss/∂y_hat · ∂y_hat/∂w = −2 · 1 = −2", ["−2"], []),
}
#: how many gradients (−2) the backward pass has revealed at each position
GRADIENTS_SHOWN = {7: 1, 8: 2, 9: 3}
PHASE_AT = {0: "start", 1: "Forward pass", 4: "Local gradients", 7: "Backward pass"}


def phase_name(position: int) -> str:
    return PHASE_AT[max(k for k in PHASE_AT if k <= position)]


def explanation(window) -> str:
    return window.findChild(QTextBrowser, "explanationView").toPlainText()


def test_contract_widgets(window):
    canvas = window.findChild(GraphCanvas, "graphCanvas")
    assert canvas is not None and canvas is window.canvas
    assert isinstance(window.findChild(QPlainTextEdit, "expressionEditor"), QPlainTextEdit)
    for name in ("applyButton",):
        assert isinstance(window.findChild(QPushButton, name), QPushButton)
    for name in ("prevStepButton", "nextStepButton", "resetButton"):
        assert window.findChild(QWidget, name) is not None, name
    table = window.findChild(QTableWidget, "variablesTable")
    assert [table.horizontalHeaderItem(i).text() for i in range(3)] == ["name", "role", "value"]
    slider = window.findChild(QSlider, "stepSlider")
    assert (slider.minimum(), slider.maximum(), slider.value()) == (0, 9, 0)
    panel = window.findChild(QWidget, "torchPanel")
    assert panel.findChild(QLabel, "torchStatus") is not None
    assert panel.findChild(QWidget, "torchOutput") is not None


def test_opens_on_the_lesson_at_zero_with_focus_on_canvas(window):
    assert window.model.position == 0
    assert window.model.length == 9
    assert window.focusWidget() is window.canvas
    assert window.findChild(QPlainTextEdit, "expressionEditor").toPlainText() == (
        "y_hat = w * x\ns = y_hat - y\nloss = s ** 2\n")


def test_walk_the_whole_lesson_with_right(window, qtbot):
    slider = window.findChild(QSlider, "stepSlider")
    label = window.findChild(QLabel, "stepLabel")
    for position in range(10):
        if position:
            qtbot.keyClick(window, Qt.Key.Key_Right)
        assert window.model.position == position
        assert slider.value() == position
        assert label.text() == f"step {position} of 9 · {phase_name(position)}"
        equation, shown, hidden = LESSON[position]
        text = explanation(window)
        assert equation in text, (position, text)
        assert f"Step {position} of 9" in text
        labels = window.canvas.visible_labels()
        for expected in shown:
            assert expected in labels, (position, expected, labels)
        for absent in hidden:
            assert absent not in labels, (position, absent, labels)
        assert Counter(labels)["−2"] == GRADIENTS_SHOWN.get(position, 0), (position, labels)
        # names are always there, values of the inputs from the start
        for name in ("w", "x", "y", "y_hat", "s", "loss"):
            assert name in labels
    qtbot.keyClick(window, Qt.Key.Key_Right)  # past the end: stays
    assert window.model.position == 9
    assert "w is a parameter" in explanation(window)


def test_space_left_home_end(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert window.model.position == 2
    qtbot.keyClick(window, Qt.Key.Key_Left)
    assert window.model.position == 1
    qtbot.keyClick(window, Qt.Key.Key_End)
    assert window.model.position == 9
    qtbot.keyClick(window, Qt.Key.Key_Home)
    assert window.model.position == 0
    qtbot.keyClick(window, Qt.Key.Key_Left)
    assert window.model.position == 0


def test_keys_reach_the_trace_from_the_canvas(window, qtbot):
    qtbot.keyClick(window.canvas, Qt.Key.Key_Right)
    assert window.model.position == 1


@pytest.mark.parametrize(("key", "position", "equation"), [
    (Qt.Key.Key_1, 1, "y_hat = w · x = 1 · 1 = 1"),
    (Qt.Key.Key_2, 4, "local ∂loss/∂s = 2 · s = 2 · (−1) = −2"),
    (Qt.Key.Key_3, 7, "∂loss/∂s = ∂loss/∂loss · local = 1 · (−2) = −2"),
])
def test_phase_jumps_with_ctrl_digits(window, qtbot, key, position, equation):
    qtbot.keyClick(window, Qt.Key.Key_End)
    qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
    assert window.model.position == position
    assert equation in explanation(window)


def test_phase_buttons(window, qtbot):
    qtbot.mouseClick(window.findChild(QPushButton, "backwardPhaseButton"),
                     Qt.MouseButton.LeftButton)
    assert window.model.position == 7
    qtbot.mouseClick(window.findChild(QPushButton, "localPhaseButton"), Qt.MouseButton.LeftButton)
    assert window.model.position == 4


def test_step_buttons(window, qtbot):
    nxt = window.findChild(QWidget, "nextStepButton")
    prev = window.findChild(QWidget, "prevStepButton")
    qtbot.mouseClick(nxt, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(nxt, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(prev, Qt.MouseButton.LeftButton)
    assert window.model.position == 1
    qtbot.mouseClick(window.findChild(QWidget, "endButton"), Qt.MouseButton.LeftButton)
    assert window.model.position == 9
    qtbot.mouseClick(window.findChild(QWidget, "resetButton"), Qt.MouseButton.LeftButton)
    assert window.model.position == 0


def test_slider_moves_the_position(window):
    slider = window.findChild(QSlider, "stepSlider")
    slider.setValue(5)
    assert window.model.position == 5
    assert "∂s/∂y_hat = 1" in explanation(window)
    assert "2 · s = −2" in window.canvas.visible_labels()
    slider.setValue(0)
    assert window.model.position == 0


def test_play_runs_to_the_end_and_stops(window, qtbot):
    window.model.set_speed(4.0)
    qtbot.keyClick(window, Qt.Key.Key_P)
    assert window.model.playing
    qtbot.waitUntil(lambda: window.model.position == 9 and not window.model.playing,
                    timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_P)  # at the end, play starts again from 0
    assert window.model.playing
    qtbot.keyClick(window, Qt.Key.Key_P)
    assert not window.model.playing


def test_lesson_tables_fill_in_and_jump_on_click(window, qtbot):
    forward = window.findChild(QTableWidget, "forwardTable")
    backward = window.findChild(QTableWidget, "backwardTable")
    assert forward.rowCount() == 3 and backward.rowCount() == 3
    assert forward.item(1, 2).text() == "?"
    qtbot.keyClick(window, Qt.Key.Key_Right)
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert [forward.item(r, 2).text() for r in range(3)] == ["1", "−1", "?"]
    assert forward.item(1, 1).text() == "y_hat − y = 1 − 2"
    # click the last backward row: jump to step 9
    window.tables.setCurrentWidget(backward)
    rect = backward.visualItemRect(backward.item(2, 1))
    qtbot.mouseClick(backward.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.model.position == 9
    assert [backward.item(r, 2).text() for r in range(3)] == ["−2", "−2", "−2"]
    assert backward.item(1, 1).text() == "∂loss/∂s · ∂s/∂y_hat = −2 · 1"
    # and back to the first forward row
    window.tables.setCurrentWidget(forward)
    rect = forward.visualItemRect(forward.item(0, 0))
    qtbot.mouseClick(forward.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.model.position == 1
    assert forward.item(2, 2).text() == "?"


def test_keys_work_on_a_window_that_is_not_active(qtbot):
    from gui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    qtbot.keyClick(win, Qt.Key.Key_Right)
    qtbot.keyClick(win, Qt.Key.Key_Space)
    assert win.model.position == 2
    qtbot.keyClick(win, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert win.model.position == 7
    qtbot.keyClick(win, Qt.Key.Key_Home)
    assert win.model.position == 0
    win.editor_panel.editor.setPlainText("loss = (w * x - y) ** 2\n")
    qtbot.keyClick(win, Qt.Key.Key_Enter, Qt.KeyboardModifier.ControlModifier)
    assert win.model.program.text == "loss = (w * x - y) ** 2\n"


def test_the_local_phase_explains_what_is_not_needed(window, qtbot):
    """The lesson: ∂s/∂y and ∂y_hat/∂x are not needed, because x and y are data."""
    window.model.goto(5)
    assert "y is data: ∂s/∂y is not needed — nothing updates y." in explanation(window)
    window.model.goto(6)
    assert "x is data: ∂y_hat/∂x is not needed — nothing updates x." in explanation(window)
    window.model.goto(4)
    assert "not needed" not in explanation(window)
    # the local table lists them under the three local gradients, as the CLI does
    rows = window.tables.unneeded_rows()
    assert [r[0] for r in rows] == ["∂y_hat/∂x", "∂s/∂y"]
    assert rows[0][1] == "x is data: ∂y_hat/∂x is not needed — nothing updates x."
    assert rows[0][2] == "not needed"
    local = window.findChild(QTableWidget, "localTable")
    assert local.rowCount() == 5
    assert local.item(0, 0).text() == "local ∂loss/∂s"
    # clicking a not-needed row goes nowhere
    window.tables.setCurrentWidget(local)
    rect = local.visualItemRect(local.item(3, 1))
    qtbot.mouseClick(local.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.model.position == 4


def test_the_tables_tell_local_from_total_gradients(window):
    def headers(name):
        table = window.findChild(QTableWidget, name)
        return [table.horizontalHeaderItem(i).text() for i in range(3)]

    assert headers("localTable")[0] == "local gradient"
    assert headers("backwardTable")[0] == "gradient of the loss"
    window.model.end()
    local = window.findChild(QTableWidget, "localTable")
    backward = window.findChild(QTableWidget, "backwardTable")
    assert local.item(0, 0).text() == "local ∂loss/∂s"
    assert backward.item(0, 0).text() == "∂loss/∂s"
    assert backward.item(0, 1).text() == "∂loss/∂loss · local = 1 · (−2)"
