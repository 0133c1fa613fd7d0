"""User-visible words that come from the engine, routed through Qt's translator."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from core.explain import TEMPLATES, Explanation, render


def tr(text: str, context: str = "BackpropStepper") -> str:
    return QCoreApplication.translate(context, text)


def phase_title(phase: str | None) -> str:
    titles = {
        None: tr("start"),
        "forward": tr("Forward pass"),
        "local": tr("Local gradients"),
        "backward": tr("Backward pass"),
        "update": tr("Update"),
    }
    return titles.get(phase, phase or "")


def templates() -> dict[str, str]:
    """The engine's explanation templates, each looked up in the translation."""
    return {key: QCoreApplication.translate("Explanation", text)
            for key, text in TEMPLATES.items()}


def explain(explanation: Explanation) -> str:
    return render(explanation, templates())


def role_title(role: str) -> str:
    return {"data": tr("data"), "parameter": tr("parameter")}.get(role, role)


#: the bundled examples' titles (resources/examples/*.json), listed here so that
#: lupdate finds them; the menu shows example_title(session.title)
EXAMPLE_TITLES = (
    QT_TRANSLATE_NOOP("Examples", "The lesson: linear regression, one sample"),
    QT_TRANSLATE_NOOP("Examples", "One node: c = x · y"),
    QT_TRANSLATE_NOOP("Examples", "Chain rule: c = b(a(x))"),
    QT_TRANSLATE_NOOP("Examples", "CS231n: f = (x + y) · z"),
    QT_TRANSLATE_NOOP("Examples", "CS231n: a sigmoid neuron"),
    QT_TRANSLATE_NOOP("Examples", "Reuse: e = (a + b) · (b + 1)"),
    QT_TRANSLATE_NOOP("Examples", "Mean squared error over four samples"),
    QT_TRANSLATE_NOOP("Examples", "A tanh neuron (micrograd)"),
)


def example_title(title: str) -> str:
    return QCoreApplication.translate("Examples", title)
