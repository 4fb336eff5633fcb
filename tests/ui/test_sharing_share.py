"""The share dialog: choosing entries or a selected part, recipients or a share passphrase,
the review that blocks the share until every finding is decided, and saving the package."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot

from journal_app.core.records.model import Entry, Feedback, ReceivedExcerpt, SharedLog
from journal_app.core.sharing import service as sharing
from journal_app.core.vault.crypto import TEST_KDF
from journal_app.core.vault.journal import Journal
from journal_app.ui.sharing.share_dialog import ShareDialog
from journal_app.ui.shell.mainwindow import MainWindow

from .conftest import WAIT_MS, click, click_row, make_vault, on_modal, unlock
from .sharing_steps import (
    Answerer,
    FilePicker,
    decide_all,
    journal_of,
    receive,
    share_through_dialog,
)
from .test_deid_review import select_in_view

BODY = ("Mrs. Abernathy died at 4 am. Her son quill sat with me.\n\n"
        "I keep thinking about the silence after.")


@pytest.fixture
def picker(monkeypatch: pytest.MonkeyPatch) -> FilePicker:
    return FilePicker().install(monkeypatch)


@pytest.fixture
def mentor_card(tmp_path: Path) -> Iterator[bytes]:
    journal, _key = Journal.create(tmp_path / "ada", "correct horse", kdf=TEST_KDF)
    try:
        yield sharing.my_card(journal, "Ada Mentor", "mentor").to_bytes()
    finally:
        journal.close()


@pytest.fixture
def student(qtbot: QtBot, tmp_path: Path, make_window: Callable[..., MainWindow],
            mentor_card: bytes) -> MainWindow:
    """A student with a card, the mentor as a contact, and an entry naming people."""
    folder = tmp_path / "student"
    make_vault(folder, [Entry(title="After the night", body=BODY),
                        Entry(title="Teaching round", body="Sepsis questions, good ones.")])
    window = make_window(folder)
    unlock(qtbot, window)
    journal = journal_of(window)
    sharing.ensure_identity(journal, "Sam Student")
    sharing.import_card(journal, mentor_card, lambda _card: True)
    return window


def select_entry(qtbot: QtBot, window: MainWindow, title: str) -> None:
    model = window.journal_page.model
    row = next(r for r in range(model.rowCount()) if model.index(r).data() == title)
    click_row(qtbot, window.journal_page.list, row)
    assert window.journal_page.editor.title.text() == title


def test_the_share_waits_until_every_finding_is_decided(
        qtbot: QtBot, student: MainWindow, picker: FilePicker, tmp_path: Path) -> None:
    select_entry(qtbot, student, "After the night")
    seen: dict[str, object] = {}

    def drive(dialog: ShareDialog) -> None:
        # ---- step 1: the entry being read is ticked; a search narrows the list.
        [night] = [e for e in journal_of(student).entries() if e.title == "After the night"]
        assert dialog.chosen_ids() == [night.id]
        qtbot.keyClicks(dialog.chooser.search, "sepsis")
        shown = [dialog.chooser.list.item(r).text() for r in range(dialog.chooser.list.count())
                 if not dialog.chooser.list.item(r).isHidden()]
        assert len(shown) == 1 and shown[0].startswith("Teaching round")
        dialog.chooser.search.clear()
        qtbot.keyClicks(dialog.note, "Call me on 555-201-3344 if easier.")
        click(qtbot, dialog.next_button)
        # ---- step 2: the one mentor is ticked already.
        assert dialog.page() == 1 and dialog.chosen_contacts_ids()
        assert not dialog.identity_box.isVisible()
        click(qtbot, dialog.next_button)
        # ---- step 3: text 1 of 2, the entry; Next waits for every decision.
        assert dialog.page() == 2 and dialog.unit_title.text().startswith("Text 1 of 2")
        pane = dialog.current_pane()
        assert pane is not None
        found = [h.finding.text for h in pane.hits()]
        assert "Abernathy" in found and "quill" not in found
        assert not dialog.next_button.isEnabled()
        assert "to decide here" in dialog.review_status.text()
        click_row(qtbot, pane.list, 0)
        click(qtbot, pane.redact_button)
        # The user's own word for a name: looked for here and in the other texts.
        select_in_view(qtbot, pane, "quill")
        click(qtbot, pane.add_name_button)
        assert "quill" in [h.finding.text for h in pane.hits()]
        assert not dialog.next_button.isEnabled()
        while not pane.all_decided():  # keep the rest, the keyboard way
            click_row(qtbot, pane.list, next(i for i, h in enumerate(pane.hits())
                                             if not h.decided))
            qtbot.keyClick(pane.list, Qt.Key.Key_K)
            assert dialog.next_button.isEnabled() == pane.all_decided()
        assert dialog.next_button.text() == "Next text ›"
        click(qtbot, dialog.next_button)
        # ---- text 2 of 2: the note, with a phone number.
        note_pane = dialog.current_pane()
        assert note_pane is not None and note_pane is not pane
        assert dialog.unit_title.text() == "Text 2 of 2 · Your note"
        assert [h.finding.category for h in note_pane.hits()] == ["phone"]
        assert not dialog.next_button.isEnabled()
        assert dialog.next_button.text() == "Continue ›"
        # Back to text 1: its decisions are still there.
        click(qtbot, dialog.back_button)
        assert dialog.current_pane() is pane and pane.all_decided()
        assert dialog.next_button.isEnabled()
        click(qtbot, dialog.next_button)
        click(qtbot, note_pane.redact_all_button)
        click(qtbot, dialog.next_button)
        # ---- step 4: exactly what will go.
        assert dialog.page() == 3
        final = dialog.final_view.toPlainText()
        assert "Mrs. [name] died" in final and "Her son quill" in final  # kept on purpose
        assert "[phone]" in final and "555" not in final
        assert sharing.CANNOT_RECALL in dialog.recall_text.text()
        seen["names"] = journal_of(student).deid_names()
        click(qtbot, dialog.cancel_button)  # changed their mind: nothing is written

    on_modal(ShareDialog, drive)
    student.sharing.act_share.trigger()
    assert seen["names"] == ["quill"]
    assert journal_of(student).deid_names() == ["quill"]  # kept: the user asked for it
    assert journal_of(student).records(SharedLog) == []
    assert picker.asked == [] and list(tmp_path.glob("*.pkg")) == []


def test_share_selected_text(qtbot: QtBot, student: MainWindow, picker: FilePicker,
                             tmp_path: Path) -> None:
    select_entry(qtbot, student, "After the night")
    body = student.journal_page.editor.body
    start = BODY.index("I keep")
    cursor = QTextCursor(body.document())
    cursor.setPosition(start)
    body.setTextCursor(cursor)
    body.setFocus()
    qtbot.keyClick(body, Qt.Key.Key_End, Qt.KeyboardModifier.ShiftModifier)
    assert body.textCursor().selectedText() == BODY[start:]
    menu = student.sharing.editor_menu(body.cursorRect().center())
    texts = [a.text() for a in menu.actions()]
    assert "Share selected text…" in texts and "Share this entry…" in texts
    assert student.sharing.act_share_part.isEnabled()

    def check(dialog: ShareDialog) -> None:
        assert dialog.part_button.isChecked()
        assert "the silence after" in dialog.part_quote.text()
        assert "Abernathy" not in dialog.final_view.toPlainText()

    share_through_dialog(qtbot, student, picker, tmp_path / "part.pkg", check=check,
                         trigger=student.sharing.act_share_part.trigger)
    [log] = journal_of(student).records(SharedLog)
    [excerpt] = log.excerpts
    assert (excerpt.start, excerpt.end) == (start, len(BODY))
    assert excerpt.text == "I keep thinking about the silence after."
    assert body.textCursor().selectedText() == BODY[start:]  # the selection is still there


def test_share_passphrase_for_a_mentor_without_a_card(
        qtbot: QtBot, student: MainWindow, picker: FilePicker, tmp_path: Path,
        make_window: Callable[..., MainWindow]) -> None:
    select_entry(qtbot, student, "Teaching round")
    secret = "violet kettle harbour lantern"

    def drive(dialog: ShareDialog) -> None:
        click(qtbot, dialog.next_button)
        # Only a share passphrase: untick the mentor, tick the lock.
        dialog.contacts.item(0).setCheckState(Qt.CheckState.Unchecked)
        assert not dialog.next_button.isEnabled()
        click(qtbot, dialog.use_passphrase)
        assert dialog.passphrase_box.isVisible()
        qtbot.keyClicks(dialog.pass1, "password")
        qtbot.keyClicks(dialog.pass2, "password")
        assert "common" in dialog.pass_advice.text()
        assert not dialog.next_button.isEnabled()
        dialog.pass1.clear()
        dialog.pass2.clear()
        qtbot.keyClicks(dialog.pass1, secret)
        qtbot.keyClicks(dialog.pass2, secret[:-1])
        assert "differ" in dialog.pass_advice.text() and not dialog.next_button.isEnabled()
        qtbot.keyClicks(dialog.pass2, secret[-1])
        assert dialog.next_button.isEnabled()
        click(qtbot, dialog.next_button)
        decide_all(qtbot, dialog)
        assert "share passphrase" in dialog.summary.text()
        picker.saves.append(tmp_path / "locked.pkg")
        click(qtbot, dialog.save_button)
        qtbot.waitUntil(lambda: dialog.log is not None, timeout=WAIT_MS)
        assert "tell them the share passphrase" in dialog.result_label.text()
        click(qtbot, dialog.close_button)

    on_modal(ShareDialog, drive)
    student.sharing.act_share_entry.trigger()
    [log] = journal_of(student).records(SharedLog)
    assert log.passphrase and log.recipients == ()

    # A mentor with no card at all opens it with the passphrase (a wrong one first).
    make_vault(tmp_path / "mentor")
    mentor = make_window(tmp_path / "mentor")
    unlock(qtbot, mentor)
    texts = receive(qtbot, mentor, picker, tmp_path / "locked.pkg",
                    passphrases=["violet kettle harbour", secret])
    assert texts[0].startswith("This share package is locked with a one-off share passphrase")
    assert texts[1].startswith("That share passphrase does not open this share package.")
    assert texts[2].startswith("fingerprint of Sam Student: ")
    assert texts[3].startswith("Received 1 excerpt from Sam Student.")
    assert len(journal_of(mentor).records(ReceivedExcerpt)) == 1

    # Feedback needs the mentor's card: the name is asked once, then the package is saved.
    mentor.sharing.show_shared_with_me()
    window = mentor.sharing.shared_window
    assert window is not None
    assert not window.editor.reply.isVisible()  # the student asked no question
    qtbot.keyClicks(window.editor.comment, "Good questions make good teaching.")

    def name(dialog: QInputDialog) -> None:
        dialog.setTextValue("Bo Mentor")
        dialog.accept()

    answerer = Answerer({QInputDialog: name})
    picker.saves.append(tmp_path / "back.pkg")
    click(qtbot, window.editor.send_button)
    answerer.stop()
    qtbot.waitUntil(lambda: "Saved back.pkg" in window.editor.result.text(), timeout=WAIT_MS)
    me = sharing.identity(journal_of(mentor))
    assert me is not None and (me.name, me.role) == ("Bo Mentor", "mentor")
    assert "Saved back.pkg" in mentor.message_bar.text.text()

    # The student confirms the fingerprint of this mentor, new to them, and gets it.
    texts = receive(qtbot, student, picker, tmp_path / "back.pkg")
    assert texts[0].startswith("fingerprint of Bo Mentor: ")
    assert texts[1:] == ["Feedback from Bo Mentor on 1 entry. Bo Mentor is now among your "
                         "contacts."]
    [feedback] = journal_of(student).records(Feedback)
    assert feedback.comment == "Good questions make good teaching."


def test_first_share_asks_for_your_name(qtbot: QtBot, open_window: MainWindow,
                                        picker: FilePicker, tmp_path: Path,
                                        mentor_card: bytes) -> None:
    journal = journal_of(open_window)
    sharing.import_card(journal, mentor_card, lambda _card: True)
    click_row(qtbot, open_window.journal_page.list, 0)

    def drive(dialog: ShareDialog) -> None:
        click(qtbot, dialog.next_button)
        assert dialog.identity_box.isVisible()
        assert not dialog.next_button.isEnabled()  # a card needs a name
        qtbot.keyClicks(dialog.my_name, "  Sam   Student ")
        assert dialog.next_button.isEnabled()
        click(qtbot, dialog.next_button)
        qtbot.waitUntil(lambda: dialog.page() == 2, timeout=WAIT_MS)  # the card is made first
        click(qtbot, dialog.cancel_button)

    on_modal(ShareDialog, drive)
    open_window.sharing.act_share_entry.trigger()
    me = sharing.identity(journal)
    assert me is not None and me.name == "Sam Student" and me.role == "student"


def test_locking_closes_the_share_dialog(qtbot: QtBot, student: MainWindow) -> None:
    select_entry(qtbot, student, "After the night")
    states: list[bool] = []

    def drive(dialog: ShareDialog) -> None:
        click(qtbot, dialog.next_button)
        click(qtbot, dialog.next_button)
        assert dialog.page() == 2
        student.lock_now()  # the idle timer or Ctrl+L while reviewing
        states.append(dialog.isVisible())

    seen = on_modal(ShareDialog, drive)
    student.sharing.act_share_entry.trigger()
    assert seen and states == [False]
    assert student.stack.currentWidget() is student.lock_page
    assert not any(isinstance(w, ShareDialog) and w.isVisible()
                   for w in student.findChildren(ShareDialog))
    assert not student.sharing.act_share.isEnabled()


def test_qt_positions_become_python_indexes() -> None:
    from journal_app.ui.sharing.controller import utf16_to_index

    text = "a\U0001f600b\u00e9c"  # an emoji takes two UTF-16 units, é one
    assert [utf16_to_index(text, p) for p in (0, 1, 3, 4, 5)] == [0, 1, 2, 3, 4]


def test_escape_during_the_review_cancels_the_share(qtbot: QtBot, student: MainWindow) -> None:
    select_entry(qtbot, student, "After the night")
    results: list[int] = []

    def drive(dialog: ShareDialog) -> None:
        click(qtbot, dialog.next_button)
        click(qtbot, dialog.next_button)
        pane = dialog.current_pane()
        assert pane is not None
        pane.list.setFocus()
        qtbot.keyClick(pane.list, Qt.Key.Key_Escape)
        results.append(dialog.isVisible())

    on_modal(ShareDialog, drive)
    student.sharing.act_share_entry.trigger()
    assert results == [False]
    assert journal_of(student).records(SharedLog) == []
