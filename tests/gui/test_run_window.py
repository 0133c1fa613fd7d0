"""The window's Run side that needs no child process: opening a script runs nothing,
"Run to record", the notice before a file's first run, the Run menu, Preferences.

(Runs with real child processes: tests/gui/test_run_scripts.py.)
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QSpinBox, QToolButton

from gui.state.blank_trace import BlankTrace

CANARY_SCRIPT = """\
from pathlib import Path
Path(__file__).with_name("canary.txt").write_text("ran")
for i in range(2):
    print(i)
"""


def _script(tmp_path, text=CANARY_SCRIPT, name="train.py"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_opening_a_script_runs_nothing(window, qtbot, tmp_path):
    path = _script(tmp_path)
    assert window.open_file(path)
    assert window.editor_panel.editor.toPlainText() == CANARY_SCRIPT
    assert isinstance(window.model.trace, BlankTrace)
    placeholder = window.run_placeholder
    assert placeholder.isVisible() and not window.canvas.isVisible()
    assert "Run to record" in placeholder.text()
    assert not window.is_running()
    qtbot.wait(300)  # nothing started in the background either
    assert not (tmp_path / "canary.txt").exists()
    assert str(path.resolve()) in window.recent
    assert window.windowTitle().startswith("train.py")
    assert window.model.length == 0
    window.model.next()  # a step key on "Run to record" does nothing
    assert window.model.position == 0


def test_a_file_gets_a_notice_before_its_first_run(window, qtbot, tmp_path):
    path = _script(tmp_path)
    window.open_file(path)
    qtbot.mouseClick(window.findChild(QToolButton, "runButton"), Qt.MouseButton.LeftButton)
    box = window.run_notice_box
    assert box is not None and box.isVisible()
    assert "permissions" in box.text() and "train.py" in box.text()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.run_notice_box is None)
    qtbot.wait(300)
    assert not window.is_running()
    assert not (tmp_path / "canary.txt").exists()


def test_straight_line_python_opens_as_a_program(window, tmp_path):
    path = _script(tmp_path, "w = param(2.0)\nloss = (w * 3 - 1) ** 2\n", "lesson.py")
    assert window.open_file(path)
    assert not isinstance(window.model.trace, BlankTrace)
    assert window.canvas.isVisible() and not window.run_placeholder.isVisible()
    assert window.model.length > 0


def test_run_menu_and_keys(window):
    menu = window.run_menu
    names = [a.objectName() for a in menu.actions()]
    assert names[:2] == ["runAction", "stopAction"]
    assert "preferencesAction" in names
    assert window.run_action.shortcut().toString() == "Ctrl+R"
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles.index("Run") == titles.index("Step") + 1
    assert not window.stop_action.isEnabled() and window.run_action.isEnabled()
    assert window.findChild(QToolButton, "stopButton").accessibleName()
    assert window.findChild(QToolButton, "runButton").accessibleName() == "Run"


def test_the_run_bar_fits_a_small_window(window):
    """The run bar asks for little: one short row, narrower than a 960-pixel window."""
    bar = window.run_bar.minimumSizeHint()
    assert bar.width() <= 480 and window.run_bar.sizeHint().height() <= 40


def test_preferences_are_kept(qtbot, tmp_path):
    from gui.window.main_window import MainWindow

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    window.preferences_action.trigger()
    dialog = window.preferences_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.findChild(QSpinBox, "timeLimitBox").setValue(30)
    dialog.findChild(QSpinBox, "memoryLimitBox").setValue(3000)
    dialog.python.setText(str(tmp_path / "no-such-python"))
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "not found" in dialog.problem.text()  # stays open
    dialog.python.setText("")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.preferences_dialog is None)
    assert (window.model.run.timeout_s, window.model.run.memory_mb) == (30, 3000)
    assert window.model.run.python is None
    settings.sync()
    again = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(again)
    assert (again.run_prefs.timeout_s, again.run_prefs.memory_mb) == (30, 3000)


def test_dropping_a_script_opens_it_without_running(window, qtbot, tmp_path):
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

    path = _script(tmp_path)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    point = window.canvas.mapTo(window, window.canvas.rect().center())
    enter = QDragEnterEvent(point, Qt.DropAction.CopyAction, data, Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier)
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(point), Qt.DropAction.CopyAction, data, Qt.MouseButton.NoButton,
                      Qt.KeyboardModifier.NoModifier)
    window.dropEvent(drop)
    assert window.editor_panel.editor.toPlainText() == CANARY_SCRIPT
    assert isinstance(window.model.trace, BlankTrace)
    qtbot.wait(300)
    assert not window.is_running() and not (tmp_path / "canary.txt").exists()


def test_clicking_a_recorded_node_marks_its_line(window, tmp_path):
    """A recorded pass (made by the recorder from a record written by hand, as the
    bootstrap writes it) on screen: a node's click marks the line that computed it."""
    import json

    import numpy as np

    from core.record.recording import load_recording
    from core.record.to_trace import pass_trace

    folder = tmp_path / "rec"
    (folder / "t").mkdir(parents=True)
    np.save(folder / "t" / "000001.npy", np.float32(2.0))
    np.save(folder / "t" / "000002.npy", np.float32(6.0))
    np.save(folder / "t" / "000003.npy", np.float32(3.0))
    nodes = [{"id": 1, "op": None, "kind": "parameter", "name": "w", "inputs": [], "kwargs": {},
              "line": 2, "module": None, "shape": [], "dtype": "float32",
              "value": "t/000001.npy", "grad": "t/000003.npy", "stdout_bytes": 0},
             {"id": 2, "op": "Tensor.__mul__", "kind": "operation", "name": "loss",
              "inputs": [1, {"const": 3.0}], "kwargs": {}, "line": 3, "module": None,
              "shape": [], "dtype": "float32", "value": "t/000002.npy", "grad": None,
              "stdout_bytes": 0}]
    (folder / "pass-000001.json").write_text(json.dumps(
        {"index": 1, "loss": 6.0, "nodes": nodes, "output": 2, "optimizer": None,
         "zero_grad": [], "stdout_bytes_start": 0, "stdout_bytes_end": 0}))
    trace = pass_trace(load_recording(folder).load_pass(1))
    runs = window.model.run
    trace.context.shown_pass, trace.context.shown_by = 1, runs
    text = "import torch\nw = torch.tensor(2.0, requires_grad=True)\nloss = w * 3\n"
    window.editor_panel.editor.setPlainText(text)
    window.model.set_program(window.model.program.__class__(text, {}), position=0, trace=trace)
    node = next(n for n in trace.graph.nodes if n.kind == "operation")
    assert node.line == 3
    window.canvas.nodeClicked.emit(node.id)
    marks = window.editor_panel.editor.extraSelections()
    assert len(marks) == 1 and marks[0].cursor.block().blockNumber() == 2
    assert window.editor_panel.editor.textCursor().blockNumber() == 2


def test_run_never_runs_a_straight_line_program(window, qtbot):
    """The lesson's own form is stepped by the safe ast path, never run as Python."""
    window.editor_panel.editor.setPlainText("w = param(2.0)\nloss = (w * 3 - 1) ** 2\n")
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert not window.is_running() and window.model.run.result is None
    assert "Apply" in window.message_bar.text()


def test_presentation_mode_hides_the_run_bar_and_brings_it_back(window, qtbot):
    window.set_presentation(True)
    qtbot.waitUntil(lambda: not window.run_bar.isVisible())
    window.set_presentation(False)
    qtbot.waitUntil(window.run_bar.isVisible)
