"""The lesson's example, the default everywhere (``../shared/TUTORIAL.md``, section 4)."""

from __future__ import annotations

import numpy as np

from core.engine.graph import Binding

LESSON_TEXT = "y_hat = w * x\ns = y_hat - y\nloss = s ** 2\n"
#: its title (resources/examples/01-lesson.json), which the window's title shows
LESSON_TITLE = "The lesson: linear regression, one sample"


def lesson_bindings() -> dict[str, Binding]:
    """x = 1 and y = 2 are data; w = 1 is the parameter."""
    return {
        "x": Binding("data", np.float64(1.0)),
        "y": Binding("data", np.float64(2.0)),
        "w": Binding("parameter", np.float64(1.0)),
    }


#: the course's next lessons (resources/examples/lessons/*.py): file stem → menu title
#: (the window translates the titles under the context "Examples")
LESSON_TITLES = {
    "10-regression-by-hand": "Linear regression by hand",
    "11-regression-autograd": "Linear regression with autograd",
    "12-regression-nn-linear": "Linear regression with nn.Linear, a loss and an optimizer",
    "13-mistake-forgot-zero-grad": "Mistake: a forgotten zero_grad()",
    "14-mistake-update-outside-no-grad": "Mistake: an update outside no_grad()",
    "15-logistic-regression": "Logistic regression",
    "16-feed-forward-net": "A small feed-forward net (Adam)",
    "17-logistic-nn-sgd-momentum": "Logistic regression with nn.Sigmoid and SGD momentum",
    "18-nn-module-class": "An nn.Module class",
    # for the recorder only (real Python and PyTorch): numpy and scikit-learn
    "19-softmax-cross-entropy": "Softmax and cross-entropy",
    "20-activation-functions": "Activation functions",
    "21-logistic-regression-breast-cancer": "Breast-cancer data: logistic regression",
    "22-feed-forward-digits": "Digits: a feed-forward net",
    "23-digits-cnn": "Digits: a small CNN",
}


def lesson_title(stem: str) -> str:
    """The English title of a lesson script (its file name without the number otherwise)."""
    return LESSON_TITLES.get(stem) or stem.split("-", 1)[-1].replace("-", " ")
