"""The window's actions as one table, and its menus.

Each row of :data:`ACTIONS` is one QAction: the window attribute it is kept in, its
objectName (tests and saved shortcuts find it by that), its words, what it runs and its
keys. The order is the order of Help → Keyboard Shortcuts. Every action is also added
to the window itself, so its keys work with the menus hidden (presentation mode). The
words keep the translation context ``MainWindow``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu

from core.io.session import load_session
from core.language.parser import ExpressionError
from gui.panels.base import MENU_SECTIONS, STEP_MODES, STEP_PHASES
from gui.panels.training.iteration_selector import iteration_source
from gui.support import i18n
from gui.support.resources import example_files
from gui.support.texts import example_title
from gui.window import lessons, view_actions

translate = QCoreApplication.translate
K = QKeySequence.StandardKey


@dataclass(frozen=True)
class ActionSpec:
    attribute: str
    #: ``QT_TRANSLATE_NOOP("MainWindow", …)``, translated whenever the language changes
    text: str
    #: called with the window (and ``checked`` for a checkable action)
    run: Callable
    keys: tuple = ()
    name: str = ""
    checkable: bool = False


def _phase(phase: str) -> Callable:
    return lambda w, *_: w.model.goto_phase(phase)


def _iteration(delta: int) -> Callable:
    """Ctrl+] / Ctrl+[: the loop's next or previous iteration (a recorded run's pass); at
    either end the status bar says why nothing moved."""
    def step(window, *_) -> None:
        source = iteration_source(window.model)
        if source.step_iteration(delta) or not source.count:
            return
        window.statusBar().showMessage((translate(
            "MainWindow", "This is the loop's last iteration ({0} of {0}).") if delta > 0
            else translate("MainWindow", "This is the loop's first iteration.")).format(
            source.count), 4000)
    return step


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("next_action", QT_TRANSLATE_NOOP("MainWindow", "Next step"),
               lambda w, *_: w.model.next(), ("Right", "Space"), "nextAction"),
    ActionSpec("prev_action", QT_TRANSLATE_NOOP("MainWindow", "Previous step"),
               lambda w, *_: w.model.previous(), ("Left",), "prevAction"),
    ActionSpec("reset_action", QT_TRANSLATE_NOOP("MainWindow", "Reset to the start"),
               lambda w, *_: w.model.reset(), ("Home",), "resetAction"),
    ActionSpec("end_action", QT_TRANSLATE_NOOP("MainWindow", "To the end"),
               lambda w, *_: w.model.end(), ("End",), "endAction"),
    ActionSpec("forward_phase_action",
               QT_TRANSLATE_NOOP("MainWindow", "First step of the forward pass"),
               _phase("forward"), ("Ctrl+1",), "forwardPhaseAction"),
    ActionSpec("local_phase_action",
               QT_TRANSLATE_NOOP("MainWindow", "First step of the local gradients"),
               _phase("local"), ("Ctrl+2",), "localPhaseAction"),
    ActionSpec("backward_phase_action",
               QT_TRANSLATE_NOOP("MainWindow", "First step of the backward pass"),
               _phase("backward"), ("Ctrl+3",), "backwardPhaseAction"),
    # a training script (issue 12): its loop's iterations, each stepped from its start
    ActionSpec("next_iteration_action",
               QT_TRANSLATE_NOOP("MainWindow", "Next iteration of the loop"),
               _iteration(1), ("Ctrl+]",),
               "nextIterationAction"),
    ActionSpec("prev_iteration_action",
               QT_TRANSLATE_NOOP("MainWindow", "Previous iteration of the loop"),
               _iteration(-1), ("Ctrl+[",),
               "prevIterationAction"),
    ActionSpec("play_action", QT_TRANSLATE_NOOP("MainWindow", "Play / pause"),
               lambda w, *_: w.model.toggle_play(), ("P",), "playAction"),
    ActionSpec("apply_action", QT_TRANSLATE_NOOP("MainWindow", "Apply the program"),
               lambda w, *_: w.editor_panel.apply(), ("Ctrl+Return", "Ctrl+Enter"),
               "applyAction"),
    # the words of undo and redo name the command: see ActionsMixin._make_actions
    ActionSpec("undo_action", QT_TRANSLATE_NOOP("MainWindow", "Undo"),
               lambda w, *_: w.model.undo_stack.undo(), ("Ctrl+Z",), "undoAction"),
    ActionSpec("redo_action", QT_TRANSLATE_NOOP("MainWindow", "Redo"),
               lambda w, *_: w.model.undo_stack.redo(), ("Ctrl+Shift+Z", "Ctrl+Y"),
               "redoAction"),
    ActionSpec("new_action", QT_TRANSLATE_NOOP("MainWindow", "New"),
               lambda w, *_: w._new_triggered(), (K.New,)),
    ActionSpec("open_action", QT_TRANSLATE_NOOP("MainWindow", "Open…"),
               lambda w, *_: w._open_triggered(), (K.Open,)),
    ActionSpec("save_action", QT_TRANSLATE_NOOP("MainWindow", "Save"),
               lambda w, *_: w.save(), (K.Save,)),
    ActionSpec("save_as_action", QT_TRANSLATE_NOOP("MainWindow", "Save As…"),
               lambda w, *_: w.save_as(), ("Ctrl+Shift+S",)),
    ActionSpec("export_action", QT_TRANSLATE_NOOP("MainWindow", "Export Image…"),
               lambda w, *_: w._export_triggered(), ("Ctrl+E",)),
    ActionSpec("export_steps_action", QT_TRANSLATE_NOOP("MainWindow", "Export Step-Through…"),
               lambda w, *_: w._export_steps_triggered(), ("Ctrl+Shift+E",),
               "exportStepsAction"),
    ActionSpec("quit_action", QT_TRANSLATE_NOOP("MainWindow", "Quit"),
               lambda w, *_: w.quit(), (K.Quit,)),
    ActionSpec("dark_action", QT_TRANSLATE_NOOP("MainWindow", "Dark Theme"),
               lambda w, on: w.set_dark(on), ("Ctrl+Shift+D",), "darkAction", True),
    ActionSpec("presentation_action", QT_TRANSLATE_NOOP("MainWindow", "Presentation Mode"),
               lambda w, on: w.set_presentation(on), ("F11",), "presentationAction", True),
    ActionSpec("fit_action", QT_TRANSLATE_NOOP("MainWindow", "Fit Graph to View"),
               lambda w, *_: w.canvas.fit_view(), ("Ctrl+0", "F")),
    ActionSpec("zoom_in_action", QT_TRANSLATE_NOOP("MainWindow", "Zoom In"),
               lambda w, *_: w.canvas.zoom(1.25), ("Ctrl++", "Ctrl+=")),
    ActionSpec("zoom_out_action", QT_TRANSLATE_NOOP("MainWindow", "Zoom Out"),
               lambda w, *_: w.canvas.zoom(0.8), ("Ctrl+-",)),
    ActionSpec("shortcuts_action", QT_TRANSLATE_NOOP("MainWindow", "Keyboard Shortcuts"),
               lambda w, *_: w.show_shortcuts(), ("F1",)),
    ActionSpec("about_action", QT_TRANSLATE_NOOP("MainWindow", "About Backprop Stepper"),
               lambda w, *_: w.show_about()),
    ActionSpec("licences_action", QT_TRANSLATE_NOOP("MainWindow", "Third-party licences…"),
               lambda w, *_: w.show_licences()),
    # the teaching flow (issue 10): torch's answers as their step is reached; the forms
    ActionSpec("torch_results_action",
               QT_TRANSLATE_NOOP("MainWindow", "Show PyTorch's results from the start"),
               lambda w, on: w.torch_panel.set_results_from_start(on), (),
               "torchResultsAction", True),
    ActionSpec("program_help_action", QT_TRANSLATE_NOOP("MainWindow", "Writing a Program"),
               lambda w, *_: w.show_program_help(), (), "programHelpAction"),
)
PHASE_ACTIONS = ("forward_phase_action", "local_phase_action", "backward_phase_action")


class ActionsMixin:
    """Makes the table's actions and the menus (a mixin of the main window)."""

    def _action(self, text, slot, shortcuts=(), name: str = "", checkable=False) -> QAction:
        """``text`` is a ``lambda: self.tr(…)`` (or a plain string, then never re-translated)."""
        action = QAction(self)
        if callable(text):
            self._texts.bind(action.setText, text)
        else:  # a plain string: whoever gave it keeps it up to date
            action.setText(text)
        if name:
            action.setObjectName(name)
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.setCheckable(checkable)
        (action.toggled if checkable else action.triggered).connect(slot)
        self.addAction(action)  # shortcuts work with the menus hidden (presentation mode)
        return action

    def _words(self, text: str, command: Callable[[], str] | None = None) -> Callable[[], str]:
        """The action's words now; undo and redo add the command they would undo or redo."""
        if command is None:
            return lambda: translate("MainWindow", text)
        return lambda: self._with_command(translate("MainWindow", text), command())

    def _make_actions(self) -> None:
        stack = self.model.undo_stack
        # own undo and redo rather than QUndoStack.createUndoAction, whose "Undo" prefix
        # is fixed when made: these say "Undo <what>" in the language of the moment
        commands = {"undo_action": stack.undoText, "redo_action": stack.redoText}
        for spec in ACTIONS:
            text = self._words(spec.text, commands.get(spec.attribute))
            action = self._action(text, lambda *args, run=spec.run: run(self, *args),
                                  spec.keys, spec.name, spec.checkable)
            setattr(self, spec.attribute, action)
        self.phase_actions = [getattr(self, name) for name in PHASE_ACTIONS]
        self.undo_action.setEnabled(stack.canUndo())
        self.redo_action.setEnabled(stack.canRedo())
        stack.canUndoChanged.connect(self.undo_action.setEnabled)
        stack.canRedoChanged.connect(self.redo_action.setEnabled)
        stack.undoTextChanged.connect(lambda text: self.undo_action.setText(
            self._with_command(translate("MainWindow", "Undo"), text)))
        stack.redoTextChanged.connect(lambda text: self.redo_action.setText(
            self._with_command(translate("MainWindow", "Redo"), text)))

    def _add_panel_actions(self) -> None:
        """What each panel declares (gui.panels.base): its actions on the window (their
        keys work with the menus hidden) and in the menu section each names; its widgets
        on the step bar."""
        self.panel_actions: dict[str, list[QAction]] = {s: [] for s in MENU_SECTIONS}
        for panel in self.panels:
            for spec in panel.ACTIONS:
                action = getattr(panel, spec.attribute)
                self.addAction(action)
                self.panel_actions[spec.menu].append(action)
            for name in panel.STEP_BAR:
                self.step_bar.add_control(getattr(panel, name))
        self.phase_actions += self.panel_actions[STEP_PHASES]

    def _menu(self, parent, title) -> QMenu:
        """A menu (in the menu bar or another menu) whose title follows the language."""
        menu = parent.addMenu("")
        self._texts.bind(menu.setTitle, title)
        return menu

    @staticmethod
    def _with_command(prefix: str, command: str) -> str:
        return f"{prefix} {command}" if command else prefix

    def _make_language_menu(self, view_menu: QMenu) -> None:
        """View → Language: System default, then each language named in itself."""
        menu = self._menu(view_menu, lambda: translate("MainWindow", "Language"))
        menu.setObjectName("languageMenu")
        self.language_menu = menu
        group = QActionGroup(self)
        group.setExclusive(True)
        self.language_actions: dict[str, QAction] = {}
        for choice in (i18n.SYSTEM, *i18n.LANGUAGES):
            action = menu.addAction("")
            action.setObjectName(f"{choice}LanguageAction")
            if choice == i18n.SYSTEM:
                self._texts.bind(action.setText, lambda: translate("MainWindow", "System default"))
                menu.addSeparator()
            else:
                action.setText(i18n.ENDONYMS[choice])
            action.setCheckable(True)
            action.setData(choice)
            group.addAction(action)
            action.triggered.connect(lambda _=False, c=choice: self.set_language(c))
            self.language_actions[choice] = action
        self._sync_language_menu()

    def _sync_language_menu(self) -> None:
        choice = i18n.current_choice()
        for key, action in self.language_actions.items():
            self._sync_check(action, key == choice)

    def _make_step_menu(self, bar) -> None:
        """Steps, the phase jumps (Ctrl+4 the training panel's), iterations, Play, and
        the panels' modes (quiz, ninja, forward)."""
        step_menu = self._menu(bar, lambda: translate("MainWindow", "&Step"))
        step_menu.addActions([self.next_action, self.prev_action, self.reset_action,
                              self.end_action])
        step_menu.addSeparator()
        step_menu.addActions(self.phase_actions)
        step_menu.addSeparator()
        step_menu.addActions([self.next_iteration_action, self.prev_iteration_action])
        step_menu.addSeparator()
        step_menu.addAction(self.play_action)
        step_menu.addSeparator()
        step_menu.addActions(self.panel_actions[STEP_MODES])

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = self._menu(bar, lambda: translate("MainWindow", "&File"))
        file_menu.addActions([self.new_action, self.open_action, self.save_action,
                              self.save_as_action])
        self.recent_menu = self._menu(file_menu, lambda: translate("MainWindow", "Recent"))
        self.recent_menu.setObjectName("recentMenu")
        self._fill_recent()
        file_menu.addSeparator()
        file_menu.addAction(self.export_action)
        file_menu.addAction(self.export_steps_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        edit_menu = self._menu(bar, lambda: translate("MainWindow", "&Edit"))
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        edit_menu.addAction(self.apply_action)

        self._make_step_menu(bar)

        self.examples_menu = self._menu(bar, lambda: translate("MainWindow", "E&xamples"))
        self.examples_menu.setObjectName("examplesMenu")
        group = QActionGroup(self)
        for path in example_files():
            try:
                title = load_session(path).title or path.stem
            except ExpressionError:
                continue
            action = self.examples_menu.addAction("")
            self._texts.bind(action.setText, lambda t=title: example_title(t))
            action.setData(str(path))
            action.triggered.connect(lambda _=False, p=path: self._example_triggered(p))
            group.addAction(action)
        lessons.add_lessons(self, self.examples_menu, group)

        view_menu = self._menu(bar, lambda: translate("MainWindow", "&View"))
        view_menu.addActions([self.dark_action, self.presentation_action])
        view_menu.addSeparator()
        view_menu.addAction(self.torch_results_action)
        view_menu.addSeparator()
        view_menu.addActions([self.fit_action, self.zoom_in_action, self.zoom_out_action])
        view_actions.add_to_menu(self, view_menu)
        view_menu.addSeparator()
        panels = self._menu(view_menu, lambda: translate("MainWindow", "Panels"))
        for dock in self.panel_docks:
            panels.addAction(dock.toggleViewAction())
        self._make_language_menu(view_menu)

        help_menu = self._menu(bar, lambda: translate("MainWindow", "&Help"))
        help_menu.addActions([self.program_help_action, self.shortcuts_action,
                              self.licences_action, self.about_action])
