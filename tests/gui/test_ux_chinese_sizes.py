"""Issue 24: a tensor named by its size in a step text ("[4×3: 12 values]") says so in
the UI language: in Chinese the step texts read "12 个值", never the English "values"."""

from __future__ import annotations

import re

from gui.state.model import Program
from tests.gui.test_i18n import _compiled_translation, _switch  # noqa: F401 - the .qm

#: tensors of 12 entries, more than a step's one line shows (core.base.values)
TEXT = ("X = torch.ones(4, 3)\nW = param(torch.full((3, 3), 0.5))\n"
        "loss = sum(tanh(X @ W))")


def _texts(window) -> list[str]:
    """The explanation and every lesson table's cells at the current step."""
    texts = [window.explanation.toPlainText()]
    for table in window.tables.tables.values():
        texts += [table.item(r, c).text() for r in range(table.rowCount())
                  for c in range(table.columnCount()) if table.item(r, c) is not None]
    return texts


def test_chinese_step_texts_name_a_tensor_by_its_size_in_chinese(window, qtbot):
    window.load_program(Program(TEXT, {}), 0, "sizes")
    model = window.model
    sized = []
    for position in range(model.length + 1):  # in English: the size word is "values"
        model.goto(position)
        sized += [t for t in _texts(window) if re.search(r"\d+ values\]", t)]
    assert sized, "no step text names a tensor by its size: the program is too small"
    _switch(window, qtbot, "zh")
    seen = 0
    for position in range(model.length + 1):
        model.goto(position)
        texts = _texts(window)
        assert not [t for t in texts if "values]" in t], (position, texts)
        seen += sum("12 个值]" in t for t in texts)
    assert seen
    _switch(window, qtbot, "en")
