"""Running the learner's script from the window (issue 20): Run, Stop, the Run menu,
Preferences, the notice before a file's first run, "Run to record", and the passes.

``install(window)`` adds it all to a :class:`gui.window.main_window.MainWindow`; the
child process and its recording are :class:`gui.state.run_state.RunState`
(``window.model.run``). Only Run runs a script: opening a file puts its text in the
editor and shows "Run to record".
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTextEdit,
)

from gui.panels.run_bar import RunBar
from gui.state.run_output import draws_unseeded, field, needs_torchvision
from gui.window.preferences import PreferencesDialog, RunPreferences

translate = QCoreApplication.translate
#: the QSettings key of the files whose first-run notice was shown
NOTICED_KEY = "scripts/noticed"


def install(window) -> None:
    runs = window.model.run
    window.setAcceptDrops(True)  # a .py or .json dropped on it opens (gui.window.documents)
    window.run_prefs = RunPreferences.load(window.settings)
    window.run_prefs.apply(runs)
    window.script_path = None  # the .py file in the editor, when one was opened
    window.run_notice_box = None
    window.preferences_dialog = None
    editor = window.editor_panel.editor
    runs.document_text = editor.toPlainText
    runs.preparers = [window.canvas.layout_job]
    window.run_action = window._action(lambda: run_text(window), lambda *_: run(window),
                                       ("Ctrl+R",), "runAction")
    window.stop_action = window._action(lambda: translate("MainWindow", "Stop"),
                                        lambda *_: runs.stop(), ("Ctrl+.",), "stopAction")
    window.preferences_action = window._action(
        lambda: translate("MainWindow", "Preferences…"), lambda *_: show_preferences(window),
        ("Ctrl+,",), "preferencesAction")
    window.stop_action.setEnabled(False)
    window.run_bar = RunBar(window.run_action, window.stop_action,
                            window.training_panel.selector, window)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, window.run_bar)
    menu = window._menu(window.menuBar(), lambda: translate("MainWindow", "&Run"))
    menu.setObjectName("runMenu")
    bar = window.menuBar()  # after Step, before Examples
    bar.removeAction(menu.menuAction())
    bar.insertAction(window.examples_menu.menuAction(), menu.menuAction())
    menu.addActions([window.run_action, window.stop_action])
    menu.addSeparator()
    menu.addActions([window.next_iteration_action, window.prev_iteration_action])
    menu.addSeparator()
    menu.addAction(window.preferences_action)
    window.run_menu = menu
    _make_placeholder(window)
    _make_pass_notice(window)
    runs.started.connect(lambda: _running_changed(window))
    runs.finished.connect(lambda: _finished(window))
    runs.opened.connect(lambda: _opened(window))
    runs.staleChanged.connect(lambda _on: sync(window))
    runs.passChanged.connect(lambda: _pass_changed(window))
    editor.textChanged.connect(lambda: runs.edited(editor.toPlainText()))
    window.model.traceReplaced.connect(lambda: _trace_replaced(window))
    window.model.scriptApplied.connect(lambda: script_applied(window))
    window.canvas.nodeClicked.connect(lambda node_id: show_source_line(window, node_id))
    sync(window)


def run_text(window) -> str:
    runs = window.model.run
    return translate("MainWindow", "Run again") if runs.stale else translate("MainWindow", "Run")


def sync(window) -> None:
    runs = window.model.run
    running = runs.is_running()
    window.run_action.setText(run_text(window))
    window.run_action.setEnabled(not running)
    window.stop_action.setEnabled(running)
    tip = translate("MainWindow", "Run the script as python FILE would, and record what "
                                  "PyTorch did ({0})").format("Ctrl+R")
    window.run_action.setToolTip(tip)
    window.run_bar.run_button.setAccessibleName(run_text(window))
    window.run_bar.stop_button.setAccessibleName(translate("MainWindow", "Stop the script"))
    if window.run_placeholder.isVisibleTo(window):  # "Running…" while it runs, not "Run"
        window.run_placeholder.setText(placeholder_text(window))
        window.run_placeholder.setAccessibleName(window.run_placeholder.text())


# ---- running
def run(window, keep: tuple = (), show: int | None = None) -> bool:
    """Run the editor's text (what the learner asked for with Run). A file that was not
    typed in the app gets a notice first, once: it runs with the learner's permissions."""
    runs = window.model.run
    if runs.is_running():
        return False
    text = window.editor_panel.editor.toPlainText()
    if not text.strip():
        window.message_bar.show_message(translate("MainWindow", "There is no script to run."))
        return False
    if not is_script(text):
        window.message_bar.show_message(translate(
            "MainWindow", "This program is stepped as it is: Apply (Ctrl+Enter) shows it. Run "
            "runs scripts, the texts Apply cannot read (def, for, while, if, with, imports)."),
            "info")
        return False
    source = window.script_path or window.path
    if source is not None and str(Path(source).resolve()) not in _noticed(window):
        return _notice(window, source, keep, show)
    return _start(window, text, keep, show)


def script_applied(window) -> None:
    """Apply was given a script: nothing was built or run; say that Run runs it."""
    window.message_bar.show_message(translate(
        "MainWindow", "This is a script: Apply does not build it. Run (Ctrl+R) runs it as "
        "python FILE would, with your permissions, and records what PyTorch did."), "info")


def is_script(text: str) -> bool:
    """A text Run may run: a script (core.engine.build.is_script), or anything else the safe
    ast path cannot read. Straight-line programs (the lesson's form) never run as Python."""
    from core.engine.build import is_script as script
    from core.language.parser import ExpressionError, parse

    if script(text):
        return True
    try:
        parse(text)
    except ExpressionError:
        return True
    except (RecursionError, MemoryError, ValueError):
        return True
    return False


def _noticed(window) -> set[str]:
    if not hasattr(window, "_noticed_files"):
        stored = window.settings.value(NOTICED_KEY, []) if window.settings is not None else []
        window._noticed_files = set([stored] if isinstance(stored, str) else stored or [])
    return window._noticed_files


def _notice(window, source, keep, show) -> bool:
    """Says once per file that it runs with the learner's permissions; Run goes on."""
    name = Path(source).name
    box = QMessageBox(QMessageBox.Icon.Information, translate("MainWindow", "Run a script"),
                      translate("MainWindow",
                                "{0} runs as python {0} would, with your permissions: it can "
                                "read and change your files. Run only scripts you trust."
                                ).format(name),
                      QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel, window)
    box.setObjectName("runNoticeBox")
    box.button(QMessageBox.StandardButton.Ok).setText(translate("MainWindow", "Run"))
    window.run_notice_box = box

    def answered(answer: int) -> None:
        window.run_notice_box = None
        box.deleteLater()
        if answer != QMessageBox.StandardButton.Ok:
            return
        noticed = _noticed(window)
        noticed.add(str(Path(source).resolve()))
        if window.settings is not None:
            window.settings.setValue(NOTICED_KEY, sorted(noticed))
        _start(window, window.editor_panel.editor.toPlainText(), keep, show)

    box.finished.connect(answered)
    box.open()
    return True


def start(window, keep: tuple = (), show: int | None = None) -> bool:
    """Run the editor's text now, with no notice (``--run`` on the command line: the
    learner named the file to run)."""
    return _start(window, window.editor_panel.editor.toPlainText(), keep, show)


def _start(window, text: str, keep, show) -> bool:
    runs = window.model.run
    window.run_prefs.apply(runs)
    window.pass_notice.hide()
    try:
        runs.start(text, window.script_path, keep=keep, show=show)
    except (ImportError, OSError, ValueError) as error:
        window.message_bar.show_message(translate(
            "MainWindow", "The script could not start: {0}").format(error))
        return False
    _running_changed(window)
    return True


def _running_changed(window) -> None:
    sync(window)
    window.output_panel.open_dock()
    window.message_bar.hide()


def _finished(window) -> None:
    _say_what_is_shown(window)
    window.runFinished.emit()


def _opened(window) -> None:
    """A session's saved recording (nothing ran): said as a run's end says it."""
    _say_what_is_shown(window)


def _say_what_is_shown(window) -> None:
    runs = window.model.run
    sync(window)
    result = runs.result
    error = result.error if result is not None else None
    if needs_torchvision(error, runs.output_text()):
        window.message_bar.show_message(translate(
            "MainWindow", "The script needs torchvision, which this Python cannot load. "
            "Choose a Python for scripts that has torchvision in Run → Preferences."))
    elif runs.problem:
        window.message_bar.show_message(translate(
            "MainWindow", "The recording could not be read: {0}").format(runs.problem))
    elif runs.on_screen and runs.group:
        window.message_bar.show_message(group_text(runs), "info")
    elif runs.on_screen and not runs.iteration:
        window.message_bar.show_message(translate(
            "MainWindow", "The script called no backward(): these are its forward "
            "computations, which can be stepped forward. No gradients were asked for."), "info")


# ---- what is on screen
def _make_placeholder(window) -> None:
    label = QLabel(objectName="runPlaceholder", alignment=Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.hide()
    window.centralWidget().layout().addWidget(label, 1)
    window.run_placeholder = label


def placeholder_text(window) -> str:
    runs = window.model.run
    result = runs.result
    if runs.is_running():
        return translate("MainWindow", "Running… its passes show here when it ends.")
    if result is None or runs.stale:
        return translate("MainWindow", "Run to record (Ctrl+R)\n\nThe script runs as python "
                                       "FILE would; each backward() call is then a pass to "
                                       "step through.")
    if result.status != "ok":
        return translate("MainWindow", "The script stopped before its first backward(): "
                                       "there is no pass to step.")
    return translate("MainWindow", "The script called no backward(): no gradients were asked "
                                   "for, so there is no pass to step.")


def _trace_replaced(window) -> None:
    window.run_bar.refit()
    blank = window.model.trace.blank
    window.run_placeholder.setText(placeholder_text(window) if blank else "")
    window.run_placeholder.setAccessibleName(window.run_placeholder.text())
    window.run_placeholder.setVisible(blank)
    window.canvas.setVisible(not blank)
    if not window.model.run.summary_only:
        window.pass_notice.hide()


def _make_pass_notice(window) -> None:
    frame = QFrame(objectName="passNotice")
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    label = QLabel(objectName="passNoticeText", wordWrap=True)
    button = QPushButton(objectName="runAgainKeepingButton")
    button.clicked.connect(lambda: _run_keeping(window))
    row = QHBoxLayout(frame)
    row.setContentsMargins(10, 4, 4, 4)
    row.addWidget(label, 1)
    row.addWidget(button)
    frame.hide()
    layout = window.centralWidget().layout()
    layout.insertWidget(layout.indexOf(window.message_bar) + 1, frame)
    window.pass_notice, window.pass_notice.label, window.pass_notice.button = frame, label, button


def group_text(runs) -> str:
    """What the group on screen is: which turn of the script's loop, and that no
    gradients were asked for (a forward-only run)."""
    k = runs.group
    summary = runs.group_summary(k)
    iteration, line = field(summary, "iteration"), field(summary, "line")
    where = translate("MainWindow", "Group {0} of {1}").format(k, runs.group_count)
    if isinstance(iteration, int) and isinstance(line, int):
        where += translate("MainWindow", ": iteration {0} of the loop on line {1}").format(
            iteration, line)
    else:
        where += translate("MainWindow", ": the computations outside the loop")
    return where + ". " + translate(
        "MainWindow", "The script called no backward(): its forward computations can be "
        "stepped forward. No gradients were asked for.")


def _pass_changed(window) -> None:
    window.run_bar.refit()
    runs = window.model.run
    k = runs.summary_only
    if k is None and runs.group_summary_only:
        k = runs.group_summary_only
        _show_pass_notice(window, translate(
            "MainWindow", "Group {0} of {1} was kept only as a summary.").format(
            k, runs.group_count), translate("MainWindow", "Run again, keeping group {0}").format(k))
        return
    if k is None:
        window.pass_notice.hide()
        if runs.group and runs.on_screen:
            window.message_bar.show_message(group_text(runs), "info")
        return
    summary = runs.recording.passes[k - 1]
    loss = field(summary, "loss")
    text = translate("MainWindow", "Pass {0} of {1} was kept only as a summary").format(
        k, runs.count)
    if isinstance(loss, (int, float)):
        text += translate("MainWindow", " (loss {0})").format(f"{loss:.6g}")
    _show_pass_notice(window, text + ".",
                      translate("MainWindow", "Run again, keeping pass {0}").format(k))


def _show_pass_notice(window, text: str, button: str) -> None:
    """The notice over the graph: pass (or group) k was kept only as a summary."""
    runs = window.model.run
    if draws_unseeded(runs.text):
        text += " " + translate("MainWindow", "The script draws random numbers without a "
                                              "seed: the new run will differ.")
    window.pass_notice.label.setText(text)
    window.pass_notice.button.setText(button)
    window.pass_notice.button.setAccessibleName(window.pass_notice.button.text())
    window.pass_notice.show()


def _run_keeping(window) -> None:
    runs = window.model.run
    if runs.summary_only is not None:
        run(window, keep=(runs.summary_only,), show=runs.summary_only)
    elif runs.group_summary_only:  # the bootstrap keeps groups by the same numbers
        run(window, keep=(runs.group_summary_only,), show=-runs.group_summary_only)


def show_source_line(window, node_id: int) -> None:
    """A recorded node clicked: its source line marked in the editor."""
    trace = window.model.trace
    if trace.recorded_by is None:
        return
    try:
        line = int(trace.graph.nodes[node_id].line or 0)
    except (IndexError, TypeError, ValueError):
        return
    editor = window.editor_panel.editor
    block = editor.document().findBlockByNumber(line - 1)
    if line < 1 or not block.isValid():
        return
    mark = QTextEdit.ExtraSelection()
    mark.cursor = QTextCursor(block)
    style = QTextCharFormat()
    style.setBackground(QColor(0, 114, 178, 45))
    style.setProperty(QTextCharFormat.Property.FullWidthSelection, True)
    mark.format = style
    editor.setExtraSelections([mark])
    editor.setTextCursor(QTextCursor(block))
    editor.ensureCursorVisible()
    window.editor_dock.show()


def show_preferences(window) -> PreferencesDialog:
    dialog = PreferencesDialog(window.run_prefs, window)
    window.preferences_dialog = dialog

    def done(answer: int) -> None:
        window.preferences_dialog = None
        if answer:
            window.run_prefs = dialog.preferences()
            window.run_prefs.save(window.settings)
            window.run_prefs.apply(window.model.run)
        dialog.deleteLater()

    dialog.finished.connect(done)
    dialog.open()
    return dialog
