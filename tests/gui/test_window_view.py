"""View and help: themes, presentation mode, panels, shortcuts, About, settings, clicks."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDockWidget, QLabel, QTableWidget

from gui.main_window import MainWindow


def test_torch_panel_says_loading_before_the_first_answer(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.findChild(QLabel, "torchStatus").text() == "loading PyTorch…"


def test_dark_theme_reaches_canvas_and_panels(window):
    window.dark_action.trigger()
    assert window.dark and window.canvas.dark
    assert QApplication.palette().base().color().lightness() < 80
    window.dark_action.trigger()
    assert not window.dark and not window.canvas.dark
    assert QApplication.palette().base().color().lightness() > 200


def test_presentation_mode_with_f11(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_F11)
    assert window.presentation and window.isFullScreen()
    assert not window.menuBar().isVisible()
    qtbot.keyClick(window, Qt.Key.Key_Right)  # stepping still works
    assert window.model.position == 1
    qtbot.keyClick(window, Qt.Key.Key_F11)
    assert not window.presentation and not window.isFullScreen()
    assert window.menuBar().isVisible()
    assert window.findChild(QDockWidget, "editorDock").isVisible()


def test_a_window_closed_right_after_presentation_mode_leaves_no_timer_behind(qtbot):
    """Leaving presentation mode restores the docks again 40 ms later; a window deleted
    before that (a test's teardown, a quick quit) must not be called then (it raised
    "Internal C++ object (MainWindow) already deleted" in a later test's set-up)."""
    window = MainWindow()
    window.show()
    qtbot.waitExposed(window)
    qtbot.keyClick(window, Qt.Key.Key_F11)
    qtbot.keyClick(window, Qt.Key.Key_F11)
    window.close()
    window.deleteLater()
    qtbot.wait(150)  # pytest-qt fails the test on an exception raised in the event loop


def test_panels_can_be_hidden_and_shown(window):
    dock = window.findChild(QDockWidget, "torchDock")
    toggle = dock.toggleViewAction()
    toggle.trigger()
    assert not dock.isVisible()
    toggle.trigger()
    assert dock.isVisible()


def test_shortcuts_dialog_is_not_modal_and_lists_the_keys(window, qtbot):
    window.shortcuts_action.trigger()
    dialog = window._shortcut_dialog
    assert dialog.isVisible() and not dialog.isModal()
    keys = dict(window.shortcut_rows())
    assert keys["Next step"] == "Right, Space"
    assert keys["Previous step"] == "Left"
    assert "Ctrl+1" in keys["First step of the forward pass"]
    assert "Ctrl+Return" in keys["Apply the program"]
    assert keys["Play / pause"] == "P"
    assert keys["What if… on the Variables table's row"] == "Ctrl+Shift+W"
    # every key whole, with no scroll bar across (the keys were cut at 520 px)
    table = dialog.findChild(QTableWidget, "shortcutsTable")
    assert table.columnWidth(1) >= table.sizeHintForColumn(1)
    assert table.viewport().width() >= table.columnWidth(0) + table.columnWidth(1)
    dialog.close()


def test_about_names_the_licences(window):
    text = window.about_text()
    for name in ("MIT", "LGPL", "BSD", "PySide6", "matplotlib", "PyTorch"):
        assert name in text


def test_clicking_a_node_shows_its_value(window, qtbot):
    window.model.end()
    qtbot.waitUntil(lambda: window.canvas.geometry is not None)
    node = window.model.trace.graph.names["w"]
    qtbot.mouseClick(window.canvas, Qt.MouseButton.LeftButton,
                     pos=window.canvas.node_widget_pos(node))
    message = window.statusBar().currentMessage()
    assert "w (parameter)" in message and "−2" in message.replace("-", "−")


def test_settings_are_kept_only_when_given(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    first = MainWindow(settings)
    qtbot.addWidget(first)
    first.model.goto(5)
    first.set_dark(True)
    first.save_settings(settings)
    settings.sync()
    second = MainWindow(settings)
    qtbot.addWidget(second)
    assert second.model.position == 0  # MainWindow() itself restores nothing
    second.restore_settings(settings)
    assert second.dark
    assert "y_hat = w * x" in settings.value("lastSession")
    second.set_dark(False)


def test_a_return_in_a_line_edit_acts_once(window, qtbot):
    """QLineEdit passes its Return on to the window, which must not hand it back."""
    from PySide6.QtWidgets import QLineEdit

    window.show_training()
    field = window.findChild(QLineEdit, "learningRateField")
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    presses = []
    field.returnPressed.connect(lambda: presses.append(1))
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert presses == [1]
    qtbot.keyClick(field, Qt.Key.Key_Enter)
    assert presses == [1, 1]
