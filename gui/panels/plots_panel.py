"""Plots: the loss of every pass of a recorded run, and the matplotlib figures the
script showed (``plt.show()``), in a tab of their own.

A script never opens a window of its own: the recorder saves each figure it shows into
its folder (``plots/NNN.png``) and closes it; this panel shows them, the newest last,
once the run has ended. The tab appears when a run recorded passes or drew something.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QDockWidget, QLabel, QScrollArea, QVBoxLayout, QWidget

from gui.panels.base import Area, DockSpec, Panel
from gui.panels.pass_loss_plot import PassLossPlot

#: at most this many figures are shown (the first ones); the rest are counted
MAX_PLOTS = 40
MAX_PLOT_BYTES = 20_000_000


def plot_files(record_dir) -> list[Path]:
    """The figures a run saved, in the order it showed them."""
    if record_dir is None:
        return []
    folder = Path(record_dir) / "plots"
    try:
        return sorted(p for p in folder.glob("*.png") if p.is_file())
    except OSError:
        return []


class PlotsPanel(Panel, QWidget):
    DOCK = DockSpec("plotsDock", "plots_dock", Area.RightDockWidgetArea,
                    QT_TRANSLATE_NOOP("MainWindow", "Plots"), tabify="torchDock", hidden=True)

    def __init__(self, model, parent=None):
        super().__init__(parent)
        self.setObjectName("plotsPanel")
        self.model = model
        self.caption = QLabel(objectName="plotsCaption", wordWrap=True)
        self.area = QScrollArea(objectName="plotsArea")
        self.area.setWidgetResizable(True)
        self.area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.inner = QWidget()
        self.column = QVBoxLayout(self.inner)
        self.column.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.area.setWidget(self.inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        runs = getattr(model, "run", None)
        self.loss_plot = PassLossPlot(runs, self) if runs is not None else None
        if self.loss_plot is not None:
            self.loss_plot.hide()
            layout.addWidget(self.loss_plot)
            runs.passChanged.connect(self.loss_plot.mark)
        layout.addWidget(self.caption)
        layout.addWidget(self.area, 1)
        self.images: list[QLabel] = []
        self._pixmaps: list[QPixmap] = []
        self._files: list[Path] = []
        runs = getattr(model, "run", None)
        if runs is not None:
            runs.started.connect(lambda: self.show_files([]))
            runs.finished.connect(self._run_finished)
            runs.opened.connect(self._run_finished)  # a session's saved run: its figures
        self.retranslate()

    def retranslate(self) -> None:
        self.area.setAccessibleName(self.tr("The script's plots"))
        if getattr(self, "loss_plot", None) is not None:
            self.loss_plot.retranslate()
        self._caption()

    def set_dark(self, dark: bool) -> None:
        if self.loss_plot is not None:
            self.loss_plot.set_dark(dark)

    def _caption(self) -> None:
        count = len(self._files)
        if not count:
            self.caption.setText(self.tr("A script's plt.show() figures show here."))
        elif count == 1:
            self.caption.setText(self.tr("The figure the script showed"))
        else:
            self.caption.setText(self.tr("{0} figures the script showed").format(count))

    def _run_finished(self) -> None:
        runs = self.model.run
        files = plot_files(getattr(runs.result, "record_dir", None))
        self.show_files(files)
        self.loss_plot.setVisible(runs.count > 1)
        self.loss_plot.refresh()
        dock = self.parentWidget()
        if (files or runs.count > 1) and isinstance(dock, QDockWidget) and dock.isHidden():
            dock.show()  # a tab beside PyTorch: the graph and its panel stay in front

    def show_files(self, files: list[Path]) -> None:
        for label in self.images:
            label.deleteLater()
        self.images, self._pixmaps, self._files = [], [], list(files)
        for path in files[:MAX_PLOTS]:
            try:
                if path.stat().st_size > MAX_PLOT_BYTES:
                    continue
            except OSError:
                continue
            pixmap = QPixmap(str(path))
            if pixmap.isNull():
                continue
            label = QLabel(objectName="plotImage")
            label.setAccessibleName(self.tr("Figure {0}").format(len(self.images) + 1))
            self._pixmaps.append(pixmap)
            self.images.append(label)
            self.column.addWidget(label)
        self._scale()
        self._caption()

    def _scale(self) -> None:
        width = max(120, self.area.viewport().width() - 24)
        for label, pixmap in zip(self.images, self._pixmaps, strict=True):
            shown = pixmap if pixmap.width() <= width else pixmap.scaledToWidth(
                width, Qt.TransformationMode.SmoothTransformation)
            label.setPixmap(shown)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._scale()
