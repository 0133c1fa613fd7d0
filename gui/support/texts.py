"""User-visible words that come from the engine, routed through Qt's translator."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from core.base.format import more_terms_words, sized_words
from core.engine.explain import TEMPLATES, Explanation, render


def tr(text: str, context: str = "BackpropStepper") -> str:
    return QCoreApplication.translate(context, text)


# written out with their context so that lupdate finds them (a bare tr() has none)
PHASE_TITLES = {
    None: QT_TRANSLATE_NOOP("BackpropStepper", "start"),
    "forward": QT_TRANSLATE_NOOP("BackpropStepper", "Forward pass"),
    "local": QT_TRANSLATE_NOOP("BackpropStepper", "Local gradients"),
    "backward": QT_TRANSLATE_NOOP("BackpropStepper", "Backward pass"),
    "update": QT_TRANSLATE_NOOP("BackpropStepper", "Update"),
}
ROLE_TITLES = {
    "data": QT_TRANSLATE_NOOP("BackpropStepper", "data"),
    "parameter": QT_TRANSLATE_NOOP("BackpropStepper", "parameter"),
}
# core.engine.graph.value_warning's sentences, filled into the "forward.nonfinite" template
WARNINGS = (
    QT_TRANSLATE_NOOP("Explanation",
                      "not a number (nan): an input is outside the function's domain"),
    QT_TRANSLATE_NOOP("Explanation", "infinite: the result overflowed or divided by zero"),
)
# a local gradient is written like the gradient of the loss at the output (∂loss/∂s):
# local steps carry the word everywhere the window shows them
LOCAL = QT_TRANSLATE_NOOP("BackpropStepper", "local {0}")
# the word for the local gradient in the chain at the output: ∂loss/∂loss · local
LOCAL_FACTOR = QT_TRANSLATE_NOOP("BackpropStepper", "local")
# a tensor named by its size in a step text, "[4×2: 8 values]" (core.base.format)
SIZED = QT_TRANSLATE_NOOP("BackpropStepper", "{0} values")
# the terms a long sum leaves out (core.base.format.MORE_TERMS, the same text)
MORE_TERMS = QT_TRANSLATE_NOOP("BackpropStepper", "… ({0} more terms)")
# arguments of an explanation that are English words, not names or numbers
_WORD_ARGS = ("warning",)


def shown(text: str, step) -> str:
    """A step's text in the UI language: "local" in a backward chain is translated, and
    a local step's text starts with the word "local"."""
    if step.phase == "backward" and "· local" in text:
        text = text.replace("· local", f"· {tr(LOCAL_FACTOR)}")
    text = engine_words(text)
    return tr(LOCAL).format(text) if step.phase == "local" else text


def formula_text(step) -> str:
    """The middle of a step's equation: formula = substituted (each once)."""
    formula, substituted = brief(step, "formula"), brief(step, "substituted")
    parts = [p for p in (formula, substituted) if p]
    text = " = ".join(parts) if formula != substituted else formula
    text = engine_words(text)
    return text.replace("· local", f"· {tr(LOCAL_FACTOR)}") if step.phase == "backward" \
        else text


def target_text(step) -> str:
    """What a step computes: ``local ∂loss/∂s`` at the local phase, else the target."""
    return tr(LOCAL).format(step.target) if step.phase == "local" else step.target


def equation_text(step) -> str:
    """The step's equation, ``local ∂loss/∂s = 2 · s = −2`` at the local phase."""
    return shown(brief(step, "equation"), step)


def brief(step, part: str) -> str:
    """A step's ``part``, a sum of hundreds of terms as its first and last ones
    (core.engine.steps.Step.brief_*; a forward-mode step has no brief form)."""
    short = getattr(step, f"brief_{part}", None)
    return short if short is not None else getattr(step, part)


def phase_title(phase: str | None) -> str:
    title = PHASE_TITLES.get(phase)
    return tr(title) if title is not None else (phase or "")


def templates() -> dict[str, str]:
    """The engine's explanation templates, each looked up in the translation."""
    return {key: QCoreApplication.translate("Explanation", text)
            for key, text in TEMPLATES.items()}


def _words(explanation: Explanation) -> Explanation:
    """The explanation with its word arguments (a warning) translated too."""
    if not any(k in explanation.args for k in _WORD_ARGS):
        return explanation
    args = {k: QCoreApplication.translate("Explanation", v)
            if k in _WORD_ARGS and isinstance(v, str) else v
            for k, v in explanation.args.items()}
    return Explanation(explanation.key, args, explanation.more)


#: a sentence that ends in full-width punctuation needs no space before the next one
_FULL_WIDTH_END = tuple("。！？；：）」")


def explain(explanation: Explanation) -> str:
    """The explanation's sentences in the UI language (English when untranslated)."""
    text = ""
    for part in (explanation, *explanation.more):
        # only this part's template looked up (not every template, per step: issue 19)
        table = {part.key: QCoreApplication.translate("Explanation", TEMPLATES[part.key])}
        sentence = render(Explanation(part.key, _words(part).args), table)
        joiner = "" if not text or text.endswith(_FULL_WIDTH_END) else " "
        text += joiner + sentence
    return engine_words(text)


def role_title(role: str) -> str:
    title = ROLE_TITLES.get(role)
    return tr(title) if title is not None else role


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
    QT_TRANSLATE_NOOP("Examples", "A one-layer network: h = relu(X @ W + b)"),
    QT_TRANSLATE_NOOP("Examples", "A convolution: 5×5 image, 3×3 kernel, ReLU, 2×2 max-pool"),
)


def example_title(title: str) -> str:
    return QCoreApplication.translate("Examples", title)


def engine_words(text: str) -> str:
    """The engine's English words in a step text, in the UI language: a tensor named by
    its size ("[4×2: 8 values]") and the terms a long sum leaves out."""
    return more_terms_words(sized_words(text, tr(SIZED)), tr(MORE_TERMS))
