"""A GUI monkey: thousands of random user actions, zero exceptions, and the lesson still
steps correctly at the end.

Actions go through the real widgets: key presses on the window, the slider, the step
buttons, typing valid and invalid programs into the editor and applying them, value and
role edits in the variables table, undo/redo, the theme, the language, the examples,
training and quiz mode where the window has them. Exceptions anywhere (Qt virtual
methods included) are collected through ``sys.excepthook``.

``make test`` runs a short walk; ``make soak`` (MONKEY_ACTIONS=5000) the full one.
"""

from __future__ import annotations

import os
import random
import sys
import traceback

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QSlider, QSpinBox

ACTIONS = int(os.environ.get("MONKEY_ACTIONS", "400"))
SEED = int(os.environ.get("MONKEY_SEED", "20261125"))

PROGRAMS = [
    "y_hat = w * x\ns = y_hat - y\nloss = s ** 2",
    "a = param(2.0)\nb = param(3.0)\nc = (a + b) * (b + 1)",
    "w = param(0.0)\nx = [1, 2, 3, 4]\ny = [2, 4, 6, 8]\nloss = mean((w * x - y) ** 2)",
    "x = param(0.5)\ny = sigmoid(x * 3 - 1) + relu(x) * tanh(x)",
    "v = param([1.0, -2.0, 3.0])\nloss = max(v) + sum(v * v) / 3",
    "z = param(-1.0)\nloss = log(z) + sqrt(z)",  # nan on purpose
    "w = param(1.0)\nw += 2\nw *= w\nloss = exp(w / 10)",
    "p = param(2.0)\nq = p ** p\nr = max(q, 3) - min(p, 1)",
]
BAD_PROGRAMS = [
    "loss = (w * x - y) ^ 2", "y = ", "for i in range(3): y = i", "y = foo(x)",
    "import os", "y = x.grad", "v = [1, 2] * [1, 2, 3]", "", "   ", "y = zz * 2",
    "y = (((((x", "__import__('os').system('echo hi')", "y = 10 ** 10 ** 10 * w",
    "loss = v", "x = param(1.0)\nloss = [x, x]",
]
VALUES = ["1", "-2.5", "0", "1, 2, 3", "abc", "", "1e308", "nan", "−3", "[1, 2]", "1,,2",
          "0.1", "1e-300", "2**3"]
KEYS = [Qt.Key.Key_Right, Qt.Key.Key_Left, Qt.Key.Key_Space, Qt.Key.Key_Home, Qt.Key.Key_End,
        Qt.Key.Key_P]
CTRL_KEYS = [Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4, Qt.Key.Key_Z]


@pytest.fixture
def collected_exceptions(monkeypatch):
    caught: list[str] = []

    def hook(kind, value, tb):
        where = "".join(traceback.format_tb(tb)[-3:])
        caught.append(f"{kind.__name__}: {value}\n{where}")

    monkeypatch.setattr(sys, "excepthook", hook)
    return caught


class Monkey:
    def __init__(self, window, qtbot, rng: random.Random):
        self.window, self.qtbot, self.rng = window, qtbot, rng
        self.slider = window.findChild(QSlider, "stepSlider")
        self.editor = window.editor_panel.editor
        self.table = window.editor_panel.table
        self.buttons = [window.findChild(QAbstractButton, name) for name in
                        ("prevStepButton", "nextStepButton", "resetButton")]
        self.examples = [a for a in window.examples_menu.actions() if not a.isSeparator()]
        self.languages = [a for a in window.findChildren(type(window.dark_action))
                          if a.objectName().endswith("LanguageAction")]
        self.optional = [w for w in window.findChildren(QAbstractButton)
                         if w.objectName() in ("quizButton", "nextIterationButton",
                                               "trainButton", "forgetZeroGradCheck",
                                               "showAnswerButton")]
        self.fields = [w for w in window.findChildren(QLineEdit)
                       if w.objectName() in ("learningRateEdit", "quizAnswerEdit")]
        self.spins = window.findChildren(QSpinBox)

    def act(self) -> str:
        choice = self.rng.choices(
            ["key", "ctrl", "slider", "button", "edit", "bad", "value", "role", "undo",
             "theme", "language", "example", "optional", "field"],
            weights=[30, 6, 8, 8, 5, 4, 8, 3, 6, 1, 1, 2, 6, 4])[0]
        getattr(self, f"do_{choice}")()
        return choice

    def do_key(self):
        self.window.canvas.setFocus()
        self.qtbot.keyClick(self.window, self.rng.choice(KEYS))

    def do_ctrl(self):
        self.window.canvas.setFocus()
        modifiers = Qt.KeyboardModifier.ControlModifier
        key = self.rng.choice(CTRL_KEYS)
        if key == Qt.Key.Key_Z and self.rng.random() < 0.5:
            modifiers |= Qt.KeyboardModifier.ShiftModifier
        self.qtbot.keyClick(self.window, key, modifiers)

    def do_slider(self):
        self.slider.setValue(self.rng.randint(self.slider.minimum(), self.slider.maximum()))

    def do_button(self):
        button = self.rng.choice(self.buttons)
        if button.isEnabled():
            self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    def _type_and_apply(self, text: str):
        self.editor.setFocus()
        self.editor.setPlainText(text)
        self.qtbot.keyClick(self.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    def do_edit(self):
        self._type_and_apply(self.rng.choice(PROGRAMS))

    def do_bad(self):
        self._type_and_apply(self.rng.choice(BAD_PROGRAMS))

    def do_value(self):
        if self.table.rowCount():
            item = self.table.item(self.rng.randrange(self.table.rowCount()), 2)
            if item is not None:
                item.setText(self.rng.choice(VALUES))

    def do_role(self):
        if self.table.rowCount():
            item = self.table.item(self.rng.randrange(self.table.rowCount()), 1)
            if item is not None:
                item.setText(self.rng.choice(["data", "parameter", "nonsense"]))

    def do_undo(self):
        action = self.rng.choice([self.window.undo_action, self.window.redo_action])
        action.trigger()

    def do_theme(self):
        self.window.dark_action.trigger()

    def do_language(self):
        if self.languages:
            self.rng.choice(self.languages).trigger()

    def do_example(self):
        if self.examples:
            self.window.model.undo_stack.setClean()  # no unsaved-changes question
            self.rng.choice(self.examples).trigger()

    def do_optional(self):
        widgets = [w for w in self.optional if w.isVisible() and w.isEnabled()]
        if widgets:
            self.qtbot.mouseClick(self.rng.choice(widgets), Qt.MouseButton.LeftButton)
        for spin in self.spins:
            if spin.isVisible() and self.rng.random() < 0.2:
                spin.setValue(self.rng.randint(spin.minimum(), min(spin.maximum(), 30)))

    def do_field(self):
        fields = [f for f in self.fields if f.isVisible() and f.isEnabled()]
        if fields:
            target = self.rng.choice(fields)
            target.setText(self.rng.choice(VALUES))
            self.qtbot.keyClick(target, Qt.Key.Key_Return)


def test_monkey_walk_leaves_no_exception_and_the_lesson_still_works(window, qtbot,
                                                                    collected_exceptions):
    rng = random.Random(SEED)
    monkey = Monkey(window, qtbot, rng)
    counts: dict[str, int] = {}
    for _ in range(ACTIONS):
        kind = monkey.act()
        counts[kind] = counts.get(kind, 0) + 1
        if getattr(window.model, "playing", False):
            window.model.set_playing(False)  # the walk is ours; keep the timer out of it
    assert collected_exceptions == [], collected_exceptions[:5]
    assert sum(counts.values()) == ACTIONS

    # the lesson, after all that, steps exactly as the tutorial says
    for action in monkey.languages:
        if action.objectName().startswith("en"):
            action.trigger()
    window.model.undo_stack.setClean()
    lesson = next(a for a in monkey.examples if "lesson" in a.text().lower()
                  or "lesson" in (a.data() or "").__str__().lower())
    lesson.trigger()
    quiz = window.findChild(QAbstractButton, "quizButton")
    if quiz is not None and quiz.isChecked():
        quiz.click()
    window.canvas.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Home)
    values = []
    for _ in range(9):
        qtbot.keyClick(window, Qt.Key.Key_Right)
        values.append(float(window.model.current.value))
    assert values == [1.0, -1.0, 1.0, -2.0, 1.0, 1.0, -2.0, -2.0, -2.0]
    assert window.model.position == 9
    assert collected_exceptions == []
