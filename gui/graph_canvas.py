"""Kept for ``from gui.graph_canvas import GraphCanvas``: the canvas lives in gui/canvas/."""

from gui.canvas.scene import LEGEND_HEIGHT, graph_arrays
from gui.canvas.widget import GraphCanvas

__all__ = ["GraphCanvas", "LEGEND_HEIGHT", "graph_arrays"]
