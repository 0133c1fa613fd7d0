"""The window: graph canvas in the centre, panels in docks, menus, keys and files.

``MainWindow()`` opens on the lesson at position 0 with the focus on the canvas and
restores nothing; ``gui.app`` hands it a ``QSettings`` for the interactive launch only.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QDialog,
    QDockWidget,
    QFrame,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from gui.canvas.feature_maps import FeatureMapsBand
from gui.canvas.widget import GraphCanvas
from gui.panels.editor_panel import EditorPanel
from gui.panels.explanation import ExplanationView
from gui.panels.forward.panel import ForwardPanel
from gui.panels.lesson_tables import LessonTables
from gui.panels.messages import MessageBar
from gui.panels.output_panel import OutputPanel
from gui.panels.plots_panel import PlotsPanel
from gui.panels.quiz_panel import QuizPanel
from gui.panels.step_bar import StepBar
from gui.panels.torch_panel import TorchPanel
from gui.panels.training.panel import TrainingPanel
from gui.state.assemble import stepper_model
from gui.support import i18n
from gui.support.theme import palette, style_sheet
from gui.window import accessibility, dock_layout, run_window, view_actions
from gui.window.actions import ActionsMixin
from gui.window.dialogs import DialogsMixin
from gui.window.documents import DocumentsMixin
from gui.window.keys import KeysMixin

TORCH_FALLBACK_MS = 1500
NINJA_DOCK_HEIGHT = 215  # px: ninja mode's question, answer row, names, grade and hint
# a panel taller than this scrolls inside its dock rather than hold the window taller
# (issue 24: the window fits a 960×540 screen)
COLLAPSE_HEIGHT = 150
translate = QCoreApplication.translate
#: (window attribute, class): the window's panels, docked in this order as each one's
#: DOCK spec says, their actions and step-bar widgets as they declare (gui.panels.base);
#: a new panel is one line here and its declarations in its own module
PANELS = (("editor_panel", EditorPanel), ("torch_panel", TorchPanel), ("step_bar", StepBar),
          ("explanation", ExplanationView), ("tables", LessonTables),
          ("training_panel", TrainingPanel), ("quiz_panel", QuizPanel),
          ("output_panel", OutputPanel), ("plots_panel", PlotsPanel),
          ("forward_panel", ForwardPanel))


def collapsible(panel: QWidget) -> QWidget:
    """``panel`` itself, or in a frameless scroll area when its minimum height would hold
    the window taller than a small screen; the dock then shrinks and the panel scrolls."""
    if isinstance(panel, QAbstractScrollArea) \
            or panel.minimumSizeHint().height() <= COLLAPSE_HEIGHT:
        return panel
    scroll = QScrollArea(objectName=panel.objectName() + "Scroll")
    scroll.setWidget(panel)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    return scroll


class MainWindow(ActionsMixin, DocumentsMixin, DialogsMixin, KeysMixin, QMainWindow):
    """Also in gui/window/: actions (the table, menus), documents (files, settings),
    dialogs (help), keys (routing)."""

    firstPainted = Signal()
    #: a script run by Run ended; the window shows its end (gui.window.run_window)
    runFinished = Signal()

    def __init__(self, settings: QSettings | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.settings = settings
        self.path: Path | None = None
        from core.io.examples import LESSON_TITLE

        self.title = LESSON_TITLE  # the window opens on the lesson, titled by its name
        self.recent: list[str] = []
        self.dark = False
        self.presentation = False
        self.unsaved_box: QMessageBox | None = None
        self.save_job = None  # the session being written (gui.state.session_save)
        self._painted = False
        self._forwarding = False
        self._shortcut_dialog: QDialog | None = None
        #: every menu, action and dock title, re-set on a language switch
        self._texts = i18n.Retranslator()

        self.model = stepper_model(parent=self)
        self._make_centre()

        self.panels = []
        for attribute, kind in PANELS:  # each panel says where its dock goes (DockSpec)
            panel = kind(self.model)
            setattr(self, attribute, panel)
            self.panels.append(panel)
        self._make_docks()
        self._quizzing = False
        self._ninja_tabbed = False
        self.model.quiz.changed.connect(self._quiz_changed)
        self._make_actions()
        self._add_panel_actions()  # as each panel declares: Ctrl+4, quiz, ninja, forward
        for panel in self.panels:  # links to the canvas and to each other
            panel.attach(self)
        view_actions.install(self)  # Whole graph, Follow the step, graph text size
        self._make_menus()
        run_window.install(self)  # issue 20: Run, Stop, the Run menu, Preferences

        self.model.traceReplaced.connect(self._trace_replaced)
        self.model.stepChanged.connect(self._step_changed)
        self.model.errorChanged.connect(self._error_changed)
        self.model.outOfDateChanged.connect(self.canvas.set_out_of_date)
        self._make_build_indicator()
        self.model.undo_stack.cleanChanged.connect(self._clean_changed)
        self.canvas.nodeClicked.connect(self._node_clicked)

        self.canvas.set_trace(self.model.trace)
        self.canvas.show_state(self.model.known, self.model.current)
        accessibility.install(self)  # names, descriptions, Tab order, the canvas in words
        self.set_dark(False)
        self._update_title()
        self.resize(1400, 900)
        self.canvas.setFocus(Qt.FocusReason.OtherFocusReason)
        # PyTorch starts once the window is painted; a window that is never shown still
        # gets its check a little later
        QTimer.singleShot(TORCH_FALLBACK_MS, self, self.torch_panel.start)

    def _make_centre(self) -> None:
        """The graph canvas under the message bar, the feature maps under it."""
        self.canvas = GraphCanvas(self)
        self.message_bar = MessageBar(self)
        centre = QWidget(objectName="centre")
        layout = QVBoxLayout(centre)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.canvas, 3)
        # issue 22: image tensors as feature maps under the graph (only for such programs)
        self.feature_maps = FeatureMapsBand(self.model, centre)
        layout.addWidget(self.feature_maps, 2)
        self.setCentralWidget(centre)

    # ---- layout
    def _dock(self, name: str, title, widget: QWidget, area) -> QDockWidget:
        """``title`` is a ``lambda: self.tr(…)`` so that a language switch can re-set it."""
        dock = QDockWidget(self, objectName=name)
        if callable(title):
            self._texts.bind(dock.setWindowTitle, title)
        else:  # a plain string: whoever gave it keeps it up to date
            dock.setWindowTitle(title)
        dock.setWidget(collapsible(widget))
        self.addDockWidget(area, dock)
        return dock

    def _make_docks(self) -> None:
        """One dock per panel, placed as the panel's ``DOCK`` spec says (gui.panels.base)."""
        A = Qt.DockWidgetArea
        self.setCorner(Qt.Corner.BottomLeftCorner, A.BottomDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, A.BottomDockWidgetArea)
        docks: dict[str, QDockWidget] = {}
        for panel in self.panels:
            spec = panel.DOCK
            if spec.title is None:  # the panel's own title, which follows the language
                dock = self._dock(spec.name, panel.windowTitle(), panel, spec.area)
                panel.windowTitleChanged.connect(dock.setWindowTitle)
            else:
                dock = self._dock(spec.name, lambda t=spec.title: translate("MainWindow", t),
                                  panel, spec.area)
            if spec.fixed:
                dock.setTitleBarWidget(QWidget())
                dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
            docks[spec.name] = dock
            setattr(self, spec.attribute, dock)
        specs = [p.DOCK for p in self.panels]
        for spec in specs:  # the docks shown at start are placed and sized first
            if not spec.hidden:
                self._place(spec, docks)
        side = [s for s in specs if s.width and s.area != A.BottomDockWidgetArea]
        bottom = [s for s in specs if s.width and s.area == A.BottomDockWidgetArea]
        for group in (side, bottom):
            self.resizeDocks([docks[s.name] for s in group], [s.width for s in group],
                             Qt.Orientation.Horizontal)
        tall = [s for s in specs if s.height]
        self.resizeDocks([docks[s.name] for s in tall], [s.height for s in tall],
                         Qt.Orientation.Vertical)
        for spec in specs:
            if spec.hidden:
                self._place(spec, docks)
                docks[spec.name].hide()
        self.panel_docks = [docks[s.name] for s in specs if s.listed]

    def _place(self, spec, docks: dict[str, QDockWidget]) -> None:
        dock = docks[spec.name]
        if spec.split is not None:
            self.splitDockWidget(docks[spec.split[0]], dock, spec.split[1])
        if spec.tabify is not None:
            self.tabifyDockWidget(docks[spec.tabify], dock)
            docks[spec.tabify].raise_()

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
        self.feature_maps.retranslate()
        self.build_label.setText(self.building_text())
        for name in ("_shortcut_dialog", "_licences_dialog"):
            dialog = getattr(self, name, None)
            if dialog is not None:  # made again, in the new language, when next opened
                dialog.close()
                dialog.deleteLater()
                setattr(self, name, None)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if 0 < event.size().height() < event.oldSize().height():  # the graph keeps its room
            dock_layout.keep_canvas_room(self)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ---- model → window
    def _trace_replaced(self) -> None:
        self.canvas.set_trace(self.model.trace)
        self.message_bar.hide()
        self.statusBar().clearMessage()

    # ---- big programs: built in a worker thread (gui.state.model), shown in the status bar
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

    # ---- training and quiz (gui/panels/training/panel.py, gui/panels/quiz_panel.py)
    @property
    def quiz_button(self):
        """The step bar's Quiz Mode button (the quiz panel declares it)."""
        return self.quiz_panel.quiz_button

    @property
    def ninja_button(self):
        """The step bar's Ninja Mode button (issue 23)."""
        return self.quiz_panel.ninja_button

    def show_training(self) -> None:
        self.training_dock.show()
        self.training_dock.raise_()

    def _quiz_changed(self) -> None:
        if self.canvas.trace is self.model.trace:  # else the new trace's signals follow
            self._step_changed()
        quizzing = self.model.quiz.active
        self._place_quiz_dock(quizzing and self.model.quiz.mode == "ninja")
        if quizzing != self._quizzing:
            self._quizzing = quizzing
            self.quiz_dock.setVisible(quizzing)
        if quizzing and self.model.quiz.hidden_step is not None:
            self.quiz_panel.focus_answer()

    def _place_quiz_dock(self, ninja: bool) -> None:
        """Ninja mode (issue 23) takes the Explanation's place, in a tab beside it (the
        explanation only says "write it in the Ninja box" then): the window keeps its
        height. The numbers quiz is one row under the step bar."""
        if ninja == self._ninja_tabbed:
            return
        self._ninja_tabbed = ninja
        if ninja:
            self.tabifyDockWidget(self.explanation_dock, self.quiz_dock)
            # room for the answer, its grade and hint: from the canvas, not the window
            # (once the dock is laid out, or Qt sizes it back)
            QTimer.singleShot(0, self, lambda: self.resizeDocks(
                [self.quiz_dock], [NINJA_DOCK_HEIGHT], Qt.Orientation.Vertical))
        else:
            self.splitDockWidget(self.step_dock, self.quiz_dock, Qt.Orientation.Vertical)
        self.quiz_dock.setVisible(self.model.quiz.active)
        self.quiz_dock.raise_()

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
            QTimer.singleShot(0, self, self.torch_panel.start)

    def start_torch_check(self) -> None:
        """Run the PyTorch comparison now (normally it starts once the window is painted)."""
        self.torch_panel.start()

    # ---- scripts run as Python (gui.window.run_window, gui.state.run_state)
    def is_running(self) -> bool:
        """Whether a script started by Run is still running."""
        return self.model.run.is_running()

    def run_script(self) -> bool:
        """Run the script in the editor, as the Run button does (False: nothing started)."""
        return run_window.run(self)

    # ---- look
    def set_dark(self, dark: bool) -> None:
        self.dark = bool(dark)
        self._sync_check(self.dark_action, self.dark)
        # the palette goes to the application: a style sheet on the window stops a
        # window-level palette from reaching the docked panels
        QApplication.setPalette(palette(self.dark))
        self.setStyleSheet(style_sheet(self.dark))  # presentation: see gui/view_actions.py
        self.canvas.set_dark(self.dark)
        self.feature_maps.set_dark(self.dark)
        for panel in self.panels:
            panel.set_dark(self.dark)

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
