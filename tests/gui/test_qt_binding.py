"""The Qt binding itself must hold up for a long session.

PySide6 6.12.0 on Python 3.11 releases one reference to ``None`` on every call of a
method that returns nothing; after a few thousand clicks ``None`` is deallocated and
the process aborts (``Fatal Python error: none_dealloc``). The GUI monkey test found it.
constraints.txt pins a release without the bug; this test keeps it that way.
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QApplication, QTableWidgetItem

CALLS = 3000


def test_void_calls_do_not_drain_none(qapp):
    item = QTableWidgetItem("x")
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        QApplication.processEvents()
        item.setBackground(QBrush())
        item.setText("y")
    lost = before - sys.getrefcount(None)
    assert lost < CALLS // 10, f"None lost {lost} references in {3 * CALLS} calls"
