"""The feature-map band under the graph: image tensors as strips of maps, step by step.

Shown only for a program with convolution, pooling or dropout. For the current step it
draws what :mod:`gui.canvas.feature_plan` picks: each tensor as a strip of maps (one per
channel, of one sample) on the diverging scale of the graph's grids, numbers in the cells
of a map up to 6×6 and a heat map with a hover readout beyond; kernels as small grids;
max-pool's routes as arrows; a clicked gradient cell spelled out (core.engine.expand) with the
cells that meet in it lit up. Painted with QPainter; :meth:`label_boxes` reports every
text drawn, for the readability contract the graph canvas keeps too.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QLabel, QSizePolicy, QSpinBox, QWidget

from core.base.format import format_number
from gui.canvas.feature_plan import NUMBERS_UP_TO, Plan, Texts, has_images, plan_for
from gui.canvas.grids import cell_colours

translate = QCoreApplication.translate
PAD, GAP, GROUP_GAP = 8.0, 6.0, 22.0
MAX_CELL, MIN_NUMBER_CELL, MIN_CELL = 44.0, 15.0, 5.0
# the maps take at most this share of the band's width; the sentences the rest
MAPS_SHARE = 0.6
HIGHLIGHT, ARROW, DIM = QColor("#e69500"), QColor(200, 90, 0, 190), QColor(150, 150, 150)


def wrapped(text: str, metrics: QFontMetricsF, width: float) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``width``."""
    lines, line = [], ""
    for word in text.split(" "):
        trial = f"{line} {word}" if line else word
        if line and metrics.horizontalAdvance(trial) > width:
            lines.append(line)
            line = word
        else:
            line = trial
    return [*lines, line] if line else lines


def translated_texts() -> Texts:
    texts = Texts()
    for key, value in vars(Texts).items():
        if not key.startswith("_") and isinstance(value, str):
            setattr(texts, key, translate("FeatureMaps", value))
    return texts


class FeatureMapsBand(QWidget):
    """A band below the graph; follows the model's step and trace."""

    def __init__(self, model, parent=None):
        super().__init__(parent)
        self.setObjectName("featureMaps")
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(150)
        self.model = model
        self.dark = False
        self.sample = 0
        # (step index, entry index) of a clicked gradient cell
        self.zoom: tuple[int, tuple] | None = None
        self.plan = Plan()
        self.readout = ""
        self.limit = 8
        # what was drawn: [(kind, text, QRectF)], and cell rects [(group, map, r, c, QRectF)]
        self._texts: list[tuple[str, str, QRectF]] = []
        self._cells: list[tuple[int, int, int, int, QRectF]] = []
        self.sample_label = QLabel(self)
        self.sample_box = QSpinBox(self, objectName="featureSample")
        self.sample_box.valueChanged.connect(self.set_sample)
        model.stepChanged.connect(lambda *_: self.refresh())
        model.traceReplaced.connect(self._trace_replaced)
        self.retranslate()
        self._trace_replaced()

    # ---- state ---------------------------------------------------------------------

    def retranslate(self) -> None:
        self.sample_label.setText(translate("FeatureMaps", "sample"))
        self.sample_label.adjustSize()
        self.refresh()

    def set_dark(self, dark: bool) -> None:
        self.dark = dark
        self.update()

    def _trace_replaced(self) -> None:
        self.zoom = None
        self.setVisible(has_images(self.model.trace))
        self.refresh()

    def set_sample(self, sample: int) -> None:
        self.sample = int(sample)
        self.refresh()

    def click_entry(self, index: tuple) -> None:
        """Spell out one entry of the current conv gradient (as a click on its cell)."""
        step = self.model.current
        if step is not None:
            self.zoom = (step.index, tuple(int(i) for i in index))
            self.refresh()

    def refresh(self) -> None:
        step = self.model.current
        zoom = self.zoom[1] if self.zoom and step is not None and \
            self.zoom[0] == step.index else None
        if self.isVisible() or not self.isHidden():
            self.plan = plan_for(self.model.trace, step, self.sample, zoom, translated_texts())
        many = self.plan.samples > 1
        self.sample_box.setVisible(many)
        self.sample_label.setVisible(many)
        if many:
            self.sample_box.blockSignals(True)
            self.sample_box.setRange(0, self.plan.samples - 1)
            self.sample_box.setValue(min(self.sample, self.plan.samples - 1))
            self.sample_box.blockSignals(False)
        self.update()

    # ---- measuring -----------------------------------------------------------------

    def _font(self, size: float, mono: bool = False) -> QFont:
        font = QFont("DejaVu Sans Mono" if mono else self.font().family())
        font.setPointSizeF(size)
        return font

    def _cell_size(self, top: float, limit: int) -> float:
        """The largest cell that fits the height left, with at most ``limit`` maps of
        each tensor in at most MAPS_SHARE of the width (the sentences take the rest)."""
        groups = self.plan.groups
        if not groups:
            return MAX_CELL
        rows = max(g.maps.shape[1] for g in groups)
        height = self.height() - top - PAD - self._line_height()  # the names under maps
        shown = [min(limit, g.maps.shape[0]) for g in groups]
        cols = sum(n * g.maps.shape[2] for n, g in zip(shown, groups, strict=True))
        gaps = sum((n - 1) * GAP for n in shown) + GROUP_GAP * (len(groups) - 1) + PAD \
            + sum(self._more_width(g, n) for n, g in zip(shown, groups, strict=True))
        width = self.width() * MAPS_SHARE - gaps
        return max(2.0, min(MAX_CELL, height / max(rows, 1), width / max(cols, 1)))

    def _layout(self, top: float) -> tuple[float, int]:
        """(cell size, maps per tensor): fewer maps ("+N more") rather than cells too
        small to see."""
        for limit in (8, 6, 4, 3, 2, 1):
            cell = self._cell_size(top, limit)
            if cell >= MIN_CELL:
                return cell, limit
        return cell, 1

    def _line_height(self) -> float:
        return QFontMetricsF(self._font(9)).height()

    def _more_width(self, group, shown: int) -> float:
        more = group.more + group.maps.shape[0] - shown
        return QFontMetricsF(self._font(9)).horizontalAdvance(self._more_text(more)) + GAP \
            if more else 0.0

    @staticmethod
    def _more_text(more: int) -> str:
        return translate("FeatureMaps", "+{0} more").format(more)

    # ---- painting ------------------------------------------------------------------

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        # (ended however the block ends: a painter left open when drawing raised took
        # the whole app down with the widget, "Cannot destroy paint device that is
        # being painted")
        with QPainter(self) as painter:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            background = QColor("#1e1e1e" if self.dark else "#fbfbfb")
            ink = QColor("#e0e0e0" if self.dark else "#222222")
            painter.fillRect(self.rect(), background)
            painter.setPen(QPen(QColor("#888888"), 0.8))
            painter.drawLine(0, 0, self.width(), 0)
            self._texts, self._cells = [], []
            cell, limit = self._layout(PAD + self._line_height() + 2)
            self.limit = limit  # maps drawn per tensor now
            x = PAD
            for gi, group in enumerate(self.plan.groups):
                x = self._group(painter, gi, group, x, PAD, cell, ink, limit) + GROUP_GAP
            self._arrows(painter)
            self._sentences(painter, x, ink)

    def _sentences(self, painter, left: float, ink) -> None:
        """The plan's lines in the column right of the maps, wrapped; the readout last."""
        y = PAD
        if self.sample_box.isVisible():
            box_x = self.width() - PAD - self.sample_box.width()
            self.sample_box.move(int(box_x), int(PAD - 3))
            self.sample_label.move(int(box_x - 4 - self.sample_label.width()), int(PAD))
            y = self.sample_box.y() + self.sample_box.height() + 2
        width = self.width() - left - PAD
        metrics = QFontMetricsF(self._font(9.5))
        bottom = self.height() - PAD - metrics.height()  # the readout's line
        for line in self.plan.lines:
            for piece in wrapped(line, metrics, width):
                if y + 2 * metrics.height() > bottom:
                    piece = metrics.elidedText(piece + " …", Qt.TextElideMode.ElideRight,
                                               width)
                y = self._text_line(painter, piece, left, y, ink, "line")
                if y + metrics.height() > bottom:
                    break
            y += 3
        if self.readout:
            self._text_line(painter, self.readout, left, bottom, ink, "readout")

    def _text_line(self, painter, text: str, x: float, y: float, ink, kind: str,
                   size: float = 9.5) -> float:
        font = self._font(size)
        metrics = QFontMetricsF(font)
        elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, self.width() - x - PAD)
        rect = QRectF(x, y, metrics.horizontalAdvance(elided), metrics.height())
        painter.setFont(font)
        painter.setPen(ink)
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft, elided)
        self._texts.append((kind, elided, rect))
        return y + metrics.height()

    def _group(self, painter, gi: int, group, x: float, y: float, cell: float, ink,
               limit: int) -> float:
        _, rows, cols = group.maps.shape
        count = min(limit, group.maps.shape[0])
        more = group.more + group.maps.shape[0] - count
        font = self._font(9)
        metrics = QFontMetricsF(font)
        title = group.title
        title_rect = QRectF(x, y, metrics.horizontalAdvance(title), metrics.height())
        painter.setFont(font)
        painter.setPen(ink)
        painter.drawText(title_rect, Qt.AlignmentFlag.AlignLeft, title)
        self._texts.append(("title", title, title_rect))
        top = y + metrics.height() + 2
        colours = cell_colours(group.maps)
        numbers = rows <= NUMBERS_UP_TO and cols <= NUMBERS_UP_TO and cell >= MIN_NUMBER_CELL
        number_font = self._font(max(6.0, min(9.0, cell * 0.32)), mono=True)
        number_metrics = QFontMetricsF(number_font)
        right = x
        for m in range(count):
            left = x + m * (cols * cell + GAP)
            for r in range(rows):
                for c in range(cols):
                    rect = QRectF(left + c * cell, top + r * cell, cell, cell)
                    self._cells.append((gi, m, r, c, rect))
                    rgba = colours[m, r, c]
                    painter.fillRect(rect, QColor.fromRgbF(*rgba))
                    painter.setPen(QPen(QColor("#777777"), 0.5))
                    painter.drawRect(rect)
                    if numbers:
                        self._number(painter, group, (m, r, c), rect, number_font,
                                     number_metrics)
            painter.setPen(QPen(ink, 1.0, Qt.PenStyle.DashLine))
            for r0, c0, r1, c1 in group.windows:
                painter.drawRect(QRectF(left + c0 * cell, top + r0 * cell, (c1 - c0) * cell,
                                        (r1 - r0) * cell))
            for (hm, hr, hc) in group.selected:
                if hm == m and hr < rows and hc < cols:
                    painter.setPen(QPen(ink, 2.6))
                    painter.drawRect(QRectF(left + hc * cell, top + hr * cell, cell, cell))
            for (hm, hr, hc) in group.highlight:
                if hm == m and hr < rows and hc < cols:
                    painter.setPen(QPen(HIGHLIGHT, 1.8))
                    painter.drawRect(QRectF(left + hc * cell, top + hr * cell, cell, cell)
                                     .adjusted(1, 1, -1, -1))
            name = group.names[m] if m < len(group.names) else ""
            if name and QFontMetricsF(font).horizontalAdvance(name) <= cols * cell + GAP - 2:
                name_rect = QRectF(left, top + rows * cell + 1,
                                   QFontMetricsF(font).horizontalAdvance(name), metrics.height())
                painter.setFont(font)
                painter.setPen(ink)
                painter.drawText(name_rect, Qt.AlignmentFlag.AlignLeft, name)
                self._texts.append(("name", name, name_rect))
            right = left + cols * cell
        if more:
            more = self._more_text(more)
            rect = QRectF(right + GAP, top + rows * cell / 2 - metrics.height() / 2,
                          metrics.horizontalAdvance(more), metrics.height())
            painter.setFont(font)
            painter.setPen(ink)
            painter.drawText(rect, Qt.AlignmentFlag.AlignLeft, more)
            self._texts.append(("more", more, rect))
            right = rect.right()
        return max(right, title_rect.right())

    def _number(self, painter, group, where, rect: QRectF, font, metrics) -> None:
        m, r, c = where
        dim = where in group.dimmed
        text = format_number(group.maps[m, r, c], 3)
        size = font.pointSizeF()
        while metrics.horizontalAdvance(text) > rect.width() - 2 and size > 6.0:
            size -= 0.5  # a long number gets a smaller font before it is left out
            font = self._font(size, mono=True)
            metrics = QFontMetricsF(font)
        if metrics.horizontalAdvance(text) > rect.width() - 2:
            return  # the readout gives it on hover
        painter.setFont(font)
        painter.setPen(DIM if dim else QColor("#111111"))
        box = QRectF(rect.center().x() - metrics.horizontalAdvance(text) / 2,
                     rect.center().y() - metrics.height() / 2,
                     metrics.horizontalAdvance(text), metrics.height())
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        self._texts.append(("number", text, box))

    def _arrows(self, painter) -> None:
        where = {(g, m, r, c): rect for g, m, r, c, rect in self._cells}
        painter.setPen(QPen(ARROW, 1.4))
        for source, target in self.plan.arrows:
            a, b = where.get(source), where.get(target)
            if a is None or b is None:
                continue
            start, end = QPointF(a.right() - 2, a.center().y()), b.center()
            painter.drawLine(start, end)
            angle = math.atan2(end.y() - start.y(), end.x() - start.x())
            size = min(7.0, a.width() * 0.4)
            for turn in (2.6, -2.6):
                painter.drawLine(end, QPointF(end.x() + size * math.cos(angle + turn),
                                              end.y() + size * math.sin(angle + turn)))

    # ---- mouse ---------------------------------------------------------------------

    def _cell_at(self, point) -> tuple | None:
        for g, m, r, c, rect in self._cells:
            if rect.contains(QPointF(point)):
                return g, m, r, c
        return None

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt's name
        hit = self._cell_at(event.position())
        text = ""
        if hit is not None:
            g, m, r, c = hit
            group = self.plan.groups[g]
            index = group.index_of(m, r, c) if group.index_of else (m, r, c)
            text = f"{group.name}[{', '.join(str(i) for i in index)}] = " \
                   f"{format_number(group.maps[m, r, c])}"
        if text != self.readout:
            self.readout = text
            self.update()

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        hit = self._cell_at(event.position())
        if hit is None:
            return
        g, m, r, c = hit
        group = self.plan.groups[g]
        if group.clickable and group.index_of is not None:
            self.click_entry(group.index_of(m, r, c))

    # ---- the readability contract ---------------------------------------------------

    def label_boxes(self) -> list[dict]:
        """One ``{"kind", "text", "rect": (x, y, w, h)}`` per text drawn now."""
        self.grab()  # paints, so the boxes are those of what is shown
        return [{"kind": k, "text": t, "rect": (r.x(), r.y(), r.width(), r.height())}
                for k, t, r in self._texts]

    def cell_rects(self) -> list[tuple[int, int, int, int, tuple]]:
        self.grab()
        return [(g, m, r, c, (q.x(), q.y(), q.width(), q.height()))
                for g, m, r, c, q in self._cells]


__all__ = ["FeatureMapsBand", "translated_texts", "wrapped"]
