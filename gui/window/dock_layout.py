"""The docks' default arrangement and sizes, and View → Reset Layout (issue 24).

The default sizes follow the window: on a wide window the Program editor (and the
Output pane under it) is wide enough for 60 columns; on a low one the explanation
takes less height. ``reset_layout`` puts every dock back where its ``DockSpec`` says,
shown or hidden as at the start, and sizes them again.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDockWidget

# columns of program text the editor shows on a wide window
EDITOR_COLUMNS = 60
# a window at least this wide gets the 60-column editor
WIDE_WINDOW = 1500
# what a dock adds around the editor's text: frame, margins, scroll bar, dock border
EDITOR_CHROME = 56
NARROW_EDITOR, TORCH_WIDTH, WIDE_TORCH = 270, 350, 350
#: below WIDE_WINDOW the two side docks take at most this share of the window's width
#: together: the graph keeps the other half (issue 24: on a 960×540 screen it had 27 %)
SIDE_SHARE = 0.5


def editor_width(window) -> int:
    """The Program dock's default width for the window's width now."""
    editor = window.editor_panel.editor
    columns = editor.fontMetrics().horizontalAdvance("0" * EDITOR_COLUMNS)
    wide = columns + 2 * int(editor.document().documentMargin()) + EDITOR_CHROME
    if window.width() >= WIDE_WINDOW:
        return wide
    return max(NARROW_EDITOR, min(wide, window.width() // 4))


def apply_default_sizes(window) -> None:
    """Widths of the side docks and heights of the bottom ones, for this window size."""
    width, height = window.width(), window.height()
    side = [window.editor_dock, window.torch_dock]
    sizes = [editor_width(window), WIDE_TORCH if width >= WIDE_WINDOW else TORCH_WIDTH]
    if width < WIDE_WINDOW and sum(sizes) > SIDE_SHARE * width:
        sizes = [int(size * SIDE_SHARE * width / sum(sizes)) for size in sizes]
    window.resizeDocks(side, sizes, Qt.Orientation.Horizontal)
    halves = max(200, (width - 16) // 2)
    window.resizeDocks([window.explanation_dock, window.tables_dock], [halves, halves],
                       Qt.Orientation.Horizontal)
    bottom = 200 if height >= 800 else max(120, height // 5)
    window.resizeDocks([window.explanation_dock], [bottom], Qt.Orientation.Vertical)


def reset_layout(window) -> None:
    """Every dock back in its default place, tab and size; floating ones docked again."""
    if window.presentation:
        window.set_presentation(False)
    docks = {dock.objectName(): dock for dock in window.findChildren(QDockWidget)}
    specs = [panel.DOCK for panel in window.panels]
    showing_output = window.output_dock.isVisible()
    for dock in docks.values():
        dock.setFloating(False)
        window.removeDockWidget(dock)
    for spec in specs:
        window.addDockWidget(spec.area, docks[spec.name])
    for spec in specs:
        window._place(spec, docks)
    for spec in specs:
        docks[spec.name].setVisible(not spec.hidden)
    # the output shows with a script, the quiz while quizzing: as they were
    window.output_dock.setVisible(showing_output)
    window.quiz_dock.setVisible(window.model.quiz.active)
    window.torch_dock.raise_()
    apply_default_sizes(window)


def add_action(window, menu) -> None:
    window.reset_layout_action = window._action(
        lambda: QCoreApplication.translate("MainWindow", "Reset Layout"),
        lambda: reset_layout(window), (), "resetLayoutAction")
    menu.addAction(window.reset_layout_action)


# in presentation mode the explanation takes between these shares of the screen's height
PRESENTED_SHARE = (0.22, 0.42)


def fit_explanation(window) -> None:
    """Presentation mode: the explanation as tall as its text at the larger font (the
    why-line included), within PRESENTED_SHARE of the window's height."""
    view = window.explanation
    if not window.presentation or not view.isVisible():
        return
    document = view.document()
    document.setTextWidth(view.viewport().width())
    chrome = view.height() - view.viewport().height()
    title = window.explanation_dock.height() - view.height()
    needed = int(document.size().height()) + chrome + title + 4
    low, high = (int(window.height() * share) for share in PRESENTED_SHARE)
    window.resizeDocks([window.explanation_dock], [min(max(needed, low), high)],
                       Qt.Orientation.Vertical)



# the bottom docks never keep more than this share of a window made lower
BOTTOM_SHARE = 0.16


def keep_canvas_room(window) -> None:
    """After the window got lower (a 720-pixel projector): the explanation and tables
    give back height beyond BOTTOM_SHARE of it, so the graph keeps its room. Only
    shrinks; presentation mode sizes the explanation itself."""
    dock = window.explanation_dock
    if window.presentation or dock.isFloating() or not dock.isVisible():
        return
    most = max(110, int(window.height() * BOTTOM_SHARE))
    if dock.height() > most:
        window.resizeDocks([dock], [most], Qt.Orientation.Vertical)
