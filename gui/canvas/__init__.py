"""The graph canvas in parts; :class:`GraphCanvas` is the widget the window uses."""

from gui.canvas.scene import LEGEND_HEIGHT
from gui.canvas.widget import GraphCanvas

__all__ = ["GraphCanvas", "LEGEND_HEIGHT"]
