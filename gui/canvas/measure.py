"""How big a label is, in points, without laying it out: glyph advances of the font.

Summed advances are a hair wider than matplotlib's hinted layout (kerning makes text
narrower, never wider), so boxes made from them hold the drawn text. Chinese
characters count one em. Line heights follow matplotlib's layout (1.2 em between lines).
"""

from __future__ import annotations

import threading
from functools import lru_cache

from core.drawing.labels import MONO_ADVANCE

#: slack added to every width (points): rounding of the hinted layout
WIDTH_SLACK = 1.5


@lru_cache(maxsize=16)
def _font(bold: bool, thread: int):
    """A FreeType face of our own per thread (matplotlib's shared one changes size as
    it draws; a worker thread lays out big graphs)."""
    from matplotlib.font_manager import FontProperties, findfont
    from matplotlib.ft2font import FT2Font

    font = FT2Font(findfont(FontProperties(weight="bold" if bold else "normal")))
    font.set_size(100, 72)  # advances per 100 points: scaled below
    return font


@lru_cache(maxsize=4096)
def _advance(char: str, bold: bool) -> float:
    """Advance of one character at 1 point."""
    if char >= "\u2e80":
        return 1.0
    font = _font(bold, threading.get_ident())
    if font.get_char_index(ord(char)) == 0:
        return 0.8
    return font.load_char(ord(char)).linearHoriAdvance / 65536 / 100


def text_size(text: str, size: float, bold: bool = False,
              mono: bool = False) -> tuple[float, float]:
    """(width, height) of ``text`` at ``size`` points: its layout box, lines included
    (``mono``: the grid font, every character MONO_ADVANCE em)."""
    lines = text.split("\n")
    if mono:
        width = max(len(line) for line in lines) * MONO_ADVANCE * size
    else:
        width = max(sum(_advance(c, bold) for c in line) for line in lines) * size
    extra = len(lines) - 1
    height = size * (1.2 * extra + 1.04 + (0.2 if extra else 0.0)) + 0.5
    return width + WIDTH_SLACK, height
