"""User-visible words that come from the engine, routed through Qt's translator."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

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
