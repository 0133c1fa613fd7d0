"""Help → Third-party licences lists every bundled package with its licence text."""

from __future__ import annotations

from PySide6.QtWidgets import QTextBrowser

from gui.support.licenses import notices


def test_notices_cover_the_bundled_packages():
    found = {n.package: n for n in notices()}
    for package in ("PySide6-Essentials", "matplotlib", "networkx", "numpy", "torch",
                    "pylopdf-fonts-zh-cn"):
        assert package in found
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in found["PySide6-Essentials"].text
    assert "SIL OPEN FONT LICENSE" in found["pylopdf-fonts-zh-cn"].text.upper()
    assert "BSD" in found["networkx"].license


def test_help_menu_shows_the_licences(window, qtbot):
    window.licences_action.trigger()
    dialog = window.findChild(QTextBrowser, "licencesText")
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    text = dialog.toPlainText()
    assert "PySide6-Essentials" in text and "torch" in text and "Noto Sans SC" in text
