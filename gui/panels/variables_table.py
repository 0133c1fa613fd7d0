"""The editor panel's Variables table: one row per input (name, role, value), edited in
place; Add and Remove; a small matrix's grid editor and a scalar's What if….

A mixin of :class:`gui.panels.editor_panel.EditorPanel` (which keeps ``table``,
``variables`` and ``model``); its words keep the translation context ``EditorPanel``.
Rows the program does not use yet come from :mod:`gui.state.variables_state`.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QMenu,
    QPushButton,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
)

from core.base.format import MINUS
from core.language.parser import ExpressionError
from gui.panels.matrix_editor import MatrixDialog, editable_as_grid
from gui.support.texts import role_title

translate = QCoreApplication.translate
ROLE_KEY = Qt.ItemDataRole.UserRole
PENDING_KEY = Qt.ItemDataRole.UserRole + 1  # on the name cell of a row not used yet
ROLES = ("data", "parameter")


def value_text(value) -> str:
    """Every digit of a value, as the user would type it: ``1``, ``−3``, ``1, 2, 3``;
    a matrix keeps its rows, ``[[1, 2], [3, 4]]``, so that editing it keeps its shape."""

    def one(x: float) -> str:
        text = repr(float(x))
        text = text[:-2] if text.endswith(".0") else text
        return text.replace("-", MINUS)

    if np.ndim(value) == 0:
        return one(value)
    if np.ndim(value) >= 2:
        def nested(array) -> str:
            if np.ndim(array) == 1:
                return "[" + ", ".join(one(x) for x in array) + "]"
            return "[" + ", ".join(nested(row) for row in array) + "]"
        return nested(np.asarray(value))
    return ", ".join(one(x) for x in np.ravel(value))


class RoleDelegate(QStyledItemDelegate):
    """A data / parameter drop-down in the role column."""

    def createEditor(self, parent, option, index):
        box = QComboBox(parent)
        for role in ROLES:
            box.addItem(role_title(role), role)
        box.activated.connect(lambda _=0, b=box: self.commitData.emit(b))
        return box

    def setEditorData(self, editor, index):
        role = index.data(ROLE_KEY)
        editor.setCurrentIndex(max(0, ROLES.index(role) if role in ROLES else 0))

    def setModelData(self, editor, model, index):
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)


class VariablesTable:
    """The table's rows and their edits (a mixin of the editor panel)."""

    def _make_table(self) -> None:
        """The Variables table, its What if… action, and Add and Remove."""
        self.table = QTableWidget(0, 3, objectName="variablesTable")
        self._texts.bind(self.table.setHorizontalHeaderLabels,
                         lambda: [translate("EditorPanel", "name"),
                                  translate("EditorPanel", "role"),
                                  translate("EditorPanel", "value")])
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.table.setItemDelegateForColumn(1, RoleDelegate(self.table))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed
                                   | QAbstractItemView.EditTrigger.SelectedClicked)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._item_changed)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self._texts.bind(self.table.setAccessibleName,
                         lambda: translate("EditorPanel", "Variables"))
        self.whatif_action = QAction(self.table, objectName="whatIfAction")
        self.whatif_action.setShortcut(QKeySequence("Ctrl+Shift+W"))
        self.whatif_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self._texts.bind(self.whatif_action.setText,
                         lambda: translate("EditorPanel", "What if…"))
        self.whatif_action.triggered.connect(self._what_if_current)
        self.table.addAction(self.whatif_action)
        self._new_row: int | None = None  # a row added with "Add", waiting for its name
        self.add_button = QPushButton(objectName="addVariableButton")
        self._texts.bind(self.add_button.setText, lambda: translate("EditorPanel", "Add"))
        self._texts.bind(self.add_button.setToolTip, lambda: translate(
            "EditorPanel", "Add a variable: type its name, then its role and value"))
        self.add_button.clicked.connect(self.add_row)
        self.remove_button = QPushButton(objectName="removeVariableButton")
        self._texts.bind(self.remove_button.setText,
                         lambda: translate("EditorPanel", "Remove"))
        self._texts.bind(self.remove_button.setToolTip,
                         lambda: translate("EditorPanel", "Remove the selected variable"))
        self.remove_button.clicked.connect(self.remove_selected)

    def add_row(self) -> None:
        """A new row at the bottom, its name cell open for typing."""
        self.refresh_table()
        row = self.table.rowCount()
        self._filling = True
        self.table.setRowCount(row + 1)
        role = QTableWidgetItem(role_title("data"))
        role.setData(ROLE_KEY, "data")
        for column, item in enumerate((QTableWidgetItem(""), role, QTableWidgetItem("1"))):
            self.table.setItem(row, column, item)
        self._filling = False
        self._new_row = row
        self.table.setCurrentCell(row, 0)
        self.table.editItem(self.table.item(row, 0))

    def remove_selected(self) -> None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        if item is None or not item.text():
            self.refresh_table()
            return
        try:
            self.variables.remove(item.text())
        except ExpressionError as error:
            self.model.set_error(error)

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        if item.row() == self._new_row:
            self._name_typed(item)
            return
        name_item = self.table.item(item.row(), 0)
        name = name_item.text()
        if name_item.data(PENDING_KEY):
            self._pending_changed(name, item)
            return
        if item.column() == 2:
            if not self.model.edit_value(name, item.text()):
                self.refresh_table()  # the error is shown; the cell goes back to the value
        elif item.column() == 1:
            text = item.text().strip()
            role = next((r for r in ROLES if text in (r, role_title(r))), None)
            if role is None or not self.model.edit_role(name, role):
                self.refresh_table()

    def _name_typed(self, item: QTableWidgetItem) -> None:
        """The name of a row made with Add: the row becomes a variable (or goes)."""
        if item.column() != 0:
            return
        self._new_row = None
        try:
            self.variables.add(item.text())
        except ExpressionError as error:
            self.model.set_error(error)
            self.refresh_table()

    def _pending_changed(self, name: str, item: QTableWidgetItem) -> None:
        if item.column() == 2:
            ok = self.variables.edit(name, text=item.text())
        elif item.column() == 1:
            text = item.text().strip()
            role = next((r for r in ROLES if text in (r, role_title(r))), None)
            ok = role is not None and self.variables.edit(name, role=role)
        else:
            ok = False
        if not ok:
            self.refresh_table()

    def refresh_table(self) -> None:
        self._filling = True
        self._new_row = None
        used = self.model.variables()
        rows = used + self.variables.rows()
        self.table.setRowCount(len(rows))
        for row, (name, role, value) in enumerate(rows):
            name_item = QTableWidgetItem(name)
            name_item.setFlags(name_item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            if row >= len(used):  # added in the table: the program does not use it yet
                name_item.setData(PENDING_KEY, True)
                font = name_item.font()
                font.setItalic(True)
                name_item.setFont(font)
                name_item.setToolTip(translate(
                    "EditorPanel", "Not used by the program yet: use {0} in it "
                    "and press Ctrl+Enter").format(name))
            role_item = QTableWidgetItem(role_title(role))
            role_item.setData(ROLE_KEY, role)
            role_item.setToolTip(translate("EditorPanel",
                                           "A parameter needs a gradient; data does not."))
            value_item = QTableWidgetItem(value_text(value))
            value_item.setToolTip(
                translate("EditorPanel", "A number, or a list such as 1, 2, 3")
                if np.ndim(value) < 2 else
                translate("EditorPanel", "A matrix, row by row: [[1, 2], [3, 4]]"))
            if role == "parameter":
                font = name_item.font()
                font.setBold(True)
                name_item.setFont(font)
            self.table.setItem(row, 0, name_item)
            self.table.setItem(row, 1, role_item)
            self.table.setItem(row, 2, value_item)
        self._filling = False

    def _context_menu(self, point) -> None:
        """Right-click on a small matrix's row: Edit as a grid…; on a scalar's: What if…"""
        item = self.table.itemAt(point)
        name_item = self.table.item(item.row(), 0) if item is not None else None
        if name_item is None:
            return
        name = name_item.text()
        value = self._value_of(name)
        menu = QMenu(self.table)
        if editable_as_grid(value):
            menu.addAction(translate("EditorPanel", "Edit as a grid…"),
                           lambda: self.edit_as_grid(name))
        elif value is not None and np.ndim(value) == 0:
            self.table.setCurrentCell(item.row(), 2)  # the action acts on the current row
            menu.addAction(self.whatif_action)
        else:
            return
        menu.popup(self.table.viewport().mapToGlobal(point))

    def _what_if_current(self) -> None:
        row = self.table.currentRow()
        name_item = self.table.item(row, 0) if row >= 0 else None
        value = self._value_of(name_item.text()) if name_item is not None else None
        if value is not None and np.ndim(value) == 0:
            self.whatIfRequested.emit(name_item.text())

    def _value_of(self, name: str):
        return next((v for n, _, v in self.model.variables() if n == name), None)

    def edit_as_grid(self, name: str) -> MatrixDialog | None:
        """Open the grid editor of matrix ``name`` (at most 6 × 6); OK applies it."""
        value = self._value_of(name)
        if not editable_as_grid(value):
            return None
        dialog = MatrixDialog(name, value, value_text, self)
        dialog.accepted.connect(lambda: self._grid_accepted(name, dialog))
        dialog.open()
        return dialog

    def _grid_accepted(self, name: str, dialog: MatrixDialog) -> None:
        try:
            text = dialog.text(name)
        except ExpressionError as error:
            self.model.set_error(error)
            return
        self.model.edit_value(name, text)
