"""What the speed work of issue 19 relies on, counted rather than timed: a plot nobody can
see keeps its draw pending, and a What-if drag repaints only what changed."""

from __future__ import annotations

from matplotlib.figure import Figure
from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtWidgets import QLabel, QSlider, QTabBar, QTabWidget, QToolButton, QWidget

from gui.support.matplotlib_setup import deferred_canvas


def _plot() -> tuple:
    canvas = deferred_canvas(Figure(figsize=(3, 2), dpi=100))
    canvas.figure.add_subplot().plot([0, 1], [0, 1])
    draws: list = []
    canvas.mpl_connect("draw_event", lambda _event: draws.append(1))
    return canvas, draws


def test_a_plot_behind_another_tab_draws_once_it_is_shown(qtbot):
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    tabs.addTab(QLabel("in front"), "front")
    canvas, draws = _plot()
    tabs.addTab(canvas, "behind")
    tabs.resize(400, 300)
    tabs.show()
    qtbot.waitExposed(tabs)
    canvas.draw_idle()
    qtbot.wait(50)
    assert draws == []  # behind the front tab: still pending
    tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: len(draws) == 1)
    canvas.draw_idle()
    qtbot.waitUntil(lambda: len(draws) == 2)  # shown: drawn as any canvas


def test_a_covered_plot_waits_and_grab_draws_it(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.resize(300, 200)
    canvas, draws = _plot()
    canvas.setParent(parent)
    canvas.setGeometry(0, 0, 300, 200)
    cover = QWidget(parent)
    cover.setAutoFillBackground(True)
    cover.setGeometry(0, 0, 300, 200)
    cover.raise_()
    parent.show()
    qtbot.waitExposed(parent)
    qtbot.wait(50)
    draws.clear()
    canvas.draw_idle()
    qtbot.wait(50)
    assert canvas.isVisible() and canvas.visibleRegion().isEmpty()
    assert draws == []  # nobody can see it
    canvas.grab()  # a screenshot paints it: what is pending is drawn first
    assert draws == [1]


class _Paints(QObject):
    def __init__(self, names):
        super().__init__()
        self.names, self.count, self.log, self.step = names, 0, [], 0

    def eventFilter(self, watched, event):  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint and (
                watched.objectName() in self.names or isinstance(watched, QTabBar)):
            self.count += 1
            self.log.append((watched.objectName(), type(watched).__name__, self.step))
        return False


def test_a_what_if_drag_leaves_the_rest_of_the_panel_unpainted(window, qtbot):
    """Each move changes the What-if line, table and plot; the slider and the tab bar
    stay as they are (a label's new text used to relayout the whole tab widget, which
    repainted all of it on every move)."""
    qtbot.mouseClick(window.findChild(QToolButton, "forwardModeButton"),
                     Qt.MouseButton.LeftButton)
    panel = window.forward_panel
    panel.tabs.setCurrentIndex(1)
    qtbot.waitUntil(panel.slider.isVisible)
    qtbot.wait(100)
    canvas = window.canvas
    start = canvas.node_widget_pos(window.model.trace.graph.names["w"])
    paints = _Paints({"whatIfSlider"})
    window.findChild(QSlider, "whatIfSlider").installEventFilter(paints)
    for bar in panel.tabs.findChildren(QTabBar):
        bar.installEventFilter(paints)
    label = window.findChild(QLabel, "whatIfValue")
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    texts = set()
    for dx in (12, 20, 31, 45, 60, 80):
        paints.step = dx
        qtbot.mouseMove(canvas, start + QPoint(dx, 0))
        qtbot.wait(60)  # a layout request arrives after the paint that follows a move
        texts.add(label.text())
        if dx == 12:  # the line's first What-if text may need a new layout, once
            qtbot.wait(400)
            paints.count, paints.log = 0, []
    qtbot.keyClick(canvas, Qt.Key.Key_Escape)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=start)
    assert len(texts) == 6 and all(t.startswith("What if w = ") for t in texts)
    assert paints.count == 0, paints.log


def test_a_what_if_plot_out_of_sight_draws_nothing_during_a_drag(window, qtbot):
    """A drag on the canvas with the What-if plot made but on another tab: no draw and
    no blit per move; one full draw when its tab is chosen again, at the last value."""
    panel = window.forward_panel
    panel.mode_action.setChecked(True)
    panel.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: panel._background is not None)  # made and drawn once
    panel.tabs.setCurrentIndex(0)  # the walk in front: the plot cannot be seen
    draws: list = []
    panel.plot.mpl_connect("draw_event", lambda _event: draws.append(1))
    blits = _Paints({"whatIfPlot"})
    panel.plot.installEventFilter(blits)
    restored: list = []
    restore = panel.plot.restore_region
    panel.plot.restore_region = lambda *args: (restored.append(1), restore(*args))[1]
    canvas = window.canvas
    start = canvas.node_widget_pos(window.model.trace.graph.names["w"])
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    for dx in (12, 20, 31, 45):
        qtbot.mouseMove(canvas, start + QPoint(dx, 0))
        qtbot.wait(30)
    label = window.findChild(QLabel, "whatIfValue").text()
    assert label.startswith("What if w = ")
    assert draws == [] and restored == [] and blits.count == 0, blits.log
    moved = panel._point.get_xdata()[0]
    panel.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: len(draws) == 1)
    assert panel._point.get_xdata()[0] == moved and panel._background is not None
    qtbot.keyClick(canvas, Qt.Key.Key_Escape)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=start)


def test_boxed_labels_of_the_same_text_and_box_share_one_raster():
    """A raster is keyed by what it shows: the box's style by its kind and numbers, not
    by the style object (its repr held its address, so every boxed "1" of a big graph
    was rasterised anew: issue 19)."""
    from matplotlib.backends.backend_agg import RendererAgg

    from gui.canvas.text_cache import CachedText

    renderer, cache, figure = RendererAgg(200, 100, 100), {}, Figure(dpi=100)

    def boxed(text, pad=0.2):
        label = CachedText(50, 50, text, bbox={"boxstyle": f"round,pad={pad}", "fc": "w"})
        label.cache = cache
        label.set_figure(figure)
        label.draw(renderer)
        return label

    boxed("1"), boxed("1"), boxed("0.3")
    assert len(cache) == 2
    boxed("1", pad=0.5)  # another box: another raster
    assert len(cache) == 3


def test_a_geometry_moved_by_whole_pixels_is_the_one_made_for_the_new_view(qtbot):
    """A pan shifts the last view's geometry (Geometry.moved) instead of transforming
    the whole graph again: the same points, boxes and what is in view as a new one."""
    import numpy as np
    from matplotlib.transforms import Bbox

    from core.engine.trace import Stepper, build_trace
    from gui.graph_canvas import GraphCanvas
    from tests.programs import chain

    canvas = GraphCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(900, 600)
    canvas.show()
    stepper = Stepper(build_trace(chain(300)))
    canvas.set_trace(stepper.trace)
    canvas.show_state(stepper.known, stepper.current)
    qtbot.waitUntil(lambda: not canvas._draw_pending and canvas.geometry is not None)
    renderer = canvas.get_renderer()
    before = canvas.view.geometry(renderer)
    probe = Bbox.from_extents(100, 100, 400, 300)
    before.edge_boxes(), before.texts_near(probe)  # made, so moved shifts them too
    k, (x0, x1), (y0, y1) = canvas.view.k(), canvas.ax.get_xlim(), canvas.ax.get_ylim()
    canvas.ax.set_xlim(x0 - 37 / k, x1 - 37 / k)  # the content moves 37 right, 250 up
    canvas.ax.set_ylim(y0 - 250 / k, y1 - 250 / k)
    made, moved = canvas.view.geometry(renderer), before.moved(37, 250)
    for name in ("centres", "heads", "edge_mids", "in_view", "edge_in_view"):
        assert np.allclose(getattr(moved, name), getattr(made, name), atol=1e-6), name
    assert not np.array_equal(moved.in_view, before.in_view)  # the view did move
    for a, b in zip(moved.edge_boxes(), made.edge_boxes(), strict=True):
        assert np.allclose(a, b, atol=1e-6)
    assert np.array_equal(moved.texts_near(probe), made.texts_near(probe))
    assert len(moved.edge_lines) == len(made.edge_lines) > 0
    for e in range(len(made.edge_lines)):
        assert np.allclose(moved.edge_lines[e], made.edge_lines[e], atol=1e-6)


def test_a_label_wholly_outside_its_clip_is_not_pasted():
    """The view draws the labels of nodes just outside it too (its "near" is padded):
    a raster wholly outside the clip box is not handed to Agg, which would paint
    nothing; its extent is still given (the blits note it)."""
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.transforms import Bbox

    from gui.canvas.text_cache import CachedText

    renderer, figure, pasted = RendererAgg(200, 100, 100), Figure(dpi=100), []
    draw_image = renderer.draw_image  # (an attribute of the instance: Agg's own method)
    renderer.draw_image = lambda *args: (pasted.append(1), draw_image(*args))
    label = CachedText(50, 50, "0.3", bbox={"boxstyle": "round,pad=0.2", "fc": "w"})
    label.cache = {}
    label.set_figure(figure)
    label.set_clip_box(Bbox.from_extents(0, 0, 40, 100))  # left of the label
    extent = label.draw(renderer)
    assert pasted == [] and extent is not None and extent[0] >= 40
    label.set_clip_box(Bbox.from_extents(0, 0, 52, 100))  # a column of it inside
    label.draw(renderer)
    assert pasted == [1]
