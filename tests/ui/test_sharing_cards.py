"""My card and contacts: making and saving a card, adding contacts with a fingerprint check,
refusing cards that are not valid, replacing a card that changed, the share log tab."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from journal_app.core.records.model import Contact, Entry
from journal_app.core.sharing import service as sharing
from journal_app.core.sharing.cards import Card
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.ui.sharing.cards_dialog import CardsDialog
from journal_app.ui.sharing.common import FingerprintDialog
from journal_app.ui.shell.mainwindow import MainWindow

from .conftest import click, on_modal, writes_done
from .sharing_steps import Answerer, FilePicker, add_contact, journal_of, make_card


@pytest.fixture
def picker(monkeypatch: pytest.MonkeyPatch) -> FilePicker:
    return FilePicker().install(monkeypatch)


@pytest.fixture
def others(tmp_path: Path) -> Iterator[Callable[[str, str], Path]]:
    """Cards of other people (each from a vault of their own), as files."""
    opened: list[Journal] = []

    def card(name: str, role: str = "mentor") -> Path:
        folder = tmp_path / f"other-{len(opened)}"
        journal, _key = Journal.create(folder, "correct horse", kdf=TEST_KDF)
        opened.append(journal)
        path = tmp_path / f"{name.split()[0].lower()}-{len(opened)}.card"
        path.write_bytes(sharing.my_card(journal, name, role).to_bytes())
        return path

    yield card
    for journal in opened:
        journal.close()


def contacts(window: MainWindow) -> list[Contact]:
    return sharing.contacts(journal_of(window))


def test_my_card_named_by_role_and_day(qtbot: QtBot, open_window: MainWindow,
                                        picker: FilePicker, tmp_path: Path) -> None:
    fingerprint = make_card(qtbot, open_window, "Sam Student", "student", picker,
                            tmp_path / "mine.card")
    kind, suggested, filt = picker.asked[0]
    assert kind == "save" and filt.startswith("Mentor cards (*.card)")
    assert Path(suggested).name == f"student-card-{date.today().isoformat()}.card"
    card = Card.parse((tmp_path / "mine.card").read_bytes())
    assert (card.name, card.role, card.fingerprint) == ("Sam Student", "student", fingerprint)
    assert len(fingerprint.split()) == 8
    assert (tmp_path / "mine.card").stat().st_mode & 0o077 == 0  # readable by the owner only

    # A new name or role keeps the fingerprint (the keys do not change).
    def rename(dialog: CardsDialog) -> None:
        page = dialog.card_page
        assert page.card_box.isVisible() and not page.save_identity.isVisible()
        assert "Read it aloud" in page.hint.text()
        page.name.selectAll()
        qtbot.keyClicks(page.name, "Sam Q. Student")
        click(qtbot, page.role_buttons["mentor"])
        assert page.save_identity.text() == "Save changes"
        click(qtbot, page.save_identity)
        qtbot.waitUntil(lambda: not page.save_identity.isVisible())  # stored in the worker
        assert " ".join(page.fingerprint.text().split()) == fingerprint
        picker.saves.append(tmp_path / "renamed")  # no suffix typed: .card is added
        click(qtbot, page.save_card)
        click(qtbot, dialog.close_button)

    on_modal(CardsDialog, rename)
    open_window.sharing.act_cards.trigger()
    assert Path(picker.asked[-1][1]).name.startswith("mentor-card-")
    renamed = Card.parse((tmp_path / "renamed.card").read_bytes())
    assert (renamed.name, renamed.role, renamed.fingerprint) == ("Sam Q. Student", "mentor",
                                                                 fingerprint)


def test_add_contact_only_when_the_fingerprint_matches(
        qtbot: QtBot, open_window: MainWindow, picker: FilePicker,
        others: Callable[[str, str], Path]) -> None:
    ada = others("Ada Mentor", "mentor")
    expected = Card.parse(ada.read_bytes()).fingerprint
    shown, listed = add_contact(qtbot, open_window, picker, ada, match=False)
    assert shown == ["Ada Mentor", expected]
    assert listed == ["The fingerprint was not confirmed; no contact was added."]
    assert contacts(open_window) == []

    shown, listed = add_contact(qtbot, open_window, picker, ada, match=True)
    assert listed[0].startswith(f"Ada Mentor | Mentor | {expected} | ")
    assert listed[-1] == "Added Ada Mentor to your contacts."
    [contact] = contacts(open_window)
    assert contact.confirmed and contact.fingerprint == expected
    # The same card again: nothing to confirm, nothing changes.
    shown, listed = add_contact(qtbot, open_window, picker, ada)
    assert shown == [] and listed[-1] == "Ada Mentor is already among your contacts."


@pytest.mark.parametrize("content, says", [
    (b"\x00\x01 not json", "That file is not a mentor card; no contact was added."),
    (b'{"format": "journal-app-card", "version": 9}', "newer version of journal-app"),
    (b"x" * 5000, "too large to be a mentor card"),
])
def test_a_card_that_is_not_valid_is_refused_plainly(
        qtbot: QtBot, open_window: MainWindow, picker: FilePicker, tmp_path: Path,
        content: bytes, says: str) -> None:
    bad = tmp_path / "bad.card"
    bad.write_bytes(content)
    warnings: list[str] = []

    def fill(dialog: CardsDialog) -> None:
        dialog.tabs.setCurrentIndex(1)
        picker.opens.append(bad)
        answerer = Answerer({QMessageBox: lambda box: (
            warnings.append(box.text()), box.button(QMessageBox.StandardButton.Ok).click()),
            FingerprintDialog: lambda d: pytest.fail("asked to confirm a bad card")})
        click(qtbot, dialog.contacts_page.add_button)
        # The card is refused while it is read, before anything is asked or written.
        qtbot.waitUntil(lambda: bool(warnings), timeout=10_000)
        answerer.stop()
        assert dialog.contacts_page.list.topLevelItemCount() == 0
        click(qtbot, dialog.close_button)

    on_modal(CardsDialog, fill)
    open_window.sharing.act_cards.trigger()
    assert len(warnings) == 1 and says in warnings[0]
    assert "Traceback" not in warnings[0]
    assert contacts(open_window) == []


def test_own_card_and_changed_card(qtbot: QtBot, open_window: MainWindow, picker: FilePicker,
                                   tmp_path: Path,
                                   others: Callable[[str, str], Path]) -> None:
    make_card(qtbot, open_window, "Sam Student", "student", picker, tmp_path / "mine.card")
    warnings: list[str] = []

    def warned(box: QMessageBox) -> None:
        warnings.append(box.text())
        box.button(QMessageBox.StandardButton.Ok).click()

    def try_own(dialog: CardsDialog) -> None:
        dialog.tabs.setCurrentIndex(1)
        picker.opens.append(tmp_path / "mine.card")
        answerer = Answerer({QMessageBox: warned})
        click(qtbot, dialog.contacts_page.add_button)
        answerer.stop()
        click(qtbot, dialog.close_button)

    on_modal(CardsDialog, try_own)
    open_window.sharing.act_cards.trigger()
    assert warnings == ["That is your own card; give it to the people you share with."]

    first = others("Ada Mentor", "mentor")
    add_contact(qtbot, open_window, picker, first)
    second = others("Ada Mentor", "mentor")  # a new card: same name, new keys
    new_fp = Card.parse(second.read_bytes()).fingerprint
    boxes: list[str] = []

    def attempt(choice: str) -> Callable[[CardsDialog], None]:
        def fill(dialog: CardsDialog) -> None:
            dialog.tabs.setCurrentIndex(1)
            picker.opens.append(second)

            def changed(box: QMessageBox) -> None:
                boxes.append(box.text())
                if choice == "cancel":
                    box.button(QMessageBox.StandardButton.Cancel).click()
                else:
                    [replace] = [b for b in box.buttons() if "replace" in b.text()]
                    replace.click()

            answerer = Answerer({QMessageBox: changed, FingerprintDialog: lambda d: (
                boxes.append(" ".join(d.fingerprint.text().split())),
                click(qtbot, d.match_button))})
            click(qtbot, dialog.contacts_page.add_button)
            answerer.stop()
            writes_done(qtbot, open_window.session)  # a replaced card is stored in the worker
            boxes.append(dialog.contacts_page.result.text())
            click(qtbot, dialog.close_button)

        return fill

    on_modal(CardsDialog, attempt("cancel"))
    open_window.sharing.act_cards.trigger()
    assert "fingerprint is different" in boxes[0] and boxes[1] == "Nothing was changed."
    assert [c.fingerprint for c in contacts(open_window)] == [
        Card.parse(first.read_bytes()).fingerprint]
    boxes.clear()
    on_modal(CardsDialog, attempt("replace"))
    open_window.sharing.act_cards.trigger()
    assert boxes[1:] == [new_fp, "Replaced the card of Ada Mentor."]
    assert [c.fingerprint for c in contacts(open_window)] == [new_fp]


def test_shared_by_me_lists_what_went_out(qtbot: QtBot, open_window: MainWindow,
                                          tmp_path: Path,
                                          others: Callable[[str, str], Path]) -> None:
    journal = journal_of(open_window)
    sharing.ensure_identity(journal, "Sam Student")
    sharing.import_card(journal, others("Ada Mentor", "mentor").read_bytes(), lambda _c: True)
    entry = journal.add_entry(Entry(title="Rounds", body="Kept as written."))
    draft = sharing.draft_share(journal, [sharing.Selection(entry.id, 0, 4)], "my note", "")
    sharing.write_share(journal, draft, tmp_path / "p.pkg",
                        to=[sharing.find_contact(journal, "Ada Mentor")])
    seen: list[str] = []

    def look(dialog: CardsDialog) -> None:
        page = dialog.shared_page
        assert dialog.tabs.currentWidget() is page
        top = page.list.topLevelItem(0)
        assert top is not None
        seen.append(" | ".join(top.text(c) for c in range(4)))
        seen.append(page.view.toPlainText())
        child = top.child(0)
        page.list.setCurrentItem(child)
        seen.append(child.text(0))
        seen.append(page.view.toPlainText())
        click(qtbot, dialog.close_button)

    on_modal(CardsDialog, look)
    open_window.sharing.show_cards("shared")
    today = date.today()
    # Sent today; nothing read or answered yet (tests/ui/test_mentor_workspace.py has more).
    assert seen[0].endswith(f" | Ada Mentor | 1 excerpt | sent {today.day} {today:%b %Y}")
    assert "my note" in seen[1]
    assert seen[2] == f"part of “Rounds”  ·  sent {today.day} {today:%b %Y}"
    assert "Kept" in seen[3] and "as written" not in seen[3]


def test_remove_a_contact_after_asking(qtbot: QtBot, open_window: MainWindow,
                                       picker: FilePicker,
                                       others: Callable[[str, str], Path]) -> None:
    from journal_app.ui.sharing.cards_dialog import ContactsPage

    add_contact(qtbot, open_window, picker, others("Ada Mentor", "mentor"), match=True)
    page = ContactsPage(open_window.session)
    qtbot.addWidget(page)
    page.show()
    assert not page.remove_button.isEnabled()  # nothing chosen yet
    page.list.setCurrentItem(page.list.topLevelItem(0))
    assert page.remove_button.isEnabled()

    def cancel(box: QMessageBox) -> None:
        assert box.text() == "Remove Ada Mentor from your contacts?"
        assert "stays in your journal" in box.informativeText()
        box.button(QMessageBox.StandardButton.Cancel).click()

    seen = on_modal(QMessageBox, cancel)
    click(qtbot, page.remove_button)
    assert seen and len(contacts(open_window)) == 1

    def remove(box: QMessageBox) -> None:
        (button,) = [b for b in box.buttons() if b.text() == "Remove"]
        button.click()

    seen = on_modal(QMessageBox, remove)
    click(qtbot, page.remove_button)
    qtbot.waitUntil(lambda: page.result.text() == "Removed Ada Mentor from your contacts.")
    assert seen and contacts(open_window) == []
    assert page.result.text() == "Removed Ada Mentor from your contacts."
    assert page.stack.currentIndex() == 1  # the empty list explains how to add one
