"""Mouse and keys on the canvas: wheel zoom, drag pan, hover tooltips, clicks."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPoint, Qt

from gui.canvas import label_text
from gui.canvas.scene import _LOCAL, DRAG_THRESHOLD

#: a What-if drag moves the value by this fraction of max(|value|, 1) a pixel
WHATIF_PER_PIXEL = 0.01


class EventsMixin:
    """What :class:`~gui.canvas.widget.GraphCanvas` does with the mouse and the keys."""

    def node_at(self, x: float, y: float) -> int | None:
        """The node under display point (x, y) (matplotlib pixels, origin bottom left)."""
        g = self.geometry
        if g is None or self.trace is None or not len(self.scene.pos):
            return None
        d = np.abs(g.centres - (x, y))
        inside = np.flatnonzero((d[:, 0] <= g.half[:, 0] + 2) & (d[:, 1] <= g.half[:, 1] + 2))
        if not len(inside):
            return None
        return int(inside[np.argmin(np.hypot(*d[inside].T))])

    def node_widget_pos(self, node: int) -> QPoint:
        """Where node ``node`` is on the widget (logical pixels), for clicks and tests."""
        if self.geometry is None:
            self.draw()
        x, y = self.geometry.centres[node]
        ratio = self.device_pixel_ratio
        return QPoint(round(x / ratio), round(self.height() - y / ratio))

    # ---- mouse and keys ------------------------------------------------------------------

    def _on_scroll(self, event) -> None:
        if event.inaxes is not self.ax or self.trace is None:
            return
        self.zoom(1.2 ** event.step, (event.xdata, event.ydata))

    def _on_press(self, event) -> None:
        if self._whatif is not None and event.button == 3:  # right button: cancel
            self._whatif_end(False)
            return
        if event.button == 1 and event.x is not None:
            self._press = (event.x, event.y)
            self._panning = False
            node = self.node_at(event.x, event.y)
            name = self.whatif_name(node)
            if name is not None:  # a drag on a scalar input is a What-if, not a pan
                self._whatif = [name, event.x, float(self.trace.graph.nodes[node].value),
                                None]

    def whatif_name(self, node: int | None) -> str | None:
        """The name of a scalar input or parameter a drag can move, else None."""
        if node is None or self.trace is None:
            return None
        n = self.trace.graph.nodes[node]
        ok = n.kind in ("data", "parameter") and not n.integer and n.name \
            and "@" not in n.name and np.ndim(n.value) == 0 and np.isfinite(n.value)
        return n.name if ok else None

    def _whatif_move(self, x: float) -> None:
        name, x0, start, _ = self._whatif
        dx = (x - x0) / (self.device_pixel_ratio or 1.0)
        if self._whatif[3] is None and abs(dx) <= DRAG_THRESHOLD:
            return
        if self._whatif[3] is None:
            self.whatIfStarted.emit(name)
        value = start + dx * WHATIF_PER_PIXEL * max(abs(start), 1.0)
        self._whatif[3] = value
        self.whatIfMoved.emit(name, value)

    def _whatif_end(self, keep: bool) -> None:
        """Release: the value is set (one undoable change); Esc or right button: not."""
        name, _, start, value = self._whatif
        self._whatif = None
        self._press, self._panning = None, False
        if value is not None:
            self.whatIfFinished.emit(name, value if keep else start, keep)

    def _on_motion(self, event) -> None:
        if self._whatif is not None and event.x is not None:
            self._whatif_move(event.x)
            return
        if self._press is not None and event.x is not None:
            dx, dy = event.x - self._press[0], event.y - self._press[1]
            if self._panning or math.hypot(dx, dy) > DRAG_THRESHOLD:
                self._panning = True
                self._press = (event.x, event.y)
                self.pan(dx, dy)
            return
        if self.trace is None or event.x is None:
            return
        node = self.node_at(event.x, event.y)
        tangent = self.tangent_at(event.x, event.y) if node is None else None
        if node is not None:
            tip = self.node_tooltip(node)
        elif tangent is not None:  # forward mode: the whole sum and every digit
            tip = self.tangent_tooltip(tangent)
        else:  # a local-gradient label: its whole formula and every digit
            edge = self.edge_label_at(event.x, event.y)
            tip = self.edge_tooltip(edge) if edge is not None else ""
        if tip != self.toolTip():
            self.setToolTip(tip)
        shape = Qt.CursorShape
        cursor = shape.PointingHandCursor if node is not None else shape.ArrowCursor
        if self.cursor().shape() != cursor:
            self.setCursor(cursor)

    def edge_label_at(self, x: float, y: float) -> int | None:
        """The edge whose shown local-gradient label is under display point (x, y)."""
        if self.geometry is None or not self.geometry.show_text:
            return None
        for index in self._shown[_LOCAL]:
            text = self._texts.get((_LOCAL, index))
            if text is not None and self._visible_now((_LOCAL, index)):
                box = text.get_window_extent(self.get_renderer())
                if box.x0 <= x <= box.x1 and box.y0 <= y <= box.y1:
                    return index
        return None

    def edge_tooltip(self, index: int) -> str:
        edge = self.scene.edges[index]
        return label_text.local_tooltip(self.trace, edge, self.scene.local_steps.get(edge))

    def _on_release(self, event) -> None:
        if self._whatif is not None and self._whatif[3] is not None and event.button == 1:
            self._whatif_end(True)
            return
        self._whatif = None
        press, panning = self._press, self._panning
        self._press, self._panning = None, False
        if press is None or panning or event.button != 1 or event.x is None:
            return
        node = self.node_at(event.x, event.y)
        if node is not None:
            self.nodeClicked.emit(node)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """+/- zoom, 0 fits; every other key goes on to the window (stepping keys)."""
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier
        if key == Qt.Key.Key_Escape and self._whatif is not None:
            self._whatif_end(False)
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal) and not modifiers:
            self.zoom(1.25)
        elif key == Qt.Key.Key_Minus and not event.modifiers():
            self.zoom(1 / 1.25)
        elif key == Qt.Key.Key_0 and not event.modifiers():
            self.fit_view()
        else:
            event.ignore()

    def keyReleaseEvent(self, event) -> None:  # noqa: N802 - Qt's name
        event.ignore()
