"""A small matrix edited as a grid of cells (Variables table → right-click → Edit as a grid).

Each cell is read as one number by :func:`core.base.values.parse_number` (never evaluated);
the grid comes back as the ``[[1, 2], [3, 4]]`` text the table takes, so one path
checks and applies every edit.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from core.base.errors import ExpressionError
from core.base.values import parse_number, shape_text
from core.drawing.labels import grid_shape


def editable_as_grid(value) -> bool:
    """A matrix small enough for a grid of cells (at most 6 × 6, as on the canvas)."""
    return np.ndim(value) == 2 and grid_shape(np.shape(value)) is not None


class MatrixDialog(QDialog):
    def __init__(self, name: str, value, number_text, parent=None):
        super().__init__(parent)
        self.setObjectName("matrixDialog")
        array = np.asarray(value, dtype=np.float64)
        rows, cols = array.shape
        self.setWindowTitle(self.tr("Edit {0} ({1})").format(name, shape_text(array.shape)))
        self.grid = QTableWidget(rows, cols, objectName="matrixGrid")
        for r in range(rows):
            for c in range(cols):
                self.grid.setItem(r, c, QTableWidgetItem(number_text(array[r, c])))
        # indices from 0, as in W[0, 1] (errors, the explanation, torch)
        self.grid.setHorizontalHeaderLabels([str(c) for c in range(cols)])
        self.grid.setVerticalHeaderLabels([str(r) for r in range(rows)])
        self.grid.resizeColumnsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("One number per cell; OK applies the matrix.")))
        layout.addWidget(self.grid)
        layout.addWidget(buttons)

    def text(self, name: str = "value") -> str:
        """The grid as the table's matrix text, ``[[1, 2], [3, 4]]``; raises
        ExpressionError naming the cell when one is not a single finite number."""
        rows = []
        for r in range(self.grid.rowCount()):
            cells = []
            for c in range(self.grid.columnCount()):
                item = self.grid.item(r, c)
                cell = (item.text() if item is not None else "").strip()
                number = parse_number(cell or "?", f"{name}[{r}, {c}]")
                if np.ndim(number) != 0:
                    raise ExpressionError("one number per cell", where=f"{name}[{r}, {c}]")
                cells.append(repr(float(number)))
            rows.append("[" + ", ".join(cells) + "]")
        return "[" + ", ".join(rows) + "]"
