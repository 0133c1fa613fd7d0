"""The iteration selector of a training script (in the Training panel): jump to any
iteration k of the loop, which then steps from its first step (Ctrl+] and Ctrl+[ too)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QToolButton, QWidget


class IterationSelector(QWidget):
    def __init__(self, model, parent=None):
        super().__init__(parent)
        self.setObjectName("iterationSelectorRow")
        self.model = model
        self.label = QLabel()
        self.box = QSpinBox(objectName="iterationSelector")
        self.box.setKeyboardTracking(False)  # typing "50" jumps once, to 50, not to 5 first
        self.box.setRange(1, 1)
        self.box.valueChanged.connect(self._chosen)
        self.count_label = QLabel(objectName="iterationCount")
        self.previous = QToolButton(objectName="previousIterationButton", text="◀")
        self.next = QToolButton(objectName="nextIterationOfLoopButton", text="▶")
        self.previous.clicked.connect(lambda: model.script.step_iteration(-1))
        self.next.clicked.connect(lambda: model.script.step_iteration(1))
        for button in (self.previous, self.next):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.label, self.previous, self.box, self.next, self.count_label):
            layout.addWidget(widget)
        layout.addStretch(1)
        model.traceReplaced.connect(self.refresh)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.label.setText(self.tr("Iteration"))
        self.box.setAccessibleName(self.tr("Iteration of the training loop"))
        self.box.setToolTip(self.tr("Jump to an iteration of the loop: its graph is stepped "
                                    "from the start, with .grad as it is then (Ctrl+] next, "
                                    "Ctrl+[ previous)"))
        self.previous.setToolTip(self.tr("Previous iteration (Ctrl+[)"))
        self.next.setToolTip(self.tr("Next iteration (Ctrl+])"))
        self.refresh()

    def refresh(self) -> None:
        script = self.model.script
        count = script.count if script is not None else 0
        self.setVisible(count > 0)
        if not count:
            return
        self.box.blockSignals(True)
        self.box.setRange(1, count)
        self.box.setValue(script.iteration)
        self.box.blockSignals(False)
        self.count_label.setText(self.tr("of {0}").format(count))
        self.previous.setEnabled(script.iteration > 1)
        self.next.setEnabled(script.iteration < count)

    def _chosen(self, value: int) -> None:
        if value != self.model.script.iteration:
            self.model.script.goto_iteration(value)
