"""The names at the view's edge in an exported image (gui/canvas/edge_names_export.py):
an export shows what the canvas shows, markers included."""

from __future__ import annotations

import re

import numpy as np
from PIL import Image
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from gui.window import dock_layout
from tests.gui.test_readability import load, settle


def _at_the_edge(window):
    """10-conv-pool at its first step in a small window: x, W and b are cut at the
    view's left edge, and named there by markers (test_projector_view)."""
    window.resize(1152, 648)
    QApplication.processEvents()
    dock_layout.apply_default_sizes(window)
    load(window, "10-conv-pool")
    settle(window)
    window.model.goto(1)
    settle(window)
    found = window.canvas.edge_names.markers()
    assert {m.text for m in found} == {"x", "W", "b"}
    return found


def _rgb(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    return np.frombuffer(image.constBits(), np.uint8).reshape(
        image.height(), image.bytesPerLine())[:, :3 * image.width()].reshape(
        image.height(), image.width(), 3).astype(int)


def test_an_exported_png_shows_the_names_as_the_screen_does(window, tmp_path):
    found = _at_the_edge(window)
    canvas = window.canvas
    screen = _rgb(canvas.grab().toImage())
    figure_only = np.asarray(canvas.buffer_rgba())[:, :, :3].astype(int)
    artists = list(canvas.figure.artists)
    assert window.export_image(tmp_path / "graph.png")
    exported = np.asarray(Image.open(tmp_path / "graph.png").convert("RGB")).astype(int)
    assert exported.shape == screen.shape
    for m in found:
        x, y, w, h = (round(v) for v in m.rect)
        part = np.s_[y + 1:y + h - 1, x + 1:x + w - 1]
        # the figure's own pixels there are the graph's: the marker is drawn over them
        unmarked = np.abs(figure_only[part] - screen[part]).mean()
        assert unmarked > 10, m.text
        # the export is as the screen, but for Qt's and Agg's text a pixel apart here and
        # there (measured: a third of the figure's difference; frame, triangle and letter
        # in place when looked at)
        assert np.abs(exported[part] - screen[part]).mean() < unmarked / 2, m.text
    assert canvas.figure.artists == artists  # taken out of the figure again
    settle(window)
    assert {m.text for m in canvas.edge_names.markers()} == {"x", "W", "b"}  # the screen's


def test_an_exported_svg_names_each_marker(window, tmp_path):
    found = _at_the_edge(window)
    assert window.export_image(tmp_path / "graph.svg")
    ids = set(re.findall(r'id="edge-name-(\d+)-text"', (tmp_path / "graph.svg").read_text()))
    assert ids == {str(m.node) for m in found}


def test_an_export_without_cut_neighbours_has_no_marker(window, tmp_path):
    _at_the_edge(window)
    window.model.goto(3)  # the step moved on: its neighbours are whole (no marker)
    settle(window)
    assert window.canvas.edge_names.markers() == []
    assert window.export_image(tmp_path / "graph.svg")
    assert "edge-name-" not in (tmp_path / "graph.svg").read_text()


def test_a_chinese_name_with_a_transpose_exports_every_glyph(window, tmp_path):
    """Noto Sans SC has no "ᵀ": the marker's text takes the figure's fonts glyph by glyph,
    as its labels do (one font drew a box for it, with a warning)."""
    import warnings

    from PySide6.QtGui import QFont

    from gui.canvas.edge_names import Marker
    from gui.canvas.edge_names_export import _artists

    _at_the_edge(window)
    canvas = window.canvas
    font = QFont()
    font.setPixelSize(12)
    marker = Marker(0, "X @ (权重ᵀ)", "left", (1.0, 20.0, 90.0, 17.0), font, "operation")
    artists = _artists(canvas, marker)
    for artist in artists:
        canvas.figure.add_artist(artist)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # "Glyph … missing from font(s) …"
            canvas.figure.savefig(tmp_path / "graph.png")
    finally:
        for artist in artists:
            artist.remove()
