"""The lesson's example, the default everywhere (``../shared/TUTORIAL.md``, section 4)."""

from __future__ import annotations

import numpy as np

from core.graph import Binding

LESSON_TEXT = "y_hat = w * x\ns = y_hat - y\nloss = s ** 2\n"


def lesson_bindings() -> dict[str, Binding]:
    """x = 1 and y = 2 are data; w = 1 is the parameter."""
    return {
        "x": Binding("data", np.float64(1.0)),
        "y": Binding("data", np.float64(2.0)),
        "w": Binding("parameter", np.float64(1.0)),
    }
