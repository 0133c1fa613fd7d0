"""The iteration selector: jump to pass k of a recorded run (each ``backward()`` call),
which then steps from its first step (Ctrl+] and Ctrl+[ too). The window keeps it in its
run bar (gui.window.run_window)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QHBoxLayout, QLabel, QSpinBox, QToolButton, QWidget

from gui.panels.base import dock_of


def mark_iteration(panel, k: int | None) -> None:
    """A dashed line at iteration ``k`` on the Training panel's plot (None: no line).

    The line is blitted over the plot drawn without it (a full draw of a 100-iteration
    plot takes ~60 ms; moving the line, a few), and a plot behind another tab waits."""
    markers = getattr(panel, "_iteration_markers", None)
    if markers is None:
        if k is None or not panel.plot_made():  # a plot never seen: marked once made
            panel._pending_mark = k
            return
        markers = panel._iteration_markers = [
            axes.axvline(k, color="#888888", linestyle="--", linewidth=1, zorder=0,
                         animated=True)
            for axes in (panel.loss_axes, panel.param_axes)]
        panel._marker_background = None
        panel.plot.mpl_connect("draw_event", lambda _event: _drawn(panel))
        dock = dock_of(panel)
        if isinstance(dock, QDockWidget):  # a tab behind another: drawn once it is raised
            dock.visibilityChanged.connect(lambda on: on and _blit(panel))
    for marker in markers:
        marker.set_visible(k is not None)
        if k is not None:
            marker.set_xdata([k, k])
    panel._marker_pending = True
    if not panel.plot.visibleRegion().isEmpty():
        _blit(panel)


def _drawn(panel) -> None:
    """After a full draw (new rows, a resize, the theme): keep it, then add the line."""
    canvas = panel.plot
    panel._marker_background = canvas.copy_from_bbox(canvas.figure.bbox)
    for marker in panel._iteration_markers:
        if marker.get_visible():
            marker.axes.draw_artist(marker)


def _blit(panel) -> None:
    if not getattr(panel, "_marker_pending", False):
        return
    panel._marker_pending = False
    canvas, background = panel.plot, panel._marker_background
    if background is None:
        canvas.draw_idle()  # its draw_event keeps the background
        return
    canvas.restore_region(background)
    for marker in panel._iteration_markers:
        if marker.get_visible():
            marker.axes.draw_artist(marker)
    canvas.blit(canvas.figure.bbox)


class _NoLoop:
    """Nothing numbers the iterations (a straight-line program): no pass to move to."""

    count = iteration = 0

    def goto_iteration(self, _k: int, _position: int = 0) -> bool:
        return False

    def step_iteration(self, _delta: int) -> bool:
        return False


NO_LOOP = _NoLoop()


def iteration_source(model):
    """Who numbers the iterations now: the recorded run when one of its passes is chosen
    (gui.state.run_state), else :data:`NO_LOOP`."""
    run = getattr(model, "run", None)
    if run is not None and run.count and (run.on_screen or run.summary_only is not None):
        return run
    if run is not None and run.group_count and (run.on_screen or run.group_summary_only):
        return run.groups  # a forward-only run's groups (gui.state.run_groups)
    return NO_LOOP


class IterationSelector(QWidget):
    def __init__(self, model, parent=None):
        super().__init__(parent)
        self.setObjectName("iterationSelectorRow")
        self.model = model
        self.label = QLabel()
        self.box = QSpinBox(objectName="iterationSelector")
        self.box.setKeyboardTracking(False)  # typing "50" jumps once, to 50, not to 5 first
        self.box.setRange(1, 1)
        self.box.valueChanged.connect(self._chosen)
        self.count_label = QLabel(objectName="iterationCount")
        self.previous = QToolButton(objectName="previousIterationButton", text="◀")
        self.next = QToolButton(objectName="nextIterationOfLoopButton", text="▶")
        self.previous.clicked.connect(lambda: iteration_source(model).step_iteration(-1))
        self.next.clicked.connect(lambda: iteration_source(model).step_iteration(1))
        for button in (self.previous, self.next):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.label, self.previous, self.box, self.next, self.count_label):
            layout.addWidget(widget)
        layout.addStretch(1)
        model.traceReplaced.connect(self.refresh)
        if getattr(model, "run", None) is not None:
            model.run.passChanged.connect(self.refresh)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.label.setText(self.tr("Pass"))
        self.box.setAccessibleName(self.tr("Iteration of the training loop"))
        self.box.setToolTip(self.tr("Jump to an iteration of the loop: its graph is stepped "
                                    "from the start, with .grad as it is then (Ctrl+] next, "
                                    "Ctrl+[ previous)"))
        self.previous.setToolTip(self.tr("Previous iteration (Ctrl+[)"))
        self.next.setToolTip(self.tr("Next iteration (Ctrl+])"))
        self.refresh()

    def refresh(self) -> None:
        script = iteration_source(self.model)
        self.label.setText(self.tr("Group") if getattr(script, "groups", False) is True else
                           self.tr("Pass"))
        count = script.count
        self.setVisible(count > 0)
        if not count:
            return
        self.box.blockSignals(True)
        self.box.setRange(1, count)
        self.box.setValue(script.iteration)
        self.box.blockSignals(False)
        self.count_label.setText(self.tr("of {0}").format(count))
        self.previous.setEnabled(script.iteration > 1)
        self.next.setEnabled(script.iteration < count)

    def _chosen(self, value: int) -> None:
        source = iteration_source(self.model)
        if value != source.iteration:
            source.goto_iteration(value)
