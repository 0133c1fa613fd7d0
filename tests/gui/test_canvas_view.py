"""The graph's view in the window (issue 9): follow the step, Whole graph, text size,
presentation mode that gives the window back exactly, out of date, update labels."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt

from gui.state.model import Program
from gui.support.resources import resource
from tests.gui.test_readability import OWN, settle

TWO_LAYER = OWN["two-layer-neuron"]


def boxes_of(window, kind):
    return [b for b in window.canvas.label_boxes() if b["kind"] == kind]


def inside(rect, widget) -> bool:
    x, y, w, h = rect
    return x >= 0 and y >= 0 and x + w <= widget.width() and y + h <= widget.height()


def test_the_view_follows_every_step_with_the_keys(window, qtbot):
    window.resize(1280, 720)
    window.load_program(Program(TWO_LAYER, {}), 0, "two layers")
    settle(window)
    window.canvas.setFocus()
    assert window.follow_action.isChecked()
    while window.model.position < window.model.length:
        qtbot.keyClick(window, Qt.Key.Key_Right)
        rect = window.canvas.current_rect()
        assert rect is not None and inside(rect, window.canvas), window.model.position


def test_without_following_the_view_stays(window, qtbot):
    window.resize(1280, 720)
    window.load_program(Program(TWO_LAYER, {}), 0, "two layers")
    settle(window)
    window.follow_action.trigger()
    assert not window.canvas.following
    limits = window.canvas.ax.get_xlim()
    window.model.end()
    settle(window)
    assert window.canvas.ax.get_xlim() == limits


def test_whole_graph_is_an_overview_that_keeps_the_current_labels(window, qtbot):
    window.resize(1280, 720)
    window.load_program(Program(TWO_LAYER, {}), 0, "two layers")
    window.model.goto(3)
    settle(window)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ShiftModifier)
    settle(window)
    canvas = window.canvas
    assert canvas.geometry.in_view.all()
    values = boxes_of(window, "value")
    current = window.model.current.node
    assert any(e.get("node") == current for e in canvas.label_entries() if e["kind"] == "value")
    assert len(values) < len(window.model.known.values)  # the others wait for a zoom in
    qtbot.keyClick(window, Qt.Key.Key_F)  # Fit: readable again, and it says so
    settle(window)
    assert all(b["rect"][3] >= 9 for b in canvas.label_boxes())


def test_whole_graph_keeps_the_current_labels_after_presentation_mode(window, qtbot):
    """Presentation mode on and off lays the graph out twice for its text size
    (rescale.py): the step's neighbours, all the overview labels, must survive that
    (Whole graph showed bare shapes)."""
    window.resize(1280, 720)
    assert window.load_example(resource("examples", "07-mean-squared-error.json"))
    settle(window)
    for key in (Qt.Key.Key_F11, Qt.Key.Key_End, Qt.Key.Key_F11):
        qtbot.keyClick(window, key)
        settle(window)
    assert not window.presentation and window.model.position == window.model.length
    qtbot.wait(150)  # leaving it fits the view and lays the docks out again 40-60 ms later
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ShiftModifier)
    settle(window)
    canvas, current = window.canvas, window.model.current.node
    assert not canvas.geometry.show_text  # an overview
    values = [e for e in canvas.label_entries() if e["kind"] == "value"]
    assert any(e.get("node") == current for e in values), values


def test_graph_text_size_keys_and_settings(qtbot, tmp_path):
    from gui.main_window import MainWindow

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    settle(window)
    before = max(b["rect"][3] for b in boxes_of(window, "name"))
    window.text_larger_action.trigger()
    window.text_larger_action.trigger()
    settle(window)
    assert window.text_size > 1.0 and window.canvas.text_scale == window.text_size
    assert float(settings.value("graphTextSize")) == window.text_size
    window.canvas.zoom(1.0)  # same zoom: the text itself is larger
    settle(window)
    assert max(b["rect"][3] for b in boxes_of(window, "name")) > before
    window.text_smaller_action.trigger()
    assert window.text_size < float(settings.value("graphTextSize", 9)) + 1e-9
    other = MainWindow(settings)
    qtbot.addWidget(other)
    other.restore_settings(settings)
    assert other.text_size == window.text_size


def test_presentation_gives_the_window_back_exactly(window, qtbot):
    window.resize(1300, 800)
    window.training_dock.raise_()  # the Training tab in front
    window.tables_dock.hide()
    window.model.next()  # the step bar's label takes its width for "step k of 9 · Forward"
    qtbot.wait(50)  # laid out at its new size
    state = None
    for _ in range(20):  # the docks settle after the resize and the hidden dock
        state, before = window.saveState(), state
        if state == before:
            break
        qtbot.wait(50)
    geometry = window.geometry()
    # a name at its full size (zoom 1): 10.5 pt, about 15 px at 100 dpi
    normal_height = 10.5 * 100 / 72 * 1.04
    qtbot.keyClick(window, Qt.Key.Key_F11)
    settle(window)
    assert window.presentation and window.isFullScreen() and not window.menuBar().isVisible()
    assert window.explanation_dock.isVisible() and not window.editor_dock.isVisible()
    assert window.canvas.text_scale >= 1.5
    big = max(b["rect"][3] for b in boxes_of(window, "name"))
    assert big >= 1.5 * normal_height
    assert window.step_bar.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_Right)
    settle(window)
    counter = [b for b in boxes_of(window, "other") if b["text"].startswith("step 2 of")]
    assert counter and counter[0]["rect"][3] >= 16  # readable from the back of the room
    qtbot.keyClick(window, Qt.Key.Key_F11)
    assert not window.isFullScreen() and window.menuBar().isVisible()
    # the docks are laid out again once the events queued by leaving full screen run
    qtbot.waitUntil(lambda: window.saveState() == state, timeout=3000)
    assert window.geometry() == geometry
    assert not window.tables_dock.isVisible() and window.editor_dock.isVisible()
    assert window.canvas.text_scale == 1.0


def test_out_of_date_greys_the_graph_and_says_so(window):
    window.canvas.set_out_of_date(True)
    settle(window)
    others = [b["text"] for b in boxes_of(window, "other")]
    assert others == ["out of date — fix the program or undo"]
    window.canvas.set_out_of_date(False)
    settle(window)
    assert "out of date — fix the program or undo" not in [b["text"] for b in
                                                           boxes_of(window, "other")]


def test_update_labels_show_old_and_new_value(window):
    window.model.set_learning_rate(0.1)
    window.model.end()
    settle(window)
    updates = [b["text"] for b in boxes_of(window, "update")]
    assert updates == ["w: 1 → 1.2"]



def test_the_first_launch_fits_the_screen_and_later_ones_are_clamped(window):
    from gui.window.view_actions import SCREEN_SHARE, fit_to_screen

    area = window.screen().availableGeometry()
    window.resize(1400, 900)
    fit_to_screen(window, had_geometry=False)
    least = window.minimumSizeHint()  # the offscreen screen is smaller than the docks
    assert window.width() <= max(area.width() * SCREEN_SHARE, least.width()) + 1
    assert window.height() <= max(area.height() * SCREEN_SHARE, least.height()) + 1
    assert area.contains(window.frameGeometry().center())
    window.resize(3000, 2000)
    window.move(area.right() - 10, area.top())
    fit_to_screen(window, had_geometry=True)
    assert window.width() <= max(area.width(), least.width())
    assert window.height() <= max(area.height(), least.height())
    assert area.contains(window.geometry().topLeft())


def test_an_overview_says_why_labels_are_missing(window, qtbot):
    window.resize(1280, 720)
    window.load_program(Program(TWO_LAYER, {}), 3, "two layers")
    settle(window)
    for _ in range(12):  # wheel-like zoom out, far below readable text
        window.canvas.zoom(1 / 1.25)
    settle(window)
    assert not window.canvas.geometry.show_text
    assert any(b["text"].startswith("overview:") for b in boxes_of(window, "other"))


def test_hovering_a_local_gradient_shows_its_full_text(window, qtbot):
    window.model.goto(4)  # the lesson's first local gradient: 2 · s on the edge s → loss
    settle(window)
    canvas = window.canvas
    entry = next(e for e in canvas.label_entries() if e["kind"] == "local")
    x0, y0, x1, y1 = entry["extents"]
    index = canvas.edge_label_at((x0 + x1) / 2, (y0 + y1) / 2)
    assert index == entry["edge"]
    assert canvas.edge_tooltip(index) == "2 · s = -2.0"
