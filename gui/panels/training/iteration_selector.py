"""The iteration selector: jump to any iteration k of a training script's loop, or to pass
k of a recorded run (each ``backward()`` call), which then steps from its first step
(Ctrl+] and Ctrl+[ too). The window keeps it in its run bar (gui.window.run_window)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDockWidget, QHBoxLayout, QLabel, QSpinBox, QToolButton, QWidget

from core.base.format import format_value
from gui.panels.base import dock_of

translate = QCoreApplication.translate


def iteration_text(script) -> str:
    """The Training panel's line for the iteration on screen: its parameters and loss."""
    row = script.run.rows[script.iteration - 1]
    values = ", ".join(f"{name} = {format_value(v)}" for name, v in row.params.items())
    if len(values) > 60:  # the table and the plot have them all
        values = translate("TrainingPanel", "{0} parameters").format(len(row.params))
    return translate("TrainingPanel", "Iteration {0} of {1}: {2} · loss = {3}").format(
        script.iteration, script.count, values, format_value(row.loss))


def script_status(script, history: list) -> str:
    """The Training panel's PyTorch line for a script: a ✓ per iteration, from the worker."""
    if script.torch_error:
        return translate("TrainingPanel", "No PyTorch check: {0}").format(script.torch_error)
    if script.checking or any(it.torch_match is None for it in history):
        return translate("TrainingPanel", "Checking every iteration with PyTorch…")
    bad = sum(1 for it in history if not it.torch_match)
    if not bad and len(history) == 1:
        return translate("TrainingPanel", "The one iteration matches PyTorch ✓")
    if not bad:
        return translate("TrainingPanel", "All {0} iterations match PyTorch ✓").format(
            len(history))
    return translate("TrainingPanel", "{0} of {1} iterations differ from PyTorch ✗").format(
        bad, len(history))


def mark_iteration(panel, k: int | None) -> None:
    """A dashed line at iteration ``k`` on the Training panel's plot (None: no line).

    The line is blitted over the plot drawn without it (a full draw of a 100-iteration
    plot takes ~60 ms; moving the line, a few), and a plot behind another tab waits."""
    markers = getattr(panel, "_iteration_markers", None)
    if markers is None:
        if k is None:
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


def iteration_source(model):
    """Who numbers the iterations now: the recorded run when one of its passes is chosen
    (gui.state.run_state), else the training script (gui.state.script_state)."""
    run = getattr(model, "run", None)
    if run is not None and run.count and (run.on_screen or run.summary_only is not None):
        return run
    if run is not None and run.group_count and (run.on_screen or run.group_summary_only):
        return run.groups  # a forward-only run's groups (gui.state.run_groups)
    return model.script


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
        recorded = iteration_source(self.model) is not self.model.script
        self.label.setText(self.tr("Pass") if recorded else self.tr("Iteration"))
        self.box.setAccessibleName(self.tr("Iteration of the training loop"))
        self.box.setToolTip(self.tr("Jump to an iteration of the loop: its graph is stepped "
                                    "from the start, with .grad as it is then (Ctrl+] next, "
                                    "Ctrl+[ previous)"))
        self.previous.setToolTip(self.tr("Previous iteration (Ctrl+[)"))
        self.next.setToolTip(self.tr("Next iteration (Ctrl+])"))
        self.refresh()

    def refresh(self) -> None:
        script = iteration_source(self.model)
        recorded = script is not self.model.script
        self.label.setText(self.tr("Group") if getattr(script, "groups", False) else
                           self.tr("Pass") if recorded else self.tr("Iteration"))
        count = script.count if script is not None else 0
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
