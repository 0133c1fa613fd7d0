"""Issue 24, accessibility: names and descriptions as a screen reader gets them (through
Qt's own QAccessible interfaces), keyboard-only use through every panel, and the canvas
described in words at every step."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QTabBar,
    QTextEdit,
    QWidget,
)

from tests.gui.test_i18n import _compiled_translation  # noqa: F401 - the .qm for Chinese

INTERACTIVE = (QAbstractButton, QComboBox, QAbstractSlider, QAbstractItemView, QLineEdit,
               QPlainTextEdit, QTextEdit, QAbstractSpinBox)


def _text(widget: QWidget, which) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None and interface.isValid()
    return interface.text(which)


def _interactive(window) -> list[QWidget]:
    """What a keyboard or a pointer can use: buttons, boxes, sliders, tables, text."""
    widgets = []
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) and widget is not window.canvas:
            continue
        if isinstance(widget, QScrollBar) or widget.focusPolicy() == Qt.FocusPolicy.NoFocus \
                and not isinstance(widget, QAbstractButton):
            continue  # scroll bars, and Qt's own parts (a header, a combo box's list)
        if isinstance(widget.parentWidget(), (QAbstractSpinBox, QComboBox, QTabBar)) \
                or widget.objectName().startswith("qt_"):
            continue  # the inside of a spin box or a combo box, Qt's own dock buttons
        if widget.window() is window and widget.isVisibleTo(window):
            widgets.append(widget)
    return widgets


def test_every_interactive_widget_has_an_accessible_name(window, qtbot):
    for dock in window.panel_docks:
        dock.show()
    unnamed = [f"{type(w).__name__} {w.objectName()}" for w in _interactive(window)
               if not _text(w, QAccessible.Text.Name).strip()]
    assert unnamed == []
    assert len(_interactive(window)) > 30


def test_widgets_whose_role_is_not_obvious_are_described(window, qtbot):
    for name, words in {"speedBox": "steps a second", "iterationTable": "One row per iteration",
                        "torchTable": "PyTorch", "graphCanvas": "Step 0 of 9",
                        "variablesTable": "double-click", "forwardTable": "click a row"}.items():
        widget = window.findChild(QWidget, name)
        assert _text(widget, QAccessible.Text.Name).strip(), name
        assert words in _text(widget, QAccessible.Text.Description), name
    assert _text(window.training_panel.table, QAccessible.Text.Name) == "Training iterations"
    assert _text(window.torch_panel.table, QAccessible.Text.Name) == \
        "Ours vs PyTorch vs finite differences"
    assert _text(window.canvas, QAccessible.Text.Name) == "Computational graph"


def test_the_canvas_description_is_the_current_step_and_follows_every_step(window, qtbot):
    canvas = window.canvas
    described = _text(canvas, QAccessible.Text.Description)
    assert described.startswith("Step 0 of 9 · start") and "Nothing is computed yet" in described
    canvas.setFocus()
    for position in range(1, 10):
        qtbot.keyClick(canvas, Qt.Key.Key_Right)
        described = _text(canvas, QAccessible.Text.Description)
        assert described.startswith(f"Step {position} of 9")
        assert window.model.current.equation in described
    assert "∂loss/∂w = ∂loss/∂y_hat · ∂y_hat/∂w = −2 · 1 = −2" in described
    window.set_language("zh")
    qtbot.waitUntil(lambda: not _text(canvas, QAccessible.Text.Description).startswith("Step"))
    assert "9" in _text(canvas, QAccessible.Text.Description)


def _tab_through(window, qtbot, key, count: int) -> list[QWidget]:
    reached = []
    for _ in range(count):
        focus = QApplication.focusWidget()
        reached.append(focus)
        qtbot.keyClick(focus, key)
    return reached


def test_tab_reaches_every_panel_in_reading_order_and_comes_back(window, qtbot):
    window.canvas.setFocus()
    qtbot.waitUntil(window.canvas.hasFocus)
    reached = _tab_through(window, qtbot, Qt.Key.Key_Tab, 60)
    panels = [("canvas", window.canvas), ("steps", window.step_bar),
              ("explanation", window.explanation), ("tables", window.tables),
              ("program", window.editor_panel), ("pytorch", window.torch_panel)]
    order = []
    for widget in reached:
        for name, panel in panels:
            if (widget is panel or panel.isAncestorOf(widget)) and name not in order:
                order.append(name)
    assert order == [name for name, _ in panels]
    assert reached.count(window.canvas) >= 2  # round the window and back to the graph
    # nothing keeps the focus: the Variables table lets go after its last cell
    table = window.editor_panel.table
    assert sum(1 for w in reached if w is table) <= 2 * table.rowCount() * table.columnCount()
    # Shift+Tab goes the same way back
    window.canvas.setFocus()
    back = _tab_through(window, qtbot, Qt.Key.Key_Backtab, 3)
    side = (window.torch_panel, window.training_panel, window.forward_panel)
    assert any(panel.isAncestorOf(back[1]) for panel in side)  # the last panel first
    assert not window.step_bar.isAncestorOf(back[1])


def test_tab_reaches_the_run_toolbar_between_the_tables_and_the_program(window, qtbot):
    from PySide6.QtWidgets import QSpinBox

    assert window.load_example("11-regression-autograd")
    selector = window.findChild(QSpinBox, "iterationSelector")
    qtbot.waitUntil(lambda: selector.isVisible() and selector.isEnabled(), timeout=60_000)
    window.canvas.setFocus()
    qtbot.waitUntil(window.canvas.hasFocus)
    reached = _tab_through(window, qtbot, Qt.Key.Key_Tab, 80)

    def first(test) -> int:
        return next(i for i, widget in enumerate(reached) if test(widget))

    tables = first(lambda w: window.tables.isAncestorOf(w))
    run = first(lambda w: w.objectName() == "runButton")
    iteration = first(lambda w: w is selector or selector.isAncestorOf(w))
    program = first(lambda w: window.editor_panel.isAncestorOf(w))
    assert tables < run < iteration < program
    assert _text(reached[iteration], QAccessible.Text.Name).strip()
    # Shift+Tab from the program goes back through the toolbar
    window.editor_panel.editor.setFocus()
    back = _tab_through(window, qtbot, Qt.Key.Key_Backtab, 2)
    # the lesson runs through the recorder and lands on its last pass, where "next
    # iteration" is off (Tab skips a disabled button) and the box is the last stop
    following = window.findChild(QWidget, "nextIterationOfLoopButton")
    assert back[1] is (following if following.isEnabled() else selector)


def test_every_panel_is_named_and_described_and_follows_the_language(window, qtbot):
    from PySide6.QtWidgets import QDockWidget

    assert window.load_example("10-conv-pool")  # the feature maps band under the graph
    qtbot.mouseClick(window.ninja_button, Qt.MouseButton.LeftButton)  # ninja mode's panel
    assert window.model.quiz.active
    docks = window.findChildren(QDockWidget)
    for dock in docks:
        dock.show()
    panels = [dock.widget() for dock in docks] + [
        window.findChild(QWidget, name)
        for name in ("runToolBar", "messageBar", "featureMaps", "ninjaView", "passLossPlot",
                     "lossPlot")]
    english = {}
    for panel in panels:
        name = _text(panel, QAccessible.Text.Name).strip()
        described = _text(panel, QAccessible.Text.Description).strip()
        assert name and len(described) > 20, (panel.objectName(), name, described)
        english[panel.objectName()] = described
    assert _text(window.step_bar, QAccessible.Text.Name) == "Step controls"
    assert "every number checked" in english["torchPanelScroll"]
    # in ninja mode its answer box and score table are named as well
    unnamed = [w.objectName() for w in _interactive(window)
               if not _text(w, QAccessible.Text.Name).strip()]
    assert unnamed == []
    window.set_language("zh")
    for panel in panels:
        qtbot.waitUntil(lambda p=panel: not _text(p, QAccessible.Text.Description).isascii(),
                        timeout=3000)
        assert _text(panel, QAccessible.Text.Description) != english[panel.objectName()]


def test_tab_reaches_the_plots_tab_after_the_side_panels(window, qtbot):
    window.plots_dock.show()  # (it appears once a run recorded passes or drew a figure)
    window.plots_dock.raise_()
    area = window.plots_panel.area
    qtbot.waitUntil(area.isVisible)
    window.canvas.setFocus()
    qtbot.waitUntil(window.canvas.hasFocus)
    reached = _tab_through(window, qtbot, Qt.Key.Key_Tab, 80)
    assert area in reached
    torch = next(i for i, w in enumerate(reached) if window.torch_panel.isAncestorOf(w))
    assert torch < reached.index(area)


def test_tab_goes_from_the_graph_to_the_feature_maps_sample_box(window, qtbot):
    from gui.state.model import Program
    from tests.gui.test_feature_maps import BATCH

    window.load_program(Program(BATCH, {}), 0, "batch")
    band = window.feature_maps
    window.canvas.setFocus()
    while not band.sample_box.isVisible():  # the first conv2d step shows the batch
        qtbot.keyClick(window.canvas, Qt.Key.Key_Right)
        assert window.model.position < window.model.length
    window.canvas.setFocus()
    qtbot.waitUntil(window.canvas.hasFocus)
    qtbot.keyClick(window.canvas, Qt.Key.Key_Tab)
    focus = QApplication.focusWidget()
    assert focus is band.sample_box or band.sample_box.isAncestorOf(focus)
    assert _text(band.sample_box, QAccessible.Text.Name) == "Sample shown"
    qtbot.keyClick(focus, Qt.Key.Key_Tab)  # then on to the step bar
    assert window.step_bar.isAncestorOf(QApplication.focusWidget())


def test_the_dialogs_widgets_are_named_too(window, qtbot):
    from gui.window.run_window import show_preferences

    window.shortcuts_action.trigger()
    window.show_program_help()
    show_preferences(window)
    dialogs = [w for w in QApplication.topLevelWidgets() if w is not window and w.isVisible()]
    assert {d.objectName() for d in dialogs} >= {"shortcutsDialog", "programHelpBox",
                                                 "preferencesDialog"}
    for dialog in dialogs:
        widgets = [w for w in dialog.findChildren(QWidget)
                   if isinstance(w, INTERACTIVE) and w.isVisibleTo(dialog)
                   and w.focusPolicy() != Qt.FocusPolicy.NoFocus
                   and not isinstance(w, QScrollBar) and not w.objectName().startswith("qt_")]
        assert widgets, dialog.objectName()
        unnamed = [f"{type(w).__name__} {w.objectName()}" for w in widgets
                   if not _text(w, QAccessible.Text.Name).strip()]
        assert unnamed == [], dialog.objectName()
        dialog.close()
    table = window._shortcut_dialog.findChild(QWidget, "shortcutsTable")
    assert "keys" in _text(table, QAccessible.Text.Description)
