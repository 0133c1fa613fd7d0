"""Light and dark themes: one palette, one style sheet, and the phase colours (Okabe–Ito)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from gui.resources import read_text

PHASE_COLOURS = {
    False: {None: "#555555", "forward": "#007A5A", "local": "#0072B2", "backward": "#C04F00"},
    True: {None: "#BBBBBB", "forward": "#3FD0A4", "local": "#56B4E9", "backward": "#FF8A3D"},
}
HIGHLIGHT = {False: "#FFF1CC", True: "#4A3A12"}  # current row in the lesson tables


def phase_colour(phase: str | None, dark: bool) -> str:
    return PHASE_COLOURS[dark].get(phase, PHASE_COLOURS[dark][None])


def palette(dark: bool) -> QPalette:
    p = QPalette()
    if dark:
        colours = {
            QPalette.ColorRole.Window: "#23252b", QPalette.ColorRole.WindowText: "#e8e8e8",
            QPalette.ColorRole.Base: "#1b1d22", QPalette.ColorRole.AlternateBase: "#262930",
            QPalette.ColorRole.Text: "#e8e8e8", QPalette.ColorRole.Button: "#30333b",
            QPalette.ColorRole.ButtonText: "#e8e8e8", QPalette.ColorRole.Highlight: "#3d6fa8",
            QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.ToolTipBase: "#30333b",
            QPalette.ColorRole.ToolTipText: "#e8e8e8", QPalette.ColorRole.PlaceholderText: "#8a8f99",
            QPalette.ColorRole.Link: "#56B4E9", QPalette.ColorRole.Mid: "#555a64",
        }
    else:
        colours = {
            QPalette.ColorRole.Window: "#f4f4f2", QPalette.ColorRole.WindowText: "#1d1d1f",
            QPalette.ColorRole.Base: "#ffffff", QPalette.ColorRole.AlternateBase: "#f6f6f4",
            QPalette.ColorRole.Text: "#1d1d1f", QPalette.ColorRole.Button: "#ececea",
            QPalette.ColorRole.ButtonText: "#1d1d1f", QPalette.ColorRole.Highlight: "#cfe3f6",
            QPalette.ColorRole.HighlightedText: "#1d1d1f", QPalette.ColorRole.ToolTipBase: "#ffffee",
            QPalette.ColorRole.ToolTipText: "#1d1d1f", QPalette.ColorRole.PlaceholderText: "#8a8a8a",
            QPalette.ColorRole.Link: "#0072B2", QPalette.ColorRole.Mid: "#b8b8b4",
        }
    for role, colour in colours.items():
        p.setColor(role, QColor(colour))
    disabled = QColor("#6b6f78" if dark else "#a0a0a0")
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return p


def style_sheet(dark: bool, presentation: bool = False) -> str:
    sheet = read_text("styles", "dark.qss" if dark else "light.qss")
    if presentation:
        sheet += read_text("styles", "presentation.qss")
    return sheet
