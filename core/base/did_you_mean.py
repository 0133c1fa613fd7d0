"""“Did you mean …?”: the nearest known spelling of a mistyped name, function or
module (``difflib``), and what to write instead of numpy.

An error that has a suggestion carries ``error.suggestions`` ({typed: meant}); the
window turns it into a button that fixes the text (gui/panels/editor_panel.py).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from core.base.errors import _cap

#: how alike two spellings must be (difflib's ratio): y_predcted/y_predicted is 0.95,
#: sigmod/sigmoid 0.92, x/y 0: short names are never "corrected" into other names
CUTOFF = 0.75
NUMPY_NAMES = ("np", "numpy")
NUMPY_HINT = ("numpy is not read here: write torch.exp(x), torch.tensor([1.0, 2.0]) and "
              "x @ W instead (or plain exp(x) and x = [1, 2])")


def nearest(word: str, known: Iterable[str]) -> str | None:
    """The known spelling closest to ``word``, if one is close enough (never ``word``)."""
    choices = sorted({k for k in known if k and k != word})
    matches = difflib.get_close_matches(word, choices, n=1, cutoff=CUTOFF)
    if matches:
        return matches[0]
    # two letters swapped in a short name (SDG for SGD) is too unlike for difflib
    swapped = [k for k in choices if len(word) >= 3 and sorted(k) == sorted(word)]
    return swapped[0] if swapped else None


def hint(word: str, known: Iterable[str], otherwise: str | None = None,
         prefix: str = "") -> tuple[str | None, dict]:
    """(the hint, suggestions) for an unknown ``word``: "did you mean …?" first, then
    ``otherwise``; numpy's names get NUMPY_HINT. ``prefix`` is how the name is written
    (``nn.``, ``F.``)."""
    if word in NUMPY_NAMES:
        return NUMPY_HINT, {}
    meant = nearest(word, known)
    if meant is None:
        return otherwise, {}
    text = f"did you mean {prefix}{meant}?"
    if otherwise:
        first, rest = otherwise[0], otherwise[1:]
        text += f" Or {first.lower()}{rest}" if otherwise.lower().startswith("give") \
            else f" {first.upper()}{rest}"
    return text, {word: meant}


def suggest(error, word: str, known: Iterable[str], prefix: str = ""):
    """``error`` with the suggestion for ``word`` put in front of its hint."""
    text, suggestions = hint(word, known, error.hint, prefix)
    if text is not None:
        error.hint = _cap(text)
        error.args = (str(error),)
    error.suggestions = {**getattr(error, "suggestions", {}), **suggestions}
    return error


def corrected(text: str, suggestions: dict[str, str]) -> str:
    """``text`` with every whole-word use of each typo replaced by what was meant
    (``y_predcted`` → ``y_predicted``, ``nn.Linaer`` → ``nn.Linear``; a longer word
    that contains it, ``x_y_predcted``, is left alone)."""
    for typed, meant in suggestions.items():
        text = re.sub(rf"(?<!\w){re.escape(typed)}(?!\w)", meant, text)
    return text
