"""What every panel shares: words that follow the language, colours that follow the
theme, and where its dock goes, so that the main window names no panel.

A panel is ``class X(Panel, QWidget)`` (or another widget class) with a ``DOCK``
spec; the window makes each panel in its table, docks it as the spec says and hands
it the theme. ``Panel`` comes first so that its ``changeEvent`` runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QDockWidget

Area = Qt.DockWidgetArea


@dataclass(frozen=True)
class DockSpec:
    """Where a panel's dock goes. ``name`` is the dock's objectName: saved window states
    and tests find the dock by it, so it never changes."""

    name: str
    #: the window attribute the dock is kept in, as ``editor_dock``
    attribute: str
    area: Area
    #: ``QT_TRANSLATE_NOOP("MainWindow", …)``; None: the dock follows the panel's windowTitle
    title: str | None = None
    #: the objectName of the dock this one shares tabs with (that one stays in front)
    tabify: str | None = None
    #: the objectName of the dock this one is split from, and how
    split: tuple[str, Qt.Orientation] | None = None
    width: int | None = None
    height: int | None = None
    #: no title bar and no close or float button (the step bar)
    fixed: bool = False
    #: listed under View → Panels
    listed: bool = True
    #: hidden until something shows it (the quiz)
    hidden: bool = False


def dock_of(widget):
    """The dock a panel sits in (it may sit in a scroll area inside it), or None."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QDockWidget):
        parent = parent.parentWidget()
    return parent


class Panel:
    """Mixin for a panel widget: retranslate on LanguageChange, and a theme hook."""

    DOCK: DockSpec | None = None

    def retranslate(self) -> None:
        """Re-set every word in the language now installed (a panel with words overrides)."""

    def set_dark(self, dark: bool) -> None:
        """Take the light or dark theme (a panel with its own colours overrides)."""

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
