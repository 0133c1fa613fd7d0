"""The program editor with Apply, the error line, and the variables table.

Writing a program should not be trial and error: the placeholder shows the declaration
forms, a failed Apply reports every unknown name at once with a button that adds them
all to the table, and the table adds and removes rows (:mod:`gui.state.variables_state`).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QFontDatabase,
    QKeySequence,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from core.base.did_you_mean import corrected
from core.base.format import MINUS
from core.language.parser import ExpressionError
from gui.panels.base import Area, DockSpec, Panel
from gui.panels.matrix_editor import MatrixDialog, editable_as_grid
from gui.state.model import StepperModel
from gui.state.variables_state import VariablesState
from gui.support import theme
from gui.support.i18n import Retranslator
from gui.support.texts import role_title

ROLE_KEY = Qt.ItemDataRole.UserRole
PENDING_KEY = Qt.ItemDataRole.UserRole + 1  # on the name cell of a row not used yet
ROLES = ("data", "parameter")
#: how a program declares its inputs (the placeholder and Help → Writing a Program)
DECLARATIONS = ("w = param(1.0)", "x = 1.0", "x = [1, 2, 3]")


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


class CodeEditor(QPlainTextEdit):
    """Monospace editor; Ctrl+Enter applies even when no window shortcut sees the key."""

    applyRequested = Signal()

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.applyRequested.emit()
            return
        super().keyPressEvent(event)


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


class EditorPanel(Panel, QWidget):
    DOCK = DockSpec("editorDock", "editor_dock", Area.LeftDockWidgetArea,
                    QT_TRANSLATE_NOOP("MainWindow", "Program"), width=270)

    # "What if…" on a scalar input's row (context menu or Ctrl+Shift+W): its name; the
    # forward panel (gui.panels.forward.whatif) puts a slider in the row
    whatIfRequested = Signal(str)

    def __init__(self, model: StepperModel, parent=None):
        super().__init__(parent)
        self.setObjectName("editorPanel")
        self.model = model
        self._filling = False
        self._texts = Retranslator()  # words re-set on a language switch

        self.editor = CodeEditor(objectName="expressionEditor")
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)  # no side scrolling
        self.editor.setTabChangesFocus(True)
        self._texts.bind(self.editor.setAccessibleName, lambda: self.tr("Program"))
        self._texts.bind(self.editor.setPlaceholderText, self.placeholder)
        self.editor.applyRequested.connect(self.apply)
        self.editor.textChanged.connect(self._text_edited)

        self.apply_button = QPushButton(objectName="applyButton")
        self._texts.bind(self.apply_button.setText, lambda: self.tr("Apply"))
        self._texts.bind(self.apply_button.setToolTip, lambda: self.tr(
            "Re-run the program ({0})").format(
            QKeySequence("Ctrl+Return").toString(QKeySequence.SequenceFormat.NativeText)))
        self.apply_button.clicked.connect(self.apply)
        self.error_label = QLabel(objectName="editorError", wordWrap=True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()
        self.variables = VariablesState(model)
        # "did you mean y_predicted?" fixes the spelling: offered before adding a variable
        self.suggestion_button = QPushButton(objectName="didYouMeanButton")
        self.suggestion_button.clicked.connect(self.fix_spelling)
        self.suggestion_button.hide()
        self.fix_button = QPushButton(objectName="addUnknownButton")
        self.fix_button.clicked.connect(self.add_unknown_names)
        self.fix_button.hide()

        self.table = QTableWidget(0, 3, objectName="variablesTable")
        self._texts.bind(self.table.setHorizontalHeaderLabels,
                         lambda: [self.tr("name"), self.tr("role"), self.tr("value")])
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
        self._texts.bind(self.table.setAccessibleName, lambda: self.tr("Variables"))
        self.whatif_action = QAction(self.table, objectName="whatIfAction")
        self.whatif_action.setShortcut(QKeySequence("Ctrl+Shift+W"))
        self.whatif_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self._texts.bind(self.whatif_action.setText, lambda: self.tr("What if…"))
        self.whatif_action.triggered.connect(self._what_if_current)
        self.table.addAction(self.whatif_action)
        self._new_row: int | None = None  # a row added with "Add", waiting for its name
        self.add_button = QPushButton(objectName="addVariableButton")
        self._texts.bind(self.add_button.setText, lambda: self.tr("Add"))
        self._texts.bind(self.add_button.setToolTip, lambda: self.tr(
            "Add a variable: type its name, then its role and value"))
        self.add_button.clicked.connect(self.add_row)
        self.remove_button = QPushButton(objectName="removeVariableButton")
        self._texts.bind(self.remove_button.setText, lambda: self.tr("Remove"))
        self._texts.bind(self.remove_button.setToolTip, lambda: self.tr(
            "Remove the selected variable"))
        self.remove_button.clicked.connect(self.remove_selected)

        buttons = QHBoxLayout()
        hint = QLabel()
        self._texts.bind(hint.setText, lambda: self.tr("Ctrl+Enter applies"))
        hint.setObjectName("hintLabel")
        buttons.addWidget(hint)
        buttons.addStretch(1)
        buttons.addWidget(self.apply_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.editor, 3)
        layout.addLayout(buttons)
        layout.addWidget(self.error_label)
        layout.addWidget(self.suggestion_button)
        layout.addWidget(self.fix_button)
        variables = QLabel()
        self._texts.bind(variables.setText, lambda: self.tr(
            "Variables (double-click a value or role to change it)"))
        variables.setWordWrap(True)
        layout.addWidget(variables)
        layout.addWidget(self.table, 2)
        rows = QHBoxLayout()
        rows.addStretch(1)
        rows.addWidget(self.add_button)
        rows.addWidget(self.remove_button)
        layout.addLayout(rows)

        model.traceReplaced.connect(self.refresh)
        model.errorChanged.connect(self.show_error)
        self.variables.changed.connect(self.refresh_table)
        self.refresh()

    def placeholder(self) -> str:
        """The empty editor shows how inputs are declared, then a computation."""
        a, b, c = DECLARATIONS
        return self.tr("{0}   # a parameter: it gets a gradient\n{1}   # data\n"
                       "{2}   # data, a vector\nloss = mean((w * x - 2) ** 2)").format(a, b, c)

    def declarations_html(self) -> str:
        """For Help → Writing a Program: the declaration forms and the one-click fix."""
        from html import escape

        a, b, c = (escape(d) for d in DECLARATIONS)
        return self.tr(
            "<h3>Writing a program</h3>"
            "<p>One statement per line, in Python syntax. Give every input a value:</p>"
            "<pre>{0}      # a parameter: it gets a gradient and is trained\n"
            "{1}             # data: no gradient\n"
            "{2}       # data, a vector</pre>"
            "<p>or add it in the <b>Variables</b> table (Add), choosing data or parameter. "
            "Then compute, for example <code>loss = mean((w * x - 2) ** 2)</code>, and "
            "press Ctrl+Enter.</p>"
            "<p>Names the program uses but does not know are reported all at once, with a "
            "button that adds them to the table.</p>").format(a, b, c)

    def retranslate(self) -> None:
        self._texts.apply()
        self.refresh_table()  # role names and tips

    # ---- intent
    def apply(self) -> None:
        self.variables.apply(self.editor.toPlainText())

    def add_unknown_names(self) -> None:
        """The one-click fix: every unknown name of the failed Apply becomes a variable."""
        names = getattr(self.model.error, "names", ())
        if names:
            self.variables.add_unknown(names, self.editor.toPlainText())

    def fix_spelling(self) -> None:
        """The "did you mean" fix: the typo replaced where it is written (one Ctrl+Z in
        the editor), then Apply again."""
        suggestions = getattr(self.model.error, "suggestions", {})
        text = self.editor.toPlainText()
        fixed = corrected(text, suggestions)
        if fixed != text:
            cursor = self.editor.textCursor()
            cursor.select(QTextCursor.SelectionType.Document)
            cursor.insertText(fixed)
            self.apply()

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

    def _text_edited(self) -> None:
        if not self._filling:
            self.editor.setExtraSelections([])

    # ---- showing
    def refresh(self) -> None:
        if self.editor.toPlainText() != self.model.program.text:
            self._filling = True
            self.editor.setPlainText(self.model.program.text)
            self._filling = False
        self.editor.setExtraSelections([])
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
                name_item.setToolTip(self.tr("Not used by the program yet: use {0} in it "
                                             "and press Ctrl+Enter").format(name))
            role_item = QTableWidgetItem(role_title(role))
            role_item.setData(ROLE_KEY, role)
            role_item.setToolTip(self.tr("A parameter needs a gradient; data does not."))
            value_item = QTableWidgetItem(value_text(value))
            value_item.setToolTip(self.tr("A number, or a list such as 1, 2, 3") if np.ndim(
                value) < 2 else self.tr("A matrix, row by row: [[1, 2], [3, 4]]"))
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
            menu.addAction(self.tr("Edit as a grid…"), lambda: self.edit_as_grid(name))
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

    def show_error(self, error: ExpressionError | None) -> None:
        names = getattr(error, "names", ())
        suggestions = getattr(error, "suggestions", {})
        self.suggestion_button.setVisible(bool(suggestions))
        if suggestions:
            shown = ", ".join(suggestions.values())
            self.suggestion_button.setText(self.tr("Did you mean {0}? Fix it").format(shown))
        self.fix_button.setVisible(bool(names))
        if names:
            shown = ", ".join(names[:6]) + (", …" if len(names) > 6 else "")
            self.fix_button.setText(self.tr("Add {0} to the Variables table").format(shown))
        if error is None:
            self.error_label.hide()
            self.error_label.clear()
            self.editor.setExtraSelections([])
            return
        self.error_label.setText("⚠ " + str(error))
        self.error_label.show()
        if error.line is None:
            return
        block = self.editor.document().findBlockByNumber(error.line - 1)
        if not block.isValid():
            return
        cursor = QTextCursor(block)
        column = max(0, min((error.column or 1) - 1, max(0, block.length() - 1)))
        cursor.setPosition(block.position() + column)
        marked = QTextCursor(cursor)
        marked.movePosition(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor)
        if not marked.hasSelection():  # the error is at the end of the line
            marked.movePosition(QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.KeepAnchor)
        spot = QTextEdit.ExtraSelection()
        spot.cursor = marked
        fmt = QTextCharFormat()
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        fmt.setUnderlineColor(QColor(theme.ERROR_UNDERLINE))
        fmt.setBackground(QColor(213, 94, 0, 60))
        spot.format = fmt
        line = QTextEdit.ExtraSelection()
        line.cursor = QTextCursor(block)
        line_format = QTextCharFormat()
        line_format.setBackground(QColor(213, 94, 0, 25))
        line_format.setProperty(QTextCharFormat.Property.FullWidthSelection, True)
        line.format = line_format
        self.editor.setExtraSelections([line, spot])
        self.editor.setTextCursor(cursor)
