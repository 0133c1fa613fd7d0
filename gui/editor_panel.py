"""The program editor with Apply, the error line, and the variables table."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QFontDatabase, QKeySequence, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from core.format import MINUS
from core.language import ExpressionError
from gui.i18n import Retranslator
from gui.model import StepperModel
from gui.texts import role_title

ROLE_KEY = Qt.ItemDataRole.UserRole
ROLES = ("data", "parameter")


def value_text(value) -> str:
    """Every digit of a value, as the user would type it: ``1``, ``−3``, ``1, 2, 3``."""
    import numpy as np

    def one(x: float) -> str:
        text = repr(float(x))
        text = text[:-2] if text.endswith(".0") else text
        return text.replace("-", MINUS)

    if np.ndim(value) == 0:
        return one(value)
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


class EditorPanel(QWidget):
    def __init__(self, model: StepperModel, parent=None):
        super().__init__(parent)
        self.setObjectName("editorPanel")
        self.model = model
        self._filling = False
        self._texts = Retranslator()  # words re-set on a language switch

        self.editor = CodeEditor(objectName="expressionEditor")
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.editor.setTabChangesFocus(True)
        self._texts.bind(self.editor.setAccessibleName, lambda: self.tr("Program"))
        self._texts.bind(self.editor.setPlaceholderText,
                         lambda: self.tr("loss = (w * x - y) ** 2"))
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
        self._texts.bind(self.table.setAccessibleName, lambda: self.tr("Variables"))

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
        variables = QLabel()
        self._texts.bind(variables.setText, lambda: self.tr(
            "Variables (double-click a value or role to change it)"))
        variables.setWordWrap(True)
        layout.addWidget(variables)
        layout.addWidget(self.table, 2)

        model.traceReplaced.connect(self.refresh)
        model.errorChanged.connect(self.show_error)
        self.refresh()

    def retranslate(self) -> None:
        self._texts.apply()
        self.refresh_table()  # role names and tips

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ---- intent
    def apply(self) -> None:
        self.model.apply_text(self.editor.toPlainText())

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        name = self.table.item(item.row(), 0).text()
        if item.column() == 2:
            if not self.model.edit_value(name, item.text()):
                self.refresh_table()  # the error is shown; the cell goes back to the value
        elif item.column() == 1:
            text = item.text().strip()
            role = next((r for r in ROLES if text in (r, role_title(r))), None)
            if role is None or not self.model.edit_role(name, role):
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
        rows = self.model.variables()
        self.table.setRowCount(len(rows))
        for row, (name, role, value) in enumerate(rows):
            name_item = QTableWidgetItem(name)
            name_item.setFlags(name_item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            role_item = QTableWidgetItem(role_title(role))
            role_item.setData(ROLE_KEY, role)
            role_item.setToolTip(self.tr("A parameter needs a gradient; data does not."))
            value_item = QTableWidgetItem(value_text(value))
            value_item.setToolTip(self.tr("A number, or a list such as 1, 2, 3"))
            if role == "parameter":
                font = name_item.font()
                font.setBold(True)
                name_item.setFont(font)
            self.table.setItem(row, 0, name_item)
            self.table.setItem(row, 1, role_item)
            self.table.setItem(row, 2, value_item)
        self._filling = False

    def show_error(self, error: ExpressionError | None) -> None:
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
        fmt.setUnderlineColor(QColor("#D55E00"))
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
