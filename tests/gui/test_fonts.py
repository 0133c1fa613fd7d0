"""Chinese text and the lesson's symbols, on the canvas and in its exports, without boxes.

matplotlib warns "Glyph … missing from font(s)" for a character it cannot draw, and the
test run turns warnings into errors: drawing and exporting below is the check.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from matplotlib import font_manager, ft2font
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PySide6.QtGui import QFontDatabase

from core.engine.trace import Stepper, build_trace
from gui.graph_canvas import GraphCanvas
from gui.support import fonts

CHINESE = "损失 = (预测 − 目标)²"
SYMBOLS = "∂loss/∂ŷ = −2 · s · σ ⊙ Σ x²"


def test_the_font_is_installed_and_found():
    path = fonts.font_path()
    assert path is not None and path.name == "NotoSansSC-Regular.otf"
    face = ft2font.FT2Font(str(path))
    assert face.family_name == "Noto Sans SC"
    for char in "损失预测目标前向传播反向梯度":
        assert face.get_char_index(ord(char)), char


def test_matplotlib_entry_is_what_addfont_would_read():
    fonts.register()
    read = font_manager.ttfFontProperty(ft2font.FT2Font(str(fonts.font_path())))
    ours = [e for e in font_manager.fontManager.ttflist if e.fname == str(fonts.font_path())]
    regular = next(e for e in ours if e.weight == 400)
    assert (regular.name, regular.style, regular.variant, regular.stretch) == (
        read.name, read.style, read.variant, read.stretch)
    assert read.weight in (400, "normal", "regular")
    assert {e.weight for e in ours} == {400, 700}  # bold maps to the one face, no warning


def test_needs_cjk_only_for_characters_dejavu_lacks():
    assert not fonts.needs_cjk("loss = (w * x - y) ** 2")
    assert not fonts.needs_cjk(SYMBOLS)
    assert fonts.needs_cjk(CHINESE)
    assert fonts.needs_cjk("第 5 步")


def test_without_the_fallback_matplotlib_would_draw_boxes():
    """The glyph warning is what the other tests rely on: check that it fires."""
    figure = Figure(figsize=(3, 1))
    FigureCanvasAgg(figure)
    figure.text(0.1, 0.5, CHINESE, family=["DejaVu Sans"])
    with pytest.warns(UserWarning, match="missing from font"):
        figure.canvas.draw()


@pytest.mark.parametrize("suffix", ["png", "svg", "pdf"])
def test_figure_with_chinese_and_symbols_exports(tmp_path, suffix):
    assert fonts.use_cjk()
    figure = Figure(figsize=(4, 1.5))
    FigureCanvasAgg(figure)
    figure.text(0.05, 0.6, SYMBOLS, fontsize=13)
    figure.text(0.05, 0.2, CHINESE + " 反向传播", fontsize=13, fontweight="bold")
    out = tmp_path / f"text.{suffix}"
    figure.savefig(out)
    assert out.stat().st_size > 1000
    if suffix == "pdf":  # the CJK face is embedded (as a Type 3 subset: CFF outlines)
        assert b"NotoSansSC" in out.read_bytes()


def test_canvas_with_chinese_names_exports_without_missing_glyphs(qtbot, tmp_path):
    trace = build_trace("w = param(0.5)\nx = 2.0\ny = 4.0\n"
                        "预测 = w * x\n误差 = 预测 - y\n损失 = 误差 ** 2")
    canvas = GraphCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(900, 450)
    canvas.show()
    stepper = Stepper(trace)
    stepper.end()
    canvas.set_trace(trace)
    canvas.show_state(stepper.known, stepper.current)
    qtbot.waitExposed(canvas)
    canvas.draw()
    assert fonts.cjk_in_use()
    assert "损失" in canvas.visible_labels()
    for suffix in ("png", "svg", "pdf"):
        canvas.export_image(tmp_path / f"graph.{suffix}")
        assert (tmp_path / f"graph.{suffix}").stat().st_size > 1000


def test_qt_knows_the_font(qapp):
    fonts.register()
    fonts._register_qt()  # the canvas defers it; here it is wanted now
    assert fonts.qt_registered()
    assert "Noto Sans SC" in QFontDatabase.families()


def test_registration_is_cheap():
    """Measured in a fresh process: finding the file and telling matplotlib (Qt's part
    is deferred by the canvas). Its CPU time: a busy machine, or the other xdist worker,
    does not count."""
    code = ("import time, matplotlib.font_manager, PySide6.QtGui\n"
            "t = time.process_time()\n"
            "from gui.support import fonts\n"
            "assert fonts.register()\n"
            "print((time.process_time() - t) * 1000)\n")
    best = min(float(subprocess.run([sys.executable, "-c", code], capture_output=True,
                                    text=True, check=True).stdout) for _ in range(2))
    assert best < 20, f"{best:.1f} ms"


def test_english_text_never_opens_the_chinese_font(qtbot):
    """A canvas on the lesson does not switch the family list on (8 ms per face)."""
    code = ("import os\n"
            "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
            "from PySide6.QtWidgets import QApplication\n"
            "app = QApplication([])\n"
            "from core.engine.trace import build_trace\n"
            "from gui.support import fonts\n"
            "from gui.graph_canvas import GraphCanvas\n"
            "c = GraphCanvas()\n"
            "c.set_trace(build_trace('w = param(1.0)\\nx = 1.0\\ny = 2.0\\n"
            "y_hat = w * x\\ns = y_hat - y\\nloss = s ** 2'))\n"
            "c.draw()\n"
            "print(fonts.cjk_in_use())\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"



def test_qt_registration_waits_for_the_first_draw():
    """Start-up does not pay Qt's ~5 ms: the font is registered once the canvas drew."""
    code = ("import os\n"
            "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
            "from PySide6.QtWidgets import QApplication\n"
            "app = QApplication([])\n"
            "from gui.support import fonts\n"
            "from gui.graph_canvas import GraphCanvas\n"
            "c = GraphCanvas()\n"
            "before = fonts.qt_registered()\n"
            "c.show()\n"
            "c.draw()\n"
            "for _ in range(20):\n"
            "    app.processEvents()\n"
            "print(before, fonts.qt_registered())\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "True"]
