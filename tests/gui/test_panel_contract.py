"""The panel contract (issue 18, gui.panels.base): a panel declares its dock, actions and
step-bar widgets, the window reads them, and no panel reaches into the window's private
attributes."""

from __future__ import annotations

import ast
from pathlib import Path

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu

from gui.panels.base import MENU_SECTIONS
from gui.window.actions import ACTIONS

PANELS = Path(__file__).resolve().parents[2] / "gui" / "panels"
#: names a panel module gives the main window (``install(window)``, ``self.window``)
WINDOW_NAMES = {"window", "main_window", "_window"}


def _is_window(node: ast.AST) -> bool:
    """``window``, ``self.window``, ``self.window()`` or ``widget.window()``."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Name):
        return node.id in WINDOW_NAMES
    return isinstance(node, ast.Attribute) and node.attr in WINDOW_NAMES


def private_window_uses(source: str) -> list[str]:
    """Where ``source`` reads or sets a private attribute of the window, directly
    (``window._dock``) or by name (``getattr(window, "_painted")``)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") \
                and not node.attr.startswith("__") and _is_window(node.value):
            found.append((node.lineno, f".{node.attr}"))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in {"getattr", "setattr", "hasattr", "delattr"} \
                and len(node.args) >= 2 and _is_window(node.args[0]) \
                and isinstance(node.args[1], ast.Constant) \
                and str(node.args[1].value).startswith("_"):
            found.append((node.lineno, f"{node.func.id} {node.args[1].value}"))
    return [f"line {line}: {what}" for line, what in sorted(found)]


def test_the_finder_finds_a_private_attribute_of_the_window():
    source = ("def install(window):\n"
              "    window._dock('x')\n"
              "    window.canvas.set_trace(None)\n"
              "    getattr(self.window(), '_painted', True)\n"
              "    self.window._texts = None\n"
              "    self._own = window.model\n")
    assert private_window_uses(source) == ["line 2: ._dock", "line 4: getattr _painted",
                                           "line 5: ._texts"]


def test_no_panel_touches_a_private_attribute_of_the_window():
    found = {}
    for path in sorted(PANELS.rglob("*.py")):
        uses = private_window_uses(path.read_text(encoding="utf-8"))
        if uses:
            found[str(path.relative_to(PANELS.parent.parent))] = uses
    assert not found, f"panels use the window's private attributes: {found}"


def _menu_actions(menu: QMenu) -> list:
    actions = []
    for action in menu.actions():
        actions.append(action)
        if action.menu() is not None:
            actions += _menu_actions(action.menu())
    return actions


def test_every_declared_action_is_in_the_menus_with_its_keys(window):
    in_menus = [action for top in window.menuBar().actions() if top.menu() is not None
                for action in _menu_actions(top.menu())]
    declared = [(panel, spec) for panel in window.panels for spec in panel.ACTIONS]
    assert {spec.name for _panel, spec in declared} >= {
        "updatePhaseAction", "quizAction", "ninjaAction", "forwardModeAction"}
    for panel, spec in declared:
        action = getattr(panel, spec.attribute)
        assert spec.menu in MENU_SECTIONS
        assert action.objectName() == spec.name
        assert action in in_menus, f"{spec.name} is in no menu"
        assert action in window.actions(), f"{spec.name}'s keys need the window to hold it"
        assert action.shortcuts() == [QKeySequence(keys) for keys in spec.keys]
        assert action.isCheckable() == spec.checkable
        assert action.text(), f"{spec.name} has no words"


def test_every_action_of_the_window_table_is_in_the_menus_with_its_keys(window):
    """The window's own table (gui.window.actions.ACTIONS) keeps the same promise."""
    in_menus = [action for top in window.menuBar().actions() if top.menu() is not None
                for action in _menu_actions(top.menu())]
    for spec in ACTIONS:
        action = getattr(window, spec.attribute)
        assert action in in_menus, f"{spec.attribute} is in no menu"
        assert action.shortcuts() == [QKeySequence(keys) for keys in spec.keys]


def test_the_step_menu_keeps_its_order(window):
    """The phase jumps end with the update's (Ctrl+4); the modes close the Step menu."""
    step = window.next_action.associatedObjects()
    menu = next(m for m in step if isinstance(m, QMenu))
    names = [a.objectName() for a in menu.actions() if not a.isSeparator()]
    assert names[names.index("backwardPhaseAction") + 1] == "updatePhaseAction"
    assert names[-3:] == ["quizAction", "ninjaAction", "forwardModeAction"]


def test_every_declared_step_bar_widget_is_on_the_step_bar(window):
    bar = window.step_bar
    widgets = [getattr(panel, name) for panel in window.panels for name in panel.STEP_BAR]
    assert [w.objectName() for w in widgets] == ["quizButton", "ninjaButton",
                                                 "forwardModeButton"]
    for widget in widgets:
        assert bar.extras.indexOf(widget) >= 0
    assert window.quiz_button is widgets[0] and window.ninja_button is widgets[1]


def test_a_declared_action_runs_its_slot_and_follows_the_language(window, qtbot):
    window.quiz_panel.toggle_action.trigger()
    assert window.model.quiz.active and window.model.quiz.mode == "numbers"
    window.quiz_panel.ninja_action.trigger()
    assert window.model.quiz.mode == "ninja"
    window.quiz_panel.ninja_action.trigger()
    assert not window.model.quiz.active
    window.set_language("zh")
    qtbot.waitUntil(lambda: window.forward_panel.mode_action.text() == "前向模式")
    assert window.quiz_panel.toggle_action.text() == "测验模式"
    assert window.training_panel.update_phase_action.text() != "First step of the update"
    window.set_language("en")
    qtbot.waitUntil(lambda: window.forward_panel.mode_action.text() == "Forward Mode")
