"""Ninja mode's hints in the UI language: core.ninja.hints's templates, listed here for
lupdate under the context ``NinjaHints``, and a graded answer's hint rendered with them
(gui.panels.ninja_view shows it)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from core.engine.explain import TEMPLATES as EXPLAIN
from core.ninja.hints import render_hint

#: core.ninja.hints.TEMPLATES, listed here so that lupdate finds them (a test checks
#: that the two agree)
HINTS = {
    "ninja.failed": QT_TRANSLATE_NOOP("NinjaHints", "This cannot be computed ({error}). "
                                      "∂{output}/∂{target} has the shape of {target}: {shape}."),
    "ninja.upstream": QT_TRANSLATE_NOOP("NinjaHints", "{used} is not right yet: with the right "
                                        "{used}, this answer would be right. Fix {used} first."),
    "ninja.fix.sum": QT_TRANSLATE_NOOP("NinjaHints", "The forward pass broadcast {target} over "
                                       "the batch: sum the gradient over that axis ({sum})."),
    "ninja.fix.transpose": QT_TRANSLATE_NOOP(
        "NinjaHints", "This is the transpose of the gradient: ∂{output}/∂{target} has the "
                      "shape of {target}, {shape}."),
    "ninja.fix.sign": QT_TRANSLATE_NOOP("NinjaHints",
                                        "The sign is flipped: check the local rule ({rule})."),
    "ninja.fix.mask": QT_TRANSLATE_NOOP(
        "NinjaHints", "relu passes the gradient only where its input was positive: multiply "
                      "by the mask ({mask} > 0)."),
    "ninja.fix.fork": QT_TRANSLATE_NOOP(
        "NinjaHints", "{target} is used {count} times: its gradient is a sum (+=), and the "
                      "term through {consumer} is missing."),
    "ninja.shape": QT_TRANSLATE_NOOP("NinjaHints", "∂{output}/∂{target} has the shape of "
                                     "{target}: {shape}, not {given}."),
    "ninja.fused": QT_TRANSLATE_NOOP(
        "NinjaHints", "Fused: softmax, log and nll together give ∂{output}/∂{target} = "
                      "(softmax({target}) − onehot) / N, a {shape} tensor."),
    "ninja.fork": QT_TRANSLATE_NOOP("NinjaHints", "{target} is used {count} times: its "
                                    "gradient is a sum of {count} terms (+=)."),
    "ninja.broadcast": QT_TRANSLATE_NOOP("NinjaHints", "The forward pass broadcast {target} "
                                         "over the batch: sum the gradient over that axis."),
    "ninja.matmul": QT_TRANSLATE_NOOP("NinjaHints", "matmul: G ↦ {rule} for {target}."),
    "ninja.rule": QT_TRANSLATE_NOOP("NinjaHints", "Chain rule: the gradient from {consumer} "
                                    "times the local gradient ({rule})."),
}


def hint_text(hint) -> str | None:
    """A hint in the UI language, its rule's words too."""
    if hint is None:
        return None
    table = {k: QCoreApplication.translate("NinjaHints", v) for k, v in HINTS.items()}
    args = dict(hint.args)
    if args.get("rule_key") in EXPLAIN:
        args["rule"] = QCoreApplication.translate("Explanation", EXPLAIN[args["rule_key"]])
    return render_hint(type(hint)(hint.key, args), table)
