"""The Plots tab's loss of every pass: its axis labels draw in Chinese too."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.gui.test_i18n import _compiled_translation  # noqa: F401 - the .qm for Chinese

ROOT = Path(__file__).resolve().parents[2]

# a fresh process: the CJK fallback, once on, stays on for every later figure; the
# labels were made before it, as when View → Language switches
DRAW_IN_CHINESE = """
import warnings
warnings.simplefilter("error")
from PySide6.QtWidgets import QApplication
app = QApplication([])
from gui.support import i18n
from gui.panels.pass_loss_plot import PassLossPlot
plot = PassLossPlot(None)  # made in English, then the language switches live
plot.resize(400, 200)
plot.draw()
assert i18n.apply_language("zh") == "zh"
plot.retranslate()
plot.draw()  # a missing glyph is a matplotlib warning, an error here
print(plot.axes.get_xlabel())
"""


def test_the_axis_labels_draw_in_chinese_with_the_cjk_font():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", DRAW_IN_CHINESE], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "反向传播次数"
