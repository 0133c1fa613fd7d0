"""Building the window makes no matplotlib axes for panels nobody sees (issue 19): the
Training and Why-backwards tabs start behind PyTorch, the Plots tab and ninja mode
hidden. Each plot makes its axes when first shown, and then draws what it would have
drawn had it been made at once. Counted, not timed."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

from gui.panels.pass_loss_plot import PassLossPlot


def _draws(canvas) -> list:
    drawn: list = []
    canvas.mpl_connect("draw_event", lambda _event: drawn.append(1))
    return drawn


def test_the_window_makes_axes_only_for_what_is_shown(window, qtbot):
    qtbot.wait(50)  # the first paint, and the plots drawn after it
    canvases = window.findChildren(FigureCanvasQTAgg)
    # a tab behind another is "visible" outside the window: it cannot be seen either
    hidden = [c for c in canvases if not c.isVisible() or c.visibleRegion().isEmpty()]
    assert {c.objectName() for c in hidden} >= {"lossPlot", "passLossPlot", "whatIfPlot",
                                                "ninjaPlot"}
    assert all(c.figure.axes == [] for c in hidden), [
        (c.objectName(), len(c.figure.axes)) for c in hidden]
    assert window.canvas.isVisible() and window.canvas.figure.axes  # the graph is drawn
    for panel in (window.training_panel, window.forward_panel):
        assert panel.figure.axes == []
    assert window.quiz_panel.ninja_view.plot.figure.axes == []


def test_the_training_plot_is_made_when_shown_with_the_iterations_so_far(window, qtbot):
    panel = window.training_panel
    assert panel.set_learning_rate_text("0.1")
    assert panel.iterate(3)
    assert panel.plot.visibleRegion().isEmpty() and panel.figure.axes == []  # behind PyTorch
    drawn = _draws(panel.plot)
    window.show_training()
    qtbot.waitUntil(lambda: len(drawn) >= 1)
    loss_axes, param_axes = panel.figure.axes
    losses = [it.loss for it in panel.training.history]
    assert len(losses) == 3
    assert list(loss_axes.lines[0].get_ydata()) == pytest.approx(losses)
    assert loss_axes.get_ylabel() == "loss" and param_axes.get_xlabel() == "iteration"
    w = param_axes.lines[0]
    assert w.get_label() == "w" and list(w.get_xdata()) == [0, 1, 2, 3]
    assert panel.loss_points() == pytest.approx(losses)  # the same line, not a second one
    assert len(panel.figure.axes) == 2


def test_the_training_plot_made_in_the_dark_theme_is_dark(window, qtbot):
    from matplotlib.colors import to_hex

    window.set_dark(True)
    panel = window.training_panel
    assert panel.figure.axes == []
    window.show_training()
    qtbot.waitUntil(lambda: len(panel.figure.axes) == 2)
    assert to_hex(panel.figure.axes[0].get_facecolor()) == "#1b1d22"
    window.set_dark(False)
    assert to_hex(panel.figure.axes[0].get_facecolor()) == "#ffffff"


def test_the_what_if_plot_is_made_when_its_tab_is_shown(window, qtbot):
    panel = window.forward_panel
    panel.mode_action.setChecked(True)  # the dock in front, on its walk tab
    qtbot.waitUntil(panel.isVisible)
    assert not panel.plot.isVisible() and panel.figure.axes == []
    drawn = _draws(panel.plot)
    panel.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: len(drawn) >= 1)
    (axes,) = panel.figure.axes
    curve, tangent, point = axes.lines
    w = float(window.model.trace.graph.nodes[window.model.trace.graph.names["w"]].value)
    low, high = panel._range
    assert low < w < high and list(axes.get_xlim()) == pytest.approx([low, high])
    xs, ys = curve.get_data()
    assert len(xs) == 41 and xs[0] == pytest.approx(low) and xs[-1] == pytest.approx(high)
    loss = float(np.sum(window.model.trace.graph.output_node.value))
    assert list(point.get_xdata()) == pytest.approx([w])
    assert list(point.get_ydata()) == pytest.approx([loss])
    assert axes.get_xlabel() == "w" and len(tangent.get_xdata()) == 2


def test_the_pass_loss_plot_is_made_when_shown(qtbot):
    plot = PassLossPlot(None)
    qtbot.addWidget(plot)
    plot.set_dark(True)
    assert plot.figure.axes == []
    drawn = _draws(plot)
    plot.show()
    qtbot.waitUntil(lambda: len(drawn) >= 1)  # painted: made, then drawn
    (axes,) = plot.figure.axes
    assert axes.get_xlabel() == "pass" and axes.get_ylabel() == "loss"
    assert axes.get_facecolor() != (1.0, 1.0, 1.0, 1.0)  # the dark theme set before


def test_a_training_plot_with_nothing_to_show_drops_the_last_range(window, qtbot):
    """A run without backward() after one with passes showed empty axes at the last
    run's range (lesson 20 after 19: 0.24-0.26); with nothing to plot they start again."""
    from gui.state.model import Program

    panel = window.training_panel
    assert panel.set_learning_rate_text("0.1")
    assert panel.iterate(3)
    window.show_training()
    qtbot.waitUntil(lambda: len(panel.figure.axes) == 2)
    loss_axes, param_axes = panel.figure.axes
    qtbot.waitUntil(lambda: loss_axes.get_ylim() != (0.0, 1.0))
    window.load_program(Program("a = param(2.0)\nb = a * 3", {}), 0, "another")
    qtbot.waitUntil(lambda: not panel.training.history)
    qtbot.waitUntil(lambda: loss_axes.get_ylim() == (0.0, 1.0))  # no loss yet
    low, high = param_axes.get_ylim()
    assert low < 2.0 < high  # a = 2 before any iteration, in range
