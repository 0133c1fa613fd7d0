"""What is a script (issue 20 §4): what the ast path cannot read, decided in one place."""

from __future__ import annotations

import pytest

from core.engine.build import is_script


@pytest.mark.parametrize(("text", "script"), [
    ("x = 1\ny = x * 2\n", False),
    ("import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nx = 1\n", False),
    ("x = (\n", False),  # Apply says where the text is wrong, at its line
    ("import numpy as np\n", True),
    ("import torch, sklearn\n", True),
    ("from torch import nn\n", True),
    ("for i in range(2):\n    pass\n", True),
    ("while False:\n    pass\n", True),
    ("def f():\n    return 1\n", True),
    ("class A:\n    pass\n", True),
    ("if True:\n    x = 1\n", True),
    ("with open('f') as f:\n    pass\n", True),
])
def test_what_is_a_script(text, script):
    assert is_script(text) is script
