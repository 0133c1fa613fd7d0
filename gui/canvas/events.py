"""Mouse and keys on the canvas: wheel zoom, drag pan, hover tooltips, clicks."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPoint, Qt

from gui.canvas import label_text
from gui.canvas.focus import visible_now
from gui.canvas.scene import _LOCAL, DRAG_THRESHOLD

#: a What-if drag moves the value by this fraction of max(|value|, 1) a pixel
WHATIF_PER_PIXEL = 0.01


class Pointer:
    """What :class:`~gui.canvas.widget.GraphCanvas` does with the mouse and the keys."""

    def __init__(self, canvas) -> None:
        self.canvas = canvas

    def node_at(self, x: float, y: float) -> int | None:
        """The node under display point (x, y) (matplotlib pixels, origin bottom left)."""
        g = self.canvas.geometry
        if g is None or self.canvas.trace is None or not len(self.canvas.scene.pos):
            return None
        d = np.abs(g.centres - (x, y))
        inside = np.flatnonzero((d[:, 0] <= g.half[:, 0] + 2) & (d[:, 1] <= g.half[:, 1] + 2))
        if not len(inside):
            return None
        return int(inside[np.argmin(np.hypot(*d[inside].T))])

    def node_widget_pos(self, node: int) -> QPoint:
        """Where node ``node`` is on the widget (logical pixels), for clicks and tests."""
        if self.canvas.geometry is None:
            self.canvas.draw()
        x, y = self.canvas.geometry.centres[node]
        ratio = self.canvas.device_pixel_ratio
        return QPoint(round(x / ratio), round(self.canvas.height() - y / ratio))

    # ---- mouse and keys ------------------------------------------------------------------

    def on_scroll(self, event) -> None:
        if event.inaxes is not self.canvas.ax or self.canvas.trace is None:
            return
        self.canvas.zoom(1.2 ** event.step, (event.xdata, event.ydata))

    def on_press(self, event) -> None:
        if self.canvas._whatif is not None and event.button == 3:  # right button: cancel
            self.whatif_end(False)
            return
        if event.button == 1 and event.x is not None:
            self.canvas._press = (event.x, event.y)
            self.canvas._panning = False
            node = self.node_at(event.x, event.y)
            name = self.whatif_name(node)
            if name is not None:  # a drag on a scalar input is a What-if, not a pan
                value = float(self.canvas.trace.graph.nodes[node].value)
                self.canvas._whatif = [name, event.x, value, None]

    def whatif_name(self, node: int | None) -> str | None:
        """The name of a scalar input or parameter a drag can move, else None."""
        if node is None or self.canvas.trace is None:
            return None
        n = self.canvas.trace.graph.nodes[node]
        ok = n.kind in ("data", "parameter") and not n.integer and n.name \
            and "@" not in n.name and np.ndim(n.value) == 0 and np.isfinite(n.value)
        return n.name if ok else None

    def whatif_move(self, x: float) -> None:
        name, x0, start, _ = self.canvas._whatif
        dx = (x - x0) / (self.canvas.device_pixel_ratio or 1.0)
        if self.canvas._whatif[3] is None and abs(dx) <= DRAG_THRESHOLD:
            return
        if self.canvas._whatif[3] is None:
            self.canvas.whatIfStarted.emit(name)
        value = start + dx * WHATIF_PER_PIXEL * max(abs(start), 1.0)
        self.canvas._whatif[3] = value
        self.canvas.whatIfMoved.emit(name, value)

    def whatif_end(self, keep: bool) -> None:
        """Release: the value is set (one undoable change); Esc or right button: not."""
        name, _, start, value = self.canvas._whatif
        self.canvas._whatif = None
        self.canvas._press, self.canvas._panning = None, False
        if value is not None:
            self.canvas.whatIfFinished.emit(name, value if keep else start, keep)

    def on_motion(self, event) -> None:
        if self.canvas._whatif is not None and event.x is not None:
            self.whatif_move(event.x)
            return
        if self.canvas._press is not None and event.x is not None:
            dx, dy = event.x - self.canvas._press[0], event.y - self.canvas._press[1]
            if self.canvas._panning or math.hypot(dx, dy) > DRAG_THRESHOLD:
                self.canvas._panning = True
                self.canvas._press = (event.x, event.y)
                self.canvas.pan(dx, dy)
            return
        if self.canvas.trace is None or event.x is None:
            return
        node = self.node_at(event.x, event.y)
        tangent = self.canvas.tangents.label_at(event.x, event.y) if node is None else None
        if node is not None:
            tip = self.canvas.node_tooltip(node)
        elif tangent is not None:  # forward mode: the whole sum and every digit
            tip = self.canvas.tangents.tooltip(tangent)
        else:  # a local-gradient label: its whole formula and every digit
            edge = self.edge_label_at(event.x, event.y)
            tip = self.edge_tooltip(edge) if edge is not None else ""
        if tip != self.canvas.toolTip():
            self.canvas.setToolTip(tip)
        shape = Qt.CursorShape
        cursor = shape.PointingHandCursor if node is not None else shape.ArrowCursor
        if self.canvas.cursor().shape() != cursor:
            self.canvas.setCursor(cursor)

    def edge_label_at(self, x: float, y: float) -> int | None:
        """The edge whose shown local-gradient label is under display point (x, y)."""
        if self.canvas.geometry is None or not self.canvas.geometry.show_text:
            return None
        for index in self.canvas._shown[_LOCAL]:
            text = self.canvas._texts.get((_LOCAL, index))
            if text is not None and visible_now(self.canvas, (_LOCAL, index)):
                box = text.get_window_extent(self.canvas.get_renderer())
                if box.x0 <= x <= box.x1 and box.y0 <= y <= box.y1:
                    return index
        return None

    def edge_tooltip(self, index: int) -> str:
        edge = self.canvas.scene.edges[index]
        step = self.canvas.scene.local_steps.get(edge)
        return label_text.local_tooltip(self.canvas.trace, edge, step)

    def on_release(self, event) -> None:
        whatif = self.canvas._whatif
        if whatif is not None and whatif[3] is not None and event.button == 1:
            self.whatif_end(True)
            return
        self.canvas._whatif = None
        press, panning = self.canvas._press, self.canvas._panning
        self.canvas._press, self.canvas._panning = None, False
        if press is None or panning or event.button != 1 or event.x is None:
            return
        node = self.node_at(event.x, event.y)
        if node is not None:
            self.canvas.nodeClicked.emit(node)

    def key_press(self, event) -> None:
        """+/- zoom, 0 fits; every other key goes on to the window (stepping keys)."""
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier
        if key == Qt.Key.Key_Escape and self.canvas._whatif is not None:
            self.whatif_end(False)
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal) and not modifiers:
            self.canvas.zoom(1.25)
        elif key == Qt.Key.Key_Minus and not event.modifiers():
            self.canvas.zoom(1 / 1.25)
        elif key == Qt.Key.Key_0 and not event.modifiers():
            self.canvas.fit_view()
        else:
            event.ignore()

    def key_release(self, event) -> None:
        event.ignore()
