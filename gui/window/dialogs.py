"""The window's help: keyboard shortcuts, writing a program, about, licences.

A mixin of :class:`gui.window.main_window.MainWindow`; its dialogs are not modal, and
its words keep the translation context ``MainWindow``.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QMessageBox, QTableWidget, QTableWidgetItem, QVBoxLayout

from core import __version__

translate = QCoreApplication.translate


class DialogsMixin:
    def shortcut_rows(self) -> list[tuple[str, str]]:
        rows = []
        for action in self.actions():
            keys = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText)
                             for s in action.shortcuts())
            if keys:
                rows.append((action.text().replace("&", ""), keys))
        whatif = self.editor_panel.whatif_action  # (the Variables table's own key)
        rows.append((translate("MainWindow", "What if… on the Variables table's row"),
                     whatif.shortcut().toString(QKeySequence.SequenceFormat.NativeText)))
        rows.append((translate("MainWindow", "Leave presentation mode"), "Esc"))
        rows.append((translate("MainWindow",
                               "Move the cursor while typing in the program or a cell"),
                     translate("MainWindow", "arrows (they do not step then)")))
        return rows

    def show_shortcuts(self) -> None:
        if self._shortcut_dialog is None:
            dialog = QDialog(self, objectName="shortcutsDialog")
            dialog.setWindowTitle(translate("MainWindow", "Keyboard Shortcuts"))
            rows = self.shortcut_rows()
            table = QTableWidget(len(rows), 2, dialog, objectName="shortcutsTable")
            table.setAccessibleName(translate("MainWindow", "Keyboard Shortcuts"))
            table.setAccessibleDescription(
                translate("MainWindow", "One row per action: what it does, and its keys"))
            table.setHorizontalHeaderLabels([translate("MainWindow", "Action"),
                                             translate("MainWindow", "Keys")])
            table.verticalHeader().hide()
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            for i, (what, keys) in enumerate(rows):
                table.setItem(i, 0, QTableWidgetItem(what))
                table.setItem(i, 1, QTableWidgetItem(keys))
            table.resizeColumnsToContents()
            table.horizontalHeader().setStretchLastSection(True)
            QVBoxLayout(dialog).addWidget(table)
            # as wide as both columns (the keys were cut behind a scroll bar at 520 px)
            wide = table.columnWidth(0) + table.columnWidth(1) + \
                table.verticalScrollBar().sizeHint().width() + 2 * table.frameWidth() + 24
            dialog.resize(max(520, wide), 560)
            self._shortcut_dialog = dialog
        self._shortcut_dialog.show()  # not modal: keep stepping while reading it
        self._shortcut_dialog.raise_()

    def about_text(self) -> str:
        return translate("MainWindow",
            "<h3>Backprop Stepper {0}</h3>"
            "<p>Step through backpropagation: the forward pass, the local gradients, and the "
            "backward pass, checked against PyTorch autograd and finite differences.</p>"
            "<p>Backprop Stepper is free software under the MIT licence.</p>"
            "<p><b>Built with</b> (their licences):<br>"
            "Qt 6 and Qt for Python (PySide6) — LGPL v3<br>"
            "matplotlib — Matplotlib licence (PSF-style)<br>"
            "NetworkX — BSD 3-clause<br>"
            "NumPy — BSD 3-clause<br>"
            "PyTorch (optional, for the comparison) — BSD 3-clause</p>"
            "<p>Colours: the Okabe–Ito palette, safe for colour-blind readers.</p>"
        ).format(__version__)

    def show_program_help(self) -> None:
        """Help → Writing a Program: a program, a script, with examples (not modal: keep
        typing beside it)."""
        from gui.window.program_help import ProgramHelp, help_html

        box = ProgramHelp(help_html(self.editor_panel.declarations_html()), self)
        self.program_help_box = box
        box.show()

    def show_about(self) -> None:
        title = translate("MainWindow", "About Backprop Stepper")
        QMessageBox.about(self, title, self.about_text())

    def licences_html(self) -> str:
        """Every bundled third-party package with its licence text, for Help → Licences."""
        from html import escape

        from gui.support.licenses import notices

        heading = translate("MainWindow", "Third-party licences")
        parts = [f"<h3>{escape(heading)}</h3>"]
        for notice in notices():
            parts.append(f"<h4>{escape(notice.package)} {escape(notice.version)} — "
                         f"{escape(notice.purpose)}</h4><p>{escape(notice.license)}</p>"
                         f"<pre style='font-size: small'>{escape(notice.text)}</pre>")
        return "".join(parts)

    def show_licences(self) -> None:
        if getattr(self, "_licences_dialog", None) is None:
            from PySide6.QtWidgets import QDialog, QTextBrowser, QVBoxLayout

            dialog = QDialog(self)
            dialog.setObjectName("licencesDialog")
            dialog.setWindowTitle(translate("MainWindow", "Third-party licences"))
            browser = QTextBrowser(dialog)
            browser.setObjectName("licencesText")
            browser.setHtml(self.licences_html())
            QVBoxLayout(dialog).addWidget(browser)
            dialog.resize(760, 640)
            self._licences_dialog = dialog
        self._licences_dialog.show()  # not modal, like the shortcuts dialog
        self._licences_dialog.raise_()
