"""A script's documents (issue 20 §5): a .py file opened, a session holding a script and
its recording, the document closed. Nothing here runs a script: opening shows its text
with "Run to record", or its saved recording.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication

from core.engine.build import is_script
from core.language.program import Program
from gui.state.blank_trace import BlankTrace
from gui.window import run_window

translate = QCoreApplication.translate


def open_script(window, path: Path, text: str) -> None:
    """A script opened from a file: its text in the editor, "Run to record", nothing run."""
    close_document(window)
    model = window.model
    model.set_playing(False)
    model.set_program(Program(text, {}), position=0, trace=BlankTrace(text))
    model.undo_stack.clear()
    model.undo_stack.setClean()
    window.path, window.script_path, window.title = None, path, path.name
    window._update_title()
    window.message_bar.hide()


def open_lesson(window, path: Path, title: str) -> bool:
    """A lesson script from the app's own Examples menu: ours, so it runs at once through
    the recorder (from a folder of its own) and shows the last pass at its last step,
    with its output, when the run ends (issue 20 §1)."""
    from core.language.reading import read_program

    text = read_program(path)
    close_document(window)
    model = window.model
    model.set_playing(False)
    model.set_program(Program(text, {}), position=0, trace=BlankTrace(text))
    model.undo_stack.clear()
    model.undo_stack.setClean()
    window.path, window.script_path, window.title = None, None, title
    model.run.script_name = path.name  # (run from a folder of its own, under its name)
    window._update_title()
    window.message_bar.hide()
    return run_window.start(window)


def close_document(window) -> None:
    """Another document, or the window closes: the run stops, its folder goes."""
    window.model.run.close_document()
    window.script_path = None
    window.pass_notice.hide()
    run_window.sync(window)


def recording_later(window):
    """What makes a script's recording as a session keeps it (core.record.saved: the
    output, the passes' summaries, the kept passes that fit), for a worker thread to
    call (gui.state.session_save); None when the document has none."""
    return window.model.run.saved_later()


def recording_not_saved(window, error: Exception | None) -> None:
    """The record folder went away while saving: the text was saved without it."""
    if error is not None:
        window.statusBar().showMessage(translate(
            "MainWindow", "The recording was not saved: {0}").format(error), 8000)


def open_session(window, session, path=None) -> bool:
    """A session holding a script opens without running anything: its saved recording
    (validated as a fresh one), else its text with "Run to record". False: not a script."""
    from core.language.parser import ExpressionError
    from core.record.recording import RecordError

    saved = session.settings.get("recording")
    if saved is None and not is_script(session.text):
        return False
    close_document(window)
    model = window.model
    model.set_playing(False)
    model.set_program(Program(session.text, {}), position=0, trace=BlankTrace(session.text))
    model.undo_stack.clear()
    model.undo_stack.setClean()
    window.path, window.title = (Path(path) if path else None), session.title
    window._update_title()
    if saved is not None:
        iteration = session.settings.get("iteration")
        k = iteration if isinstance(iteration, int) and not isinstance(iteration, bool) else 0
        try:
            model.run.adopt(session.text, saved, k, session.position or 0)
        except (RecordError, OSError, ValueError) as error:
            raise ExpressionError(f"its recording cannot be read: {error}") from None
    return True
