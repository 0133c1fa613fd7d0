"""The iteration selector of a training script (in the Training panel): jump to any
iteration k of the loop, which then steps from its first step (Ctrl+] and Ctrl+[ too)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QToolButton, QWidget

from core.format import format_value

translate = QCoreApplication.translate


def iteration_text(script) -> str:
    """The Training panel's line for the iteration on screen: its parameters and loss."""
    row = script.run.rows[script.iteration - 1]
    values = ", ".join(f"{name} = {format_value(v)}" for name, v in row.params.items())
    if len(values) > 60:  # the table and the plot have them all
        values = translate("TrainingPanel", "{0} parameters").format(len(row.params))
    return translate("TrainingPanel", "Iteration {0} of {1}: {2} · loss = {3}").format(
        script.iteration, script.count, values, format_value(row.loss))


def script_status(script, history: list) -> str:
    """The Training panel's PyTorch line for a script: a ✓ per iteration, from the worker."""
    if script.torch_error:
        return translate("TrainingPanel", "No PyTorch check: {0}").format(script.torch_error)
    if script.checking or any(it.torch_match is None for it in history):
        return translate("TrainingPanel", "Checking every iteration with PyTorch…")
    bad = sum(1 for it in history if not it.torch_match)
    if not bad:
        return translate("TrainingPanel", "All {0} iterations match PyTorch ✓").format(
            len(history))
    return translate("TrainingPanel", "{0} of {1} iterations differ from PyTorch ✗").format(
        bad, len(history))


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
