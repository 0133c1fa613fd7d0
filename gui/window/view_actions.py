"""The graph's View menu entries, presentation mode and the first launch's window size.

Kept apart from gui/window/main_window.py: the window calls :func:`install` once and
:func:`set_presentation` from its own method; :func:`fit_to_screen` is for the
interactive launch only (``MainWindow()``, ``--screenshot`` and tests keep their sizes).
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, QTimer
from PySide6.QtGui import QGuiApplication

from gui.window import dock_layout

#: the steps of View → Text size (1 = normal); presentation mode multiplies by 1.5
TEXT_SIZES = (0.8, 0.9, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0, 2.5)
PRESENTATION_TEXT = 1.5
PRESENTATION_EXPLANATION = "QTextBrowser#explanationView { font-size: 16pt; }"
#: a first launch takes at most this share of the screen's available area (each way)
SCREEN_SHARE = 0.9


def install(window) -> None:
    """Whole graph, Follow the current step, Text size: actions, menu entries, settings."""
    canvas = window.canvas
    window.text_size = 1.0
    window.whole_action = window._action(
        lambda: QCoreApplication.translate("MainWindow", "Whole Graph"), canvas.whole_view,
        ("Shift+F",), "wholeGraphAction")
    window.follow_action = window._action(
        lambda: QCoreApplication.translate("MainWindow", "Follow the Current Step"),
        lambda on: set_following(window, on), (), "followAction", checkable=True)
    window.follow_action.setChecked(True)
    window.text_larger_action = window._action(
        lambda: QCoreApplication.translate("MainWindow", "Larger Graph Text"),
        lambda: step_text_size(window, +1), ("Ctrl+Shift+=", "Ctrl+Shift++"),
        "textLargerAction")
    window.text_smaller_action = window._action(
        lambda: QCoreApplication.translate("MainWindow", "Smaller Graph Text"),
        lambda: step_text_size(window, -1), ("Ctrl+Shift+-", "Ctrl+Shift+_"),
        "textSmallerAction")
    # presentation mode hides the menu bar: F10 brings it back for a moment (issue 24)
    window.menus_action = window._action(
        lambda: QCoreApplication.translate("MainWindow", "Show the Menus (Presentation Mode)"),
        lambda: show_menus(window), ("F10",), "showMenusAction")
    window.model.playingChanged.connect(lambda on: setattr(canvas, "instant_pans", bool(on)))
    # the presentation's step counter is drawn under the graph: blitted again per step
    window.model.stepChanged.connect(lambda _=0: canvas.show_counter())


def add_to_menu(window, view_menu) -> None:
    view_menu.addActions([window.whole_action, window.follow_action])
    view_menu.addActions([window.text_larger_action, window.text_smaller_action])
    view_menu.addSeparator()
    dock_layout.add_action(window, view_menu)  # View → Reset Layout


def set_following(window, on: bool) -> None:
    window.canvas.following = bool(on)
    if on:
        window.canvas.follow()
    if window.settings is not None:
        window.settings.setValue("followStep", bool(on))


def set_text_size(window, size: float) -> None:
    """Graph text size (saved in the settings); presentation mode adds its 1.5×."""
    window.text_size = min(max(float(size), TEXT_SIZES[0]), TEXT_SIZES[-1])
    factor = PRESENTATION_TEXT if window.presentation else 1.0
    window.canvas.set_text_scale(window.text_size * factor)
    if window.settings is not None:
        window.settings.setValue("graphTextSize", window.text_size)


def step_text_size(window, direction: int) -> None:
    sizes = TEXT_SIZES
    now = window.text_size
    if direction > 0:
        bigger = [s for s in sizes if s > now + 1e-9]
        set_text_size(window, bigger[0] if bigger else sizes[-1])
    else:
        smaller = [s for s in sizes if s < now - 1e-9]
        set_text_size(window, smaller[-1] if smaller else sizes[0])


def restore(window, settings: QSettings) -> None:
    """Text size and following, as saved."""
    try:
        size = float(settings.value("graphTextSize", 1.0))
    except (TypeError, ValueError):
        size = 1.0
    if abs(size - 1.0) > 1e-9:
        set_text_size(window, size)
    follow = str(settings.value("followStep", "true")).lower() != "false"
    window.follow_action.setChecked(follow)


def show_menus(window) -> None:
    """In presentation mode: show or hide the menu bar (F10); elsewhere it is shown."""
    if window.presentation:
        bar = window.menuBar()
        bar.setVisible(not bar.isVisible())


def caption(window) -> str:
    """The presentation's caption under the graph: the step, and the mode if forward."""
    note = window.explanation.heading_note()
    return window.step_bar.label.text() + (f" · {note}" if note else "")


def presentation_hint() -> str:
    return QCoreApplication.translate(
        "MainWindow", "Presentation mode: Esc or F11 leaves it; F10 shows the menus.")


def set_presentation(window, on: bool) -> None:
    """Graph and explanation only, graph text 1.5× larger, full screen; leaving it puts
    back exactly the window there was: docks and tabs, title bar, geometry."""
    if on:
        window._normal_state = window.saveState()
        window._normal_geometry = (window.geometry(), window.isMaximized())
        window._normal_visible = {d.objectName(): d.isVisible() for d in window.panel_docks}
        for dock in window.panel_docks:
            if dock is not window.explanation_dock:
                dock.hide()
        window.explanation_dock.show()
        window.menuBar().setVisible(False)
        window.run_bar.hide()  # a toolbar: restoreState shows it again on leaving
        window.showFullScreen()
        window.statusBar().showMessage(presentation_hint(), 10000)
    else:
        window.statusBar().clearMessage()
        window.menuBar().setVisible(True)
        window.showNormal()
        geometry = getattr(window, "_normal_geometry", None)
        if geometry is not None:  # setGeometry, not restoreGeometry: that one would clamp
            rect, maximized = geometry
            if maximized:
                window.showMaximized()
            else:
                window.setGeometry(rect)
        state = getattr(window, "_normal_state", None)
        if isinstance(state, QByteArray):
            window.restoreState(state)  # docks, their sizes and which tab is in front
            # again once the normal size has been laid out: dock sizes are kept in it
            QTimer.singleShot(40, window, lambda: window.restoreState(state))
        for dock in window.panel_docks:
            visible = getattr(window, "_normal_visible", {}).get(dock.objectName())
            if visible is not None:
                dock.setVisible(visible)
    window.canvas.least_zoom = 1.0 if on else 0.0
    # only the explanation's own text grows: a window-wide font change would leave the
    # docks' sizes changed after leaving (restoreState cannot undo new minimum sizes)
    window.explanation.setStyleSheet(PRESENTATION_EXPLANATION if on else "")
    window.canvas.counter = (lambda: caption(window)) if on else None
    set_text_size(window, window.text_size)
    if on:  # the explanation tall enough for its why-line at 16 pt (issue 24)
        QTimer.singleShot(30, window, lambda: dock_layout.fit_explanation(window))
    QTimer.singleShot(60, window.canvas, window.canvas.fit_view)


def fit_to_screen(window, had_geometry: bool) -> None:
    """First launch: 90% of the screen's available area, centred. Later: the
    saved geometry, moved and shrunk onto the screen if it no longer fits."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    area = screen.availableGeometry()
    if not had_geometry:  # the share of the screen, docks sized for it (a 1920 desktop:
        # a 60-column editor; a 1280×720 projector: a lower explanation)
        window.resize(int(area.width() * SCREEN_SHARE), int(area.height() * SCREEN_SHARE))
        dock_layout.apply_default_sizes(window)
        frame = window.frameGeometry()
        frame.moveCenter(area.center())
        window.move(frame.topLeft())
    else:
        frame = window.frameGeometry()
        width = min(window.width(), area.width() - (frame.width() - window.width()))
        height = min(window.height(), area.height() - (frame.height() - window.height()))
        if (width, height) != (window.width(), window.height()):
            window.resize(max(width, 320), max(height, 240))
    frame = window.frameGeometry()  # its top left on the screen, even when it is too big
    x = max(area.left(), min(frame.left(), area.right() - frame.width() + 1))
    y = max(area.top(), min(frame.top(), area.bottom() - frame.height() + 1))
    if (x, y) != (frame.left(), frame.top()):
        window.move(x, y)
