"""Settings ▸ Your emotion words: every emotion name in the journal that is not one of the listed
emotions (the user's own words, and slips such as "exhaus" from the old Enter trap), with how
many entries and check-ins name it; each can be kept as one's own word, replaced with a listed
emotion (the one it is the start of is proposed) or removed from the records that name it.

The records change through :meth:`journal_app.core.vault.Journal.replace_emotion`: one write,
each changed record's earlier version kept (see docs/design.md, "Own emotion words").
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from journal_app.core.content import emotion_words
from journal_app.core.practice import WordInUse, words_outside_vocabulary
from journal_app.core.vault import Journal
from journal_app.core.vocabulary import plural
from journal_app.ui.session import Change, JournalSession
from journal_app.ui.widgets import error_label, muted, show_error

#: What tidying a word changes: entries, check-ins, and the list of own words.
_TIDIED = Change.ENTRIES | Change.CHECKINS | Change.APP_STATE


def _uses(word: WordInUse) -> str:
    """"2 entries and 1 check-in"."""
    parts = [plural(word.entries, "entry", "entries")] if word.entries else []
    if word.checkins:
        parts.append(plural(word.checkins, "check-in"))
    return " and ".join(parts) or "no records"


class EmotionWordsDialog(QDialog):
    """Signals:
    changed(): a word was kept, replaced or removed (records or the own words changed).
    """

    changed = Signal()

    def __init__(self, session: JournalSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.words: list[WordInUse] = []
        self.setWindowTitle("Your emotion words")
        layout = QVBoxLayout(self)
        intro = muted(
            "Emotion words in your journal that are not in the app's list: your own words, and "
            "slips such as a half-typed word. Tidying one changes the entries and check-ins "
            "that name it; each one's earlier version is kept.")
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.table = QTableWidget(0, 4)
        self.table.setAccessibleName("Emotion words not in the list")
        self.table.setHorizontalHeaderLabels(["Word", "Entries", "Check-ins", ""])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        self.empty = muted("Every emotion in your journal is one of the listed emotions.")
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)

        self.selected_label = QLabel("")
        self.selected_label.setWordWrap(True)
        layout.addWidget(self.selected_label)
        actions = QHBoxLayout()
        self.keep_button = QPushButton("Keep as my own word")
        self.keep_button.setToolTip("Offered as a suggestion from now on, and never asked about")
        actions.addWidget(self.keep_button)
        actions.addSpacing(12)
        replace_label = QLabel("Replace with")
        self.replace_with = QComboBox()
        self.replace_with.setAccessibleName("Replace with the listed emotion")
        self.replace_with.addItems(emotion_words())
        replace_label.setBuddy(self.replace_with)
        self.replace_button = QPushButton("Replace")
        actions.addWidget(replace_label)
        actions.addWidget(self.replace_with, 1)
        actions.addWidget(self.replace_button)
        layout.addLayout(actions)
        remove_row = QHBoxLayout()
        self.remove_button = QPushButton("Remove from records…")
        remove_row.addWidget(self.remove_button)
        remove_row.addStretch(1)
        layout.addLayout(remove_row)
        self.result_label = muted("")
        self.result_label.setAccessibleName("Result")
        self.result_label.setWordWrap(True)
        layout.addWidget(self.result_label)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(560, 460)

        self.table.itemSelectionChanged.connect(self._selected)
        self.keep_button.clicked.connect(self.keep)
        self.replace_button.clicked.connect(self.replace)
        self.remove_button.clicked.connect(self.remove)
        self.refresh()

    # ------------------------------------------------------------ the list

    def refresh(self, select: str | None = None) -> None:
        """Read the words again; select ``select`` (else the first row) if it is still there."""
        self.words = self.session.read_or(words_outside_vocabulary, list[WordInUse]())
        self.table.setRowCount(len(self.words))
        for row, word in enumerate(self.words):
            cells = [word.name, str(word.entries), str(word.checkins),
                     "your own word" if word.own else "not in the list"]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (1, 2):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.table.setVisible(bool(self.words))
        self.empty.setVisible(not self.words)
        names = [w.name for w in self.words]
        if self.words:
            self.table.selectRow(names.index(select) if select in names else 0)
        self._selected()

    def current(self) -> WordInUse | None:
        rows = self.table.selectionModel().selectedRows()
        return self.words[rows[0].row()] if rows else None

    def _selected(self) -> None:
        word = self.current()
        for widget in (self.keep_button, self.replace_with, self.replace_button,
                       self.remove_button):
            widget.setEnabled(word is not None)
        if word is None:
            self.selected_label.setText("")
            return
        self.selected_label.setText(f"“{word.name}” is named in {_uses(word)}.")
        self.keep_button.setEnabled(not word.own)
        if word.suggestion is not None:
            self.replace_with.setCurrentText(word.suggestion)
        if word.uses:
            self.remove_button.setText(f"Remove from {_uses(word)}…")
            self.replace_button.setEnabled(True)
        else:
            self.remove_button.setText("Forget this word")
            self.replace_button.setEnabled(False)  # nothing names it

    # ------------------------------------------------------------ actions

    def keep(self) -> None:
        word = self.current()
        if word is None:
            return
        name = word.name
        self._write(lambda journal: journal.add_own_emotions([name]),
                    f"“{name}” is kept as your own word.", name)

    def replace(self) -> None:
        word = self.current()
        new = self.replace_with.currentText()
        if word is None or not new:
            return
        old = word.name
        self._write(lambda journal: journal.replace_emotion(old, new),
                    f"Replaced “{old}” with “{new}” in {_uses(word)}.")

    def remove(self) -> None:
        word = self.current()
        if word is None:
            return
        old = word.name
        if not word.uses:
            self._write(lambda journal: journal.forget_own_emotions([old]),
                        f"“{old}” is no longer kept as your own word.")
            return
        box = QMessageBox(
            QMessageBox.Icon.Question, "Remove this emotion",
            f"Remove “{old}” from {_uses(word)}? The rest of each record stays as it is, and "
            "each one's earlier version is kept.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.button(QMessageBox.StandardButton.Yes).setText("Remove")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        if box.exec() != QMessageBox.StandardButton.Yes:
            return
        self._write(lambda journal: journal.replace_emotion(old, None),
                    f"Removed “{old}” from {_uses(word)}.")

    def _write(self, fn: Callable[[Journal], object], said: str,
               select: str | None = None) -> None:
        show_error(self.error, "")
        for widget in (self.keep_button, self.replace_button, self.remove_button):
            widget.setEnabled(False)

        def done(_result: object) -> None:
            self.result_label.setText(said)
            self.refresh(select)
            self.changed.emit()

        def failed(message: str) -> None:
            show_error(self.error, message)
            self.refresh(select)

        self.session.write(fn, done, failed, changes=_TIDIED)
