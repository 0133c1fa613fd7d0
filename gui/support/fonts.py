"""Fonts that draw both Chinese text and the lesson's symbols (ŷ − ∂ ² σ ⊙ Σ).

DejaVu Sans (matplotlib's own, and the system font here) has every symbol the app
writes but no CJK glyphs; Noto Sans SC, shipped by the ``pylopdf-fonts-zh-cn`` package
(SIL Open Font License 1.1, see resources/licenses/), has the CJK glyphs. So:

* matplotlib gets the family list ``["DejaVu Sans", "Noto Sans SC"]``: since 3.6 it
  falls back glyph by glyph along the list, so ``∂损失/∂ŷ`` takes ∂ and ŷ from DejaVu
  and the Han characters from Noto;
* Qt gets the font as an application font, which its font matching then uses as a
  fallback for the characters the widget's own font lacks.

Cost, measured: finding the file 0.2 ms; matplotlib's entry is written without opening
the 8 MB file (``addfont`` would take 10 ms); Qt's ``addApplicationFont`` ≈ 5 ms (it
reads the font's character map), which the canvas defers until after its first draw
unless the UI is Chinese. Opening the OTF in FreeType costs
≈ 8 ms, and matplotlib opens every fallback font of a family list when it first lays
out text in a new face — so the family list is put in place only when some text
needs it (:func:`ensure_for`, or :func:`use_cjk` for Chinese) and English sessions
never pay it.

A ``.ttc`` collection would register only its first face (often Japanese); this
package ships single-face ``.otf`` files, and the Simplified Chinese one is chosen.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

PACKAGE = "pylopdf_fonts_zh_cn"
FONT_FILE = "NotoSansSC-Regular.otf"
CJK_FAMILY = "Noto Sans SC"
LATIN_FAMILY = "DejaVu Sans"
FAMILIES = [LATIN_FAMILY, CJK_FAMILY]

#: below U+2E80 (CJK Radicals) DejaVu Sans covers what the app writes; above, look it up
_FIRST_CJK = "\u2e80"

#: the Qt half of register(defer_qt=True) runs after the canvas's first draw
#: (register_qt_soon), or after this long if the canvas is never drawn
QT_FALLBACK_MS = 3000

_state = {"matplotlib": False, "qt": False, "qt_scheduled": False, "qt_soon": False,
          "cjk": False}


@lru_cache(maxsize=1)
def font_path() -> Path | None:
    """The Noto Sans SC file: in the installed package, or in a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        for candidate in (Path(bundle, PACKAGE, FONT_FILE),
                          Path(bundle, "resources", "fonts", FONT_FILE)):
            if candidate.is_file():
                return candidate
    # find_spec does not import the package (importlib.resources.files costs ~12 ms)
    import importlib.util

    try:
        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        spec = None
    for folder in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(folder, FONT_FILE)
        if candidate.is_file():
            return candidate
    if spec is not None:  # a zip or other loader: ask importlib.resources
        from importlib.resources import files

        candidate = Path(str(files(PACKAGE).joinpath(FONT_FILE)))
        if candidate.is_file():
            return candidate
    return None


def register(defer_qt: bool = False) -> bool:
    """Make Noto Sans SC known to matplotlib and (when a Qt GUI app exists) to Qt.

    Cheap and idempotent; True when the font was found. Does not change what
    matplotlib draws with: see :func:`use_cjk` and :func:`ensure_for`. With
    ``defer_qt`` the Qt part (~5 ms) waits until :func:`register_qt_soon` (the canvas
    calls it after its first draw, so after the window's first paint), unless the UI
    language is already Chinese.
    """
    path = font_path()
    if path is None:
        return False
    if not _state["matplotlib"]:
        _register_matplotlib(path)
        _state["matplotlib"] = True
    if not _state["qt"] and not _state["qt_scheduled"] and "PySide6.QtGui" in sys.modules:
        from PySide6.QtCore import QLocale, QTimer
        from PySide6.QtGui import QGuiApplication

        if QGuiApplication.instance() is None:
            return True
        if defer_qt and not _is_chinese(QLocale().name()):
            _state["qt_scheduled"] = True
            QTimer.singleShot(QT_FALLBACK_MS, _register_qt)
        else:
            _register_qt()
    return True


def register_qt_soon() -> None:
    """Register with Qt as soon as the event loop is idle (cheap to call often)."""
    if _state["qt"] or _state["qt_soon"]:
        return
    from PySide6.QtCore import QTimer

    _state["qt_soon"] = True
    QTimer.singleShot(0, _register_qt)


def _register_qt() -> None:
    _state["qt_scheduled"] = _state["qt_soon"] = False
    if _state["qt"]:
        return
    from PySide6.QtGui import QFontDatabase, QGuiApplication

    path = font_path()
    if path is None or QGuiApplication.instance() is None:
        return
    # an application font also becomes a fallback for characters a widget's font lacks
    _state["qt"] = QFontDatabase.addApplicationFont(str(path)) >= 0


def qt_registered() -> bool:
    return _state["qt"]


def _is_chinese(lang: str | None) -> bool:
    return bool(lang) and lang.lower().replace("-", "_").startswith("zh")


def _register_matplotlib(path: Path) -> None:
    """``fontManager.addfont`` without its 10 ms of opening the file.

    ``addfont`` reads the name and style from the font; they are known (the test
    compares them with what ``addfont`` would read). Bold maps to the regular face too,
    so bold Chinese labels are drawn in regular weight without a findfont warning.
    """
    from matplotlib import font_manager

    manager = font_manager.fontManager
    for weight in (400, 700):
        entry = font_manager.FontEntry(fname=str(path), name=CJK_FAMILY, style="normal",
                                       variant="normal", weight=weight, stretch="normal",
                                       size="scalable")
        if entry not in manager.ttflist:
            manager.ttflist.append(entry)
    manager._findfont_cached.cache_clear()


def use_cjk() -> bool:
    """From now on matplotlib text falls back to Noto Sans SC; True if it could.

    Only texts made after this call use the list (matplotlib reads the family when a
    Text is made); the canvas makes its texts on demand, so call this first.
    """
    if _state["cjk"]:
        return True
    if not register():
        return False
    _register_qt()  # the text that needs it may be in a widget too
    import matplotlib

    families = [f for f in matplotlib.rcParams["font.family"] if f not in FAMILIES]
    if families and families[0] == "sans-serif":
        families = families[1:]
    matplotlib.rcParams["font.family"] = FAMILIES + families + ["sans-serif"]
    _state["cjk"] = True
    return True


def cjk_in_use() -> bool:
    return _state["cjk"]


@lru_cache(maxsize=1)
def _latin_chars() -> frozenset[int]:
    """Code points DejaVu Sans draws (read once, ~1 ms)."""
    from matplotlib import font_manager, ft2font

    path = font_manager.findfont(LATIN_FAMILY, fallback_to_default=True)
    return frozenset(ft2font.FT2Font(path).get_charmap())


def needs_cjk(text: str) -> bool:
    """Whether ``text`` has a character that DejaVu Sans cannot draw."""
    if text.isascii() or max(text) < _FIRST_CJK:  # ∂ − · ŷ σ: DejaVu has them
        return False
    latin = _latin_chars()
    return any(ord(c) not in latin for c in text if c >= _FIRST_CJK)


def ensure_for(texts: Iterable[str]) -> bool:
    """Switch on the CJK fallback if any of ``texts`` needs it; True when it is on."""
    if _state["cjk"]:
        return True
    if any(needs_cjk(t) for t in texts):
        return use_cjk()
    return False


def use_for_language(lang: str | None) -> None:
    """Chinese (``zh``, ``zh_CN``, …) turns the fallback on up front."""
    if _is_chinese(lang):
        use_cjk()
