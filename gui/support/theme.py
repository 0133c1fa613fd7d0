"""Light and dark themes: one palette, one style sheet, and the phase colours (Okabe–Ito)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from gui.support.resources import read_text

PHASE_COLOURS = {
    False: {None: "#555555", "forward": "#007A5A", "local": "#0072B2", "backward": "#C04F00",
            "update": "#A4457F"},  # Okabe–Ito reddish purple, darkened to read on white
    True: {None: "#BBBBBB", "forward": "#3FD0A4", "local": "#56B4E9", "backward": "#FF8A3D",
           "update": "#E39CC6"},
}
HIGHLIGHT = {False: "#FFF1CC", True: "#4A3A12"}  # current row in the lesson tables
#: a right and a wrong answer (quiz feedback, ✓/✗ marks)
RIGHT, WRONG = "#1E8449", "#C0392B"
#: the step bar: its drawn icons, and the slider's handle and its border
STEP_BAR = {False: {"icon": "#333333", "handle": "#ffffff", "border": "#777777"},
            True: {"icon": "#e8e8e8", "handle": "#e8e8e8", "border": "#8a8f99"}}
#: the training plot (matplotlib): background, text and grid, then its lines' colours
PLOT = {
    False: {"face": "#ffffff", "text": "#1d1d1f", "grid": "#b8b8b4", "loss": "#D55E00",
            "lines": ("#0072B2", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#F0E442",
                      "#000000", "#999999")},
    True: {"face": "#1b1d22", "text": "#e8e8e8", "grid": "#555a64", "loss": "#FF8F4D",
           "lines": ("#56B4E9", "#35D0A5", "#F5B942", "#E39CC6", "#8FD3FF", "#F0E442",
                     "#e8e8e8", "#999999")},
}

#: the graph canvas (Okabe–Ito hues; dark: the same hues, lifted for contrast)
CANVAS_LIGHT = {
    "bg": "#FFFFFF", "fg": "#222222", "edge": "#4D4D4D", "not_needed": "#999999",
    "data_face": "#FFFFFF", "data_edge": "#333333",
    "parameter_face": "#FFF3C4", "parameter_edge": "#6B5500",
    "constant_face": "#E6E6E6", "constant_edge": "#8C8C8C",
    "operation_face": "#FFFFFF", "operation_edge": "#333333",
    "value": "#009E73", "grad": "#D55E00", "local": "#0072B2", "highlight": "#E69F00",
    "tangent": "#8E44AD",  # forward mode's tangents (TANGENT)
}
CANVAS_DARK = {
    "bg": "#1E1F22", "fg": "#E6E6E6", "edge": "#B3B3B3", "not_needed": "#7A7A7A",
    "data_face": "#2B2D31", "data_edge": "#D9D9D9",
    "parameter_face": "#4D4219", "parameter_edge": "#F2D88A",
    "constant_face": "#3A3B3F", "constant_edge": "#9A9A9A",
    "operation_face": "#2B2D31", "operation_edge": "#D9D9D9",
    "value": "#35D0A5", "grad": "#FF8F4D", "local": "#5CB8F0", "highlight": "#F5B942",
    "tangent": "#C39BD3",
}

#: muted text (not-needed rows), an input error's underline, forward mode's tangents
MUTED = "#8a8a8a"
ERROR_UNDERLINE = "#D55E00"
TANGENT = "#8E44AD"  # neither value, gradient nor local colour
#: a script's function call on the canvas: the band's face and its label, light and dark
CALL_BAND = {False: ("#E9E2F3", "#6C5A86"), True: ("#352F40", "#BBA9D6")}


def phase_colour(phase: str | None, dark: bool) -> str:
    return PHASE_COLOURS[dark].get(phase, PHASE_COLOURS[dark][None])


def palette(dark: bool) -> QPalette:
    R = QPalette.ColorRole
    p = QPalette()
    if dark:
        colours = {
            R.Window: "#23252b", R.WindowText: "#e8e8e8",
            R.Base: "#1b1d22", R.AlternateBase: "#262930",
            R.Text: "#e8e8e8", R.Button: "#30333b",
            R.ButtonText: "#e8e8e8", R.Highlight: "#3d6fa8",
            R.HighlightedText: "#ffffff", R.ToolTipBase: "#30333b",
            R.ToolTipText: "#e8e8e8", R.PlaceholderText: "#8a8f99",
            R.Link: "#56B4E9", R.Mid: "#555a64",
        }
    else:
        colours = {
            R.Window: "#f4f4f2", R.WindowText: "#1d1d1f",
            R.Base: "#ffffff", R.AlternateBase: "#f6f6f4",
            R.Text: "#1d1d1f", R.Button: "#ececea",
            R.ButtonText: "#1d1d1f", R.Highlight: "#cfe3f6",
            R.HighlightedText: "#1d1d1f", R.ToolTipBase: "#ffffee",
            R.ToolTipText: "#1d1d1f", R.PlaceholderText: "#8a8a8a",
            R.Link: "#0072B2", R.Mid: "#b8b8b4",
        }
    for role, colour in colours.items():
        p.setColor(role, QColor(colour))
    disabled = QColor("#6b6f78" if dark else "#a0a0a0")
    for role in (R.WindowText, R.Text, R.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return p


def style_sheet(dark: bool, presentation: bool = False) -> str:
    sheet = read_text("styles", "dark.qss" if dark else "light.qss")
    if presentation:
        sheet += read_text("styles", "presentation.qss")
    return sheet
