"""The window fits the screens people have (issue 24, items 4 and 10): a 960×540
minimum with a toolbar, a step bar in two rows when narrow, docks that scroll rather
than hold the window tall, View → Reset Layout, and a 60-column editor on a wide window.

Only a real X server shows the window manager's part: tools/xvfb_smoke.py (in .ci/run).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolBar, QToolButton

from gui.state.model import Program
from gui.window import dock_layout

SMALLEST = (960, 540)


def _settle(qtbot, window):
    qtbot.wait(60)
    window.layout().activate()


def _run_toolbar(window) -> QToolBar:
    """What the recorder issue adds: a toolbar with Run and Stop."""
    bar = QToolBar("Run", window, objectName="runToolbar")
    for name in ("runButton", "stopButton"):
        button = QToolButton(objectName=name, text=name[:-6].title())
        bar.addWidget(button)
    window.addToolBar(bar)
    return bar


def test_the_minimum_size_leaves_room_for_a_run_toolbar(window, qtbot):
    before = window.minimumSizeHint()
    _run_toolbar(window)
    window.model.set_learning_rate(0.1)  # the Update phase's button shows too
    _settle(qtbot, window)
    least = window.minimumSizeHint().expandedTo(window.minimumSize())
    assert least.width() <= SMALLEST[0] and least.height() <= SMALLEST[1], (before, least)
    window.resize(*SMALLEST)
    _settle(qtbot, window)
    assert (window.width(), window.height()) == SMALLEST


def test_the_minimum_size_holds_in_chinese(window, qtbot):
    window.set_language("zh")
    _settle(qtbot, window)
    least = window.minimumSizeHint()
    assert least.width() <= SMALLEST[0] and least.height() <= SMALLEST[1]


def test_the_step_bar_takes_two_rows_only_when_narrow(window, qtbot):
    bar = window.step_bar
    window.resize(1920, 1000)
    _settle(qtbot, window)
    assert not bar.two_rows()
    one_row = bar.height()
    window.resize(*SMALLEST)
    _settle(qtbot, window)
    assert bar.two_rows()
    assert bar.slider.geometry().top() >= bar.phase_buttons["forward"].geometry().bottom()
    assert bar.label.geometry().right() <= bar.width()  # "step 9 of 9 · …" is not cut
    assert bar.label.width() >= bar.label.sizeHint().width()
    window.resize(1920, 1000)
    _settle(qtbot, window)
    assert not bar.two_rows()
    assert bar.height() == one_row  # the dock gives the second row's height back
    # the quiz and forward-mode buttons: after the bar's own, first in the second row
    assert window.quiz_button.parentWidget() is bar
    assert bar.extras.indexOf(window.quiz_button) >= 0
    window.resize(*SMALLEST)
    _settle(qtbot, window)
    quiz = window.quiz_button.geometry()
    assert quiz.top() >= bar.phase_buttons["forward"].geometry().bottom()
    assert quiz.right() <= bar.slider.geometry().left()


def test_a_tall_panel_scrolls_in_its_dock_instead_of_holding_the_window(window, qtbot):
    window.resize(*SMALLEST)
    _settle(qtbot, window)
    panel = window.training_panel
    assert window.training_dock.height() < panel.minimumSizeHint().height() or \
        window.torch_dock.height() < window.torch_panel.minimumSizeHint().height()
    assert panel.plot.height() >= panel.plot.minimumHeight()  # scrolled, not squeezed


def test_reset_layout_brings_the_docks_back(window, qtbot):
    window.resize(1400, 900)
    _settle(qtbot, window)
    A = Qt.DockWidgetArea
    window.editor_dock.setFloating(True)
    window.tables_dock.hide()
    window.removeDockWidget(window.torch_dock)
    window.addDockWidget(A.LeftDockWidgetArea, window.torch_dock)
    window.torch_dock.show()
    window.resizeDocks([window.explanation_dock], [400], Qt.Orientation.Vertical)
    _settle(qtbot, window)
    window.reset_layout_action.trigger()
    _settle(qtbot, window)
    for panel in window.panels:
        spec = panel.DOCK
        dock = getattr(window, spec.attribute)
        assert not dock.isFloating(), spec.name
        assert window.dockWidgetArea(dock) == spec.area, spec.name
        assert dock.isVisible() == (not spec.hidden), spec.name
    assert window.forward_dock in window.tabifiedDockWidgets(window.torch_dock)
    assert window.training_dock in window.tabifiedDockWidgets(window.torch_dock)
    assert not window.torch_dock.visibleRegion().isEmpty()  # PyTorch's tab in front
    assert window.explanation_dock.height() <= 230
    assert window.editor_dock.width() >= dock_layout.NARROW_EDITOR - 2
    assert "Reset Layout" in [a.text() for a in _view_menu(window).actions()]


def _view_menu(window):
    return next(a.menu() for a in window.menuBar().actions()
                if a.menu() is not None and "View" in a.text())


def test_reset_layout_keeps_a_scripts_output_pane(window, qtbot):
    from core.io.examples import LESSON_TEXT, lesson_bindings

    window.load_program(Program(LESSON_TEXT, lesson_bindings()), 0, "")
    window.reset_layout_action.trigger()
    assert not window.output_dock.isVisible()  # no script: no output pane


def _columns(editor) -> float:
    return editor.viewport().width() / editor.fontMetrics().horizontalAdvance("0")


def test_a_wide_window_gives_the_editor_and_output_sixty_columns(window, qtbot):
    from core.language.reading import read_program
    from gui.window.lessons import find_example

    window.resize(1728, 972)  # a first launch on 1920×1080: 90% of it
    _settle(qtbot, window)
    dock_layout.apply_default_sizes(window)
    _settle(qtbot, window)
    editor = window.editor_panel.editor
    assert _columns(editor) >= 60
    assert window.canvas.width() >= 700  # the graph keeps most of the window
    text = read_program(find_example("18-nn-module-class"))
    assert max(len(line) for line in text.splitlines()) > 60
    editor.setPlainText(text)
    window.output_panel.text.setPlainText(text)
    window.output_dock.show()
    _settle(qtbot, window)
    # the lessons' long lines wrap: no horizontal scroll bar in either
    assert editor.horizontalScrollBar().maximum() == 0
    assert window.output_panel.text.horizontalScrollBar().maximum() == 0
    assert _columns(window.output_panel.text) >= 60


def test_a_projector_shows_eight_lines_of_pytorch_code(window, qtbot):
    window.resize(1152, 648)  # a first launch on 1280×720
    dock_layout.apply_default_sizes(window)
    _settle(qtbot, window)
    code = window.torch_panel.code
    lines = code.viewport().height() / code.fontMetrics().lineSpacing()
    assert lines >= 8


def test_a_small_screen_leaves_the_graph_half_the_window(window, qtbot):
    # a first launch on a 960×540 screen (1920×1080 at 200 %) and on a 1280×720 projector:
    # the side docks had 620 pixels of 864 and the graph 27 % of the width
    for size in ((864, 486), (1152, 648)):
        window.resize(*size)
        _settle(qtbot, window)
        dock_layout.apply_default_sizes(window)
        _settle(qtbot, window)
        assert window.canvas.width() >= 0.45 * window.width(), (size, window.canvas.width())
        assert window.editor_dock.isVisible() and window.torch_dock.isVisible()
        assert window.editor_dock.width() >= 150 and window.torch_dock.width() >= 200
