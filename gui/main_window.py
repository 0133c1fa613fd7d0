"""The window: graph canvas in the centre, panels in docks, menus, keys and files.

``MainWindow()`` opens on the lesson at position 0 with the focus on the canvas and
restores nothing; ``gui.app`` hands it a ``QSettings`` for the interactive launch only.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QSaveFile, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDockWidget,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core import __version__
from core.language import ExpressionError
from core.session import load_session
from gui import forward_panel, i18n, view_actions
from gui.editor_panel import EditorPanel
from gui.explanation import ExplanationView
from gui.graph_canvas import GraphCanvas
from gui.lesson_tables import LessonTables
from gui.messages import MessageBar
from gui.model import Program, StepperModel
from gui.quiz_panel import QuizPanel
from gui.resources import example_files
from gui.step_bar import StepBar
from gui.texts import example_title
from gui.theme import palette, style_sheet
from gui.torch_panel import TorchPanel
from gui.training_panel import TrainingPanel

MAX_RECENT = 8
TORCH_FALLBACK_MS = 1500


def _typing_widget(widget: QWidget | None) -> bool:
    """A widget where keys are text: the program editor or a table cell being edited."""
    if isinstance(widget, QLineEdit):
        return not widget.isReadOnly()
    if isinstance(widget, QPlainTextEdit):
        return not widget.isReadOnly()
    return False


class MainWindow(QMainWindow):
    firstPainted = Signal()

    def __init__(self, settings: QSettings | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.settings = settings
        self.path: Path | None = None
        self.title = ""
        self.recent: list[str] = []
        self.dark = False
        self.presentation = False
        self.unsaved_box: QMessageBox | None = None
        self._painted = False
        self._forwarding = False
        self._shortcut_dialog: QDialog | None = None
        #: every menu, action and dock title, re-set on a language switch
        self._texts = i18n.Retranslator()

        self.model = StepperModel(parent=self)
        self.canvas = GraphCanvas(self)
        self.message_bar = MessageBar(self)
        centre = QWidget(objectName="centre")
        layout = QVBoxLayout(centre)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.canvas, 1)
        self.setCentralWidget(centre)

        self.editor_panel = EditorPanel(self.model)
        self.explanation = ExplanationView(self.model)
        self.tables = LessonTables(self.model)
        self.torch_panel = TorchPanel(self.model)
        self.step_bar = StepBar(self.model)
        self.training_panel = TrainingPanel(self.model)
        self.quiz_panel = QuizPanel(self.model)
        self._make_docks()
        self._make_learning_docks()
        self._make_actions()
        self._add_learning_actions()
        forward_panel.install(self)  # issue 14: Mode: Forward, Why backwards, What if
        view_actions.install(self)  # Whole graph, Follow the step, graph text size
        self._make_menus()

        self.model.traceReplaced.connect(self._trace_replaced)
        self.model.stepChanged.connect(self._step_changed)
        self.model.errorChanged.connect(self._error_changed)
        self.model.outOfDateChanged.connect(self.canvas.set_out_of_date)
        self._make_build_indicator()
        self.model.undo_stack.cleanChanged.connect(self._clean_changed)
        self.canvas.nodeClicked.connect(self._node_clicked)

        self.canvas.set_trace(self.model.trace)
        self.canvas.show_state(self.model.known, self.model.current)
        self.set_dark(False)
        self._update_title()
        self.resize(1400, 900)
        self.canvas.setFocus(Qt.FocusReason.OtherFocusReason)
        # PyTorch starts once the window is painted; a window that is never shown still
        # gets its check a little later
        QTimer.singleShot(TORCH_FALLBACK_MS, self.torch_panel.start)

    # ---- layout
    def _dock(self, name: str, title, widget: QWidget, area) -> QDockWidget:
        """``title`` is a ``lambda: self.tr(…)`` so that a language switch can re-set it."""
        dock = QDockWidget(self, objectName=name)
        if callable(title):
            self._texts.bind(dock.setWindowTitle, title)
        else:  # a plain string: whoever gave it keeps it up to date
            dock.setWindowTitle(title)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _make_docks(self) -> None:
        A = Qt.DockWidgetArea
        self.setCorner(Qt.Corner.BottomLeftCorner, A.BottomDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, A.BottomDockWidgetArea)
        self.editor_dock = self._dock("editorDock", lambda: self.tr("Program"), self.editor_panel,
                                      A.LeftDockWidgetArea)
        self.torch_dock = self._dock("torchDock", lambda: self.tr("PyTorch"), self.torch_panel,
                                     A.RightDockWidgetArea)
        self.step_dock = self._dock("stepDock", lambda: self.tr("Steps"), self.step_bar,
                                    A.BottomDockWidgetArea)
        self.step_dock.setTitleBarWidget(QWidget())
        self.step_dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
        self.explanation_dock = self._dock("explanationDock", lambda: self.tr("Explanation"),
                                           self.explanation, A.BottomDockWidgetArea)
        self.tables_dock = self._dock("tablesDock", lambda: self.tr("Lesson tables"), self.tables,
                                      A.BottomDockWidgetArea)
        self.splitDockWidget(self.step_dock, self.explanation_dock, Qt.Orientation.Vertical)
        self.splitDockWidget(self.explanation_dock, self.tables_dock, Qt.Orientation.Horizontal)
        self.resizeDocks([self.editor_dock, self.torch_dock], [270, 350], Qt.Orientation.Horizontal)
        self.resizeDocks([self.explanation_dock, self.tables_dock], [560, 560],
                         Qt.Orientation.Horizontal)
        self.resizeDocks([self.step_dock, self.explanation_dock], [44, 200],
                         Qt.Orientation.Vertical)
        self.panel_docks = [self.editor_dock, self.torch_dock, self.explanation_dock,
                            self.tables_dock]

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

    def _make_actions(self) -> None:
        m = self.model
        K = QKeySequence.StandardKey
        self.next_action = self._action(lambda: self.tr("Next step"), m.next, ("Right", "Space"),
                                        "nextAction")
        self.prev_action = self._action(lambda: self.tr("Previous step"), m.previous, ("Left",),
                                        "prevAction")
        self.reset_action = self._action(lambda: self.tr("Reset to the start"), m.reset, ("Home",),
                                         "resetAction")
        self.end_action = self._action(lambda: self.tr("To the end"), m.end, ("End",), "endAction")
        self.phase_actions = [
            self._action(title, lambda _=False, p=phase: m.goto_phase(p), (f"Ctrl+{i}",),
                         f"{phase}PhaseAction")
            for i, (phase, title) in enumerate(
                (("forward", lambda: self.tr("First step of the forward pass")),
                 ("local", lambda: self.tr("First step of the local gradients")),
                 ("backward", lambda: self.tr("First step of the backward pass"))), start=1)
        ]
        self.play_action = self._action(lambda: self.tr("Play / pause"), m.toggle_play, ("P",),
                                        "playAction")
        self.apply_action = self._action(lambda: self.tr("Apply the program"),
                                         self.editor_panel.apply,
                                         ("Ctrl+Return", "Ctrl+Enter"), "applyAction")
        # own actions rather than QUndoStack.createUndoAction, whose "Undo" prefix is
        # fixed when made: these say "Undo <what>" in the language of the moment
        stack = m.undo_stack
        self.undo_action = self._action(
            lambda: self._with_command(self.tr("Undo"), stack.undoText()), stack.undo,
            ("Ctrl+Z",), "undoAction")
        self.redo_action = self._action(
            lambda: self._with_command(self.tr("Redo"), stack.redoText()), stack.redo,
            ("Ctrl+Shift+Z", "Ctrl+Y"), "redoAction")
        self.undo_action.setEnabled(stack.canUndo())
        self.redo_action.setEnabled(stack.canRedo())
        stack.canUndoChanged.connect(self.undo_action.setEnabled)
        stack.canRedoChanged.connect(self.redo_action.setEnabled)
        stack.undoTextChanged.connect(lambda text: self.undo_action.setText(
            self._with_command(self.tr("Undo"), text)))
        stack.redoTextChanged.connect(lambda text: self.redo_action.setText(
            self._with_command(self.tr("Redo"), text)))

        self.new_action = self._action(lambda: self.tr("New"), self._new_triggered, (K.New,))
        self.open_action = self._action(lambda: self.tr("Open…"), self._open_triggered, (K.Open,))
        self.save_action = self._action(lambda: self.tr("Save"), self.save, (K.Save,))
        self.save_as_action = self._action(lambda: self.tr("Save As…"), self.save_as,
                                           ("Ctrl+Shift+S",))
        self.export_action = self._action(lambda: self.tr("Export Image…"), self._export_triggered,
                                          ("Ctrl+E",))
        self.export_steps_action = self._action(lambda: self.tr("Export Step-Through…"),
                                                self._export_steps_triggered,
                                                ("Ctrl+Shift+E",), "exportStepsAction")
        self.quit_action = self._action(lambda: self.tr("Quit"), self.quit, (K.Quit,))
        self.dark_action = self._action(lambda: self.tr("Dark Theme"), self.set_dark,
                                        ("Ctrl+Shift+D",), "darkAction", checkable=True)
        self.presentation_action = self._action(lambda: self.tr("Presentation Mode"),
                                                self.set_presentation, ("F11",),
                                                "presentationAction", checkable=True)
        self.fit_action = self._action(lambda: self.tr("Fit Graph to View"), self.canvas.fit_view,
                                       ("Ctrl+0", "F"))
        self.zoom_in_action = self._action(lambda: self.tr("Zoom In"),
                                           lambda: self.canvas.zoom(1.25), ("Ctrl++", "Ctrl+="))
        self.zoom_out_action = self._action(lambda: self.tr("Zoom Out"),
                                            lambda: self.canvas.zoom(0.8), ("Ctrl+-",))
        self.shortcuts_action = self._action(lambda: self.tr("Keyboard Shortcuts"),
                                             self.show_shortcuts, ("F1",))
        self.about_action = self._action(lambda: self.tr("About Backprop Stepper"), self.show_about)
        self.licences_action = self._action(lambda: self.tr("Third-party licences…"),
                                            self.show_licences)
        # the teaching flow (issue 10): torch's answers as their step is reached; the forms
        self.torch_results_action = self._action(
            lambda: self.tr("Show PyTorch's results from the start"),
            self.torch_panel.set_results_from_start, (), "torchResultsAction", checkable=True)
        self.program_help_action = self._action(
            lambda: self.tr("Writing a Program"), self.show_program_help, (),
            "programHelpAction")

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
        menu = self._menu(view_menu, lambda: self.tr("Language"))
        menu.setObjectName("languageMenu")
        self.language_menu = menu
        group = QActionGroup(self)
        group.setExclusive(True)
        self.language_actions: dict[str, QAction] = {}
        for choice in (i18n.SYSTEM, *i18n.LANGUAGES):
            action = menu.addAction("")
            action.setObjectName(f"{choice}LanguageAction")
            if choice == i18n.SYSTEM:
                self._texts.bind(action.setText, lambda: self.tr("System default"))
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

    def set_language(self, choice: str) -> str:
        """Switch the UI language live (``system``, ``en`` or ``zh``); the interactive
        launch remembers the choice. Returns the language now shown."""
        language = i18n.apply_language(choice)
        self._sync_language_menu()
        if self.settings is not None:
            self.settings.setValue("language", i18n.current_choice())
        return language

    def retranslate(self) -> None:
        """Every word the window owns again, in the language now installed."""
        self._texts.apply()
        self._sync_language_menu()
        self._update_title()
        self.canvas.retranslate()
        self.build_label.setText(self.building_text())
        for name in ("_shortcut_dialog", "_licences_dialog"):
            dialog = getattr(self, name, None)
            if dialog is not None:  # made again, in the new language, when next opened
                dialog.close()
                dialog.deleteLater()
                setattr(self, name, None)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = self._menu(bar, lambda: self.tr("&File"))
        file_menu.addActions([self.new_action, self.open_action, self.save_action,
                              self.save_as_action])
        self.recent_menu = self._menu(file_menu, lambda: self.tr("Recent"))
        self.recent_menu.setObjectName("recentMenu")
        self._fill_recent()
        file_menu.addSeparator()
        file_menu.addAction(self.export_action)
        file_menu.addAction(self.export_steps_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        edit_menu = self._menu(bar, lambda: self.tr("&Edit"))
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        edit_menu.addAction(self.apply_action)

        step_menu = self._menu(bar, lambda: self.tr("&Step"))
        step_menu.addActions([self.next_action, self.prev_action, self.reset_action,
                              self.end_action])
        step_menu.addSeparator()
        step_menu.addActions(self.phase_actions)
        step_menu.addSeparator()
        step_menu.addAction(self.play_action)
        step_menu.addSeparator()
        step_menu.addAction(self.quiz_panel.toggle_action)
        step_menu.addAction(self.forward_panel.mode_action)

        self.examples_menu = self._menu(bar, lambda: self.tr("E&xamples"))
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

        view_menu = self._menu(bar, lambda: self.tr("&View"))
        view_menu.addActions([self.dark_action, self.presentation_action])
        view_menu.addSeparator()
        view_menu.addAction(self.torch_results_action)
        view_menu.addSeparator()
        view_menu.addActions([self.fit_action, self.zoom_in_action, self.zoom_out_action])
        view_actions.add_to_menu(self, view_menu)
        view_menu.addSeparator()
        panels = self._menu(view_menu, lambda: self.tr("Panels"))
        for dock in self.panel_docks:
            panels.addAction(dock.toggleViewAction())
        self._make_language_menu(view_menu)

        help_menu = self._menu(bar, lambda: self.tr("&Help"))
        help_menu.addActions([self.program_help_action, self.shortcuts_action,
                              self.licences_action, self.about_action])

    # ---- keys
    def _action_for(self, event: QKeyEvent) -> QAction | None:
        pressed = QKeySequence(event.keyCombination())
        exact = QKeySequence.SequenceMatch.ExactMatch
        for action in self.actions():
            if action.isEnabled() and any(s.matches(pressed) == exact for s in action.shortcuts()):
                return action
        return None

    def _typing_key(self, event: QKeyEvent) -> bool:
        """A plain key (arrows, Space, letters) while the user types in an editor or cell."""
        focus = QApplication.focusWidget()
        held = event.modifiers() & (Qt.KeyboardModifier.ControlModifier
                                    | Qt.KeyboardModifier.AltModifier
                                    | Qt.KeyboardModifier.MetaModifier)
        return (not held and focus is not None and focus is not self
                and _typing_widget(focus) and self.isAncestorOf(focus))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Keys sent straight to the window (no shortcut fired): step, or type if typing."""
        if self._forwarding:
            return super().keyPressEvent(event)
        focus = QApplication.focusWidget()
        action = self._action_for(event)
        if isinstance(focus, QLineEdit) and action is None \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            # a line edit passes its Return on after acting on it: handing it back would
            # act twice (apply a learning rate twice, check an answer twice)
            event.accept()
            return
        if focus is not None and focus is not self and _typing_widget(focus) and (
                action is None or action not in (self.apply_action, self.undo_action,
                                                 self.redo_action)):
            self._forwarding = True
            try:
                copy = QKeyEvent(event.type(), event.key(), event.modifiers(), event.text(),
                                 event.isAutoRepeat(), event.count())
                QApplication.sendEvent(focus, copy)
            finally:
                self._forwarding = False
            return
        if action is not None:
            action.trigger()
            return
        super().keyPressEvent(event)

    # ---- model → window
    def _trace_replaced(self) -> None:
        self.canvas.set_trace(self.model.trace)
        self.message_bar.hide()
        self.statusBar().clearMessage()

    # ---- big programs: built in a worker thread (gui.model), shown in the status bar
    def _make_build_indicator(self) -> None:
        # the layout and the PyTorch code of a big graph are made in the worker too
        self.model.preparers += [self.canvas.layout_job, self.torch_panel.code_job]
        self.build_label = QLabel(objectName="buildLabel")
        self.build_progress = QProgressBar(objectName="buildProgress")
        self.build_progress.setRange(0, 0)  # busy: how long it takes is not known
        self.build_progress.setMaximumWidth(160)
        self.build_progress.setTextVisible(False)
        for widget in (self.build_label, self.build_progress):
            widget.hide()
            self.statusBar().addPermanentWidget(widget)
        self.model.buildingChanged.connect(self._building_changed)

    def building_text(self) -> str:
        text = self.model.building_text
        if text is None:
            return ""
        lines = text.strip().count("\n") + 1
        return self.tr("Building the graph… ({0} lines)").format(f"{lines:,}")

    def _building_changed(self, on: bool) -> None:
        self.build_label.setText(self.building_text())
        self.build_label.setAccessibleName(self.build_label.text())
        self.build_label.setVisible(on)
        self.build_progress.setVisible(on)

    def _step_changed(self, _position: int = 0) -> None:
        known, current = self.model.known, self.model.current
        hidden = self.model.quiz.hidden_step
        if hidden is not None:  # quiz: highlight the step, keep its number back
            known = known.copy()
            hidden.revert(known)
        self.canvas.show_state(known, current)

    # ---- training and quiz (gui/training_panel.py, gui/quiz_panel.py)
    def _make_learning_docks(self) -> None:
        A = Qt.DockWidgetArea
        self.training_dock = self._dock("trainingDock", self.training_panel.windowTitle(),
                                        self.training_panel, A.RightDockWidgetArea)
        self.tabifyDockWidget(self.torch_dock, self.training_dock)
        self.torch_dock.raise_()
        self.quiz_dock = self._dock("quizDock", self.quiz_panel.windowTitle(),
                                    self.quiz_panel, A.BottomDockWidgetArea)
        self.splitDockWidget(self.step_dock, self.quiz_dock, Qt.Orientation.Vertical)
        self.quiz_dock.hide()
        for panel, dock in ((self.training_panel, self.training_dock),
                            (self.quiz_panel, self.quiz_dock)):
            panel.windowTitleChanged.connect(dock.setWindowTitle)  # follows the language
        self.panel_docks.append(self.training_dock)
        self._quizzing = False
        self.model.quiz.changed.connect(self._quiz_changed)

    def _add_learning_actions(self) -> None:
        self.phase_actions.append(self.training_panel.update_phase_action)
        self.addAction(self.training_panel.update_phase_action)
        self.addAction(self.quiz_panel.toggle_action)
        self.quiz_button = QToolButton(objectName="quizButton")
        self.quiz_button.setDefaultAction(self.quiz_panel.toggle_action)
        self.quiz_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        bar = self.step_bar.layout()
        bar.insertWidget(bar.indexOf(self.step_bar.slider), self.quiz_button)
        bar.insertSpacing(bar.indexOf(self.step_bar.slider), 12)

    def show_training(self) -> None:
        self.training_dock.show()
        self.training_dock.raise_()

    def _quiz_changed(self) -> None:
        if self.canvas.trace is self.model.trace:  # else the new trace's signals follow
            self._step_changed()
        quizzing = self.model.quiz.active
        if quizzing != self._quizzing:
            self._quizzing = quizzing
            self.quiz_dock.setVisible(quizzing)
        if quizzing and self.model.quiz.hidden_step is not None:
            self.quiz_panel.focus_answer()

    def _error_changed(self, error) -> None:
        if error is not None:
            self.statusBar().showMessage(str(error), 8000)

    def _clean_changed(self, clean: bool) -> None:
        self.setWindowModified(not clean)

    def _node_clicked(self, node_id: int) -> None:
        self.statusBar().showMessage(self.canvas.node_tooltip(node_id).replace("\n", "   ·   "))

    # ---- painting, then PyTorch
    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.firstPainted.emit()
            QTimer.singleShot(0, self.torch_panel.start)

    def start_torch_check(self) -> None:
        """Run the PyTorch comparison now (normally it starts once the window is painted)."""
        self.torch_panel.start()

    # ---- look
    def set_dark(self, dark: bool) -> None:
        self.dark = bool(dark)
        self._sync_check(self.dark_action, self.dark)
        # the palette goes to the application: a style sheet on the window stops a
        # window-level palette from reaching the docked panels
        QApplication.setPalette(palette(self.dark))
        self.setStyleSheet(style_sheet(self.dark))  # presentation: see gui/view_actions.py
        self.canvas.set_dark(self.dark)
        self.explanation.set_dark(self.dark)
        self.tables.set_dark(self.dark)
        self.step_bar.set_dark(self.dark)

    @staticmethod
    def _sync_check(action: QAction, on: bool) -> None:
        """Tick a checkable action without it calling its slot again."""
        if action.isChecked() != on:
            action.blockSignals(True)
            action.setChecked(on)
            action.blockSignals(False)

    def set_presentation(self, on: bool) -> None:
        on = bool(on)
        self._sync_check(self.presentation_action, on)
        if on == self.presentation:
            return
        self.presentation = on
        view_actions.set_presentation(self, on)  # and leaving it restores the window exactly

    # ---- documents
    def _update_title(self) -> None:
        name = self.path.name if self.path else (self.title or self.tr("Untitled"))
        self.setWindowTitle(f"{name}[*] — {self.tr('Backprop Stepper')}")

    def is_dirty(self) -> bool:
        return not self.model.undo_stack.isClean()

    def load_program(self, program: Program, position: int | None = None, title: str = "",
                     path: Path | None = None) -> None:
        """Make ``program`` the document (not undoable); raises ExpressionError if it is bad."""
        self.model.replace_document(program, position)
        self.canvas.fit_view()
        self.path = path
        self.title = title
        self._update_title()
        self.message_bar.hide()

    def open_file(self, path: str | Path) -> bool:
        """Open a session; a bad file leaves everything as it was and says why inline."""
        path = Path(path)
        try:
            session = load_session(path)
            self.load_program(Program(session.text, dict(session.bindings)),
                              session.position, session.title, path)
        except ExpressionError as error:
            self.message_bar.show_message(
                self.tr("Could not open {0}: {1}. Your work is unchanged.").format(
                    path.name, error.message if error.where else str(error)))
            return False
        self._add_recent(path)
        self.statusBar().showMessage(self.tr("Opened {0}").format(path.name), 5000)
        return True

    def load_example(self, path: str | Path) -> bool:
        path = Path(path)
        try:
            session = load_session(path)
            self.load_program(Program(session.text, dict(session.bindings)), 0, session.title)
        except ExpressionError as error:
            self.message_bar.show_message(str(error))
            return False
        return True

    def new_session(self) -> None:
        from core.examples import LESSON_TEXT, lesson_bindings

        self.load_program(Program(LESSON_TEXT, lesson_bindings()), 0, "")

    def save_to(self, path: str | Path) -> bool:
        path = Path(path)
        data = self.model.session(self.title).to_json().encode("utf-8")
        file = QSaveFile(str(path))
        if not file.open(QSaveFile.OpenModeFlag.WriteOnly) or file.write(data) != len(data) \
                or not file.commit():
            file.cancelWriting()
            self.message_bar.show_message(self.tr("Could not save {0}: {1}").format(
                path.name, file.errorString()))
            return False
        self.path = path
        self.model.undo_stack.setClean()
        self._update_title()
        self._add_recent(path)
        self.statusBar().showMessage(self.tr("Saved {0}").format(path.name), 5000)
        return True

    def _session_filter(self) -> str:
        return self.tr("Backprop Stepper sessions (*.json);;All files (*)")

    def save(self) -> bool:
        return self.save_to(self.path) if self.path else self.save_as()

    def save_as(self) -> bool:
        suggested = str(self.path) if self.path else "session.json"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save Session"), suggested,
                                              self._session_filter())
        return self.save_to(path) if path else False

    def export_image(self, path: str | Path) -> bool:
        try:
            self.canvas.export_image(str(path))
        except (OSError, ValueError) as error:
            self.message_bar.show_message(self.tr("Could not export the image: {0}").format(
                error))
            return False
        self.statusBar().showMessage(self.tr("Exported {0}").format(Path(path).name), 5000)
        return True

    def _export_triggered(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export Image"), "graph.png",
            self.tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"))
        if path:
            self.export_image(path)

    def export_steps(self, path: str | Path, lang: str | None = None) -> bool:
        """Every step 1..N of the current program as a GIF or PDF (gui.step_export);
        ``lang`` "en" or "zh", by default the UI's language."""
        from gui.step_export import ExportError, current_language, export_steps

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            export_steps(self.model.trace, path, lang=lang or current_language())
        except (ExportError, OSError) as error:
            self.message_bar.show_message(
                self.tr("Could not export the step-through: {0}").format(error))
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self.statusBar().showMessage(self.tr("Exported {0}").format(Path(path).name), 5000)
        return True

    def _export_steps_triggered(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(
            self, self.tr("Export Step-Through"), "steps.gif",
            self.tr("Animated GIF (*.gif);;PDF handout (*.pdf)"))
        if path and not Path(path).suffix:
            path += ".pdf" if "*.pdf" in chosen else ".gif"
        if path:
            self.export_steps(path)

    def _new_triggered(self) -> None:
        if self.confirm_discard():
            self.new_session()

    def _open_triggered(self) -> None:
        if not self.confirm_discard():
            return
        start = str(self.path.parent) if self.path else ""
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open Session"), start,
                                              self._session_filter())
        if path:
            self.open_file(path)

    def _example_triggered(self, path: Path) -> None:
        if self.confirm_discard():
            self.load_example(path)

    # ---- recent files
    def _add_recent(self, path: Path) -> None:
        text = str(Path(path).resolve())
        self.recent = [text] + [p for p in self.recent if p != text][: MAX_RECENT - 1]
        self._fill_recent()
        if self.settings is not None:
            self.settings.setValue("recentFiles", self.recent)

    def set_recent(self, paths: list[str]) -> None:
        self.recent = [str(p) for p in paths][:MAX_RECENT]
        self._fill_recent()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.recent:
            action = self.recent_menu.addAction(Path(path).name)
            action.setToolTip(path)
            action.triggered.connect(lambda _=False, p=path: self._recent_triggered(p))
        self.recent_menu.setEnabled(bool(self.recent))

    def _recent_triggered(self, path: str) -> None:
        if self.confirm_discard():
            self.open_file(path)

    # ---- leaving
    def confirm_discard(self) -> bool:
        """Ask about unsaved changes; True when it is fine to go on.

        The question is a QMessageBox kept in ``self.unsaved_box`` (buttons Save, Discard,
        Cancel), so a test can answer it.
        """
        if not self.is_dirty():
            return True
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Unsaved changes"),
                          self.tr("The program has changes that are not saved. Save them?"),
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("unsavedChangesBox")
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        self.unsaved_box = box
        answer = box.exec()
        self.unsaved_box = None
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def quit(self) -> None:
        if self.confirm_discard():
            self._confirmed_close = True
            self.close()

    def closeEvent(self, event) -> None:
        # Ask only when the user closes the window (a spontaneous close from the window
        # system) or via Quit; a programmatic close() from a test or the app never blocks.
        if event.spontaneous() and not getattr(self, "_confirmed_close", False) \
                and not self.confirm_discard():
            event.ignore()
            return
        self.model.set_playing(False)
        if self.settings is not None:
            self.save_settings(self.settings)
        event.accept()

    # ---- settings (only when gui.app gave us a QSettings)
    def save_settings(self, settings: QSettings) -> None:
        settings.setValue("geometry", self.saveGeometry())
        settings.setValue("windowState", self.saveState())
        settings.setValue("dark", self.dark)
        settings.setValue("torchResultsFromStart", self.torch_results_action.isChecked())
        settings.setValue("recentFiles", self.recent)
        settings.setValue("lastSession", self.model.session(self.title).to_json())
        settings.setValue("lastPath", str(self.path) if self.path else "")

    def restore_settings(self, settings: QSettings) -> None:
        geometry = settings.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = settings.value("windowState")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        self.set_dark(str(settings.value("dark", "false")).lower() == "true")
        self.torch_results_action.setChecked(
            str(settings.value("torchResultsFromStart", "false")).lower() == "true")
        view_actions.restore(self, settings)
        recent = settings.value("recentFiles", [])
        self.set_recent([recent] if isinstance(recent, str) else list(recent or []))

    # ---- help
    def shortcut_rows(self) -> list[tuple[str, str]]:
        rows = []
        for action in self.actions():
            keys = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText)
                             for s in action.shortcuts())
            if keys:
                rows.append((action.text().replace("&", ""), keys))
        rows.append((self.tr("Move the cursor while typing in the program or a cell"),
                     self.tr("arrows (they do not step then)")))
        return rows

    def show_shortcuts(self) -> None:
        if self._shortcut_dialog is None:
            dialog = QDialog(self, objectName="shortcutsDialog")
            dialog.setWindowTitle(self.tr("Keyboard Shortcuts"))
            rows = self.shortcut_rows()
            table = QTableWidget(len(rows), 2, dialog)
            table.setHorizontalHeaderLabels([self.tr("Action"), self.tr("Keys")])
            table.verticalHeader().hide()
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            for i, (what, keys) in enumerate(rows):
                table.setItem(i, 0, QTableWidgetItem(what))
                table.setItem(i, 1, QTableWidgetItem(keys))
            table.resizeColumnsToContents()
            QVBoxLayout(dialog).addWidget(table)
            dialog.resize(520, 560)
            self._shortcut_dialog = dialog
        self._shortcut_dialog.show()  # not modal: keep stepping while reading it
        self._shortcut_dialog.raise_()

    def about_text(self) -> str:
        return self.tr(
            "<h3>Backprop Stepper {0}</h3>"
            "<p>Step through backpropagation: the forward pass, the local gradients, and the "
            "backward pass, checked against PyTorch autograd and finite differences.</p>"
            "<p>Backprop Stepper is free software under the MIT licence.</p>"
            "<p><b>Built with</b> (their licences):<br>"
            "Qt 6 and Qt for Python (PySide6) — LGPL v3<br>"
            "matplotlib — Matplotlib licence (PSF-style)<br>"
            "NetworkX — BSD 3-clause<br>"
            "NumPy — BSD 3-clause<br>"
            "PyTorch (optional, for the comparison) — BSD 3-clause</p>"
            "<p>Colours: the Okabe–Ito palette, safe for colour-blind readers.</p>"
        ).format(__version__)

    def show_program_help(self) -> None:
        """Help → Writing a Program: the declaration forms (not modal: keep typing)."""
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Writing a Program"),
                          self.editor_panel.declarations_html(), QMessageBox.StandardButton.Close,
                          self)
        box.setObjectName("programHelpBox")
        box.setModal(False)
        self.program_help_box = box
        box.show()

    def show_about(self) -> None:
        QMessageBox.about(self, self.tr("About Backprop Stepper"), self.about_text())

    def licences_html(self) -> str:
        """Every bundled third-party package with its licence text, for Help → Licences."""
        from html import escape

        from gui.licenses import notices

        parts = [f"<h3>{escape(self.tr('Third-party licences'))}</h3>"]
        for notice in notices():
            parts.append(f"<h4>{escape(notice.package)} {escape(notice.version)} — "
                         f"{escape(notice.purpose)}</h4><p>{escape(notice.license)}</p>"
                         f"<pre style='font-size: small'>{escape(notice.text)}</pre>")
        return "".join(parts)

    def show_licences(self) -> None:
        if getattr(self, "_licences_dialog", None) is None:
            from PySide6.QtWidgets import QDialog, QTextBrowser, QVBoxLayout

            dialog = QDialog(self)
            dialog.setObjectName("licencesDialog")
            dialog.setWindowTitle(self.tr("Third-party licences"))
            browser = QTextBrowser(dialog)
            browser.setObjectName("licencesText")
            browser.setHtml(self.licences_html())
            QVBoxLayout(dialog).addWidget(browser)
            dialog.resize(760, 640)
            self._licences_dialog = dialog
        self._licences_dialog.show()  # not modal, like the shortcuts dialog
        self._licences_dialog.raise_()

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and self._typing_key(event):
            event.accept()  # the key goes to keyPressEvent, which hands it to the editor
            return True
        if event.type() == QEvent.Type.WindowActivate and not self.canvas.hasFocus() \
                and QApplication.focusWidget() is None:
            self.canvas.setFocus(Qt.FocusReason.ActiveWindowFocusReason)
        return super().event(event)
