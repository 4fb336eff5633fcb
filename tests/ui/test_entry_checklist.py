"""The one entry checklist (journal_app/ui/writing/entry_checklist.py) of the export and share
dialogs,
driven as a user would: tick with the mouse and Space, search, filter, tick all shown, untick
all, and the same widget in both dialogs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from journal_app.core.records.model import Entry, Reflection
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.ui.interchange.exporter import ExportDialog
from journal_app.ui.session import JournalSession
from journal_app.ui.sharing.share_dialog import ShareDialog
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.writing.entry_checklist import EntryChecklist, journal_searcher

from .conftest import PASSPHRASE, WAIT_MS, click


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    journal, _key = Journal.create(tmp_path / "vault", PASSPHRASE, kdf=TEST_KDF)
    for entry in (Entry(title="Night shift", body="We lost Mr B at 4am."),
                  Entry(title="Teaching round", body="Questions about sepsis."),
                  Reflection(title="After the code", body="What I would do again.")):
        journal.add_entry(entry)
    try:
        yield journal
    finally:
        journal.close()


@pytest.fixture
def checklist(qtbot: QtBot, journal: Journal) -> Iterator[EntryChecklist]:
    """The checklist searching through a session's door (a second opening of the vault)."""
    session = JournalSession(kdf=TEST_KDF)
    session.open_folder(journal.data_dir)
    errors: list[str] = []
    with qtbot.waitSignal(session.unlocked, timeout=WAIT_MS):
        session.unlock(PASSPHRASE, errors.append)
    assert errors == []
    widget = EntryChecklist("export", journal_searcher(session), reflections_filter=True)
    qtbot.addWidget(widget)
    widget.resize(600, 400)
    widget.set_entries(journal.entries())
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    session.close()


def titles(widget: EntryChecklist, shown: bool = True) -> list[str]:
    items = widget.shown_items() if shown else widget.items()
    return [item.text().split("  ·  ")[0] for item in items]


def ticked_titles(widget: EntryChecklist) -> list[str]:
    return [item.text().split("  ·  ")[0] for item in widget.items()
            if item.checkState() == Qt.CheckState.Checked]


def row_of(widget: EntryChecklist, title: str) -> int:
    return next(r for r, item in enumerate(widget.items()) if item.text().startswith(title))


def click_box(qtbot: QtBot, widget: EntryChecklist, title: str) -> None:
    """Click the tick box of a row, where the style draws it."""
    view = widget.list
    index = view.model().index(row_of(widget, title), 0)
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = view.visualRect(index)
    option.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
    box = view.style().subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, option,
                                      view)
    point = box.center() if box.isValid() else option.rect.topLeft() + QPoint(10, 10)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_rows_show_title_date_and_kind_and_nothing_starts_ticked(
        checklist: EntryChecklist) -> None:
    assert sorted(titles(checklist)) == ["After the code", "Night shift", "Teaching round"]
    reflection = checklist.items()[row_of(checklist, "After the code")].text()
    assert reflection.endswith("  ·  Reflection")
    assert checklist.chosen_ids() == [] and checklist.count_label.text() == "0 chosen"


def test_click_and_space_tick_and_untick(qtbot: QtBot, checklist: EntryChecklist) -> None:
    with qtbot.waitSignal(checklist.changed):
        click_box(qtbot, checklist, "Night shift")
    assert ticked_titles(checklist) == ["Night shift"]
    checklist.list.setFocus()
    checklist.list.setCurrentRow(row_of(checklist, "Teaching round"))
    qtbot.keyClick(checklist.list, Qt.Key.Key_Space)
    assert sorted(ticked_titles(checklist)) == ["Night shift", "Teaching round"]
    assert checklist.count_label.text() == "2 chosen"
    qtbot.keyClick(checklist.list, Qt.Key.Key_Space)  # again: unticked
    assert ticked_titles(checklist) == ["Night shift"]
    click_box(qtbot, checklist, "Night shift")
    assert checklist.chosen_ids() == [] and checklist.count_label.text() == "0 chosen"


def test_search_then_tick_all_shown_and_untick_all(qtbot: QtBot,
                                                    checklist: EntryChecklist) -> None:
    qtbot.keyClicks(checklist.search, "sepsis")
    assert titles(checklist) == ["Teaching round"]
    click(qtbot, checklist.tick_shown)
    assert ticked_titles(checklist) == ["Teaching round"]
    checklist.search.clear()
    assert len(titles(checklist)) == 3  # every row back; the tick stays
    click(qtbot, checklist.tick_shown)
    assert len(checklist.chosen_ids()) == 3 and checklist.count_label.text() == "3 chosen"
    qtbot.keyClicks(checklist.search, "sepsis")
    click(qtbot, checklist.untick_all)  # every row, shown or not
    checklist.search.clear()
    assert checklist.chosen_ids() == []


def test_the_reflections_filter(qtbot: QtBot, checklist: EntryChecklist) -> None:
    click(qtbot, checklist.reflections_only)
    assert titles(checklist) == ["After the code"]
    click(qtbot, checklist.reflections_only)
    assert len(titles(checklist)) == 3


def test_the_keyboard_alone(qtbot: QtBot, checklist: EntryChecklist) -> None:
    checklist.search.setFocus()
    qtbot.keyClicks(checklist.search, "night")
    qtbot.keyClick(checklist.search, Qt.Key.Key_Down)  # from the search box into the list
    assert QApplication.focusWidget() is checklist.list
    assert checklist.list.currentItem().text().startswith("Night shift")
    qtbot.keyClick(checklist.list, Qt.Key.Key_Space)
    assert ticked_titles(checklist) == ["Night shift"]
    checklist.search.clear()
    checklist.list.setFocus()
    qtbot.keyClick(checklist.list, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(checklist.chosen_ids()) == 3
    qtbot.keyClick(checklist.list, Qt.Key.Key_A,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert checklist.chosen_ids() == []


def test_the_export_and_share_dialogs_use_the_same_checklist(
        qtbot: QtBot, open_window: MainWindow) -> None:
    session = open_window.session
    export = ExportDialog(session, open_window.settings, open_window)
    share = ShareDialog(session, open_window)
    for dialog in (export, share):
        qtbot.addWidget(dialog)
    assert isinstance(export.chooser, EntryChecklist) and isinstance(share.chooser, EntryChecklist)
    assert export.chooser.list.styleSheet() == share.chooser.list.styleSheet()
    assert share.contacts.styleSheet() == share.chooser.list.styleSheet()
    assert titles(export.chooser, shown=False) == titles(share.chooser, shown=False)
    # Share has no reflections filter; both tick all shown and untick all.
    assert not share.chooser.reflections_only.isVisibleTo(share)
    share.show()
    qtbot.waitExposed(share)
    click(qtbot, share.chooser.tick_shown)
    assert len(share.chosen_ids()) == 3 and share.next_button.isEnabled()
    click(qtbot, share.chooser.untick_all)
    assert share.chosen_ids() == [] and not share.next_button.isEnabled()
