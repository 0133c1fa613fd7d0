"""Run → Preferences (gui/window/preferences.py): its words are read whole."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLineEdit

from gui.window import run_window
from tests.gui.test_i18n import _compiled_translation  # noqa: F401 - the .qm for Chinese


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_python_fields_placeholder_is_whole(window, language):
    """It read "This app's own P…" at the dialog's natural width."""
    window.set_language(language)
    dialog = run_window.show_preferences(window)
    try:
        field = dialog.findChild(QLineEdit, "pythonForScripts")
        assert not field.text()  # (the placeholder shows)
        room = field.contentsRect().width() - 2 * field.textMargins().left() - 4
        assert field.fontMetrics().horizontalAdvance(field.placeholderText()) <= room
    finally:
        dialog.reject()
