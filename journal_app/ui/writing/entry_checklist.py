"""One checklist of entries, for every dialog that lets the user choose some (export, share).

A search box over the titles and text (the journal's own search), an optional "Reflections only"
filter, the list with a tick box a row (title, date, entry or reflection), "Tick all shown" /
"Untick all" and how many are chosen. The same keyboard everywhere: Space ticks the current row
(Qt's own), Down in the search box goes to the list, Ctrl+A ticks every row shown and
Ctrl+Shift+A unticks them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from journal_app.core.errors import JournalError
from journal_app.core.interchange.selection import short_date
from journal_app.core.records import Entry, Reflection
from journal_app.core.vocabulary import kind_label
from journal_app.ui.session import JournalSession
from journal_app.ui.theme import colors
from journal_app.ui.widgets import FlowLayout, current_item, muted

ROLE_ID = Qt.ItemDataRole.UserRole + 1
ROLE_REFLECTION = Qt.ItemDataRole.UserRole + 2

#: Finds the ids of the entries that match a search (None: no search, show every row).
Searcher = Callable[[str], set[str] | None]


def journal_searcher(session: JournalSession) -> Searcher:
    """A :data:`Searcher` over the session's journal, through its door (None while locked: no
    row is hidden then); a search the journal refuses matches nothing."""

    def search(text: str) -> set[str] | None:
        try:
            return session.read_or(
                lambda journal: {e.id for _hit, e in journal.search(text, limit=None,
                                                                    snippets=False)}, None)
        except JournalError:
            return set()

    return search


def checklist_style() -> str:
    """The tick boxes of a list of checkable rows, as the theme draws a QCheckBox (item views
    ignore the theme's QCheckBox rules, and Qt's default box is nearly invisible on the dark
    palette)."""
    c = colors()
    return (f"QListWidget::indicator {{ width: 13px; height: 13px; border-radius: 3px; "
            f"border: 1px solid {c.muted}; background: {c.base}; }}"
            f"QListWidget::indicator:checked {{ background: {c.accent}; "
            f"border: 1px solid {c.accent}; }}")


class EntryChecklist(QWidget):
    """Entries to tick; :attr:`changed` when what is chosen changes."""

    changed = Signal()

    def __init__(self, what: str, searcher: Searcher, *, reflections_filter: bool = False,
                 parent: QWidget | None = None) -> None:
        """``what`` ends the accessible names ("Entries to <what>"); ``searcher`` is asked for
        the ids matching the search box's text."""
        super().__init__(parent)
        self._searcher = searcher
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        tools = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search titles and text")
        self.search.setAccessibleName(f"Search entries to {what}")
        self.search.setClearButtonEnabled(True)
        tools.addWidget(self.search, 1)
        self.reflections_only = QCheckBox("Reflections only")
        self.reflections_only.setVisible(reflections_filter)
        if reflections_filter:
            tools.addWidget(self.reflections_only)
        layout.addLayout(tools)
        self.list = QListWidget()
        self.list.setAccessibleName(f"Entries to {what}")
        self.list.setUniformItemSizes(True)
        self.list.setStyleSheet(checklist_style())
        # A long title is shortened with "…" where the list is narrow, never scrolled sideways.
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self.list, 1)
        under = FlowLayout()  # the count under the buttons where narrow
        self.tick_shown = QPushButton("Tick all shown")
        self.tick_shown.setToolTip("Tick every entry in the list (Ctrl+A)")
        self.untick_all = QPushButton("Untick all")
        self.untick_all.setToolTip("Untick every entry, shown or not (Ctrl+Shift+A)")
        for button in (self.tick_shown, self.untick_all):
            button.setAutoDefault(False)  # Enter never presses them
        self.count_label = muted("")
        self.count_label.setAccessibleName("Entries chosen")
        under.addWidget(self.tick_shown)
        under.addWidget(self.untick_all)
        under.addStretch()
        under.addWidget(self.count_label)
        layout.addLayout(under)

        self.search.textChanged.connect(lambda _t: self.refilter())
        self.reflections_only.toggled.connect(lambda _on: self.refilter())
        self.list.itemChanged.connect(lambda _i: self._changed())
        self.tick_shown.clicked.connect(lambda: self.tick(True))
        self.untick_all.clicked.connect(lambda: self.tick(False, shown_only=False))
        self.search.installEventFilter(self)
        for keys, on in ((QKeySequence.StandardKey.SelectAll, True),
                         (QKeySequence("Ctrl+Shift+A"), False)):
            shortcut = QShortcut(keys, self.list)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(
                lambda on=on: self.tick(True) if on else self.tick(False, shown_only=False))
        self._update_count()

    # ------------------------------------------------------------ content

    def set_entries(self, entries: Iterable[Entry], ticked: Iterable[str] = ()) -> None:
        """Fill the list, oldest first as given; the ``ticked`` ids start ticked, and the first
        of them is scrolled into view."""
        wanted = set(ticked)
        self.list.blockSignals(True)
        try:
            self.list.clear()
            for entry in entries:
                kind = kind_label(entry.KIND)
                item = QListWidgetItem(
                    f"{entry.display_title()}  ·  {short_date(entry.created)}  ·  {kind}")
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if entry.id in wanted
                                   else Qt.CheckState.Unchecked)
                item.setData(ROLE_ID, entry.id)
                item.setData(ROLE_REFLECTION, isinstance(entry, Reflection))
                self.list.addItem(item)
        finally:
            self.list.blockSignals(False)
        first = next((item for item in self.items() if item.checkState() ==
                      Qt.CheckState.Checked), None)
        if first is not None:
            self.list.scrollToItem(first)
        self.refilter()
        self._changed()

    def items(self) -> list[QListWidgetItem]:
        return [self.list.item(row) for row in range(self.list.count())]

    def shown_items(self) -> list[QListWidgetItem]:
        return [item for item in self.items() if not item.isHidden()]

    def chosen_ids(self) -> list[str]:
        """The ticked entries' ids, in the list's order (hidden rows count: a search only
        narrows what is shown)."""
        return [str(item.data(ROLE_ID)) for item in self.items()
                if item.checkState() == Qt.CheckState.Checked]

    # ------------------------------------------------------------ actions

    def tick(self, on: bool, shown_only: bool = True) -> None:
        """Tick (or untick) every row shown, or every row."""
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        self.list.blockSignals(True)
        try:
            for item in self.items():
                if not shown_only or not item.isHidden():
                    item.setCheckState(state)
        finally:
            self.list.blockSignals(False)
        self.list.viewport().update()
        self._changed()

    def set_ticked(self, entry_ids: Sequence[str], on: bool = True) -> None:
        wanted = set(entry_ids)
        for item in self.items():
            if item.data(ROLE_ID) in wanted:
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def refilter(self) -> None:
        """Show the rows that match the search and the filter."""
        text = self.search.text().strip()
        matches = self._searcher(text) if text else None
        only_reflections = self.reflections_only.isChecked()
        for item in self.items():
            item.setHidden((matches is not None and item.data(ROLE_ID) not in matches) or (
                only_reflections and not item.data(ROLE_REFLECTION)))

    # ------------------------------------------------------------ keyboard

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.search and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Down):
            shown = self.shown_items()
            if shown:
                current = current_item(self.list)
                if current is None or current.isHidden():
                    self.list.setCurrentItem(shown[0])
                self.list.setFocus(Qt.FocusReason.TabFocusReason)
                return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------ state

    def _changed(self) -> None:
        self._update_count()
        self.changed.emit()

    def _update_count(self) -> None:
        self.count_label.setText(f"{len(self.chosen_ids())} chosen")


__all__ = ["ROLE_ID", "ROLE_REFLECTION", "EntryChecklist", "Searcher", "checklist_style",
           "journal_searcher"]
