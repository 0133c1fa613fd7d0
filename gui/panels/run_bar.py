"""The run bar: Run (or Run again), Stop, the pass selector and a one-line status.

A ``QToolBar`` at the top of the window (gui.window.run_window makes its actions). The
iteration selector (gui.panels.training.iteration_selector) lives here, in a box of its own that
stays in the bar while the selector hides itself for a program with no passes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolBar, QToolButton, QWidget

from gui.panels.base import Panel


class RunBar(Panel, QToolBar):
    def __init__(self, run_action, stop_action, selector: QWidget, parent=None):
        super().__init__(parent)
        self.setObjectName("runToolBar")
        self.setMovable(False)
        self.setFloatable(False)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.run_button = QToolButton(objectName="runButton")
        self.run_button.setDefaultAction(run_action)
        self.stop_button = QToolButton(objectName="stopButton")
        self.stop_button.setDefaultAction(stop_action)
        for button in (self.run_button, self.stop_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            self.addWidget(button)
        self.addSeparator()
        self.holder = holder = QWidget(objectName="passSelectorHolder")
        row = QHBoxLayout(holder)
        row.setContentsMargins(4, 0, 4, 0)
        row.addWidget(selector)  # reparented: one selector in the window
        self.addWidget(holder)
        self.status = QLabel(objectName="runStatus")
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.status.setMinimumWidth(40)
        self.addWidget(self.status)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Run"))
        self.setAccessibleName(self.tr("Run bar"))
        self.status.setAccessibleName(self.tr("Run status"))

    def refit(self) -> None:
        """The selector showed or hid itself, or its count grew: the bar makes room."""
        self.holder.setFixedWidth(self.holder.sizeHint().width())

    def set_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setToolTip(text)
