"""“Did you mean”: a mistyped name, function or module gets the nearest known spelling
(issue 24, item 7), and numpy says what to write instead."""

from __future__ import annotations

import pytest

from core.base.did_you_mean import CUTOFF, NUMPY_HINT, corrected, nearest
from core.engine.trace import build_trace
from core.language.parser import ExpressionError


def _error(text: str) -> ExpressionError:
    with pytest.raises(ExpressionError) as caught:
        build_trace(text, {})
    return caught.value


def test_a_mistyped_name_gets_the_name_defined_above():
    error = _error("x = 1.0\ny_predicted = 2 * x\nloss = y_predcted ** 2")
    assert error.hint == "did you mean y_predicted? Or give y_predcted a value"
    assert str(error).startswith("line 3, column 8: unknown name 'y_predcted' (did you mean")
    assert error.suggestions == {"y_predcted": "y_predicted"}
    assert error.names == ("y_predcted",)  # the add-a-variable fix is still offered


def test_short_or_unlike_names_are_not_corrected():
    error = _error("loss = (w2 * a - y) ** 2 + b * c")
    assert error.suggestions == {}
    assert error.hint.startswith("give w2")
    assert nearest("x", ["y", "w"]) is None
    assert nearest("lr", ["l1", "l2"]) is None
    assert nearest("loss", ["loss"]) is None  # never the word itself


def test_the_cutoff_sits_between_a_typo_and_another_name():
    import difflib

    assert difflib.SequenceMatcher(None, "y_predcted", "y_predicted").ratio() > CUTOFF
    assert difflib.SequenceMatcher(None, "w2", "w").ratio() < CUTOFF


@pytest.mark.parametrize(("text", "hint_start"), [
    ("x = 1.0\ny = sigmod(x)", "did you mean sigmoid? Available: abs, cos"),
    ("import torch\nx = torch.tensor(1.0)\ny = torch.tanhh(x)", "did you mean tanh?"),
    ("x = 1.0\ny = x.sigmod()", "did you mean sigmoid?"),
    ("import torch.nn.functional as F\nx = 1.0\ny = F.rellu(x)", "did you mean F.relu?"),
    ("import torhc\nx = 1.0\ny = x * 2", "did you mean torch?"),
])
def test_unknown_functions_and_modules_get_the_nearest_spelling(text, hint_start):
    assert _error(text).hint.startswith(hint_start)


def test_numpy_says_what_to_write_instead():
    for text in ("import numpy as np\ny = np.exp(x)", "x = 1.0\ny = np.exp(x)",
                 "x = np.array([1.0, 2.0])\ny = sum(x)"):
        error = _error(text)
        assert error.hint == NUMPY_HINT, text
        assert "torch.exp(x)" in str(error)
    assert "np.exp is not supported" in str(_error("x = 1.0\ny = np.exp(x)"))


def test_the_fix_replaces_whole_words_only():
    text = "y_predicted = 2 * x\nloss = y_predcted ** 2 + x_y_predcted\nm = nn.Linaer(1, 1)"
    fixed = corrected(text, {"y_predcted": "y_predicted", "Linaer": "Linear"})
    assert fixed == ("y_predicted = 2 * x\nloss = y_predicted ** 2 + x_y_predcted\n"
                     "m = nn.Linear(1, 1)")
    build_trace(corrected("x = 1.0\ny_predicted = 2 * x\nloss = y_predcted ** 2",
                          {"y_predcted": "y_predicted"}), {})
