"""The Examples menu's "Next lessons": the course's training scripts
(resources/examples/lessons/*.py), opened as the JSON examples are."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QActionGroup

from core.io.examples import lesson_title
from gui.support.resources import example_files, resource

translate = QCoreApplication.translate
#: the titles of core.io.examples.LESSON_TITLES, marked for translation (context "Examples")
_TITLES = (
    QT_TRANSLATE_NOOP("Examples", "Linear regression by hand"),
    QT_TRANSLATE_NOOP("Examples", "Linear regression with autograd"),
    QT_TRANSLATE_NOOP("Examples", "Linear regression with nn.Linear, a loss and an optimizer"),
    QT_TRANSLATE_NOOP("Examples", "Mistake: a forgotten zero_grad()"),
    QT_TRANSLATE_NOOP("Examples", "Mistake: an update outside no_grad()"),
    QT_TRANSLATE_NOOP("Examples", "Logistic regression"),
    QT_TRANSLATE_NOOP("Examples", "A small feed-forward net (Adam)"),
    QT_TRANSLATE_NOOP("Examples", "Logistic regression with nn.Sigmoid and SGD momentum"),
    QT_TRANSLATE_NOOP("Examples", "An nn.Module class"),
    QT_TRANSLATE_NOOP("Examples", "Softmax and cross-entropy"),
    QT_TRANSLATE_NOOP("Examples", "Activation functions"),
    QT_TRANSLATE_NOOP("Examples", "Breast-cancer data: logistic regression"),
    QT_TRANSLATE_NOOP("Examples", "Digits: a feed-forward net"),
    QT_TRANSLATE_NOOP("Examples", "Digits: a small CNN"),
)


def lesson_files() -> list[Path]:
    """The lesson scripts in menu order (their names start with a number)."""
    return sorted(resource("examples", "lessons").glob("*.py"))


def find_example(name: str | Path) -> Path:
    """A path as given, or a bundled example or lesson by its name ("12-regression-nn-linear",
    "01-lesson.json"): ``MainWindow.load_example`` takes either."""
    path = Path(name)
    if path.exists():
        return path
    for candidate in (*example_files(), *lesson_files()):
        if path.name in (candidate.name, candidate.stem):
            return candidate
    return path  # not found: opening it says so


def add_lessons(window, menu, group: QActionGroup) -> None:
    """A "Next lessons" section at the end of the Examples menu."""
    section = menu.addSection("")
    window._texts.bind(section.setText, lambda: translate("MainWindow", "Next lessons"))
    for path in lesson_files():
        action = menu.addAction("")
        title = lesson_title(path.stem)
        window._texts.bind(action.setText, lambda t=title: translate("Examples", t))
        action.setData(str(path))
        action.triggered.connect(lambda _=False, p=path: window._example_triggered(p))
        group.addAction(action)
