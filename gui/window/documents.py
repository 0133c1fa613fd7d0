"""The window's documents: open, save, export, recent files, unsaved changes, settings.

A mixin of :class:`gui.window.main_window.MainWindow` (it uses the window's model,
canvas, message bar and menus). Its words keep the translation context ``MainWindow``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from core.io.examples import lesson_title
from core.io.session import Session, load_session, session_from_json
from core.language.parser import ExpressionError
from core.language.reading import read_program
from gui.state import session_save
from gui.state.model import Program
from gui.window import lessons, run_documents, run_window, view_actions

MAX_RECENT = 8
translate = QCoreApplication.translate


def _with_suffix(path: str, chosen: str) -> str:
    """``path`` with the suffix of the file dialog's chosen filter ("PNG image (*.png)")
    when the learner typed a name without one."""
    if not Path(path).suffix and "(*." in chosen:
        path += "." + chosen.split("(*.", 1)[1].split(")", 1)[0].split()[0]
    return path


class DocumentsMixin:
    def _update_title(self) -> None:
        """The document's name: its file's, else the example's or lesson's title (in the
        language shown), else Untitled."""
        from gui.support.texts import example_title

        name = self.path.name if self.path else (
            example_title(self.title) if self.title else translate("MainWindow", "Untitled"))
        self.setWindowTitle(f"{name}[*] — Backprop Stepper")  # a name: the same in Chinese

    def is_dirty(self) -> bool:
        return not self.model.undo_stack.isClean()

    def load_program(self, program: Program, position: int | None = None, title: str = "",
                     path: Path | None = None) -> None:
        """Make ``program`` the document (not undoable); raises ExpressionError if it is bad.

        A script is not built nor run: its text with "Run to record" (Run runs it)."""
        run_documents.close_document(self)  # a run of the document before stops, its files go
        self.model.replace_document(program, position)
        self.canvas.fit_view()
        self.path = path
        self.title = title
        self._update_title()
        self.message_bar.hide()

    def reopen_last_session(self, settings: QSettings) -> bool:
        """The interactive start: the work of the last session, at its step 0 (the class
        should not see every gradient before the first step, issue 24); a script's opens
        as its recording or "Run to record", and runs nothing; an unreadable one leaves
        the lesson. True when it was opened."""
        last = settings.value("lastSession", "")
        if not isinstance(last, str) or not last:
            return False
        try:
            session = session_from_json(last, "last session")
            last_path = str(settings.value("lastPath", "") or "")
            path = Path(last_path) if last_path else None
            if run_documents.open_session(self, session, path):  # a script: runs nothing
                return True
            self.load_program(Program(session.text, dict(session.bindings),
                                      tuple(session.draws)), 0, session.title, path=path)
        except ExpressionError:
            return False
        return True

    def open_file(self, path: str | Path) -> bool:
        """Open a session, or a script (.py: its text in the editor, "Run to record",
        nothing runs); a bad file leaves everything as it was and says why inline."""
        path = Path(path)
        try:
            if path.suffix.lower() == ".py":
                return self._open_python(path)
            session = load_session(path)
            if run_documents.open_session(self, session, path):  # a script: its recording, or
                self._add_recent(path)                   # "Run to record"; nothing runs
                self.statusBar().showMessage(translate("MainWindow", "Opened {0}").format(
                    path.name), 5000)
                return True
            self.load_program(Program(session.text, dict(session.bindings),
                                      tuple(session.draws)), session.position, session.title, path)
            if session.ninja:  # issue 23: the walk goes on where it was left
                self.model.quiz.restore_ninja(session.ninja)
        except ExpressionError as error:
            self.message_bar.show_message(
                translate("MainWindow", "Could not open {0}: {1}. Your work is unchanged.").format(
                    path.name, error.message if error.where else str(error)))
            return False
        self._add_recent(path)
        self.statusBar().showMessage(translate("MainWindow", "Opened {0}").format(path.name), 5000)
        return True

    def _open_python(self, path: Path) -> bool:
        """A .py file: a script waits for Run; straight-line code is stepped as today."""
        text = read_program(path)
        if run_window.is_script(text):  # what the ast path cannot read waits for Run
            run_documents.open_script(self, path, text)
        else:
            self.load_program(Program(text, {}), 0, path.name)
        self._add_recent(path)
        self.statusBar().showMessage(translate("MainWindow", "Opened {0}").format(path.name), 5000)
        return True

    def load_example(self, path: str | Path) -> bool:
        """A bundled example by path or name. A lesson script of ours (.py) runs at once
        through the recorder, as the Examples menu runs it (issue 20 §1): True when its run
        started; ``runFinished`` says when the window shows the end of the run."""
        path = lessons.find_example(path)
        try:
            if path.suffix == ".py":
                text = read_program(path)
                if run_window.is_script(text):
                    return run_documents.open_lesson(self, path, lesson_title(path.stem))
                session = Session(text, title=lesson_title(path.stem))
            else:
                session = load_session(path)
            self.load_program(Program(session.text, dict(session.bindings)), 0, session.title)
        except ExpressionError as error:
            self.message_bar.show_message(str(error))
            return False
        return True

    def new_session(self) -> None:
        from core.io.examples import LESSON_TEXT, LESSON_TITLE, lesson_bindings

        self.load_program(Program(LESSON_TEXT, lesson_bindings()), 0, LESSON_TITLE)

    def save_to(self, path: str | Path) -> bool:
        """Write the session (a script's with its recording, made in a worker thread:
        gui.state.session_save); the window paints meanwhile and the status bar says it is
        saving. False, with the reason in the message bar, when it could not be written."""
        path = Path(path)
        session = self.model.session(self.title)
        make_recording = run_documents.recording_later(self)  # a script's run, as fits
        self.statusBar().showMessage(translate("MainWindow", "Saving {0}…").format(path.name))
        clean_at = self.model.undo_stack.index()  # the session's, as taken now
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        job = None
        try:
            job = session_save.begin(path, session, make_recording, self.save_job)
            job.clean_at = clean_at
            self.save_job = job  # a Save or a close meanwhile waits for it
            session_save.end(job)
        except BaseException as error:
            if job is not None:
                if job.bug is None and job.error is None:  # interrupted while waiting
                    job.bug = error
                self._saved(job)  # a bug in the save: told as not saved, then raised
            else:
                self.statusBar().clearMessage()
            raise
        finally:
            QApplication.restoreOverrideCursor()
        return self._saved(job)

    def _saved(self, job) -> bool:
        """What an ended save means for the window, once (a close during the save says it
        first, then the save's own call). A save another one followed while it was
        written (a Save from a timer meanwhile) leaves the window to the later one."""
        if job.told:
            return job.error is None and job.bug is None
        job.told = True
        latest = job is self.save_job
        if latest:
            self.save_job = None  # ended: nothing to wait for, its session let go
        self.statusBar().clearMessage()
        run_documents.recording_not_saved(self, job.recording_error)
        if job.error is not None:
            self.message_bar.show_message(translate("MainWindow", "Could not save {0}: {1}").format(
                job.path.name, job.error))
            return False
        if job.bug is not None:
            return False
        if not latest:
            return True
        self.path = job.path
        if self.model.undo_stack.index() == job.clean_at:  # nothing changed while writing
            self.model.undo_stack.setClean()
        self._update_title()
        self._add_recent(job.path)
        self.statusBar().showMessage(translate("MainWindow", "Saved {0}").format(job.path.name),
                                     5000)
        return True

    def _session_filter(self) -> str:
        return translate("MainWindow", "Backprop Stepper sessions (*.json);;All files (*)")

    def _open_filter(self) -> str:
        return translate("MainWindow", "Sessions and scripts (*.json *.py);;Backprop Stepper "
                                       "sessions (*.json);;Python scripts (*.py);;All files (*)")

    def save(self) -> bool:
        return self.save_to(self.path) if self.path else self.save_as()

    def save_as(self) -> bool:
        suggested = str(self.path) if self.path else "session.json"
        title = translate("MainWindow", "Save Session")
        path, _ = QFileDialog.getSaveFileName(self, title, suggested,
                                              self._session_filter())
        return self.save_to(path) if path else False

    def export_image(self, path: str | Path) -> bool:
        try:
            self.canvas.export_image(str(path))
        except (OSError, ValueError) as error:
            self.statusBar().clearMessage()  # (not an earlier export's "Exported …")
            self.message_bar.show_message(translate(
                "MainWindow", "Could not export the image: {0}").format(
                error))
            return False
        self.statusBar().showMessage(
            translate("MainWindow", "Exported {0}").format(Path(path).name), 5000)
        return True

    def _export_triggered(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(
            self, translate("MainWindow", "Export Image"), "graph.png",
            translate("MainWindow", "PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"))
        if path:
            self.export_image(_with_suffix(path, chosen))

    def export_steps(self, path: str | Path, lang: str | None = None) -> bool:
        """Every step 1..N of the current program as a GIF or PDF (gui.window.step_export);
        ``lang`` "en" or "zh", by default the UI's language."""
        from gui.window.step_export import ExportError, current_language, export_steps

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            export_steps(self.model.trace, path, lang=lang or current_language())
        except (ExportError, OSError) as error:
            self.statusBar().clearMessage()
            self.message_bar.show_message(
                translate("MainWindow", "Could not export the step-through: {0}").format(error))
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self.statusBar().showMessage(
            translate("MainWindow", "Exported {0}").format(Path(path).name), 5000)
        return True

    def _export_steps_triggered(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(
            self, translate("MainWindow", "Export Step-Through"), "steps.gif",
            translate("MainWindow", "Animated GIF (*.gif);;PDF handout (*.pdf)"))
        if path:
            self.export_steps(_with_suffix(path, chosen))

    def _new_triggered(self) -> None:
        if self.confirm_discard():
            self.new_session()

    def _open_triggered(self) -> None:
        if not self.confirm_discard():
            return
        start = str(self.path.parent) if self.path else ""
        path, _ = QFileDialog.getOpenFileName(self, translate("MainWindow", "Open Session"), start,
                                              self._open_filter())
        if path:
            self.open_file(path)

    def _example_triggered(self, path: Path) -> None:
        if not self.confirm_discard():
            return
        self.load_example(path)  # a lesson of ours runs at once, through the recorder

    # ---- drag and drop: a session or a script dropped on the window opens (runs nothing)
    @staticmethod
    def _dropped_file(event) -> Path | None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if len(urls) != 1 or not urls[0].isLocalFile():
            return None
        path = Path(urls[0].toLocalFile())
        return path if path.suffix.lower() in (".json", ".py") else None

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self._dropped_file(event) is not None:
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt's name
        path = self._dropped_file(event)
        if path is None:
            return super().dropEvent(event)
        event.acceptProposedAction()
        if self.confirm_discard():
            self.open_file(path)

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
        box = QMessageBox(QMessageBox.Icon.Question, translate("MainWindow", "Unsaved changes"),
                          translate("MainWindow",
                                    "The program has changes that are not saved. Save them?"),
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
        job = self.save_job
        if job is not None:  # a save being written ends first (bounded), and
            session_save.wait(job)  # counts: no question about what it saved
            if job.done.is_set():
                self._saved(job)
        if event.spontaneous() and not getattr(self, "_confirmed_close", False) \
                and not self.confirm_discard():
            event.ignore()
            return
        self.model.set_playing(False)
        if self.settings is not None:
            self.save_settings(self.settings)
        run_documents.close_document(self)  # the script stops, its temporary folder goes
        autosave = getattr(self, "autosave", None)  # gui.window.recovery (interactive only)
        if autosave is not None:  # closed on purpose: nothing to offer back next time
            autosave.discard()
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
