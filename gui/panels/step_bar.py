"""Reset / back / next / end, phase jumps, play with speed, and the position slider."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QToolButton,
    QWidget,
)

from core.engine.trace import PHASES
from gui.panels.base import Area, DockSpec, Panel
from gui.state.model import SPEEDS, STEP_PHASES, StepperModel
from gui.support.i18n import Retranslator
from gui.support.texts import phase_title
from gui.support.theme import STEP_BAR, phase_colour

#: room between the bar's groups of buttons (pixels): 8, not 12, so that one row still
#: holds every button and the slider in a 1280-pixel window with a bold phase button
GROUP_GAP = 8

_SHAPES = {
    "reset": '<rect x="3" y="4" width="2.4" height="12"/><path d="M16 4 L7 10 L16 16 Z"/>',
    "back": '<path d="M10 4 L2 10 L10 16 Z M18 4 L10 10 L18 16 Z"/>',
    "next": '<path d="M2 4 L10 10 L2 16 Z M10 4 L18 10 L10 16 Z"/>',
    "end": '<path d="M4 4 L13 10 L4 16 Z"/><rect x="14.6" y="4" width="2.4" height="12"/>',
    "play": '<path d="M5 3 L17 10 L5 17 Z"/>',
    "pause": '<rect x="5" y="4" width="3.5" height="12"/><rect x="11.5" y="4" width="3.5" '
             'height="12"/>',
}


def shape_icon(name: str, colour: str) -> QIcon:
    """A flat step-bar icon in the theme's text colour (the standard ones vanish on dark)."""
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 20" width="40" '
           f'height="40"><g fill="{colour}">{_SHAPES[name]}</g></svg>')
    image = QImage.fromData(svg.encode("utf-8"), "SVG")
    return QIcon(QPixmap.fromImage(image))


class PositionLabel(QLabel):
    """"step k of n · phase": as wide as its widest text for this n, whatever the step.

    Its size is fixed, so a new text repaints the label only: a label sized by its text
    asked the bar, the dock and the window to lay out again at every step (issue 19: the
    window's layout then repainted the dock separator, ~1 ms a step).
    """

    #: at least this wide (pixels), as before: the slider beside it keeps its place
    LEAST_WIDTH = 220

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._texts: tuple[str, ...] = ()  # its possible texts, ``{0}`` for the step
        self._digits = 1
        self._fitted = None  # what the size was fitted to

    def fit(self, texts: list[str], n: int) -> bool:
        """The possible texts (``{0}`` where the step number goes) for a trace of ``n``
        steps: the size fits the widest with any step number. True if it changed."""
        self._texts, self._digits = tuple(texts), len(str(n))
        return self._fit_size()

    def _fit_size(self) -> bool:
        self.ensurePolished()  # (the style sheet's bold is in the font once polished)
        key = (self._texts, self._digits, self.font().key())
        if key == self._fitted or not self._texts:
            return False
        self._fitted = key
        metrics = self.fontMetrics()
        widest = max("0123456789", key=metrics.horizontalAdvance) * self._digits
        margins = self.contentsMargins()
        width = max(metrics.horizontalAdvance(text.format(widest)) for text in self._texts)
        width += 2 * self.margin() + margins.left() + margins.right() + 2
        height = max(metrics.height() + 2 * self.margin() + margins.top() + margins.bottom(),
                     super().sizeHint().height())
        self.setFixedSize(max(width, self.LEAST_WIDTH), height)
        return True

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_size()  # (a style sheet's font, a theme: the texts' widths change)


class StepBar(Panel, QWidget):
    DOCK = DockSpec("stepDock", "step_dock", Area.BottomDockWidgetArea,
                    QT_TRANSLATE_NOOP("MainWindow", "Steps"), height=44, fixed=True,
                    listed=False)

    def __init__(self, model: StepperModel, parent=None):
        super().__init__(parent)
        self.setObjectName("stepBar")
        self.model = model
        self.dark = False
        self._texts = Retranslator()  # words re-set on a language switch
        self._make_step_buttons()
        self._make_phase_buttons()
        self._make_speed_box()
        self._make_slider()
        self._lay_out()
        model.traceReplaced.connect(self.refresh)
        model.stepChanged.connect(self.refresh)
        model.playingChanged.connect(self._playing)
        self._paint_icons()
        self.refresh()

    def _tool(self, name: str, icon: str, tip, slot) -> QToolButton:
        """A flat icon button (its icon painted by _paint_icons) named and tipped by ``tip``."""
        button = QToolButton(objectName=name)
        button.setProperty("shape", icon)
        self._texts.bind(button.setToolTip, tip)
        self._texts.bind(button.setAccessibleName, tip)
        button.setAutoRaise(False)
        button.clicked.connect(slot)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        return button

    def _make_step_buttons(self) -> None:
        """Reset, back, next, end and play (their keys are the window's actions)."""
        model, tool = self.model, self._tool
        self.reset_button = tool("resetButton", "reset",
                                 lambda: self.tr("Reset to the start (Home)"), model.reset)
        self.prev_button = tool("prevStepButton", "back",
                                lambda: self.tr("Back one step (Left)"), model.previous)
        self.next_button = tool("nextStepButton", "next",
                                lambda: self.tr("Next step (Right or Space)"), model.next)
        self.end_button = tool("endButton", "end",
                               lambda: self.tr("To the end (End)"), model.end)
        self.play_button = tool("playButton", "play", lambda: self.tr("Play / pause (P)"),
                                model.toggle_play)
        self.tool_buttons = [self.reset_button, self.prev_button, self.next_button,
                             self.end_button, self.play_button]

    def _make_phase_buttons(self) -> None:
        """One button per phase, to its first step."""
        model = self.model
        self.phase_buttons: dict[str, QPushButton] = {}
        for number, phase in enumerate(PHASES, start=1):  # "update" shows with a learning rate
            button = QPushButton(objectName=f"{phase}PhaseButton")
            self._texts.bind(button.setText, lambda p=phase: phase_title(p))
            self._texts.bind(button.setToolTip, lambda n=number: self.tr(
                "First step of this phase (Ctrl+{0})").format(n))
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setProperty("phase", phase)
            button.clicked.connect(lambda _=False, p=phase: model.goto_phase(p))
            self.phase_buttons[phase] = button

    def _make_speed_box(self) -> None:
        model = self.model
        self.speed_box = QComboBox(objectName="speedBox")
        for i, speed in enumerate(SPEEDS):
            self.speed_box.addItem("", speed)
            self._texts.bind(lambda text, i=i: self.speed_box.setItemText(i, text),
                             lambda s=speed: self.tr("speed ×{0}").format(f"{s:g}"))
        self.speed_box.setCurrentIndex(SPEEDS.index(1.0))
        self._texts.bind(self.speed_box.setToolTip, lambda: self.tr("Playing speed"))
        self.speed_box.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.speed_box.currentIndexChanged.connect(
            lambda i: model.set_speed(self.speed_box.itemData(i)))

    def _make_slider(self) -> None:
        """The position slider and the "step k of n" label beside it."""
        self.slider = QSlider(Qt.Orientation.Horizontal, objectName="stepSlider")
        self.slider.setPageStep(1)
        self.slider.setMinimumWidth(96)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self._texts.bind(self.slider.setAccessibleName,
                         lambda: self.tr("Position in the trace"))
        self.slider.valueChanged.connect(self._slider_moved)
        self.label = PositionLabel(objectName="stepLabel")
        self.label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def _lay_out(self) -> None:
        """Two rows when the window is narrow (issue 24: a 960-pixel window): the buttons,
        then the slider with the position; one row when there is room for both."""
        self.buttons = QHBoxLayout()
        # the second row when narrow: other panels' buttons (add_control), the slider
        self.lower = QHBoxLayout()
        self.extras = QHBoxLayout()
        self.track = QHBoxLayout()
        self.lower.addLayout(self.extras)
        self.lower.addLayout(self.track, 1)
        layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSizeConstraint(QBoxLayout.SizeConstraint.SetNoConstraint)
        layout.addLayout(self.buttons)
        layout.addLayout(self.lower, 1)
        # exactly as tall as its rows: the dock shrinks back when they become one
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        for button in (self.reset_button, self.prev_button, self.next_button, self.end_button):
            self.buttons.addWidget(button)
        self.buttons.addSpacing(GROUP_GAP)
        for button in self.phase_buttons.values():
            self.buttons.addWidget(button)
        self.buttons.addSpacing(GROUP_GAP)
        self.buttons.addWidget(self.play_button)
        self.buttons.addWidget(self.speed_box)
        self.buttons.addStretch(0)
        self.extras.setContentsMargins(0, 0, 0, 0)
        self.track.addSpacing(6)
        self.track.addWidget(self.slider, 1)
        self.track.addWidget(self.label)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._texts.apply()
            self.refresh()
        super().changeEvent(event)

    def add_control(self, widget: QWidget) -> None:
        """A button of another panel (quiz, ninja, forward mode): after the bar's own
        ones, or at the start of the second row when the bar is narrow."""
        self.extras.addSpacing(GROUP_GAP if self.extras.count() == 0 else 6)
        self.extras.addWidget(widget)
        self._fit_rows()

    def _one_row_width(self) -> int:
        margins = self.layout().contentsMargins()
        return (self.buttons.sizeHint().width() + self.extras.sizeHint().width()
                + self.track.minimumSize().width() + 2 * self.layout().spacing()
                + margins.left() + margins.right())

    def _fit_rows(self) -> None:
        """One row when the buttons and the slider fit side by side, else two."""
        layout = self.layout()
        two = self.width() < self._one_row_width()
        direction = QBoxLayout.Direction.TopToBottom if two else QBoxLayout.Direction.LeftToRight
        if layout.direction() != direction:
            layout.setDirection(direction)
            self.updateGeometry()

    def two_rows(self) -> bool:
        return self.layout().direction() == QBoxLayout.Direction.TopToBottom

    def minimumSizeHint(self):  # noqa: N802 - Qt's name
        """As narrow as the wider row: the bar never holds the window wider than that."""
        margins = self.layout().contentsMargins()
        width = max(self.buttons.minimumSize().width(), self.lower.minimumSize().width())
        rows = (self.buttons.minimumSize().height(), self.lower.minimumSize().height())
        height = sum(rows) + self.layout().spacing() if self.two_rows() else max(rows)
        return QSize(width + margins.left() + margins.right(),
                     height + margins.top() + margins.bottom())

    def sizeHint(self):  # noqa: N802 - Qt's name
        hint = self.minimumSizeHint()
        return QSize(max(hint.width(), self._one_row_width()), hint.height())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_rows()

    def set_dark(self, dark: bool) -> None:
        if dark != self.dark:
            self.dark = dark
            self._paint_icons()
        self.refresh()

    def _paint_icons(self) -> None:
        colour = STEP_BAR[self.dark]["icon"]
        for button in self.tool_buttons:
            button.setIcon(shape_icon(button.property("shape"), colour))

    def _slider_moved(self, value: int) -> None:
        if value != self.model.position:
            self.model.goto(value)

    def _playing(self, on: bool) -> None:
        self.play_button.setProperty("shape", "pause" if on else "play")
        self._paint_icons()

    def _colour_slider(self) -> None:
        """The groove in the phases' colours, one stretch per phase (update included)."""
        trace = self.model.trace
        n = max(1, len(trace))
        stops = []
        starts = sorted(trace.phase_starts.items(), key=lambda item: item[1])
        for i, (phase, start) in enumerate(starts):
            end = starts[i + 1][1] - 1 if i + 1 < len(starts) else n
            colour = phase_colour(phase, self.dark)
            a, b = (start - 1) / n, end / n
            stops.append(f"stop:{a + 0.0005:.4f} {colour}, stop:{max(a, b - 0.0005):.4f} {colour}")
        if not stops:
            return
        handle, border = STEP_BAR[self.dark]["handle"], STEP_BAR[self.dark]["border"]
        sheet = ("QSlider::groove:horizontal { height: 6px; border-radius: 3px; background: "
                 "qlineargradient(x1:0, y1:0, x2:1, y2:0, " + ", ".join(stops) + "); } "
                 f"QSlider::handle:horizontal {{ width: 14px; margin: -5px 0; "
                 f"border-radius: 7px; background: {handle}; border: 1px solid {border}; }}")
        if sheet != self.slider.styleSheet():
            self.slider.setStyleSheet(sheet)

    def refresh(self) -> None:
        model = self.model
        n, k = model.length, model.position
        self.slider.blockSignals(True)
        self.slider.setRange(0, n)
        self.slider.setValue(k)
        self.slider.setTickInterval(1 if n <= 60 else max(1, n // 30))
        self.slider.blockSignals(False)
        phase = model.phase
        words = self.tr("step {0} of {1} · {2}")
        if self.label.fit([words.format("{0}", n, phase_title(p)) for p in (None, *PHASES)], n):
            # the rows' layouts keep their minimum widths until invalidated: _fit_rows
            # below must see the new label's (a 4-digit n at 1280 px: one row, the label
            # pushed past the window's edge)
            self.track.invalidate()
            self.lower.invalidate()
        self.label.setText(words.format(k, n, phase_title(phase)))
        colour = phase_colour(phase, self.dark)
        sheet = f"color: {colour}; font-weight: 600;"
        if sheet != self.label.styleSheet():  # a new sheet re-polishes and re-lays out
            self.label.setStyleSheet(sheet)
        self._colour_slider()
        self.prev_button.setEnabled(k > 0)
        self.reset_button.setEnabled(k > 0)
        self.next_button.setEnabled(k < n)
        self.end_button.setEnabled(k < n)
        self.play_button.setEnabled(n > 0)  # (a script not run yet has no step)
        for p, button in self.phase_buttons.items():
            button.setEnabled(p in model.trace.phase_starts)
            button.setVisible(p in STEP_PHASES or p in model.trace.phase_starts)
            if button.property("current") != (p == phase):  # re-polished only when it changes
                button.setProperty("current", p == phase)
                button.style().unpolish(button)
                button.style().polish(button)
        # the current phase's button is bold, and Update comes and goes: the row's width
        # changes with the step, not only with the window (at 1280 px a bar fitted at
        # another phase kept two rows, and the canvas lost a row's height)
        self._fit_rows()
