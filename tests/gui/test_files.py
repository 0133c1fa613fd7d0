"""Sessions, examples, export, and the unsaved-changes question."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMessageBox, QPlainTextEdit, QTableWidget

from core.io.session import load_session
from gui.main_window import MainWindow
from gui.support.resources import example_files


def row_of(table: QTableWidget, name: str) -> int:
    return next(r for r in range(table.rowCount()) if table.item(r, 0).text() == name)


def test_save_and_open_round_trip(window, qtbot, tmp_path):
    table = window.findChild(QTableWidget, "variablesTable")
    table.item(row_of(table, "w"), 2).setText("0.5")
    window.model.goto(6)
    assert window.isWindowModified()
    path = tmp_path / "lesson.json"
    assert window.save_to(path)
    assert not window.isWindowModified()
    assert window.windowTitle().startswith("lesson.json")
    saved = load_session(path)
    assert saved.position == 6 and float(saved.bindings["w"].value) == 0.5
    assert json.loads(path.read_text("utf-8"))["format"] == "backprop-stepper-session"

    other = MainWindow()
    qtbot.addWidget(other)
    assert other.open_file(path)
    assert other.model.position == 6
    assert other.model.program.text == window.model.program.text
    assert float(other.model.program.bindings["w"].value) == 0.5
    assert other.findChild(QPlainTextEdit, "expressionEditor").toPlainText() == \
        window.model.program.text
    assert other.recent[0].endswith("lesson.json")
    assert not other.isWindowModified()


@pytest.mark.parametrize("content", [
    b"{not json",
    b'{"format": "something else"}',
    b'{"format": "backprop-stepper-session", "version": 1, "text": "loss = w *"}',
    b"\xff\xfe binary",
])
def test_a_corrupt_file_gives_a_message_and_keeps_the_work(window, tmp_path, content):
    window.model.goto(4)
    trace, program = window.model.trace, window.model.program
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    assert not window.open_file(path)
    assert "broken.json" in window.message_bar.text()
    assert "unchanged" in window.message_bar.text()
    assert window.model.trace is trace and window.model.program is program
    assert window.model.position == 4


def test_missing_file_gives_a_message(window, tmp_path):
    assert not window.open_file(tmp_path / "nowhere.json")
    assert "nowhere.json" in window.message_bar.text()


def test_examples_menu_has_the_ten_examples(window):
    titles = [a.text() for a in window.examples_menu.actions()
              if str(a.data()).endswith(".json")]  # then the "Next lessons" scripts
    assert len(titles) == 10
    assert titles[0].startswith("The lesson")
    for path in example_files():
        assert window.load_example(path), path
        params = [name for name, role, _ in window.model.variables() if role == "parameter"]
        assert params, f"{path.name} declares no parameter"
        assert window.model.position == 0
        assert not window.isWindowModified()
        window.model.end()
        assert window.model.trace.phase_starts.keys() >= {"forward", "local", "backward"}


def test_example_numbers(window):
    by_name = {p.stem: p for p in example_files()}
    expected = {
        "02-multiply-node": {"x": 3.0, "y": 2.0},
        "04-cs231n-add-multiply": {"x": -4.0, "y": -4.0, "z": 3.0},
        "06-reuse": {"a": 2.0, "b": 5.0},
        "07-mean-squared-error": {"w": -30.0},
    }
    for stem, grads in expected.items():
        window.load_example(by_name[stem])
        got = window.model.trace.named_gradients()
        for name, value in grads.items():
            assert float(got[name]) == pytest.approx(value), (stem, name)


def test_triggering_an_example_from_the_menu(window):
    action = window.examples_menu.actions()[3]
    action.trigger()
    assert window.model.program.text.startswith("q = x + y")
    assert window.windowTitle().startswith("CS231n")


@pytest.mark.parametrize("suffix,magic", [(".png", b"\x89PNG"), (".svg", b"<?xml"),
                                          (".pdf", b"%PDF")])
def test_export_image(window, tmp_path, suffix, magic):
    window.model.goto(9)
    path = tmp_path / f"graph{suffix}"
    assert window.export_image(path)
    assert path.read_bytes().startswith(magic)
    if suffix == ".png":
        image = QImage(str(path))
        assert not image.isNull() and image.width() > 100


def test_export_to_an_unknown_format_says_so(window, tmp_path):
    assert not window.export_image(tmp_path / "graph.bmp")
    assert "export" in window.message_bar.text()


def answer_unsaved(window, button):
    def click():
        box = window.unsaved_box or QApplication.activeModalWidget()
        box.button(button).click()
    QTimer.singleShot(0, click)


def test_quit_asks_about_unsaved_changes(window, qtbot, tmp_path):
    table = window.findChild(QTableWidget, "variablesTable")
    table.item(row_of(table, "w"), 2).setText("4")
    answer_unsaved(window, QMessageBox.StandardButton.Cancel)
    window.quit_action.trigger()
    assert window.isVisible()
    answer_unsaved(window, QMessageBox.StandardButton.Discard)
    window.quit_action.trigger()
    assert not window.isVisible()


def test_quit_without_changes_does_not_ask(window):
    window.quit_action.trigger()
    assert not window.isVisible()


def test_new_replaces_the_program_after_asking(window, qtbot):
    window.findChild(QPlainTextEdit, "expressionEditor").setPlainText("loss = (w * x - y) ** 2\n")
    window.editor_panel.apply()
    assert window.isWindowModified()
    answer_unsaved(window, QMessageBox.StandardButton.Discard)
    window.new_action.trigger()
    assert window.model.program.text.startswith("y_hat = w * x")
    assert not window.isWindowModified()


def test_example_titles_are_listed_for_translation():
    from gui.support.texts import EXAMPLE_TITLES

    assert [load_session(p).title for p in example_files()] == list(EXAMPLE_TITLES)
