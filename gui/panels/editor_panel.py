"""The program editor with Apply, the error line, and the variables table
(gui.panels.variables_table).

Writing a program should not be trial and error: the placeholder shows the declaration
forms, a failed Apply reports every unknown name at once with a button that adds them
all to the table, and the table adds and removes rows (:mod:`gui.state.variables_state`).
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QKeySequence,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from core.base.did_you_mean import corrected
from core.language.parser import ExpressionError
from gui.panels.base import Area, DockSpec, Panel
from gui.panels.variables_table import VariablesTable
from gui.state.model import StepperModel
from gui.state.variables_state import VariablesState
from gui.support import theme
from gui.support.i18n import Retranslator

#: how a program declares its inputs (the placeholder and Help → Writing a Program)
DECLARATIONS = ("w = param(1.0)", "x = 1.0", "x = [1, 2, 3]")


class CodeEditor(QPlainTextEdit):
    """Monospace editor; Ctrl+Enter applies even when no window shortcut sees the key."""

    applyRequested = Signal()

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.applyRequested.emit()
            return
        super().keyPressEvent(event)


class EditorPanel(VariablesTable, Panel, QWidget):
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
        self._make_table()

        self._lay_out()

        model.traceReplaced.connect(self.refresh)
        model.errorChanged.connect(self.show_error)
        self.variables.changed.connect(self.refresh_table)
        self.refresh()

    def _lay_out(self) -> None:
        """The editor, Apply, the error and its fixes; the Variables table under them."""
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
