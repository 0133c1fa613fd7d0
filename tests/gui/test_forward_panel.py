"""Forward mode in the window (issue 14): the walk, Why backwards, What if, both languages."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QLabel,
    QListWidget,
    QSlider,
    QTableWidget,
    QToolButton,
)

from core.base.format import format_value
from tests.gui.test_i18n import _compiled_translation  # noqa: F401 - the .qm for Chinese


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
    assert panel.mode_button.text() == "Switch to reverse mode"  # what a click does
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
    assert window.forward_panel.mode_button.text() == "Switch to forward mode"


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
    assert panel.mode_button.text() == "切换到反向模式"
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


# ---- the canvas: tangent labels (kind "tangent"), step by step ------------------------


def settle(window, qtbot) -> None:
    qtbot.waitUntil(lambda: not window.canvas._draw_pending)


def tangent_texts(window) -> dict[str, str]:
    """name → the tangent label the canvas draws now (label_boxes, kind "tangent")."""
    canvas, graph = window.canvas, window.model.trace.graph
    shown = canvas.tangent_labels()
    drawn = {e["text"] for e in canvas.label_boxes() if e["kind"] == "tangent"}
    assert set(shown.values()) <= drawn | {""}
    return {graph.nodes[v].name: text for v, text in shown.items()}


def number(label: str) -> float:
    """The tangent a label ends with: "(−2) · 1 = −2" → −2."""
    return float(label.rsplit("=", 1)[-1].strip().replace("−", "-"))


def test_the_canvas_draws_each_tangent_as_the_walk_reaches_it(window, qtbot):
    window.model.end()
    assert tangent_texts(window) == {}  # reverse mode: none
    panel = turn_on(window, qtbot)
    settle(window, qtbot)
    texts = tangent_texts(window)
    # by hand: ŷ = w·x → ∂ŷ/∂w = x = 1; s = ŷ − y → ∂s/∂w = 1; loss = s² → 2s · 1 = −2
    assert {name: number(t) for name, t in texts.items()} == {
        "w": 1.0, "y_hat": 1.0, "s": 1.0, "loss": -2.0}
    assert texts["loss"] == "(−2) · 1 = −2" and texts["y_hat"] == "1 · 1 = 1"
    boxes = window.canvas.label_boxes()
    assert {b["kind"] for b in boxes} >= {"tangent", "value", "gradient", "local"}
    # the walk from its start: the seed's tangent only, framed; then one node at a time
    steps = window.findChild(QListWidget, "forwardSteps")
    qtbot.mouseClick(steps.viewport(), Qt.MouseButton.LeftButton,
                     pos=steps.visualItemRect(steps.item(0)).center())
    settle(window, qtbot)
    assert tangent_texts(window) == {"w": "1"}
    w = window.model.trace.graph.names["w"]
    assert window.canvas.highlighted() == ("node", w)
    rect = window.canvas.current_rect()
    label = next(b["rect"] for b in window.canvas.label_boxes() if b["kind"] == "tangent")
    assert rect[0] <= label[0] and label[0] + label[2] <= rect[0] + rect[2] + 0.5
    seen = [len(tangent_texts(window))]
    for _ in range(steps.count() - 1):
        qtbot.keyClick(steps, Qt.Key.Key_Down)
        seen.append(len(tangent_texts(window)))
    assert seen == [1, 1, 2, 2, 3, 3, 4]  # a value step, then its tangent
    assert window.canvas.highlighted() == ("node", window.model.trace.graph.output)
    # Reverse: they go, and the highlight is the reverse walk's again
    panel.mode_action.setChecked(False)
    settle(window, qtbot)
    assert tangent_texts(window) == {}
    assert not [b for b in window.canvas.label_boxes() if b["kind"] == "tangent"]


def test_hovering_a_tangent_shows_the_whole_sum(window, qtbot):
    turn_on(window, qtbot)
    settle(window, qtbot)
    canvas = window.canvas
    box = next(b for b in canvas.label_boxes() if b["kind"] == "tangent"
               and b["text"].endswith("−2"))
    x, y, w, h = box["rect"]
    qtbot.mouseMove(canvas, pos=QPoint(round(x + w / 2), round(y + h / 2)))
    qtbot.waitUntil(lambda: canvas.toolTip() != "")
    assert canvas.toolTip() == "∂loss/∂w = local ∂loss/∂s · ∂s/∂w = (−2) · 1 = -2.0"


def test_a_tensor_tangent_is_short_on_the_canvas_and_whole_on_hover(window, qtbot):
    from gui.support.resources import example_files

    window.load_example(next(p for p in example_files() if p.stem == "09-one-layer"))
    panel = turn_on(window, qtbot)
    window.findChild(QComboBox, "forwardWrt").setCurrentText("W")
    settle(window, qtbot)
    graph = window.model.trace.graph
    texts = tangent_texts(window)
    # W is 3×2: its seed is ones_like(W), shown by its shape and first entries
    assert texts["W"] == "3×2 [1, 1, 1, …]"
    tip = window.canvas.tangent_tooltip(graph.names["W"])
    assert tip == "∂W/∂W =\n3×2\n[1.0, 1.0]\n[1.0, 1.0]\n[1.0, 1.0]"
    # ∂(X @ W)/∂W · ones = X @ ones: each row's sum, by hand from the example's X
    x = np.asarray(graph.nodes[graph.names["X"]].value)
    node = next(n for n in graph.nodes if n.kind == "operation" and n.op == "matmul")
    assert np.allclose(panel.steps[[s.node for s in panel.steps].index(node.id) + 1].value,
                       x @ np.ones((3, 2)))


# ---- What if: a drag on the canvas, a slider in the Variables table -------------------


def lesson_numbers(window) -> tuple[str | None, str | None]:
    graph = window.model.trace.graph
    labels = window.canvas.node_labels(graph.output)
    return labels["value"], window.canvas.node_labels(graph.names["w"])["gradient"]


def test_dragging_w_on_the_canvas_moves_every_number_live_then_is_one_undo(window, qtbot):
    from gui.canvas.events import WHATIF_PER_PIXEL

    window.model.end()
    turn_on(window, qtbot)
    settle(window, qtbot)
    canvas, model = window.canvas, window.model
    assert lesson_numbers(window) == ("1", "−2")
    undo = model.undo_stack.count()
    w = model.trace.graph.names["w"]
    start = canvas.node_widget_pos(w)
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    for dx in (10, 30, 50):  # 50 px: w = 1 + 50 · 0.01 = 1.5
        qtbot.mouseMove(canvas, pos=start + QPoint(dx, 0))
    w_now = 1 + 50 * WHATIF_PER_PIXEL
    # by hand: loss = (w − 2)² = 0.25, ∂loss/∂w = 2 (w − 2) = −1, tangent the same
    assert lesson_numbers(window) == ("0.25", "−1")
    assert tangent_texts(window)["loss"].endswith("= −1")
    # the lesson tables follow: the last row is ∂loss/∂w, the first the forward ŷ = w·x
    assert window.tables.row_texts(model.length)[2] == "−1"
    assert window.tables.row_texts(1)[2] == "1.5"
    assert model.undo_stack.count() == undo  # the live moves are not pushed
    assert float(model.trace.graph.nodes[w].value) == 1.0
    table = window.findChild(QTableWidget, "variablesTable")
    assert table.item(0, 0).text() == "w" and table.item(0, 2).text() == "1.5"
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=start + QPoint(50, 0))
    assert model.undo_stack.count() == undo + 1
    assert float(model.trace.graph.nodes[model.trace.graph.names["w"]].value) == w_now
    settle(window, qtbot)
    assert lesson_numbers(window) == ("0.25", "−1")
    model.undo_stack.undo()
    settle(window, qtbot)
    assert lesson_numbers(window) == ("1", "−2")


def test_escape_or_the_right_button_cancels_a_drag(window, qtbot):
    window.model.end()
    settle(window, qtbot)
    canvas, model = window.canvas, window.model
    undo = model.undo_stack.count()
    start = canvas.node_widget_pos(model.trace.graph.names["w"])
    for cancel in ("escape", "right"):
        qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
        qtbot.mouseMove(canvas, pos=start + QPoint(-20, 0))
        qtbot.mouseMove(canvas, pos=start + QPoint(-100, 0))  # w = 0: loss 4
        assert lesson_numbers(window)[0] == "4"
        if cancel == "escape":
            qtbot.keyClick(canvas, Qt.Key.Key_Escape)
        else:
            qtbot.mousePress(canvas, Qt.MouseButton.RightButton, pos=start + QPoint(-100, 0))
            qtbot.mouseRelease(canvas, Qt.MouseButton.RightButton, pos=start + QPoint(-100, 0))
        qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=start + QPoint(-100, 0))
        assert lesson_numbers(window) == ("1", "−2"), cancel
        assert window.tables.row_texts(model.length)[2] == "−2"
        assert model.undo_stack.count() == undo
        assert float(model.trace.graph.nodes[model.trace.graph.names["w"]].value) == 1.0


def test_the_variables_table_slider_by_keys(window, qtbot):
    window.model.end()
    panel = turn_on(window, qtbot)
    settle(window, qtbot)
    model = window.model
    undo = model.undo_stack.count()
    table = window.findChild(QTableWidget, "variablesTable")
    table.setFocus()
    table.setCurrentCell(0, 2)  # w
    qtbot.keyClick(table, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    slider = table.cellWidget(0, 2)
    assert isinstance(slider, QSlider) and slider.objectName() == "variablesWhatIfSlider"
    assert slider.hasFocus()
    for _ in range(5):  # range 1 ± 2 over 200 steps, a page is 5 (0.1): 5 pages = +0.5
        qtbot.keyClick(slider, Qt.Key.Key_PageUp)
    assert lesson_numbers(window) == ("0.25", "−1")
    cells = window.findChild(QTableWidget, "whatIfTable")
    values = {cells.item(r, 0).text(): cells.item(r, 1).text() for r in range(cells.rowCount())}
    assert values["w"] == "1.5" and values["loss"] == "0.25"
    assert model.undo_stack.count() == undo
    qtbot.keyClick(slider, Qt.Key.Key_Escape)  # nothing kept
    assert table.cellWidget(0, 2) is None
    assert lesson_numbers(window) == ("1", "−2") and model.undo_stack.count() == undo
    qtbot.keyClick(table, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    slider = table.cellWidget(0, 2)
    for _ in range(3):
        qtbot.keyClick(slider, Qt.Key.Key_PageDown)  # w = 1 − 0.3 = 0.7
    qtbot.keyClick(slider, Qt.Key.Key_Return)
    assert model.undo_stack.count() == undo + 1
    assert float(model.trace.graph.nodes[model.trace.graph.names["w"]].value) == 0.7
    assert table.item(0, 2).text() == "0.7"
    settle(window, qtbot)
    assert lesson_numbers(window)[0] == "1.69"  # (0.7 − 2)²
    assert panel.forward_mode


def test_tangents_are_in_the_theme_colour_light_and_dark_and_reverse_keeps_the_zoom(
        window, qtbot):
    from matplotlib.colors import to_hex

    from gui.canvas.scene import _TANGENT
    from gui.support.theme import CANVAS_DARK, CANVAS_LIGHT, TANGENT

    turn_on(window, qtbot)
    settle(window, qtbot)
    canvas = window.canvas
    loss = window.model.trace.graph.output
    assert to_hex(canvas.labels.dynamic_text((_TANGENT, loss)).get_color()) == TANGENT.lower()
    assert CANVAS_LIGHT["tangent"] == TANGENT
    window.set_dark(True)
    settle(window, qtbot)
    assert to_hex(canvas.labels.dynamic_text((_TANGENT, loss)).get_color()) \
        == CANVAS_DARK["tangent"].lower() != TANGENT.lower()
    window.set_dark(False)
    window.forward_panel.mode_action.setChecked(False)
    canvas.zoom(1 / 1.5)  # zoomed out: the new graph fits the view, which stays
    view = canvas.ax.get_xlim()
    assert window.model.edit_value("x", "2")  # a new trace in reverse mode: no refit
    settle(window, qtbot)
    assert canvas.ax.get_xlim() == view


def test_the_labels_an_edge_cuts_follow_the_tangents_placed_again(window, qtbot):
    """Another "with respect to" places as many tangent labels elsewhere in the same
    scene: the edges' cut is read from their new places (canvas inspect.py)."""
    from gui.canvas.scene import _TANGENT
    from gui.canvas.strip_edge import drawn_place

    panel = turn_on(window, qtbot)
    settle(window, qtbot)
    canvas = window.canvas
    canvas.cut_labels()  # the places for w, noted
    before = {k: v for k, v in canvas.scene.label_pos.items() if k[0] == _TANGENT}
    window.findChild(QComboBox, "forwardWrt").setCurrentText("x")
    assert panel.steps[0].target == "∂x/∂x"
    settle(window, qtbot)
    after = {k: v for k, v in canvas.scene.label_pos.items() if k[0] == _TANGENT}
    assert len(after) == len(before) and after != before  # (what the test is about)
    canvas.cut_labels()
    keys, low, high = canvas.inspector.places
    for key, place in after.items():
        i = keys.index(key)
        cx, cy, w, h = drawn_place(place)
        assert (low[i] == (cx - w / 2, cy - h / 2)).all() and \
            (high[i] == (cx + w / 2, cy + h / 2)).all(), key


def test_a_bigger_text_size_keeps_the_what_if_numbers_on_the_canvas(window, qtbot):
    """The What-if slider moved, then Ctrl+Shift+=: the canvas is laid out again for the
    bigger text and still shows the What-if's loss and tangents, as the panel does."""
    panel = turn_on(window, qtbot)
    panel.tabs.setCurrentIndex(1)
    slider = window.findChild(QSlider, "whatIfSlider")
    slider.setFocus()
    qtbot.keyClick(slider, Qt.Key.Key_PageUp)
    w = panel.value_at(slider.value())
    canvas = window.canvas
    whatif = dict(canvas.scene.label_texts)
    assert format_value(np.float64((w - 2) ** 2)) in whatif.values()  # the loss, by hand
    scale = canvas.text_scale
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert canvas.text_scale > scale and not canvas.rescaler.pending
    assert canvas.scene.label_texts == whatif


def test_the_explanation_and_tables_follow_a_what_if_as_the_learner_steps(window, qtbot):
    """The What-if slider at w = 1.5: the canvas, the lesson tables and the Explanation
    all show its numbers (by hand: ∂loss/∂w = 2 (w − 2) = −1), at the step shown and at
    the steps taken after; switching tabs puts the program's own back everywhere. The
    Explanation kept the program's numbers (a review saw 0.1966 beside the canvas's
    0.1587 on example 05)."""
    panel = turn_on(window, qtbot)
    panel.tabs.setCurrentIndex(1)
    model, explanation = window.model, window.explanation
    model.goto(model.length - 1)
    panel.set_whatif(1.5, "w")
    assert lesson_numbers(window)[0] == "0.25"
    text = explanation.toPlainText()  # ∂loss/∂ŷ = (∂loss/∂s = 2 s = −1) · 1
    assert "= −1 · 1 = −1" in text and "−2" not in text
    qtbot.keyClick(window.canvas, Qt.Key.Key_Right)  # the last step: ∂loss/∂w
    assert model.position == model.length
    assert lesson_numbers(window) == ("0.25", "−1")
    assert window.tables.row_texts(model.length)[2] == "−1"
    table, row = window.tables._rows[model.length]
    assert table.item(row, 2).toolTip() == "-1.0"  # the whole number on hover, the What-if's
    text = explanation.toPlainText()
    assert "= −1" in text and "−2" not in text
    qtbot.keyClick(window.canvas, Qt.Key.Key_Home)  # position 0: the inputs listed
    assert "w = 1.5" in explanation.toPlainText()
    qtbot.keyClick(window.canvas, Qt.Key.Key_End)
    panel.tabs.setCurrentIndex(0)  # the What-if is over
    assert lesson_numbers(window) == ("1", "−2")
    assert window.tables.row_texts(model.length)[2] == "−2"
    assert "= −2" in explanation.toPlainText()


def test_a_new_language_keeps_the_what_if_in_the_lesson_tables(window, qtbot):
    """The tables are made again for a new language: they dropped the What-if's numbers
    while the canvas and the Explanation kept them."""
    panel = turn_on(window, qtbot)
    panel.tabs.setCurrentIndex(1)
    model = window.model
    model.end()
    panel.set_whatif(1.5, "w")
    assert window.tables.row_texts(model.length)[2] == "−1"
    window.set_language("zh")
    qtbot.waitUntil(lambda: panel.windowTitle() == "为什么要反向")
    assert window.tables.row_texts(model.length)[2] == "−1"
    assert lesson_numbers(window) == ("0.25", "−1")


def test_a_what_ifs_wider_numbers_are_not_cut_in_the_tables(window, qtbot):
    """Columns were fitted to the program's own numbers as the learner stepped on: a
    What-if's wider ones were cut (example 05 at w0 = −123.456789: "1.204e−55" in 54 px);
    the rows in view are fitted, as they are without a What-if."""
    from gui.panels.table_cells import cell_width
    from gui.support.resources import resource

    assert window.load_example(resource("examples", "05-cs231n-sigmoid-neuron.json"))
    panel = turn_on(window, qtbot)
    panel.tabs.setCurrentIndex(1)
    model = window.model
    model.reset()
    panel.set_whatif(-123.456789, panel.seed().wrt)
    cut = []
    for _ in range(model.length):
        qtbot.keyClick(window.canvas, Qt.Key.Key_Right)
        table = window.tables.currentWidget()
        top, bottom = table.rowAt(0), table.rowAt(table.viewport().height() - 1)
        for row in range(max(top, 0), table.rowCount() if bottom < 0 else bottom + 1):
            for column in (0, 2):
                item = table.item(row, column)
                if item is not None and item.text() and cell_width(
                        table, item.text(), item.font()) > table.columnWidth(column) + 1:
                    cut.append((model.position, item.text(), table.columnWidth(column)))
    assert not cut


def test_a_quiz_asks_about_the_numbers_the_window_shows(window, qtbot):
    """Quiz mode with a What-if: the graph, the tables and the Explanation showed the
    What-if's numbers while the quiz took the program's own as the answer. The quiz
    keeps them to the program's own; the What-if panel keeps its own numbers."""
    panel = turn_on(window, qtbot)
    panel.tabs.setCurrentIndex(1)
    model = window.model
    model.end()
    panel.set_whatif(1.5, "w")
    assert lesson_numbers(window) == ("0.25", "−1")
    window.quiz_panel.toggle_action.trigger()
    assert model.quiz.active
    assert lesson_numbers(window) == ("1", "−2")  # the program's own again
    assert window.tables.row_texts(model.length)[2] == "−2"
    panel.set_whatif(1.6, "w")  # a move during the quiz: the graph keeps them
    assert lesson_numbers(window) == ("1", "−2")
    assert window.findChild(QLabel, "whatIfValue").text().startswith("What if w = 1.6")
