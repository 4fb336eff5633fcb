"""A contact stored with a fingerprint that is not its own (issue 12, part 2), in the app.

An older version stored each contact's fingerprint as text, and a crafted import could plant
one with someone else's. The contacts tab shows the fingerprint of the keys, says the contact
is not confirmed, and "Confirm fingerprint…" asks the user to compare it; until then the share
dialog does not offer the contact.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from journal_app.core.sharing import service as sharing
from journal_app.core.sharing.cards import Card, card_of, new_identity
from journal_app.core.vault.journal import Journal
from journal_app.ui.sharing.cards_dialog import ContactsPage
from journal_app.ui.sharing.common import FingerprintDialog
from journal_app.ui.sharing.share_dialog import ShareDialog
from tests.unit.core.test_import_trust import _v1_contact

from .conftest import PASSPHRASE, click, make_vault, sample_entries, unlock, writes_done
from .sharing_steps import Answerer

MENTOR = card_of(new_identity("Ada Mentor", "mentor"))
ATTACKER = card_of(new_identity("Ada Mentor", "mentor"))


def _plant(folder: Path, card: Card, stored_fingerprint: str) -> None:
    """A vault where an older version stored a contact of ``card`` with that fingerprint."""
    make_vault(folder, sample_entries())
    journal = Journal.open(folder)
    journal.unlock(PASSPHRASE)
    with journal:
        sharing.ensure_identity(journal, "Sam Student")
        journal.add_record(_v1_contact(card, stored_fingerprint))


def test_a_planted_contact_is_shown_unconfirmed_and_confirmed_only_by_the_user(
    qtbot: QtBot, folder: Path, make_window
) -> None:
    _plant(folder, ATTACKER, MENTOR.fingerprint)
    window = make_window(folder)
    unlock(qtbot, window)
    page = ContactsPage(window.session)
    qtbot.addWidget(page)
    page.show()

    item = page.list.topLevelItem(0)
    assert [item.text(c) for c in (0, 2, 4)] == [
        "Ada Mentor", ATTACKER.fingerprint, "Not confirmed"]
    assert page.notice.isVisible()
    assert page.notice.text().startswith("The fingerprint stored for Ada Mentor did not match")
    assert not page.confirm_button.isEnabled()  # nothing chosen yet
    page.list.setCurrentItem(item)
    assert page.confirm_button.isEnabled()

    # The share dialog offers it, but it cannot be ticked.
    dialog = ShareDialog(window.session, window)
    qtbot.addWidget(dialog)
    row = dialog.contacts.item(0)
    assert "fingerprint not confirmed" in row.text()
    assert not row.flags() & Qt.ItemFlag.ItemIsEnabled
    assert row.checkState() == Qt.CheckState.Unchecked
    dialog.reject()

    # The user compares: the fingerprint shown is the one of the keys; they differ.
    shown: list[str] = []

    def differ(dialog: FingerprintDialog) -> None:
        shown.append(" ".join(dialog.fingerprint.text().split()))
        click(qtbot, dialog.differ_button)

    answerer = Answerer({FingerprintDialog: differ})
    click(qtbot, page.confirm_button)
    answerer.stop()
    assert shown == [ATTACKER.fingerprint]
    assert page.result.text() == "The fingerprint was not confirmed; nothing was changed."
    assert page.list.topLevelItem(0).text(4) == "Not confirmed" and page.notice.isVisible()
    journal = window.session.journal
    assert journal is not None
    assert not sharing.contacts(journal)[0].confirmed


def test_confirming_a_contact_that_matches(qtbot: QtBot, folder: Path, make_window) -> None:
    """A contact whose stored fingerprint was damaged: the user compares and confirms it."""
    _plant(folder, MENTOR, "1111 " * 7 + "1111")
    window = make_window(folder)
    unlock(qtbot, window)
    page = ContactsPage(window.session)
    qtbot.addWidget(page)
    page.show()
    page.list.setCurrentItem(page.list.topLevelItem(0))

    def match(dialog: FingerprintDialog) -> None:
        assert " ".join(dialog.fingerprint.text().split()) == MENTOR.fingerprint
        click(qtbot, dialog.match_button)

    answerer = Answerer({FingerprintDialog: match})
    click(qtbot, page.confirm_button)
    answerer.stop()
    writes_done(qtbot, window.session)  # stored in the worker
    assert page.result.text() == "Confirmed the fingerprint of Ada Mentor."
    assert page.list.topLevelItem(0).text(4) == "Confirmed by you"
    assert not page.notice.isVisible() and not page.confirm_button.isEnabled()
    journal = window.session.journal
    assert journal is not None
    (contact,) = sharing.contacts(journal)
    assert contact.confirmed and contact.fingerprint == MENTOR.fingerprint
