"""Key routing: shortcuts fire from anywhere, but keys typed into an editor stay there.

A mixin of :class:`gui.window.main_window.MainWindow`. Plain keys (arrows, Space,
letters) go to the program editor or a cell being edited; a shortcut that is not
typing (Apply, Undo, Redo) still fires; a line edit's Return is not handed back.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QWidget


def _typing_widget(widget: QWidget | None) -> bool:
    """A widget where keys are text: the program editor or a table cell being edited."""
    if isinstance(widget, QLineEdit):
        return not widget.isReadOnly()
    if isinstance(widget, QPlainTextEdit):
        return not widget.isReadOnly()
    return False


class KeysMixin:
    def _action_for(self, event: QKeyEvent) -> QAction | None:
        pressed = QKeySequence(event.keyCombination())
        exact = QKeySequence.SequenceMatch.ExactMatch
        for action in self.actions():
            if action.isEnabled() and any(s.matches(pressed) == exact for s in action.shortcuts()):
                return action
        return None

    def _typing_key(self, event: QKeyEvent) -> bool:
        """A plain key (arrows, Space, letters) while the user types in an editor or cell."""
        focus = QApplication.focusWidget()
        held = event.modifiers() & (Qt.KeyboardModifier.ControlModifier
                                    | Qt.KeyboardModifier.AltModifier
                                    | Qt.KeyboardModifier.MetaModifier)
        return (not held and focus is not None and focus is not self
                and _typing_widget(focus) and self.isAncestorOf(focus))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Keys sent straight to the window (no shortcut fired): step, or type if typing."""
        if self._forwarding:
            return super().keyPressEvent(event)
        focus = QApplication.focusWidget()
        action = self._action_for(event)
        if isinstance(focus, QLineEdit) and action is None \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            # a line edit passes its Return on after acting on it: handing it back would
            # act twice (apply a learning rate twice, check an answer twice)
            event.accept()
            return
        if focus is not None and focus is not self and _typing_widget(focus) and (
                action is None or action not in (self.apply_action, self.undo_action,
                                                 self.redo_action)):
            self._forwarding = True
            try:
                copy = QKeyEvent(event.type(), event.key(), event.modifiers(), event.text(),
                                 event.isAutoRepeat(), event.count())
                QApplication.sendEvent(focus, copy)
            finally:
                self._forwarding = False
            return
        if action is not None:
            action.trigger()
            return
        if event.key() == Qt.Key.Key_Escape and self.presentation \
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.set_presentation(False)  # no widget wanted the Esc: leave presentation
            return
        super().keyPressEvent(event)


    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802 - Qt's name
        """Tab goes through the panels in a reading order (gui.window.accessibility)."""
        from gui.window.accessibility import move_focus

        return move_focus(self, forward) or super().focusNextPrevChild(forward)

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and self._typing_key(event):
            event.accept()  # the key goes to keyPressEvent, which hands it to the editor
            return True
        if event.type() == QEvent.Type.WindowActivate and not self.canvas.hasFocus() \
                and QApplication.focusWidget() is None:
            self.canvas.setFocus(Qt.FocusReason.ActiveWindowFocusReason)
        return super().event(event)
