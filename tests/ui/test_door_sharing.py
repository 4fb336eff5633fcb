"""The screens that still went around the session's door (issue 15, item 2), driven as a user
would: adding a contact and confirming a fingerprint ask the user between a read and the write;
receiving a package, restoring a backup and making the demo journal run through the session.

A question the user declines writes nothing; a write whose premise changed while the user was
asked (another program changed the contacts) stores nothing and says so in one sentence.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from journal_app.core.errors import ContactsChangedError
from journal_app.core.records.model import Entry
from journal_app.core.recovery.backup import create_backup
from journal_app.core.sharing import service as sharing
from journal_app.core.sharing.cards import card_of, new_identity
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.ui.dialogs.backups import BackupsDialog
from journal_app.ui.session import Change, JournalSession
from journal_app.ui.sharing.cards_dialog import NOT_CONFIRMED, ContactsPage
from journal_app.ui.sharing.common import FingerprintDialog
from journal_app.ui.shell.demo import demo_window
from journal_app.ui.shell.mainwindow import MainWindow
from journal_app.ui.uisettings import UiSettings
from tests.unit.core.test_import_trust import state

from .conftest import (
    PASSPHRASE,
    WAIT_MS,
    click,
    list_titles,
    make_vault,
    on_modal,
    sample_entries,
    unlock,
    writes_done,
)
from .sharing_steps import Answerer, FilePicker, journal_of

ADA = card_of(new_identity("Ada Mentor", "mentor"))
ADA_AGAIN = card_of(new_identity("Ada Mentor", "mentor"))  # a new card: same name, new keys


@pytest.fixture
def picker(monkeypatch: pytest.MonkeyPatch) -> FilePicker:
    return FilePicker().install(monkeypatch)


@pytest.fixture
def contacts_page(qtbot: QtBot, open_window: MainWindow) -> ContactsPage:
    """My card and contacts ▸ Contacts, over the window's session."""
    sharing.ensure_identity(journal_of(open_window), "Sam Student")
    page = ContactsPage(open_window.session)
    qtbot.addWidget(page)
    page.show()
    return page


def heard_records(session: JournalSession) -> list[str]:
    heard: list[str] = []
    session.recordsChanged.connect(lambda: heard.append("recordsChanged"))
    return heard


def a_command(folder: Path) -> Journal:
    """The journal opened by another program (the command line) at the same time."""
    journal = Journal.open(folder)
    journal.unlock(PASSPHRASE)
    return journal


def test_declining_the_fingerprint_writes_nothing(
        qtbot: QtBot, open_window: MainWindow, contacts_page: ContactsPage,
        picker: FilePicker, tmp_path: Path) -> None:
    card = tmp_path / "ada.card"
    card.write_bytes(ADA.to_bytes())
    journal = journal_of(open_window)
    before = state(journal)
    heard = heard_records(open_window.session)
    picker.opens.append(card)
    shown: list[str] = []

    def differ(dialog: FingerprintDialog) -> None:
        shown.append(dialog.card.fingerprint)
        assert not open_window.session.worker.busy()  # nothing is being written meanwhile
        click(qtbot, dialog.differ_button)

    answerer = Answerer({FingerprintDialog: differ})
    click(qtbot, contacts_page.add_button)
    answerer.stop()
    assert shown == [ADA.fingerprint]
    assert not open_window.session.worker.busy()  # no write was asked for
    assert contacts_page.result.text() == NOT_CONFIRMED
    assert heard == [] and state(journal) == before
    assert sharing.contacts(journal) == []


def test_contacts_changed_while_comparing_store_nothing_and_say_one_sentence(
        qtbot: QtBot, open_window: MainWindow, contacts_page: ContactsPage,
        picker: FilePicker, tmp_path: Path, folder: Path) -> None:
    """While the user compares Ada's fingerprint, the command line stores a new card of Ada:
    "They match" was about the contacts as they were, so nothing of it is stored."""
    card = tmp_path / "ada.card"
    card.write_bytes(ADA.to_bytes())
    journal = journal_of(open_window)
    picker.opens.append(card)
    warnings: list[str] = []
    after_command: list[object] = []

    def compare(dialog: FingerprintDialog) -> None:
        with a_command(folder) as other:
            sharing.import_card(other, ADA_AGAIN.to_bytes(), lambda _card: True)
            after_command.append(state(other))
        click(qtbot, dialog.match_button)

    def warned(box: QMessageBox) -> None:
        warnings.append(box.text())
        box.button(QMessageBox.StandardButton.Ok).click()

    answerer = Answerer({FingerprintDialog: compare, QMessageBox: warned})
    click(qtbot, contacts_page.add_button)
    qtbot.waitUntil(lambda: bool(warnings), timeout=WAIT_MS)  # the write refused in the worker
    answerer.stop()
    writes_done(qtbot, open_window.session)
    assert warnings == [ContactsChangedError.default_message]
    assert contacts_page.result.text() == ContactsChangedError.default_message
    assert state(journal) == after_command[0]  # only what the command stored
    assert [c.fingerprint for c in sharing.contacts(journal)] == [ADA_AGAIN.fingerprint]
    listed = contacts_page.list.topLevelItem(0)
    assert listed is not None and listed.text(2) == ADA_AGAIN.fingerprint


def test_a_contact_removed_while_comparing_is_not_confirmed(
        qtbot: QtBot, open_window: MainWindow, contacts_page: ContactsPage,
        folder: Path) -> None:
    journal = journal_of(open_window)
    journal.add_record(ADA.as_contact(confirmed=False))
    contacts_page.refresh()
    contacts_page.list.setCurrentItem(contacts_page.list.topLevelItem(0))
    heard = heard_records(open_window.session)
    after_command: list[object] = []

    def compare(dialog: FingerprintDialog) -> None:
        with a_command(folder) as other:
            (ada,) = sharing.contacts(other)
            sharing.remove_contact(other, ada.id)
            after_command.append(state(other))
        click(qtbot, dialog.match_button)

    answerer = Answerer({FingerprintDialog: compare})
    click(qtbot, contacts_page.confirm_button)
    answerer.stop()
    qtbot.waitUntil(lambda: contacts_page.result.text() != "", timeout=WAIT_MS)
    writes_done(qtbot, open_window.session)
    assert contacts_page.result.text() == "That contact is not in your journal any more."
    assert state(journal) == after_command[0]
    assert heard == []  # a refused write emits nothing
    assert contacts_page.stack.currentIndex() == 1  # the list shows what is stored: nobody


def test_a_write_can_say_what_it_changed_from_its_result(qtbot: QtBot, folder: Path) -> None:
    """Receiving a package writes through the door; a run that came back with a question
    stored nothing and emits no change signal."""
    make_vault(folder, sample_entries())
    session = JournalSession(kdf=TEST_KDF)
    session.open_folder(folder)
    with qtbot.waitSignal(session.unlocked, timeout=WAIT_MS):
        session.unlock(PASSPHRASE, pytest.fail)
    heard = heard_records(session)
    results: list[str] = []

    def changes(result: str) -> Change:
        return Change.NOTHING if result == "a question" else Change.RECORDS

    try:
        session.write(lambda _journal: "a question", results.append, changes=changes)
        writes_done(qtbot, session)
        assert results == ["a question"] and heard == []
        session.write(lambda _journal: "stored", results.append, changes=changes)
        writes_done(qtbot, session)
        assert results == ["a question", "stored"] and heard == ["recordsChanged"]
    finally:
        session.close()


def test_a_restore_refused_says_one_sentence_and_keeps_the_journal(
        qtbot: QtBot, open_window: MainWindow, tmp_path: Path, folder: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The restore runs through the session; while another program has the journal open it
    is refused, the window says so in one sentence, and the journal is as it was."""
    window = open_window
    drive = tmp_path / "drive"
    drive.mkdir()
    backup = create_backup(journal_of(window), drive).path
    journal_of(window).add_entry(Entry(title="Written after the backup", body="later"))
    window.journal_page.refresh()
    before = sorted(list_titles(window))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(backup), ""))

    def act(dialog: BackupsDialog) -> None:
        def replace(box: QMessageBox) -> None:
            [button] = [b for b in box.buttons() if b.text() == "Replace"]
            button.click()

        answerer = Answerer({QMessageBox: replace})
        click(qtbot, dialog.restore_button)
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.lock_page,
                        timeout=20_000)
        answerer.stop()

    with a_command(folder):
        on_modal(BackupsDialog, act)
        window.act_backups.trigger()
        qtbot.waitUntil(lambda: "not restored" in window.message_bar.text.text(),
                        timeout=20_000)
    message = window.message_bar.text.text()
    assert message.startswith("The backup was not restored: ")
    assert message.endswith(" Your journal is as it was.")
    assert "Traceback" not in message and "\n" not in message
    assert not [p for p in folder.iterdir() if p.name.startswith("replaced-")]
    unlock(qtbot, window)
    assert sorted(list_titles(window)) == before


@pytest.fixture
def demo_session() -> Iterator[JournalSession]:
    session = JournalSession(kdf=TEST_KDF)
    yield session
    session.close()


def test_the_demo_journal_is_made_in_the_worker(
        qtbot: QtBot, tmp_path: Path, demo_session: JournalSession) -> None:
    """The window repaints (and says what is happening) while the demo journal is made."""
    with qtbot.waitSignal(demo_session.unlocked, timeout=WAIT_MS):
        window = demo_window(demo_session, UiSettings(), tmp_path, "student", kdf=TEST_KDF)
        assert isinstance(window, MainWindow)
        qtbot.addWidget(window)
        assert not demo_session.is_unlocked  # not yet: it is being made
        assert window.message_bar.text.text() == "Making the demo journal…"
        assert not window.isEnabled()  # the first-run page under the message takes no input
    assert window.isEnabled()
    assert window.stack.currentWidget() is window.journal_page
    assert "This is a demo journal of invented entries." in window.message_bar.text.text()
    assert len(list_titles(window)) > 10
