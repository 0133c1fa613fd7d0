"""What every panel shares: words that follow the language, colours that follow the
theme, where its dock goes, its actions and its step-bar buttons, so that the main
window names no panel.

A panel is ``class X(Panel, QWidget)`` (or another widget class) with a ``DOCK``
spec; the window makes each panel in its table, docks it as the spec says and hands
it the theme. ``Panel`` comes first so that its ``changeEvent`` runs.

A panel declares the rest too, and the window reads it:

- ``ACTIONS``: :class:`PanelAction` rows. The panel makes them (:meth:`Panel.make_actions`,
  in its ``__init__``); the window adds each to itself (its keys work with the menus
  hidden) and lists it in the menu section the row names.
- ``STEP_BAR``: the names of the panel's widgets the window puts on the step bar.
- :meth:`Panel.attach`: what the panel links to once the window is whole (the canvas,
  another panel), through the window's public attributes only: no panel reads or sets
  ``window._anything`` (tests/gui/test_panel_contract.py checks it).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget

Area = Qt.DockWidgetArea
#: the menu sections a panel's action can be listed in: the Step menu's phase jumps
#: (after "First step of the backward pass") and its modes (at its end)
STEP_PHASES, STEP_MODES = "step/phases", "step/modes"
MENU_SECTIONS = (STEP_PHASES, STEP_MODES)


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


@dataclass(frozen=True)
class PanelAction:
    """One of a panel's actions (a menu entry with its keys)."""

    #: the panel attribute it is kept in, as ``toggle_action``
    attribute: str
    #: its objectName: tests and saved shortcuts find it by that, so it never changes
    name: str
    #: ``QT_TRANSLATE_NOOP("<the panel's class>", …)``, set again on a language switch
    text: str
    #: the panel method it runs: on ``triggered``, or on ``toggled(on)`` when checkable
    slot: str
    keys: tuple[str, ...] = ()
    #: the menu section that lists it (one of MENU_SECTIONS)
    menu: str = STEP_MODES
    checkable: bool = False


def dock_of(widget):
    """The dock a panel sits in (it may sit in a scroll area inside it), or None."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QDockWidget):
        parent = parent.parentWidget()
    return parent


class Panel:
    """Mixin for a panel widget: retranslate on LanguageChange, a theme hook, and what
    the panel declares to the window (its dock, actions and step-bar widgets)."""

    DOCK: DockSpec | None = None
    ACTIONS: tuple[PanelAction, ...] = ()
    #: attribute names of the panel's widgets that go on the step bar, in this order
    STEP_BAR: tuple[str, ...] = ()

    def make_actions(self) -> None:
        """Make the ``ACTIONS`` rows' QActions and keep each in its attribute."""
        for spec in self.ACTIONS:
            action = QAction(self, objectName=spec.name, checkable=spec.checkable)
            action.setShortcuts([QKeySequence(keys) for keys in spec.keys])
            (action.toggled if spec.checkable else action.triggered).connect(
                getattr(self, spec.slot))
            setattr(self, spec.attribute, action)
        self.name_actions()

    def name_actions(self) -> None:
        """The actions' words in the language now installed (the panel's context)."""
        context = type(self).__name__
        for spec in self.ACTIONS:
            getattr(self, spec.attribute).setText(QCoreApplication.translate(context, spec.text))

    def attach(self, window) -> None:
        """Link to the window's public parts, once every panel, dock and action exists
        (only a panel that shows things elsewhere needs to)."""

    def retranslate(self) -> None:
        """Re-set every word in the language now installed (a panel with words overrides)."""

    def set_dark(self, dark: bool) -> None:
        """Take the light or dark theme (a panel with its own colours overrides)."""

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.name_actions()
            self.retranslate()
        super().changeEvent(event)
