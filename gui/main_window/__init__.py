"""Kept for ``from gui.main_window import MainWindow``: the window lives in gui/window/.

A package rather than a one-line module, so git sees gui/main_window.py as renamed
(not rewritten) and merges edits made to it elsewhere into gui/window/main_window.py.
"""

from gui.window.main_window import MainWindow

__all__ = ["MainWindow"]
