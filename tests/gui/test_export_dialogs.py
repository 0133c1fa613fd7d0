"""File → Export Image and Export Step-Through through the real file dialog: a name typed
without a suffix gets the chosen filter's (it was refused: "cannot export to .")."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from gui.window.documents import _with_suffix


def _answer_dialog(path, name_filter: str) -> None:
    """Once the file dialog is open: the filter chosen, the name typed, Save pressed."""
    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(20, answer)
            return
        dialog.selectNameFilter(name_filter)
        dialog.selectFile(str(path))
        dialog.accept()

    QTimer.singleShot(0, answer)


@pytest.mark.parametrize(("name_filter", "suffix"), [("SVG drawing (*.svg)", ".svg"),
                                                     ("PDF document (*.pdf)", ".pdf"),
                                                     ("PNG image (*.png)", ".png")])
def test_an_image_named_without_a_suffix_gets_the_filters(window, tmp_path, name_filter,
                                                          suffix):
    _answer_dialog(tmp_path / "graph", name_filter)
    window._export_triggered()
    assert (tmp_path / f"graph{suffix}").stat().st_size > 0
    assert not window.message_bar.isVisible()
    assert window.statusBar().currentMessage() == f"Exported graph{suffix}"


def test_a_step_through_named_without_a_suffix_gets_the_filters(window, tmp_path):
    _answer_dialog(tmp_path / "handout", "PDF handout (*.pdf)")
    window._export_steps_triggered()
    assert (tmp_path / "handout.pdf").read_bytes().startswith(b"%PDF")


def test_a_failed_export_leaves_no_earlier_success_in_the_status_bar(window, tmp_path):
    assert window.export_image(tmp_path / "first.png")
    assert not window.export_image(tmp_path / "notes.txt")
    assert window.message_bar.isVisible()
    assert window.statusBar().currentMessage() == ""


def test_a_typed_suffix_is_kept():
    assert _with_suffix("/tmp/a.svg", "PNG image (*.png)") == "/tmp/a.svg"
    assert _with_suffix("/tmp/a", "All files (*)") == "/tmp/a"
