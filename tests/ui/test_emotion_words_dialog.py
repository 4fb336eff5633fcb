"""Settings ▸ Your emotion words (issue 16): the half words an old Enter trap stored ("exhaus 4/5",
"guil") fed the trends and the filters, with no way to see or tidy them. The dialog lists every
emotion name outside the vocabulary with its uses; each can be kept, replaced or removed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from journal_app.core.records import CheckIn, Emotion, Entry
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.ui.dialogs.emotion_words import EmotionWordsDialog
from journal_app.ui.dialogs.settings import SettingsDialog
from journal_app.ui.session import JournalSession
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.uisettings import UiSettings

from .conftest import (
    PASSPHRASE,
    WAIT_MS,
    click,
    click_row,
    make_vault,
    on_modal,
    save_now,
    saved_entry,
    to_end,
    unlock,
    writes_done,
)


@pytest.fixture
def session(folder: Path) -> Iterator[JournalSession]:
    make_vault(folder, [Entry(title="Night", emotions=[Emotion("exhaus", 4), Emotion("sad")]),
                        Entry(title="Later", emotions=[Emotion("exhaus", 2)])])
    session = JournalSession(kdf=TEST_KDF)
    session.open_folder(folder)
    assert session.journal is not None
    session.journal.unlock(PASSPHRASE)
    session.journal.add_record(CheckIn(mood=-2, emotions=(Emotion("guil", 3),)))
    session.journal.add_own_emotions(["raw"])
    yield session
    session.close()


@pytest.fixture
def dialog(qtbot: QtBot, session: JournalSession) -> EmotionWordsDialog:
    dialog = EmotionWordsDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def rows(dialog: EmotionWordsDialog) -> list[tuple[str, ...]]:
    table = dialog.table
    return [tuple(table.item(r, c).text() for c in range(4)) for r in range(table.rowCount())]


def test_the_words_outside_the_list_with_their_uses(dialog: EmotionWordsDialog) -> None:
    assert rows(dialog) == [("exhaus", "2", "0", "not in the list"),
                            ("guil", "0", "1", "not in the list"),
                            ("raw", "0", "0", "your own word")]
    assert dialog.selected_label.text() == "“exhaus” is named in 2 entries."
    assert dialog.replace_with.currentText() == "exhausted"  # the word it is the start of


def test_replace_a_half_word_with_the_word_it_starts(
        qtbot: QtBot, dialog: EmotionWordsDialog, session: JournalSession) -> None:
    changed: list[bool] = []
    dialog.changed.connect(lambda: changed.append(True))
    entries_changed: list[bool] = []
    session.entriesChanged.connect(lambda: entries_changed.append(True))
    click(qtbot, dialog.replace_button)
    writes_done(qtbot, session)
    qtbot.waitUntil(lambda: bool(changed), timeout=WAIT_MS)
    assert entries_changed  # the entry list and the trends refresh
    assert [r[0] for r in rows(dialog)] == ["guil", "raw"]
    assert dialog.result_label.text() == "Replaced “exhaus” with “exhausted” in 2 entries."
    assert session.journal is not None
    entries = {e.title: e for e in session.journal.entries()}
    assert entries["Night"].emotions == (Emotion("exhausted", 4), Emotion("sad"))
    assert entries["Later"].emotions == (Emotion("exhausted", 2),)
    assert len(session.journal.revisions(entries["Night"].id)) == 1  # earlier version kept


def test_keep_a_word_as_ones_own(qtbot: QtBot, dialog: EmotionWordsDialog,
                                 session: JournalSession) -> None:
    click_row(qtbot, dialog.table, 1)
    assert dialog.current() is not None and dialog.current().name == "guil"  # type: ignore[union-attr]
    click(qtbot, dialog.keep_button)
    writes_done(qtbot, session)
    qtbot.waitUntil(lambda: ("guil", "0", "1", "your own word") in rows(dialog), timeout=WAIT_MS)
    assert session.journal is not None
    assert session.journal.own_emotions() == ["raw", "guil"]
    assert not dialog.keep_button.isEnabled()  # still selected, and kept already


def test_remove_asks_first_then_removes(qtbot: QtBot, dialog: EmotionWordsDialog,
                                        session: JournalSession) -> None:
    click_row(qtbot, dialog.table, 1)
    assert dialog.remove_button.text() == "Remove from 1 check-in…"
    seen = on_modal(QMessageBox, lambda box: click(
        qtbot, box.button(QMessageBox.StandardButton.Cancel)))
    click(qtbot, dialog.remove_button)
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=WAIT_MS)
    writes_done(qtbot, session)
    assert session.journal is not None
    assert session.journal.checkins()[0].emotions == (Emotion("guil", 3),)  # Cancel: untouched

    seen = on_modal(QMessageBox, lambda box: click(
        qtbot, box.button(QMessageBox.StandardButton.Yes)))
    click(qtbot, dialog.remove_button)
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=WAIT_MS)
    writes_done(qtbot, session)
    qtbot.waitUntil(lambda: "guil" not in [r[0] for r in rows(dialog)], timeout=WAIT_MS)
    checkin = session.journal.checkins()[0]
    assert checkin.emotions == () and checkin.mood == -2  # the rest stays


def test_an_unused_own_word_can_be_forgotten(qtbot: QtBot, dialog: EmotionWordsDialog,
                                             session: JournalSession) -> None:
    click_row(qtbot, dialog.table, 2)
    assert dialog.remove_button.text() == "Forget this word"
    assert not dialog.replace_button.isEnabled()
    click(qtbot, dialog.remove_button)
    writes_done(qtbot, session)
    qtbot.waitUntil(lambda: len(rows(dialog)) == 2, timeout=WAIT_MS)
    assert session.journal is not None and session.journal.own_emotions() == []


def test_settings_opens_it(qtbot: QtBot, session: JournalSession) -> None:
    settings = SettingsDialog(session, UiSettings())
    qtbot.addWidget(settings)
    settings.show()
    seen = on_modal(EmotionWordsDialog, lambda d: d.accept())
    click(qtbot, settings.emotion_words_button)
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=WAIT_MS)
    assert [w.name for w in seen[0].words] == ["exhaus", "guil", "raw"]


def test_nothing_to_tidy_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    folder = tmp_path / "clean"
    make_vault(folder, [Entry(title="Fine", emotions=[Emotion("calm")])])
    session = JournalSession(kdf=TEST_KDF)
    session.open_folder(folder)
    assert session.journal is not None
    session.journal.unlock(PASSPHRASE)
    try:
        dialog = EmotionWordsDialog(session)
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.empty.isVisible() and not dialog.table.isVisible()
        assert not dialog.replace_button.isEnabled()
    finally:
        session.close()


def test_the_open_entry_is_shown_as_tidied_and_typing_does_not_bring_the_slip_back(
        qtbot: QtBot, tmp_path: Path, make_window: Callable[..., MainWindow]) -> None:
    """The editor holds the entry it shows: after a tidy it must show the stored version, or
    the next autosave would write "exhaus" back."""
    folder = tmp_path / "journal"
    make_vault(folder, [Entry(title="Night", body="Long.", emotions=[Emotion("exhaus", 4)])])
    window = make_window(folder)
    unlock(qtbot, window)
    page = window.journal_page
    click_row(qtbot, page.list, 0)
    editor = page.editor
    qtbot.waitUntil(lambda: editor.emotions.emotions() == [Emotion("exhaus", 4)],
                    timeout=WAIT_MS)

    def tidy(words: EmotionWordsDialog) -> None:
        click(qtbot, words.replace_button)
        writes_done(qtbot, window.session)
        qtbot.waitUntil(lambda: words.words == [], timeout=WAIT_MS)
        words.accept()

    tidied = on_modal(EmotionWordsDialog, tidy)
    on_modal(SettingsDialog, lambda settings: click(qtbot, settings.emotion_words_button))
    window.show_settings()
    assert len(tidied) == 1
    assert editor.emotions.emotions() == [Emotion("exhausted", 4)]
    to_end(qtbot, editor.body)
    qtbot.keyClicks(editor.body, " Still tired.")
    save_now(qtbot, window)
    assert saved_entry(window, "Night").emotions == (Emotion("exhausted", 4),)
